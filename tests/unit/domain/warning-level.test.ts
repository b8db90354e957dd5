import { addDays, calendarDay, daysBetween } from '../../../plugins/complaints/server/src/domain/calendar';
import {
  DEFAULT_MEASURE_THRESHOLDS,
  DEFAULT_RESPONSE_THRESHOLDS,
  jobWarningLevel,
  levelFromCutoffs,
  overdueDays,
  warningClock,
  warningChangedEvent,
  warningCutoffs,
  warningEventTemplate,
  warningLevel,
} from '../../../plugins/complaints/server/src/domain/warning-level';
import {
  GENESIS_HASH,
  canonicalJson,
  fillTemplate,
  nextEvent,
  normalizeEvent,
  sha256Hex,
} from '../../../plugins/complaints/server/src/domain/history-chain';

const TODAY = '2026-03-01';

describe('measure deadline warning level (yellow < 20 days, orange < 10, red overdue)', () => {
  // [days left, expected] from DOMAIN.md and the warnings issue's boundary list
  const table: Array<[number, string]> = [
    [21, 'none'],
    [20, 'none'],
    [19, 'yellow'],
    [10, 'yellow'],
    [9, 'orange'],
    [0, 'orange'],
    [-1, 'red'],
  ];
  it.each(table)('%i days left → %s', (daysLeft, expected) => {
    expect(warningLevel(addDays(TODAY, daysLeft), TODAY, DEFAULT_MEASURE_THRESHOLDS)).toBe(expected);
  });

  it('has no clock without a deadline (policy_limited)', () => {
    expect(warningLevel(null, TODAY)).toBe('none');
  });

  it('counts calendar days across a month end', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
  });

  it('reports overdue days', () => {
    expect(overdueDays('2026-02-25', TODAY)).toBe(4);
    expect(overdueDays('2026-03-05', TODAY)).toBe(0);
  });
});

describe('response deadline warning level (orange < 1 day, red overdue)', () => {
  const table: Array<[number, string]> = [
    [3, 'none'],
    [1, 'none'],
    [0, 'orange'],
    [-1, 'red'],
  ];
  it.each(table)('%i days left → %s', (daysLeft, expected) => {
    expect(warningLevel(addDays(TODAY, daysLeft), TODAY, DEFAULT_RESPONSE_THRESHOLDS)).toBe(expected);
  });
});

describe('calendar day in the county time zone', () => {
  it.each([
    ['2026-03-01T15:59:00Z', 'Asia/Shanghai', '2026-03-01'],
    ['2026-03-01T16:01:00Z', 'Asia/Shanghai', '2026-03-02'],
    ['2026-03-01T16:01:00Z', 'UTC', '2026-03-01'],
    ['2026-03-01T04:00:00Z', 'America/New_York', '2026-02-28'],
  ])('%s in %s is %s', (instant, zone, day) => {
    expect(calendarDay(new Date(instant), zone)).toBe(day);
  });
});

describe('the clock a warning run follows', () => {
  const thresholds = { measure: DEFAULT_MEASURE_THRESHOLDS, response: DEFAULT_RESPONSE_THRESHOLDS };
  // [state, mode, measure deadline, response deadline, clock, level the run gives (undefined: kept)]
  const table: Array<[string, string | null, string | null, string | null, string | null, string | undefined]> = [
    ['assigned', null, null, '2026-03-01', 'response', 'orange'],
    ['assigned', null, null, '2026-02-28', 'response', 'red'],
    ['assigned', null, null, '2026-03-02', 'response', 'none'],
    ['rectifying', 'deadline', '2026-03-10', null, 'measure', 'orange'],
    ['rectifying', 'phased', '2026-03-11', null, 'measure', 'yellow'],
    ['rectifying', 'immediate', '2026-02-28', null, 'measure', 'red'],
    ['rectifying', 'policy_limited', '2026-02-01', null, null, 'none'],
    ['signing', 'deadline', '2026-02-01', null, null, undefined],
    ['accepted', null, null, '2026-02-01', null, undefined],
    ['in_review', null, null, '2026-02-01', null, undefined],
    ['closed', 'deadline', '2026-02-01', null, null, undefined],
    ['received', null, null, null, null, undefined],
  ];
  it.each(table)('%s (%s), deadline %s, response %s → clock %s, level %s', (state, mode, deadline, responseDeadline, clock, level) => {
    expect(warningClock({ state, mode })).toBe(clock);
    expect(jobWarningLevel({ state, mode, deadline, responseDeadline }, TODAY, thresholds)).toBe(level);
  });
});

describe('cut-off days used by the set-based warning run', () => {
  it('are today, today + orange days and today + yellow days', () => {
    expect(warningCutoffs('2026-03-01', DEFAULT_MEASURE_THRESHOLDS)).toEqual({ red: '2026-03-01', orange: '2026-03-11', yellow: '2026-03-21' });
    expect(warningCutoffs('2026-12-25', DEFAULT_RESPONSE_THRESHOLDS)).toEqual({ red: '2026-12-25', orange: '2026-12-26', yellow: '2026-12-26' });
  });

  // Same boundary list as above, through the cut-offs: [deadline, expected]
  it.each([
    ['2026-03-22', 'none'],
    ['2026-03-21', 'none'],
    ['2026-03-20', 'yellow'],
    ['2026-03-11', 'yellow'],
    ['2026-03-10', 'orange'],
    ['2026-03-01', 'orange'],
    ['2026-02-28', 'red'],
  ])('deadline %s seen on 2026-03-01 → %s', (deadline, expected) => {
    expect(levelFromCutoffs(deadline, warningCutoffs(TODAY, DEFAULT_MEASURE_THRESHOLDS))).toBe(expected);
  });

  it('agree with the day-count rule on every day of a year around today', () => {
    const cutoffs = warningCutoffs(TODAY, DEFAULT_MEASURE_THRESHOLDS);
    let disagreements = 0;
    for (let d = -200; d <= 200; d += 1) {
      const deadline = addDays(TODAY, d);
      if (levelFromCutoffs(deadline, cutoffs) !== warningLevel(deadline, TODAY, DEFAULT_MEASURE_THRESHOLDS)) disagreements += 1;
    }
    expect(disagreements).toBe(0);
  });
});

describe('the warning_changed event', () => {
  const at = new Date('2026-03-01T04:00:00.000Z');
  // [complaint, change, expected data]
  it.each([
    [
      { state: 'rectifying', mode: 'deadline', deadline: '2026-02-28', responseDeadline: null },
      { from: 'orange', to: 'red' },
      { warningLevel: { from: 'orange', to: 'red' }, clock: 'measure', deadline: '2026-02-28', daysLeft: -1, today: TODAY },
    ],
    [
      { state: 'assigned', mode: null, deadline: null, responseDeadline: '2026-03-01' },
      { from: 'none', to: 'orange' },
      { warningLevel: { from: 'none', to: 'orange' }, clock: 'response', deadline: '2026-03-01', daysLeft: 0, today: TODAY },
    ],
    [
      { state: 'rectifying', mode: 'policy_limited', deadline: null, responseDeadline: null },
      { from: 'red', to: 'none' },
      { warningLevel: { from: 'red', to: 'none' }, clock: null, deadline: null, daysLeft: null, today: TODAY },
    ],
  ] as const)('%o %o', (c, change, data) => {
    expect(warningChangedEvent(c, change, TODAY, at)).toEqual({
      type: 'warning_changed',
      actor: { kind: 'system', id: null, name: 'system', unitId: null, unitName: null },
      at,
      fromState: c.state,
      toState: c.state,
      data,
    });
  });
});

describe('the warning_changed event as a template (what the set-based run fills in SQL)', () => {
  const at = new Date('2026-03-01T04:00:00.000Z');
  const template = warningEventTemplate(TODAY, at);

  it('keeps the run constant parts literal and leaves the per-complaint values as slots', () => {
    const text = template.filter((p) => typeof p === 'string').join('');
    expect(text).toContain('"at":"2026-03-01T04:00:00.000Z"');
    expect(text).toContain('"today":"2026-03-01"');
    expect(text).toContain('"type":"warning_changed"');
    const slots = template.filter((p) => typeof p !== 'string').map((p) => (p as { slot: string }).slot);
    expect([...slots].sort()).toEqual(['clock', 'daysLeft', 'deadline', 'from', 'ledgerNo', 'seq', 'state', 'state', 'to']);
  });

  // [ledgerNo, chain head seq, complaint, change, slot values as worked out by hand]
  it.each([
    [
      'WB00000001', 3,
      { state: 'rectifying', mode: 'deadline', deadline: '2026-02-28', responseDeadline: null },
      { from: 'orange', to: 'red' },
      { ledgerNo: 'WB00000001', seq: 4, state: 'rectifying', clock: 'measure', deadline: '2026-02-28', daysLeft: -1, from: 'orange', to: 'red' },
    ],
    [
      '县"12345"\\热线', 0,
      { state: 'assigned', mode: null, deadline: null, responseDeadline: '2026-03-01' },
      { from: 'none', to: 'orange' },
      { ledgerNo: '县"12345"\\热线', seq: 1, state: 'assigned', clock: 'response', deadline: '2026-03-01', daysLeft: 0, from: 'none', to: 'orange' },
    ],
    [
      'A\n1\u0001😀', 9,
      { state: 'rectifying', mode: 'policy_limited', deadline: null, responseDeadline: null },
      { from: 'yellow', to: 'none' },
      { ledgerNo: 'A\n1\u0001😀', seq: 10, state: 'rectifying', clock: null, deadline: null, daysLeft: null, from: 'yellow', to: 'none' },
    ],
  ] as const)('%s: the filled template hashes like the chained event', (ledgerNo, head, c, change, values) => {
    const headHash = head ? 'f'.repeat(64) : null;
    const e = nextEvent(ledgerNo, head, headHash, warningChangedEvent(c, change, TODAY, at));
    const text = fillTemplate(template, values);
    expect(text).toBe(canonicalJson(normalizeEvent(e as unknown as Record<string, unknown>)));
    expect(sha256Hex(text + (head ? 'f'.repeat(64) : GENESIS_HASH))).toBe(e.hash);
  });
});
