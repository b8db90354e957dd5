import {
  COUNTED_LEVELS,
  ownUnitsFirst,
  overviewShare,
  rankUnitWarnings,
  redList,
  warningTotals,
  type UnitWarnings,
} from '../../../plugins/complaints/server/src/domain/unit-warnings';

const TODAY = '2026-03-01';

const unit = (code: string, red: number, overdueDays: number, orange: number, yellow: number, unitId: number | null = Number(code.slice(1))): UnitWarnings => ({
  unitId,
  code,
  name: `unit ${code}`,
  yellow,
  orange,
  red,
  overdueDays,
});

describe('which complaints the per-unit overview counts', () => {
  // [state, mode, level, measure deadline, response deadline, expected share (null: not counted)]
  const table: Array<[string, string | null, string, string | null, string | null, { level: string; overdueDays: number } | null]> = [
    ['assigned', null, 'red', null, '2026-02-27', { level: 'red', overdueDays: 2 }],
    ['assigned', null, 'orange', null, '2026-03-01', { level: 'orange', overdueDays: 0 }],
    ['rectifying', 'deadline', 'red', '2026-02-22', null, { level: 'red', overdueDays: 7 }],
    ['rectifying', 'phased', 'yellow', '2026-03-15', null, { level: 'yellow', overdueDays: 0 }],
    // red but the deadline moved to today: counted red, not yet a day overdue
    ['rectifying', 'immediate', 'red', '2026-03-01', null, { level: 'red', overdueDays: 0 }],
    ['rectifying', 'deadline', 'none', '2026-05-01', null, null],
    ['rectifying', 'policy_limited', 'red', null, null, null],
    ['signing', 'deadline', 'red', '2026-02-01', null, null],
    ['accepted', null, 'orange', null, '2026-02-01', null],
    ['closed', 'deadline', 'red', '2026-02-01', null, null],
  ];
  it.each(table)('%s (%s) at %s, deadline %s, response %s → %o', (state, mode, warningLevel, deadline, responseDeadline, share) => {
    expect(overviewShare({ state, mode, warningLevel, deadline, responseDeadline }, TODAY)).toEqual(share);
  });

  it('counts yellow, orange and red', () => {
    expect(COUNTED_LEVELS).toEqual(['yellow', 'orange', 'red']);
  });
});

describe('unit ranking: red, then overdue days, then orange, then yellow, then code', () => {
  // [name, units in, codes in rank order]
  const table: Array<[string, UnitWarnings[], string[]]> = [
    ['more red first', [unit('U1', 1, 50, 9, 9), unit('U2', 2, 1, 0, 0)], ['U2', 'U1']],
    ['same red: more overdue days first', [unit('U1', 2, 3, 9, 9), unit('U2', 2, 4, 0, 0)], ['U2', 'U1']],
    ['same red and days: more orange first', [unit('U1', 1, 3, 1, 9), unit('U2', 1, 3, 2, 0)], ['U2', 'U1']],
    ['same red, days, orange: more yellow first', [unit('U1', 0, 0, 1, 1), unit('U2', 0, 0, 1, 2)], ['U2', 'U1']],
    ['all equal: by code', [unit('U3', 1, 1, 1, 1), unit('U1', 1, 1, 1, 1), unit('U2', 1, 1, 1, 1)], ['U1', 'U2', 'U3']],
  ];
  it.each(table)('%s', (_name, units, codes) => {
    expect(rankUnitWarnings(units).map((u) => u.code)).toEqual(codes);
  });

  it('does not reorder its input', () => {
    const units = [unit('U1', 0, 0, 0, 1), unit('U2', 1, 0, 0, 0)];
    rankUnitWarnings(units);
    expect(units.map((u) => u.code)).toEqual(['U1', 'U2']);
  });
});

describe('the red list', () => {
  it('is the units with red complaints, at most ten, in rank order', () => {
    const ranked = rankUnitWarnings([
      ...Array.from({ length: 12 }, (_, i) => unit(`U${String(i + 10)}`, 12 - i, 0, 0, 0)),
      unit('U99', 0, 0, 5, 5),
    ]);
    expect(redList(ranked).map((u) => u.code)).toEqual(['U10', 'U11', 'U12', 'U13', 'U14', 'U15', 'U16', 'U17', 'U18', 'U19']);
  });

  it('is empty without red complaints', () => {
    expect(redList([unit('U1', 0, 0, 3, 1)])).toEqual([]);
  });
});

describe('the user’s own units first', () => {
  const ranked = [unit('U1', 3, 0, 0, 0), unit('U2', 2, 0, 0, 0), unit('U3', 1, 0, 0, 0), unit('U0', 1, 0, 0, 0, null)];
  it.each([
    [[3], ['U3', 'U1', 'U2', 'U0']],
    [[3, 1], ['U1', 'U3', 'U2', 'U0']],
    [[], ['U1', 'U2', 'U3', 'U0']],
  ])('own units %o → %o', (own, codes) => {
    expect(ownUnitsFirst(ranked, own).map((u) => u.code)).toEqual(codes);
  });
});

describe('overview totals', () => {
  it('add up every unit', () => {
    expect(warningTotals([unit('U1', 2, 7, 1, 4), unit('U2', 1, 3, 0, 2)])).toEqual({ yellow: 6, orange: 1, red: 3, overdueDays: 10 });
    expect(warningTotals([])).toEqual({ yellow: 0, orange: 0, red: 0, overdueDays: 0 });
  });
});
