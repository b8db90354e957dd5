/**
 * Registration (登记): the county office records a demand received by visit, phone or letter.
 * The original fields are typed once, so the form is read with the import's row rules
 * (import-row.ts validateRow: the same lengths, the same date rules, content required) and a
 * few of its own, because a clerk types what a spreadsheet only carries:
 *
 * - every field is text (a list or an object is refused, naming the field);
 * - the channel is one of the codes of a demand not received online (`web` is the intake's);
 * - the received time defaults to now and may not lie in the future (the import allows a day
 *   of slack for a file's time zone; a clerk's form has none);
 * - the town is one of the county's towns; the village, name and address are optional;
 * - a phone, when given, must be a mobile or a landline (phone.ts): the import keeps an unusable
 *   number as written, a clerk can ask again. Traceable is derived as the import derives it.
 *
 * Every bad field is reported, each with a message in Chinese and English that names the field
 * and never repeats what was typed.
 */
import { DomainError } from './errors';
import { CHANNELS, rowErrorMessage, validateRow, type Channel, type RowError } from './import-row';
import { FIELD_LABELS_EN, TEMPLATE_HEADERS, type ImportField } from './ledger-template';
import { parsePhone } from './phone';

/** The channels a registered demand arrives by: every code but the online intake's. */
export const REGISTRATION_CHANNELS = CHANNELS.filter((c) => c !== 'web') as Exclude<Channel, 'web'>[];

export const REGISTRATION_FIELDS = ['channel', 'receivedAt', 'content', 'town', 'village', 'complainantName', 'phone', 'address'] as const;
export type RegistrationField = (typeof REGISTRATION_FIELDS)[number];

export interface RegistrationForm {
  channel: Exclude<Channel, 'web'>;
  receivedAt: Date;
  content: string;
  town: string;
  village: string | null;
  complainantName: string | null;
  /** Digits of a mobile or landline, or null. */
  phone: string | null;
  address: string | null;
  traceable: boolean;
}

export type RegistrationErrorCode = 'not_text' | 'unknown_channel' | 'unknown_town' | 'bad_phone' | 'date_in_future' | RowError['code'];

export interface RegistrationFieldError {
  field: RegistrationField;
  code: RegistrationErrorCode;
  zh: string;
  en: string;
}

export interface RegistrationOptions {
  /** The county's towns (services/intake.ts towns()). */
  towns: readonly string[];
  now: Date;
  timeZone: string;
}

const fieldError = (field: RegistrationField, code: RegistrationErrorCode): RegistrationFieldError => {
  const zhCol = TEMPLATE_HEADERS[field as ImportField];
  const enCol = FIELD_LABELS_EN[field as ImportField];
  switch (code) {
    case 'not_text':
      return { field, code, zh: `「${zhCol}」应为文字`, en: `${enCol} must be text` };
    case 'unknown_channel':
      return { field, code, zh: `「${zhCol}」应为走访、热线（电话）、信件、短信、座谈或其他`, en: `${enCol} must be one of ${REGISTRATION_CHANNELS.join(', ')}` };
    case 'unknown_town':
      return { field, code, zh: `「${zhCol}」请从本县乡镇列表中选择`, en: `Choose the ${enCol} from the county's list` };
    case 'bad_phone':
      return {
        field,
        code,
        zh: `「${zhCol}」格式不对：请填写 11 位手机号码或带区号的固定电话，或留空`,
        en: `The ${enCol} is not valid: give an 11-digit mobile number or a landline with its area code, or leave it empty`,
      };
    case 'date_in_future':
      return { field, code, zh: `「${zhCol}」不能晚于现在`, en: `${enCol} cannot be in the future` };
    default:
      return { field, code, ...rowErrorMessage({ field: field as ImportField, code }) };
  }
};

/** The refusal of a form with bad fields: one 400 listing each (details.errors), the first in details.field. */
export const registrationRefusal = (errors: RegistrationFieldError[]): DomainError =>
  new DomainError('validation', 'invalid_registration', `诉求无法登记：${errors.map((e) => e.zh).join('；')}`, `The demand cannot be registered: ${errors.map((e) => e.en).join('; ')}`, {
    field: errors[0]?.field ?? 'body',
    fields: errors.map((e) => e.field),
    errors,
  });

/**
 * The form as it is registered, or a refusal naming every bad field. Pure: the caller supplies
 * the towns and the clock. The ledger number is not the clerk's: the service draws it.
 */
export const readRegistrationForm = (body: unknown, opts: RegistrationOptions): RegistrationForm => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new DomainError('validation', 'invalid_body', '请填写登记表单', 'Please fill in the registration form', { field: 'body' });
  }
  const b = body as Record<string, unknown>;
  const errors: RegistrationFieldError[] = [];
  const text: Partial<Record<RegistrationField, string | null>> = {};
  for (const f of REGISTRATION_FIELDS) {
    const v = b[f];
    if (v === undefined || v === null) text[f] = null;
    else if (typeof v !== 'string') errors.push(fieldError(f, 'not_text'));
    else text[f] = v;
  }
  const bad = (f: RegistrationField) => errors.some((e) => e.field === f);

  const channelText = text.channel?.trim() ?? '';
  const channel = (REGISTRATION_CHANNELS as string[]).includes(channelText) ? (channelText as RegistrationForm['channel']) : null;
  if (!bad('channel') && !channel) errors.push(fieldError('channel', 'unknown_channel'));

  // The import's row rules, on the typed fields; the ledger number is drawn later, so a stand-in passes its rule.
  const receivedAtText = text.receivedAt?.trim() ? text.receivedAt : null;
  const row = validateRow(
    {
      ledgerNo: 'REGISTRATION',
      receivedAt: bad('receivedAt') ? null : receivedAtText ?? opts.now.toISOString(),
      channel: channel ?? 'other',
      content: text.content ?? null,
      town: text.town ?? null,
      village: text.village ?? null,
      complainantName: text.complainantName ?? null,
      address: text.address ?? null,
      phone: null,
    },
    { timeZone: opts.timeZone, now: opts.now }
  );
  if (!row.ok) {
    for (const e of row.errors) if (!bad(e.field as RegistrationField)) errors.push(fieldError(e.field as RegistrationField, e.code));
  } else if (row.row.receivedAt.getTime() > opts.now.getTime()) {
    errors.push(fieldError('receivedAt', 'date_in_future'));
  }

  const town = row.ok ? row.row.town : (text.town?.trim() ?? null);
  if (!bad('town') && (!town || !opts.towns.includes(town))) errors.push(fieldError('town', 'unknown_town'));

  let phone: string | null = null;
  let traceable = false;
  const phoneText = text.phone?.trim() ?? '';
  if (!bad('phone') && phoneText) {
    const parsed = parsePhone(phoneText);
    if (parsed.kind === 'mobile' || parsed.kind === 'landline') {
      phone = parsed.normalized;
      traceable = true;
    } else errors.push(fieldError('phone', 'bad_phone'));
  }

  // Reported in the form's order.
  errors.sort((x, y) => REGISTRATION_FIELDS.indexOf(x.field) - REGISTRATION_FIELDS.indexOf(y.field));
  if (errors.length > 0 || !row.ok) throw registrationRefusal(errors);
  const r = row.row;
  return {
    channel: channel as RegistrationForm['channel'],
    receivedAt: r.receivedAt,
    content: r.content,
    town: town as string,
    village: r.village,
    complainantName: r.complainantName,
    phone,
    address: r.address,
    traceable,
  };
};
