/**
 * The public data rules: the moderation of the public summary (phones, ID card numbers and
 * addresses refused, with a positive control each), the public query (only the route's own
 * parameters), the projection of a result (named columns only), the public timeline, the intake
 * form and the tracking code.
 */
import { checkPublicSummary, personalDataIn } from '../../../plugins/complaints/server/src/domain/public-summary';
import { parsePublicQuery, publicResult, publicTimeline, PUBLIC_RESULT_COLUMNS } from '../../../plugins/complaints/server/src/domain/public-data';
import { isHoneypot, ledgerNoOf, normalizeTrackingCode, readIntakeForm, readTrackForm, seriesNumber, trackingCodeHash, trackingCodeOf } from '../../../plugins/complaints/server/src/domain/intake';
import { isDomainError } from '../../../plugins/complaints/server/src/domain/errors';

const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return isDomainError(e) ? e.code : 'not a domain error';
  }
};

describe('personalDataIn (public summary moderation)', () => {
  it.each([
    ['已电话联系13812341234', ['phone']],
    ['已电话联系 +86 138-1234-1234', ['phone']],
    ['已电话联系１３８１２３４１２３４', ['phone']],
    ['请拨打 0571-88001234 咨询', ['phone']],
    ['身份证 11010519491231002X 已核验', ['idCard']],
    ['人民路12号门前积水已排除', ['address']],
    ['解放大道 8 号路灯已修', ['address']],
    ['3号楼电梯已更换', ['address']],
    ['5栋502室漏水已处理', ['address']],
    ['住址为某小区', ['address']],
    ['13812341234 住人民路3号', ['phone', 'address']],
  ])('%s → %j', (text, kinds) => {
    expect(personalDataIn(text)).toEqual(kinds);
  });
  it.each([
    '小区楼道照明已全部修复',
    '农村公路坑洼已修补，全长 3 公里',
    '2026 年 11 月完成整改，投入资金 12 万元',
    '共涉及 120 户居民',
    '',
  ])('control: %s has none', (text) => {
    expect(personalDataIn(text)).toEqual([]);
  });
  it('checkPublicSummary refuses with the kinds named, never the text, and trims what it keeps', () => {
    expect(codeOf(() => checkPublicSummary('联系13812341234'))).toBe('public_summary_personal_data');
    try {
      checkPublicSummary('联系13812341234，人民路12号');
    } catch (e) {
      expect((e as Error).message).toBe('公开摘要不能包含电话号码、地址：请删除后再保存（摘要会公开发布） / The public summary must not contain a phone number, an address: remove it and save again (the summary is published)');
    }
    expect(codeOf(() => checkPublicSummary('字'.repeat(501)))).toBe('public_summary_too_long');
    expect(codeOf(() => checkPublicSummary(12))).toBe('public_summary_invalid');
    expect(checkPublicSummary('  已修复  ')).toBe('已修复');
    expect(checkPublicSummary('   ')).toBeNull();
    expect(checkPublicSummary(null)).toBeNull();
  });
});

describe('parsePublicQuery', () => {
  it.each([
    ['summary', { populate: '*' }, 'unsupported_parameter'],
    ['results', { fields: ['phone'] }, 'unsupported_parameter'],
    ['results', { filters: { phone: { $eq: '1' } } }, 'unsupported_parameter'],
    ['results', { sort: 'phone' }, 'unsupported_parameter'],
    ['results', { phone: '1' }, 'unknown_parameter'],
    ['ranking', { town: 'x' }, 'unknown_parameter'],
    ['results', { pageSize: '51' }, 'bad_parameter'],
    ['results', { page: '0' }, 'bad_parameter'],
    ['results', { page: ['1', '2'] }, 'bad_parameter'],
    ['summary', { month: '2026-13' }, 'bad_parameter'],
    ['summary', { category: '123' }, 'bad_parameter'],
    ['summary', { town: '城关镇', category: '01' }, 'one_breakdown'],
  ] as const)('%s %j → %s', (route, query, code) => {
    expect(codeOf(() => parsePublicQuery(route, query as Record<string, unknown>))).toBe(code);
  });
  it('control: the route\'s own parameters', () => {
    expect(parsePublicQuery('results', { category: '0101', town: ' 城关镇 ', month: '2026-10', page: '2', pageSize: '50' })).toEqual({ category: '0101', town: '城关镇', month: '2026-10', page: 2, pageSize: 50 });
    expect(parsePublicQuery('summary', {})).toEqual({ category: null, town: null, month: null, page: 1, pageSize: 20 });
  });
});

describe('publicResult', () => {
  it('keeps the named columns only, with county days and months', () => {
    const row = {
      ledger_no: 'A1', category_code: '0101', major_category_code: '01', town: '城关镇', received_at: '2026-10-31T17:00:00.000Z', summary: '已修复',
      closed_at: 1764523800000, satisfaction: 'no_response', mode: 'immediate', minor_name: '老旧小区改造', major_name: '城乡建设', measure_text: null,
      phone: '13812341234', complainant_name: '张三', content: '原文',
    };
    expect(publicResult(row as never, 'Asia/Shanghai')).toEqual({
      ledgerNo: 'A1', majorCategory: { code: '01', name: '城乡建设' }, minorCategory: { code: '0101', name: '老旧小区改造' }, town: '城关镇',
      monthReceived: '2026-11', summary: '已修复', measure: { mode: 'immediate', text: null }, closedOn: '2025-12-01', satisfaction: null,
    });
    expect(PUBLIC_RESULT_COLUMNS).not.toContain('phone');
  });
});

describe('publicTimeline', () => {
  it('keeps the changes of state with their county day, nothing else', () => {
    const events = [
      { at: '2026-11-01T16:30:00Z', fromState: null, toState: 'received', actorName: '张科员' },
      { at: '2026-11-02T01:00:00Z', fromState: 'received', toState: 'received' },
      { at: '2026-11-03T01:00:00Z', fromState: 'received', toState: 'classified' },
    ];
    expect(publicTimeline(events, 'Asia/Shanghai')).toEqual([
      { day: '2026-11-02', state: 'received', group: 'received', label: { zh: '诉求已登记', en: 'Demand recorded' } },
      { day: '2026-11-03', state: 'classified', group: 'in_progress', label: { zh: '已分类', en: 'Classified' } },
    ]);
  });
});

describe('intake and tracking rules', () => {
  const towns = ['城关镇', '东坝镇'];
  const good = { content: '村口路灯损坏已经一个月', town: '城关镇', village: '东街', consent: 'on' };
  it.each([
    [{ ...good, content: '一二三四五六七八九' }, 'content_length'],
    [{ ...good, content: '字'.repeat(2001) }, 'content_length'],
    [{ ...good, town: '西山镇' }, 'unknown_town'],
    [{ ...good, village: '' }, 'invalid_intake'],
    [{ ...good, mobile: '057188001234' }, 'bad_mobile'],
    [{ ...good, mobile: '138123' }, 'bad_mobile'],
    [{ ...good, consent: undefined }, 'consent_required'],
    [{ ...good, content: 5 }, 'invalid_intake'],
    [[1, 2], 'invalid_body'],
  ] as Array<[unknown, string]>)('intake form %# → %s', (body, code) => {
    expect(codeOf(() => readIntakeForm(body, towns))).toBe(code);
  });
  it('control: a good form, with the mobile normalised', () => {
    expect(readIntakeForm({ ...good, mobile: '+86 138-1234-1234', name: ' 张三 ' }, towns)).toEqual({ content: good.content, town: '城关镇', village: '东街', name: '张三', mobile: '13812341234' });
    expect(readIntakeForm({ ...good, content: '一二三四五六七八九十' }, towns).content).toBe('一二三四五六七八九十');
  });
  it('honeypot, series, code', () => {
    expect([isHoneypot({ website: 'x' }), isHoneypot({ website: '' }), isHoneypot({})]).toEqual([true, false, false]);
    expect(ledgerNoOf('WEB', '2026', 42)).toBe('WEB2026000042');
    expect([seriesNumber('WEB2026000042', 'WEB', '2026'), seriesNumber('WEB2025000042', 'WEB', '2026'), seriesNumber('WEB2026ABC', 'WEB', '2026')]).toEqual([42, null, null]);
    const code = trackingCodeOf(new Uint8Array([0, 0, 0, 0, 0, 255, 255, 255, 255, 255]));
    expect(code).toBe('AAAA-AAAA-9999-9999');
    expect(normalizeTrackingCode(' aaaa-aaaa 9999-9999 ')).toBe('AAAAAAAA99999999');
    expect(normalizeTrackingCode('AAAA-AAAA-9999-999O')).toBeNull();
    expect(trackingCodeHash('A1', 'AAAAAAAA99999999')).toMatch(/^[0-9a-f]{64}$/);
    expect(trackingCodeHash('A1', 'AAAAAAAA99999999')).not.toBe(trackingCodeHash('A2', 'AAAAAAAA99999999'));
  });
  it('the tracking form takes a code or a phone tail, not both', () => {
    expect(readTrackForm({ ledgerNo: 'A1', code: 'x' })).toEqual({ ledgerNo: 'A1', secret: { kind: 'code', value: 'x' } });
    expect(readTrackForm({ ledgerNo: 'A1', phoneTail: '1234' })).toEqual({ ledgerNo: 'A1', secret: { kind: 'phoneTail', value: '1234' } });
    expect(codeOf(() => readTrackForm({ ledgerNo: 'A1', code: 'x', phoneTail: '1234' }))).toBe('invalid_track');
    expect(codeOf(() => readTrackForm({ ledgerNo: 'A1', phoneTail: '12a4' }))).toBe('invalid_track');
    expect(codeOf(() => readTrackForm({ code: 'x' }))).toBe('invalid_track');
  });
});
