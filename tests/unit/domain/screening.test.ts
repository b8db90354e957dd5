import {
  contentChars,
  invalidSuggestion,
  normalizeContent,
  screenBatch,
  similarity,
  type ScreeningRow,
} from '../../../plugins/complaints/server/src/domain/screening';

const DAY = 86_400_000;
const T0 = Date.parse('2024-05-06T02:00:00Z');

let n = 0;
const row = (over: Partial<ScreeningRow>): ScreeningRow => {
  n += 1;
  return {
    rowNo: n + 1,
    ledgerNo: `L${n}`,
    phone: null,
    town: '城关镇',
    village: null,
    address: null,
    receivedAt: T0,
    content: `独一无二的诉求内容编号${n}号，与其他任何一条都不相同`,
    traceable: false,
    ...over,
  };
};
const suggestions = (rows: ScreeningRow[], existing: ScreeningRow[] = []) =>
  Object.fromEntries([...screenBatch(rows, existing).entries()].map(([k, v]) => [k, v]));

// 13 characters vs 14 characters: 11 of 12 and 13 bigrams shared → Dice 22/25 = 0.88 (near-identical)
const A = '东街路灯坏了三个月没人修理';
const A2 = '东街的路灯坏了三个月没人修理';
// 东街路灯坏了 vs 西街路灯坏了: 4 of 5 bigrams shared → 0.8 (below 0.85: different streets)
const B = '东街路灯坏了';
const B2 = '西街路灯坏了';

describe('content comparison', () => {
  it('normalises away spaces, punctuation, width and case', () => {
    expect(normalizeContent(' 东街 路灯，坏了！ ＡＢＣ ')).toBe('东街路灯坏了abc');
    expect(contentChars('不满意。')).toBe(3);
  });
  it('measures similarity as the Dice coefficient of character bigrams', () => {
    expect(similarity('abcd', 'abce')).toBeCloseTo(2 / 3, 10); // {ab,bc,cd} vs {ab,bc,ce}
    expect(similarity(A, A2)).toBeCloseTo(0.88, 10);
    expect(similarity(B, B2)).toBeCloseTo(0.8, 10);
    expect(similarity('东街路灯坏了！', '东街 路灯坏了')).toBe(1);
  });
});

describe('likely invalid', () => {
  const base: { content: string; traceable: boolean; town: string | null; village: string | null; address: string | null } = {
    content: '东街路灯坏了三个月',
    traceable: true,
    town: null,
    village: null,
    address: null,
  };
  const table: Array<[string, Partial<typeof base>, string | null]> = [
    ['very short content', { content: '不满意！' }, 'unclear_content'],
    ['content of placeholders', { content: '同上' }, 'unclear_content'],
    ['five characters is enough', { content: '路灯坏了吧' }, null],
    ['no contact and no place', { traceable: false }, 'no_contact'],
    ['no contact but a village', { traceable: false, village: '东街社区' }, null],
    ['no contact but an address', { traceable: false, address: '东街12号' }, null],
    ['a phone but no place', {}, null],
  ];
  it.each(table)('%s → %p', (_name, patch, reason) => {
    const s = invalidSuggestion({ ...base, ...patch });
    expect(s ? s.reason : null).toBe(reason);
  });
});

describe('likely duplicates', () => {
  it('same phone and near-identical content, whenever received: the later one points to the earlier', () => {
    const a = row({ phone: '13800000001', traceable: true, content: A, receivedAt: T0 });
    const b = row({ phone: '13800000001', traceable: true, content: A2, receivedAt: T0 + 40 * DAY });
    expect(suggestions([a, b])).toEqual({ [b.rowNo as number]: { kind: 'likely_duplicate', reason: 'same_phone', ref: a.ledgerNo } });
  });

  it('same phone but a different demand is not a duplicate', () => {
    const a = row({ phone: '13800000002', traceable: true, content: A });
    const b = row({ phone: '13800000002', traceable: true, content: '西河镇卫生院药品种类少，慢性病患者常用药经常缺货' });
    expect(suggestions([a, b])).toEqual({});
  });

  it('same village within three days, near-identical: duplicate; four days apart or another village: not', () => {
    const a = row({ village: '东街社区', content: A, receivedAt: T0 });
    const b = row({ village: '东街社区', content: A2, receivedAt: T0 + 3 * DAY });
    const c = row({ village: '东街社区', content: A2, receivedAt: T0 + 7.5 * DAY });
    const d = row({ village: '西街社区', content: A, receivedAt: T0 + DAY });
    const e = row({ town: '东坝镇', village: '东街社区', content: A, receivedAt: T0 + DAY });
    expect(suggestions([a, b, c, d, e])).toEqual({ [b.rowNo as number]: { kind: 'likely_duplicate', reason: 'same_village', ref: a.ledgerNo } });
  });

  it('similar but not near-identical content in the same village is not a duplicate', () => {
    const a = row({ village: '东街社区', content: B });
    const b = row({ village: '东街社区', content: B2 });
    expect(suggestions([a, b])).toEqual({});
  });

  it('the original is the one received first, not the one higher in the file', () => {
    const later = row({ phone: '13800000003', traceable: true, content: A, receivedAt: T0 + DAY });
    const earlier = row({ phone: '13800000003', traceable: true, content: A, receivedAt: T0 });
    expect(suggestions([later, earlier])).toEqual({ [later.rowNo as number]: { kind: 'likely_duplicate', reason: 'same_phone', ref: earlier.ledgerNo } });
  });

  it('points a chain of repeats to its first demand', () => {
    const a = row({ phone: '13800000004', traceable: true, content: A, receivedAt: T0 });
    const b = row({ phone: '13800000004', traceable: true, content: A2, receivedAt: T0 + DAY });
    const c = row({ phone: '13800000004', traceable: true, content: A2, receivedAt: T0 + 2 * DAY });
    expect(suggestions([a, b, c])).toEqual({
      [b.rowNo as number]: { kind: 'likely_duplicate', reason: 'same_phone', ref: a.ledgerNo },
      [c.rowNo as number]: { kind: 'likely_duplicate', reason: 'same_phone', ref: a.ledgerNo },
    });
  });

  it('a complaint already in the ledger is the original, even when it was received later', () => {
    const existing = row({ rowNo: null, ledgerNo: 'OLD-1', phone: '13800000005', traceable: true, content: A, receivedAt: T0 + 5 * DAY });
    const fresh = row({ phone: '13800000005', traceable: true, content: A2, receivedAt: T0 });
    expect(suggestions([fresh], [existing])).toEqual({ [fresh.rowNo as number]: { kind: 'likely_duplicate', reason: 'same_phone', ref: 'OLD-1' } });
  });

  it('very short repeats are likely invalid, not duplicates', () => {
    const a = row({ phone: '13800000006', traceable: true, content: '不满意' });
    const b = row({ phone: '13800000006', traceable: true, content: '不满意' });
    expect(suggestions([a, b])).toEqual({
      [a.rowNo as number]: { kind: 'likely_invalid', reason: 'unclear_content', ref: null },
      [b.rowNo as number]: { kind: 'likely_invalid', reason: 'unclear_content', ref: null },
    });
  });
});
