import { addDays, calendarDay, daysBetween } from '../../../plugins/complaints/server/src/domain/calendar';
import {
  DEFAULT_MEASURE_THRESHOLDS,
  DEFAULT_RESPONSE_THRESHOLDS,
  overdueDays,
  warningLevel,
} from '../../../plugins/complaints/server/src/domain/warning-level';

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
