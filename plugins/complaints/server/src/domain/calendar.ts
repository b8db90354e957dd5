/**
 * Calendar days in the county's time zone. Deadlines are calendar days (`YYYY-MM-DD`), not
 * instants; "today" depends on where the county is, not on the server's clock zone.
 */
import { DomainError } from './errors';

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new DomainError('validation', 'invalid_time_zone', `无效的时区：${timeZone}`, `Invalid time zone: ${timeZone}`);
    }
    formatters.set(timeZone, f);
  }
  return f;
};

/** The calendar day (YYYY-MM-DD) that `now` falls on in `timeZone`. */
export const calendarDay = (now: Date, timeZone: string): string => {
  const parts = formatterFor(timeZone).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
};

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isCalendarDay = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const m = DAY_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
};

const toUtcMs = (day: string): number => {
  const m = DAY_RE.exec(day);
  if (!m) {
    throw new DomainError('validation', 'invalid_date', `日期格式应为 YYYY-MM-DD：${day}`, `Expected a date as YYYY-MM-DD: ${day}`);
  }
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
};

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((toUtcMs(to) - toUtcMs(from)) / 86_400_000);

export const addDays = (day: string, days: number): string =>
  new Date(toUtcMs(day) + days * 86_400_000).toISOString().slice(0, 10);

/** Normalises a database date value (Date at UTC midnight, 'YYYY-MM-DD', ISO string) to YYYY-MM-DD. */
export const toCalendarDay = (value: unknown): string | null => {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') return value.slice(0, 10);
  if (typeof value === 'number') return new Date(value).toISOString().slice(0, 10);
  return null;
};

/**
 * The UTC instant at which calendar day `day` starts in `timeZone` (local midnight). Works for
 * any zone, including those with daylight saving, by measuring the zone's offset at that time.
 */
export const startOfDayUtc = (day: string, timeZone: string): Date => {
  const guess = toUtcMs(day);
  const offsetAt = (ms: number): number => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(new Date(ms));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return asUtc - ms;
  };
  let ms = guess - offsetAt(guess);
  ms = guess - offsetAt(ms);
  return new Date(ms);
};

/**
 * Calendar months from the one holding `lo` to the one holding `hi`, in `timeZone`, each with the
 * instant it starts (local midnight of its first day): `[['2026-01', Date], …]`.
 */
export const monthsBetween = (lo: Date, hi: Date, timeZone: string): Array<[string, Date]> => {
  const first = calendarDay(lo, timeZone).slice(0, 7);
  const last = calendarDay(hi, timeZone).slice(0, 7);
  const out: Array<[string, Date]> = [];
  let [y, m] = first.split('-').map(Number);
  for (;;) {
    const month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    out.push([month, startOfDayUtc(`${month}-01`, timeZone)]);
    if (month >= last) return out;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
};

/** The instants a calendar month (YYYY-MM) of `timeZone` runs between: [from, to). */
export const monthInstants = (month: string, timeZone: string): { from: Date; to: Date } => {
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
  return { from: startOfDayUtc(`${month}-01`, timeZone), to: startOfDayUtc(`${next}-01`, timeZone) };
};
