/**
 * Screening suggestions (甄别建议), computed when a ledger is imported, for a person to confirm.
 * Nothing is invalidated automatically: the screening decision is a workflow transition.
 *
 * Likely invalid (疑似无效):
 *   - unclear_content: the content has fewer than MIN_CONTENT_CHARS letters, digits or Chinese
 *     characters (无, 同上, 不满意, 见附件 …);
 *   - no_contact: no valid phone (not traceable) and no place at all (乡镇, 村(社区) and 详细地址
 *     all blank): the demand can be neither followed up nor located.
 * Likely duplicate (疑似重复), of an earlier demand, when the contents are near-identical
 * (similarity ≥ NEAR_IDENTICAL after normalisation) and either
 *   - same_phone: both have the same valid phone number, whenever they were received; or
 *   - same_village: both are in the same 乡镇 and 村(社区) and were received within
 *     DUPLICATE_WINDOW_DAYS days (72 hours) of each other.
 * "Earlier" is a complaint already in the ledger, or a row of the same file received before
 * (then the earlier row number). The suggestion points to the original: when the earlier one is
 * itself a likely duplicate, to its original.
 */

export const MIN_CONTENT_CHARS = 5;
export const NEAR_IDENTICAL = 0.85;
export const DUPLICATE_WINDOW_DAYS = 3;
const WINDOW_MS = DUPLICATE_WINDOW_DAYS * 86_400_000;
/** Contents are compared on their first characters only; ledger demands are short. */
const COMPARE_CHARS = 400;
/** Bound on comparisons per row, so a phone shared by hundreds of rows stays cheap. */
const MAX_COMPARISONS = 200;

export type SuggestionKind = 'likely_invalid' | 'likely_duplicate';
export type SuggestionReason = 'unclear_content' | 'no_contact' | 'same_phone' | 'same_village';

export interface Suggestion {
  kind: SuggestionKind;
  reason: SuggestionReason;
  /** ledgerNo of the suspected original (duplicates only). */
  ref: string | null;
}

export const SUGGESTION_MESSAGES: Record<SuggestionReason, { zh: string; en: string }> = {
  unclear_content: { zh: '疑似无效：诉求内容过短，表述不清', en: 'Likely invalid: the content is too short to be understood' },
  no_contact: { zh: '疑似无效：无有效联系电话，且未写明乡镇、村(社区)或地址', en: 'Likely invalid: no valid phone and no town, village or address' },
  same_phone: { zh: '疑似重复：与原诉求联系电话相同、内容几乎一致', en: 'Likely duplicate: same phone and near-identical content as the original' },
  same_village: {
    zh: `疑似重复：与原诉求同一村(社区)、${DUPLICATE_WINDOW_DAYS} 日内反映、内容几乎一致`,
    en: `Likely duplicate: same village, received within ${DUPLICATE_WINDOW_DAYS} days, near-identical content`,
  },
};

/** Content in one comparable form: half-width, lower case, letters, digits and Chinese characters only. */
export const normalizeContent = (content: string | null | undefined): string =>
  (content ?? '').normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Sorted, distinct bigrams (pairs of UTF-16 code units) of a normalised text, as 32-bit numbers. */
export const bigrams = (normalized: string): Uint32Array => {
  const n = normalized.length - 1;
  if (n <= 0) return new Uint32Array(0);
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) all[i] = ((normalized.charCodeAt(i) << 16) | normalized.charCodeAt(i + 1)) >>> 0;
  all.sort();
  let k = 0;
  for (let i = 0; i < n; i += 1) if (i === 0 || all[i] !== all[i - 1]) all[k++] = all[i];
  return all.slice(0, k);
};

const overlap = (a: Uint32Array, b: Uint32Array): number => {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n += 1;
      i += 1;
      j += 1;
    } else if (a[i] < b[j]) i += 1;
    else j += 1;
  }
  return n;
};

/** Dice coefficient of the two texts' character bigram sets (1 for equal texts). */
export const similarity = (a: string, b: string): number => {
  const na = normalizeContent(a);
  const nb = normalizeContent(b);
  if (na === nb) return 1;
  const ba = bigrams(na);
  const bb = bigrams(nb);
  if (ba.length + bb.length === 0) return 0;
  return (2 * overlap(ba, bb)) / (ba.length + bb.length);
};

/** Letters, digits and Chinese characters in a content. */
export const contentChars = (content: string | null | undefined): number => Array.from(normalizeContent(content)).length;

export interface InvalidInput {
  content: string | null;
  traceable: boolean;
  town: string | null;
  village: string | null;
  address: string | null;
}

export const invalidSuggestion = (row: InvalidInput, normalized: string = normalizeContent(row.content)): Suggestion | null => {
  if (Array.from(normalized.slice(0, MIN_CONTENT_CHARS * 2)).length < MIN_CONTENT_CHARS) return { kind: 'likely_invalid', reason: 'unclear_content', ref: null };
  if (!row.traceable && !row.town && !row.village && !row.address) return { kind: 'likely_invalid', reason: 'no_contact', ref: null };
  return null;
};

export interface ScreeningRow {
  /** Row number in the file (new rows), or null for a complaint already in the ledger. */
  rowNo: number | null;
  ledgerNo: string;
  /** Normalised digits of a valid phone; null when not traceable. */
  phone: string | null;
  town: string | null;
  village: string | null;
  receivedAt: number;
  content: string;
  traceable: boolean;
  address: string | null;
}

interface Prepared {
  row: ScreeningRow;
  order: number;
  existing: boolean;
  norm: string;
  grams: Uint32Array | null;
  suggestion: Suggestion | null;
}

const placeKey = (town: string | null, village: string | null): string | null =>
  village ? `${(town ?? '').normalize('NFKC').trim()}\u0001${village.normalize('NFKC').trim()}` : null;

const nearIdentical = (a: Prepared, b: Prepared): boolean => {
  if (a.norm.length < MIN_CONTENT_CHARS || b.norm.length < MIN_CONTENT_CHARS) return false;
  if (a.norm === b.norm) return true;
  const [short, long] = a.norm.length <= b.norm.length ? [a.norm.length, b.norm.length] : [b.norm.length, a.norm.length];
  // Dice ≥ t needs the shorter text to be at least t / (2 − t) of the longer one.
  if (short / long < NEAR_IDENTICAL / (2 - NEAR_IDENTICAL) - 0.05) return false;
  a.grams ??= bigrams(a.norm.slice(0, COMPARE_CHARS));
  b.grams ??= bigrams(b.norm.slice(0, COMPARE_CHARS));
  const total = a.grams.length + b.grams.length;
  return total > 0 && (2 * overlap(a.grams, b.grams)) / total >= NEAR_IDENTICAL;
};

/**
 * Suggestions for the new rows of a batch (by row number), against each other and against the
 * complaints already in the ledger that could be their originals.
 */
export const screenBatch = (rows: ScreeningRow[], existing: ScreeningRow[] = []): Map<number, Suggestion> => {
  const prepare = (row: ScreeningRow, isExisting: boolean): Prepared => ({
    row,
    order: 0,
    existing: isExisting,
    norm: normalizeContent(row.content),
    grams: null,
    suggestion: null,
  });
  // Originals first: the ledger, then the file in order of receipt (row number breaks ties).
  const olds = existing.map((r) => prepare(r, true)).sort((a, b) => a.row.receivedAt - b.row.receivedAt || (a.row.ledgerNo < b.row.ledgerNo ? -1 : 1));
  const news = rows.map((r) => prepare(r, false)).sort((a, b) => a.row.receivedAt - b.row.receivedAt || (a.row.rowNo as number) - (b.row.rowNo as number));
  const all = [...olds, ...news];
  all.forEach((p, i) => (p.order = i));

  const byPhone = new Map<string, Prepared[]>();
  const byPlace = new Map<string, Prepared[]>();
  for (const p of all) {
    if (p.row.traceable && p.row.phone) {
      const list = byPhone.get(p.row.phone);
      if (list) list.push(p);
      else byPhone.set(p.row.phone, [p]);
    }
    const key = placeKey(p.row.town, p.row.village);
    if (key) {
      const list = byPlace.get(key);
      if (list) list.push(p);
      else byPlace.set(key, [p]);
    }
  }
  for (const list of byPlace.values()) list.sort((a, b) => a.row.receivedAt - b.row.receivedAt || a.order - b.order);

  const out = new Map<number, Suggestion>();
  for (const p of news) {
    const invalid = invalidSuggestion(p.row, p.norm);
    if (invalid) {
      p.suggestion = invalid;
      out.set(p.row.rowNo as number, invalid);
      continue;
    }
    let original: Prepared | null = null;
    let reason: SuggestionReason | null = null;
    const consider = (o: Prepared, why: SuggestionReason) => {
      if (original && original.order <= o.order) return;
      if (!nearIdentical(p, o)) return;
      original = o;
      reason = why;
    };
    if (p.row.traceable && p.row.phone) {
      const group = byPhone.get(p.row.phone) as Prepared[];
      let n = 0;
      for (const o of group) {
        if (o.order >= p.order || original) break;
        if (++n > MAX_COMPARISONS) break;
        consider(o, 'same_phone');
      }
    }
    const key = placeKey(p.row.town, p.row.village);
    if (key) {
      const group = byPlace.get(key) as Prepared[];
      // The group is sorted by time of receipt: start at the window's first member.
      const from = p.row.receivedAt - WINDOW_MS;
      let lo = 0;
      let hi = group.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (group[mid].row.receivedAt < from) lo = mid + 1;
        else hi = mid;
      }
      let n = 0;
      for (let i = lo; i < group.length; i += 1) {
        const o = group[i];
        if (o.row.receivedAt > p.row.receivedAt + WINDOW_MS) break;
        if (o.order >= p.order) continue;
        if (++n > MAX_COMPARISONS) break;
        consider(o, 'same_village');
      }
    }
    if (original && reason) {
      const o = original as Prepared;
      const ref = o.suggestion?.kind === 'likely_duplicate' && o.suggestion.ref ? o.suggestion.ref : o.row.ledgerNo;
      p.suggestion = { kind: 'likely_duplicate', reason, ref };
      out.set(p.row.rowNo as number, p.suggestion);
    }
  }
  return out;
};
