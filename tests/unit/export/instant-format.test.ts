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
