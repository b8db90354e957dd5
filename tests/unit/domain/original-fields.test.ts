import {
  ORIGINAL_FIELDS,
  assertOriginalsUnchanged,
  findOriginalFieldChanges,
} from '../../../plugins/complaints/server/src/domain/original-fields';

describe('original fields', () => {
  it('are exactly the frozen list of DOMAIN.md', () => {
    expect([...ORIGINAL_FIELDS]).toEqual([
      'ledgerNo', 'receivedAt', 'channel', 'complainantName', 'phone', 'town', 'village', 'address', 'content', 'importBatch', 'rawRow',
    ]);
  });

  const stored = {
    ledgerNo: 'A-1',
    receivedAt: 1714962600000, // SQLite keeps epoch milliseconds: 2024-05-06T02:30:00.000Z
    channel: 'visit',
    phone: '13800001234',
    content: '路灯不亮',
    rawRow: '{"b":2,"a":1}',
    town: null,
  };

  const cases: Array<[string, Record<string, unknown>, string[], string[]]> = [
    ['no original in the patch', { summary: 'x' }, [], []],
    ['same values as sent by the Content Manager', { ledgerNo: 'A-1', channel: 'visit', phone: '13800001234' }, [], ['ledgerNo', 'channel', 'phone']],
    ['same instant in ISO form', { receivedAt: '2024-05-06T02:30:00.000Z' }, [], ['receivedAt']],
    ['same instant as a Date', { receivedAt: new Date('2024-05-06T02:30:00Z') }, [], ['receivedAt']],
    ['same instant in SQLite text form', { receivedAt: '2024-05-06 02:30:00' }, [], ['receivedAt']],
    ['same JSON with other key order', { rawRow: { a: 1, b: 2 } }, [], ['rawRow']],
    ['null and empty string are the same absence', { town: '' }, [], ['town']],
    ['changed phone', { phone: '13800009999' }, ['phone'], []],
    ['changed instant', { receivedAt: '2024-05-06T02:31:00.000Z' }, ['receivedAt'], []],
    ['changed JSON', { rawRow: { a: 1, b: 3 } }, ['rawRow'], []],
    ['cleared content', { content: null }, ['content'], []],
    ['two changed, one same', { phone: '1', content: '2', ledgerNo: 'A-1' }, ['phone', 'content'], ['ledgerNo']],
  ];

  it.each(cases)('%s', (_name, patch, changed, unchanged) => {
    const r = findOriginalFieldChanges(stored, patch);
    expect(r.changed.sort()).toEqual([...changed].sort());
    expect(r.unchanged.sort()).toEqual([...unchanged].sort());
  });

  it('strips unchanged originals and keeps the rest', () => {
    expect(assertOriginalsUnchanged(stored, { ledgerNo: 'A-1', summary: 's' })).toEqual({ summary: 's' });
  });

  it('refuses a change, naming the fields in Chinese and English', () => {
    expect(() => assertOriginalsUnchanged(stored, { phone: '1', content: 'x' })).toThrow(
      '原始台账字段不可修改：phone, content。如需更正，请添加更正记录 / Original ledger fields cannot be changed: phone, content. Add a correction instead'
    );
  });
});
