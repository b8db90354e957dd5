import { columnsLiveReason, liveReason, ROLLUP_FILTERS, type ColumnsQuestion, type RollupQuestion } from '../../../plugins/complaints/server/src/domain/rate-rollup';
import { parseFilters } from '../../../plugins/complaints/server/src/domain/filters';
import { satisfactionOfCounts } from '../../../plugins/complaints/server/src/domain/satisfaction';

const BUILT = new Date('2026-11-20T02:00:00.000Z'); // 10:00 in Shanghai
const MIN = 60_000;
const base: RollupQuestion = {
  enabled: true,
  exact: false,
  build: { builtAt: BUILT, today: '2026-11-20', timeZone: 'Asia/Shanghai' },
  filters: {},
  now: new Date(BUILT.getTime() + 5 * MIN),
  today: '2026-11-20',
  timeZone: 'Asia/Shanghai',
  maxAgeMs: 15 * MIN,
};

describe('when the rates\' rollup answers (domain/rate-rollup.ts)', () => {
  it.each<[string, Partial<RollupQuestion>, ReturnType<typeof liveReason>]>([
    ['five minutes after its build, no filter', {}, null],
    ['exactly at its age', { now: new Date(BUILT.getTime() + 15 * MIN) }, null],
    ['at its build', { now: BUILT }, null],
    ['one millisecond past its age', { now: new Date(BUILT.getTime() + 15 * MIN + 1) }, 'age'],
    ['a question about a moment before the build', { now: new Date(BUILT.getTime() - 1) }, 'age'],
    ['switched off', { enabled: false }, 'disabled'],
    ['the live figures asked for (a month close)', { exact: true }, 'exact'],
    ['never built', { build: null }, 'none'],
    ['built in another zone', { timeZone: 'Asia/Urumqi' }, 'zone'],
    ['built for the county day before', { today: '2026-11-21' }, 'day'],
    ['a responsible unit, a town and a category: columns of its key', { filters: parseFilters({ responsibleUnit: '3', town: '城关镇', minorCategory: '0101', majorCategory: '01', leadUnit: '7' }) }, null],
    ['a state: the assignments are scoped as held, not by the state asked', { filters: parseFilters({ state: 'closed' }) }, 'filter'],
    ['traceable', { filters: parseFilters({ traceable: 'true' }) }, 'filter'],
    ['a keyword', { filters: parseFilters({ keyword: '路灯' }) }, 'filter'],
    ['a town and a nature', { filters: parseFilters({ town: '城关镇', nature: 'common' }) }, 'filter'],
  ])('%s', (_what, change, expected) => {
    expect(liveReason({ ...base, ...change })).toBe(expected);
  });

  it('answers only for the five filters of its key', () => {
    expect([...ROLLUP_FILTERS].sort()).toEqual(['leadUnit', 'majorCategory', 'minorCategory', 'responsibleUnit', 'town']);
  });
});

describe('the satisfaction rate of counted latest answers', () => {
  it.each([
    [2, 1, 1, { satisfied: 2, basicallySatisfied: 1, dissatisfied: 1, answered: 4, rate: 0.75 }],
    [0, 0, 3, { satisfied: 0, basicallySatisfied: 0, dissatisfied: 3, answered: 3, rate: 0 }],
    [0, 0, 0, { satisfied: 0, basicallySatisfied: 0, dissatisfied: 0, answered: 0, rate: null }],
  ])('%i satisfied, %i basically, %i dissatisfied', (s, b, d, expected) => {
    expect(satisfactionOfCounts(s, b, d)).toEqual(expected);
  });
});

describe('when the statistics columns answer a count (domain/rate-rollup.ts columnsLiveReason)', () => {
  const loaded: ColumnsQuestion = {
    enabled: true,
    loaded: { loadedAt: BUILT, timeZone: 'Asia/Shanghai' },
    filters: {},
    now: new Date(BUILT.getTime() + 5 * MIN),
    timeZone: 'Asia/Shanghai',
    maxAgeMs: 15 * MIN,
    keywords: new Set(['物业', '路灯']),
  };
  it.each<[string, Partial<ColumnsQuestion>, ReturnType<typeof columnsLiveReason>]>([
    ['five minutes after the load, no filter', {}, null],
    ['one millisecond past its age', { now: new Date(BUILT.getTime() + 15 * MIN + 1) }, 'age'],
    ['switched off', { enabled: false }, 'disabled'],
    ['never loaded', { loaded: null }, 'none'],
    ['loaded in another zone', { timeZone: 'Asia/Urumqi' }, 'zone'],
    ['a state, a town and a nature: columns', { filters: parseFilters({ state: 'closed', town: '城关镇', nature: 'common' }) }, null],
    ['a ledger-number prefix', { filters: parseFilters({ ledgerNo: 'GZ2026*' }) }, 'filter'],
    ['a keyword that is a held piece', { filters: parseFilters({ keyword: '路灯', town: '城关镇' }) }, null],
    ['a keyword that is not', { filters: parseFilters({ keyword: '消防栓' }) }, 'filter'],
    ['a keyword when no piece is held', { filters: parseFilters({ keyword: '路灯' }), keywords: undefined }, 'filter'],
  ])('%s', (_what, change, expected) => {
    expect(columnsLiveReason({ ...loaded, ...change })).toBe(expected);
  });
});
