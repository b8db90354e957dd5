/**
 * When a demand was received (反映时间), as clerks write it: Excel serial numbers (also stored
 * as text), 2024/5/6, 2024-05-06 10:30, 2024年5月6日 10时30分, 2024.5.6, 20240506, with
 * full-width digits. A date without a time is the start of that day in the county's time zone;
 * the result is the UTC instant of that local time. Ambiguous notations (5/6/2024, 24/5/6) are
 * refused rather than guessed.
 */

export type LedgerDateError = 'missing' | 'invalid' | 'out_of_range';

export type LedgerDateResult = { ok: true; at: Date } | { ok: false; error: LedgerDateError };

export interface LedgerDateOptions {
  timeZone: string;
  /** Upper bound: a demand cannot be received after this instant (plus one day of slack). */
  now: Date;
  /** Workbooks saved with the 1904 date system (old Mac Excel). */
  date1904?: boolean;
}

/** The earliest year a ledger date may have. */
export const MIN_YEAR = 1990;

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets by zone and UTC hour: zones change offset on the hour, and a ledger repeats days. */
const offsetCache = new Map<string, Map<number, number>>();

const measureOffset = (ms: number, timeZone: string): number => {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    offsetFormatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(ms / 1000) * 1000;
};

/** The zone's offset from UTC (ms) at the instant `ms`. */
const zoneOffsetAt = (ms: number, timeZone: string): number => {
  let cache = offsetCache.get(timeZone);
  if (!cache) offsetCache.set(timeZone, (cache = new Map()));
  const hour = Math.floor(ms / 3_600_000);
  let offset = cache.get(hour);
  if (offset === undefined) {
    offset = measureOffset(hour * 3_600_000, timeZone);
    if (cache.size > 100_000) cache.clear();
    cache.set(hour, offset);
  }
  return offset;
};

/** The UTC instant of a wall-clock time in `timeZone` (two passes settle daylight-saving edges). */
export const zonedTimeToUtc = (y: number, mo: number, d: number, h: number, mi: number, s: number, timeZone: string): Date => {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  let ms = wall - zoneOffsetAt(wall, timeZone);
  ms = wall - zoneOffsetAt(ms, timeZone);
  return new Date(ms);
};

const validParts = (y: number, mo: number, d: number, h: number, mi: number, s: number): boolean => {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const check = new Date(Date.UTC(y, mo - 1, d));
  return check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d;
};

/** Full-width digits and punctuation to ASCII; ideographic spaces to spaces. */
const halfWidth = (s: string): string => s.normalize('NFKC');

/** Excel serial day number → wall-clock parts. 1900 system: day 1 = 1900-01-01 with Excel's 1900 leap-day bug, so serials ≥ 61 count from 1899-12-30. */
export const excelSerialToParts = (serial: number, date1904 = false): [number, number, number, number, number, number] | null => {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2_958_466) return null;
  const base = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  // Round to the second: Excel stores times as fractions of a day.
  const totalSeconds = Math.round(serial * 86_400);
  const ms = base + totalSeconds * 1000;
  const dt = new Date(ms);
  return [dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate(), dt.getUTCHours(), dt.getUTCMinutes(), dt.getUTCSeconds()];
};

const DATE_TIME_RE =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:\s*[T\s]?\s*(上午|下午|早上|晚上|中午)?\s*(\d{1,2})\s*[:时點点]\s*(\d{1,2})\s*(?:[:分]\s*(?:(\d{1,2})(?:\.\d+)?\s*秒?)?)?)?$/;
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL_TEXT_RE = /^\d{5}(\.\d+)?$/;
const ISO_ZONED_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses a 反映时间 cell. `value` is what the spreadsheet reader gave: a number (Excel serial, or
 * 20240506), a Date (a cell the reader already converted: its UTC fields are the wall clock), or
 * text.
 */
export const parseLedgerDate = (value: unknown, opts: LedgerDateOptions): LedgerDateResult => {
  let parts: [number, number, number, number, number, number] | null = null;
  let instant: Date | null = null;

  if (value === null || value === undefined) return { ok: false, error: 'missing' };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { ok: false, error: 'invalid' };
    parts = [value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate(), value.getUTCHours(), value.getUTCMinutes(), value.getUTCSeconds()];
  } else if (typeof value === 'number') {
    const compact = Number.isInteger(value) ? COMPACT_RE.exec(String(value)) : null;
    if (compact) parts = [Number(compact[1]), Number(compact[2]), Number(compact[3]), 0, 0, 0];
    else parts = excelSerialToParts(value, opts.date1904);
    if (!parts) return { ok: false, error: 'invalid' };
  } else {
    const text = halfWidth(String(value)).trim();
    if (!text) return { ok: false, error: 'missing' };
    let m: RegExpExecArray | null;
    if (ISO_ZONED_RE.test(text)) {
      instant = new Date(text);
      if (Number.isNaN(instant.getTime())) return { ok: false, error: 'invalid' };
    } else if ((m = COMPACT_RE.exec(text))) {
      parts = [Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0];
    } else if (SERIAL_TEXT_RE.test(text)) {
      // A serial number stored as text (a date column formatted as text, or a CSV export).
      parts = excelSerialToParts(Number(text), opts.date1904);
      if (!parts) return { ok: false, error: 'invalid' };
    } else if ((m = DATE_TIME_RE.exec(text))) {
      let hour = m[5] === undefined ? 0 : Number(m[5]);
      const half = m[4];
      if (half && (half === '下午' || half === '晚上') && hour < 12) hour += 12;
      if (half === '中午' && hour < 11) hour += 12;
      parts = [Number(m[1]), Number(m[2]), Number(m[3]), hour, m[6] === undefined ? 0 : Number(m[6]), m[7] === undefined ? 0 : Number(m[7])];
    } else {
      return { ok: false, error: 'invalid' };
    }
  }

  if (parts) {
    const [y, mo, d, h, mi, s] = parts;
    if (!validParts(y, mo, d, h, mi, s)) return { ok: false, error: 'invalid' };
    if (y < MIN_YEAR) return { ok: false, error: 'out_of_range' };
    instant = zonedTimeToUtc(y, mo, d, h, mi, s, opts.timeZone);
  }
  const at = instant as Date;
  if (at.getTime() > opts.now.getTime() + 86_400_000) return { ok: false, error: 'out_of_range' };
  if (at.getTime() < Date.UTC(MIN_YEAR, 0, 1) - 86_400_000) return { ok: false, error: 'out_of_range' };
  return { ok: true, at };
};
