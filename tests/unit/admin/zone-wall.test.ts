/**
 * The admin's date-time input in the county's zone (cm/CountyDateTimeInput.tsx): the picker is
 * given a Date whose local fields read the county's clock, and a time picked there is read back
 * as the county's. Checked against instants worked out by hand in three zones (at most one of
 * them can be the zone the tests run in, so a rule that ignored the zone fails the others).
 */
import { countyWallDate, instantOfCountyWall } from '../../../plugins/complaints/admin/src/utils/zone-wall';

const fields = (d: Date) => [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];

describe('the county wall clock of an instant, and back', () => {
  it.each<[string, string, number[]]>([
    // 16:30 UTC is 00:30 the next day in Shanghai (UTC+8).
    ['2026-03-01T16:30:00.000Z', 'Asia/Shanghai', [2026, 3, 2, 0, 30, 0]],
    ['2026-12-31T15:59:59.000Z', 'Asia/Shanghai', [2026, 12, 31, 23, 59, 59]],
    ['2026-12-31T16:00:00.000Z', 'Asia/Shanghai', [2027, 1, 1, 0, 0, 0]],
    // Ürümqi is UTC+6.
    ['2026-03-01T16:30:00.000Z', 'Asia/Urumqi', [2026, 3, 1, 22, 30, 0]],
    // New York in summer is UTC−4.
    ['2026-07-01T16:15:00.000Z', 'America/New_York', [2026, 7, 1, 12, 15, 0]],
  ])('%s in %s reads %j', (iso, zone, wall) => {
    const shown = countyWallDate(new Date(iso), zone);
    expect(fields(shown)).toEqual(wall);
    expect(instantOfCountyWall(shown, zone).toISOString()).toBe(iso);
  });

  it('a time picked in the county is that instant, whatever the browser', () => {
    // 2026-03-02 09:00 picked: 01:00 UTC in Shanghai.
    expect(instantOfCountyWall(new Date(2026, 2, 2, 9, 0, 0), 'Asia/Shanghai').toISOString()).toBe('2026-03-02T01:00:00.000Z');
  });
});
