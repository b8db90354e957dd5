/**
 * The rates' rollup: the counts behind the rates and the monthly ranking (services/statistics.ts
 * `gather`), summed per key (county month received, responsible unit, lead unit, category, major
 * category, town, state) and stored in rate_rollups (database/migrations/2026-12-05-rate-rollups.ts),
 * so that a month's rates at a province's scale read a few thousand rows instead of a million.
 *
 *   - Built by the same `gather` as the live figures, grouped by the whole key instead of one
 *     dimension, so there is one definition of every count. The assignments keep the unit that
 *     held the complaint and the state `assigned`, as the live query scopes them. Each key's
 *     latest survey answers are counted by domain/satisfaction.ts; a problem group's demands and
 *     resolved demands are kept per key, and groups are counted when asked.
 *   - Written in one transaction (delete, insert, the build row): a reader sees the previous
 *     build or the new one, never a mix.
 *   - Read with the scope (`applyScope`, the rule of `maySee`, on the key's state and units) and
 *     the filter module's filters compiled on the key's columns (`compileFilters` with the table).
 *   - domain/rate-rollup.ts `liveReason` says when the rollup may answer; the warning job
 *     rebuilds it every slot (bootstrap.ts), so its figures are those of at most one slot ago.
 */
import type { Knex } from 'knex';
import { TABLE } from '../constants';
import { ROLLUP_COUNT_COLUMNS } from '../database/migrations/2026-12-05-rate-rollups';
import type { Filters } from '../domain/filters';
import type { RollupBuild } from '../domain/rate-rollup';
import { emptyCounts, type RateCounts, type RateDimension } from '../domain/rates';
import { satisfactionOfCounts, type SatisfactionRate } from '../domain/satisfaction';
import type { ActorContext } from '../domain/workflow';
import { applyScope } from './access';
import { compileFilters, type QueryContext } from './complaint-query';

const R = TABLE.rateRollup;
const G = TABLE.rateRollupGroup;
const B = TABLE.rateRollupBuild;

/** The key, in the order `gather` groups it, with its columns. */
export const ROLLUP_KEY = [
  ['month', 'month'],
  ['unit', 'responsible_unit_id'],
  ['leadUnit', 'lead_unit_id'],
  ['category', 'category_code'],
  ['majorCategory', 'major_category_code'],
  ['town', 'town'],
  ['state', 'state'],
] as const;
export type KeyDimension = (typeof ROLLUP_KEY)[number][0];
const NUMERIC_KEYS = new Set(['responsible_unit_id', 'lead_unit_id']);

type CountColumn = (typeof ROLLUP_COUNT_COLUMNS)[number];
type RateCountColumn = Exclude<CountColumn, 'satisfied' | 'basically_satisfied' | 'dissatisfied'>;
const camel = (s: string) => s.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase());
const RATE_COLUMNS = ROLLUP_COUNT_COLUMNS.filter((c): c is RateCountColumn => !['satisfied', 'basically_satisfied', 'dissatisfied'].includes(c));
const countKey = (c: RateCountColumn) => camel(c) as keyof RateCounts;

export interface RollupKeyRow {
  /** JSON of the key's values as `gather` reports them (strings or null), in ROLLUP_KEY order. */
  key: string;
  counts: RateCounts;
  satisfaction: SatisfactionRate;
}

export interface RollupGroupRow {
  key: string;
  problemGroupId: number;
  demands: number;
  resolved: number;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

const keyColumns = (key: string): Record<string, string | number | null> => {
  const values = JSON.parse(key) as Array<string | null>;
  return Object.fromEntries(ROLLUP_KEY.map(([, col], i) => [col, values[i] === null ? null : NUMERIC_KEYS.has(col) ? Number(values[i]) : values[i]]));
};

const CHUNK = 400;
const PG_CHUNK = 20_000;

/**
 * Inserts the rows: on PostgreSQL as JSON turned into rows by the server (one statement per
 * 20,000 rows instead of one per 400, as bound parameters would allow); on SQLite, whose
 * inserts in one transaction cost no round trip, in chunks of bound rows.
 */
const insertAll = async (trx: Knex.Transaction, table: string, rows: Array<Record<string, unknown>>): Promise<void> => {
  if ((trx.client as { dialect?: string }).dialect === 'postgresql') {
    for (let i = 0; i < rows.length; i += PG_CHUNK) {
      await trx.raw(`INSERT INTO ?? SELECT * FROM json_populate_recordset(NULL::??, ?::json)`, [table, table, JSON.stringify(rows.slice(i, i + PG_CHUNK))]);
    }
    return;
  }
  for (let i = 0; i < rows.length; i += CHUNK) await trx(table).insert(rows.slice(i, i + CHUNK));
};

/** Replaces the rollup with these rows, in one transaction. */
export const writeRollup = async (knex: Knex, rows: RollupKeyRow[], groups: RollupGroupRow[], build: RollupBuild & { tookMs: number }): Promise<void> => {
  await knex.transaction(async (trx) => {
    await trx(R).del();
    await trx(G).del();
    await trx(B).del();
    const records = rows.map((r) => ({
      ...keyColumns(r.key),
      ...Object.fromEntries(RATE_COLUMNS.map((c) => [c, r.counts[countKey(c)]])),
      satisfied: r.satisfaction.satisfied,
      basically_satisfied: r.satisfaction.basicallySatisfied,
      dissatisfied: r.satisfaction.dissatisfied,
    }));
    const members = groups.map((g) => ({ ...keyColumns(g.key), problem_group_id: g.problemGroupId, demands: g.demands, resolved: g.resolved }));
    await insertAll(trx, R, records);
    await insertAll(trx, G, members);
    await trx(B).insert({ id: 1, built_at_ms: build.builtAt.getTime(), today: build.today, time_zone: build.timeZone, rows: records.length, took_ms: build.tookMs });
  });
};

/** The build the rollup's rows belong to, or null when it was never built. */
export const readBuild = async (knex: Knex): Promise<(RollupBuild & { rows: number; tookMs: number }) | null> => {
  const b = (await knex(B).where('id', 1).first()) as { built_at_ms: unknown; today: string; time_zone: string; rows: unknown; took_ms: unknown } | undefined;
  return b ? { builtAt: new Date(Number(b.built_at_ms)), today: b.today, timeZone: b.time_zone, rows: num(b.rows), tookMs: num(b.took_ms) } : null;
};

const DIMENSION_COLUMN: Record<RateDimension, string> = { unit: 'responsible_unit_id', leadUnit: 'lead_unit_id', category: 'category_code', town: 'town', month: 'month' };

/**
 * The rollup's counts of one dimension's groups (key '' for a complaint without one), with each
 * group's satisfaction, and the totals, for what `actor` sees under `filters` (only the
 * filters of domain/rate-rollup.ts ROLLUP_FILTERS: the caller checks).
 */
export const readRollup = async (
  knex: Knex,
  q: { actor: ActorContext; by: RateDimension; month: string | null; filters: Filters; ctx: QueryContext }
): Promise<{ counts: Map<string, RateCounts>; satisfaction: Map<string, SatisfactionRate>; totals: { counts: RateCounts; satisfaction: SatisfactionRate } }> => {
  const narrowed = (table: string) => {
    const b = knex(table);
    applyScope(b, q.actor, { state: `${table}.state`, responsibleUnitId: `${table}.responsible_unit_id`, leadUnitId: `${table}.lead_unit_id` });
    if (q.month) b.where(`${table}.month`, q.month);
    return compileFilters(b, q.filters, q.ctx, table);
  };
  const dim = `${R}.${DIMENSION_COLUMN[q.by]}`;
  const main = narrowed(R)
    .select(knex.raw('?? AS k', [dim]))
    .groupBy('k');
  for (const c of ROLLUP_COUNT_COLUMNS) main.select(knex.raw('SUM(??) AS ??', [`${R}.${c}`, c]));
  const groupsBy = (grouped: boolean) => {
    const inner = narrowed(G).select(`${G}.problem_group_id`).sum({ n: `${G}.demands` }).sum({ r: `${G}.resolved` }).groupBy(`${G}.problem_group_id`);
    if (grouped) inner.select(knex.raw('?? AS k', [`${G}.${DIMENSION_COLUMN[q.by]}`])).groupBy('k');
    const outer = knex.from(inner.as('g')).select(knex.raw('COUNT(*) AS groups'), knex.raw('SUM(CASE WHEN g.r = g.n THEN 1 ELSE 0 END) AS resolved'));
    if (grouped) outer.select('g.k').groupBy('g.k');
    return outer;
  };
  const [mainRows, groupRows, totalGroupRows] = (await Promise.all([main, groupsBy(true), groupsBy(false)])) as [any[], any[], any[]];
  const keyOf = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const counts = new Map<string, RateCounts>();
  const satisfaction = new Map<string, SatisfactionRate>();
  const total = emptyCounts();
  let [s, b, d] = [0, 0, 0];
  for (const r of mainRows) {
    const n = emptyCounts();
    for (const c of RATE_COLUMNS) n[countKey(c)] = num(r[c]);
    counts.set(keyOf(r.k), n);
    satisfaction.set(keyOf(r.k), satisfactionOfCounts(num(r.satisfied), num(r.basically_satisfied), num(r.dissatisfied)));
    for (const c of RATE_COLUMNS) total[countKey(c)] += n[countKey(c)];
    [s, b, d] = [s + num(r.satisfied), b + num(r.basically_satisfied), d + num(r.dissatisfied)];
  }
  for (const r of groupRows) {
    const key = keyOf(r.k);
    if (!counts.has(key)) counts.set(key, emptyCounts());
    const n = counts.get(key)!;
    n.commonGroups = num(r.groups);
    n.commonGroupsResolved = num(r.resolved);
  }
  total.commonGroups = num(totalGroupRows[0]?.groups);
  total.commonGroupsResolved = num(totalGroupRows[0]?.resolved);
  return { counts, satisfaction, totals: { counts: total, satisfaction: satisfactionOfCounts(s, b, d) } };
};
