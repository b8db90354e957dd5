/**
 * Ledger import (台账导入): a spreadsheet or CSV file in, complaints with their first history
 * event out, all or nothing per file.
 *
 *   start()   checks the file (size, type, encryption, header) while the caller waits, records
 *             the batch and returns; the rest runs in the background.
 *   parse     streams the rows, checks each (domain/import-row.ts), reports bad rows, in-file
 *             duplicates, rows already present and conflicts, and stages the new rows in
 *             chunks, each its own short write.
 *   screen    computes screening suggestions (domain/screening.ts) for the new rows.
 *   commit    one short transaction: the new complaints, their `imported` events and the batch
 *             summary (services/import-store.ts). A failure leaves nothing of the batch.
 *
 * Reports and messages carry row numbers, columns, ledger numbers and reasons, never a
 * citizen's name, phone, address or words.
 */
import { createHash, randomBytes } from 'crypto';
import fs from 'fs';
import { hostname } from 'os';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { calendarDay } from '../domain/calendar';
import { DomainError, isDomainError } from '../domain/errors';
import type { Actor } from '../domain/history-chain';
import { importedEventHasher } from '../domain/import-event';
import { importRefusal } from '../domain/import-refusals';
import { validateRow, type RowError, type ValidRow } from '../domain/import-row';
import { columnLetter, detectHeader, HEADER_SEARCH_ROWS, IMPORT_FIELDS, type DetectedHeader, type HeaderDetection, type ImportField } from '../domain/ledger-template';
import { findOriginalFieldChanges, type OriginalField } from '../domain/original-fields';
import { DUPLICATE_WINDOW_DAYS, screenBatch, type ScreeningRow, type Suggestion } from '../domain/screening';
import { cellString, rawCell, type PlainCell } from '../import/cells';
import { sniffLedgerFile } from '../import/file-type';
import { openLedgerReader, type LedgerReader, type SheetRow } from '../import/readers';
import { getConfig, getService, safeDbError } from '../utils';
import type { CommitRow, StagedRow, StoredOriginal } from './import-store';
import { INSTANCE_ID } from './jobs';

export const REPORT_VERSION = 1;

/** Kinds of report line; `error` lines name a field and an error code. */
export type ReportKind = 'error' | 'in_file_duplicate' | 'already_present' | 'conflict';
/** [row, ledgerNo, kind, field, code, detail] — compact, because a re-import reports every row. */
export type ReportLine = [number, string | null, ReportKind, ImportField | null, string | null, unknown];
/** [row, ledgerNo, kind, reason, ref] */
export type SuggestionLine = [number, string, Suggestion['kind'], Suggestion['reason'], string | null];

export interface ImportReport {
  version: number;
  sheet: string | null;
  headerRow: number;
  /** Header label (as in the file) of each template field found. */
  columns: Partial<Record<ImportField, string>>;
  /** Columns the template does not know (kept in rawRow). */
  extraColumns: string[];
  lines: ReportLine[];
  suggestions: SuggestionLine[];
}

export interface ImportCounts {
  totalRows: number;
  importedCount: number;
  alreadyPresentCount: number;
  conflictCount: number;
  inFileDuplicateCount: number;
  errorCount: number;
  suggestionCount: number;
}

export interface BatchStatus extends ImportCounts {
  id: number;
  code: string;
  fileName: string | null;
  sha256: string | null;
  fileSize: number | null;
  status: 'queued' | 'parsing' | 'committing' | 'done' | 'failed';
  progress: number;
  importedById: number | null;
  importedByName: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  failure: string | null;
}

export interface ImportInput {
  filePath: string;
  fileName: string;
  actor: Actor;
  importedById?: number | null;
  importedByName?: string | null;
  /** Delete the file when the import ends (uploads: yes; the CLI's own file: no). */
  deleteFile?: boolean;
  /** Bytes (filled in by start()). */
  fileSize?: number;
  now?: Date;
}

const CHUNK_ROWS = 2000;
/** A running batch that has not moved for this long belongs to a server that stopped. */
const STALE_MS = 10 * 60_000;

/**
 * Whether a batch's owner (`host:pid:random`, see jobs.ts) was a process on this host that no
 * longer runs: then its batch is failed at once instead of after STALE_MS. Another host's
 * process cannot be checked from here; its batches wait for STALE_MS.
 */
const isDeadLocalInstance = (instance: string | null): boolean => {
  if (!instance || instance === INSTANCE_ID) return false;
  const [host, pidText] = instance.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  // Same pid as this process but another instance id: an earlier run of this server (say, pid 1
  // in a restarted container).
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
};
const PROGRESS_EVERY_MS = 500;
/** Columns compared to tell "already present" from "conflict" (importBatch and rawRow may differ). */
const COMPARED: OriginalField[] = ['receivedAt', 'channel', 'complainantName', 'phone', 'town', 'village', 'address', 'content'];

/** Rows between two collections. */
const GC_EVERY_ROWS = 20_000;

/**
 * A full garbage collection, now and then during a large import. Parsing a workbook allocates
 * hundreds of megabytes of short-lived objects; left alone, V8 lets the heap grow to several
 * times the live data (about 740 MB of RSS for 100,000 rows instead of about 440 MB).
 * `gc` is exposed at run time, as --expose-gc would.
 */
let gcFn: (() => void) | null | undefined;
const collectGarbage = () => {
  if (gcFn === undefined) {
    try {
      setFlagsFromString('--expose_gc');
      gcFn = runInNewContext('gc') as () => void;
    } catch {
      gcFn = null;
    }
  }
  gcFn?.();
};

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const sha256File = (filePath: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(filePath)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });

const isBlankRow = (cells: PlainCell[]) => cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));

/** A batch code: county-local date and time plus a random suffix, e.g. IMP-20240506-103000-7f3a. */
const batchCode = (now: Date, timeZone: string): string => {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .format(now)
    .replace(/:/g, '');
  return `IMP-${calendarDay(now, timeZone).replace(/-/g, '')}-${time}-${randomBytes(2).toString('hex')}`;
};

const stringRow = (cells: PlainCell[]): Array<string | null> => cells.map((c) => (c === undefined ? null : cellString(c)));

interface HeaderFound {
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
const findHeader = async (reader: LedgerReader): Promise<HeaderFound> => {
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

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const running = new Map<number, Promise<BatchStatus>>();
  const store = () => getService('import-store', strapi);

  const toStatus = (r: Record<string, any>): BatchStatus => ({
    id: Number(r.id),
    code: r.code,
    fileName: r.fileName ?? null,
    sha256: r.sha256 ?? null,
    fileSize: r.fileSize === null || r.fileSize === undefined ? null : Number(r.fileSize),
    status: r.status,
    progress: Number(r.progress ?? 0),
    totalRows: Number(r.totalRows ?? 0),
    importedCount: Number(r.importedCount ?? 0),
    alreadyPresentCount: Number(r.alreadyPresentCount ?? 0),
    conflictCount: Number(r.conflictCount ?? 0),
    inFileDuplicateCount: Number(r.inFileDuplicateCount ?? 0),
    errorCount: Number(r.errorCount ?? 0),
    suggestionCount: Number(r.suggestionCount ?? 0),
    importedById: r.importedById ?? null,
    importedByName: r.importedByName ?? null,
    startedAt: r.startedAt ? new Date(r.startedAt).toISOString() : null,
    finishedAt: r.finishedAt ? new Date(r.finishedAt).toISOString() : null,
    failure: r.failure ?? null,
  });

  const STATUS_FIELDS = [
    'id', 'code', 'fileName', 'sha256', 'fileSize', 'status', 'progress', 'totalRows', 'importedCount', 'alreadyPresentCount', 'conflictCount',
    'inFileDuplicateCount', 'errorCount', 'suggestionCount', 'importedById', 'importedByName', 'startedAt', 'finishedAt', 'failure',
  ];

  const removeFile = (filePath: string) => fs.promises.rm(filePath, { force: true }).catch(() => undefined);

  /** Everything after the header: parse, stage, screen, commit. */
  const runBatch = async (batchId: number, code: string, input: ImportInput, found: HeaderFound, reader: LedgerReader, now: Date): Promise<void> => {
    const cfg = getConfig(strapi);
    const { header } = found;
    const counts: ImportCounts = { totalRows: 0, importedCount: 0, alreadyPresentCount: 0, conflictCount: 0, inFileDuplicateCount: 0, errorCount: 0, suggestionCount: 0 };
    const lines: ReportLine[] = [];
    const firstRowOf = new Map<string, number>();
    const screening: ScreeningRow[] = [];
    let chunk: StagedRow[] = [];
    const staging: Array<Promise<void>> = [];
    let stagingError: unknown = null;
    let lastProgress = 0;
    const date1904 = reader.date1904();
    const labelOf = (i: number) => header.columns[i]?.label ?? `列${columnLetter(i)}`;
    const columnKeys = header.columns.map((c) => c.key);
    const fieldColumns = IMPORT_FIELDS.filter((f) => header.byField[f] !== undefined).map((f) => [f, header.byField[f] as number] as const);
    const estimatedRows = reader.sheetBytes ? Math.max(1, reader.sheetBytes / (60 + 32 * Math.max(1, header.columns.length))) : null;

    const progress = async (force = false) => {
      const t = Date.now();
      if (!force && t - lastProgress < PROGRESS_EVERY_MS) return;
      lastProgress = t;
      const fraction = estimatedRows ? counts.totalRows / estimatedRows : reader.bytesRead() / Math.max(1, input.fileSize ?? 1);
      await store().updateBatch(batchId, { progress: Math.max(1, Math.min(85, Math.round(2 + 83 * fraction))), totalRows: counts.totalRows });
    };

    const flush = async () => {
      if (chunk.length === 0) return;
      const rows = chunk;
      chunk = [];
      const existing = await store().existing(rows.map((r) => r.row.ledgerNo));
      const fresh: StagedRow[] = [];
      for (const r of rows) {
        const stored = existing.get(r.row.ledgerNo);
        if (stored) classifyExisting(r.rowNo, r.row.ledgerNo, r.row, stored);
        else fresh.push(r);
      }
      for (const r of fresh) {
        screening.push({
          rowNo: r.rowNo,
          ledgerNo: r.row.ledgerNo,
          phone: r.row.traceable ? r.row.phone : null,
          town: r.row.town,
          village: r.row.village,
          address: r.row.address,
          receivedAt: r.row.receivedAt.getTime(),
          content: r.row.content,
          traceable: r.row.traceable,
        });
      }
      // Staging writes run while the next chunks are parsed, at most two at a time.
      if (staging.length >= 2) await staging.shift();
      if (stagingError) throw stagingError;
      staging.push(
        store()
          .stage(batchId, fresh)
          .catch((e) => {
            stagingError = e;
          })
      );
    };

    /** A row whose ledger number is taken: already present (same originals) or a conflict. */
    const classifyExisting = (rowNo: number, ledgerNo: string, row: ValidRow | Record<string, unknown>, stored: StoredOriginal) => {
      const incoming: Record<string, unknown> = {};
      const before: Record<string, unknown> = {};
      for (const f of COMPARED) {
        incoming[f] = (row as Record<string, unknown>)[f] ?? null;
        before[f] = (stored as unknown as Record<string, unknown>)[f] ?? null;
      }
      const { changed } = findOriginalFieldChanges(before, incoming);
      if (changed.length === 0) {
        counts.alreadyPresentCount += 1;
        lines.push([rowNo, ledgerNo, 'already_present', null, null, stored.importBatch]);
      } else {
        counts.conflictCount += 1;
        lines.push([rowNo, ledgerNo, 'conflict', null, null, changed]);
      }
    };

    const handle = async (row: SheetRow) => {
      if (isBlankRow(row.cells)) return;
      counts.totalRows += 1;
      const cells: Partial<Record<ImportField, unknown>> = {};
      for (const [f, i] of fieldColumns) cells[f] = row.cells[i] ?? null;
      const raw: Record<string, unknown> = {};
      for (let i = 0; i < row.cells.length; i += 1) {
        const v = row.cells[i];
        if (v === null || v === undefined || v === '') continue;
        raw[columnKeys[i] ?? `列${columnLetter(i)}`] = rawCell(v);
      }
      const result = validateRow(cells, { timeZone: cfg.timeZone, now, date1904 });
      if (!result.ok) {
        counts.errorCount += 1;
        for (const e of result.errors as RowError[]) lines.push([row.rowNo, result.ledgerNo, 'error', e.field, e.code, null]);
        return;
      }
      const first = firstRowOf.get(result.row.ledgerNo);
      if (first !== undefined) {
        counts.inFileDuplicateCount += 1;
        lines.push([row.rowNo, result.row.ledgerNo, 'in_file_duplicate', 'ledgerNo', null, first]);
        return;
      }
      firstRowOf.set(result.row.ledgerNo, row.rowNo);
      chunk.push({ rowNo: row.rowNo, row: result.row, raw });
      if (chunk.length >= CHUNK_ROWS) {
        await flush();
        if (counts.totalRows % GC_EVERY_ROWS < CHUNK_ROWS) collectGarbage();
        await yieldToEventLoop();
      }
      if (counts.totalRows % 256 === 0) await progress();
    };

    const t0 = Date.now();
    for (const row of found.pending) await handle(row);
    if (!found.exhausted) {
      for (;;) {
        const next = await found.iterator.next();
        if (next.done) break;
        // Only the first sheet with a header is imported; later sheets are read to the end so
        // the reader can clean up, but ignored.
        if (next.value.sheet !== found.sheet) continue;
        await handle(next.value);
      }
    }
    await flush();
    await Promise.all(staging);
    if (stagingError) throw stagingError;
    if (counts.totalRows === 0) throw importRefusal('no_data');
    // The file has been read: an uploaded copy is not kept a moment longer.
    reader.close();
    if (input.deleteFile !== false) await removeFile(input.filePath);

    const tParsed = Date.now();
    // Screening suggestions, against the batch and the ledger.
    await store().updateBatch(batchId, { progress: 88, totalRows: counts.totalRows });
    await store().analyze();
    const candidates = screening.length > 0 ? await store().screeningCandidates(batchId, DUPLICATE_WINDOW_DAYS * 86_400_000) : [];
    await yieldToEventLoop();
    const suggestions = screenBatch(screening, candidates);
    await yieldToEventLoop();

    // The chain of each new complaint starts with its `imported` event, hashed here.
    await store().updateBatch(batchId, { status: 'committing', progress: 92 });
    const at = new Date();
    const hashOf = importedEventHasher(code, input.actor, at);
    const commitRows: CommitRow[] = [];
    const suggested: SuggestionLine[] = [];
    for (let i = 0; i < screening.length; i += 1) {
      const s = screening[i];
      const sug = suggestions.get(s.rowNo as number) ?? null;
      commitRows.push({ rowNo: s.rowNo as number, hash: hashOf(s.ledgerNo, s.rowNo as number), suggestion: sug?.kind ?? null, suggestionRef: sug?.ref ?? null });
      if (sug) suggested.push([s.rowNo as number, s.ledgerNo, sug.kind, sug.reason, sug.ref]);
      if (i % 5000 === 4999) await yieldToEventLoop();
    }
    // The rows' texts are no longer needed: free them before the commit builds its statements.
    screening.length = 0;
    suggestions.clear();
    collectGarbage();
    const tScreened = Date.now();

    await strapi.db.transaction(async ({ trx }) => {
      const st = store();
      await st.lock(trx as any);
      const collisions = await st.collisions(trx as any, batchId);
      const skipped = new Set<number>();
      for (const c of collisions) {
        skipped.add(c.rowNo);
        const staged = c.staged as Record<string, unknown>;
        classifyExisting(c.rowNo, c.ledgerNo, staged, c.stored);
      }
      if (skipped.size > 0) await st.skip(trx as any, batchId, [...skipped]);
      const rows = skipped.size > 0 ? commitRows.filter((r) => !skipped.has(r.rowNo)) : commitRows;
      const insertedAt = new Date();
      const imported = await st.insertComplaints(trx as any, batchId, code, rows, insertedAt);
      if (imported !== rows.length) throw new Error(`imported ${imported} complaints, expected ${rows.length}`);
      const events = await st.insertEvents(trx as any, batchId, code, input.actor, at, insertedAt);
      if (events !== rows.length) throw new Error(`wrote ${events} imported events, expected ${rows.length}`);
      counts.importedCount = imported;
      const suggestionLines = skipped.size > 0 ? suggested.filter((l) => !skipped.has(l[0])) : suggested;
      counts.suggestionCount = suggestionLines.length;
      lines.sort((a, b) => a[0] - b[0]);
      const report: ImportReport = {
        version: REPORT_VERSION,
        sheet: found.sheetName,
        headerRow: found.headerRowNo,
        columns: Object.fromEntries(fieldColumns.map(([f, i]) => [f, labelOf(i)])),
        extraColumns: header.columns.filter((c) => !c.field && !/^列[A-Z]+$/.test(c.label)).map((c) => c.label),
        lines,
        suggestions: suggestionLines,
      };
      await st.updateBatch(batchId, { ...counts, status: 'done', progress: 100, finishedAt: new Date(), report }, trx as any);
      // In the same transaction: when the batch reads as done, its staged personal data is gone.
      await st.clearStaging(batchId, trx as any);
    });
    const tDone = Date.now();
    strapi.log.info(
      `[complaints] import ${code}: ${counts.totalRows} rows read and checked in ${tParsed - t0} ms, screened and hashed in ${tScreened - tParsed} ms, ` +
        `committed in ${tDone - tScreened} ms (${counts.importedCount} imported, ${counts.suggestionCount} suggestions)`
    );
  };

  /**
   * A batch that reads as running but has not moved for STALE_MS, and does not run in this
   * process, belongs to a server that stopped: it is failed (its commit never happened, or its
   * transaction was rolled back). Returns the batches still running.
   */
  const failStale = async (): Promise<number[]> => {
    const rows = (await strapi.db
      .connection('import_batches')
      .whereIn('status', ['queued', 'parsing', 'committing'])
      .select('id', 'updated_at', 'instance')) as Array<{ id: number; updated_at: unknown; instance: string | null }>;
    const active: number[] = [];
    for (const r of rows) {
      const id = Number(r.id);
      const v = r.updated_at;
      const updated = v instanceof Date ? v : new Date(typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)) ? Number(v) : String(v));
      const ownerGone = !running.has(id) && isDeadLocalInstance(r.instance);
      if (!ownerGone && (running.has(id) || Date.now() - updated.getTime() < STALE_MS)) {
        active.push(id);
        continue;
      }
      await store().clearStaging(id).catch(() => undefined);
      await fail(id, new DomainError('conflict', 'import_interrupted', '导入被中断（服务已停止）', 'the import was interrupted (the server stopped)'));
    }
    return active;
  };

  const fail = async (batchId: number, e: unknown) => {
    const reason = isDomainError(e) ? e.message : safeDbError(e, 'import').message.replace(/^\[complaints\] import failed: /, '');
    const failure = `导入失败，本批次未导入任何诉求 / The import failed and nothing of this batch was imported: ${reason}`.slice(0, 1000);
    strapi.log.error(`[complaints] import batch ${batchId} failed: ${reason.slice(0, 300)}`);
    await store().updateBatch(batchId, { status: 'failed', finishedAt: new Date(), failure }).catch(() => undefined);
  };

  return {
    /**
     * Checks the file and records the batch; resolves once the header is found (or rejects with
     * a refusal: nothing is recorded then). `done` settles when the batch is committed or failed.
     */
    async start(input: ImportInput): Promise<{ batchId: number; code: string; done: Promise<BatchStatus> }> {
      const cfg = getConfig(strapi);
      const now = input.now ?? new Date();
      let reader: LedgerReader | null = null;
      let batchId: number | null = null;
      try {
        const stat = await fs.promises.stat(input.filePath).catch(() => null);
        if (!stat) throw importRefusal('file_missing');
        if (stat.size === 0) throw importRefusal('file_empty');
        if (stat.size > cfg.import.maxFileBytes) throw importRefusal('file_too_large', { maxBytes: cfg.import.maxFileBytes });
        const sniffed = await sniffLedgerFile(input.filePath);
        const sha256 = await sha256File(input.filePath);
        reader = openLedgerReader(input.filePath, sniffed);
        let found: HeaderFound;
        try {
          found = await findHeader(reader);
        } catch (e) {
          if (isDomainError(e)) throw e;
          throw importRefusal('file_unreadable');
        }
        if (found.sheetDone && found.pending.every((r) => isBlankRow(r.cells))) {
          // Let the reader finish (it removes its temporary files at the end).
          if (!found.exhausted) for (let r = await found.iterator.next(); !r.done; r = await found.iterator.next());
          throw importRefusal('no_data');
        }
        const code = batchCode(now, cfg.timeZone);
        batchId = await store().createBatch({
          code,
          fileName: input.fileName.slice(0, 255),
          sha256,
          fileSize: stat.size,
          status: 'parsing',
          progress: 1,
          startedAt: now,
          importedById: input.importedById ?? null,
          importedByName: input.importedByName ?? input.actor.name ?? null,
          instance: INSTANCE_ID,
        });
        const id = batchId;
        const r = reader;
        const withSize = { ...input, fileSize: stat.size };
        const done = (async () => {
          try {
            await runBatch(id, code, withSize, found, r, now);
          } catch (e) {
            // Clean up before the batch reads as failed: whoever sees "failed" finds nothing left.
            r.close();
            await store().clearStaging(id).catch(() => undefined);
            if (input.deleteFile !== false) await removeFile(input.filePath);
            await fail(id, e);
          } finally {
            r.close();
            running.delete(id);
          }
          return (await this.status(id)) as BatchStatus;
        })();
        running.set(id, done);
        return { batchId: id, code, done };
      } catch (e) {
        reader?.close();
        if (input.deleteFile !== false) await removeFile(input.filePath);
        throw e;
      }
    },

    /** start() and wait for the outcome (command line, benchmark). */
    async run(input: ImportInput, onProgress?: (s: BatchStatus) => void): Promise<BatchStatus> {
      const { batchId, done } = await this.start(input);
      if (!onProgress) return done;
      const timer = setInterval(() => {
        this.status(batchId)
          .then((s) => s && onProgress(s))
          .catch(() => undefined);
      }, 1000);
      try {
        return await done;
      } finally {
        clearInterval(timer);
      }
    },

    async status(batchId: number): Promise<BatchStatus | null> {
      if (!running.has(batchId)) await failStale();
      const row = await strapi.db.query(UID.importBatch as any).findOne({ where: { id: batchId }, select: STATUS_FIELDS });
      return row ? toStatus(row as Record<string, any>) : null;
    },

    async list(limit = 20): Promise<BatchStatus[]> {
      await failStale();
      const rows = await strapi.db.query(UID.importBatch as any).findMany({ select: STATUS_FIELDS, orderBy: { id: 'desc' }, limit });
      return (rows as Array<Record<string, any>>).map(toStatus);
    },

    async report(batchId: number): Promise<{ status: BatchStatus; report: ImportReport | null } | null> {
      const row = (await strapi.db.query(UID.importBatch as any).findOne({ where: { id: batchId }, select: [...STATUS_FIELDS, 'report'] })) as Record<string, any> | null;
      if (!row) return null;
      let report = row.report ?? null;
      if (typeof report === 'string') report = JSON.parse(report);
      return { status: toStatus(row), report };
    },

    /** Earlier batches of the same file (by sha256). */
    async sameFile(batchId: number): Promise<Array<{ id: number; code: string; status: string }>> {
      const me = (await strapi.db.query(UID.importBatch as any).findOne({ where: { id: batchId }, select: ['sha256'] })) as { sha256: string } | null;
      if (!me?.sha256) return [];
      const rows = await strapi.db.query(UID.importBatch as any).findMany({ where: { sha256: me.sha256, id: { $lt: batchId } }, select: ['id', 'code', 'status'], orderBy: { id: 'asc' } });
      return (rows as Array<{ id: number; code: string; status: string }>).map((r) => ({ id: r.id, code: r.code, status: r.status }));
    },

    /** Batches left running by a stopped process are failed; staging rows no batch owns are removed. */
    async recover(): Promise<void> {
      const active = await failStale();
      await store().clearStagingExcept(active);
    },

    /** Waits for running imports (on shutdown), at most `ms`. */
    async shutdown(ms = 60_000): Promise<void> {
      if (running.size === 0) return;
      await Promise.race([Promise.allSettled([...running.values()]), new Promise((r) => setTimeout(r, ms).unref())]);
    },

    running: () => [...running.keys()],
  };
};
