/**
 * Set-based writes for work over many rows (import, demo data, jobs). Rows are given with
 * attribute names; columns, Strapi's bookkeeping columns and link tables come from Strapi's
 * own metadata, so the stored form is the one Strapi itself writes.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { inTransaction, newDocumentId, safeDbError } from '../utils';

/**
 * Rows per multi-row INSERT. PostgreSQL accepts at most 65,535 bind parameters per statement.
 * SQLite accepts 32,766, and knex writes a multi-row insert as a compound SELECT, which SQLite
 * limits to 500 terms.
 */
export const batchSizeFor = (columns: number, client: string, cap = 5000): number => {
  const [maxParams, maxRows] = client === 'postgres' ? [60_000, cap] : [30_000, Math.min(cap, 500)];
  return Math.max(1, Math.min(maxRows, Math.floor(maxParams / Math.max(1, columns))));
};

/**
 * The number of columns a multi-row INSERT of these rows binds: the union of their keys. Rows
 * of one insert can differ (a received complaint has fewer fields than a closed one) and knex
 * writes every row with every column, so the first row's width undercounts the parameters.
 */
export const insertWidth = (rows: ReadonlyArray<Record<string, unknown>>): number => {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
  return keys.size;
};

/** A column set by `updateByIds`, with its PostgreSQL type (for the arrays it is sent in). */
export interface ByIdColumn {
  name: string;
  pgType: string;
}

const bindable = (v: unknown, client: string) => (v instanceof Date ? (client === 'postgres' ? v.toISOString() : v.getTime()) : v);

/**
 * A condition the row must still meet when it is written (optimistic concurrency): `columns`
 * travel with each row (after its set values) and `where` is SQL over the row as `t` and the
 * sent values as `v.<name>`. Rows that fail it are left as they are and not returned.
 */
export interface ByIdCheck {
  columns: ByIdColumn[];
  where: string;
}

/**
 * Sets columns of many rows by id in a few statements instead of one per row: PostgreSQL gets
 * one array per column (`UPDATE … FROM unnest(…)`, 20,000 rows a statement), SQLite a `VALUES`
 * list (500 rows a statement). `rows` are `[id, ...values in the order of columns, ...check
 * values]`; `constants` are set to the same value on every row. Returns the ids written.
 */
export const updateByIds = async (
  trx: Knex.Transaction,
  client: string,
  table: string,
  columns: ByIdColumn[],
  rows: unknown[][],
  constants: Array<ByIdColumn & { value: unknown }> = [],
  check?: ByIdCheck
): Promise<number[]> => {
  if (rows.length === 0) return [];
  const names = [...columns.map((c, i) => `v${i}`), ...(check?.columns ?? []).map((c) => c.name)];
  const types = [...columns, ...(check?.columns ?? [])].map((c) => c.pgType);
  const sets = [
    ...columns.map((c, i) => `${c.name} = v.${names[i]}`),
    ...constants.map((c) => `${c.name} = ?${client === 'postgres' ? `::${c.pgType}` : ''}`),
  ].join(', ');
  const where = `t.id = v.id${check ? ` AND (${check.where})` : ''}`;
  const constantValues = constants.map((c) => bindable(c.value, client));
  const written: number[] = [];
  const collect = (res: any) => {
    for (const r of Array.isArray(res) ? res : res?.rows ?? []) written.push(Number(r.id));
  };
  if (client === 'postgres') {
    for (let i = 0; i < rows.length; i += 20_000) {
      const chunk = rows.slice(i, i + 20_000);
      const arrays = ['?::int[]', ...types.map((t) => `?::${t}[]`)].join(', ');
      collect(
        await trx.raw(`UPDATE ${table} AS t SET ${sets} FROM unnest(${arrays}) AS v(id, ${names.join(', ')}) WHERE ${where} RETURNING t.id`, [
          ...constantValues,
          chunk.map((r) => r[0]),
          ...names.map((_, k) => chunk.map((r) => bindable(r[k + 1], client))),
        ])
      );
    }
    return written;
  }
  // `t.id IN (SELECT id FROM v)` makes SQLite find each row by its id (the rowid). Without it,
  // a check on an indexed column (state) leads it to walk that index and probe the sent rows.
  const placeholders = `(${['?', ...names.map(() => '?')].join(', ')})`;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    collect(
      await trx.raw(
        `WITH v(id, ${names.join(', ')}) AS (VALUES ${chunk.map(() => placeholders).join(', ')}) UPDATE ${table} AS t SET ${sets} FROM v WHERE t.id IN (SELECT id FROM v) AND ${where} RETURNING id`,
        [...chunk.flatMap((r) => r.map((x) => bindable(x, client))), ...constantValues]
      )
    );
  }
  return written;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const meta = (uid: string) => strapi.db.metadata.get(uid as any) as any;

  const columnOf = (uid: string, attribute: string): string => {
    const attr = meta(uid).attributes[attribute];
    if (!attr || attr.type === 'relation') throw new Error(`[complaints] ${uid} has no scalar attribute "${attribute}"`);
    return attr.columnName ?? attribute;
  };

  const toRow = (uid: string, data: Record<string, unknown>, now: Date): Record<string, unknown> => {
    const m = meta(uid);
    const row: Record<string, unknown> = {
      document_id: newDocumentId(),
      created_at: now,
      updated_at: now,
      published_at: now,
    };
    for (const [key, value] of Object.entries(data)) {
      const attr = m.attributes[key];
      if (!attr || attr.type === 'relation') throw new Error(`[complaints] ${uid} has no scalar attribute "${key}"`);
      const col = attr.columnName ?? key;
      if (attr.type === 'json') row[col] = value === undefined || value === null ? null : JSON.stringify(value);
      else row[col] = value === undefined ? null : value;
    }
    return row;
  };

  const withTrx = <T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> => inTransaction(strapi, fn);

  return {
    tableOf: (uid: string): string => meta(uid).tableName,
    columnOf,

    /** Inserts rows (attribute names) in parameter-safe batches; returns the new ids in order. */
    async insert(uid: string, rows: Array<Record<string, unknown>>, opts: { now?: Date } = {}): Promise<number[]> {
      if (rows.length === 0) return [];
      const now = opts.now ?? new Date();
      const table = meta(uid).tableName;
      const prepared = rows.map((r) => toRow(uid, r, now));
      const size = batchSizeFor(insertWidth(prepared) + 1, strapi.db.dialect.client);
      const ids: number[] = [];
      await withTrx(async (trx) => {
        for (let i = 0; i < prepared.length; i += size) {
          const chunk = prepared.slice(i, i + size);
          let res: Array<number | { id: number }>;
          try {
            res = (await trx(table).insert(chunk).returning('id')) as Array<number | { id: number }>;
          } catch (e) {
            throw safeDbError(e, `bulk insert into ${table}`);
          }
          for (const r of res) ids.push(typeof r === 'object' ? Number(r.id) : Number(r));
        }
      });
      return ids;
    },

    /** Links rows through a relation's link table: pairs of [owner id, target id]. */
    async link(uid: string, attribute: string, pairs: Array<[number, number]>): Promise<void> {
      if (pairs.length === 0) return;
      const attr = meta(uid).attributes[attribute];
      if (!attr?.joinTable) throw new Error(`[complaints] ${uid}.${attribute} is not a relation with a link table`);
      const jt = attr.joinTable;
      const ownOrder: string | undefined = jt.orderColumnName;
      const invOrder: string | undefined = jt.inverseOrderColumnName;
      const invCount = new Map<number, number>();
      const ownCount = new Map<number, number>();
      const rows = pairs.map(([from, to]) => {
        const row: Record<string, unknown> = { [jt.joinColumn.name]: from, [jt.inverseJoinColumn.name]: to };
        if (ownOrder) {
          const n = (ownCount.get(from) ?? 0) + 1;
          ownCount.set(from, n);
          row[ownOrder] = n;
        }
        if (invOrder) {
          const n = (invCount.get(to) ?? 0) + 1;
          invCount.set(to, n);
          row[invOrder] = n;
        }
        return row;
      });
      const size = batchSizeFor(insertWidth(rows), strapi.db.dialect.client);
      await withTrx(async (trx) => {
        for (let i = 0; i < rows.length; i += size) await trx(jt.name).insert(rows.slice(i, i + size));
      });
    },

    /** Removes every link of the given owners for a relation (used when a relation is replaced). */
    async unlink(uid: string, attribute: string, ownerIds: number[]): Promise<void> {
      if (ownerIds.length === 0) return;
      const jt = meta(uid).attributes[attribute]?.joinTable;
      if (!jt) throw new Error(`[complaints] ${uid}.${attribute} is not a relation with a link table`);
      await withTrx(async (trx) => {
        for (let i = 0; i < ownerIds.length; i += 5000) {
          await trx(jt.name).whereIn(jt.joinColumn.name, ownerIds.slice(i, i + 5000)).del();
        }
      });
    },

    linkTable(uid: string, attribute: string): { name: string; ownerColumn: string; targetColumn: string } {
      const jt = meta(uid).attributes[attribute]?.joinTable;
      if (!jt) throw new Error(`[complaints] ${uid}.${attribute} is not a relation with a link table`);
      return { name: jt.name, ownerColumn: jt.joinColumn.name, targetColumn: jt.inverseJoinColumn.name };
    },
  };
};
