/**
 * The counts behind the rates (domain/rates.ts) and the monthly ranking (domain/ranking.ts),
 * gathered in set-based SQL per unit, lead unit, category, town or month, on SQLite and
 * PostgreSQL, under the filter module's filters. Every query builds on `scopedComplaints`
 * (services/complaint-query.ts): the filters compiled to SQL under the caller's scope
 * (`applyScope`, the rule of `maySee`), so a unit's user counts its own unit's complaints only,
 * whatever it asks for.
 *
 * Four statements per call, each one pass over its table:
 *   - complaints: everything that is a column of the complaint row (validity, outcome, the
 *     response and completion clocks, reopens, common demands), and, in a nested group-by, the
 *     problem groups;
 *   - measures joined to their complaint: submitted and returned versions;
 *   - `assign` and `send_back` events joined to their complaint: one row per assignment, with
 *     the unit it was made to (from the event: the complaint may have moved to another unit
 *     since). The filters select the complaints, except that a responsible-unit filter reads
 *     the unit the assignment was made to; the scope applies to the complaint as that unit
 *     held it (state `assigned`, that unit responsible), so a unit sees the assignments it sent back;
 *   - answered surveys joined to their complaint, handed to domain/satisfaction.ts.
 *
 * Days and months are the county's (`timeZone`), cut by services/county-time.ts: a month is its
 * complaints received from local midnight of the first to local midnight of the next month's
 * first, and "accepted in time" compares the local day of acceptance with the response deadline.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE } from '../constants';
import { calendarDay, isCalendarDay } from '../domain/calendar';
import type { Filters } from '../domain/filters';
import { DEFAULT_RANKING, rankUnits, RANKED_RATES, type RankedEntry, type RankingEntry } from '../domain/ranking';
import { emptyCounts, ratesOf, type RateCounts, type RateDimension, type Rates } from '../domain/rates';
import { liveReason, type LiveReason } from '../domain/rate-rollup';
import { satisfactionRate, type SurveyFact } from '../domain/satisfaction';
import { ROLE_CODES } from '../domain/roles';
import { actorContextOf } from '../domain/actor';
import { complaintScope, type ActorContext } from '../domain/workflow';
import { getConfig, safeDbError } from '../utils';
import { applyScope, type ScopeColumns } from './access';
import { compileFilters, scopedComplaints } from './complaint-query';
import { readBuild, readRollup, ROLLUP_KEY, writeRollup, type KeyDimension, type RollupKeyRow } from './rate-rollup';
import { countyDaySql, countyMonthSql, monthsIn, whereInCountyMonth, type SqlPart } from './county-time';

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

/** Where the figures come from: the rows now, or the rollup as of its build (`asOf`). */
export interface FiguresSource {
  source: 'live' | 'rollup';
  /** When the rollup was built (ISO instant); null for live figures. */
  asOf: string | null;
  /** Why the rollup did not answer (domain/rate-rollup.ts); null when it did. */
  liveReason: LiveReason | null;
}

export interface RatesResult extends FiguresSource {
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

export interface RankingResult extends FiguresSource {
  month: string;
  timeZone: string;
  today: string;
  weights: Record<string, number>;
  listSize: number;
  units: RankingUnit[];
  redList: RankingUnit[];
  blackList: RankingUnit[];
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const isPg = () => strapi.db.dialect.client === 'postgres';

  const zone = (): string => getConfig(strapi).timeZone;

  const dayLit = (d: string): string => {
    if (!isCalendarDay(d)) throw new Error(`[complaints] not a calendar day: ${d}`);
    return isPg() ? `DATE '${d}'` : `'${d}'`;
  };

  const C = TABLE.complaint;
  /** A column of the complaint row, as `scopedComplaints` names it. */
  const c = (name: string) => `${C}.${name}`;

  /** The group expression of a dimension over the complaint columns of `alias` (`unit` may come from elsewhere). */
  const dimension = (by: KeyDimension, alias: string, months: Array<[string, Date]>, unitColumn = `${alias}.responsible_unit_id`): SqlPart => {
    const plain = (sql: string): SqlPart => ({ sql, bindings: [] });
    switch (by) {
      case 'state':
        return plain(`${alias}.state`);
      case 'majorCategory':
        return plain(`${alias}.major_category_code`);
      case 'unit':
        return plain(unitColumn);
      case 'leadUnit':
        return plain(`${alias}.lead_unit_id`);
      case 'category':
        return plain(`${alias}.category_code`);
      case 'town':
        return plain(`${alias}.town`);
      case 'month':
        return countyMonthSql(`${alias}.received_at`, months);
    }
  };

  // Grouped by the aliases `k0`, `k1`, ... (PostgreSQL would not see a select expression with
  // bindings and the same expression in GROUP BY as one).
  const keySelects = (dims: SqlPart[]) => dims.map((d, i) => knex().raw(`${d.sql} AS k${i}`, d.bindings));
  const grouped = (q: Knex.QueryBuilder, dims: SqlPart[]) => {
    if (dims.length) q.select(keySelects(dims)).groupBy(dims.map((_, i) => `k${i}`));
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
  /** A row's group: '' for no dimension, the value ('' for none) for one, the values as JSON for several. */
  const rowKey = (r: any, n: number): string =>
    n === 0 ? '' : n === 1 ? keyOf(r.k0) : JSON.stringify(Array.from({ length: n }, (_, i) => (r[`k${i}`] === null || r[`k${i}`] === undefined ? null : String(r[`k${i}`]))));

  interface GatherRequest {
    actor: ActorContext;
    /** The dimensions of a group: none (the totals), one (the rates' `by`), or the rollup's key. */
    keys: KeyDimension[];
    month: string | null;
    filters: Filters;
    today: string;
  }

  /** The counts of every group (key: `rowKey`). */
  const gather = async ({ actor, keys, month, filters, today, withGroupMembers = false }: GatherRequest & { withGroupMembers?: boolean }) => {
    const k = knex();
    const timeZone = zone();
    const qctx = { timeZone };
    const counts = new Map<string, RateCounts>();
    // Months of the whole table (its index answers the least and greatest receipt at once): the
    // assignments a unit sent back may belong to complaints outside its own filtered rows.
    const months = keys.includes('month') ? await monthsIn(k(C), c('received_at'), timeZone) : [];
    const at = (r: any): RateCounts => {
      const s = rowKey(r, keys.length);
      let n = counts.get(s);
      if (!n) counts.set(s, (n = emptyCounts()));
      return n;
    };
    const closedResolved = `${c('state')} = 'closed' AND COALESCE(${c('mode')}, '') <> 'policy_limited'`;
    const closedPolicy = `${c('state')} = 'closed' AND ${c('mode')} = 'policy_limited'`;
    const sum = (cond: string, as: string) => k.raw(`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS ${as}`);
    const todayLit = dayLit(today);
    const hasDeadline = `COALESCE(${c('mode')}, '') <> 'policy_limited' AND ${c('deadline')} IS NOT NULL AND ${c('state')} IN ('rectifying', 'signing', 'closed')`;
    const inMonth = <Q extends Knex.QueryBuilder>(q: Q): Q => (month ? whereInCountyMonth(q, c('received_at'), month, timeZone) : q);

    // 1. Complaint columns: the valid complaints the caller sees, under the filters.
    const base = () => inMonth(scopedComplaints(k, filters, actor, qctx).whereNotIn(c('state'), VALID_EXCLUDED));
    const dims = keys.map((d) => dimension(d, C, months));
    const main = grouped(base(), dims).select(
      k.raw('COUNT(*) AS valid'),
      sum(closedResolved, 'resolved'),
      sum(closedPolicy, 'policy_limited'),
      sum(c('traceable'), 'traceable_valid'),
      sum(`${c('traceable')} AND ${closedResolved}`, 'traceable_resolved'),
      sum(`${c('traceable')} AND ${closedPolicy}`, 'traceable_policy_limited'),
      sum(`${c('accepted_at')} IS NOT NULL OR (${c('state')} = 'assigned' AND ${c('response_deadline')} < ${todayLit})`, 'response_due'),
      sum(`${c('accepted_at')} IS NOT NULL AND ${c('response_deadline')} IS NOT NULL AND ${countyDaySql(isPg(), c('accepted_at'), timeZone)} <= ${c('response_deadline')}`, 'accepted_in_time'),
      sum(`${c('state')} = 'assigned' AND ${c('response_deadline')} >= ${todayLit}`, 'response_pending'),
      sum(`${hasDeadline} AND (${c('completed_at')} IS NOT NULL OR ${c('deadline')} < ${todayLit})`, 'completion_due'),
      sum(`${hasDeadline} AND ${c('completed_at')} IS NOT NULL AND ${countyDaySql(isPg(), c('completed_at'), timeZone)} <= ${c('deadline')}`, 'completed_on_time'),
      sum(`${c('state')} = 'closed' OR COALESCE(${c('reopen_count')}, 0) > 0`, 'closed_ever'),
      sum(`COALESCE(${c('reopen_count')}, 0) > 0`, 'reopened'),
      sum(`${c('nature')} = 'common'`, 'common_demands'),
      sum(`${c('nature')} = 'common' AND ${closedResolved}`, 'common_resolved')
    );
    // Problem groups: a group is resolved when every one of its demands (that the caller sees) is.
    const perGroup = (d: SqlPart[]) =>
      grouped(base().where(c('nature'), 'common').whereNotNull(c('problem_group_id')), d)
        .select(c('problem_group_id'), k.raw('COUNT(*) AS n'), sum(closedResolved, 'r'))
        .groupBy(c('problem_group_id'));
    const groups = (d: SqlPart[]) => {
      const g = k.from(perGroup(d).as('g')).select(k.raw('COUNT(*) AS groups'), k.raw('SUM(CASE WHEN g.r = g.n THEN 1 ELSE 0 END) AS resolved'));
      d.forEach((_, i) => g.select(`g.k${i}`).groupBy(`g.k${i}`));
      return g;
    };

    // 2. Measures: every submitted version, and those returned.
    const measures = grouped(base().join('measures as ms', 'ms.complaint_id', c('id')), dims).select(
      k.raw('COUNT(*) AS submitted'),
      k.raw(`SUM(CASE WHEN ms.review_state = 'returned' THEN 1 ELSE 0 END) AS returned`)
    );
    // 3. Assignments: each assign event, and each send-back, with the unit it concerned. The
    // filters select the complaints; a responsible-unit filter means the unit the assignment was
    // made to. The scope applies to the complaint as that unit held it.
    const heldUnit = isPg() ? `CAST(ev.data->>'responsibleUnitId' AS integer)` : `CAST(json_extract(ev.data, '$.responsibleUnitId') AS INTEGER)`;
    const { responsibleUnit, ...complaintFilters } = filters;
    const held = inMonth(
      compileFilters(
        k(`${TABLE.event} as ev`).join(C, c('id'), 'ev.complaint_id').whereIn('ev.type', ['assign', 'send_back']),
        complaintFilters,
        qctx
      ).select('ev.type', k.raw(`${heldUnit} AS responsible_unit_id`), k.raw(`'assigned' AS state`), c('lead_unit_id'), c('category_code'), c('major_category_code'), c('town'), c('received_at'))
    );
    if (responsibleUnit?.kind === 'id') held.whereRaw(`${heldUnit} IN (${responsibleUnit.values.map(() => '?').join(', ')})`, responsibleUnit.values);
    const assignments = grouped(applyScope(k.from(held.as('a')), actor, scopeOf('a')), keys.map((d) => dimension(d, 'a', months))).select(
      k.raw(`SUM(CASE WHEN a.type = 'assign' THEN 1 ELSE 0 END) AS assignments`),
      k.raw(`SUM(CASE WHEN a.type = 'send_back' THEN 1 ELSE 0 END) AS sent_back`)
    );
    // 4. Answered surveys, for domain/satisfaction.ts (the latest answer of each complaint counts).
    const surveys = base()
      .join('surveys as sv', 'sv.complaint_id', c('id'))
      .where('sv.status', 'answered')
      .select(...keySelects(dims), 'sv.complaint_id', 'sv.round', 'sv.status', 'sv.answer', 'sv.answered_at', { survey_id: 'sv.id' });
    // The statements run at once (PostgreSQL answers them on several connections).
    const [mainRows, groupRows, totalGroupRows, measureRows, assignmentRows, surveyRows] = await Promise.all([
      rowsOf(main, 'complaints'),
      // The rollup keeps each group's demands per key, and counts the groups when asked.
      rowsOf(withGroupMembers ? perGroup(dims) : groups(dims), 'problem groups'),
      dims.length && !withGroupMembers ? rowsOf(groups([]), 'problem groups') : Promise.resolve(null),
      rowsOf(measures, 'measures'),
      rowsOf(assignments, 'assignments'),
      rowsOf(surveys, 'surveys'),
    ]);
    for (const r of mainRows) {
      const n = at(r);
      n.valid = num(r.valid);
      n.resolved = num(r.resolved);
      n.policyLimited = num(r.policy_limited);
      n.traceableValid = num(r.traceable_valid);
      n.traceableResolved = num(r.traceable_resolved);
      n.traceablePolicyLimited = num(r.traceable_policy_limited);
      n.responseDue = num(r.response_due);
      n.acceptedInTime = num(r.accepted_in_time);
      n.responsePending = num(r.response_pending);
      n.completionDue = num(r.completion_due);
      n.completedOnTime = num(r.completed_on_time);
      n.closedEver = num(r.closed_ever);
      n.reopened = num(r.reopened);
      n.commonDemands = num(r.common_demands);
      n.commonDemandsResolved = num(r.common_resolved);
    }

    if (!withGroupMembers) {
      for (const r of groupRows) {
        const n = at(r);
        n.commonGroups = num(r.groups);
        n.commonGroupsResolved = num(r.resolved);
      }
    }

    for (const r of measureRows) {
      const n = at(r);
      n.measuresSubmitted = num(r.submitted);
      n.measuresReturned = num(r.returned);
    }

    for (const r of assignmentRows) {
      const n = at(r);
      n.assignments = num(r.assignments);
      n.sentBack = num(r.sent_back);
    }

    const facts = new Map<string, SurveyFact[]>();
    for (const r of surveyRows) {
      const key = rowKey(r, keys.length);
      if (!facts.has(key)) facts.set(key, []);
      facts.get(key)!.push({
        complaintId: Number(r.complaint_id),
        round: Number(r.round ?? 1),
        status: r.status,
        answer: r.answer ?? null,
        answeredAt: r.answered_at === null || r.answered_at === undefined ? null : new Date(/^\d+$/.test(String(r.answered_at)) ? Number(r.answered_at) : r.answered_at),
        id: Number(r.survey_id),
      });
      at(r);
    }
    // The totals over every complaint the caller sees: every count is a sum over the groups (each
    // complaint, measure, assignment and answer falls in exactly one), except the problem groups,
    // whose demands may fall in several.
    const total = emptyCounts();
    for (const n of counts.values()) for (const key of Object.keys(total) as Array<keyof RateCounts>) total[key] += n[key];
    if (totalGroupRows) {
      total.commonGroups = totalGroupRows.reduce((t: number, r: any) => t + num(r.groups), 0);
      total.commonGroupsResolved = totalGroupRows.reduce((t: number, r: any) => t + num(r.resolved), 0);
    }
    const allFacts = [...facts.values()].flat();
    return {
      counts,
      satisfaction: (key: string) => satisfactionRate(facts.get(key) ?? []),
      totals: { counts: total, satisfaction: satisfactionRate(allFacts) },
      groupMembers: withGroupMembers ? groupRows.map((r: any) => ({ key: rowKey(r, keys.length), problemGroupId: Number(r.problem_group_id), demands: num(r.n), resolved: num(r.r) })) : [],
    };
  };

  const unitRows = async (actor: ActorContext, by: 'unit' | 'leadUnit') => {
    const scope = complaintScope(actor);
    const q = knex()(TABLE.unit).where(by === 'unit' ? 'is_responsible' : 'is_lead', true).select('id', 'code', 'name');
    if (!scope.all) q.whereIn('id', actor.unitIds.length ? actor.unitIds : [-1]);
    return (await q) as Array<{ id: number; code: string; name: string }>;
  };

  /** The rollup's build sees every complaint, as the county office does. */
  const EVERYONE = actorContextOf(null, [ROLE_CODES.countyOffice], []);

  /** The figures of one dimension's groups: from the rollup when domain/rate-rollup.ts allows it, else from the rows. */
  const figures = async (opts: { actor: ActorContext; by: RateDimension; month: string | null; filters: Filters; now: Date; today: string; exact: boolean }) => {
    const cfg = getConfig(strapi).statistics;
    const timeZone = zone();
    const enabled = cfg?.rollup ?? true;
    let build = null;
    if (enabled && !opts.exact) {
      try {
        build = await readBuild(knex());
      } catch (e) {
        throw safeDbError(e, 'statistics (rollup build)');
      }
    }
    const reason = liveReason({ enabled, exact: opts.exact, build, filters: opts.filters, now: opts.now, today: opts.today, timeZone, maxAgeMs: (cfg?.rollupMaxAgeMinutes ?? 15) * 60_000 });
    if (reason === null && build) {
      let r;
      try {
        r = await readRollup(knex(), { actor: opts.actor, by: opts.by, month: opts.month, filters: opts.filters, ctx: { timeZone } });
      } catch (e) {
        throw safeDbError(e, 'statistics (rollup)');
      }
      const source: FiguresSource = { source: 'rollup', asOf: build.builtAt.toISOString(), liveReason: null };
      return { counts: r.counts, satisfaction: (key: string) => r.satisfaction.get(key) ?? satisfactionRate([]), totals: r.totals, source };
    }
    const g = await gather({ actor: opts.actor, keys: [opts.by], month: opts.month, filters: opts.filters, today: opts.today });
    const source: FiguresSource = { source: 'live', asOf: null, liveReason: reason };
    return { ...g, source };
  };

  const service = {
    /**
     * Rebuilds the rates' rollup (services/rate-rollup.ts) from the rows, as of `now`: the
     * warning job calls it every slot. Returns the number of key rows and the time it took.
     */
    async refreshRollup(opts: { now?: Date } = {}): Promise<{ rows: number; groups: number; tookMs: number; builtAt: Date }> {
      const started = Date.now();
      const now = opts.now ?? new Date();
      const timeZone = zone();
      const today = calendarDay(now, timeZone);
      const g = await gather({ actor: EVERYONE, keys: ROLLUP_KEY.map(([d]) => d), month: null, filters: {}, today, withGroupMembers: true });
      const rows: RollupKeyRow[] = [...g.counts.entries()].map(([key, counts]) => ({ key, counts, satisfaction: g.satisfaction(key) }));
      const tookMs = Date.now() - started;
      try {
        await writeRollup(knex(), rows, g.groupMembers, { builtAt: now, today, timeZone, tookMs });
      } catch (e) {
        throw safeDbError(e, 'statistics (rollup write)');
      }
      return { rows: rows.length, groups: g.groupMembers.length, tookMs: Date.now() - started, builtAt: now };
    },

    /** The rates of every group of one dimension, for the complaints `actor` sees (`exact`: from the rows, never the rollup). */
    async rates(opts: { actor: ActorContext; by: RateDimension; month: string | null; filters?: Filters; now?: Date; exact?: boolean }): Promise<RatesResult> {
      const { actor, by, month } = opts;
      const filters = opts.filters ?? {};
      const timeZone = zone();
      const now = opts.now ?? new Date();
      const today = calendarDay(now, timeZone);
      // The names (units, categories: small tables) are read beside the figures, not after them.
      const byUnit = by === 'unit' || by === 'leadUnit';
      const [{ counts, satisfaction, totals, source }, shown, named] = await Promise.all([
        figures({ actor, by, month, filters, now, today, exact: opts.exact ?? false }),
        byUnit ? unitRows(actor, by) : Promise.resolve([]),
        byUnit
          ? (knex()(TABLE.unit).select('id', 'code', 'name') as Promise<any[]>)
          : by === 'category'
            ? (knex()(TABLE.category).select('code', 'name') as Promise<any[]>)
            : Promise.resolve([] as any[]),
      ]);
      const labels = new Map<string, { id: number | null; code: string | null; name: string | null }>();
      if (byUnit) {
        for (const u of shown) if (!counts.has(String(u.id))) counts.set(String(u.id), emptyCounts());
        for (const u of named) if (counts.has(String(u.id))) labels.set(String(u.id), { id: Number(u.id), code: u.code, name: u.name });
      } else if (by === 'category') {
        for (const c of named) if (counts.has(c.code)) labels.set(c.code, { id: null, code: c.code, name: c.name });
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
      return { by, month, timeZone, today, rows, totals: { counts: totals.counts, rates: ratesOf(totals.counts, totals.satisfaction) }, ...source };
    },

    /** The monthly ranking of responsible units (month: YYYY-MM; the current month by default). */
    async ranking(opts: { actor: ActorContext; month: string | null; filters?: Filters; now?: Date; exact?: boolean }): Promise<RankingResult> {
      const cfg = getConfig(strapi).ranking ?? DEFAULT_RANKING;
      const timeZone = zone();
      const today = calendarDay(opts.now ?? new Date(), timeZone);
      const month = opts.month ?? today.slice(0, 7);
      const { rows, source, asOf, liveReason: why } = await service.rates({ actor: opts.actor, by: 'unit', month, filters: opts.filters, now: opts.now, exact: opts.exact });
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
        source,
        asOf,
        liveReason: why,
      };
    },
  };
  return service;
};
