/**
 * Citizen intake (问题征集) and tracking (进度查询): the rules of the public form, the ledger
 * number series of demands received online, and the tracking code. Pure: the service draws the
 * random bytes and supplies the clock. Messages never echo what the citizen typed.
 */
import { createHash } from 'crypto';
import { DomainError } from './errors';
import { parsePhone } from './phone';

export const CONTENT_MIN = 10;
export const CONTENT_MAX = 2000;
export const VILLAGE_MAX = 100;
export const NAME_MAX = 50;
/** The form's hidden field: people leave it empty, form-filling robots do not. */
export const HONEYPOT_FIELD = 'website';
/** Bytes of a tracking code: 80 random bits, written as 16 base-32 characters in 4 groups. */
export const TRACKING_CODE_BYTES = 10;

export interface IntakeForm {
  content: string;
  town: string;
  village: string;
  name: string | null;
  /** Normalised mobile digits, or null. */
  mobile: string | null;
}

const field = (zh: string, en: string, name: string, code = 'invalid_intake') => new DomainError('validation', code, zh, en, { field: name });

const textOf = (b: Record<string, unknown>, name: string): string | null => {
  const v = b[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw field(`「${name}」应为文字`, `"${name}" must be text`, name);
  const t = v.trim();
  return t === '' ? null : t;
};

/** A filled honeypot: the submission is answered as if accepted and dropped. */
export const isHoneypot = (body: unknown): boolean => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const v = (body as Record<string, unknown>)[HONEYPOT_FIELD];
  return v !== undefined && v !== null && v !== '';
};

const CONSENT_VALUES = [true, 'true', 'on', 'yes', '1'];

/**
 * The form as the intake records it, or a refusal naming the field. `towns` is the configured
 * list; a town outside it is refused. Content: 10 to 2,000 characters. The phone, when given,
 * must be a mainland mobile (the registered notice is an SMS; a landline is refused plainly).
 */
export const readIntakeForm = (body: unknown, towns: readonly string[]): IntakeForm => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw field('请填写诉求表单', 'Please fill in the form', 'body', 'invalid_body');
  }
  const b = body as Record<string, unknown>;
  const content = textOf(b, 'content');
  const length = content ? [...content].length : 0;
  if (length < CONTENT_MIN || length > CONTENT_MAX) {
    throw field(`诉求内容应为 ${CONTENT_MIN} 到 ${CONTENT_MAX} 个字`, `The demand must have ${CONTENT_MIN} to ${CONTENT_MAX} characters`, 'content', 'content_length');
  }
  const town = textOf(b, 'town');
  if (!town || !towns.includes(town)) throw field('请从列表中选择乡镇', 'Choose a town from the list', 'town', 'unknown_town');
  const village = textOf(b, 'village');
  if (!village || [...village].length > VILLAGE_MAX) throw field(`请填写村（社区），最多 ${VILLAGE_MAX} 个字`, `Fill in the village or community (at most ${VILLAGE_MAX} characters)`, 'village');
  const name = textOf(b, 'name');
  if (name && [...name].length > NAME_MAX) throw field(`姓名最多 ${NAME_MAX} 个字`, `The name may have at most ${NAME_MAX} characters`, 'name');
  const phone = textOf(b, 'mobile');
  let mobile: string | null = null;
  if (phone) {
    const parsed = parsePhone(phone);
    if (parsed.kind !== 'mobile') {
      throw field('手机号码格式不对：请填写 11 位手机号码（如 138 0013 8000），或留空', 'The mobile number is not valid: give an 11-digit mainland mobile number (e.g. 138 0013 8000), or leave it empty', 'mobile', 'bad_mobile');
    }
    mobile = parsed.normalized;
  }
  if (!CONSENT_VALUES.includes(b.consent as never)) {
    throw field('请阅读并同意个人信息使用说明', 'Please read and agree to how your personal data is used', 'consent', 'consent_required');
  }
  return { content: content as string, town, village, name, mobile };
};

/** The ledger number of the n-th demand received online in a year: WEB2026000042. */
export const ledgerNoOf = (prefix: string, year: string, n: number): string => `${prefix}${year}${String(n).padStart(6, '0')}`;

/** The sequence number of a ledger number of the series, or null. */
export const seriesNumber = (ledgerNo: string, prefix: string, year: string): number | null => {
  const head = `${prefix}${year}`;
  if (!ledgerNo.startsWith(head)) return null;
  const rest = ledgerNo.slice(head.length);
  return /^[0-9]{6,9}$/.test(rest) ? Number(rest) : null;
};

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A tracking code from random bytes: 16 characters of a 32-letter alphabet without 0/O and 1/I, as XXXX-XXXX-XXXX-XXXX. */
export const trackingCodeOf = (bytes: Uint8Array): string => {
  if (bytes.length < TRACKING_CODE_BYTES) throw new Error('[complaints] a tracking code needs 10 random bytes');
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes.subarray(0, TRACKING_CODE_BYTES)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out.match(/.{4}/g)!.join('-');
};

/** A typed tracking code in its stored form: upper case, separators removed; null when it cannot be one. */
export const normalizeTrackingCode = (raw: string): string | null => {
  const s = raw.toUpperCase().replace(/[\s-]/g, '');
  return s.length === 16 && [...s].every((c) => BASE32.includes(c)) ? s : null;
};

/** What is stored: the SHA-256 of the normalised code, with the ledger number (a code of one demand opens no other). */
export const trackingCodeHash = (ledgerNo: string, normalized: string): string => createHash('sha256').update(`minyi-track:${ledgerNo}:${normalized}`).digest('hex');

export type TrackSecret = { kind: 'code'; value: string } | { kind: 'phoneTail'; value: string };

/** The tracking form: a ledger number and either the tracking code or the phone's last four digits. */
export const readTrackForm = (body: unknown): { ledgerNo: string; secret: TrackSecret } => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw field('请填写诉求编号和查询码', 'Give the ledger number and the tracking code', 'body', 'invalid_body');
  const b = body as Record<string, unknown>;
  const ledgerNo = textOf(b, 'ledgerNo');
  if (!ledgerNo || ledgerNo.length > 64) throw field('请填写诉求编号', 'Give the ledger number', 'ledgerNo', 'invalid_track');
  const code = textOf(b, 'code');
  const tail = textOf(b, 'phoneTail');
  if (code && !tail) {
    if (code.length > 40) throw field('查询码格式不对', 'The tracking code is not valid', 'code', 'invalid_track');
    return { ledgerNo, secret: { kind: 'code', value: code } };
  }
  if (tail && !code) {
    if (!/^[0-9]{4}$/.test(tail)) throw field('请填写手机号码的后 4 位数字', 'Give the last 4 digits of the phone number', 'phoneTail', 'invalid_track');
    return { ledgerNo, secret: { kind: 'phoneTail', value: tail } };
  }
  throw field('请填写查询码或手机号码后 4 位（二选一）', 'Give the tracking code or the last 4 digits of the phone (one of them)', 'code', 'invalid_track');
};

/** The one answer for an unknown ledger number and for a wrong pair: the same words, whichever it was. */
export const trackNotFound = () =>
  new DomainError('not_found', 'track_not_found', '未找到匹配的诉求：请核对诉求编号和查询码（或手机号码后 4 位）', 'No matching demand: check the ledger number and the tracking code (or the last 4 digits of the phone)', {});
