/**
 * The rates of DOMAIN.md ("Rates"), each a pure function over counts: a numerator, a
 * denominator, and the rate, or null when the denominator is 0 (never NaN). The counts are
 * gathered in SQL (services/statistics.ts); the rules of what counts are stated here once.
 *
 * Which complaints a figure covers (a month is the month the complaint was received, in the
 * county's time zone, so every figure of a month is about the same complaints):
 *   - valid: screened valid, i.e. in any state after `received` and `invalid`;
 *   - resolved: closed, and not `policy_limited`. A policy-limited complaint that is closed is
 *     its own outcome: counted apart (`policyLimited`), never as resolved, and it stays in the
 *     denominator (it is a valid complaint the county could not resolve);
 *   - response 响应率: accepted on or before the response deadline (calendar days, county time)
 *     ÷ assigned. An assignment still waiting inside its response time is not yet decided: it is
 *     counted as pending, in neither number. One that is overdue and still not accepted counts
 *     in the denominator only;
 *   - on-time completion 按期完成率: completed on or before the measure deadline ÷ complaints
 *     whose deadline has been met or missed (completed, or overdue and not completed);
 *     `policy_limited` complaints have no deadline and are not counted;
 *   - send-back rate 回退率 (DOMAIN.md: returned measures ÷ submitted): measures the lead unit
 *     returned ÷ measures submitted (each version counts);
 *   - reopen rate 重新整改率: complaints reopened at least once ÷ complaints closed at least once;
 *   - assignment accuracy 交办准确率 (DOMAIN.md: 1 − sent back ÷ assigned): assignments the unit
 *     kept ÷ assignments made to it, counted per assignment, so a complaint sent back by one unit
 *     and assigned to another counts against the first only;
 *   - satisfaction 满意率: domain/satisfaction.ts (latest answer per complaint);
 *   - common problems: per citizen demand (resolved ÷ common demands) and per problem group
 *     (groups whose every demand is resolved ÷ groups).
 */
import { DomainError } from './errors';
import { parseFilters, type Filters } from './filters';
import type { SatisfactionRate } from './satisfaction';

export interface Rate {
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator; null when the denominator is 0. */
  rate: number | null;
}

const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0;

/** numerator ÷ denominator as a Rate. Counts are whole and 0 ≤ numerator ≤ denominator. */
export const ratio = (numerator: number, denominator: number): Rate => {
  if (!isCount(numerator) || !isCount(denominator) || numerator > denominator) {
    throw new Error(`[complaints] not a rate: ${numerator} / ${denominator}`);
  }
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
};

/** What the SQL gathers for one group (a unit, a category, a town, a month, ...). */
export interface RateCounts {
  /** Valid complaints (screened valid). */
  valid: number;
  /** Closed and not policy_limited. */
  resolved: number;
  /** Closed as policy_limited: counted apart. */
  policyLimited: number;
  traceableValid: number;
  traceableResolved: number;
  traceablePolicyLimited: number;
  /** Assigned complaints whose response is decided: accepted, or past the response deadline. */
  responseDue: number;
  /** Accepted on or before the response deadline. */
  acceptedInTime: number;
  /** Assigned, not accepted, response deadline not yet passed. */
  responsePending: number;
  /** Complaints with a measure deadline that was met or missed. */
  completionDue: number;
  completedOnTime: number;
  measuresSubmitted: number;
  measuresReturned: number;
  closedEver: number;
  reopened: number;
  /** Assignments made to the unit (one per assign), and those it sent back. */
  assignments: number;
  sentBack: number;
  commonDemands: number;
  commonDemandsResolved: number;
  commonGroups: number;
  commonGroupsResolved: number;
}

export const COUNT_KEYS: readonly (keyof RateCounts)[] = [
  'valid', 'resolved', 'policyLimited', 'traceableValid', 'traceableResolved', 'traceablePolicyLimited',
  'responseDue', 'acceptedInTime', 'responsePending', 'completionDue', 'completedOnTime',
  'measuresSubmitted', 'measuresReturned', 'closedEver', 'reopened', 'assignments', 'sentBack',
  'commonDemands', 'commonDemandsResolved', 'commonGroups', 'commonGroupsResolved',
];

export const emptyCounts = (): RateCounts => Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as unknown as RateCounts;

export const responseRate = (c: Pick<RateCounts, 'acceptedInTime' | 'responseDue'>): Rate => ratio(c.acceptedInTime, c.responseDue);

export const resolutionRate = (c: Pick<RateCounts, 'resolved' | 'valid'>): Rate => ratio(c.resolved, c.valid);

export const traceableResolutionRate = (c: Pick<RateCounts, 'traceableResolved' | 'traceableValid'>): Rate =>
  ratio(c.traceableResolved, c.traceableValid);

export const onTimeCompletionRate = (c: Pick<RateCounts, 'completedOnTime' | 'completionDue'>): Rate => ratio(c.completedOnTime, c.completionDue);

export const sendBackRate = (c: Pick<RateCounts, 'measuresReturned' | 'measuresSubmitted'>): Rate => ratio(c.measuresReturned, c.measuresSubmitted);

export const reopenRate = (c: Pick<RateCounts, 'reopened' | 'closedEver'>): Rate => ratio(c.reopened, c.closedEver);

/** 1 − sent back ÷ assigned, as kept ÷ assigned (so its numerator is a count too). */
export const assignmentAccuracy = (c: Pick<RateCounts, 'assignments' | 'sentBack'>): Rate => ratio(c.assignments - c.sentBack, c.assignments);

export const commonDemandRate = (c: Pick<RateCounts, 'commonDemandsResolved' | 'commonDemands'>): Rate => ratio(c.commonDemandsResolved, c.commonDemands);

export const commonGroupRate = (c: Pick<RateCounts, 'commonGroupsResolved' | 'commonGroups'>): Rate => ratio(c.commonGroupsResolved, c.commonGroups);

export type SatisfactionFigure = Rate & Pick<SatisfactionRate, 'satisfied' | 'basicallySatisfied' | 'dissatisfied'>;

/** The satisfaction rate of domain/satisfaction.ts in the shape of the other rates. */
export const satisfactionFigure = (s: SatisfactionRate): SatisfactionFigure => ({
  ...ratio(s.satisfied + s.basicallySatisfied, s.answered),
  satisfied: s.satisfied,
  basicallySatisfied: s.basicallySatisfied,
  dissatisfied: s.dissatisfied,
});

export interface Rates {
  response: Rate;
  resolution: Rate;
  resolutionTraceable: Rate;
  satisfaction: SatisfactionFigure;
  onTimeCompletion: Rate;
  sendBack: Rate;
  reopen: Rate;
  assignmentAccuracy: Rate;
  commonPerDemand: Rate;
  commonPerGroup: Rate;
}

/** Every rate of one group. */
export const ratesOf = (c: RateCounts, satisfaction: SatisfactionRate): Rates => ({
  response: responseRate(c),
  resolution: resolutionRate(c),
  resolutionTraceable: traceableResolutionRate(c),
  satisfaction: satisfactionFigure(satisfaction),
  onTimeCompletion: onTimeCompletionRate(c),
  sendBack: sendBackRate(c),
  reopen: reopenRate(c),
  assignmentAccuracy: assignmentAccuracy(c),
  commonPerDemand: commonDemandRate(c),
  commonPerGroup: commonGroupRate(c),
});

/** The dimensions rates are grouped by. */
export const RATE_DIMENSIONS = ['unit', 'leadUnit', 'category', 'town', 'month'] as const;
export type RateDimension = (typeof RATE_DIMENSIONS)[number];

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A calendar month as YYYY-MM. */
export const isMonth = (v: unknown): v is string => typeof v === 'string' && MONTH_RE.test(v);

/** The first day of a month and of the month after it (YYYY-MM-DD). */
export const monthDays = (month: string): { first: string; next: string } => {
  const m = MONTH_RE.exec(month);
  if (!m) throw new Error(`[complaints] not a month: ${month}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  return { first: `${month}-01`, next: `${next}-01` };
};

export interface StatsQuery {
  by: RateDimension;
  month: string | null;
  /** The filter module's filters (domain/filters.ts): the same parameters, and the same refusals, as the counts. */
  filters: Filters;
}

const bad = (code: string, zh: string, en: string, details: Record<string, unknown> = {}) => new DomainError('validation', code, zh, en, details);

/**
 * The query of the rates and ranking routes: `by` (one of RATE_DIMENSIONS) and `month`
 * (YYYY-MM), each only where `allowed` lists it, and any of the 25 filters. Every other
 * parameter is refused by the filter module (unknown filter, personal field), never dropped.
 */
export const parseStatsQuery = (query: Record<string, unknown>, allowed: ReadonlyArray<'by' | 'month'>): StatsQuery => {
  const filters = parseFilters(query ?? {}, allowed);
  const by = allowed.includes('by') ? (query.by ?? 'unit') : 'unit';
  if (typeof by !== 'string' || !(RATE_DIMENSIONS as readonly string[]).includes(by)) {
    throw bad('invalid_input', `by 应为 ${RATE_DIMENSIONS.join(' / ')} 之一`, `by must be one of ${RATE_DIMENSIONS.join(', ')}`, { field: 'by', allowed: [...RATE_DIMENSIONS] });
  }
  const month = allowed.includes('month') ? (query.month ?? null) : null;
  if (month !== null && !isMonth(month)) {
    throw bad('invalid_input', 'month 应为 YYYY-MM 格式的月份', 'month must be a month as YYYY-MM', { field: 'month' });
  }
  return { by: by as RateDimension, month, filters };
};
