/**
 * The dashboard's filter bar (admin/src/pages/Dashboard/query.ts): its values are the filter
 * module's, its query parameters parse on the server, and the Content Manager list of a figure
 * holds the same conditions as the figure.
 */
import { FILTERS, parseFilters } from '../../../plugins/complaints/server/src/domain/filters';
import { startOfDayUtc as serverStartOfDay } from '../../../plugins/complaints/server/src/domain/calendar';
import { CLOCK_STATES as SERVER_CLOCK_STATES } from '../../../plugins/complaints/server/src/domain/warning-level';
import {
  apiParams,
  BAR_FILTERS,
  CLOCK_STATES,
  cmListHref,
  filtersFromSearch,
  filtersToSearch,
  lastDayOf,
  NOT_IN_LIST,
  startOfDayUtc,
} from '../../../plugins/complaints/admin/src/pages/Dashboard/query';

const decoded = (href: string | null) => (href === null ? null : decodeURIComponent(href).split('?')[1].split('&'));

describe('the bar offers the filter module\'s values', () => {
  const server = new Map<string, { values?: readonly string[] }>(FILTERS.map((f) => [f.name, { values: 'values' in f ? (f.values as readonly string[]) : undefined }]));
  it.each(BAR_FILTERS.filter((f) => Array.isArray(f.options) && f.options.join() !== 'true,false').map((f) => [f.name, f.options as readonly string[]]))('%s', (name, options) => {
    expect([...options]).toEqual([...(server.get(name)?.values ?? [])]);
  });
  it('counts warnings in the states whose clock runs, as the server does (warning-level.ts CLOCK_STATES)', () => {
    expect([...CLOCK_STATES]).toEqual(Object.values(SERVER_CLOCK_STATES));
    expect([...CLOCK_STATES]).toEqual(['assigned', 'rectifying']);
  });
  it('names only filters of the module (month becomes receivedAt)', () => {
    const names = BAR_FILTERS.map((f) => (f.name === 'month' ? 'receivedAt' : f.name));
    expect(names.filter((n) => !server.has(n))).toEqual([]);
  });
});

describe('apiParams', () => {
  it.each([
    [{}, {}, {}],
    [{ month: ['2026-02'] }, {}, { receivedAt: '2026-02-01..2026-02-28' }],
    [{ month: ['2028-02'], town: ['城关镇', '东坝镇'] }, {}, { receivedAt: '2028-02-01..2028-02-29', town: '城关镇,东坝镇' }],
    [{ state: ['assigned', 'closed'] }, { state: ['assigned', 'rectifying'] }, { state: 'assigned' }],
    [{}, { state: ['assigned', 'rectifying'], warningLevel: ['red'] }, { state: 'assigned,rectifying', warningLevel: 'red' }],
    [{ state: ['closed'] }, { state: ['assigned', 'rectifying'] }, null],
    [{ keyword: ['路灯'], traceable: ['false'] }, {}, { keyword: '路灯', traceable: 'false' }],
  ] as const)('%j + %j → %j', (filters, extra, expected) => {
    expect(apiParams(filters as any, extra as any)).toEqual(expected);
  });

  it('every parameter it writes parses on the server', () => {
    const all = Object.fromEntries(
      BAR_FILTERS.map((f) => [
        f.name,
        f.name === 'month' ? ['2026-11'] : f.options === 'text' ? ['物业'] : f.options === 'range' ? ['2026-11-01..2026-11-30'] : Array.isArray(f.options) ? [f.options[0]]
          : f.name.endsWith('Unit') || f.name === 'problemGroup' ? ['7'] : f.name === 'majorCategory' ? ['01'] : f.name === 'minorCategory' ? ['0101'] : ['城关镇'],
      ])
    );
    const params = apiParams(all)!;
    expect(Object.keys(parseFilters(params)).sort()).toEqual(Object.keys(params).sort());
    // All 25 filters of the module are in the bar (the month stands for receivedAt).
    expect(Object.keys(params).sort()).toEqual(FILTERS.map((f) => f.name).sort());
    expect(Object.keys(params)).toHaveLength(25);
  });

  it.each([
    [{ ledgerNo: ['ST0001*'] }, { ledgerNo: 'ST0001*' }],
    [{ deadline: ['..2026-12-31'] }, { deadline: '..2026-12-31' }],
    [{ closedAt: ['2026-11-01..'] }, { closedAt: '2026-11-01..' }],
    [{ problemGroup: ['3', '9'], village: ['东街社区'] }, { problemGroup: '3,9', village: '东街社区' }],
  ] as const)('%j → %j, which the server parses', (filters, expected) => {
    const params = apiParams(filters as any)!;
    expect(params).toEqual(expected);
    expect(Object.keys(parseFilters(params)).sort()).toEqual(Object.keys(expected).sort());
  });
});

describe('the Content Manager list of a figure', () => {
  it('a unit\'s red warnings: unit, clock states, level', () => {
    expect(decoded(cmListHref({}, { responsibleUnit: ['12'], state: ['assigned', 'rectifying'], warningLevel: ['red'] }, 'Asia/Shanghai'))).toEqual([
      'page=1', 'pageSize=100', 'sort=ledgerNo:ASC',
      'filters[$and][0][responsibleUnitId][$eq]=12',
      'filters[$and][1][state][$in][0]=assigned', 'filters[$and][1][state][$in][1]=rectifying',
      'filters[$and][2][warningLevel][$eq]=red',
    ]);
  });

  it('the bar\'s filters, narrowed by the figure, in the county\'s days', () => {
    expect(decoded(cmListHref({ month: ['2026-11'], state: ['closed', 'signing'], validity: ['valid'], traceable: ['false'], reopened: ['true'] }, { state: ['closed'] }, 'Asia/Shanghai'))).toEqual([
      'page=1', 'pageSize=100', 'sort=ledgerNo:ASC',
      'filters[$and][0][receivedAt][$gte]=2026-10-31T16:00:00.000Z',
      'filters[$and][1][receivedAt][$lt]=2026-11-30T16:00:00.000Z',
      'filters[$and][2][state][$eq]=closed',
      'filters[$and][3][state][$in][0]=classified', 'filters[$and][3][state][$in][1]=assigned', 'filters[$and][3][state][$in][2]=accepted',
      'filters[$and][3][state][$in][3]=in_review', 'filters[$and][3][state][$in][4]=returned', 'filters[$and][3][state][$in][5]=rectifying',
      'filters[$and][3][state][$in][6]=signing', 'filters[$and][3][state][$in][7]=closed',
      'filters[$and][4][$or][0][traceable][$eq]=false', 'filters[$and][4][$or][1][traceable][$null]=true',
      'filters[$and][5][reopenCount][$gt]=0',
    ]);
  });

  it('ledger number prefix, village, import batch, problem group, deadline days and closing days in the county\'s time', () => {
    expect(decoded(cmListHref({ ledgerNo: ['ST0001*'], village: ['东街社区'], importBatch: ['IMP-2026-01'], problemGroup: ['3', '9'], deadline: ['2026-12-01..2026-12-31'], closedAt: ['2026-11-01..2026-11-30'] }, {}, 'Asia/Shanghai'))).toEqual([
      'page=1', 'pageSize=100', 'sort=ledgerNo:ASC',
      'filters[$and][0][ledgerNo][$startsWith]=ST0001',
      'filters[$and][1][village][$eq]=东街社区',
      'filters[$and][2][importBatch][$eq]=IMP-2026-01',
      'filters[$and][3][problemGroupId][$in][0]=3', 'filters[$and][3][problemGroupId][$in][1]=9',
      'filters[$and][4][deadline][$gte]=2026-12-01', 'filters[$and][5][deadline][$lte]=2026-12-31',
      'filters[$and][6][closedAt][$gte]=2026-10-31T16:00:00.000Z', 'filters[$and][7][closedAt][$lt]=2026-11-30T16:00:00.000Z',
    ]);
    // An exact number and an open-ended range.
    expect(decoded(cmListHref({ ledgerNo: ['ST00012345'], closedAt: ['..2026-11-30'] }, {}, 'Asia/Shanghai'))).toEqual([
      'page=1', 'pageSize=100', 'sort=ledgerNo:ASC',
      'filters[$and][0][ledgerNo][$eq]=ST00012345',
      'filters[$and][1][closedAt][$lt]=2026-11-30T16:00:00.000Z',
    ]);
  });

  it('no list for a filter the list cannot express, nor for an empty intersection (positive control: a plain one)', () => {
    for (const name of NOT_IN_LIST) expect(cmListHref({ [name]: ['x'] }, {}, 'Asia/Shanghai')).toBeNull();
    expect(cmListHref({ state: ['closed'] }, { state: ['assigned'] }, 'Asia/Shanghai')).toBeNull();
    expect(cmListHref({ town: ['城关镇'] }, {}, 'Asia/Shanghai')).toContain('town');
  });
});

describe('calendar helpers agree with the server', () => {
  it.each([
    ['2026-11-01', 'Asia/Shanghai'],
    ['2026-03-29', 'Europe/Berlin'],
    ['2026-11-01', 'America/New_York'],
    ['2026-01-01', 'UTC'],
  ])('start of %s in %s', (day, tz) => {
    expect(startOfDayUtc(day, tz).toISOString()).toBe(serverStartOfDay(day, tz).toISOString());
  });
  it.each([['2026-01', '2026-01-31'], ['2026-02', '2026-02-28'], ['2024-02', '2024-02-29'], ['2026-04', '2026-04-30'], ['2026-12', '2026-12-31']])('last day of %s', (m, d) => {
    expect(lastDayOf(m)).toBe(d);
  });
  it('the bar survives the address', () => {
    const f = { month: ['2026-11'], town: ['城关镇', '东坝镇'], keyword: ['路灯,低保'] };
    expect(filtersFromSearch(filtersToSearch(f))).toEqual(f);
    expect(filtersFromSearch(new URLSearchParams('month=bad&state=closed'))).toEqual({ state: ['closed'] });
    // A range keeps its comma-free value whole; a malformed or empty one is dropped.
    expect(filtersFromSearch(filtersToSearch({ deadline: ['2026-12-01..'], village: ['东街,社区'] }))).toEqual({ deadline: ['2026-12-01..'], village: ['东街,社区'] });
    expect(filtersFromSearch(new URLSearchParams('deadline=..&closedAt=2026-13-01..&state=closed'))).toEqual({ state: ['closed'] });
  });
});
