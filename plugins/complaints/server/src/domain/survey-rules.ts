/**
 * When a survey is due for its reminder and when it expires (DOMAIN.md, "SMS and the
 * satisfaction survey"), and what the lead unit may decide on a reopen request. The survey jobs
 * (services/surveys.ts) narrow the rows with SQL and decide each one here.
 *
 * - A survey expires when it is still open at or after its `expiresAt` (opened + `expiryDays`):
 *   it closes as `no_response`. A phone return visit waits for the staff, so it never expires.
 * - One reminder per survey, `reminderDays` after it opened, while it is open, not yet expired,
 *   and asked by SMS (a link or a reply; a phone visit is a call, not a message).
 */
import { DomainError } from './errors';
import type { SurveyStatus } from './satisfaction';
import type { SurveyWay } from './sms-policy';

const DAY_MS = 86_400_000;

export interface SurveyClock {
  status: SurveyStatus;
  way: SurveyWay;
  sentAt: Date | string | null;
  expiresAt: Date | string | null;
  reminderSentAt: Date | string | null;
}

const ms = (v: Date | string | null): number | null => (v === null ? null : new Date(v).getTime());

/** Whether an open survey has run out of time and closes as `no_response` now. */
export const surveyExpired = (s: Pick<SurveyClock, 'status' | 'way' | 'expiresAt'>, now: Date): boolean => {
  const expires = ms(s.expiresAt);
  return s.status === 'open' && s.way !== 'phone_visit' && expires !== null && expires <= now.getTime();
};

/** The instant the reminder becomes due: `reminderDays` after the survey opened. */
export const reminderDueAt = (sentAt: Date | string, reminderDays: number): Date => new Date(new Date(sentAt).getTime() + reminderDays * DAY_MS);

/** Whether the survey's one reminder is due now. */
export const surveyReminderDue = (s: SurveyClock, now: Date, reminderDays: number): boolean => {
  if (s.status !== 'open' || s.way === 'phone_visit' || s.reminderSentAt !== null || s.sentAt === null) return false;
  if (surveyExpired(s, now)) return false;
  return reminderDueAt(s.sentAt, reminderDays).getTime() <= now.getTime();
};

export type ReopenRequestState = 'pending' | 'confirmed' | 'rejected';

/** The latest survey of a complaint that carries a reopen request, as the decision sees it. */
export interface ReopenRequestFact {
  surveyId: number;
  round: number;
  state: ReopenRequestState;
}

/**
 * The lead unit decides a reopen request once. A request already decided is a conflict (409);
 * a complaint with no request has nothing to decide (400).
 */
export const assertPendingReopenRequest = (request: ReopenRequestFact | null | undefined, ledgerNo: string): ReopenRequestFact => {
  if (!request) {
    throw new DomainError('validation', 'no_reopen_request', `诉求 ${ledgerNo} 没有待决定的重新整改申请`, `Complaint ${ledgerNo} has no reopen request to decide`);
  }
  if (request.state !== 'pending') {
    throw new DomainError(
      'conflict',
      'reopen_request_decided',
      `诉求 ${ledgerNo} 的重新整改申请已处理（${request.state === 'confirmed' ? '已确认' : '已驳回'}），不能再次决定`,
      `The reopen request of complaint ${ledgerNo} has already been ${request.state}; it cannot be decided again`,
      { state: request.state }
    );
  }
  return request;
};
