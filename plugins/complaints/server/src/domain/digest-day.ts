/**
 * Which day's ledger digest may be recorded: a real calendar day (YYYY-MM-DD) that has ended in
 * the county's time zone. A digest of today or a future day would publish heads that later
 * events still change, so a check against it would fail for an intact ledger.
 */
import { daysBetween, isCalendarDay } from './calendar';
import { DomainError } from './errors';

export const assertDigestDay = (day: unknown): string => {
  if (!isCalendarDay(day)) {
    throw new DomainError('validation', 'invalid_day', '日期（day）应为 YYYY-MM-DD 格式的真实日期', 'day must be a real date as YYYY-MM-DD', { field: 'day' });
  }
  return day;
};

/** `day` if it may be recorded on county day `today`; a 400 otherwise. */
export const assertRecordableDay = (day: unknown, today: string): string => {
  const d = assertDigestDay(day);
  if (daysBetween(d, today) < 1) {
    throw new DomainError('validation', 'day_not_past', `只能记录已经结束的日期（今天是 ${today}）`, `Only a day that has ended can be recorded (today is ${today})`, { field: 'day', today });
  }
  return d;
};
