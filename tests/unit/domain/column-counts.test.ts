/**
 * The counts over columns (domain/column-counts.ts) against counts by hand on six complaints:
 * the filters' edges (no value never matches, unknown traceability counts as not traceable,
 * day ranges cut at the county's midnight), the order of the answer, and the scope of `maySee`.
 */
import { carryBits, ComplaintColumnsBuilder, columnsAnswer, countColumns, emptyBits, firstNewId, setBits, type ComplaintRecord } from '../../../plugins/complaints/server/src/domain/column-counts';
import { parseCountsRequest } from '../../../plugins/complaints/server/src/domain/filters';
import { actorContextOf } from '../../../plugins/complaints/server/src/domain/actor';
import { ROLE_CODES } from '../../../plugins/complaints/server/src/domain/roles';
import { complaintScope } from '../../../plugins/complaints/server/src/domain/workflow';

const TZ = 'Asia/Shanghai';
const none: Omit<ComplaintRecord, 'id' | 'state'> = {
  responsibleUnitId: null, leadUnitId: null, categoryCode: null, majorCategoryCode: null, town: null, village: null, channel: 'hotline',
  importBatch: null, traceable: true, invalidReason: null, level: null, nature: null, problemGroupId: null, mode: null, warningLevel: 'none',
  receivedAt: new Date('2026-03-10T02:00:00Z'), closedAt: null, deadline: null, reopenCount: 0,
};
// | id | state      | unit | lead | town | received (Shanghai)   | traceable | other                                   |
// | 1  | received   | —    | —    | 城关 | 2026-03-10 10:00      | yes       |                                         |
// | 2  | invalid    | —    | —    | 东坝 | 2026-03-31 23:30      | unknown   | invalid unclear_content                 |
// | 3  | assigned   | 7    | 9    | 城关 | 2026-04-01 00:30      | yes       | UTC: still 31 March                     |
// | 4  | rectifying | 7    | 9    | 城关 | 2026-04-02 10:00      | no        | deadline 2026-05-01, red, common, grp 5 |
// | 5  | closed     | 8    | 9    | 东坝 | 2026-04-03 10:00      | yes       | closed 2026-04-20, reopened, satisfied  |
// | 6  | closed     | 8    | —    | 东坝 | 2026-04-04 10:00      | yes       | closed 2026-04-30 23:00 Shanghai        |
const RECORDS: ComplaintRecord[] = [
  { ...none, id: 1, state: 'received', town: '城关镇' },
  { ...none, id: 2, state: 'invalid', town: '东坝镇', traceable: null, invalidReason: 'unclear_content', receivedAt: new Date('2026-03-31T15:30:00Z') },
  { ...none, id: 3, state: 'assigned', responsibleUnitId: 7, leadUnitId: 9, town: '城关镇', categoryCode: '0101', majorCategoryCode: '01', receivedAt: new Date('2026-03-31T16:30:00Z'), warningLevel: 'yellow' },
  {
    ...none, id: 4, state: 'rectifying', responsibleUnitId: 7, leadUnitId: 9, town: '城关镇', categoryCode: '0102', majorCategoryCode: '01', traceable: false,
    receivedAt: new Date('2026-04-02T02:00:00Z'), deadline: '2026-05-01', warningLevel: 'red', nature: 'common', problemGroupId: 5, mode: 'deadline',
  },
  {
    ...none, id: 5, state: 'closed', responsibleUnitId: 8, leadUnitId: 9, town: '东坝镇', categoryCode: '0201', majorCategoryCode: '02', channel: 'web',
    receivedAt: new Date('2026-04-03T02:00:00Z'), closedAt: new Date('2026-04-20T02:00:00Z'), reopenCount: 1, nature: 'individual', mode: 'immediate',
  },
  {
    ...none, id: 6, state: 'closed', responsibleUnitId: 8, leadUnitId: null, town: '东坝镇', categoryCode: '0201', majorCategoryCode: '02', channel: 'web',
    receivedAt: new Date('2026-04-04T02:00:00Z'), closedAt: new Date('2026-04-30T15:00:00Z'), reopenCount: null, nature: 'individual', mode: 'policy_limited',
  },
];
const ANSWERS = new Map([[5, 'satisfied'], [6, 'dissatisfied']]);
const CHECKS = new Map([[5, 'failed']]);

const columns = (() => {
  const b = new ComplaintColumnsBuilder();
  for (const r of RECORDS) b.add(r);
  return b.build({ timeZone: TZ, latestAnswer: (id) => ANSWERS.get(id) ?? null, latestCheck: (id) => CHECKS.get(id) ?? null });
})();
const COUNTY = complaintScope(actorContextOf(1, [ROLE_CODES.countyOffice], []));
const total = (query: Record<string, string>) => countColumns(columns, parseCountsRequest({ by: 'state', ...query }), COUNTY, TZ).total;

describe('each filter over the columns, counted by hand', () => {
  it.each<[string, Record<string, string>, number]>([
    ['channel', { channel: 'web' }, 2],
    ['receivedAt, a Shanghai day range (id 3 is 1 April there)', { receivedAt: '2026-04-01..2026-04-02' }, 2],
    ['receivedAt, open start', { receivedAt: '..2026-03-31' }, 2],
    ['town', { town: '东坝镇' }, 3],
    ['village: no value matches nothing', { village: '东街社区' }, 0],
    ['traceable', { traceable: 'true' }, 4],
    ['not traceable: false or unknown', { traceable: 'false' }, 2],
    ['validity valid', { validity: 'valid' }, 4],
    ['validity invalid and unscreened', { validity: 'invalid,unscreened' }, 2],
    ['invalidReason', { invalidReason: 'unclear_content' }, 1],
    ['majorCategory', { majorCategory: '01' }, 2],
    ['minorCategory', { minorCategory: '0201' }, 2],
    ['leadUnit', { leadUnit: '9' }, 3],
    ['responsibleUnit', { responsibleUnit: '7,8' }, 4],
    ['nature', { nature: 'common' }, 1],
    ['problemGroup', { problemGroup: '5' }, 1],
    ['mode', { mode: 'policy_limited' }, 1],
    ['state', { state: 'closed,assigned' }, 3],
    ['warningLevel', { warningLevel: 'none' }, 4],
    ['deadline, inclusive', { deadline: '2026-04-01..2026-05-01' }, 1],
    ['deadline, the day after', { deadline: '2026-05-02..' }, 0],
    ['closedAt, 30 April in Shanghai (15:00 UTC is 23:00 there)', { closedAt: '2026-04-30' }, 1],
    ['satisfaction', { satisfaction: 'satisfied' }, 1],
    ['satisfaction unanswered', { satisfaction: 'unanswered' }, 4],
    ['reopened', { reopened: 'true' }, 1],
    ['not reopened: 0 or unknown', { reopened: 'false' }, 5],
    ['spotCheck', { spotCheck: 'failed' }, 1],
    ['three at once', { town: '东坝镇', state: 'closed', channel: 'web' }, 2],
  ])('%s', (_what, query, expected) => {
    expect(total(query)).toBe(expected);
  });
});

describe('grouped counts', () => {
  it('by unit: largest first, then by key, no unit last', () => {
    expect(countColumns(columns, parseCountsRequest({ by: 'unit' }), COUNTY, TZ)).toEqual({
      data: [{ unit: 7, count: 2 }, { unit: 8, count: 2 }, { unit: null, count: 2 }],
      total: 6,
    });
  });

  it('by town and month received, months cut in Shanghai (id 2 is March\'s, id 3 April\'s)', () => {
    expect(countColumns(columns, parseCountsRequest({ by: 'town,monthReceived' }), COUNTY, TZ).data).toEqual([
      { town: '东坝镇', monthReceived: '2026-04', count: 2 },
      { town: '城关镇', monthReceived: '2026-04', count: 2 },
      { town: '东坝镇', monthReceived: '2026-03', count: 1 },
      { town: '城关镇', monthReceived: '2026-03', count: 1 },
    ]);
  });

  it('by month closed: the two closures in April, the rest with none', () => {
    expect(countColumns(columns, parseCountsRequest({ by: 'monthClosed' }), COUNTY, TZ).data).toEqual([{ monthClosed: null, count: 4 }, { monthClosed: '2026-04', count: 2 }]);
  });
});

describe('scope: the rule of maySee', () => {
  it('unit 7\'s operator counts its own complaints in the states a unit sees', () => {
    const op7 = complaintScope(actorContextOf(2, [ROLE_CODES.unitOperator], [7]));
    expect(countColumns(columns, parseCountsRequest({ by: 'unit' }), op7, TZ)).toEqual({ data: [{ unit: 7, count: 2 }], total: 2 });
    // Asking for unit 8 changes nothing of that: nothing of unit 8's.
    expect(countColumns(columns, parseCountsRequest({ by: 'unit', responsibleUnit: '8' }), op7, TZ).total).toBe(0);
  });

  it('the lead unit 9 counts the complaints it leads', () => {
    const lead9 = complaintScope(actorContextOf(3, [ROLE_CODES.leadUnit], [9]));
    expect(countColumns(columns, parseCountsRequest({ by: 'leadUnit' }), lead9, TZ)).toEqual({ data: [{ leadUnit: 9, count: 3 }], total: 3 });
  });
});

describe('what the columns answer', () => {
  it.each<[Record<string, string>, boolean]>([
    [{ town: '城关镇', state: 'closed' }, true],
    [{ ledgerNo: 'GZ2026*' }, false],
    [{ keyword: '路灯' }, false],
  ])('%j: %s', (query, expected) => {
    expect(columnsAnswer(parseCountsRequest({ by: 'state', ...query }).filters)).toBe(expected);
  });

  it.each<[Record<string, string>, boolean]>([
    [{ keyword: '物业' }, true],
    [{ keyword: ' 物 业 ' }, true],
    [{ keyword: '物业', town: '东坝镇' }, true],
    [{ keyword: '路灯' }, false],
    [{ keyword: '物业服务' }, false],
    [{ keyword: '物' }, false],
    [{ keyword: '物业', ledgerNo: 'GZ2026*' }, false],
  ])('with the piece 物业 held, %j: %s', (query, expected) => {
    expect(columnsAnswer(parseCountsRequest({ by: 'state', ...query }).filters, new Set(['物业']))).toBe(expected);
  });
});

/** The ids whose bit is set. */
const idsOf = (bits: Uint32Array, ids: number[]) => ids.filter((_, i) => (bits[i >>> 5] & (1 << (i & 31))) !== 0);

describe('a keyword held as a bitset of the complaints', () => {
  const withPiece = (() => {
    const b = new ComplaintColumnsBuilder();
    for (const r of RECORDS) b.add(r);
    const c = b.build({ timeZone: TZ, latestAnswer: (id) => ANSWERS.get(id) ?? null, latestCheck: (id) => CHECKS.get(id) ?? null });
    // 物业 stands in complaints 2 and 5 (an id the columns do not hold, 99, is ignored).
    c.keywords.set('物业', setBits(emptyBits(c.n), c.ids, [5, 2, 99]));
    return c;
  })();
  const count = (query: Record<string, string>) => countColumns(withPiece, parseCountsRequest({ by: 'state', ...query }), COUNTY, TZ);

  it('counts the complaints whose bit is set, under the other filters and by the dimension', () => {
    expect(count({ keyword: '物业' })).toEqual({ data: [{ state: 'closed', count: 1 }, { state: 'invalid', count: 1 }], total: 2 });
    expect(count({ keyword: '物 业' }).total).toBe(2);
    expect(count({ keyword: '物业', channel: 'web' })).toEqual({ data: [{ state: 'closed', count: 1 }], total: 1 });
    expect(count({ keyword: '物业', town: '城关镇' }).total).toBe(0);
  });

  it('a keyword the columns do not hold is refused, never counted as nothing', () => {
    expect(() => count({ keyword: '路灯' })).toThrow('do not answer the filter keyword');
  });

  it('bits across a 32-bit word: complaints 1, 32, 33 and 40 of 40', () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    const bits = setBits(emptyBits(40), Uint32Array.from(ids), [40, 33, 32, 1]);
    expect(bits.length).toBe(2);
    expect(idsOf(bits, ids)).toEqual([1, 32, 33, 40]);
  });

  it('a reload carries the bits of the complaints both loads hold, and finds the first new one', () => {
    const before = Uint32Array.from([1, 2, 3, 5]);
    const after = Uint32Array.from([2, 3, 4, 5, 6]);
    const carried = carryBits(before, setBits(emptyBits(4), before, [2, 5, 1]), after);
    expect(idsOf(carried, [2, 3, 4, 5, 6])).toEqual([2, 5]);
    expect(firstNewId(before, after)).toBe(4);
  });

  it.each<[number[], number[], number | null]>([
    [[1, 2, 3], [1, 2, 3], null],
    [[1, 2, 3], [1, 2, 3, 4, 5], 4],
    [[1, 3], [1, 2, 3], 2], // committed late, under an id below the last one seen
    [[], [7, 8], 7],
    [[1, 2], [2], null], // gone since: nothing to read
  ])('first new id of %j → %j: %p', (before, after, expected) => {
    expect(firstNewId(Uint32Array.from(before), Uint32Array.from(after))).toBe(expected);
  });
});
