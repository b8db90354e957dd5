import { columnLetter, detectHeader, fieldForHeader, normalizeHeader } from '../../../plugins/complaints/server/src/domain/ledger-template';

describe('header names', () => {
  const table: Array<[string, string]> = [
    [' 诉求编号 ', '诉求编号'],
    ['村（社区）', '村(社区)'],
    ['*诉求内容', '诉求内容'],
    ['诉求编号（必填）', '诉求编号'],
    ['反映时间：', '反映时间'],
    ['Ledger No.', 'ledgerno'],
    ['RECEIVED_AT', 'receivedat'],
    ['联系\n电话', '联系电话'],
  ];
  it.each(table)('%p normalises to %p', (label, expected) => {
    expect(normalizeHeader(label)).toBe(expected);
  });

  const fields: Array<[string, string | null]> = [
    ['诉求编号', 'ledgerNo'],
    ['编号', 'ledgerNo'],
    ['Ledger number', 'ledgerNo'],
    ['反映时间', 'receivedAt'],
    ['受理日期', 'receivedAt'],
    ['Received at', 'receivedAt'],
    ['来源', 'channel'],
    ['Channel', 'channel'],
    ['反映人', 'complainantName'],
    ['姓名', 'complainantName'],
    ['联系电话', 'phone'],
    ['手机号码', 'phone'],
    ['Phone', 'phone'],
    ['乡镇', 'town'],
    ['乡镇（街道）', 'town'],
    ['村(社区)', 'village'],
    ['村/社区', 'village'],
    ['Village', 'village'],
    ['详细地址', 'address'],
    ['Address', 'address'],
    ['诉求内容', 'content'],
    ['反映问题', 'content'],
    ['Content', 'content'],
    ['序号', null],
    ['备注', null],
    ['某县群众诉求台账', null],
  ];
  it.each(fields)('%p → %p', (label, field) => {
    expect(fieldForHeader(label)).toBe(field);
  });

  it('names columns like a spreadsheet', () => {
    expect([0, 25, 26, 27, 701, 702].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']);
  });
});

const TEMPLATE = ['诉求编号', '反映时间', '来源', '反映人', '联系电话', '乡镇', '村(社区)', '详细地址', '诉求内容'];

describe('finding the header', () => {
  it('finds it under a title and a blank row, and keeps unknown columns', () => {
    const d = detectHeader([['某县群众诉求台账（汇总）'], [], [...TEMPLATE, '备注', null, '备注'], ['A1', '2024/5/6']]);
    if (!d.ok) throw new Error(JSON.stringify(d));
    expect(d.header.headerIndex).toBe(2);
    expect(d.header.dataIndex).toBe(3);
    expect(d.header.byField).toEqual({ ledgerNo: 0, receivedAt: 1, channel: 2, complainantName: 3, phone: 4, town: 5, village: 6, address: 7, content: 8 });
    expect(d.header.columns.slice(9).map((c) => [c.label, c.key, c.field])).toEqual([
      ['备注', '备注', null],
      ['列K', '列K', null],
      ['备注', '备注(2)', null],
    ]);
  });

  it('accepts English headers in any order', () => {
    const d = detectHeader([['Content', 'Ledger No.', 'Received at', 'Phone']]);
    if (!d.ok) throw new Error(JSON.stringify(d));
    expect(d.header.byField).toEqual({ content: 0, ledgerNo: 1, receivedAt: 2, phone: 3 });
  });

  it('completes a header split over two rows by merged cells', () => {
    // Row 1: 反映人信息 merged over two columns; the other names merged vertically (top cell only).
    const d = detectHeader([
      ['诉求编号', '反映时间', '反映人信息', null, '诉求内容'],
      [null, null, '反映人', '联系电话', null],
      ['A1', '2024/5/6', '张三', '13800000000', '路灯坏了'],
    ]);
    if (!d.ok) throw new Error(JSON.stringify(d));
    expect(d.header.dataIndex).toBe(2);
    expect(d.header.byField).toEqual({ ledgerNo: 0, receivedAt: 1, complainantName: 2, phone: 3, content: 4 });
    expect(d.header.columns.map((c) => c.key)).toEqual(['诉求编号', '反映时间', '反映人', '联系电话', '诉求内容']);
  });

  it('lets a sub-header move a field a group header had claimed (联系方式 over 电话)', () => {
    const d = detectHeader([
      ['诉求编号', '反映时间', '联系方式', null, '诉求内容'],
      [null, null, '反映人', '电话', null],
    ]);
    if (!d.ok) throw new Error(JSON.stringify(d));
    expect(d.header.byField).toEqual({ ledgerNo: 0, receivedAt: 1, complainantName: 2, phone: 3, content: 4 });
  });

  it('refuses a sheet without the required columns, naming them', () => {
    expect(detectHeader([['诉求编号', '反映人', '联系电话']])).toEqual({ ok: false, reason: 'missing_required', missing: ['receivedAt', 'content'] });
  });

  it('refuses a sheet with no header at all, and tells an empty one apart', () => {
    expect(detectHeader([['张三', '13800000000'], ['李四', '路灯']])).toEqual({ ok: false, reason: 'no_header' });
    expect(detectHeader([[], [null, ''], ['  ']])).toEqual({ ok: false, reason: 'empty' });
  });

  it('looks only at the first 30 rows', () => {
    const rows: Array<Array<string | null>> = Array.from({ length: 30 }, () => ['说明']);
    expect(detectHeader([...rows, TEMPLATE])).toEqual({ ok: false, reason: 'no_header' });
    expect(detectHeader([...rows.slice(1), TEMPLATE]).ok).toBe(true);
  });
});
