import {
  bigramTerm,
  bigrams,
  characterFolds,
  charTerm,
  commonPieces,
  piecesStillStand,
  sampleIndices,
  containsPattern,
  distinctBigrams,
  indexTerms,
  keywordMatches,
  keywordQuery,
  normalizeKeywordText,
} from '../../../plugins/complaints/server/src/domain/keyword';

describe('normalizeKeywordText', () => {
  it.each([
    ['路灯不亮', '路灯不亮'],
    ['ＷｉＦｉ信号差', 'wifi信号差'],
    ['１２３４５路公交', '12345路公交'],
    ['ATM机', 'atm机'],
    ['路 灯', '路灯'],
    ['路\n灯\t坏了\r\n', '路灯坏了'],
    ['小区\u3000物业', '小区物业'], // ideographic space
    ['a\u00a0b\u2003c\u1680d\u2028e\ufeff', 'abcde'], // no-break, em, Ogham spaces, line separator, BOM
    ['①号楼', '1号楼'],
    ['面积１００㎡', '面积100m2'],
    ['\uf900', '\u8c48'], // compatibility ideograph 豈 → unified 豈
    ['ΑΒΓ', 'ΑΒΓ'], // Greek keeps its case: only ASCII letters fold
    ['ＡＢＣ％＿＼', 'abc%_\\'],
    ['', ''],
    ['   ', ''],
  ])('%j → %j', (input, expected) => expect(normalizeKeywordText(input)).toBe(expected));
});

describe('bigrams', () => {
  it.each([
    ['消防栓', ['消防', '防栓']],
    ['路灯', ['路灯']],
    ['灯', []],
    ['', []],
    ['哈哈哈', ['哈哈', '哈哈']],
    ['路 灯坏', ['路灯', '灯坏']],
    ['Ａ1号', ['a1', '1号']],
    ['😀灯', ['😀灯']], // a character outside the BMP is one character
  ])('%j → %j', (input, expected) => expect(bigrams(input)).toEqual(expected));

  it('distinctBigrams drops repeats and sorts', () => {
    expect(distinctBigrams('哈哈哈')).toEqual(['哈哈']);
    expect(distinctBigrams('abab')).toEqual(['ab', 'ba']);
  });
});

describe('index terms', () => {
  it.each([
    ['路', '8def'],
    ['a', '61'],
    ['%', '25'],
    ['😀', '1f600'],
  ])('char %j → %j', (ch, term) => expect(charTerm(ch)).toBe(term));
  it.each([
    ['路灯', '8defx706f'],
    ['%_', '25x5f'],
    ['a,', '61x2c'],
  ])('bigram %j → %j', (pair, term) => expect(bigramTerm(pair)).toBe(term));

  it('a content feeds both columns in text order', () => {
    expect(indexTerms('消防栓')).toEqual({ bigrams: '6d88x9632 9632x6813', unigrams: '6d88 9632 6813' });
    expect(indexTerms('')).toEqual({ bigrams: '', unigrams: '' });
  });
});

describe('keywordQuery', () => {
  it.each([
    ['', { kind: 'all' }],
    [' \u3000 ', { kind: 'all' }],
    ['灯', { kind: 'char', needle: '灯', fts: 'unigrams : "706f"' }],
    ['Ａ', { kind: 'char', needle: 'a', fts: 'unigrams : "61"' }],
    ['路灯', { kind: 'bigrams', needle: '路灯', fts: 'bigrams : "8defx706f"' }],
    [' 路 灯 ', { kind: 'bigrams', needle: '路灯', fts: 'bigrams : "8defx706f"' }],
    ['消防栓', { kind: 'bigrams', needle: '消防栓', fts: 'bigrams : "6d88x9632 9632x6813"' }],
    ['100%', { kind: 'bigrams', needle: '100%', fts: 'bigrams : "31x30 30x30 30x25"' }],
    ['"OR', { kind: 'bigrams', needle: '"or', fts: 'bigrams : "22x6f 6fx72"' }], // no FTS5 syntax reaches the query
  ])('%j → %j', (needle, expected) => expect(keywordQuery(needle)).toEqual(expected));
});

describe('containsPattern', () => {
  it.each([
    ['路灯', '%路灯%'],
    ['100%', '%100\\%%'],
    ['a_b', '%a\\_b%'],
    ['c:\\x', '%c:\\\\x%'],
  ])('%j → %j', (text, pattern) => expect(containsPattern(text)).toBe(pattern));
});

describe('keywordMatches', () => {
  it.each([
    ['小区路灯不亮', '路灯', true],
    ['小区路灯不亮', '灯不', true],
    ['小区路灯不亮', '路不', false],
    ['小区的路，灯不亮', '路灯', false],
    ['ＷＩＦＩ信号差', 'wifi', true],
    ['wifi信号差', 'ＷｉＦｉ', true],
    ['路\n灯', '路灯', true],
    ['折扣100%', '0%', true],
    ['折扣100', '0%', false],
    ['任意', '', true],
  ])('%j contains %j: %p', (content, needle, expected) => expect(keywordMatches(content, needle)).toBe(expected));
});

describe('characterFolds', () => {
  const folds = new Map(characterFolds());
  it.each([
    ['Ａ', 'a'],
    ['A', 'a'],
    ['１', '1'],
    ['\u3000', ''],
    [' ', ''],
    ['①', '1'],
    ['㎡', 'm2'],
  ])('%j folds to %j', (ch, folded) => expect(folds.get(ch)).toBe(folded));
  it.each(['路', 'a', '1', '%', 'Α'])('%j is left as it is', (ch) => expect(folds.has(ch)).toBe(false));

  it('folding Chinese text character by character gives the normalised text', () => {
    const text = '小区　ＡＢ栋①号楼  路灯不亮，面积１００㎡\n请处理';
    const byChar = [...text].map((c) => folds.get(c) ?? c).join('');
    expect(byChar).toBe(normalizeKeywordText(text));
    expect(byChar).toBe('小区ab栋1号楼路灯不亮,面积100m2请处理');
  });
});

describe('commonPieces: the words the statistics columns keep a flag for', () => {
  it.each<[string, string[], { minShare: number; max: number; maxLength: number }, string[]]>([
    ['in at least half of three contents (2 of them): only 物业', ['小区物业服务差', '物业不作为', '路灯不亮'], { minShare: 0.5, max: 10, maxLength: 4 }, ['物业']],
    ['shorter first, then more frequent, then in string order', ['甲乙丙', '甲乙丙', '乙丙丁'], { minShare: 0, max: 10, maxLength: 3 }, ['乙丙', '甲乙', '丙丁', '甲乙丙', '乙丙丁']],
    ['at most `max`', ['甲乙丙', '甲乙丙', '乙丙丁'], { minShare: 0, max: 2, maxLength: 3 }, ['乙丙', '甲乙']],
    ['a piece counts once per content (物业 three times in one of two is 1 of 2)', ['物业物业物业', '路灯'], { minShare: 0.6, max: 10, maxLength: 2 }, []],
    ['only runs of Chinese characters: digits, letters and signs split them', ['楼道，照明 13800138000 ABC路灯'], { minShare: 0, max: 10, maxLength: 4 }, ['楼道', '照明', '路灯']],
    ['normalised as the index is: a space inside a word is dropped', ['物 业', '物业'], { minShare: 1, max: 10, maxLength: 4 }, ['物业']],
    ['no content', [], { minShare: 0.02, max: 10, maxLength: 4 }, []],
  ])('%s', (_what, texts, opts, expected) => expect(commonPieces(texts, opts)).toEqual(expected));
});

describe('sampleIndices: the contents the common pieces are chosen from', () => {
  it('all of them when there are no more than asked for', () => {
    expect(sampleIndices(3, 5)).toEqual([0, 1, 2]);
    expect(sampleIndices(0, 5)).toEqual([]);
  });
  it('k distinct indices in range, the same on every call, not an even stride', () => {
    const a = sampleIndices(1_000_000, 2_000);
    expect(a).toHaveLength(2_000);
    expect(new Set(a).size).toBe(2_000);
    expect(a.every((i) => Number.isInteger(i) && i >= 0 && i < 1_000_000)).toBe(true);
    expect(sampleIndices(1_000_000, 2_000)).toEqual(a);
    // An even stride would pick every 500th: the draw is not aligned with it.
    expect(a.filter((i) => i % 500 === 0).length).toBeLessThan(20);
  });
});

describe('piecesStillStand: when the common pieces are chosen again', () => {
  it.each<[string, { chosenAt: number; held: number; n: number; max: number }, boolean]>([
    ['grown by less than half', { chosenAt: 1000, held: 150, n: 1499, max: 256 }, true],
    ['grown by half', { chosenAt: 1000, held: 150, n: 1500, max: 256 }, false],
    ['none chosen yet (an empty ledger)', { chosenAt: 0, held: 0, n: 10, max: 256 }, false],
    ['more held than the setting now allows', { chosenAt: 1000, held: 150, n: 1000, max: 100 }, false],
    ['the ledger shrank', { chosenAt: 1000, held: 150, n: 900, max: 256 }, true],
  ])('%s: %p', (_what, q, expected) => expect(piecesStillStand(q)).toBe(expected));
});
