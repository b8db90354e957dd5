import {
  assignmentAccuracy,
  commonDemandRate,
  commonGroupRate,
  emptyCounts,
  isMonth,
  monthDays,
  onTimeCompletionRate,
  parseStatsQuery,
  ratesOf,
  ratio,
  reopenRate,
  resolutionRate,
  responseRate,
  satisfactionFigure,
  sendBackRate,
  traceableResolutionRate,
  type RateCounts,
} from '../../../plugins/complaints/server/src/domain/rates';
import { latestAnswers, satisfactionRate, type SurveyFact } from '../../../plugins/complaints/server/src/domain/satisfaction';
import { DomainError } from '../../../plugins/complaints/server/src/domain/errors';

const counts = (c: Partial<RateCounts>): RateCounts => ({ ...emptyCounts(), ...c });

describe('a rate is numerator ÷ denominator, null (never NaN) when nothing is counted', () => {
  const table: Array<[number, number, number | null]> = [
    [0, 0, null],
    [0, 4, 0],
    [3, 4, 0.75],
    [4, 4, 1],
    [1, 3, 1 / 3],
  ];
  it.each(table)('%i ÷ %i → %p', (n, d, rate) => {
    expect(ratio(n, d)).toEqual({ numerator: n, denominator: d, rate });
  });

  it.each([[5, 4], [-1, 2], [1.5, 2], [Number.NaN, 1]])('refuses %p ÷ %p as no rate', (n, d) => {
    expect(() => ratio(n, d)).toThrow('not a rate');
  });
});

describe('each rate over its own counts (hand-computed)', () => {
  // A unit's month by hand: 10 valid complaints, 6 closed of which 1 policy-limited (so 5
  // resolved), 4 traceable of which 2 resolved and 1 policy-limited; 8 responses decided, 6
  // of them in time (a 9th assignment still inside its response time is in neither number).
  const c = counts({
    valid: 10, resolved: 5, policyLimited: 1, traceableValid: 4, traceableResolved: 2, traceablePolicyLimited: 1,
    responseDue: 8, acceptedInTime: 6, responsePending: 1,
    completionDue: 7, completedOnTime: 5,
    measuresSubmitted: 9, measuresReturned: 2,
    closedEver: 6, reopened: 1,
    assignments: 11, sentBack: 2,
    commonDemands: 4, commonDemandsResolved: 3, commonGroups: 2, commonGroupsResolved: 1,
  });
  const table: Array<[string, (x: RateCounts) => unknown, number, number, number]> = [
    ['response 响应率', responseRate, 6, 8, 0.75],
    ['resolution 解决率 (policy_limited not resolved, still valid)', resolutionRate, 5, 10, 0.5],
    ['resolution over traceable complaints', traceableResolutionRate, 2, 4, 0.5],
    ['on-time completion', onTimeCompletionRate, 5, 7, 5 / 7],
    ['send-back 回退率 (returned measures ÷ submitted)', sendBackRate, 2, 9, 2 / 9],
    ['reopen rate', reopenRate, 1, 6, 1 / 6],
    ['assignment accuracy (1 − 2 sent back ÷ 11 assigned)', assignmentAccuracy, 9, 11, 9 / 11],
    ['common problems per demand', commonDemandRate, 3, 4, 0.75],
    ['common problems per problem group', commonGroupRate, 1, 2, 0.5],
  ];
  it.each(table)('%s', (_name, fn, numerator, denominator, rate) => {
    expect(fn(c)).toEqual({ numerator, denominator, rate });
  });

  it('a unit with nothing counted has every rate null', () => {
    const r = ratesOf(emptyCounts(), satisfactionRate([]));
    for (const v of Object.values(r)) expect([v.denominator, v.rate]).toEqual([0, null]);
  });
});

describe('satisfaction comes from domain/satisfaction.ts: the latest answer per complaint', () => {
  const f = (complaintId: number, round: number, status: SurveyFact['status'], answer: SurveyFact['answer'], day: number): SurveyFact => ({
    complaintId, round, status, answer, answeredAt: answer ? new Date(Date.UTC(2026, 10, day)) : null,
  });
  it('a re-answered complaint counts its second answer; no_response and superseded count nothing', () => {
    const facts = [
      f(1, 1, 'answered', 'dissatisfied', 2), f(1, 2, 'answered', 'satisfied', 20), // reopened, answered again: satisfied
      f(2, 1, 'answered', 'basically_satisfied', 3),
      f(3, 1, 'answered', 'dissatisfied', 4),
      f(4, 1, 'no_response', null, 0),
      f(5, 1, 'superseded', null, 0),
    ];
    // By hand: complaints 1, 2, 3 answered; 1 satisfied + 1 basically satisfied = 2 of 3.
    expect(satisfactionFigure(satisfactionRate(facts))).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3, satisfied: 1, basicallySatisfied: 1, dissatisfied: 1 });
  });
  it('nobody answered: null', () => {
    expect(satisfactionFigure(satisfactionRate([f(4, 1, 'no_response', null, 0)])).rate).toBeNull();
  });
  it('two answers of one round at one instant: the later record counts, in whichever order they come (as the SQL breaks the tie)', () => {
    const first = { ...f(7, 1, 'answered', 'dissatisfied', 5), id: 30 };
    const later = { ...f(7, 1, 'answered', 'satisfied', 5), id: 31 };
    expect(latestAnswers([first, later]).get(7)).toBe('satisfied');
    expect(latestAnswers([later, first]).get(7)).toBe('satisfied');
    // A later round still wins over a higher record id.
    expect(latestAnswers([{ ...f(7, 2, 'answered', 'basically_satisfied', 1), id: 2 }, later]).get(7)).toBe('basically_satisfied');
  });
});

describe('months and the query of the statistics routes', () => {
  it.each([['2026-11', true], ['2026-12', true], ['2026-13', false], ['2026-1', false], ['2026-00', false], ['26-11', false], [202611, false]])('%p is a month: %p', (v, ok) => {
    expect(isMonth(v)).toBe(ok);
  });
  it.each([['2026-11', '2026-11-01', '2026-12-01'], ['2026-12', '2026-12-01', '2027-01-01'], ['2027-02', '2027-02-01', '2027-03-01']])('%s runs from %s to %s', (m, first, next) => {
    expect(monthDays(m)).toEqual({ first, next });
  });
  it('takes by and month, unit by default and no month', () => {
    expect(parseStatsQuery({}, ['by', 'month'])).toEqual({ by: 'unit', month: null, filters: {} });
    expect(parseStatsQuery({ by: 'town', month: '2026-11' }, ['by', 'month'])).toEqual({ by: 'town', month: '2026-11', filters: {} });
  });
  it('takes the filter module\'s filters beside them', () => {
    expect(parseStatsQuery({ by: 'town', town: '城关镇', traceable: 'true' }, ['by', 'month'])).toEqual({
      by: 'town', month: null, filters: { town: { name: 'town', kind: 'exact', values: ['城关镇'] }, traceable: { name: 'traceable', kind: 'bool', value: true } },
    });
    expect(parseStatsQuery({ month: '2026-11', state: 'closed' }, ['month'])).toEqual({ by: 'unit', month: '2026-11', filters: { state: { name: 'state', kind: 'enum', values: ['closed'] } } });
  });
  const refusals: Array<[string, Record<string, unknown>, ReadonlyArray<'by' | 'month'>, string]> = [
    ['an unknown by', { by: 'village' }, ['by', 'month'], 'by 应为 unit / leadUnit / category / town / month 之一 / by must be one of unit, leadUnit, category, town, month'],
    ['a bad month', { month: '2026-13' }, ['by', 'month'], 'month 应为 YYYY-MM 格式的月份 / month must be a month as YYYY-MM'],
    ['a month given twice', { month: ['2026-11', '2026-12'] }, ['by', 'month'], 'month 应为 YYYY-MM 格式的月份 / month must be a month as YYYY-MM'],
    ['an unknown parameter', { unit: 'T1' }, ['by', 'month'], '未知的筛选条件：unit / Unknown filter: unit'],
    ['a personal field', { phone: '13800001111' }, ['by', 'month'], '不能按个人信息筛选：phone / Personal fields cannot be filtered on: phone'],
    ['a bad filter value', { state: 'done' }, ['by', 'month'], expect.stringContaining('筛选条件「状态」（state）的值无效')],
    ['by where only month is taken', { by: 'unit' }, ['month'], '未知的筛选条件：by / Unknown filter: by'],
  ];
  it.each(refusals)('refuses %s with a bilingual 400', (_what, q, allowed, message) => {
    let err: unknown;
    try {
      parseStatsQuery(q, allowed);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect([(err as DomainError).kind, (err as DomainError).message]).toEqual(['validation', message]);
  });
});
