/**
 * Phone numbers as citizens and clerks write them: full-width digits, spaces, dashes, +86,
 * landlines with area codes. A complaint is traceable (可追溯) when it has a usable mobile or
 * landline number; only mobiles get SMS.
 */
export type PhoneKind = 'mobile' | 'landline' | 'invalid' | 'none';

export interface ParsedPhone {
  kind: PhoneKind;
  /** Digits only: 13812341234, 057188001234; null when none or invalid. */
  normalized: string | null;
}

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0B\uFF0D\u3000]/g;

export const toHalfWidth = (s: string): string =>
  s.replace(FULL_WIDTH, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 0x3000) return ' ';
    if (code === 0xff0b) return '+';
    if (code === 0xff0d) return '-';
    return String.fromCharCode(code - 0xff10 + 0x30);
  });

export const parsePhone = (raw: unknown): ParsedPhone => {
  if (raw === null || raw === undefined) return { kind: 'none', normalized: null };
  let s = toHalfWidth(String(raw)).trim();
  if (!s) return { kind: 'none', normalized: null };
  // Excel may hand a number over as 13812341234.0 or in exponent form.
  if (/^\d+\.0+$/.test(s)) s = s.replace(/\.0+$/, '');
  if (/^\d(\.\d+)?e\+?\d+$/i.test(s)) s = BigInt(Math.round(Number(s))).toString();
  let digits = s.replace(/[\s\-–—()（）.·/]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  if (!/^\d+$/.test(digits)) return { kind: 'invalid', normalized: null };
  if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  if (/^1[3-9]\d{9}$/.test(digits)) return { kind: 'mobile', normalized: digits };
  // Area code (0 + 2 or 3 digits) and a 7 or 8 digit number, or a local 7/8 digit number.
  if (/^0\d{9,11}$/.test(digits) || /^[2-9]\d{6,7}$/.test(digits)) return { kind: 'landline', normalized: digits };
  return { kind: 'invalid', normalized: null };
};

export const isTraceablePhone = (raw: unknown): boolean => {
  const k = parsePhone(raw).kind;
  return k === 'mobile' || k === 'landline';
};
