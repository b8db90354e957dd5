import { matchExisting } from '../../../plugins/complaints/server/src/domain/import-match';
import { CORRECTABLE_FIELDS, ORIGINAL_FIELDS } from '../../../plugins/complaints/server/src/domain/original-fields';
import { validateCorrection } from '../../../plugins/complaints/server/src/domain/correction';

describe('a file row whose ledger number is already in the ledger', () => {
  // As PostgreSQL returns a stored complaint.
  const stored = {
    ledgerNo: 'A-1',
    receivedAt: new Date('2024-05-06T02:30:00.000Z'),
    channel: 'visit',
    complainantName: '张三',
    phone: '13800001234',
    town: '城关镇',
    village: null,
    address: '东街 5 号',
    content: '路灯不亮',
    importBatch: 'IMP-20240506-103000-7f3a',
  };
  // As the file's row comes out of the checks.
  const row = {
    ledgerNo: 'A-1',
    receivedAt: new Date('2024-05-06T02:30:00.000Z'),
    channel: 'visit',
    complainantName: '张三',
    phone: '13800001234',
    town: '城关镇',
    village: null,
    address: '东街 5 号',
    content: '路灯不亮',
    traceable: true,
  };

  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, ReturnType<typeof matchExisting>]> = [
    ['the same demand again', row, stored, { kind: 'already_present', importBatch: 'IMP-20240506-103000-7f3a' }],
    ['the same instant as SQLite returns it (epoch ms)', row, { ...stored, receivedAt: 1714962600000 }, { kind: 'already_present', importBatch: 'IMP-20240506-103000-7f3a' }],
    ['the same instant as staged text', { ...row, receivedAt: '2024-05-06 02:30:00' }, stored, { kind: 'already_present', importBatch: 'IMP-20240506-103000-7f3a' }],
    ['an empty cell against a stored null', { ...row, village: '' }, stored, { kind: 'already_present', importBatch: 'IMP-20240506-103000-7f3a' }],
    ['a missing field against a stored null', { ...row, village: undefined }, stored, { kind: 'already_present', importBatch: 'IMP-20240506-103000-7f3a' }],
    ['another raw row and batch (not compared)', { ...row, rawRow: { 备注: 'x' }, importBatch: 'IMP-other' }, stored, { kind: 'already_present', importBatch: 'IMP-20240506-103000-7f3a' }],
    ['a complaint entered by hand (no batch)', row, { ...stored, importBatch: null }, { kind: 'already_present', importBatch: null }],
    ['another phone number', { ...row, phone: '13900005678' }, stored, { kind: 'conflict', changed: ['phone'] }],
    ['another time', { ...row, receivedAt: new Date('2024-05-06T02:31:00.000Z') }, stored, { kind: 'conflict', changed: ['receivedAt'] }],
    ['another channel and content', { ...row, channel: 'hotline', content: '路灯又不亮' }, stored, { kind: 'conflict', changed: ['channel', 'content'] }],
    ['a village where the ledger has none', { ...row, village: '东村' }, stored, { kind: 'conflict', changed: ['village'] }],
    ['no name where the ledger has one', { ...row, complainantName: null }, stored, { kind: 'conflict', changed: ['complainantName'] }],
    ['every compared field different, in field order', { ledgerNo: 'A-1', receivedAt: '2023-01-01T00:00:00Z', channel: 'web', complainantName: '李四', phone: '13900005678', town: '新镇', village: '西村', address: '西街 1 号', content: '噪音' }, stored,
      { kind: 'conflict', changed: ['receivedAt', 'channel', 'complainantName', 'phone', 'town', 'village', 'address', 'content'] }],
  ];

  it.each(cases)('%s', (_name, incoming, before, expected) => {
    expect(matchExisting(incoming, before)).toEqual(expected);
  });

  it('compares exactly the fields a correction may change', () => {
    expect([...CORRECTABLE_FIELDS]).toEqual(['receivedAt', 'channel', 'complainantName', 'phone', 'town', 'village', 'address', 'content']);
    // The corrections accept exactly these fields (one list for both rules).
    const valueFor: Record<string, string> = { receivedAt: '2026-03-01T08:00:00+08:00', channel: 'hotline', phone: '13812345678' };
    const accepted = ORIGINAL_FIELDS.filter((field) => {
      try {
        validateCorrection({ field, value: valueFor[field] ?? '新值', reason: '核实更正' });
        return true;
      } catch {
        return false;
      }
    });
    expect(accepted).toEqual(['receivedAt', 'channel', 'complainantName', 'phone', 'town', 'village', 'address', 'content']);
  });
});
