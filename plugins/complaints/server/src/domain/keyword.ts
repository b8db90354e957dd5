/**
 * Keyword search in a complaint's content (关键词检索): the splitting rule behind the keyword
 * index. Chinese has no spaces between words and the common needle is a 2-character word
 * (路灯, 低保, 噪音), so the index holds every pair of neighbouring characters (bigrams) of the
 * normalised text: a needle of n ≥ 2 characters is found where its n − 1 bigrams stand in a row.
 * A 1-character needle has no bigram and is searched apart (its single characters).
 *
 * Normalisation, the same for the content and the needle:
 *   1. Unicode NFKC: full-width letters, digits and signs become half-width (ＡＢＣ１２３ → ABC123),
 *      compatibility characters become their plain form (① → 1, ㎡ → m2, and a
 *      compatibility ideograph such as U+F900 becomes the unified 豈);
 *   2. ASCII letters to lower case (after NFKC, so full-width letters fold too); other scripts keep
 *      their case, so the rule does not depend on the database's locale;
 *   3. every whitespace character is dropped: Chinese puts no space between words, so 路 灯 and
 *      路灯 are the same text, and a line break inside a word does not hide it.
 * A keyword matches a complaint when the normalised keyword is a substring of the normalised
 * content. Characters are Unicode code points (an emoji is one character, as in SQL's substr).
 */

/** JavaScript's `\s` after NFKC: the ASCII spaces plus the few Unicode spaces NFKC keeps. */
export const WHITESPACE_CHARS = '\t\n\u000b\f\r \u1680\u2028\u2029\ufeff';
const WHITESPACE = new RegExp(`[${WHITESPACE_CHARS}]+`, 'gu');

export const normalizeKeywordText = (text: string): string =>
  text.normalize('NFKC').replace(/[A-Z]+/g, (s) => s.toLowerCase()).replace(WHITESPACE, '');

/** The characters (code points) of a normalised text. */
export const keywordChars = (text: string): string[] => [...normalizeKeywordText(text)];

/** The ordered bigrams of the normalised text, repeats included: 消防栓 → 消防, 防栓. */
export const bigrams = (text: string): string[] => {
  const chars = keywordChars(text);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i += 1) out.push(chars[i] + chars[i + 1]);
  return out;
};

/** The distinct bigrams, sorted (what PostgreSQL's `minyi_zh_bigrams(text)` returns as a set). */
export const distinctBigrams = (text: string): string[] => [...new Set(bigrams(text))].sort();

/**
 * A character as an index term: its code point in lower-case hex (路 → 8def). The SQLite index
 * stores terms, not text, so its tokenizer never splits or folds a character (a bigram of a
 * letter and a comma, or of two signs, stays one term) and no FTS5 syntax can come from a needle.
 */
export const charTerm = (ch: string): string => ch.codePointAt(0)!.toString(16);
/** A bigram as an index term: both code points in hex, joined by `x` (路灯 → 8defx706f). */
export const bigramTerm = (pair: string): string => {
  const [a, b] = [...pair];
  return `${charTerm(a)}x${charTerm(b)}`;
};

/** The text fed to the SQLite index's two columns for one content (space-separated terms, in order). */
export const indexTerms = (content: string): { bigrams: string; unigrams: string } => ({
  bigrams: bigrams(content).map(bigramTerm).join(' '),
  unigrams: keywordChars(content).map(charTerm).join(' '),
});

export type KeywordQuery =
  | { kind: 'all' } // the needle is empty once normalised: it matches every content
  | { kind: 'char'; needle: string; fts: string } // one character: searched in the unigram column
  | { kind: 'bigrams'; needle: string; fts: string }; // two or more: the phrase of its bigrams

/**
 * What a needle asks of the index. `fts` is the FTS5 query for the SQLite index: a phrase of
 * terms in a row (消防栓 → bigrams : "6d88x9632 9632x6813"), exact for a substring because the
 * terms are consecutive pieces of the normalised text.
 */
export const keywordQuery = (needle: string): KeywordQuery => {
  const n = normalizeKeywordText(needle);
  const chars = [...n];
  if (chars.length === 0) return { kind: 'all' };
  if (chars.length === 1) return { kind: 'char', needle: n, fts: `unigrams : "${charTerm(n)}"` };
  return { kind: 'bigrams', needle: n, fts: `bigrams : "${bigrams(n).map(bigramTerm).join(' ')}"` };
};

/** A LIKE pattern that finds `text` anywhere, its wildcards and the escape character escaped (ESCAPE '\'). */
export const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The brute-force rule the index must agree with. */
export const keywordMatches = (content: string, needle: string): boolean =>
  normalizeKeywordText(content).includes(normalizeKeywordText(needle));

/**
 * Every character whose normalised form differs from itself, with that form ('' for a space):
 * SQLite has no NFKC, so its index is fed character by character through this table. It equals
 * normalising the whole text except where NFKC composes several characters into one (a letter
 * followed by a combining accent, Hangul jamo): not found in Chinese complaint text.
 */
export const characterFolds = (): Array<[string, string]> => {
  const out: Array<[string, string]> = [];
  for (let cp = 0; cp <= 0x10ffff; cp += 1) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const folded = normalizeKeywordText(ch);
    if (folded !== ch) out.push([ch, folded]);
  }
  return out;
};

/**
 * The common pieces of a sample of contents (高频词): the runs of 2 to `maxLength` Chinese
 * characters of the normalised text that stand in at least `minShare` of the sample, at most
 * `max` of them, the shorter first (a 2-character word is the common needle), then the more
 * frequent, then by code point. The statistics columns (services/stats-columns.ts) keep one
 * flag per complaint for each of them, so that a count under a common word does not read the
 * table: a word that matches a large share of a million complaints is the slow case of the
 * index (its rows are scattered over the heap), while a rare one is answered by the index in
 * milliseconds. Only runs of Han characters count: a piece never holds a digit, a letter, a
 * sign or a space, so no telephone number, house number or name in Latin script is a piece.
 */
export const commonPieces = (texts: readonly string[], opts: { minShare: number; max: number; maxLength: number }): string[] => {
  const HAN = /\p{Script=Han}+/gu;
  const seen = new Map<string, number>();
  for (const text of texts) {
    const mine = new Set<string>();
    for (const run of normalizeKeywordText(text).match(HAN) ?? []) {
      const chars = [...run];
      for (let len = 2; len <= opts.maxLength; len += 1) {
        for (let i = 0; i + len <= chars.length; i += 1) mine.add(chars.slice(i, i + len).join(''));
      }
    }
    for (const p of mine) seen.set(p, (seen.get(p) ?? 0) + 1);
  }
  const least = Math.max(1, Math.ceil(opts.minShare * texts.length));
  const len = (p: string) => [...p].length;
  return [...seen.entries()]
    .filter(([, n]) => n >= least)
    .sort(([a, x], [b, y]) => len(a) - len(b) || y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, opts.max)
    .map(([p]) => p);
};

/** How the common pieces are chosen: from a sample of this many contents, in at least this share, of 2 to this many characters. */
export const COMMON_PIECES = { sample: 2_000, minShare: 0.02, maxLength: 4, regrowth: 1.5 } as const;

/**
 * `k` distinct indices of `0 … n − 1` (all of them when n ≤ k), drawn by a fixed-seed generator
 * (mulberry32): the same from call to call, and not aligned with any pattern of the ids (every
 * n-th), as an even stride would be.
 */
export const sampleIndices = (n: number, k: number): number[] => {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  let state = 0x9e3779b9;
  while (chosen.size < k) {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    chosen.add(Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n));
  }
  return [...chosen].sort((a, b) => a - b);
};

/**
 * Whether the pieces chosen when the ledger held `chosenAt` complaints still stand for `n`: yes
 * until it has grown by half (`COMMON_PIECES.regrowth`), unless none were chosen then (an empty
 * ledger) or more are held than `max` now allows.
 */
export const piecesStillStand = (q: { chosenAt: number; held: number; n: number; max: number }): boolean =>
  q.chosenAt > 0 && q.n < q.chosenAt * COMMON_PIECES.regrowth && q.held <= q.max;
