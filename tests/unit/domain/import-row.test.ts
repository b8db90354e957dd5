import { cleanText, importPhone, mapChannel, rowErrorMessage, validateRow } from '../../../plugins/complaints/server/src/domain/import-row';

const OPTS = { timeZone: 'Asia/Shanghai', now: new Date('2026-11-27T00:00:00.000Z') };

describe('channel from its label', () => {
  const table: Array<[string | null, string]> = [
    ['走访', 'visit'],
    ['来访', 'visit'],
    ['网格员入户走访', 'visit'],
    ['热线', 'hotline'],
    ['12345热线', 'hotline'],
    ['电话', 'hotline'],
    ['信件', 'letter'],
    ['来信', 'letter'],
    ['网络征集', 'web'],
    ['微信', 'web'],
    ['网上留言', 'web'],
    ['短信', 'sms'],
    ['座谈', 'meeting'],
    ['座谈会', 'meeting'],
    ['其他', 'other'],
    ['其它', 'other'],
    [' 热线 ', 'hotline'],
    ['hotline', 'hotline'],
    ['Web', 'web'],
    ['邮寄', 'other'],
    ['', 'other'],
    [null, 'other'],
  ];
  it.each(table)('%p → %s', (label, channel) => {
    expect(mapChannel(label)).toBe(channel);
  });
});

describe('phone as imported', () => {
  const table: Array<[unknown, string | null, string]> = [
    ['１３８ １２３４ ５６７８', '13812345678', 'mobile'],
    ['+86 138-1234-5678', '13812345678', 'mobile'],
    ['0086 13812345678', '13812345678', 'mobile'],
    [13812345678, '13812345678', 'mobile'],
    ['13812345678 ', '13812345678', 'mobile'],
    ['0571-88001234', '057188001234', 'landline'],
    ['(0571)8800 1234', '057188001234', 'landline'],
    ['88001234', '88001234', 'landline'],
    ['13812345678/0571-88001234', '13812345678', 'mobile'],
    ['无', null, 'none'],
    ['不详', null, 'none'],
    ['/', null, 'none'],
    ['', null, 'none'],
    [null, null, 'none'],
    ['12345', '12345', 'invalid'],
    ['138123', '138123', 'invalid'],
  ];
  it.each(table)('%p → %p (%s)', (value, stored, kind) => {
    expect(importPhone(value)).toEqual({ stored, kind });
  });
});

describe('cell text', () => {
  it('trims spaces of every kind and prints numbers plainly', () => {
    expect(cleanText('  城关镇\u3000 ')).toBe('城关镇');
    expect(cleanText('\u00a0东街\t')).toBe('东街');
    expect(cleanText(2024000007)).toBe('2024000007');
    expect(cleanText(12.5)).toBe('12.5');
    expect(cleanText('   ')).toBeNull();
    expect(cleanText(null)).toBeNull();
  });
});

describe('one ledger row', () => {
  const good = {
    ledgerNo: ' MY2024-001 ',
    receivedAt: '2024/5/6',
    channel: '走访',
    complainantName: '张三 ',
    phone: '+86 138-1234-5678',
    town: '城关镇  ',
    village: '东街社区',
    address: '东街12号',
    content: ' 东街路灯坏了三个月 ',
  };

  it('gives the original fields, trimmed, with the channel mapped and traceability', () => {
    expect(validateRow(good, OPTS)).toEqual({
      ok: true,
      row: {
        ledgerNo: 'MY2024-001',
        receivedAt: new Date('2024-05-05T16:00:00.000Z'),
        channel: 'visit',
        complainantName: '张三',
        phone: '13812345678',
        phoneKind: 'mobile',
        town: '城关镇',
        village: '东街社区',
        address: '东街12号',
        content: '东街路灯坏了三个月',
        traceable: true,
      },
    });
  });

  it('takes a number as ledger number and full-width characters as half-width', () => {
    expect(validateRow({ ...good, ledgerNo: 2024000007 }, OPTS)).toMatchObject({ ok: true, row: { ledgerNo: '2024000007' } });
    expect(validateRow({ ...good, ledgerNo: 'ＭＹ－００１' }, OPTS)).toMatchObject({ ok: true, row: { ledgerNo: 'MY-001' } });
  });

  it('keeps formula-looking text as text', () => {
    expect(validateRow({ ...good, content: '=HYPERLINK("http://x","点我")', address: '+1', complainantName: '@张三' }, OPTS)).toMatchObject({
      ok: true,
      row: { content: '=HYPERLINK("http://x","点我")', address: '+1', complainantName: '@张三' },
    });
  });

  it('imports a row without a phone, not traceable; an invalid phone is kept as written', () => {
    expect(validateRow({ ...good, phone: null }, OPTS)).toMatchObject({ ok: true, row: { phone: null, phoneKind: 'none', traceable: false } });
    expect(validateRow({ ...good, phone: '12345' }, OPTS)).toMatchObject({ ok: true, row: { phone: '12345', phoneKind: 'invalid', traceable: false } });
  });

  const bad: Array<[string, Record<string, unknown>, Array<{ field: string; code: string }>]> = [
    ['no ledger number', { ledgerNo: '  ' }, [{ field: 'ledgerNo', code: 'required' }]],
    ['no content', { content: '' }, [{ field: 'content', code: 'required' }]],
    ['no date', { receivedAt: null }, [{ field: 'receivedAt', code: 'required' }]],
    ['an unreadable date', { receivedAt: '五月六日' }, [{ field: 'receivedAt', code: 'date_invalid' }]],
    ['a future date', { receivedAt: '2030-01-01' }, [{ field: 'receivedAt', code: 'date_out_of_range' }]],
    ['a town over 50 characters', { town: '镇'.repeat(51) }, [{ field: 'town', code: 'too_long' }]],
    ['a ledger number over 64 characters', { ledgerNo: 'X'.repeat(65) }, [{ field: 'ledgerNo', code: 'too_long' }]],
    [
      'several problems at once',
      { ledgerNo: null, receivedAt: 'x', content: null },
      [
        { field: 'ledgerNo', code: 'required' },
        { field: 'receivedAt', code: 'date_invalid' },
        { field: 'content', code: 'required' },
      ],
    ],
  ];
  it.each(bad)('refuses %s', (_name, patch, errors) => {
    const r = validateRow({ ...good, ...patch }, OPTS);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual(errors);
  });

  it('keeps the ledger number of a refused row for the report', () => {
    expect(validateRow({ ...good, content: null }, OPTS)).toEqual({ ok: false, errors: [{ field: 'content', code: 'required' }], ledgerNo: 'MY2024-001' });
  });
});

describe('row error messages name the column, never the value', () => {
  const table: Array<[{ field: any; code: any }, string | undefined, string, string]> = [
    [{ field: 'content', code: 'required' }, undefined, '「诉求内容」为空，此项必填', 'content is empty; it is required'],
    [{ field: 'receivedAt', code: 'date_invalid' }, '受理日期', '「受理日期」无法识别为日期（可用 2024-05-06、2024/5/6、2024年5月6日、2024.5.6 或 Excel 日期）', 'received at is not a recognisable date (use 2024-05-06, 2024/5/6, 2024年5月6日, 2024.5.6 or an Excel date)'],
    [{ field: 'town', code: 'too_long' }, undefined, '「乡镇」超过 50 个字符', 'town is longer than 50 characters'],
    [{ field: 'receivedAt', code: 'date_out_of_range' }, undefined, '「反映时间」不在合理范围内（1990 年以后，且不晚于今天）', 'received at is out of range (after 1990 and not in the future)'],
  ];
  it.each(table)('%p', (error, label, zh, en) => {
    expect(rowErrorMessage(error, label)).toEqual({ zh, en });
  });
});
