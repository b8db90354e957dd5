/**
 * The append-only, hash-chained history of each complaint. Every write to a complaint goes
 * with one call here, in the same transaction. The chain head (chainSeq, chainHash) on the
 * complaint row is read with a row lock on PostgreSQL (SQLite has a single writer), so
 * concurrent appends to one complaint queue up instead of forking the chain.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE, UID } from '../constants';
import { nextEvent, type HashedEvent, type NewEvent } from '../domain/history-chain';
import { inTransaction, isPostgres, newDocumentId, safeDbError } from '../utils';
import { batchSizeFor, insertWidth, updateByIds } from './bulk';

export interface ChainHead {
  id: number;
  ledgerNo: string;
  chainSeq: number;
  chainHash: string | null;
}

/** The stored row of a chained event (column names). */
export const eventRow = (complaintId: number, e: HashedEvent, now: Date) => ({
  document_id: newDocumentId(),
  created_at: now,
  updated_at: now,
  published_at: now,
  complaint_id: complaintId,
  ledger_no: e.ledgerNo,
  seq: e.seq,
  type: e.type,
  actor_kind: e.actorKind,
  actor_id: e.actorId,
  actor_name: e.actorName,
  actor_unit_id: e.actorUnitId,
  actor_unit_name: e.actorUnitName,
  at: new Date(e.at),
  from_state: e.fromState,
  to_state: e.toState,
  data: JSON.stringify(e.data ?? {}),
  prev_hash: e.prevHash,
  hash: e.hash,
});

/** Inserts stored event rows (eventRow) in multi-row inserts of a parameter-safe size. */
export const insertEventRows = async (trx: Knex.Transaction, client: string, rows: Array<Record<string, unknown>>): Promise<void> => {
  if (rows.length === 0) return;
  const size = batchSizeFor(insertWidth(rows) + 1, client);
  for (let i = 0; i < rows.length; i += size) {
    try {
      await trx(TABLE.event).insert(rows.slice(i, i + size));
    } catch (e) {
      throw safeDbError(e, 'history append');
    }
  }
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const isPg = () => isPostgres(strapi);

  const inTrx = <T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> => inTransaction(strapi, fn);

  const readHeads = async (trx: Knex.Transaction, ids: number[]): Promise<Map<number, ChainHead>> => {
    const out = new Map<number, ChainHead>();
    for (let i = 0; i < ids.length; i += 5000) {
      let q = trx(TABLE.complaint)
        .select('id', 'ledger_no', 'chain_seq', 'chain_hash')
        .whereIn('id', ids.slice(i, i + 5000))
        .orderBy('id');
      if (isPg()) q = q.forUpdate();
      for (const r of (await q) as any[]) {
        out.set(Number(r.id), { id: Number(r.id), ledgerNo: r.ledger_no, chainSeq: Number(r.chain_seq ?? 0), chainHash: r.chain_hash ?? null });
      }
    }
    return out;
  };

  const writeHeads = (trx: Knex.Transaction, heads: Array<{ id: number; seq: number; hash: string }>) =>
    updateByIds(
      trx,
      strapi.db.dialect.client,
      TABLE.complaint,
      [{ name: 'chain_seq', pgType: 'int' }, { name: 'chain_hash', pgType: 'varchar' }],
      heads.map((h) => [h.id, h.seq, h.hash])
    );

  const insertEvents = (trx: Knex.Transaction, rows: Array<Record<string, unknown>>) => insertEventRows(trx, strapi.db.dialect.client, rows);

  return {
    /** Appends one event to one complaint's chain; returns the stored event. */
    async append(complaintId: number, ev: NewEvent): Promise<HashedEvent> {
      const [stored] = await this.appendMany([{ complaintId, event: ev }]);
      return stored;
    },

    /**
     * Appends events to many complaints (several to one complaint are chained in the given
     * order) in one transaction, with bulk inserts and one head update per complaint.
     */
    async appendMany(items: Array<{ complaintId: number; event: NewEvent }>): Promise<HashedEvent[]> {
      if (items.length === 0) return [];
      return inTrx(async (trx) => {
        const ids = Array.from(new Set(items.map((i) => i.complaintId)));
        const heads = await readHeads(trx, ids);
        const now = new Date();
        const rows: Array<Record<string, unknown>> = [];
        const out: HashedEvent[] = [];
        for (const item of items) {
          const head = heads.get(item.complaintId);
          if (!head) throw new Error(`[complaints] complaint ${item.complaintId} not found for history append`);
          const e = nextEvent(head.ledgerNo, head.chainSeq, head.chainHash, item.event);
          head.chainSeq = e.seq;
          head.chainHash = e.hash;
          rows.push(eventRow(item.complaintId, e, now));
          out.push(e);
        }
        await insertEvents(trx, rows);
        await writeHeads(
          trx,
          ids.map((id) => ({ id, seq: heads.get(id)!.chainSeq, hash: heads.get(id)!.chainHash! }))
        );
        return out;
      });
    },

    /**
     * First events of complaints that were just inserted with chainSeq 0 (import, demo):
     * the chain is computed in memory, events are inserted in bulk and heads are set.
     */
    async appendToNew(items: Array<{ complaintId: number; ledgerNo: string; events: NewEvent[] }>): Promise<number> {
      if (items.length === 0) return 0;
      return inTrx(async (trx) => {
        const now = new Date();
        const rows: Array<Record<string, unknown>> = [];
        const heads: Array<{ id: number; seq: number; hash: string }> = [];
        for (const item of items) {
          let seq = 0;
          let hash: string | null = null;
          for (const ev of item.events) {
            const e = nextEvent(item.ledgerNo, seq, hash, ev);
            rows.push(eventRow(item.complaintId, e, now));
            seq = e.seq;
            hash = e.hash;
          }
          if (seq > 0) heads.push({ id: item.complaintId, seq, hash: hash! });
        }
        await insertEvents(trx, rows);
        await writeHeads(trx, heads);
        return rows.length;
      });
    },

    /** A complaint's events in order (for the admin and the verifier). */
    async list(complaintId: number) {
      return strapi.db.query(UID.event as any).findMany({ where: { complaintId }, orderBy: { seq: 'asc' } });
    },
  };
};
