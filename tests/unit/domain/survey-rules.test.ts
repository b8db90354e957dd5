/**
 * When a survey is reminded and when it expires (domain/survey-rules.ts). Times are literals:
 * a survey opened 2026-12-01 02:00 UTC, with the defaults (reminder after 3 days, expiry after
 * 7, so expiresAt is 2026-12-08 02:00).
 */
import { assertPendingReopenRequest, reminderDueAt, surveyExpired, surveyReminderDue, type SurveyClock } from '../../../plugins/complaints/server/src/domain/survey-rules';
import { DomainError } from '../../../plugins/complaints/server/src/domain/errors';

const OPENED = '2026-12-01T02:00:00.000Z';
const EXPIRES = '2026-12-08T02:00:00.000Z';
const survey = (over: Partial<SurveyClock> = {}): SurveyClock => ({ status: 'open', way: 'link', sentAt: OPENED, expiresAt: EXPIRES, reminderSentAt: null, ...over });

describe('surveyReminderDue (reminderDays 3)', () => {
  it.each<[string, Partial<SurveyClock>, string, boolean]>([
    ['a minute before three days', {}, '2026-12-04T01:59:00Z', false],
    ['exactly three days after it opened', {}, '2026-12-04T02:00:00Z', true],
    ['four days after', {}, '2026-12-05T02:00:00Z', true],
    ['a reply survey is reminded too', { way: 'reply' }, '2026-12-05T02:00:00Z', true],
    ['a phone return visit is a call, never a message', { way: 'phone_visit' }, '2026-12-05T02:00:00Z', false],
    ['already reminded once', { reminderSentAt: '2026-12-04T02:20:00Z' }, '2026-12-06T02:00:00Z', false],
    ['answered', { status: 'answered' }, '2026-12-05T02:00:00Z', false],
    ['superseded by a newer survey', { status: 'superseded' }, '2026-12-05T02:00:00Z', false],
    ['closed as no_response', { status: 'no_response' }, '2026-12-05T02:00:00Z', false],
    ['still open but past its expiry: expired, not reminded', {}, '2026-12-08T02:00:00Z', false],
    ['never sent', { sentAt: null }, '2026-12-05T02:00:00Z', false],
    ['opened as a Date, not a string', { sentAt: new Date(OPENED) }, '2026-12-04T02:00:00Z', true],
  ])('%s → %s', (_name, over, now, expected) => {
    expect(surveyReminderDue(survey(over), new Date(now), 3)).toBe(expected);
  });

  it('follows the configured days', () => {
    expect(surveyReminderDue(survey(), new Date('2026-12-02T02:00:00Z'), 1)).toBe(true);
    expect(surveyReminderDue(survey(), new Date('2026-12-06T01:59:00Z'), 5)).toBe(false);
    expect(reminderDueAt(OPENED, 5).toISOString()).toBe('2026-12-06T02:00:00.000Z');
  });
});

describe('surveyExpired', () => {
  it.each<[string, Partial<SurveyClock>, string, boolean]>([
    ['a second before its expiry', {}, '2026-12-08T01:59:59Z', false],
    ['at its expiry', {}, '2026-12-08T02:00:00Z', true],
    ['after its expiry', {}, '2026-12-20T00:00:00Z', true],
    ['a reply survey expires too', { way: 'reply' }, '2026-12-08T02:00:00Z', true],
    ['a phone return visit waits for the staff', { way: 'phone_visit' }, '2026-12-20T00:00:00Z', false],
    ['an answered survey does not expire', { status: 'answered' }, '2026-12-20T00:00:00Z', false],
    ['a superseded survey is closed already', { status: 'superseded' }, '2026-12-20T00:00:00Z', false],
    ['no expiry recorded', { expiresAt: null }, '2026-12-20T00:00:00Z', false],
  ])('%s → %s', (_name, over, now, expected) => {
    expect(surveyExpired(survey(over), new Date(now))).toBe(expected);
  });
});

describe('assertPendingReopenRequest', () => {
  const codeOf = (fn: () => unknown): [string, string] => {
    try {
      fn();
    } catch (e) {
      return [(e as DomainError).kind, (e as DomainError).code];
    }
    return ['none', 'none'];
  };

  it.each([
    [null, ['validation', 'no_reopen_request']],
    [{ surveyId: 3, round: 1, state: 'confirmed' }, ['conflict', 'reopen_request_decided']],
    [{ surveyId: 3, round: 1, state: 'rejected' }, ['conflict', 'reopen_request_decided']],
    [{ surveyId: 3, round: 1, state: 'pending' }, ['none', 'none']],
  ] as const)('%j → %j', (request, expected) => {
    expect(codeOf(() => assertPendingReopenRequest(request as any, 'A-1'))).toEqual(expected);
  });

  it('says it bilingually, without personal data', () => {
    try {
      assertPendingReopenRequest({ surveyId: 3, round: 1, state: 'rejected' }, 'A-1');
    } catch (e) {
      expect((e as Error).message).toBe('诉求 A-1 的重新整改申请已处理（已驳回），不能再次决定 / The reopen request of complaint A-1 has already been rejected; it cannot be decided again');
    }
    expect.assertions(1);
  });
});
