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
import type { Core } from '@strapi/strapi';
import { calendarDay } from '../domain/calendar';
import { isDomainError } from '../domain/errors';
import type { Actor } from '../domain/history-chain';
import { importedEventHasher } from '../domain/import-event';
import { matchExisting } from '../domain/import-match';
import { importRefusal } from '../domain/import-refusals';
import { validateRow, type RowError, type ValidRow } from '../domain/import-row';
import { columnLetter, IMPORT_FIELDS, type ImportField } from '../domain/ledger-template';
import { DUPLICATE_WINDOW_DAYS, screenBatch, type ScreeningRow } from '../domain/screening';
import { rawCell } from '../import/cells';
import { sniffLedgerFile } from '../import/file-type';
import { findHeader, isBlankRow, type HeaderFound } from '../import/find-header';
import { openLedgerReader, type LedgerReader, type SheetRow } from '../import/readers';
import { getConfig, getService } from '../utils';
import { collectGarbage } from '../utils/collect-garbage';
import { INSTANCE_ID } from '../utils/instance';
import { REPORT_VERSION, type BatchStatus, type ImportCounts, type ImportReport, type ReportLine, type SuggestionLine } from './import-batches';
import type { CommitRow, StagedRow, StoredOriginal } from './import-store';

export type { BatchStatus, ImportCounts, ImportReport, ReportLine, SuggestionLine } from './import-batches';

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
const PROGRESS_EVERY_MS = 500;
/**
 * A full garbage collection, now and then during a large import (setting import.explicitGc, on by
 * default). Parsing a workbook allocates hundreds of megabytes of short-lived objects; left alone,
 * V8 lets the heap grow to several times the live data. Measured with `npm run bench:import --
 * --rows 50000 --per-row 200 --gc on|off` on PostgreSQL (2 shared cores): peak RSS 392 MB with
 * the collections, 520 MB without (+115 MB over the booted process instead of +248 MB). The
 * import took 17.1 s and 10.7 s, but the per-row creates of the same runs took 19.7 s and 11.4 s:
 * the machine's load, not the collections, made that difference.
 * Rows between two collections (utils/collect-garbage.ts).
 */
const GC_EVERY_ROWS = 20_000;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const sha256File = (filePath: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const h = createHash('sha256');
    fs.createReadStream(filePath)
      .on('data', (c) => h.update(c))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });

/** A batch code: county-local date and time plus a random suffix, e.g. IMP-20240506-103000-7f3a. */
const batchCode = (now: Date, timeZone: string): string => {
  const time = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    .format(now)
    .replace(/:/g, '');
  return `IMP-${calendarDay(now, timeZone).replace(/-/g, '')}-${time}-${randomBytes(2).toString('hex')}`;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => getService('import-store', strapi);
  const batches = () => getService('import-batches', strapi);

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
      const match = matchExisting(row as Record<string, unknown>, stored as unknown as Record<string, unknown>);
      if (match.kind === 'already_present') {
        counts.alreadyPresentCount += 1;
        lines.push([rowNo, ledgerNo, 'already_present', null, null, match.importBatch]);
      } else {
        counts.conflictCount += 1;
        lines.push([rowNo, ledgerNo, 'conflict', null, null, match.changed]);
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
        if (cfg.import.explicitGc && counts.totalRows % GC_EVERY_ROWS < CHUNK_ROWS) collectGarbage();
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
    if (cfg.import.explicitGc) collectGarbage();
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
            await batches().fail(id, e);
          } finally {
            r.close();
            batches().untrack(id);
          }
          return (await batches().status(id)) as BatchStatus;
        })();
        batches().track(id, done);
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
        batches()
          .status(batchId)
          .then((s) => s && onProgress(s))
          .catch(() => undefined);
      }, 1000);
      try {
        return await done;
      } finally {
        clearInterval(timer);
      }
    },

    /** Waits for the imports running in this process (on shutdown), at most `ms`. */
    shutdown: (ms?: number): Promise<void> => batches().shutdown(ms),
  };
};
