/**
 * The rules of the SMS outbox (DOMAIN.md, "SMS and the satisfaction survey"): who may get a
 * message, when it may go out, how a failure is retried, how a delivery report moves a message,
 * and which way a survey can be answered on a destination.
 */
import { parsePhone } from './phone';

export type SmsStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'failed' | 'undelivered' | 'uncertain' | 'cancelled';

/**
 * Delivery reports arrive out of order and repeated (Twilio retries webhooks). A report may only
 * move a message forward: `sent` → `delivered` | `undelivered` | `failed`; a final state stays.
 */
const RANK: Record<SmsStatus, number> = {
  queued: 0,
  sending: 1,
  uncertain: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  cancelled: 4,
};

export const applyDeliveryReport = (current: SmsStatus, reported: 'sent' | 'delivered' | 'undelivered' | 'failed'): SmsStatus =>
  RANK[reported] > RANK[current] ? reported : current;

export interface QuietHours {
  /** 'HH:MM' in the county's zone; messages due inside [start, end) wait until `end`. */
  start: string;
  end: string;
}

const minutesOf = (hhmm: string): number => {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`quiet hours must be HH:MM, got ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

const zoneParts = (at: Date, timeZone: string): { minutes: number } => {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return { minutes: Number(p.hour) * 60 + Number(p.minute) };
};

/** Whether `at` falls in the quiet hours (which may span midnight, as 21:00–08:00 does). */
export const inQuietHours = (at: Date, quiet: QuietHours, timeZone: string): boolean => {
  const s = minutesOf(quiet.start);
  const e = minutesOf(quiet.end);
  if (s === e) return false;
  const { minutes } = zoneParts(at, timeZone);
  return s < e ? minutes >= s && minutes < e : minutes >= s || minutes < e;
};

/** The earliest instant at or after `at` outside the quiet hours (the end of them, on the minute). */
export const nextSendTime = (at: Date, quiet: QuietHours, timeZone: string): Date => {
  if (!inQuietHours(at, quiet, timeZone)) return at;
  const { minutes } = zoneParts(at, timeZone);
  const wait = (minutesOf(quiet.end) - minutes + 1440) % 1440;
  // Counted in minutes from the start of the current minute (a zone without a daylight-saving
  // jump inside the quiet hours, as Asia/Shanghai; a jump shifts the result by its size).
  return new Date(Math.floor(at.getTime() / 60000) * 60000 + wait * 60000);
};

/** Exponential backoff for a retryable failure: base, 2×base, 4×base …, or null past the limit. */
export const retryDelayMs = (attempt: number, opts: { baseMs: number; maxAttempts: number; capMs?: number }): number | null => {
  if (!Number.isInteger(attempt) || attempt < 1 || attempt >= opts.maxAttempts) return null;
  return Math.min(opts.baseMs * 2 ** (attempt - 1), opts.capMs ?? Number.POSITIVE_INFINITY);
};

/** At most `cap` messages to one number within a rolling `windowHours` (default 3 in 24 h). */
export const withinNumberCap = (sentAt: ReadonlyArray<Date>, now: Date, cap: number, windowHours = 24): boolean =>
  sentAt.filter((t) => now.getTime() - t.getTime() < windowHours * 3_600_000 && t.getTime() <= now.getTime()).length < cap;

export interface Capabilities {
  /** The provider may carry a URL to this destination (Twilio: none to mainland numbers). */
  links: boolean;
  /** Replies from this destination reach the inbound webhook. */
  replies: boolean;
}

export type SurveyWay = 'link' | 'reply' | 'phone_visit';

/**
 * How the citizen is asked: a link where links work, a reply where replies come back, and a
 * staff phone call for a landline, an opted-out number, or a destination where neither works.
 */
export const surveyWay = (phone: unknown, optedOut: boolean, caps: Capabilities): SurveyWay => {
  if (parsePhone(phone).kind !== 'mobile' || optedOut) return 'phone_visit';
  if (caps.links) return 'link';
  if (caps.replies) return 'reply';
  return 'phone_visit';
};

/** Only a traceable complaint with a mobile number that has not opted out is sent an SMS. */
export const maySendSms = (phone: unknown, optedOut: boolean): boolean => parsePhone(phone).kind === 'mobile' && !optedOut;
