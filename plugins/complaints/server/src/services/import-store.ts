/**
 * The database side of the ledger import. Rows are parsed and checked without holding a write
 * lock and parked in a staging table (complaint_import_rows: a plain table Strapi leaves alone,
 * unlogged on PostgreSQL; created by database/migrations). The commit then moves a whole batch in one short transaction of
 * set-based statements: INSERT … SELECT of the complaints (with their chain heads) and of their
 * `imported` events. Staging rows hold personal data only while a batch runs; they are deleted
 * when it ends, whatever the outcome.
 *
 * Every step is a method of this service, called through the service, so a test can make one
 * of them fail midway and watch the transaction leave nothing behind.
 */
import type { Core } from '@strapi/strapi';
import { INITIAL_STATE } from '../domain/complaint-state';
import type { Knex } from 'knex';
import { TABLE, UID } from '../constants';
import { GENESIS_HASH, type Actor } from '../domain/history-chain';
import type { ValidRow } from '../domain/import-row';
import type { ScreeningRow } from '../domain/screening';
import { isPostgres, safeDbError } from '../utils';
import { batchSizeFor } from './bulk';

export const STAGING_TABLE = 'complaint_import_rows';
const BATCHES_TABLE = TABLE.importBatch;

export interface StagedRow {
  rowNo: number;
  row: ValidRow;
  raw: Record<string, unknown>;
}

/** A stored complaint's originals, to tell "already present" from "conflict". */
export interface StoredOriginal {
  ledgerNo: string;
  receivedAt: unknown;
  channel: string | null;
  complainantName: string | null;
  phone: string | null;
  town: string | null;
  village: string | null;
  address: string | null;
  content: string | null;
  importBatch: string | null;
}

export interface CommitRow {
  rowNo: number;
  hash: string;
  suggestion: string | null;
  suggestionRef: string | null;
}

export interface Collision {
  rowNo: number;
  ledgerNo: string;
  staged: Record<string, unknown>;
  stored: StoredOriginal;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A Date as the wall-clock time node-postgres sends for it (the process's local time), so a value
 * that goes through JSON is stored like one Strapi binds itself. No offset: the staging column is
 * a `timestamp` without time zone, whose input ignores one. (County-zone conversions are
 * domain/ledger-date.ts's.)
 */
export const pgTimestamp = (d: Date): string =>
  `${pad(d.getFullYear(), 4)}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;

const ORIGINAL_SELECT = ['ledger_no', 'received_at', 'channel', 'complainant_name', 'phone', 'town', 'village', 'address', 'content', 'import_batch'];

const toStored = (r: Record<string, any>, prefix = ''): StoredOriginal => ({
  ledgerNo: r[`${prefix}ledger_no`],
  receivedAt: r[`${prefix}received_at`],
  channel: r[`${prefix}channel`] ?? null,
  complainantName: r[`${prefix}complainant_name`] ?? null,
  phone: r[`${prefix}phone`] ?? null,
  town: r[`${prefix}town`] ?? null,
  village: r[`${prefix}village`] ?? null,
  address: r[`${prefix}address`] ?? null,
  content: r[`${prefix}content`] ?? null,
  importBatch: r[`${prefix}import_batch`] ?? null,
});

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const isPg = () => isPostgres(strapi);
  const col = (attribute: string): string => {
    const attr = (strapi.db.metadata.get(UID.complaint as any) as any).attributes[attribute];
    return attr?.columnName ?? attribute;
  };

  return {
    /** Parks checked rows of a batch (each call is its own short statement). */
    async stage(batchId: number, rows: StagedRow[]): Promise<void> {
      if (rows.length === 0) return;
      const k = knex();
      try {
        if (isPg()) {
          const payload = JSON.stringify(
            rows.map(({ rowNo, row, raw }) => ({
              row_no: rowNo,
              ledger_no: row.ledgerNo,
              received_at: pgTimestamp(row.receivedAt),
              channel: row.channel,
              complainant_name: row.complainantName,
              phone: row.phone,
              town: row.town,
              village: row.village,
              address: row.address,
              content: row.content,
              raw_row: raw,
              traceable: row.traceable,
            }))
          );
          await k.raw(
            `INSERT INTO ${STAGING_TABLE} (batch_id, row_no, status, ledger_no, received_at, channel, complainant_name, phone, town, village, address, content, raw_row, traceable)
             SELECT ?::int, x.row_no, 'new', x.ledger_no, x.received_at, x.channel, x.complainant_name, x.phone, x.town, x.village, x.address, x.content, x.raw_row, x.traceable
             FROM jsonb_to_recordset(?::jsonb) AS x(row_no int, ledger_no text, received_at timestamp, channel text, complainant_name text, phone text,
               town text, village text, address text, content text, raw_row jsonb, traceable boolean)`,
            [batchId, payload]
          );
          return;
        }
        const records = rows.map(({ rowNo, row, raw }) => ({
          batch_id: batchId,
          row_no: rowNo,
          status: 'new',
          ledger_no: row.ledgerNo,
          received_at: row.receivedAt,
          channel: row.channel,
          complainant_name: row.complainantName,
          phone: row.phone,
          town: row.town,
          village: row.village,
          address: row.address,
          content: row.content,
          raw_row: JSON.stringify(raw),
          traceable: row.traceable,
        }));
        const size = batchSizeFor(Object.keys(records[0]).length, 'sqlite');
        for (let i = 0; i < records.length; i += size) await k(STAGING_TABLE).insert(records.slice(i, i + size));
      } catch (e) {
        throw safeDbError(e, 'import staging');
      }
    },

    /** The originals of the complaints that already have one of these ledger numbers. */
    async existing(ledgerNos: string[], trx?: Knex.Transaction): Promise<Map<string, StoredOriginal>> {
      const out = new Map<string, StoredOriginal>();
      const k = trx ?? knex();
      for (let i = 0; i < ledgerNos.length; i += 5000) {
        const rows = (await k(TABLE.complaint).select(ORIGINAL_SELECT).whereIn('ledger_no', ledgerNos.slice(i, i + 5000))) as Array<Record<string, any>>;
        for (const r of rows) out.set(r.ledger_no, toStored(r));
      }
      return out;
    },

    /**
     * Complaints already in the ledger that could be the original of a staged row: the same
     * phone, or the same village within the batch's period (widened by `windowMs`).
     */
    async screeningCandidates(batchId: number, windowMs: number): Promise<ScreeningRow[]> {
      const k = knex();
      const range = (await k(STAGING_TABLE).where({ batch_id: batchId, status: 'new' }).min({ lo: 'received_at' }).max({ hi: 'received_at' }).first()) as
        | { lo: unknown; hi: unknown }
        | undefined;
      if (!range || range.lo === null || range.lo === undefined) return [];
      const toDate = (v: unknown) => (v instanceof Date ? v : new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string | number)));
      const lo = new Date(toDate(range.lo).getTime() - windowMs);
      const hi = new Date(toDate(range.hi).getTime() + windowMs);
      const select = ['id', 'ledger_no', 'phone', 'town', 'village', 'address', 'received_at', 'content', 'traceable'];
      const out = new Map<string, ScreeningRow>();
      const add = (r: Record<string, any>) => {
        if (out.has(r.ledger_no)) return;
        out.set(r.ledger_no, {
          rowNo: null,
          ledgerNo: r.ledger_no,
          phone: r.phone ?? null,
          town: r.town ?? null,
          village: r.village ?? null,
          address: r.address ?? null,
          receivedAt: toDate(r.received_at).getTime(),
          content: r.content ?? '',
          traceable: r.traceable === true || r.traceable === 1,
        });
      };
      const page = async (build: (q: Knex.QueryBuilder) => Knex.QueryBuilder) => {
        let lastId = 0;
        for (;;) {
          const rows = (await build(k(TABLE.complaint).select(select).where('id', '>', lastId)).orderBy('id').limit(5000)) as Array<Record<string, any>>;
          rows.forEach(add);
          if (rows.length < 5000) break;
          lastId = Number(rows[rows.length - 1].id);
        }
      };
      const staged = () => k(STAGING_TABLE).where({ batch_id: batchId, status: 'new' });
      await page((q) => q.whereIn('phone', staged().clone().where('traceable', true).whereNotNull('phone').select('phone')));
      await page((q) => q.whereIn('village', staged().clone().whereNotNull('village').distinct('village')).whereBetween('received_at', [lo, hi]));
      return [...out.values()];
    },

    /**
     * Serialises commits (PostgreSQL; SQLite has a single writer anyway). The batch's tables have
     * no planner statistics yet (the rows arrived seconds ago), and a nested loop over 100,000
     * rows would run for minutes: this transaction's joins are hash joins.
     */
    async lock(trx: Knex.Transaction): Promise<void> {
      if (!isPg()) return;
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['minyi:import-commit']);
      await trx.raw('SET LOCAL enable_nestloop = off');
      await trx.raw("SET LOCAL work_mem = '64MB'");
    },

    /** Staged rows whose ledger number was taken since they were checked (another batch, a hand entry). */
    async collisions(trx: Knex.Transaction, batchId: number): Promise<Collision[]> {
      const rows = (await trx(`${STAGING_TABLE} as s`)
        .join(`${TABLE.complaint} as c`, 'c.ledger_no', 's.ledger_no')
        .where({ 's.batch_id': batchId, 's.status': 'new' })
        .select([
          's.row_no',
          ...ORIGINAL_SELECT.filter((c) => c !== 'import_batch').map((c) => `s.${c} as s_${c}`),
          ...ORIGINAL_SELECT.map((c) => `c.${c} as c_${c}`),
        ])) as Array<Record<string, any>>;
      return rows.map((r) => ({ rowNo: Number(r.row_no), ledgerNo: r.s_ledger_no, staged: toStored(r, 's_') as unknown as Record<string, unknown>, stored: toStored(r, 'c_') }));
    },

    async skip(trx: Knex.Transaction, batchId: number, rowNos: number[]): Promise<void> {
      for (let i = 0; i < rowNos.length; i += 5000) {
        await trx(STAGING_TABLE).where('batch_id', batchId).whereIn('row_no', rowNos.slice(i, i + 5000)).update({ status: 'skip' });
      }
    },

    /** INSERT … SELECT of the batch's new complaints, chain head included. Returns the count. */
    async insertComplaints(trx: Knex.Transaction, batchId: number, code: string, rows: CommitRow[], now: Date): Promise<number> {
      const c = col;
      const columns = [
        'document_id', 'created_at', 'updated_at', 'published_at',
        c('ledgerNo'), c('receivedAt'), c('channel'), c('complainantName'), c('phone'), c('town'), c('village'), c('address'), c('content'),
        c('importBatch'), c('rawRow'), c('state'), c('traceable'), c('suggestion'), c('suggestionRef'), c('warningLevel'),
        c('reopenCount'), c('sendBackCount'), c('returnCount'), c('chainSeq'), c('chainHash'),
      ].join(', ');
      try {
        if (isPg()) {
          const source = JSON.stringify(rows.map((r) => ({ row_no: r.rowNo, hash: r.hash, suggestion: r.suggestion, suggestion_ref: r.suggestionRef })));
          const res = await trx.raw(
            `INSERT INTO ${TABLE.complaint} (${columns})
             SELECT substr(md5(random()::text || clock_timestamp()::text || s.row_no::text), 1, 24), ?::timestamp, ?::timestamp, ?::timestamp,
               s.ledger_no, s.received_at, s.channel, s.complainant_name, s.phone, s.town, s.village, s.address, s.content,
               ?::varchar, s.raw_row, '${INITIAL_STATE}', s.traceable, h.suggestion, h.suggestion_ref, 'none', 0, 0, 0, 1, h.hash
             FROM jsonb_to_recordset(?::jsonb) AS h(row_no int, hash text, suggestion text, suggestion_ref text)
             JOIN ${STAGING_TABLE} AS s ON s.batch_id = ?::int AND s.row_no = h.row_no
             WHERE s.status = 'new'
             ORDER BY s.row_no`,
            [now, now, now, code, source, batchId]
          );
          return Number(res.rowCount);
        }
        const source = JSON.stringify(Object.fromEntries(rows.map((r) => [String(r.rowNo), [r.hash, r.suggestion, r.suggestionRef]])));
        const res = await trx.raw(
          `INSERT INTO ${TABLE.complaint} (${columns})
           SELECT lower(hex(randomblob(12))), ?, ?, ?,
             s.ledger_no, s.received_at, s.channel, s.complainant_name, s.phone, s.town, s.village, s.address, s.content,
             ?, s.raw_row, '${INITIAL_STATE}', s.traceable, h.suggestion, h.suggestion_ref, 'none', 0, 0, 0, 1, h.hash
           FROM (SELECT CAST(j.key AS INTEGER) AS row_no, json_extract(j.value, '$[0]') AS hash, json_extract(j.value, '$[1]') AS suggestion,
                   json_extract(j.value, '$[2]') AS suggestion_ref FROM json_each(?) AS j) AS h
           CROSS JOIN ${STAGING_TABLE} AS s
           WHERE s.batch_id = ? AND s.row_no = h.row_no AND s.status = 'new'
           ORDER BY s.row_no`,
          [now, now, now, code, source, batchId]
        );
        return Number((res as { changes: number }).changes);
      } catch (e) {
        throw safeDbError(e, 'import of complaints');
      }
    },

    /**
     * INSERT … SELECT of the first history event (`imported`, seq 1) of each new complaint; its
     * hash is the chain head just written on the complaint.
     */
    async insertEvents(trx: Knex.Transaction, batchId: number, code: string, actor: Actor, at: Date, now: Date): Promise<number> {
      const columns =
        'document_id, created_at, updated_at, published_at, complaint_id, ledger_no, seq, type, actor_kind, actor_id, actor_name, actor_unit_id, actor_unit_name, at, from_state, to_state, data, prev_hash, hash';
      const actorValues = [actor.kind, actor.id ?? null, actor.name ?? null, actor.unitId ?? null, actor.unitName ?? null];
      try {
        if (isPg()) {
          const res = await trx.raw(
            `INSERT INTO ${TABLE.event} (${columns})
             SELECT substr(md5(random()::text || clock_timestamp()::text || c.id::text), 1, 24), ?::timestamp, ?::timestamp, ?::timestamp,
               c.id, c.ledger_no, 1, 'imported', ?::varchar, ?::int, ?::varchar, ?::int, ?::varchar, ?::timestamp, NULL, 'received',
               jsonb_build_object('importBatch', ?::text, 'row', s.row_no), ?::varchar, c.chain_hash
             FROM ${STAGING_TABLE} AS s JOIN ${TABLE.complaint} AS c ON c.ledger_no = s.ledger_no
             WHERE s.batch_id = ?::int AND s.status = 'new' AND c.import_batch = ?::varchar
             ORDER BY c.id`,
            [now, now, now, ...actorValues, at, code, GENESIS_HASH, batchId, code]
          );
          return Number(res.rowCount);
        }
        const res = await trx.raw(
          `INSERT INTO ${TABLE.event} (${columns})
           SELECT lower(hex(randomblob(12))), ?, ?, ?, c.id, c.ledger_no, 1, 'imported', ?, ?, ?, ?, ?, ?, NULL, 'received',
             json_object('importBatch', ?, 'row', s.row_no), ?, c.chain_hash
           FROM ${STAGING_TABLE} AS s CROSS JOIN ${TABLE.complaint} AS c
           WHERE s.batch_id = ? AND s.status = 'new' AND c.ledger_no = s.ledger_no AND c.import_batch = ?
           ORDER BY c.id`,
          [now, now, now, ...actorValues, at, code, GENESIS_HASH, batchId, code]
        );
        return Number((res as { changes: number }).changes);
      } catch (e) {
        throw safeDbError(e, 'import of history events');
      }
    },

    /** Fresh planner statistics for the staging table (PostgreSQL does not analyse it in time). */
    async analyze(): Promise<void> {
      await knex().raw(`ANALYZE ${STAGING_TABLE}`);
    },

    async createBatch(data: Record<string, unknown>): Promise<number> {
      const [id] = await strapi.plugin('complaints').service('bulk').insert(UID.importBatch, [data]);
      return id;
    },

    /** Writes batch fields (attribute names), in `trx` when given. */
    async updateBatch(batchId: number, patch: Record<string, unknown>, trx?: Knex.Transaction): Promise<void> {
      const meta = strapi.db.metadata.get(UID.importBatch as any) as any;
      const row: Record<string, unknown> = { updated_at: new Date() };
      for (const [key, value] of Object.entries(patch)) {
        const attr = meta.attributes[key];
        const column = attr?.columnName ?? key;
        row[column] = attr?.type === 'json' && value !== null && value !== undefined ? JSON.stringify(value) : value;
      }
      await (trx ?? knex())(BATCHES_TABLE).where('id', batchId).update(row);
    },

    async clearStaging(batchId: number, trx?: Knex.Transaction): Promise<void> {
      await (trx ?? knex())(STAGING_TABLE).where('batch_id', batchId).del();
    },

    /** Staging rows of batches that are no longer running (after a crash or a restart). */
    async clearStagingExcept(activeBatchIds: number[]): Promise<number> {
      const q = knex()(STAGING_TABLE);
      if (activeBatchIds.length > 0) q.whereNotIn('batch_id', activeBatchIds);
      return Number(await q.del());
    },
  };
};
