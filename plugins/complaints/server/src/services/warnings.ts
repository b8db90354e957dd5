/**
 * The warning run (预警): recomputes the level of every complaint whose clock runs, in
 * set-based SQL, in the county's time zone, and writes one `warning_changed` event per
 * complaint whose level actually changed.
 *
 * The rule lives in domain/warning-level.ts; here it becomes one CASE over three cut-off days
 * per clock, so the database compares stored dates with constants. Work goes by id ranges,
 * one transaction each: a range's changed rows are selected (and locked on PostgreSQL), their
 * events are chained in memory, inserted in bulk, and the rows get their new level and chain
 * head in one UPDATE. Only rows whose level changes are written.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE } from '../constants';
import { calendarDay, isCalendarDay, toCalendarDay } from '../domain/calendar';
import { nextEvent, type HashedEvent } from '../domain/history-chain';
import {
  CLOCK_STATES,
  NO_CLOCK_MODE,
  warningChangedEvent,
  warningCutoffs,
  type WarningCutoffs,
  type WarningLevel,
} from '../domain/warning-level';
import { getConfig, inTransaction, newDocumentId, safeDbError } from '../utils';
import { batchSizeFor, updateByIds } from './bulk';
import { eventRow } from './history';

export interface WarningRunResult {
  today: string;
  changed: number;
  /** Changes by new level. */
  to: Record<WarningLevel, number>;
  durationMs: number;
}

export interface UnitWarnings {
  unitId: number | null;
  code: string | null;
  name: string | null;
  yellow: number;
  orange: number;
  red: number;
  /** Sum over this unit's red complaints of the days past their deadline. */
  overdueDays: number;
}

const LEVELS: WarningLevel[] = ['none', 'yellow', 'orange', 'red'];

const assertDay = (d: string): string => {
  // Cut-off days are embedded in the SQL as literals: they must be exactly YYYY-MM-DD.
  if (!isCalendarDay(d)) throw new Error(`[complaints] not a calendar day: ${d}`);
  return d;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const isPg = () => strapi.db.dialect.client === 'postgres';
  const lit = (d: string) => (isPg() ? `DATE '${assertDay(d)}'` : `'${assertDay(d)}'`);

  const levelCase = (column: string, c: WarningCutoffs): string =>
    `CASE WHEN ${column} IS NULL THEN 'none' WHEN ${column} < ${lit(c.red)} THEN 'red' ` +
    `WHEN ${column} < ${lit(c.orange)} THEN 'orange' WHEN ${column} < ${lit(c.yellow)} THEN 'yellow' ELSE 'none' END`;

  /** The SQL of domain/warning-level.ts#jobWarningLevel for rows in a clock state. */
  const targetSql = (today: string) => {
    const cfg = getConfig(strapi);
    const response = warningCutoffs(today, cfg.warnings.response);
    const measure = warningCutoffs(today, cfg.warnings.measure);
    return (
      `CASE WHEN state = '${CLOCK_STATES.response}' THEN ${levelCase('response_deadline', response)} ` +
      `WHEN mode = '${NO_CLOCK_MODE}' THEN 'none' ` +
      `ELSE ${levelCase('deadline', measure)} END`
    );
  };

  const clockStates = `('${CLOCK_STATES.response}', '${CLOCK_STATES.measure}')`;

  const rowsOf = (res: any): any[] => (Array.isArray(res) ? res : res?.rows ?? []);

  const insertEvents = async (trx: Knex.Transaction, events: Array<{ complaintId: number; e: HashedEvent }>, now: Date) => {
    if (events.length === 0) return;
    if (isPg()) {
      // One statement per 20k events: arrays, not bind parameters per value.
      for (let i = 0; i < events.length; i += 20_000) {
        const chunk = events.slice(i, i + 20_000);
        const col = <T>(f: (x: { complaintId: number; e: HashedEvent }) => T) => chunk.map(f);
        await trx.raw(
          `INSERT INTO ${TABLE.event} (document_id, created_at, updated_at, published_at, complaint_id, ledger_no, seq, type,
             actor_kind, actor_name, at, from_state, to_state, data, prev_hash, hash)
           SELECT d, ?::timestamptz, ?::timestamptz, ?::timestamptz, c, l, s, t, k, n, a, f, o, j::jsonb, p, h
           FROM unnest(?::varchar[], ?::int[], ?::varchar[], ?::int[], ?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[],
             ?::varchar[], ?::varchar[], ?::text[], ?::varchar[], ?::varchar[])
             AS v(d, c, l, s, t, k, n, a, f, o, j, p, h)`,
          [
            now.toISOString(), now.toISOString(), now.toISOString(),
            col(() => newDocumentId()), col((x) => x.complaintId), col((x) => x.e.ledgerNo), col((x) => x.e.seq),
            col((x) => x.e.type), col((x) => x.e.actorKind), col((x) => x.e.actorName), col((x) => x.e.at),
            col((x) => x.e.fromState), col((x) => x.e.toState), col((x) => JSON.stringify(x.e.data)),
            col((x) => x.e.prevHash), col((x) => x.e.hash),
          ]
        );
      }
      return;
    }
    const rows = events.map(({ complaintId, e }) => eventRow(complaintId, e, now));
    const size = batchSizeFor(Object.keys(rows[0]).length + 1, 'sqlite');
    for (let i = 0; i < rows.length; i += size) await trx(TABLE.event).insert(rows.slice(i, i + size));
  };

  const updateRows = (trx: Knex.Transaction, rows: Array<{ id: number; level: WarningLevel; seq: number; hash: string }>, now: Date) =>
    updateByIds(
      trx,
      strapi.db.dialect.client,
      TABLE.complaint,
      [{ name: 'warning_level', pgType: 'varchar' }, { name: 'chain_seq', pgType: 'int' }, { name: 'chain_hash', pgType: 'varchar' }],
      rows.map((r) => [r.id, r.level, r.seq, r.hash]),
      [{ name: 'warning_changed_at', pgType: 'timestamptz', value: now }]
    );

  /** One id range in one transaction; returns the changes it made. */
  const runRange = async (lo: number, hi: number, today: string, now: Date): Promise<Array<{ to: WarningLevel }>> =>
    inTransaction(strapi, async (trx: Knex.Transaction) => {
      const target = targetSql(today);
      let res;
      try {
        res = await trx.raw(
          `SELECT id, ledger_no, state, mode, deadline, response_deadline, warning_level, chain_seq, chain_hash, ${target} AS next_level
           FROM ${TABLE.complaint}
           WHERE id >= ? AND id < ? AND state IN ${clockStates} AND COALESCE(warning_level, 'none') <> ${target}
           ORDER BY id${isPg() ? ' FOR UPDATE' : ''}`,
          [lo, hi]
        );
      } catch (e) {
        throw safeDbError(e, 'warning run');
      }
      const rows = rowsOf(res);
      if (rows.length === 0) return [];
      const events: Array<{ complaintId: number; e: HashedEvent }> = [];
      const updates: Array<{ id: number; level: WarningLevel; seq: number; hash: string }> = [];
      for (const r of rows) {
        const complaint = { state: r.state, mode: r.mode, deadline: toCalendarDay(r.deadline), responseDeadline: toCalendarDay(r.response_deadline) };
        const change = { from: (r.warning_level ?? 'none') as WarningLevel, to: r.next_level as WarningLevel };
        const e = nextEvent(r.ledger_no, Number(r.chain_seq ?? 0), r.chain_hash ?? null, warningChangedEvent(complaint, change, today, now));
        events.push({ complaintId: Number(r.id), e });
        updates.push({ id: Number(r.id), level: r.next_level, seq: e.seq, hash: e.hash });
      }
      try {
        await insertEvents(trx, events, now);
        await updateRows(trx, updates, now);
      } catch (e) {
        throw safeDbError(e, 'warning run');
      }
      return updates.map((u) => ({ to: u.level }));
    });

  return {
    /** Recomputes warning levels as seen at `now` in the county's time zone. */
    async run(opts: { now?: Date; rangeSize?: number; concurrency?: number } = {}): Promise<WarningRunResult> {
      const started = Date.now();
      const now = opts.now ?? new Date();
      const today = calendarDay(now, getConfig(strapi).timeZone);
      const rangeSize = opts.rangeSize ?? 50_000;
      const bounds = (await strapi.db
        .connection(TABLE.complaint)
        .whereIn('state', [CLOCK_STATES.response, CLOCK_STATES.measure])
        .min('id as lo')
        .max('id as hi')
        .first()) as { lo: number | null; hi: number | null } | undefined;
      const to = Object.fromEntries(LEVELS.map((l) => [l, 0])) as Record<WarningLevel, number>;
      let changed = 0;
      if (bounds && bounds.lo !== null && bounds.hi !== null) {
        const starts: number[] = [];
        for (let lo = Number(bounds.lo); lo <= Number(bounds.hi); lo += rangeSize) starts.push(lo);
        // On PostgreSQL two ranges run at once: while one waits on the database, the other
        // chains its events in Node. Ranges are disjoint, so their row locks never meet.
        // SQLite has one writer: one range at a time.
        let failed = false;
        const worker = async () => {
          for (let lo = starts.shift(); lo !== undefined && !failed; lo = starts.shift()) {
            try {
              const changes = await runRange(lo, lo + rangeSize, today, now);
              changed += changes.length;
              for (const c of changes) to[c.to] += 1;
            } catch (e) {
              failed = true;
              throw e;
            }
          }
        };
        const workers = isPg() ? Math.max(1, opts.concurrency ?? 2) : 1;
        const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
        const rejected = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (rejected) throw rejected.reason;
      }
      return { today, changed, to, durationMs: Date.now() - started };
    },

    /**
     * Counts per unit of complaints whose clock runs (assigned or rectifying), by level, with
     * the total days their red complaints are past the deadline, as seen on `today`.
     */
    async byUnit(opts: { now?: Date } = {}): Promise<{ today: string; units: UnitWarnings[] }> {
      const now = opts.now ?? new Date();
      const today = calendarDay(now, getConfig(strapi).timeZone);
      const clockDeadline = `CASE WHEN c.state = '${CLOCK_STATES.response}' THEN c.response_deadline ELSE c.deadline END`;
      const overdue = isPg()
        ? `(${lit(today)} - ${clockDeadline})`
        : `CAST(julianday(${lit(today)}) - julianday(${clockDeadline}) AS INTEGER)`;
      const res = await strapi.db.connection.raw(
        `SELECT c.responsible_unit_id AS unit_id, u.code AS code, u.name AS name,
           SUM(CASE WHEN c.warning_level = 'yellow' THEN 1 ELSE 0 END) AS yellow,
           SUM(CASE WHEN c.warning_level = 'orange' THEN 1 ELSE 0 END) AS orange,
           SUM(CASE WHEN c.warning_level = 'red' THEN 1 ELSE 0 END) AS red,
           SUM(CASE WHEN c.warning_level = 'red' AND ${clockDeadline} < ${lit(today)} THEN ${overdue} ELSE 0 END) AS overdue_days
         FROM ${TABLE.complaint} c LEFT JOIN ${TABLE.unit} u ON u.id = c.responsible_unit_id
         WHERE c.state IN ${clockStates} AND c.warning_level IN ('yellow', 'orange', 'red')
           AND NOT (c.state = '${CLOCK_STATES.measure}' AND c.mode = '${NO_CLOCK_MODE}')
         GROUP BY c.responsible_unit_id, u.code, u.name`
      );
      const units: UnitWarnings[] = rowsOf(res).map((r) => ({
        unitId: r.unit_id === null ? null : Number(r.unit_id),
        code: r.code ?? null,
        name: r.name ?? null,
        yellow: Number(r.yellow),
        orange: Number(r.orange),
        red: Number(r.red),
        overdueDays: Number(r.overdue_days ?? 0),
      }));
      units.sort((a, b) => b.red - a.red || b.overdueDays - a.overdueDays || b.orange - a.orange || b.yellow - a.yellow || String(a.code).localeCompare(String(b.code)));
      return { today, units };
    },
  };
};
