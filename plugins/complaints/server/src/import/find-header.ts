/**
 * Finding the header row (表头) of a ledger file: the first sheet whose first rows hold a
 * recognisable header (domain/ledger-template.ts) is the one imported. Runs while the uploader
 * waits, so a file without one is refused at once with the most helpful reason.
 */
import { importRefusal } from '../domain/import-refusals';
import { detectHeader, HEADER_SEARCH_ROWS, type DetectedHeader, type HeaderDetection } from '../domain/ledger-template';
import { cellString, type PlainCell } from './cells';
import type { LedgerReader, SheetRow } from './readers';

export const isBlankRow = (cells: PlainCell[]) => cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));

const stringRow = (cells: PlainCell[]): Array<string | null> => cells.map((c) => (c === undefined ? null : cellString(c)));

export interface HeaderFound {
  header: DetectedHeader;
  sheet: number;
  sheetName: string | null;
  headerRowNo: number;
  /** Rows after the header already read while looking for it. */
  pending: SheetRow[];
  iterator: AsyncGenerator<SheetRow>;
  /** The reader has no more rows at all. */
  exhausted: boolean;
  /** No more rows of the header's sheet. */
  sheetDone: boolean;
}

/** Reads until the first sheet with a recognisable header; refuses the file when none has one. */
export const findHeader = async (reader: LedgerReader): Promise<HeaderFound> => {
  const iterator = reader.rows();
  let sheet = 0;
  let sheetName: string | null = null;
  let window: SheetRow[] = [];
  let worst: HeaderDetection | null = null;
  let carried: SheetRow | null = null;
  const verdict = (rows: SheetRow[]) => detectHeader(rows.map((r) => stringRow(r.cells)));
  const remember = (d: HeaderDetection) => {
    // Report the most helpful reason: missing columns beat no header, which beats empty.
    const rank = (x: HeaderDetection | null) => (!x || x.ok ? -1 : x.reason === 'missing_required' ? 2 : x.reason === 'no_header' ? 1 : 0);
    if (rank(d) > rank(worst)) worst = d;
  };
  for (;;) {
    const next: IteratorResult<SheetRow> = carried ? { value: carried, done: false } : await iterator.next();
    carried = null;
    const row = next.done ? null : next.value;
    const sheetEnded = row === null || (sheet !== 0 && row.sheet !== sheet);
    const windowFull = window.length >= HEADER_SEARCH_ROWS;
    if ((sheetEnded || windowFull) && window.length > 0) {
      const d = verdict(window);
      if (d.ok) {
        const headerRowNo = window[d.header.headerIndex].rowNo;
        const pending = window.slice(d.header.dataIndex);
        let exhausted = row === null;
        let sheetDone = sheetEnded;
        if (row && !sheetEnded) pending.push(row);
        // Read on to the first data row, so a sheet with a header and nothing under it is
        // refused while the caller waits.
        while (!sheetDone && pending.every((r) => isBlankRow(r.cells))) {
          const more = await iterator.next();
          if (more.done) {
            exhausted = true;
            sheetDone = true;
          } else if (more.value.sheet !== sheet) sheetDone = true;
          else pending.push(more.value);
        }
        return { header: d.header, sheet, sheetName, headerRowNo, pending, iterator, exhausted, sheetDone };
      }
      remember(d);
      // No header in this sheet's first rows: skip the rest of it.
      window = [];
      if (!sheetEnded && row) {
        let r: IteratorResult<SheetRow> = await iterator.next();
        while (!r.done && r.value.sheet === sheet) r = await iterator.next();
        if (r.done) break;
        carried = r.value;
        sheet = 0;
        continue;
      }
    }
    if (row === null) break;
    if (row.sheet !== sheet) {
      sheet = row.sheet;
      sheetName = row.sheetName;
      window = [];
    }
    window.push(row);
  }
  const w = worst as HeaderDetection | null;
  if (!w || (!w.ok && w.reason === 'empty')) throw importRefusal('file_empty');
  if (!w.ok && w.reason === 'missing_required') throw importRefusal('missing_columns', { missing: w.missing });
  throw importRefusal('no_header');
};

