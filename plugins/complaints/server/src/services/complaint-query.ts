/**
 * The filter module's SQL (issue 14): parsed filters (domain/filters.ts) compiled into one knex
 * query on `complaints`, always under the caller's scope (`applyScope`, the rule of `maySee`), so
 * a unit's user gets its own unit's rows whatever it asks for. The same SQL runs on SQLite and
 * PostgreSQL: instants are compared with bound Date values (as every Minyi write stores them),
 * calendar days and months are cut in the county's time zone by services/county-time.ts.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE } from '../constants';
import { addDays, startOfDayUtc } from '../domain/calendar';
import { sortCounts } from '../domain/column-counts';
import { statesOfValidity, type CountsRequest, type Dimension, type Filters, type ParsedFilter } from '../domain/filters';
import type { ActorContext } from '../domain/workflow';
import { getConfig, getService } from '../utils';
import { applyScope, type AdminUserLike } from './access';
import { countyMonthSql, monthsIn } from './county-time';
import { keywordCondition } from './keyword';

const T = TABLE.complaint;
const col = (c: string) => `${T}.${c}`;

/** The column each filter of a plain value reads. */
const COLUMN: Record<string, string> = {
  channel: 'channel', town: 'town', village: 'village', importBatch: 'import_batch', invalidReason: 'invalid_reason',
  majorCategory: 'major_category_code', minorCategory: 'category_code', level: 'level', leadUnit: 'lead_unit_id',
  responsibleUnit: 'responsible_unit_id', nature: 'nature', problemGroup: 'problem_group_id', mode: 'mode', state: 'state',
  warningLevel: 'warning_level', receivedAt: 'received_at', closedAt: 'closed_at', deadline: 'deadline',
};

export interface QueryContext {
  /** The county's IANA time zone (config.timeZone): where a calendar day starts. */
  timeZone: string;
}

/**
 * The answer that counts for a complaint is its latest answered survey (domain/satisfaction.ts
 * `latestAnswers`: the highest round, then the latest answer): an answered survey with no later
 * answered one.
 */
const latestAnswer = (select: string) => `SELECT ${select} FROM ${TABLE.survey} s WHERE s.complaint_id = ${col('id')} AND s.status = 'answered' AND s.answer IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM ${TABLE.survey} s2 WHERE s2.complaint_id = s.complaint_id AND s2.status = 'answered' AND s2.answer IS NOT NULL
    AND (s2.round > s.round OR (s2.round = s.round AND s2.answered_at > s.answered_at) OR (s2.round = s.round AND s2.answered_at = s.answered_at AND s2.id > s.id)))`;
const LATEST_ANSWER = latestAnswer('1');
/** The answer that counts, as a column of a query over the complaints (the public results show it). */
export const LATEST_ANSWER_COLUMN = `(${latestAnswer('s.answer')})`;

/** A complaint's spot-check result is that of its latest check (by month, then by record). */
const LATEST_SPOT_CHECK = `SELECT 1 FROM ${TABLE.spotCheck} k WHERE k.complaint_id = ${col('id')}
  AND NOT EXISTS (SELECT 1 FROM ${TABLE.spotCheck} k2 WHERE k2.complaint_id = k.complaint_id AND (k2.month > k.month OR (k2.month = k.month AND k2.id > k.id)))`;

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const compileOne = (q: Knex.QueryBuilder, f: ParsedFilter, ctx: QueryContext, col: (c: string) => string): void => {
  switch (f.name) {
    case 'ledgerNo':
      if (f.kind !== 'prefix') return;
      if (f.prefix) q.whereRaw(`?? LIKE ? ESCAPE '!'`, [col('ledger_no'), `${f.value.replace(/[!%_]/g, (c) => `!${c}`)}%`]);
      else q.where(col('ledger_no'), f.value);
      return;
    case 'keyword':
      if (f.kind === 'text') keywordCondition(q, col('content'), f.value);
      return;
    case 'traceable':
      if (f.kind !== 'bool') return;
      if (f.value) q.where(col('traceable'), true);
      else q.where((b) => b.where(col('traceable'), false).orWhereNull(col('traceable')));
      return;
    case 'reopened':
      if (f.kind !== 'bool') return;
      if (f.value) q.where(col('reopen_count'), '>', 0);
      else q.where((b) => b.where(col('reopen_count'), 0).orWhereNull(col('reopen_count')));
      return;
    case 'validity':
      if (f.kind === 'enum') q.whereIn(col('state'), Array.from(new Set(f.values.flatMap(statesOfValidity))));
      return;
    case 'satisfaction': {
      if (f.kind !== 'enum') return;
      const answers = f.values.filter((v) => v !== 'unanswered');
      const unanswered = f.values.includes('unanswered');
      q.where((b) => {
        if (answers.length) b.orWhereRaw(`EXISTS (${LATEST_ANSWER} AND s.answer IN (${placeholders(answers.length)}))`, answers);
        if (unanswered) b.orWhereRaw(`NOT EXISTS (SELECT 1 FROM ${TABLE.survey} s WHERE s.complaint_id = ${col('id')} AND s.status = 'answered' AND s.answer IS NOT NULL)`);
      });
      return;
    }
    case 'spotCheck':
      if (f.kind === 'enum') q.whereRaw(`EXISTS (${LATEST_SPOT_CHECK} AND k.result IN (${placeholders(f.values.length)}))`, f.values);
      return;
    case 'deadline':
      // A calendar-day column: compared as days.
      if (f.kind !== 'day-range') return;
      if (f.from) q.where(col('deadline'), '>=', f.from);
      if (f.to) q.where(col('deadline'), '<=', f.to);
      return;
    case 'receivedAt':
    case 'closedAt': {
      // Instants: the range runs from the start of `from` to the start of the day after `to`, in the county.
      if (f.kind !== 'day-range') return;
      const c = col(COLUMN[f.name]);
      if (f.from) q.where(c, '>=', startOfDayUtc(f.from, ctx.timeZone));
      if (f.to) q.where(c, '<', startOfDayUtc(addDays(f.to, 1), ctx.timeZone));
      return;
    }
    default:
      if (f.kind === 'exact' || f.kind === 'enum' || f.kind === 'id') q.whereIn(col(COLUMN[f.name]), f.values);
  }
};

/**
 * Narrows a query on `complaints` by the filters (scope is `scopedComplaints`' job). `table`: a
 * table whose columns carry the complaint's names, for the filters that are plain columns (the
 * rates' rollup, services/rate-rollup.ts); the filters that read other tables (satisfaction, spot
 * check) and the keyword are only compiled on `complaints`.
 */
export const compileFilters = <Q extends Knex.QueryBuilder>(q: Q, filters: Filters, ctx: QueryContext, table: string = T): Q => {
  const at = (c: string) => `${table}.${c}`;
  for (const f of Object.values(filters)) if (f) compileOne(q, f, ctx, at);
  return q;
};

/** The complaints `actor` may see (the rule of `maySee`), narrowed by `filters`. */
export const scopedComplaints = (knex: Knex, filters: Filters, actor: ActorContext, ctx: QueryContext): Knex.QueryBuilder => {
  const q = knex(T);
  applyScope(q, actor, { state: col('state'), responsibleUnitId: col('responsible_unit_id'), leadUnitId: col('lead_unit_id') });
  return compileFilters(q, filters, ctx);
};

/** The column of each plain dimension; the months are cut from an instant column. */
const DIMENSION_COLUMN: Record<Exclude<Dimension, 'monthReceived' | 'monthClosed'>, string> = {
  unit: 'responsible_unit_id', leadUnit: 'lead_unit_id', majorCategory: 'major_category_code', minorCategory: 'category_code',
  town: 'town', state: 'state', mode: 'mode', warningLevel: 'warning_level', channel: 'channel', nature: 'nature',
};
const MONTH_COLUMN = { monthReceived: 'received_at', monthClosed: 'closed_at' } as const;
const NUMERIC_DIMENSIONS: readonly Dimension[] = ['unit', 'leadUnit'];

/** A stored instant as a Date: SQLite holds epoch milliseconds (sometimes as text), PostgreSQL a timestamp. */
export const toDate = (v: unknown): Date | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  return new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string | number));
};

export interface CountRow {
  [key: string]: string | number | null;
  count: number;
}

export interface CountsResult {
  data: CountRow[];
  meta: {
    total: number;
    by: Dimension[];
    /** Where the counts come from (GET /stats/counts): the rows, or the statistics columns in memory as of `asOf`. */
    source?: 'live' | 'columns';
    asOf?: string | null;
    liveReason?: string | null;
  };
}

/** Grouped counts of the complaints `actor` may see under `filters`: largest first, then by the keys (no key last). */
export const countComplaints = async (knex: Knex, request: CountsRequest, actor: ActorContext, ctx: QueryContext): Promise<CountsResult> => {
  const base = () => scopedComplaints(knex, request.filters, actor, ctx);
  const selects: Array<{ sql: string; bindings: unknown[] }> = [];
  for (const d of request.by) {
    // The months of the whole table, whose least and greatest value the column's index answers at
    // once: under a filter, the least matching value can cost a walk of the whole index.
    if (d === 'monthReceived' || d === 'monthClosed') selects.push(countyMonthSql(col(MONTH_COLUMN[d]), await monthsIn(knex(T), col(MONTH_COLUMN[d]), ctx.timeZone)));
    else selects.push({ sql: '??', bindings: [col(DIMENSION_COLUMN[d])] });
  }
  const q = base();
  selects.forEach((s, i) => q.select(knex.raw(`${s.sql} AS ??`, [...s.bindings, `k${i}`])));
  q.count({ n: '*' }).groupBy(selects.map((_, i) => `k${i}`));
  const rows = (await q) as Array<Record<string, unknown>>;
  const data: CountRow[] = rows.map((r) => {
    const row: CountRow = { count: Number(r.n) };
    request.by.forEach((d, i) => {
      const v = r[`k${i}`];
      row[d] = v === null || v === undefined ? null : NUMERIC_DIMENSIONS.includes(d) ? Number(v) : String(v);
    });
    return row;
  });
  sortCounts(data, request.by);
  return { data, meta: { total: data.reduce((t, r) => t + r.count, 0), by: request.by } };
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const ctx = (): QueryContext => ({ timeZone: getConfig(strapi).timeZone });
  const actorOf = (user: AdminUserLike) => getService('access', strapi).context(user);

  // Other readers (export, workbench) build on `scopedComplaints` with the user's actor: a query
  // builder is a thenable, so a service method returning one would run it.
  return {
    /** GET /stats/counts: counts grouped by one or two dimensions, under the filters and the user's scope. */
    async counts(request: CountsRequest, user: AdminUserLike): Promise<CountsResult> {
      const actor = await actorOf(user);
      const fromColumns = getService('stats-columns', strapi).counts(request, actor);
      if (fromColumns.result) return { data: fromColumns.result.data, meta: { ...fromColumns.result.meta, source: 'columns', asOf: fromColumns.asOf?.toISOString() ?? null, liveReason: null } };
      const live = await countComplaints(strapi.db.connection, request, actor, ctx());
      return { data: live.data, meta: { ...live.meta, source: 'live', asOf: null, liveReason: fromColumns.reason } };
    },
  };
};
