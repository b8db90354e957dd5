/**
 * The county's wall clock and instants, for a date-time picker (which shows a Date's local
 * fields) to show and take the county's time in any browser. Pure: no React, no Strapi.
 */
/** The wall clock of instant `t` in `timeZone`: year, month (1–12), day, hour, minute, second. */
const wallOf = (t: number, timeZone: string): [number, number, number, number, number, number] => {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(t));
  const p = Object.fromEntries(parts.map((x) => [x.type, Number(x.value)]));
  return [p.year, p.month, p.day, p.hour, p.minute, p.second];
};

/** How far `timeZone`'s clock is ahead of UTC at instant `t`, in milliseconds. */
const offsetAt = (t: number, timeZone: string): number => {
  const whole = Math.floor(t / 1000) * 1000;
  const [y, mo, d, h, mi, s] = wallOf(whole, timeZone);
  return Date.UTC(y, mo - 1, d, h, mi, s) - whole;
};

/**
 * A Date whose local fields (getHours, …) read the county's wall clock at `instant`: what a
 * date-time picker, which shows local fields, must be given to show the county's time.
 */
export const countyWallDate = (instant: Date, timeZone: string): Date => {
  const [y, mo, d, h, mi, s] = wallOf(instant.getTime(), timeZone);
  return new Date(y, mo - 1, d, h, mi, s, instant.getMilliseconds());
};

/**
 * The instant at which `timeZone`'s wall clock reads `wallAsUtc` (the wall time's fields read as
 * if they were UTC, `Date.UTC(…)`): the zone's offset measured twice, so a day-saving change is
 * met (server/src/domain/calendar.ts `startOfDayUtc` does the same for a midnight).
 */
export const instantOfWall = (wallAsUtc: number, timeZone: string): Date => {
  const first = wallAsUtc - offsetAt(wallAsUtc, timeZone);
  return new Date(wallAsUtc - offsetAt(first, timeZone));
};

/** The instant at which the county's wall clock reads the local fields of `wall` (the inverse of `countyWallDate`). */
export const instantOfCountyWall = (wall: Date, timeZone: string): Date =>
  instantOfWall(Date.UTC(wall.getFullYear(), wall.getMonth(), wall.getDate(), wall.getHours(), wall.getMinutes(), wall.getSeconds(), wall.getMilliseconds()), timeZone);
