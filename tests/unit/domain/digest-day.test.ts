import { assertDigestDay, assertRecordableDay } from '../../../plugins/complaints/server/src/domain/digest-day';

const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('assertRecordableDay (today is 2026-03-01 in the county)', () => {
  it.each([
    ['2026-02-28', null], ['2025-12-31', null], ['2024-02-29', null], ['1999-01-01', null],
    ['2026-03-01', 'day_not_past'], ['2026-03-02', 'day_not_past'], ['2999-01-01', 'day_not_past'],
    ['2026-02-29', 'invalid_day'], ['2026-02-30', 'invalid_day'], ['2026-13-01', 'invalid_day'], ['2026-1-5', 'invalid_day'],
    ['2026-01-01T00:00:00Z', 'invalid_day'], [' 2026-01-01', 'invalid_day'], ['', 'invalid_day'],
    [20260101, 'invalid_day'], [['2026-01-01'], 'invalid_day'], [null, 'invalid_day'], [undefined, 'invalid_day'], [{}, 'invalid_day'],
  ] as Array<[unknown, string | null]>)('%p → %p', (day, expected) => {
    expect(codeOf(() => assertRecordableDay(day, '2026-03-01'))).toBe(expected);
  });

  it('the check route accepts any real day, past or not', () => {
    expect([assertDigestDay('2999-01-01'), codeOf(() => assertDigestDay('1e30'))]).toEqual(['2999-01-01', 'invalid_day']);
  });
});
