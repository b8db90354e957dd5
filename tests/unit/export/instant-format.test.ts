/**
 * The export's instants (`YYYY-MM-DD HH:mm`, the county's local time) against Intl's own
 * formatting, in zones with daylight saving and with a half-hour offset, and before 1970.
 */
import { instantFormatter } from '../../../plugins/complaints/server/src/services/export';

const reference = (ms: number, timeZone: string): string => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value])
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
};

describe('instantFormatter', () => {
  it.each(['Asia/Shanghai', 'America/New_York', 'Asia/Kolkata', 'UTC'])('agrees with Intl in %s', (zone) => {
    const at = instantFormatter(zone);
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const instants = [
      Date.UTC(2026, 2, 8, 6, 59, 59, 999), Date.UTC(2026, 2, 8, 7, 0), Date.UTC(2026, 10, 1, 5, 30), Date.UTC(2026, 10, 1, 6, 0),
      Date.UTC(1969, 11, 31, 23, 59, 30), Date.UTC(1965, 5, 15, 12, 7, 1), Date.UTC(2026, 11, 31, 16, 0), Date.UTC(2026, 11, 31, 15, 59, 59),
    ];
    for (let i = 0; i < 2000; i += 1) instants.push(Date.UTC(1960, 0, 1) + next() * 1000 + (next() % 1000));
    for (const ms of instants) expect([ms, at(new Date(ms))]).toEqual([ms, reference(ms, zone)]);
  });

  it('reads the stored forms (Date, epoch milliseconds as number or text) and nothing for none', () => {
    const at = instantFormatter('Asia/Shanghai');
    const ms = Date.UTC(2026, 10, 5, 2, 0);
    expect([at(new Date(ms)), at(ms), at(String(ms)), at(null), at(undefined), at('not a date')]).toEqual([
      '2026-11-05 10:00', '2026-11-05 10:00', '2026-11-05 10:00', null, null, null,
    ]);
  });
});

describe('instantFormatter where the offset changes on the half hour', () => {
  // Asia/Kolkata went from +05:30 to +06:30 at 1941-09-30 18:30 UTC and back at 1945-10-14 17:30
  // UTC; America/St_Johns (−03:30 / −02:30) changes at 05:30 UTC in March and 04:30 UTC in
  // November. An offset taken once per UTC hour gets the half hour after each change wrong.
  it.each([
    ['Asia/Kolkata', '1941-09-30T18:29:00Z', '1941-09-30 23:59'],
    ['Asia/Kolkata', '1941-09-30T18:30:00Z', '1941-10-01 01:00'],
    ['Asia/Kolkata', '1941-09-30T18:45:00Z', '1941-10-01 01:15'],
    ['Asia/Kolkata', '1945-10-14T17:29:00Z', '1945-10-14 23:59'],
    ['Asia/Kolkata', '1945-10-14T17:30:00Z', '1945-10-14 23:00'],
    ['Asia/Kolkata', '1945-10-14T17:45:00Z', '1945-10-14 23:15'],
    ['Asia/Kolkata', '2026-11-05T02:00:00Z', '2026-11-05 07:30'],
    ['America/St_Johns', '2026-03-08T05:29:00Z', '2026-03-08 01:59'],
    ['America/St_Johns', '2026-03-08T05:30:00Z', '2026-03-08 03:00'],
    ['America/St_Johns', '2026-03-08T05:45:00Z', '2026-03-08 03:15'],
    ['America/St_Johns', '2026-11-01T04:29:00Z', '2026-11-01 01:59'],
    ['America/St_Johns', '2026-11-01T04:30:00Z', '2026-11-01 01:00'],
    ['America/St_Johns', '2026-11-01T04:45:00Z', '2026-11-01 01:15'],
  ])('%s: %s is %s', (zone, iso, local) => {
    expect(instantFormatter(zone)(new Date(iso))).toBe(local);
  });

  it('one formatter keeps each day right after formatting the others (the cache is per day)', () => {
    const at = instantFormatter('Asia/Kolkata');
    const order = ['1945-10-14T17:45:00Z', '1945-10-14T17:29:00Z', '1945-10-14T12:00:00Z', '1945-10-14T23:59:00Z', '1945-10-15T00:00:00Z'];
    expect(order.map((iso) => at(new Date(iso)))).toEqual(['1945-10-14 23:15', '1945-10-14 23:59', '1945-10-14 18:30', '1945-10-15 05:29', '1945-10-15 05:30']);
  });
});
