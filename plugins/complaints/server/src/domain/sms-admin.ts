/**
 * The operator's work on the SMS outbox, the opt-out list and the phone return visits, as
 * rules: which decision a message in each state allows, what an admin list may show of a
 * message (never a live survey token, never a phone in an error text), and the checks of the
 * admin screens' inputs. Messages are bilingual and never echo the value that was refused.
 */
import { isCalendarDay } from './calendar';
import { DomainError } from './errors';
import { parsePhone } from './phone';
import { redact } from './redact';
import type { SurveyAnswer } from './survey-reply';

/** What a person may decide on a message the pump will not touch again by itself. */
export type SmsDecision = 'resend' | 'mark_sent' | 'cancel';
export const SMS_DECISIONS: readonly SmsDecision[] = ['resend', 'mark_sent', 'cancel'];

/**
 * `uncertain`: the provider may or may not have accepted it; only a person who checked (with the
 * citizen, or the provider's console) may mark it sent, send it again, or cancel it.
 * `failed`: the provider refused it or the retries ran out; it may be sent again or cancelled,
 * never marked sent (the provider said it did not go).
 */
const DECISIONS_BY_STATUS: Record<string, SmsDecision[]> = {
  uncertain: ['mark_sent', 'resend', 'cancel'],
  failed: ['resend', 'cancel'],
};

export const decisionsFor = (status: string): SmsDecision[] => [...(DECISIONS_BY_STATUS[status] ?? [])];

/** The statuses a decision may be taken on (the same table, read the other way). */
export const statusesTaking = (decision: SmsDecision): string[] =>
  Object.keys(DECISIONS_BY_STATUS).filter((status) => DECISIONS_BY_STATUS[status].includes(decision));

/** The statuses an outbound message can have, as the outbox list filters them. */
export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'uncertain', 'suppressed'] as const;
export const OUTBOX_TEMPLATES = ['registered_notice', 'accepted_notice', 'closed_survey', 'survey_reminder', 'other'] as const;

/** A survey link's token (base64url, 16 to 64 characters) and any long base64url run a template may carry. */
const SURVEY_PATH = /(\/survey\/)[^\s/?#]+/g;
const LONG_TOKEN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{24,}(?![A-Za-z0-9_-])/g;
export const TOKEN_MARK = '[token]';

/**
 * A message body as the admin list shows it: the survey link's token replaced, so whoever reads
 * the outbox cannot answer a citizen's survey; a phone or name in the text replaced as in logs.
 */
export const outboxBody = (body: string | null | undefined): string => {
  if (!body) return '';
  return redact(body.replace(SURVEY_PATH, `$1${TOKEN_MARK}`).replace(LONG_TOKEN, TOKEN_MARK));
};

/** A provider's error text (Twilio's quote the number they refused) without a phone in it. */
export const outboxError = (text: string | null | undefined): string | null => (text ? redact(text) : null);

const invalid = (field: string, zh: string, en: string, code = 'invalid_input') => new DomainError('validation', code, zh, en, { field });

const single = (v: unknown): string | undefined => (Array.isArray(v) ? undefined : typeof v === 'string' ? v : undefined);

/** page (1…) and pageSize (1…100, default 20). */
export const parsePaging = (query: Record<string, unknown>): { page: number; pageSize: number } => {
  const num = (name: 'page' | 'pageSize', dflt: number, max: number) => {
    const raw = query[name];
    if (raw === undefined || raw === '') return dflt;
    const s = single(raw);
    if (s === undefined || !/^\d{1,6}$/.test(s) || Number(s) < 1 || Number(s) > max) {
      throw invalid(name, `${name} 须为 1 至 ${max} 的整数`, `${name} must be a whole number from 1 to ${max}`);
    }
    return Number(s);
  };
  return { page: num('page', 1, 100000), pageSize: num('pageSize', 20, 100) };
};

export interface OutboxQuery {
  statuses: string[];
  templates: string[];
  from: string | null;
  to: string | null;
  ledgerNo: string | null;
  page: number;
  pageSize: number;
}

const OUTBOX_PARAMS = ['status', 'template', 'from', 'to', 'ledgerNo', 'page', 'pageSize'];

const listOf = (query: Record<string, unknown>, name: string, allowed: readonly string[]): string[] => {
  const raw = query[name];
  if (raw === undefined || raw === '') return [];
  const s = single(raw);
  const values = s === undefined ? [] : s.split(',').map((x) => x.trim()).filter(Boolean);
  if (s === undefined || values.length === 0 || values.length > allowed.length || values.some((v) => !allowed.includes(v))) {
    throw invalid(name, `${name} 的取值无效，可选：${allowed.join(', ')}`, `Invalid ${name}; one or more of: ${allowed.join(', ')}`);
  }
  return Array.from(new Set(values));
};

const dayOf = (query: Record<string, unknown>, name: 'from' | 'to'): string | null => {
  const raw = query[name];
  if (raw === undefined || raw === '') return null;
  const s = single(raw);
  if (!isCalendarDay(s)) throw invalid(name, `${name} 须为日期（YYYY-MM-DD）`, `${name} must be a date (YYYY-MM-DD)`);
  return s;
};

const refuseUnknown = (query: Record<string, unknown>, known: readonly string[]) => {
  const unknown = Object.keys(query).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new DomainError('validation', 'unknown_parameter', `未知的查询参数：${unknown.slice(0, 5).join(', ').slice(0, 120)}`, `Unknown query parameter: ${unknown.slice(0, 5).join(', ').slice(0, 120)}`, { allowed: known });
  }
};

/** The outbox list's filters: statuses, message types, a date range (county days) and a ledgerNo. */
export const parseOutboxQuery = (query: Record<string, unknown>): OutboxQuery => {
  refuseUnknown(query, OUTBOX_PARAMS);
  const from = dayOf(query, 'from');
  const to = dayOf(query, 'to');
  if (from && to && from > to) throw invalid('from', '开始日期晚于结束日期', 'The start date is after the end date', 'inverted_range');
  const ledger = query.ledgerNo;
  let ledgerNo: string | null = null;
  if (ledger !== undefined && ledger !== '') {
    const s = single(ledger);
    if (s === undefined || s.trim().length === 0 || s.length > 64) throw invalid('ledgerNo', '诉求编号无效', 'Invalid ledgerNo');
    ledgerNo = s.trim();
  }
  return { statuses: listOf(query, 'status', OUTBOX_STATUSES), templates: listOf(query, 'template', OUTBOX_TEMPLATES), from, to, ledgerNo, ...parsePaging(query) };
};

/**
 * A phone in a search or a form: a mainland mobile (SMS goes to mobiles only), as digits.
 * The message never repeats what was typed.
 */
export const parseMobile = (value: unknown, field = 'phone'): string => {
  const p = parsePhone(typeof value === 'string' && value.length <= 32 ? value : null);
  if (p.kind !== 'mobile' || !p.normalized) throw invalid(field, '请输入有效的手机号码（11 位）', 'Enter a valid mobile number (11 digits)', 'invalid_phone');
  return p.normalized;
};

/**
 * The opt-out list's query. Searching by phone tells whether a number is on the list, so only a
 * role that sees full phones may search (a masked role could otherwise confirm a number it may
 * not see); the search is by the whole number, never by a part of it.
 */
export const parseOptOutQuery = (query: Record<string, unknown>, mayUsePhones: boolean): { phone: string | null; page: number; pageSize: number } => {
  refuseUnknown(query, ['phone', 'page', 'pageSize']);
  let phone: string | null = null;
  if (query.phone !== undefined && query.phone !== '') {
    if (!mayUsePhones) {
      throw new DomainError('validation', 'hidden_field_query', '您的角色看不到完整电话号码，不能按电话号码查询', 'Your role sees phones masked: it cannot search by phone', { field: 'phone' });
    }
    phone = parseMobile(single(query.phone));
  }
  return { phone, ...parsePaging(query) };
};

/**
 * Why a person decided: required, 2 to 500 characters, and without a phone number or an ID
 * card number (the reason goes into the complaint's history, which never holds a phone).
 */
export const parseReason = (value: unknown, field = 'reason'): string => {
  const s = typeof value === 'string' ? value.trim() : '';
  if (s.length < 2 || s.length > 500) throw invalid(field, '请填写原因（2 至 500 字）', 'Give a reason (2 to 500 characters)', 'missing_reason');
  if (redact(s) !== s) {
    throw invalid(field, '原因中不能含有电话号码或身份证号', 'The reason must not contain a phone or ID card number', 'reason_personal_data');
  }
  return s;
};

const asBody = (raw: unknown): Record<string, unknown> => {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new DomainError('validation', 'invalid_body', '请求体应为 JSON 对象', 'The body must be a JSON object');
  }
  return raw as Record<string, unknown>;
};

/** POST /sms/messages/:id/decision { decision, reason } */
export const parseDecisionInput = (raw: unknown): { decision: SmsDecision; reason: string } => {
  const body = asBody(raw);
  if (typeof body.decision !== 'string' || !SMS_DECISIONS.includes(body.decision as SmsDecision)) {
    throw invalid('decision', `请选择处理方式：${SMS_DECISIONS.join(', ')}`, `Choose a decision: ${SMS_DECISIONS.join(', ')}`, 'invalid_decision');
  }
  return { decision: body.decision as SmsDecision, reason: parseReason(body.reason) };
};

/** POST /sms/opt-outs and /sms/opt-outs/remove { phone, reason } */
export const parseOptOutInput = (raw: unknown): { phone: string; reason: string } => {
  const body = asBody(raw);
  return { phone: parseMobile(body.phone), reason: parseReason(body.reason) };
};

export const SURVEY_ANSWERS: readonly SurveyAnswer[] = ['satisfied', 'basically_satisfied', 'dissatisfied'];

/** POST /complaints/:documentId/return-visit { answer, comment } */
export const parseReturnVisitInput = (raw: unknown): { answer: SurveyAnswer; comment: string | null } => {
  const body = asBody(raw);
  if (typeof body.answer !== 'string' || !SURVEY_ANSWERS.includes(body.answer as SurveyAnswer)) {
    throw invalid('answer', '请选择回访结果：满意、基本满意或不满意', 'Choose the answer: satisfied, basically satisfied or dissatisfied', 'invalid_answer');
  }
  let comment: string | null = null;
  if (body.comment !== undefined && body.comment !== null && body.comment !== '') {
    if (typeof body.comment !== 'string' || body.comment.length > 1000) throw invalid('comment', '备注须为 1000 字以内的文字', 'The comment must be text of at most 1,000 characters');
    comment = body.comment.trim() || null;
  }
  return { answer: body.answer as SurveyAnswer, comment };
};
