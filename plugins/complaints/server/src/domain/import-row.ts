/**
 * One ledger row → the original fields of one complaint, or the reasons it cannot be imported.
 *
 * - 诉求编号 and 诉求内容 are required, and 反映时间 must parse (see ledger-date.ts).
 * - A phone is optional; a complaint is traceable (可追溯) when it has a valid mobile or
 *   landline number, stored as digits. A cell with several numbers gives its first valid one.
 * - The channel is mapped from its Chinese label; an unknown or empty label is `other`.
 * - Text is trimmed (trailing spaces, full-width spaces); nothing is evaluated: a cell that
 *   looks like a formula (=, +, -, @) is kept as text.
 * - Messages name the column and never repeat a cell's value (it may be personal data).
 */
import { parseLedgerDate } from './ledger-date';
import { FIELD_LABELS_EN, TEMPLATE_HEADERS, type ImportField } from './ledger-template';
import { parsePhone, type PhoneKind } from './phone';

export const CHANNELS = ['visit', 'hotline', 'letter', 'web', 'sms', 'meeting', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<Channel, string> = {
  visit: '走访',
  hotline: '热线',
  letter: '信件',
  web: '网络征集',
  sms: '短信',
  meeting: '座谈',
  other: '其他',
};

const CHANNEL_EXACT: Record<string, Channel> = {
  ...Object.fromEntries(Object.entries(CHANNEL_LABELS).map(([code, label]) => [label, code as Channel])),
  ...Object.fromEntries(CHANNELS.map((c) => [c, c])),
  其它: 'other',
};

/** Keyword rules, first match wins (网格员走访 is a visit; 微信 is not a letter). */
const CHANNEL_KEYWORDS: Array<[RegExp, Channel]> = [
  [/短信|sms/i, 'sms'],
  [/走访|来访|上门|入户|当面|现场|接访|visit/i, 'visit'],
  [/微信|网|公众号|app|小程序|邮件|e-?mail|web|online/i, 'web'],
  [/座谈|会议|议事|meeting/i, 'meeting'],
  [/热线|12345|电话|来电|hotline|phone/i, 'hotline'],
  [/信|letter/i, 'letter'],
];

export const mapChannel = (label: string | null): Channel => {
  if (!label) return 'other';
  const s = label.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  if (!s) return 'other';
  const exact = CHANNEL_EXACT[s];
  if (exact) return exact;
  for (const [re, channel] of CHANNEL_KEYWORDS) if (re.test(s)) return channel;
  return 'other';
};

/** Column widths of the complaint's original fields (schema maxLength). */
export const MAX_LENGTH: Partial<Record<ImportField, number>> = {
  ledgerNo: 64,
  complainantName: 100,
  phone: 64,
  town: 50,
  village: 100,
  address: 255,
  // A demand is a few paragraphs; a cell far past this is a pasted file, not a demand.
  content: 20000,
};

const TRIM_RE = /^[\s\u3000\u00a0\u200b\ufeff]+|[\s\u3000\u00a0\u200b\ufeff]+$/g;

/** A cell's text, trimmed; null when empty. Numbers print without exponent or trailing .0. */
export const cleanText = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  let s: string;
  if (typeof value === 'number') s = Number.isInteger(value) ? BigInt(value).toString() : String(value);
  else if (value instanceof Date) s = value.toISOString();
  else s = String(value);
  s = s.replace(TRIM_RE, '');
  return s === '' ? null : s;
};

export interface ImportedPhone {
  /** What is stored: normalised digits for a valid number, the text as written otherwise. */
  stored: string | null;
  kind: PhoneKind;
}

export const importPhone = (value: unknown): ImportedPhone => {
  const text = cleanText(value);
  if (!text) return { stored: null, kind: 'none' };
  // 无, 不详, /, 未留 …: no number was given.
  if (!/\d/.test(text.normalize('NFKC'))) return { stored: null, kind: 'none' };
  const whole = parsePhone(text);
  if (whole.kind === 'mobile' || whole.kind === 'landline') return { stored: whole.normalized, kind: whole.kind };
  const parts = text.normalize('NFKC').split(/[,;、|/]|\s{2,}/).map((p) => p.trim()).filter(Boolean);
  if (parts.length > 1) {
    for (const part of parts) {
      const p = parsePhone(part);
      if (p.kind === 'mobile' || p.kind === 'landline') return { stored: p.normalized, kind: p.kind };
    }
  }
  return { stored: text, kind: 'invalid' };
};

export const ROW_ERROR_CODES = ['required', 'too_long', 'date_invalid', 'date_out_of_range'] as const;
export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

export interface RowError {
  field: ImportField;
  code: RowErrorCode;
}

/** The reason of a row error, in Chinese and English, naming the column as written in the file. */
export const rowErrorMessage = (e: RowError, columnLabel?: string): { zh: string; en: string } => {
  const zhCol = columnLabel || TEMPLATE_HEADERS[e.field];
  const enCol = FIELD_LABELS_EN[e.field];
  switch (e.code) {
    case 'required':
      return { zh: `「${zhCol}」为空，此项必填`, en: `${enCol} is empty; it is required` };
    case 'too_long':
      return { zh: `「${zhCol}」超过 ${MAX_LENGTH[e.field]} 个字符`, en: `${enCol} is longer than ${MAX_LENGTH[e.field]} characters` };
    case 'date_invalid':
      return {
        zh: `「${zhCol}」无法识别为日期（可用 2024-05-06、2024/5/6、2024年5月6日、2024.5.6 或 Excel 日期）`,
        en: `${enCol} is not a recognisable date (use 2024-05-06, 2024/5/6, 2024年5月6日, 2024.5.6 or an Excel date)`,
      };
    case 'date_out_of_range':
      return { zh: `「${zhCol}」不在合理范围内（1990 年以后，且不晚于今天）`, en: `${enCol} is out of range (after 1990 and not in the future)` };
    default:
      return { zh: `「${zhCol}」有误`, en: `${enCol} is invalid` };
  }
};

export interface ValidRow {
  ledgerNo: string;
  receivedAt: Date;
  channel: Channel;
  complainantName: string | null;
  phone: string | null;
  phoneKind: PhoneKind;
  town: string | null;
  village: string | null;
  address: string | null;
  content: string;
  traceable: boolean;
}

export type RowResult = { ok: true; row: ValidRow } | { ok: false; errors: RowError[]; ledgerNo: string | null };

export interface RowOptions {
  timeZone: string;
  now: Date;
  date1904?: boolean;
}

/** The ledger number as the import key: trimmed, full-width characters made half-width. */
export const normalizeLedgerNo = (value: unknown): string | null => {
  const t = cleanText(value);
  return t === null ? null : t.normalize('NFKC').replace(TRIM_RE, '') || null;
};

export const validateRow = (cells: Partial<Record<ImportField, unknown>>, opts: RowOptions): RowResult => {
  const errors: RowError[] = [];
  const text = (f: ImportField): string | null => {
    const t = cleanText(cells[f]);
    const max = MAX_LENGTH[f];
    if (t !== null && max !== undefined && t.length > max) {
      errors.push({ field: f, code: 'too_long' });
      return null;
    }
    return t;
  };

  const ledgerNo = normalizeLedgerNo(cells.ledgerNo);
  if (ledgerNo === null) errors.push({ field: 'ledgerNo', code: 'required' });
  else if (ledgerNo.length > (MAX_LENGTH.ledgerNo as number)) errors.push({ field: 'ledgerNo', code: 'too_long' });

  const date = parseLedgerDate(cells.receivedAt ?? null, opts);
  if (!date.ok) {
    errors.push({ field: 'receivedAt', code: date.error === 'missing' ? 'required' : date.error === 'invalid' ? 'date_invalid' : 'date_out_of_range' });
  }

  const complainantName = text('complainantName');
  const town = text('town');
  const village = text('village');
  const address = text('address');
  const content = cleanText(cells.content);
  if (content === null) errors.push({ field: 'content', code: 'required' });
  else if (content.length > (MAX_LENGTH.content as number)) errors.push({ field: 'content', code: 'too_long' });

  const phone = importPhone(cells.phone);
  if (phone.stored !== null && phone.stored.length > (MAX_LENGTH.phone as number)) errors.push({ field: 'phone', code: 'too_long' });

  if (errors.length > 0 || !date.ok) return { ok: false, errors, ledgerNo: ledgerNo && ledgerNo.length <= 64 ? ledgerNo : null };
  return {
    ok: true,
    row: {
      ledgerNo: ledgerNo as string,
      receivedAt: date.at,
      channel: mapChannel(cleanText(cells.channel)),
      complainantName,
      phone: phone.stored,
      phoneKind: phone.kind,
      town,
      village,
      address,
      content: content as string,
      traceable: phone.kind === 'mobile' || phone.kind === 'landline',
    },
  };
};
