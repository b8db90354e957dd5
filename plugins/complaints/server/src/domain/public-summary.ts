/**
 * The public summary (公开摘要) the county office writes for a complaint: the only words of a
 * demand the public ever reads (the citizen's own content stays private). It must not carry a
 * phone number, an ID card number or an address, so a summary that looks like it holds one is
 * refused on save, with a message that says what to remove (never the matched text itself).
 * Phones and ID card numbers are recognised by the log redaction's patterns (redact.ts);
 * addresses by a house number, a building, unit or room number, or a 门牌/住址 label.
 */
import { DomainError } from './errors';
import { personalDataKinds } from './redact';

export const MAX_PUBLIC_SUMMARY = 500;

/** Address-looking text: what a street address has and a summary of a demand does not need. */
const ADDRESS_PATTERNS: readonly RegExp[] = [
  // 人民路12号, 解放大道 8 号, 东街3号院
  /[\u4e00-\u9fa5]{1,12}(?:路|街|道|巷|弄|胡同|里)\s*[0-9０-９一二三四五六七八九十百]+\s*号/,
  // 3号楼, 5栋, 2幢, 1单元, 502室, 3楼302
  /[0-9０-９]+\s*(?:号楼|栋|幢|单元|室)/,
  /[0-9０-９]+\s*楼\s*[0-9０-９]{2,}/,
  // 门牌号, 住址, 家住, 详细地址
  /门牌|住址|家住|详细地址|家庭地址/,
  // Room 502, No. 12 ... Road
  /\bNo\.?\s*\d+\b.*\b(?:Road|Street|Lane|Avenue|Rd|St)\b/i,
];

export type PersonalDataKind = 'phone' | 'idCard' | 'address';

const KIND_LABEL: Record<PersonalDataKind, { zh: string; en: string }> = {
  phone: { zh: '电话号码', en: 'a phone number' },
  idCard: { zh: '身份证号', en: 'an ID card number' },
  address: { zh: '地址', en: 'an address' },
};

/** What in `text` looks like personal data, in a stable order (none: []). */
export const personalDataIn = (text: string): PersonalDataKind[] => {
  const kinds: PersonalDataKind[] = [...personalDataKinds(text)];
  if (ADDRESS_PATTERNS.some((re) => re.test(text))) kinds.push('address');
  return kinds;
};

/**
 * The summary as it may be saved (trimmed; empty is null), or a refusal naming what to remove.
 * Anything but a string or null is refused too.
 */
export const checkPublicSummary = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') {
    throw new DomainError('validation', 'public_summary_invalid', '公开摘要应为文字', 'The public summary must be text', { field: 'summary' });
  }
  const text = value.trim();
  if (!text) return null;
  if ([...text].length > MAX_PUBLIC_SUMMARY) {
    throw new DomainError('validation', 'public_summary_too_long', `公开摘要最多 ${MAX_PUBLIC_SUMMARY} 字`, `The public summary may have at most ${MAX_PUBLIC_SUMMARY} characters`, {
      field: 'summary',
      max: MAX_PUBLIC_SUMMARY,
    });
  }
  const kinds = personalDataIn(text);
  if (kinds.length) {
    throw new DomainError(
      'validation',
      'public_summary_personal_data',
      `公开摘要不能包含${kinds.map((k) => KIND_LABEL[k].zh).join('、')}：请删除后再保存（摘要会公开发布）`,
      `The public summary must not contain ${kinds.map((k) => KIND_LABEL[k].en).join(', ')}: remove it and save again (the summary is published)`,
      { field: 'summary', kinds }
    );
  }
  return text;
};
