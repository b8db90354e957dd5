import { complaintRowErrors } from '../../../plugins/complaints/server/src/domain/complaint-row';

describe('one row rule for every create path', () => {
  const now = new Date('2026-06-01T04:00:00Z');
  const opts = { timeZone: 'Asia/Shanghai', now };
  const ok = { ledgerNo: 'A-1', receivedAt: '2026-05-06T02:30:00.000Z', channel: 'visit', content: '路灯不亮', town: '城关镇' };

  it('accepts a normal complaint', () => {
    expect(complaintRowErrors(ok, opts)).toBeNull();
  });

  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['year 275760', { receivedAt: '+275760-09-13T00:00:00.000Z' }, ['receivedAt']],
    ['a future day', { receivedAt: '2026-06-03T00:00:00.000Z' }, ['receivedAt']],
    ['before 1990', { receivedAt: '1985-01-01T00:00:00.000Z' }, ['receivedAt']],
    ['no date', { receivedAt: null }, ['receivedAt']],
    ['content of 20,001 characters', { content: '长'.repeat(20_001) }, ['content']],
    ['no content', { content: '   ' }, ['content']],
    ['no ledger number', { ledgerNo: '' }, ['ledgerNo']],
    ['a 65-character ledger number', { ledgerNo: 'A'.repeat(65) }, ['ledgerNo']],
    ['a 256-character address', { address: '街'.repeat(256) }, ['address']],
    ['two errors at once', { content: null, town: '镇'.repeat(51) }, ['town', 'content']],
  ];
  it.each(cases)('refuses %s, naming the field (zh / en)', (_label, patch, fields) => {
    const e = complaintRowErrors({ ...ok, ...patch }, opts);
    expect(e?.details.fields).toEqual(fields);
    expect(e?.message).toMatch(/^诉求无法登记：.+ \/ The complaint cannot be recorded: .+/);
  });

  it('accepts content of exactly 20,000 characters', () => {
    expect(complaintRowErrors({ ...ok, content: '长'.repeat(20_000) }, opts)).toBeNull();
  });

  it('never repeats a value in its message', () => {
    const e = complaintRowErrors({ ...ok, phone: '1'.repeat(70), complainantName: '张'.repeat(101) }, opts);
    expect(e?.message).not.toContain('1111111');
    expect(e?.message).not.toContain('张张');
  });
});
