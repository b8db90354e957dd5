/**
 * Import batches (导入批次) as administrators see them: status, progress and counts, the list,
 * the result report, earlier batches of the same file, and the recovery of batches a stopped
 * server left running. The pipeline itself is services/importer.ts; it records here which
 * batches run in this process.
 */
import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../constants';
import { DomainError, isDomainError } from '../domain/errors';
import type { ImportField } from '../domain/ledger-template';
import type { Suggestion } from '../domain/screening';
import { getService, safeDbError } from '../utils';
import { isDeadLocalInstance } from '../utils/instance';

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

/** A running batch that has not moved for this long belongs to a server that stopped. */
const STALE_MS = 10 * 60_000;

const STATUS_FIELDS = [
  'id', 'code', 'fileName', 'sha256', 'fileSize', 'status', 'progress', 'totalRows', 'importedCount', 'alreadyPresentCount', 'conflictCount',
  'inFileDuplicateCount', 'errorCount', 'suggestionCount', 'importedById', 'importedByName', 'startedAt', 'finishedAt', 'failure',
];

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

export default ({ strapi }: { strapi: Core.Strapi }) => {
  /** Batches running in this process, each with the promise that settles when it ends. */
  const running = new Map<number, Promise<unknown>>();
  const store = () => getService('import-store', strapi);

  const fail = async (batchId: number, e: unknown) => {
    const reason = isDomainError(e) ? e.message : safeDbError(e, 'import').message.replace(/^\[complaints\] import failed: /, '');
    const failure = `导入失败，本批次未导入任何诉求 / The import failed and nothing of this batch was imported: ${reason}`.slice(0, 1000);
    strapi.log.error(`[complaints] import batch ${batchId} failed: ${reason.slice(0, 300)}`);
    await store().updateBatch(batchId, { status: 'failed', finishedAt: new Date(), failure }).catch(() => undefined);
  };

  /**
   * A batch that reads as running but has not moved for STALE_MS, and does not run in this
   * process, belongs to a server that stopped: it is failed (its commit never happened, or its
   * transaction was rolled back). A batch whose owner was a process on this host that no longer
   * runs is failed at once. Returns the batches still running.
   */
  const failStale = async (): Promise<number[]> => {
    const rows = (await strapi.db
      .connection(TABLE.importBatch)
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

  return {
    /** Records a batch running in this process; `done` settles when it ends. */
    track(batchId: number, done: Promise<unknown>): void {
      running.set(batchId, done);
    },

    /** The batch no longer runs here (committed or failed). */
    untrack(batchId: number): void {
      running.delete(batchId);
    },

    /** Marks a batch failed, with the reason (never personal data) in its failure text. */
    fail,

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

    /** Waits for the batches running in this process (on shutdown), at most `ms`. */
    async shutdown(ms = 60_000): Promise<void> {
      if (running.size === 0) return;
      await Promise.race([Promise.allSettled([...running.values()]), new Promise((r) => setTimeout(r, ms).unref())]);
    },

    running: () => [...running.keys()],
  };
};
