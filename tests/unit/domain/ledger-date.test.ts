import { parseLedgerDate } from '../../../plugins/complaints/server/src/domain/ledger-date';

const NOW = new Date('2026-11-27T00:00:00.000Z');
const SHANGHAI = { timeZone: 'Asia/Shanghai', now: NOW };

describe('反映时间 as clerks write it, in the county time zone (Asia/Shanghai, UTC+8)', () => {
  // [cell value, expected UTC instant]; a date without a time is local midnight (16:00Z the day before)
  const table: Array<[unknown, string]> = [
    [45418, '2024-05-05T16:00:00.000Z'], // Excel serial of 2024-05-06
    [45418.4375, '2024-05-06T02:30:00.000Z'], // 10:30 local
    ['45418', '2024-05-05T16:00:00.000Z'], // a serial stored as text
    [20240506, '2024-05-05T16:00:00.000Z'],
    ['20240506', '2024-05-05T16:00:00.000Z'],
    ['2024/5/6', '2024-05-05T16:00:00.000Z'],
    ['2024-05-06', '2024-05-05T16:00:00.000Z'],
    ['2024-05-06 10:30', '2024-05-06T02:30:00.000Z'],
    ['2024-05-06 10:30:15', '2024-05-06T02:30:15.000Z'],
    ['2024-05-06T10:30:00', '2024-05-06T02:30:00.000Z'],
    ['2024年5月6日', '2024-05-05T16:00:00.000Z'],
    ['2024年5月6日 10时30分', '2024-05-06T02:30:00.000Z'],
    ['2024年05月06号', '2024-05-05T16:00:00.000Z'],
    ['2024.5.6', '2024-05-05T16:00:00.000Z'],
    ['２０２４／５／６', '2024-05-05T16:00:00.000Z'], // full-width
    ['  2024/5/6  ', '2024-05-05T16:00:00.000Z'],
    ['2024/5/6 下午3:05', '2024-05-06T07:05:00.000Z'],
    ['2024-05-06T10:30:00+08:00', '2024-05-06T02:30:00.000Z'],
    ['2024-05-06T02:30:00Z', '2024-05-06T02:30:00.000Z'],
    [new Date(Date.UTC(2024, 4, 6, 10, 30)), '2024-05-06T02:30:00.000Z'], // a reader's Date: its UTC fields are the wall clock
  ];
  it.each(table)('%p → %s', (value, expected) => {
    const r = parseLedgerDate(value, SHANGHAI);
    expect(r).toEqual({ ok: true, at: new Date(expected) });
  });

  it('reads serials of the 1904 date system', () => {
    expect(parseLedgerDate(43956, { ...SHANGHAI, date1904: true })).toEqual({ ok: true, at: new Date('2024-05-05T16:00:00.000Z') });
  });

  const refused: Array<[unknown, string]> = [
    [null, 'missing'],
    [undefined, 'missing'],
    ['', 'missing'],
    ['   ', 'missing'],
    ['不详', 'invalid'],
    ['2024/13/1', 'invalid'],
    ['2024/2/30', 'invalid'],
    ['2024/5/6 25:00', 'invalid'],
    ['5/6/2024', 'invalid'], // ambiguous: month/day or day/month
    ['24/5/6', 'invalid'], // two-digit year
    [0, 'invalid'],
    ['1989/12/31', 'out_of_range'],
    ['2027/1/1', 'out_of_range'], // after "now"
  ];
  it.each(refused)('%p is refused as %s', (value, error) => {
    expect(parseLedgerDate(value, SHANGHAI)).toEqual({ ok: false, error });
  });
});

describe('other time zones', () => {
  it('UTC: a day starts at 00:00Z', () => {
    expect(parseLedgerDate('2024/5/6', { timeZone: 'UTC', now: NOW })).toEqual({ ok: true, at: new Date('2024-05-06T00:00:00.000Z') });
  });
  it('New York, across daylight saving changes (EDT −4 in March after the change, EST −5 in November)', () => {
    const ny = { timeZone: 'America/New_York', now: NOW };
    expect(parseLedgerDate('2024-03-10 03:30', ny)).toEqual({ ok: true, at: new Date('2024-03-10T07:30:00.000Z') });
    expect(parseLedgerDate('2024-03-09 03:30', ny)).toEqual({ ok: true, at: new Date('2024-03-09T08:30:00.000Z') });
    expect(parseLedgerDate('2024-11-03 12:00', ny)).toEqual({ ok: true, at: new Date('2024-11-03T17:00:00.000Z') });
  });
});
