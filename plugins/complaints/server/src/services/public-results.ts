/**
 * The public figures (公开数据): the summary, the closed results and the ranking the public page
 * and `/api/minyi/*` show. Every figure comes from the same functions as the admin statistics
 * (services/statistics.ts for the rates and the ranking, services/complaint-query.ts for the
 * counts and the filters), with the county-wide read-only actor; every answer is assembled here
 * from named fields, never by serializing a record.
 */
import type { Core } from '@strapi/strapi';
import { TABLE } from '../constants';
import { addDays, calendarDay } from '../domain/calendar';
import { parseFilters, type Filters } from '../domain/filters';
import { personalDataIn } from '../domain/public-summary';
import {
  PUBLIC_ACTOR, PUBLIC_RESULT_COLUMNS, STATE_GROUPS, publicResult, stateGroupOf,
  type PublicQuery, type PublicResult, type PublicResultRow, type StateGroup,
} from '../domain/public-data';
import { monthDays, type Rate, type RateDimension, type Rates } from '../domain/rates';
import { getConfig, getService, safeDbError } from '../utils';
import { countComplaints, LATEST_ANSWER_COLUMN, scopedComplaints } from './complaint-query';
import type { RateRow } from './statistics';

/** The three rates the public sees, each with its numerator and denominator. */
export interface PublicRates {
  response: Rate;
  resolution: Rate;
  satisfaction: Rate;
}

const rate = (r: Rate): Rate => ({ numerator: r.numerator, denominator: r.denominator, rate: r.rate });
const publicRates = (r: Pick<Rates, 'response' | 'resolution' | 'satisfaction'>): PublicRates => ({ response: rate(r.response), resolution: rate(r.resolution), satisfaction: rate(r.satisfaction) });
const sumRate = (rs: Rate[]): Rate => {
  const numerator = rs.reduce((t, r) => t + r.numerator, 0);
  const denominator = rs.reduce((t, r) => t + r.denominator, 0);
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
};
/** Rates of several groups as one: every public rate is a ratio of counts each complaint adds to once. */
const sumRates = (rows: PublicRates[]): PublicRates => ({
  response: sumRate(rows.map((r) => r.response)),
  resolution: sumRate(rows.map((r) => r.resolution)),
  satisfaction: sumRate(rows.map((r) => r.satisfaction)),
});

export interface PublicSummary {
  county: { name: string; nameEn: string };
  filters: { category: string | null; town: string | null; month: string | null };
  timeZone: string;
  today: string;
  totals: { complaints: number; valid: number; closed: number; byStateGroup: Record<StateGroup, number>; rates: PublicRates };
  byCategory: Array<{ code: string | null; name: string | null; complaints: number; rates: PublicRates | null }>;
  byTown: Array<{ town: string | null; complaints: number; rates: PublicRates | null }>;
  trend: Array<{ month: string; complaints: number; rates: PublicRates | null }>;
}

/** How many distinct public questions the cache keeps. */
const CACHE_MAX = 500;
/** A kept answer is served while a fresh one is computed until it is this many times cacheSeconds old. */
const STALE_LIMIT = 10;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const timeZone = () => getConfig(strapi).timeZone;
  const page = () => getConfig(strapi).publicPage;

  /** The filter module's filters for the public dimensions (category, town, month received). */
  const filtersOf = (q: Pick<PublicQuery, 'category' | 'town' | 'month'>): Filters => {
    const raw: Record<string, string> = {};
    if (q.category) raw[q.category.length === 2 ? 'majorCategory' : 'minorCategory'] = q.category;
    if (q.town) raw.town = q.town;
    if (q.month) {
      const { first, next } = monthDays(q.month);
      raw.receivedAt = `${first}..${addDays(next, -1)}`;
    }
    return parseFilters(raw);
  };

  /**
   * The adapter to the statistics service's rates: today they take a month only, so a town or a
   * category filter is applied by taking (or adding up) the rows of that dimension. Rates of
   * another dimension under such a filter are not computed yet (null), rather than shown
   * unfiltered. When the statistics take filters, this is the one place to change.
   */
  const ratesBy = async (by: RateDimension, q: Pick<PublicQuery, 'category' | 'town' | 'month'>): Promise<{ rows: Map<string, PublicRates>; totals: PublicRates } | null> => {
    const stats = getService('statistics', strapi);
    const filterDim: RateDimension | null = q.town ? 'town' : q.category ? 'category' : null;
    const keep = (r: RateRow) => (q.town ? r.key === q.town : q.category ? (r.key ?? '').startsWith(q.category) : true);
    if (filterDim && filterDim !== by) return null;
    const result = await stats.rates({ actor: PUBLIC_ACTOR, by, month: q.month });
    const rows = new Map<string, PublicRates>();
    for (const r of result.rows) if (keep(r)) rows.set(r.key ?? '', publicRates(r.rates));
    return { rows, totals: filterDim ? sumRates([...rows.values()]) : publicRates(result.totals.rates) };
  };

  const categoryNames = async (codes: string[]): Promise<Map<string, string>> => {
    const list = codes.filter(Boolean);
    if (!list.length) return new Map();
    const rows = (await knex()(TABLE.category).whereIn('code', list).select('code', 'name')) as Array<{ code: string; name: string }>;
    return new Map(rows.map((r) => [r.code, r.name]));
  };

  const compute = {
    /** GET /api/minyi/summary: totals, the three rates, by category and town, the monthly trend. */
    async summary(q: PublicQuery, now = new Date()): Promise<PublicSummary> {
      const filters = filtersOf(q);
      const ctx = { timeZone: timeZone() };
      const count = (by: Parameters<typeof countComplaints>[1]['by']) => countComplaints(knex(), { by, filters }, PUBLIC_ACTOR, ctx);
      try {
        // The four counts and the three rates at once, each on its own connection of the pool.
        const [byState, byMajor, byTown, byMonth, catRates, townRates, monthRates] = await Promise.all([
          count(['state']), count(['majorCategory']), count(['town']), count(['monthReceived']),
          ratesBy('category', q), ratesBy('town', q), ratesBy('month', q),
        ]);
        const groups = Object.fromEntries(STATE_GROUPS.map((g) => [g, 0])) as Record<StateGroup, number>;
        for (const r of byState.data) groups[stateGroupOf(String(r.state))] += r.count;

        // Rates: the totals under the filter are those of the breakdown by town under a town filter,
        // else by category; the category rows are minor categories, added up per major.
        const forTotals = q.town ? townRates : catRates;
        const majorRates = (code: string | null): PublicRates | null => {
          if (!catRates) return null;
          const rows = [...catRates.rows.entries()].filter(([k]) => (code ? k.startsWith(code) : k === '')).map(([, v]) => v);
          return sumRates(rows);
        };
        const names = await categoryNames(byMajor.data.map((r) => String(r.majorCategory ?? '')));
        const month = (m: unknown) => String(m ?? '');
        return {
          county: { name: page().countyName, nameEn: page().countyNameEn },
          filters: { category: q.category, town: q.town, month: q.month },
          timeZone: ctx.timeZone,
          today: calendarDay(now, ctx.timeZone),
          totals: {
            complaints: byState.meta.total,
            valid: byState.meta.total - groups.received - groups.invalid,
            closed: groups.closed,
            byStateGroup: groups,
            rates: (forTotals as NonNullable<typeof forTotals>).totals,
          },
          byCategory: byMajor.data
            .map((r) => ({ code: r.majorCategory === null ? null : String(r.majorCategory), name: names.get(String(r.majorCategory)) ?? null, complaints: r.count, rates: majorRates(r.majorCategory === null ? null : String(r.majorCategory)) }))
            .sort((a, b) => (a.code === null ? 1 : b.code === null ? -1 : a.code < b.code ? -1 : 1)),
          byTown: byTown.data.map((r) => ({ town: r.town === null ? null : String(r.town), complaints: r.count, rates: townRates?.rows.get(String(r.town ?? '')) ?? (townRates ? sumRates([]) : null) })),
          trend: byMonth.data
            .filter((r) => r.monthReceived !== null)
            .map((r) => ({ month: month(r.monthReceived), complaints: r.count, rates: monthRates ? (monthRates.rows.get(month(r.monthReceived)) ?? sumRates([])) : null }))
            .sort((a, b) => (a.month < b.month ? -1 : 1)),
        };
      } catch (e) {
        throw safeDbError(e, 'public summary');
      }
    },

    /** GET /api/minyi/results: closed complaints, latest closed first, as public results. */
    async results(q: PublicQuery): Promise<{ data: PublicResult[]; meta: { page: number; pageSize: number; total: number } }> {
      const k = knex();
      const ctx = { timeZone: timeZone() };
      const base = () => scopedComplaints(k, filtersOf(q), PUBLIC_ACTOR, ctx).where(`${TABLE.complaint}.state`, 'closed');
      try {
        const total = Number(((await base().count({ n: '*' }).first()) as { n: unknown } | undefined)?.n ?? 0);
        const T = TABLE.complaint;
        const measure = k('measures as m')
          .select('m.text')
          .whereRaw(`m.complaint_id = ${T}.id`)
          .where('m.review_state', 'approved')
          .orderBy('m.version', 'desc')
          .limit(1)
          .as('measure_text');
        // The answer of record: the latest answered survey, the one the satisfaction rate counts.
        const answer = k.raw(`${LATEST_ANSWER_COLUMN} AS satisfaction`);
        const rows = (await base()
          .leftJoin(`${TABLE.category} as minor`, 'minor.code', `${T}.category_code`)
          .leftJoin(`${TABLE.category} as major`, 'major.code', `${T}.major_category_code`)
          .select(...PUBLIC_RESULT_COLUMNS.map((c) => `${T}.${c}`), 'minor.name as minor_name', 'major.name as major_name', measure, answer)
          .orderBy(`${T}.closed_at`, 'desc')
          .orderBy(`${T}.id`, 'desc')
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize)) as PublicResultRow[];
        const data = rows.map((r) => {
          // The measure is a unit's text: shown only when it holds nothing that looks personal.
          const text = typeof r.measure_text === 'string' && personalDataIn(r.measure_text).length === 0 ? r.measure_text : null;
          return publicResult({ ...r, measure_text: text }, ctx.timeZone);
        });
        return { data, meta: { page: q.page, pageSize: q.pageSize, total } };
      } catch (e) {
        throw safeDbError(e, 'public results');
      }
    },

    /** GET /api/minyi/ranking: the monthly unit ranking, with each rate's numerator and denominator. */
    async ranking(q: Pick<PublicQuery, 'month'>, now = new Date()) {
      const r = await getService('statistics', strapi).ranking({ actor: PUBLIC_ACTOR, month: q.month, now });
      const unit = (u: (typeof r.units)[number]) => ({ rank: u.rank, composite: u.composite, code: u.code, name: u.name, rates: publicRates(u.rates) });
      return { month: r.month, weights: r.weights, units: r.units.map(unit), redList: r.redList.map(unit), blackList: r.blackList.map(unit) };
    },
  };

  // The public figures are the same for every caller: each answer is kept for
  // publicPage.cacheSeconds (the minute a proxy may keep it too), so a crowd of citizens costs
  // the database one computation a minute per distinct question. Calls that arrive while it is
  // computed share it. Once an answer is older than that, the next call still gets it while a
  // fresh one is computed in the background (at a province's scale the summary takes seconds to
  // compute; no citizen should wait for it); an answer older than STALE_LIMIT times the time is
  // not served any more. A failure is not kept; at most CACHE_MAX questions are kept.
  interface Entry {
    at: number;
    value: Promise<unknown>;
    settled: boolean;
    refreshing: boolean;
  }
  const cache = new Map<string, Entry>();
  const keep = (key: string, run: () => Promise<unknown>, now: number, previous?: Entry): Promise<unknown> => {
    const value = run();
    const entry: Entry = { at: now, value, settled: false, refreshing: false };
    value.then(
      () => {
        entry.settled = true;
        cache.delete(key);
        cache.set(key, entry);
        while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value as string);
      },
      () => {
        if (previous) previous.refreshing = false;
        else if (cache.get(key) === entry) cache.delete(key);
      }
    );
    if (!previous) cache.set(key, entry);
    return value;
  };
  const cached = <T>(key: string, run: () => Promise<T>): Promise<T> => {
    const ttl = page().cacheSeconds * 1000;
    if (!(ttl > 0)) return run();
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && (now - hit.at < ttl || !hit.settled)) return hit.value as Promise<T>;
    if (hit && now - hit.at < ttl * STALE_LIMIT) {
      if (!hit.refreshing) {
        hit.refreshing = true;
        keep(key, run, now, hit).catch(() => undefined);
      }
      return hit.value as Promise<T>;
    }
    return keep(key, run, now) as Promise<T>;
  };

  return {
    /** GET /api/minyi/summary (cached; with an explicit `now`, computed afresh). */
    summary: (q: PublicQuery, now?: Date): Promise<PublicSummary> => (now ? compute.summary(q, now) : cached(`summary:${JSON.stringify(q)}`, () => compute.summary(q))),
    /** GET /api/minyi/results (cached). */
    results: (q: PublicQuery) => cached(`results:${JSON.stringify(q)}`, () => compute.results(q)),
    /** GET /api/minyi/ranking (cached; with an explicit `now`, computed afresh). */
    ranking: (q: Pick<PublicQuery, 'month'>, now?: Date) => (now ? compute.ranking(q, now) : cached(`ranking:${JSON.stringify({ month: q.month })}`, () => compute.ranking(q))),
    /** Forgets every kept answer. */
    clearCache(): void {
      cache.clear();
    },
  };
};
