/**
 * The county's calendar in SQL, in one place: the month of a stored instant, a month as a range
 * of instants, and the calendar day of an instant, in the county's time zone (config.timeZone).
 * The counts (complaint-query.ts) and the rates (statistics.ts) both cut months here.
 *
 * How an instant is stored: Minyi writes a JS Date through the driver. SQLite keeps milliseconds
 * since the epoch. PostgreSQL: Strapi's datetime columns are `timestamp without time zone`, and
 * node-postgres sends a Date as the Node process's local wall time, whose offset the column type
 * drops. A Date bound in a comparison is sent the same way, so `column >= ?` with a bound Date
 * compares instants on both databases, whatever the process's zone, and can use the column's
 * index. Hence a month is the range between two bound instants (local midnight of its first day
 * and of the next month's, computed in Node by domain/calendar.ts), and the month of an instant
 * is a CASE over the months' first instants: no time-zone arithmetic in the database.
 *
 * The day of an instant (compared with a date column, e.g. "accepted by the response deadline")
 * has too many possible values for a CASE: PostgreSQL converts the stored wall time from the
 * process's zone to the county's with AT TIME ZONE; SQLite has no time zones, so the zone's UTC
 * offsets (with their changes, for zones with daylight saving) become a CASE over the instant.
 */
import type { Knex } from 'knex';
import { monthInstants, monthsBetween } from '../domain/calendar';

/** A piece of SQL with its bindings, for knex.raw / select / whereRaw. */
export interface SqlPart {
  sql: string;
  bindings: unknown[];
}

const TZ_RE = /^[A-Za-z0-9_+\-/]+$/;

const toDate = (v: unknown): Date | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v;
  return new Date(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string | number));
};

/** The months of the county, latest first, from that of the least to that of the greatest value of `ref` in `range`. */
export const monthsIn = async (range: Knex.QueryBuilder, ref: string, timeZone: string): Promise<Array<[string, Date]>> => {
  const row = (await range.clone().clearSelect().clearOrder().min({ lo: ref }).max({ hi: ref }).first()) as { lo: unknown; hi: unknown } | undefined;
  const [lo, hi] = [toDate(row?.lo), toDate(row?.hi)];
  if (!lo || !hi) return [];
  // Latest month first: recent months hold most rows, so most rows match an early branch.
  return monthsBetween(lo, hi, timeZone).reverse();
};

/**
 * The county month (YYYY-MM) of the instant column `ref`, as SQL: a CASE over `months`
 * (`monthsIn` of a query whose rows hold every value the expression will meet: the filtered
 * rows, or the whole table, whose least and greatest value an index answers); NULL where the
 * column is, or no month is given.
 */
export const countyMonthSql = (ref: string, months: Array<[string, Date]>): SqlPart => {
  if (months.length === 0) return { sql: 'NULL', bindings: [] };
  return {
    sql: `(CASE ${months.map(() => 'WHEN ?? >= ? THEN ?').join(' ')} END)`,
    bindings: months.flatMap(([month, start]) => [ref, start, month]),
  };
};

/** Narrows `q` to the rows whose instant column `ref` falls in the county month `month` (YYYY-MM). */
export const whereInCountyMonth = <Q extends Knex.QueryBuilder>(q: Q, ref: string, month: string, timeZone: string): Q => {
  const { from, to } = monthInstants(month, timeZone);
  q.where(ref, '>=', from).where(ref, '<', to);
  return q;
};

/** Offsets (seconds east of UTC) of a zone, and the instants (seconds) at which they change. */
interface OffsetSegments {
  first: number;
  changes: Array<{ at: number; offset: number }>;
}

const offsetAt = (timeZone: string, ms: number): number => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return Math.round((Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(ms / 1000) * 1000) / 1000);
};

const segmentCache = new Map<string, OffsetSegments>();

/** The zone's offsets from 2000 to 2100, probed every 10 days and each change found to the second. */
const offsetSegments = (timeZone: string): OffsetSegments => {
  const hit = segmentCache.get(timeZone);
  if (hit) return hit;
  const start = Date.UTC(2000, 0, 1);
  const end = Date.UTC(2100, 0, 1);
  const step = 10 * 86_400_000;
  const first = offsetAt(timeZone, start);
  const changes: OffsetSegments['changes'] = [];
  let prev = first;
  for (let t = start + step; t <= end; t += step) {
    const o = offsetAt(timeZone, t);
    if (o === prev) continue;
    let lo = t - step;
    let hi = t;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (offsetAt(timeZone, mid) === prev) lo = mid;
      else hi = mid;
    }
    changes.push({ at: Math.floor(hi / 1000), offset: o });
    prev = o;
  }
  const segments = { first, changes };
  segmentCache.set(timeZone, segments);
  return segments;
};

const zoneLiteral = (tz: string): string => {
  // Written into the SQL text: the zone names come from configuration and the process, never a request.
  if (!TZ_RE.test(tz)) throw new Error(`[complaints] time zone not usable in SQL: ${tz}`);
  return `'${tz}'`;
};

/** SQLite: a stored instant as seconds since the epoch (Minyi stores milliseconds; ISO text is read too). */
const epochSql = (col: string) =>
  `(CASE WHEN typeof(${col}) = 'text' THEN CAST(strftime('%s', ${col}) AS INTEGER) ELSE CAST(${col} / 1000 AS INTEGER) END)`;

/** SQLite: the county's local time of a stored instant, as seconds (for strftime 'unixepoch'). */
const localEpochSql = (col: string, timeZone: string): string => {
  const s = epochSql(col);
  const { first, changes } = offsetSegments(timeZone);
  if (changes.length === 0) return `(${s} + ${first})`;
  const whens: string[] = [];
  let offset = first;
  for (const c of changes) {
    whens.push(`WHEN ${s} < ${c.at} THEN ${offset}`);
    offset = c.offset;
  }
  return `(${s} + CASE ${whens.join(' ')} ELSE ${offset} END)`;
};

/**
 * The county's calendar day of the instant column `col` (SQL text, a trusted column reference),
 * comparable with a date column: `date` on PostgreSQL, 'YYYY-MM-DD' text on SQLite.
 */
export const countyDaySql = (isPostgres: boolean, col: string, timeZone: string): string => {
  if (!isPostgres) return `strftime('%Y-%m-%d', ${localEpochSql(col, timeZone)}, 'unixepoch')`;
  const stored = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `CAST(((${col} AT TIME ZONE ${zoneLiteral(stored)}) AT TIME ZONE ${zoneLiteral(timeZone)}) AS date)`;
};
