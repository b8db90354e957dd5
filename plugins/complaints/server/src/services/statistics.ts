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
import { satisfactionRate, type SurveyFact } from '../domain/satisfaction';
import { complaintScope, type ActorContext } from '../domain/workflow';
import { getConfig, safeDbError } from '../utils';
import { applyScope, type ScopeColumns } from './access';
import { compileFilters, scopedComplaints } from './complaint-query';
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
  const dimension = (by: RateDimension | null, alias: string, months: Array<[string, Date]>, unitColumn = `${alias}.responsible_unit_id`): SqlPart | null => {
    const plain = (sql: string): SqlPart => ({ sql, bindings: [] });
    switch (by) {
      case null:
        return null;
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

  // Grouped by the alias `k` (PostgreSQL would not see a select expression with bindings and
  // the same expression in GROUP BY as one).
  const grouped = (q: Knex.QueryBuilder, dim: SqlPart | null) => {
    q.select(dim ? knex().raw(`${dim.sql} AS k`, dim.bindings) : knex().raw('NULL AS k'));
    if (dim) q.groupBy('k');
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

  interface GatherRequest {
    actor: ActorContext;
    by: RateDimension | null;
    month: string | null;
    filters: Filters;
    today: string;
  }

  /** The counts of every group (key '' for no group / a complaint without one). */
  const gather = async ({ actor, by, month, filters, today }: GatherRequest) => {
    const k = knex();
    const timeZone = zone();
    const qctx = { timeZone };
    const counts = new Map<string, RateCounts>();
    const at = (key: unknown): RateCounts => {
      const s = keyOf(key);
      let r = counts.get(s);
      if (!r) counts.set(s, (r = emptyCounts()));
      return r;
    };
    // Months of the whole table (its index answers the least and greatest receipt at once): the
    // assignments a unit sent back may belong to complaints outside its own filtered rows.
    const months = by === 'month' ? await monthsIn(k(C), c('received_at'), timeZone) : [];
    const closedResolved = `${c('state')} = 'closed' AND COALESCE(${c('mode')}, '') <> 'policy_limited'`;
    const closedPolicy = `${c('state')} = 'closed' AND ${c('mode')} = 'policy_limited'`;
    const sum = (cond: string, as: string) => k.raw(`SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END) AS ${as}`);
    const todayLit = dayLit(today);
    const hasDeadline = `COALESCE(${c('mode')}, '') <> 'policy_limited' AND ${c('deadline')} IS NOT NULL AND ${c('state')} IN ('rectifying', 'signing', 'closed')`;
    const inMonth = <Q extends Knex.QueryBuilder>(q: Q): Q => (month ? whereInCountyMonth(q, c('received_at'), month, timeZone) : q);

    // 1. Complaint columns: the valid complaints the caller sees, under the filters.
    const base = () => inMonth(scopedComplaints(k, filters, actor, qctx).whereNotIn(c('state'), VALID_EXCLUDED));
    const dim = dimension(by, C, months);
    const main = grouped(base(), dim).select(
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
    const groups = (d: SqlPart | null) => {
      const perGroup = grouped(base().where(c('nature'), 'common').whereNotNull(c('problem_group_id')), d)
        .select(c('problem_group_id'), k.raw('COUNT(*) AS n'), sum(closedResolved, 'r'))
        .groupBy(c('problem_group_id'));
      return k.from(perGroup.as('g')).select('g.k', k.raw('COUNT(*) AS groups'), k.raw('SUM(CASE WHEN g.r = g.n THEN 1 ELSE 0 END) AS resolved')).groupBy('g.k');
    };

    // 2. Measures: every submitted version, and those returned.
    const measures = grouped(base().join('measures as ms', 'ms.complaint_id', c('id')), dim).select(
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
      ).select('ev.type', k.raw(`${heldUnit} AS responsible_unit_id`), k.raw(`'assigned' AS state`), c('lead_unit_id'), c('category_code'), c('town'), c('received_at'))
    );
    if (responsibleUnit?.kind === 'id') held.whereRaw(`${heldUnit} IN (${responsibleUnit.values.map(() => '?').join(', ')})`, responsibleUnit.values);
    const assignments = grouped(applyScope(k.from(held.as('a')), actor, scopeOf('a')), dimension(by, 'a', months)).select(
      k.raw(`SUM(CASE WHEN a.type = 'assign' THEN 1 ELSE 0 END) AS assignments`),
      k.raw(`SUM(CASE WHEN a.type = 'send_back' THEN 1 ELSE 0 END) AS sent_back`)
    );
    // 4. Answered surveys, for domain/satisfaction.ts (the latest answer of each complaint counts).
    const surveys = base()
      .join('surveys as sv', 'sv.complaint_id', c('id'))
      .where('sv.status', 'answered')
      .select(dim ? k.raw(`${dim.sql} AS k`, dim.bindings) : k.raw('NULL AS k'), 'sv.complaint_id', 'sv.round', 'sv.status', 'sv.answer', 'sv.answered_at');
    // The statements run at once (PostgreSQL answers them on several connections).
    const [mainRows, groupRows, totalGroupRows, measureRows, assignmentRows, surveyRows] = await Promise.all([
      rowsOf(main, 'complaints'),
      rowsOf(groups(dim), 'problem groups'),
      dim ? rowsOf(groups(null), 'problem groups') : Promise.resolve(null),
      rowsOf(measures, 'measures'),
      rowsOf(assignments, 'assignments'),
      rowsOf(surveys, 'surveys'),
    ]);
    for (const r of mainRows) {
      const n = at(r.k);
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

    for (const r of groupRows) {
      const n = at(r.k);
      n.commonGroups = num(r.groups);
      n.commonGroupsResolved = num(r.resolved);
    }

    for (const r of measureRows) {
      const n = at(r.k);
      n.measuresSubmitted = num(r.submitted);
      n.measuresReturned = num(r.returned);
    }

    for (const r of assignmentRows) {
      const n = at(r.k);
      n.assignments = num(r.assignments);
      n.sentBack = num(r.sent_back);
    }

    const facts = new Map<string, SurveyFact[]>();
    for (const r of surveyRows) {
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
    return { counts, satisfaction: (key: string) => satisfactionRate(facts.get(key) ?? []), totals: { counts: total, satisfaction: satisfactionRate(allFacts) } };
  };

  const unitRows = async (actor: ActorContext, by: 'unit' | 'leadUnit') => {
    const scope = complaintScope(actor);
    const q = knex()(TABLE.unit).where(by === 'unit' ? 'is_responsible' : 'is_lead', true).select('id', 'code', 'name');
    if (!scope.all) q.whereIn('id', actor.unitIds.length ? actor.unitIds : [-1]);
    return (await q) as Array<{ id: number; code: string; name: string }>;
  };

  const service = {
    /** The rates of every group of one dimension, for the complaints `actor` sees. */
    async rates(opts: { actor: ActorContext; by: RateDimension; month: string | null; filters?: Filters; now?: Date }): Promise<RatesResult> {
      const { actor, by, month } = opts;
      const filters = opts.filters ?? {};
      const timeZone = zone();
      const today = calendarDay(opts.now ?? new Date(), timeZone);
      const { counts, satisfaction, totals } = await gather({ actor, by, month, filters, today });
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
      return { by, month, timeZone, today, rows, totals: { counts: totals.counts, rates: ratesOf(totals.counts, totals.satisfaction) } };
    },

    /** The monthly ranking of responsible units (month: YYYY-MM; the current month by default). */
    async ranking(opts: { actor: ActorContext; month: string | null; filters?: Filters; now?: Date }): Promise<RankingResult> {
      const cfg = getConfig(strapi).ranking ?? DEFAULT_RANKING;
      const timeZone = zone();
      const today = calendarDay(opts.now ?? new Date(), timeZone);
      const month = opts.month ?? today.slice(0, 7);
      const { rows } = await service.rates({ actor: opts.actor, by: 'unit', month, filters: opts.filters, now: opts.now });
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
