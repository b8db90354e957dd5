/**
 * The warning run (预警): recomputes the level of every complaint whose clock runs, in
 * set-based SQL, in the county's time zone, and writes one `warning_changed` event per
 * complaint whose level actually changed.
 *
 * The rule lives in domain/warning-level.ts; here it becomes one CASE over three cut-off days
 * per clock, so the database compares stored dates with constants. Work goes by id ranges of
 * 50,000 ids, each pass one transaction, two at once on PostgreSQL:
 *   - PostgreSQL: one statement per range selects the stale rows, builds each event's canonical
 *     text from domain/warning-level.ts#warningEventTemplate and hashes it (sha256 in SQL),
 *     updates the rows with a re-check of each, and inserts the events of exactly the rows it
 *     wrote. Nothing travels to Node and back.
 *   - SQLite: the stale rows are read, their events chained in Node (nextEvent), the rows
 *     updated with the same re-check (bulk.updateByIds), and the events inserted in bulk.
 * The re-check is optimistic concurrency: no row is locked while events are built, and a row
 * that a transition changed in between is skipped and read again in the range's next pass.
 * Only rows whose level changes are written.
 *
 * On PostgreSQL a level change is a HOT update: `warning_level`, `chain_seq`, `chain_hash` and
 * `warning_changed_at` are in no index, and the table keeps free room in each page
 * (its fillfactor, set by database/migrations), so the row's new version stays on its
 * page and none of the table's 16 indexes is written.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE } from '../constants';
import { calendarDay, isCalendarDay, toCalendarDay } from '../domain/calendar';
import { GENESIS_HASH, nextEvent, type HashedEvent } from '../domain/history-chain';
import {
  CLOCK_STATES,
  NO_CLOCK_MODE,
  warningChangedEvent,
  WARNING_LEVELS,
  warningCutoffs,
  warningEventTemplate,
  type WarningCutoffs,
  type WarningEventSlot,
  type WarningLevel,
} from '../domain/warning-level';
import { COUNTED_LEVELS, ownUnitsFirst, rankUnitWarnings, redList, warningTotals, type UnitWarnings } from '../domain/unit-warnings';
import { seesJobInstances } from '../domain/workflow';
import { getConfig, getService, inTransaction, isPostgres, safeDbError } from '../utils';
import type { AdminUserLike } from './access';
import { updateByIds } from './bulk';
import { eventRow, insertEventRows } from './history';

export interface WarningRunResult {
  today: string;
  changed: number;
  /** Changes by new level. */
  to: Record<WarningLevel, number>;
  durationMs: number;
}

/** A row's new level and chain head, with the chain head and level it was read with. */
interface LevelWrite {
  id: number;
  level: WarningLevel;
  seq: number;
  hash: string;
  fromSeq: number;
  from: WarningLevel;
}

/** What one pass over an id range did: the new level of each row it wrote, and the rows it skipped. */
interface RangeResult {
  to: WarningLevel[];
  missed: number;
}

const assertDay = (d: string): string => {
  // Cut-off days are embedded in the SQL as literals: they must be exactly YYYY-MM-DD.
  if (!isCalendarDay(d)) throw new Error(`[complaints] not a calendar day: ${d}`);
  return d;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const isPg = () => isPostgres(strapi);
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

  const rowsOf = (res: any): any[] => (Array.isArray(res) ? res : (res?.rows ?? []));

  /**
   * Writes the new levels and chain heads, but only to rows that still are as they were read
   * (same chain head, same level, still stale by the rule): a complaint that moved on since is
   * left for the range's next pass. Returns the ids written.
   */
  const updateRows = (
    trx: Knex.Transaction,
    rows: LevelWrite[],
    now: Date,
    target: string
  ) =>
    updateByIds(
      trx,
      strapi.db.dialect.client,
      TABLE.complaint,
      [
        { name: 'warning_level', pgType: 'varchar' },
        { name: 'chain_seq', pgType: 'int' },
        { name: 'chain_hash', pgType: 'varchar' },
      ],
      rows.map((r) => [r.id, r.level, r.seq, r.hash, r.fromSeq, r.from]),
      [{ name: 'warning_changed_at', pgType: 'timestamptz', value: now }],
      {
        columns: [
          { name: 'from_seq', pgType: 'int' },
          { name: 'from_level', pgType: 'varchar' },
        ],
        where:
          `COALESCE(t.chain_seq, 0) = v.from_seq AND COALESCE(t.warning_level, 'none') = v.from_level ` +
          `AND t.state IN ${clockStates} AND ${target} = v.v0`,
      }
    );

  /**
   * SQLite: one pass over one id range, in one transaction. Stale rows are read, their events
   * chained in Node, the update re-checks each row, and events are written for the rows it wrote.
   */
  const runRangeInNode = async (
    lo: number,
    hi: number,
    today: string,
    now: Date
  ): Promise<RangeResult> =>
    inTransaction(strapi, async (trx: Knex.Transaction) => {
      const target = targetSql(today);
      let res;
      try {
        res = await trx.raw(
          `SELECT id, ledger_no, state, mode, deadline, response_deadline, warning_level, chain_seq, chain_hash, ${target} AS next_level
           FROM ${TABLE.complaint}
           WHERE id >= ? AND id < ? AND state IN ${clockStates} AND COALESCE(warning_level, 'none') <> ${target}`,
          [lo, hi]
        );
      } catch (e) {
        throw safeDbError(e, 'warning run');
      }
      const rows = rowsOf(res);
      if (rows.length === 0) return { to: [], missed: 0 };
      const events = new Map<number, HashedEvent>();
      const updates: LevelWrite[] = [];
      for (const r of rows) {
        const complaint = {
          state: r.state,
          mode: r.mode,
          deadline: toCalendarDay(r.deadline),
          responseDeadline: toCalendarDay(r.response_deadline),
        };
        const change = {
          from: (r.warning_level ?? 'none') as WarningLevel,
          to: r.next_level as WarningLevel,
        };
        const fromSeq = Number(r.chain_seq ?? 0);
        const e = nextEvent(
          r.ledger_no,
          fromSeq,
          r.chain_hash ?? null,
          warningChangedEvent(complaint, change, today, now)
        );
        events.set(Number(r.id), e);
        updates.push({
          id: Number(r.id),
          level: change.to,
          seq: e.seq,
          hash: e.hash,
          fromSeq,
          from: change.from,
        });
      }
      try {
        const written = await updateRows(trx, updates, now, target);
        await insertEventRows(trx, 'sqlite', written.map((id) => eventRow(id, events.get(id)!, now)));
        const levels = new Map(updates.map((u) => [u.id, u.level]));
        return {
          to: written.map((id) => levels.get(id)!),
          missed: updates.length - written.length,
        };
      } catch (e) {
        throw safeDbError(e, 'warning run');
      }
    });

  /** The SQL that fills each slot of the warning event's canonical text, over the CTE `s`. */
  const slotSql = (today: string): Record<WarningEventSlot, string> => ({
    ledgerNo: 'to_json(s.ledger_no)::text',
    seq: '(s.from_seq + 1)::text',
    state: 'to_json(s.st)::text',
    clock: `COALESCE(to_json(s.clock)::text, 'null')`,
    deadline: `COALESCE(to_json(to_char(s.dl, 'YYYY-MM-DD'))::text, 'null')`,
    daysLeft: `COALESCE((s.dl - ${lit(today)})::text, 'null')`,
    from: 'to_json(s.from_level)::text',
    to: 'to_json(s.to_level)::text',
  });

  /**
   * PostgreSQL: one pass over one id range as one statement. The events are built and hashed
   * in SQL (sha256 over the canonical text of domain/warning-level.ts#warningEventTemplate, its
   * slots filled per row), the rows are updated with a re-check of each row under its row lock
   * (optimistic: a row that moved on since the statement's snapshot is skipped), and the events
   * of exactly the rows written are inserted, from the text that was hashed. No row travels to
   * Node and back.
   */
  const runRangeInSql = async (
    lo: number,
    hi: number,
    today: string,
    now: Date
  ): Promise<RangeResult> => {
    const target = targetSql(today);
    const template = warningEventTemplate(today, now);
    const literals: string[] = [];
    const slots = slotSql(today);
    const body = template
      .map((part) => {
        if (typeof part !== 'string') return slots[part.slot as WarningEventSlot];
        literals.push(part);
        return '?::text';
      })
      .join(' || ');
    const clock =
      `CASE WHEN state = '${CLOCK_STATES.response}' THEN 'response' ` +
      `WHEN state = '${CLOCK_STATES.measure}' AND mode IS DISTINCT FROM '${NO_CLOCK_MODE}' THEN 'measure' END`;
    const stamp = now.toISOString();
    let res;
    try {
      res = await inTransaction(strapi, async (trx: Knex.Transaction) => {
        return trx.raw(
          `WITH s AS (
           SELECT id AS cid, ledger_no, state AS st, COALESCE(chain_seq, 0) AS from_seq, chain_hash AS head_hash,
             COALESCE(warning_level, 'none') AS from_level, ${target} AS to_level, ${clock} AS clock,
             CASE WHEN state = '${CLOCK_STATES.response}' THEN response_deadline WHEN (${clock}) = 'measure' THEN deadline END AS dl
           FROM ${TABLE.complaint}
           WHERE id >= ? AND id < ? AND state IN ${clockStates} AND COALESCE(warning_level, 'none') <> ${target}
         ), b AS (
           SELECT s.*, ${body} AS body,
             CASE WHEN s.from_seq > 0 AND COALESCE(s.head_hash, '') <> '' THEN s.head_hash ELSE '${GENESIS_HASH}' END AS prev_hash
           FROM s
         ), k AS (
           SELECT b.*, encode(sha256(convert_to(b.body || b.prev_hash, 'UTF8')), 'hex') AS hash, b.body::jsonb AS j FROM b
         ), u AS (
           UPDATE ${TABLE.complaint} AS t
           SET warning_level = k.to_level, chain_seq = k.from_seq + 1, chain_hash = k.hash, warning_changed_at = ?::timestamptz
           FROM k
           WHERE t.id = k.cid AND t.id >= ? AND t.id < ? AND COALESCE(t.chain_seq, 0) = k.from_seq AND COALESCE(t.warning_level, 'none') = k.from_level
             AND t.state = k.st AND ${target} = k.to_level
           RETURNING k.*
         ), i AS (
           INSERT INTO ${TABLE.event} (document_id, created_at, updated_at, published_at, complaint_id, ledger_no, seq, type,
             actor_kind, actor_id, actor_name, actor_unit_id, actor_unit_name, at, from_state, to_state, data, prev_hash, hash)
           SELECT 'w' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 23), ?::timestamptz, ?::timestamptz, ?::timestamptz,
             u.cid, u.ledger_no, u.from_seq + 1, u.j->>'type', u.j->>'actorKind', (u.j->>'actorId')::int, u.j->>'actorName',
             (u.j->>'actorUnitId')::int, u.j->>'actorUnitName', (u.j->>'at')::timestamptz, u.st, u.st, u.j->'data', u.prev_hash, u.hash
           FROM u
         )
         SELECT 'stale' AS what, NULL AS lvl, count(*) AS n FROM k
         UNION ALL SELECT 'to', to_level, count(*) FROM u GROUP BY to_level`,
          [lo, hi, ...literals, stamp, lo, hi, stamp, stamp, stamp]
        );
      });
    } catch (e) {
      throw safeDbError(e, 'warning run');
    }
    const out: WarningLevel[] = [];
    let stale = 0;
    for (const r of rowsOf(res)) {
      if (r.what === 'stale') stale = Number(r.n);
      else for (let n = Number(r.n); n > 0; n -= 1) out.push(r.lvl as WarningLevel);
    }
    return { to: out, missed: stale - out.length };
  };

  return {
    /** Recomputes warning levels as seen at `now` in the county's time zone. */
    async run(
      opts: { now?: Date; rangeSize?: number; concurrency?: number } = {}
    ): Promise<WarningRunResult> {
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
      const to = Object.fromEntries(WARNING_LEVELS.map((l) => [l, 0])) as Record<WarningLevel, number>;
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
              // A row that changed between the read and the write (a transition, an approval)
              // is read again in the range's next pass; after three, the next run takes it.
              for (let pass = 0; pass < 3; pass += 1) {
                const { to: levels, missed } = await (isPg() ? runRangeInSql : runRangeInNode)(
                  lo,
                  lo + rangeSize,
                  today,
                  now
                );
                changed += levels.length;
                for (const l of levels) to[l] += 1;
                if (missed === 0) break;
              }
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
     * the total days their red complaints are past the deadline, as seen on `today`: the SQL of
     * domain/unit-warnings.ts#overviewShare summed per unit, ranked by the domain's rule.
     */
    async byUnit(opts: { now?: Date } = {}): Promise<{ today: string; units: UnitWarnings[] }> {
      const now = opts.now ?? new Date();
      const today = calendarDay(now, getConfig(strapi).timeZone);
      const clockDeadline = `CASE WHEN c.state = '${CLOCK_STATES.response}' THEN c.response_deadline ELSE c.deadline END`;
      const overdue = isPg()
        ? `(${lit(today)} - ${clockDeadline})`
        : `CAST(julianday(${lit(today)}) - julianday(${clockDeadline}) AS INTEGER)`;
      const counts = COUNTED_LEVELS.map(
        (l) => `SUM(CASE WHEN c.warning_level = '${l}' THEN 1 ELSE 0 END) AS ${l}`
      ).join(',\n           ');
      const res = await strapi.db.connection.raw(
        `SELECT c.responsible_unit_id AS unit_id, u.code AS code, u.name AS name,
           ${counts},
           SUM(CASE WHEN c.warning_level = 'red' AND ${clockDeadline} < ${lit(today)} THEN ${overdue} ELSE 0 END) AS overdue_days
         FROM ${TABLE.complaint} c LEFT JOIN ${TABLE.unit} u ON u.id = c.responsible_unit_id
         WHERE c.state IN ${clockStates} AND c.warning_level IN (${COUNTED_LEVELS.map((l) => `'${l}'`).join(', ')})
           AND NOT (c.state = '${CLOCK_STATES.measure}' AND COALESCE(c.mode, '') = '${NO_CLOCK_MODE}')
         GROUP BY c.responsible_unit_id, u.code, u.name`
      );
      const units = rankUnitWarnings(
        rowsOf(res).map((r) => ({
          unitId: r.unit_id === null ? null : Number(r.unit_id),
          code: r.code ?? null,
          name: r.name ?? null,
          yellow: Number(r.yellow),
          orange: Number(r.orange),
          red: Number(r.red),
          overdueDays: Number(r.overdue_days ?? 0),
        }))
      );
      return { today, units };
    },

    /**
     * GET /complaints/warnings/overview for this user: per unit, the yellow, orange and red
     * complaints whose clock runs and their total overdue days, the user's own units first; the
     * red list; the totals; and the warning job's latest run, so anyone can see it is alive.
     */
    async overview(user: AdminUserLike) {
      const access = getService('access', strapi);
      const { today, units } = await getService('warnings', strapi).byUnit();
      const ownUnits = await access.unitsOf(user.id);
      const own = ownUnits.map((u) => Number(u.id));
      const withInstance = seesJobInstances(await access.context(user));
      return {
        today,
        ownUnitIds: own,
        ownUnits: ownUnits.map((u) => ({ id: Number(u.id), code: u.code, name: u.name })),
        units: ownUnitsFirst(units, own),
        redList: redList(units),
        totals: warningTotals(units),
        lastRun: await getService('jobs', strapi).lastRun('warnings', withInstance),
        // The county's zone: the last run's time is shown there, not in the browser's zone.
        timeZone: getConfig(strapi).timeZone,
      };
    },
  };
};
