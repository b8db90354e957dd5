/**
 * The counts behind the rates (domain/rates.ts) and the monthly ranking (domain/ranking.ts),
 * gathered in set-based SQL per unit, lead unit, category, town or month, on SQLite and
 * PostgreSQL. Every query is scoped with `applyScope` (services/access.ts), so a unit's user
 * counts its own unit's complaints only, by the same rule as `maySee`.
 *
 * Four statements per call, each one pass over its table:
 *   - complaints: everything that is a column of the complaint row (validity, outcome, the
 *     response and completion clocks, reopens, common demands), and, in a nested group-by, the
 *     problem groups;
 *   - measures joined to their complaint: submitted and returned versions;
 *   - `assign` and `send_back` events joined to their complaint: one row per assignment, with
 *     the unit it was made to (from the event: the complaint may have moved to another unit
 *     since). The scope applies to the complaint as that unit held it (state `assigned`, that
 *     unit responsible), so a unit sees the assignments it sent back;
 *   - answered surveys joined to their complaint, handed to domain/satisfaction.ts.
 *
 * Days and months are the county's (`timeZone`): a month is its complaints received from local
 * midnight of the first to local midnight of the next month's first, and "accepted in time"
 * compares the local day of acceptance with the response deadline. PostgreSQL converts with
 * AT TIME ZONE (see countyWallClockPg); SQLite has no time zones, so the zone's UTC offsets (with their changes, for
 * zones with daylight saving) become a CASE over the stored instant.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE } from '../constants';
import { calendarDay, isCalendarDay, startOfDayUtc } from '../domain/calendar';
import { DEFAULT_RANKING, rankUnits, RANKED_RATES, type RankedEntry, type RankingEntry } from '../domain/ranking';
import { emptyCounts, monthDays, ratesOf, type RateCounts, type RateDimension, type Rates } from '../domain/rates';
import { satisfactionRate, type SurveyFact } from '../domain/satisfaction';
import { complaintScope, type ActorContext } from '../domain/workflow';
import { getConfig, safeDbError } from '../utils';
import { applyScope, type ScopeColumns } from './access';

export interface RateRow {
  /** The group: a unit's code, a category code, a town, a month (YYYY-MM); null for a complaint without one. */
  key: string | null;
  /** The unit's id (unit and lead unit only). */
  id: number | null;
  code: string | null;
  name: string | null;
  counts: RateCounts;
  rates: Rates;
}

export interface RatesResult {
  by: RateDimension;
  month: string | null;
  timeZone: string;
  today: string;
  rows: RateRow[];
  /** The same figures over every complaint the caller sees. */
  totals: { counts: RateCounts; rates: Rates };
}

export interface RankingUnit {
  rank: number | null;
  composite: number | null;
  missing: string[];
  unitId: number;
  code: string;
  name: string;
  rates: Pick<Rates, 'response' | 'resolution' | 'satisfaction'>;
}

export interface RankingResult {
  month: string;
  timeZone: string;
  today: string;
  weights: Record<string, number>;
  listSize: number;
  units: RankingUnit[];
  redList: RankingUnit[];
  blackList: RankingUnit[];
}

const TZ_RE = /^[A-Za-z0-9_+\-/]+$/;

/** Offsets (seconds east of UTC) of a zone, and the instants (seconds) at which they change. */
interface OffsetSegments {
  first: number;
  changes: Array<{ at: number; offset: number }>;
}

const offsetAt = (timeZone: string, ms: number): number => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Math.round((Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(ms / 1000) * 1000) / 1000);
};

const segmentCache = new Map<string, OffsetSegments>();

/** The zone's offsets from 2000 to 2100, probed every 10 days and each change found to the second. */
const offsetSegments = (timeZone: string): OffsetSegments => {
  const hit = segmentCache.get(timeZone);
  if (hit) return hit;
  const start = Date.UTC(2000, 0, 1);
  const end = Date.UTC(2100, 0, 1);
  const step = 10 * 86_400_000;
  const first = offsetAt(timeZone, start);
  const changes: OffsetSegments['changes'] = [];
  let prev = first;
  for (let t = start + step; t <= end; t += step) {
    const o = offsetAt(timeZone, t);
    if (o === prev) continue;
    let lo = t - step;
    let hi = t;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (offsetAt(timeZone, mid) === prev) lo = mid;
      else hi = mid;
    }
    changes.push({ at: Math.floor(hi / 1000), offset: o });
    prev = o;
  }
  const segments = { first, changes };
  segmentCache.set(timeZone, segments);
  return segments;
};

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const isPg = () => strapi.db.dialect.client === 'postgres';

  const zone = (): string => {
    const tz = getConfig(strapi).timeZone;
    // The zone is written into the SQL (PostgreSQL's GROUP BY must see the same expression as the select).
    if (!TZ_RE.test(tz)) throw new Error(`[complaints] time zone not usable in SQL: ${tz}`);
    return tz;
  };

  const dayLit = (d: string): string => {
    if (!isCalendarDay(d)) throw new Error(`[complaints] not a calendar day: ${d}`);
    return isPg() ? `DATE '${d}'` : `'${d}'`;
  };

  /** SQLite: a stored instant as seconds since the epoch (Strapi stores milliseconds; ISO text is read too). */
  const epochSql = (col: string) =>
    `(CASE WHEN typeof(${col}) = 'text' THEN CAST(strftime('%s', ${col}) AS INTEGER) ELSE CAST(${col} / 1000 AS INTEGER) END)`;

  /** SQLite: the county's local time of a stored instant, as seconds (for strftime 'unixepoch'). */
  const localEpochSql = (col: string): string => {
    const s = epochSql(col);
    const { first, changes } = offsetSegments(zone());
    if (changes.length === 0) return `(${s} + ${first})`;
    const whens: string[] = [];
    let offset = first;
    for (const c of changes) {
      whens.push(`WHEN ${s} < ${c.at} THEN ${offset}`);
      offset = c.offset;
    }
    return `(${s} + CASE ${whens.join(' ')} ELSE ${offset} END)`;
  };

  /**
   * PostgreSQL: Strapi's datetime columns are `timestamp without time zone`, and the driver
   * writes a Date as the server process's wall-clock time (the offset it sends is dropped by
   * the column type). A stored value is read as an instant in the process's zone, then
   * converted to the county's wall clock.
   */
  const countyWallClockPg = (col: string): string => {
    const stored = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!TZ_RE.test(stored)) throw new Error(`[complaints] time zone not usable in SQL: ${stored}`);
    return `((${col} AT TIME ZONE '${stored}') AT TIME ZONE '${zone()}')`;
  };

  /** The county's calendar day of an instant, comparable with a date column. */
  const localDay = (col: string): string =>
    isPg() ? `CAST(${countyWallClockPg(col)} AS date)` : `strftime('%Y-%m-%d', ${localEpochSql(col)}, 'unixepoch')`;

  /** The county's month (YYYY-MM) of an instant. */
  const localMonth = (col: string): string =>
    isPg() ? `to_char(${countyWallClockPg(col)}, 'YYYY-MM')` : `strftime('%Y-%m', ${localEpochSql(col)}, 'unixepoch')`;

  /** Complaints received in the month (county time), as a WHERE on `col`. */
  const inMonth = (q: Knex.QueryBuilder, col: string, month: string | null) => {
    if (!month) return q;
    const { first, next } = monthDays(month);
    const from = startOfDayUtc(first, zone());
    const to = startOfDayUtc(next, zone());
    if (isPg()) return q.where(col, '>=', from).where(col, '<', to);
    return q.whereRaw(`${epochSql(col)} >= ? AND ${epochSql(col)} < ?`, [Math.floor(from.getTime() / 1000), Math.floor(to.getTime() / 1000)]);
  };

  /** The group expression of a dimension over a complaint alias (`unit` may come from elsewhere). */
  const dimension = (by: RateDimension | null, alias: string, unitColumn = `${alias}.responsible_unit_id`): string | null => {
    switch (by) {
      case null:
        return null;
      case 'unit':
        return unitColumn;
      case 'leadUnit':
        return `${alias}.lead_unit_id`;
      case 'category':
        return `${alias}.category_code`;
      case 'town':
        return `${alias}.town`;
      case 'month':
        return localMonth(`${alias}.received_at`);
    }
  };

  const grouped = (q: Knex.QueryBuilder, dim: string | null) => {
    q.select(knex().raw(`${dim ?? 'NULL'} AS k`));
    if (dim) q.groupByRaw(dim);
    return q;
  };

  const scopeOf = (alias: string): ScopeColumns => ({ state: `${alias}.state`, responsibleUnitId: `${alias}.responsible_unit_id`, leadUnitId: `${alias}.lead_unit_id` });

  const VALID_EXCLUDED = ['received', 'invalid'];

  const rowsOf = async (q: Knex.QueryBuilder, what: string): Promise<any[]> => {
    try {
      return (await q) as any[];
    } catch (e) {
      throw safeDbError(e, `statistics (${what})`);
    }
  };

  const keyOf = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

  /** The counts of every group (key '' for no group / a complaint without one). */
  const gather = async (actor: ActorContext, by: RateDimension | null, month: string | null, today: string) => {
    const k = knex();
    const counts = new Map<string, RateCounts>();
    const at = (key: unknown): RateCounts => {
      const s = keyOf(key);
      let c = counts.get(s);
      if (!c) counts.set(s, (c = emptyCounts()));
      return c;
    };
    const closedResolved = `c.state = 'closed' AND COALESCE(c.mode, '') <> 'policy_limited'`;
    const closedPolicy = `c.state = 'closed' AND c.mode = 'policy_limited'`;
    const sum = (cond: string, as: string) => k.raw(`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS ${as}`);
    const todayLit = dayLit(today);
    const hasDeadline = `COALESCE(c.mode, '') <> 'policy_limited' AND c.deadline IS NOT NULL AND c.state IN ('rectifying', 'signing', 'closed')`;

    // 1. Complaint columns.
    const base = () => {
      const q = k(`${TABLE.complaint} as c`).whereNotIn('c.state', VALID_EXCLUDED);
      inMonth(q, 'c.received_at', month);
      return applyScope(q, actor, scopeOf('c'));
    };
    const main = grouped(base(), dimension(by, 'c')).select(
      k.raw('COUNT(*) AS valid'),
      sum(closedResolved, 'resolved'),
      sum(closedPolicy, 'policy_limited'),
      sum('c.traceable', 'traceable_valid'),
      sum(`c.traceable AND ${closedResolved}`, 'traceable_resolved'),
      sum(`c.traceable AND ${closedPolicy}`, 'traceable_policy_limited'),
      sum(`c.accepted_at IS NOT NULL OR (c.state = 'assigned' AND c.response_deadline < ${todayLit})`, 'response_due'),
      sum(`c.accepted_at IS NOT NULL AND c.response_deadline IS NOT NULL AND ${localDay('c.accepted_at')} <= c.response_deadline`, 'accepted_in_time'),
      sum(`c.state = 'assigned' AND c.response_deadline >= ${todayLit}`, 'response_pending'),
      sum(`${hasDeadline} AND (c.completed_at IS NOT NULL OR c.deadline < ${todayLit})`, 'completion_due'),
      sum(`${hasDeadline} AND c.completed_at IS NOT NULL AND ${localDay('c.completed_at')} <= c.deadline`, 'completed_on_time'),
      sum(`c.state = 'closed' OR COALESCE(c.reopen_count, 0) > 0`, 'closed_ever'),
      sum('COALESCE(c.reopen_count, 0) > 0', 'reopened'),
      sum(`c.nature = 'common'`, 'common_demands'),
      sum(`c.nature = 'common' AND ${closedResolved}`, 'common_resolved')
    );
    for (const r of await rowsOf(main, 'complaints')) {
      const c = at(r.k);
      c.valid = num(r.valid);
      c.resolved = num(r.resolved);
      c.policyLimited = num(r.policy_limited);
      c.traceableValid = num(r.traceable_valid);
      c.traceableResolved = num(r.traceable_resolved);
      c.traceablePolicyLimited = num(r.traceable_policy_limited);
      c.responseDue = num(r.response_due);
      c.acceptedInTime = num(r.accepted_in_time);
      c.responsePending = num(r.response_pending);
      c.completionDue = num(r.completion_due);
      c.completedOnTime = num(r.completed_on_time);
      c.closedEver = num(r.closed_ever);
      c.reopened = num(r.reopened);
      c.commonDemands = num(r.common_demands);
      c.commonDemandsResolved = num(r.common_resolved);
    }

    // Problem groups: a group is resolved when every one of its demands (that the caller sees) is.
    const dim = dimension(by, 'c');
    const perGroup = base()
      .where('c.nature', 'common')
      .whereNotNull('c.problem_group_id')
      .select(k.raw(`${dim ?? 'NULL'} AS k`), 'c.problem_group_id', k.raw('COUNT(*) AS n'), sum(closedResolved, 'r'))
      .groupBy('c.problem_group_id');
    if (dim) perGroup.groupByRaw(dim);
    const groups = k.from(perGroup.as('g')).select('g.k', k.raw('COUNT(*) AS groups'), k.raw('SUM(CASE WHEN g.r = g.n THEN 1 ELSE 0 END) AS resolved')).groupBy('g.k');
    for (const r of await rowsOf(groups, 'problem groups')) {
      const c = at(r.k);
      c.commonGroups = num(r.groups);
      c.commonGroupsResolved = num(r.resolved);
    }

    // 2. Measures: every submitted version, and those returned.
    const measures = grouped(
      applyScope(inMonth(k('measures as m').join(`${TABLE.complaint} as c`, 'c.id', 'm.complaint_id').whereNotIn('c.state', VALID_EXCLUDED), 'c.received_at', month), actor, scopeOf('c')),
      dimension(by, 'c')
    ).select(k.raw('COUNT(*) AS submitted'), k.raw(`SUM(CASE WHEN m.review_state = 'returned' THEN 1 ELSE 0 END) AS returned`));
    for (const r of await rowsOf(measures, 'measures')) {
      const c = at(r.k);
      c.measuresSubmitted = num(r.submitted);
      c.measuresReturned = num(r.returned);
    }

    // 3. Assignments: each assign event, and each send-back, with the unit it concerned.
    const heldUnit = isPg() ? `CAST(e.data->>'responsibleUnitId' AS integer)` : `CAST(json_extract(e.data, '$.responsibleUnitId') AS INTEGER)`;
    const held = inMonth(
      k(`${TABLE.event} as e`)
        .join(`${TABLE.complaint} as c`, 'c.id', 'e.complaint_id')
        .whereIn('e.type', ['assign', 'send_back'])
        .select('e.type', k.raw(`${heldUnit} AS responsible_unit_id`), k.raw(`'assigned' AS state`), 'c.lead_unit_id', 'c.category_code', 'c.town', 'c.received_at'),
      'c.received_at',
      month
    );
    const assignments = grouped(applyScope(k.from(held.as('a')), actor, scopeOf('a')), dimension(by, 'a')).select(
      k.raw(`SUM(CASE WHEN a.type = 'assign' THEN 1 ELSE 0 END) AS assignments`),
      k.raw(`SUM(CASE WHEN a.type = 'send_back' THEN 1 ELSE 0 END) AS sent_back`)
    );
    for (const r of await rowsOf(assignments, 'assignments')) {
      const c = at(r.k);
      c.assignments = num(r.assignments);
      c.sentBack = num(r.sent_back);
    }

    // 4. Answered surveys, for domain/satisfaction.ts (the latest answer of each complaint counts).
    const surveys = applyScope(
      inMonth(k('surveys as s').join(`${TABLE.complaint} as c`, 'c.id', 's.complaint_id').whereNotIn('c.state', VALID_EXCLUDED).where('s.status', 'answered'), 'c.received_at', month),
      actor,
      scopeOf('c')
    ).select(k.raw(`${dim ?? 'NULL'} AS k`), 's.complaint_id', 's.round', 's.status', 's.answer', 's.answered_at');
    const facts = new Map<string, SurveyFact[]>();
    for (const r of await rowsOf(surveys, 'surveys')) {
      const key = keyOf(r.k);
      if (!facts.has(key)) facts.set(key, []);
      facts.get(key)!.push({
        complaintId: Number(r.complaint_id),
        round: Number(r.round ?? 1),
        status: r.status,
        answer: r.answer ?? null,
        answeredAt: r.answered_at === null || r.answered_at === undefined ? null : new Date(/^\d+$/.test(String(r.answered_at)) ? Number(r.answered_at) : r.answered_at),
      });
      at(r.k);
    }
    return { counts, satisfaction: (key: string) => satisfactionRate(facts.get(key) ?? []) };
  };

  const unitRows = async (actor: ActorContext, by: 'unit' | 'leadUnit') => {
    const scope = complaintScope(actor);
    const q = knex()(TABLE.unit).where(by === 'unit' ? 'is_responsible' : 'is_lead', true).select('id', 'code', 'name');
    if (!scope.all) q.whereIn('id', actor.unitIds.length ? actor.unitIds : [-1]);
    return (await q) as Array<{ id: number; code: string; name: string }>;
  };

  const service = {
    /** The rates of every group of one dimension, for the complaints `actor` sees. */
    async rates(opts: { actor: ActorContext; by: RateDimension; month: string | null; now?: Date }): Promise<RatesResult> {
      const { actor, by, month } = opts;
      const timeZone = zone();
      const today = calendarDay(opts.now ?? new Date(), timeZone);
      const { counts, satisfaction } = await gather(actor, by, month, today);
      const labels = new Map<string, { id: number | null; code: string | null; name: string | null }>();
      if (by === 'unit' || by === 'leadUnit') {
        for (const u of await unitRows(actor, by)) if (!counts.has(String(u.id))) counts.set(String(u.id), emptyCounts());
        const ids = [...counts.keys()].filter((s) => s !== '').map(Number);
        const units = ids.length ? ((await knex()(TABLE.unit).whereIn('id', ids).select('id', 'code', 'name')) as any[]) : [];
        for (const u of units) labels.set(String(u.id), { id: Number(u.id), code: u.code, name: u.name });
      } else if (by === 'category') {
        const codes = [...counts.keys()].filter((s) => s !== '');
        const cats = codes.length ? ((await knex()(TABLE.category).whereIn('code', codes).select('code', 'name')) as any[]) : [];
        for (const c of cats) labels.set(c.code, { id: null, code: c.code, name: c.name });
      }
      const rows: RateRow[] = [...counts.entries()].map(([key, c]) => {
        const label = labels.get(key);
        const groupKey = key === '' ? null : (label?.code ?? key);
        return {
          key: groupKey,
          id: label?.id ?? null,
          code: by === 'unit' || by === 'leadUnit' || by === 'category' ? (label?.code ?? null) : null,
          name: label?.name ?? (by === 'town' || by === 'month' ? groupKey : null),
          counts: c,
          rates: ratesOf(c, satisfaction(key)),
        };
      });
      rows.sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const all = await gather(actor, null, month, today);
      const totalCounts = all.counts.get('') ?? emptyCounts();
      return { by, month, timeZone, today, rows, totals: { counts: totalCounts, rates: ratesOf(totalCounts, all.satisfaction('')) } };
    },

    /** The monthly ranking of responsible units (month: YYYY-MM; the current month by default). */
    async ranking(opts: { actor: ActorContext; month: string | null; now?: Date }): Promise<RankingResult> {
      const cfg = getConfig(strapi).ranking ?? DEFAULT_RANKING;
      const timeZone = zone();
      const today = calendarDay(opts.now ?? new Date(), timeZone);
      const month = opts.month ?? today.slice(0, 7);
      const { rows } = await service.rates({ actor: opts.actor, by: 'unit', month, now: opts.now });
      type Entry = RankingEntry & { row: RateRow };
      const entries: Entry[] = rows
        .filter((r) => r.id !== null)
        .map((r) => ({
          unitId: r.id as number,
          code: r.code ?? '',
          name: r.name ?? '',
          rates: { response: r.rates.response, resolution: r.rates.resolution, satisfaction: r.rates.satisfaction },
          row: r,
        }));
      const ranking = rankUnits(entries, cfg);
      const view = (e: RankedEntry<Entry>): RankingUnit => ({
        rank: e.rank,
        composite: e.composite,
        missing: e.missing,
        unitId: e.unit.unitId,
        code: e.unit.code,
        name: e.unit.name,
        rates: { response: e.unit.row.rates.response, resolution: e.unit.row.rates.resolution, satisfaction: e.unit.row.rates.satisfaction },
      });
      return {
        month,
        timeZone,
        today,
        weights: Object.fromEntries(RANKED_RATES.map((k) => [k, cfg.weights[k]])),
        listSize: cfg.listSize,
        units: ranking.units.map(view),
        redList: ranking.redList.map(view),
        blackList: ranking.blackList.map(view),
      };
    },
  };
  return service;
};
