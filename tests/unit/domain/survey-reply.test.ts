import { parsePhone } from '../../../plugins/complaints/server/src/domain/phone';
import { parseSurveyReply } from '../../../plugins/complaints/server/src/domain/survey-reply';
import { renderMessage, templateKey, type SmsTemplate, type SurveyVariant } from '../../../plugins/complaints/server/src/domain/sms-templates';
import { satisfactionRate, type SurveyFact } from '../../../plugins/complaints/server/src/domain/satisfaction';
import {
  applyDeliveryReport,
  inQuietHours,
  maySendSms,
  nextSendTime,
  retryDelayMs,
  surveyWay,
  withinNumberCap,
} from '../../../plugins/complaints/server/src/domain/sms-policy';

describe('parseSurveyReply', () => {
  it.each([
    ['1', { kind: 'answer', answer: 'satisfied', comment: null }],
    ['2', { kind: 'answer', answer: 'basically_satisfied', comment: null }],
    ['3', { kind: 'answer', answer: 'dissatisfied', comment: null }],
    ['１', { kind: 'answer', answer: 'satisfied', comment: null }],
    ['３ 路灯还是不亮', { kind: 'answer', answer: 'dissatisfied', comment: '路灯还是不亮' }],
    ['  2。', { kind: 'answer', answer: 'basically_satisfied', comment: null }],
    ['满意', { kind: 'answer', answer: 'satisfied', comment: null }],
    ['基本满意', { kind: 'answer', answer: 'basically_satisfied', comment: null }],
    ['不满意，没人来修', { kind: 'answer', answer: 'dissatisfied', comment: '没人来修' }],
    ['12', { kind: 'unknown' }],
    ['1.5', { kind: 'unknown' }],
    ['4', { kind: 'unknown' }],
    ['好的', { kind: 'unknown' }],
    ['', { kind: 'unknown' }],
    ['STOP', { kind: 'opt_out' }],
    ['stop', { kind: 'opt_out' }],
    ['退订', { kind: 'opt_out' }],
    ['TD', { kind: 'opt_out' }],
    ['START', { kind: 'opt_in' }],
  ])('%j → %j', (input, expected) => {
    expect(parseSurveyReply(input)).toEqual(expected);
  });

  it('is unknown for a non-string', () => {
    expect(parseSurveyReply(3)).toEqual({ kind: 'unknown' });
    expect(parseSurveyReply(null)).toEqual({ kind: 'unknown' });
  });
});

describe('satisfactionRate', () => {
  const f = (complaintId: number, round: number, status: SurveyFact['status'], answer: SurveyFact['answer'], answeredAt: string | null = null): SurveyFact => ({
    complaintId,
    round,
    status,
    answer,
    answeredAt,
  });

  it.each<[string, SurveyFact[], { satisfied: number; basicallySatisfied: number; dissatisfied: number; answered: number; rate: number | null }]>([
    ['nobody answered', [f(1, 1, 'no_response', null), f(2, 1, 'superseded', null), f(3, 1, 'open', null)], { satisfied: 0, basicallySatisfied: 0, dissatisfied: 0, answered: 0, rate: null }],
    [
      'two satisfied, one basically, one dissatisfied: 3/4',
      [f(1, 1, 'answered', 'satisfied'), f(2, 1, 'answered', 'satisfied'), f(3, 1, 'answered', 'basically_satisfied'), f(4, 1, 'answered', 'dissatisfied'), f(5, 1, 'no_response', null)],
      { satisfied: 2, basicallySatisfied: 1, dissatisfied: 1, answered: 4, rate: 0.75 },
    ],
    [
      'Guangzhou rule: dissatisfied, reopened, then satisfied counts once as satisfied',
      [f(1, 1, 'answered', 'dissatisfied', '2026-11-02T00:00:00Z'), f(1, 2, 'answered', 'satisfied', '2026-11-20T00:00:00Z'), f(2, 1, 'answered', 'dissatisfied')],
      { satisfied: 1, basicallySatisfied: 0, dissatisfied: 1, answered: 2, rate: 0.5 },
    ],
    [
      'a second round not answered leaves the first answer',
      [f(1, 1, 'answered', 'dissatisfied'), f(1, 2, 'no_response', null)],
      { satisfied: 0, basicallySatisfied: 0, dissatisfied: 1, answered: 1, rate: 0 },
    ],
  ])('%s', (_name, facts, expected) => {
    expect(satisfactionRate(facts)).toEqual(expected);
  });
});

describe('SMS outbox rules', () => {
  it.each([
    ['sent', 'delivered', 'delivered'],
    ['delivered', 'sent', 'delivered'],
    ['delivered', 'undelivered', 'delivered'],
    ['sending', 'sent', 'sent'],
    ['uncertain', 'delivered', 'delivered'],
    ['failed', 'delivered', 'failed'],
    ['queued', 'failed', 'failed'],
  ] as const)('%s + report %s → %s', (current, reported, expected) => {
    expect(applyDeliveryReport(current, reported)).toBe(expected);
  });

  const quiet = { start: '21:00', end: '08:00' };
  const tz = 'Asia/Shanghai';
  it.each([
    // UTC instants; Beijing is UTC+8.
    ['2026-11-30T12:59:00Z', false, '2026-11-30T12:59:00.000Z'], // 20:59
    ['2026-11-30T13:00:00Z', true, '2026-12-01T00:00:00.000Z'], // 21:00 → 08:00 next day
    ['2026-11-30T18:30:30Z', true, '2026-12-01T00:00:00.000Z'], // 02:30:30
    ['2026-11-30T23:59:00Z', true, '2026-12-01T00:00:00.000Z'], // 07:59
    ['2026-12-01T00:00:00Z', false, '2026-12-01T00:00:00.000Z'], // 08:00
  ])('quiet hours at %s: %s, next send %s', (at, quietNow, next) => {
    expect(inQuietHours(new Date(at), quiet, tz)).toBe(quietNow);
    expect(nextSendTime(new Date(at), quiet, tz).toISOString()).toBe(next);
  });

  it('quiet hours within one day and none at all', () => {
    expect(inQuietHours(new Date('2026-11-30T05:00:00Z'), { start: '12:00', end: '14:00' }, tz)).toBe(true); // 13:00
    expect(inQuietHours(new Date('2026-11-30T07:00:00Z'), { start: '12:00', end: '14:00' }, tz)).toBe(false); // 15:00
    expect(inQuietHours(new Date('2026-11-30T13:00:00Z'), { start: '00:00', end: '00:00' }, tz)).toBe(false);
  });

  it.each([
    [1, 60_000],
    [2, 120_000],
    [3, 240_000],
    [4, 300_000],
    [5, null],
    [0, null],
  ])('retry after attempt %i → %p ms', (attempt, delay) => {
    expect(retryDelayMs(attempt, { baseMs: 60_000, maxAttempts: 5, capMs: 300_000 })).toBe(delay);
  });

  it('caps messages per number within 24 h', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const h = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * 3_600_000);
    expect(withinNumberCap([h(1), h(2)], now, 3)).toBe(true);
    expect(withinNumberCap([h(1), h(2), h(23)], now, 3)).toBe(false);
    expect(withinNumberCap([h(1), h(2), h(25)], now, 3)).toBe(true);
  });

  it.each([
    ['13812341234', false, { links: true, replies: false }, 'link'],
    ['13812341234', false, { links: false, replies: true }, 'reply'],
    ['13812341234', false, { links: false, replies: false }, 'phone_visit'],
    ['13812341234', true, { links: true, replies: true }, 'phone_visit'],
    ['0571-88001234', false, { links: true, replies: true }, 'phone_visit'],
    [null, false, { links: true, replies: true }, 'phone_visit'],
  ] as const)('survey way for %s (opted out %s, %j) → %s', (phone, optedOut, caps, way) => {
    expect(surveyWay(phone, optedOut, caps)).toBe(way);
  });

  it('sends only to mobiles that did not opt out', () => {
    expect(parsePhone('13812341234').kind).toBe('mobile');
    expect(maySendSms('13812341234', false)).toBe(true);
    expect(maySendSms('13812341234', true)).toBe(false);
    expect(maySendSms('0571-88001234', false)).toBe(false);
  });
});

describe('SMS templates', () => {
  it.each<[SmsTemplate, SurveyVariant | undefined, string]>([
    ['closed_survey', 'link', 'closed_survey.link'],
    ['closed_survey', 'reply', 'closed_survey.reply'],
    ['survey_reminder', undefined, 'survey_reminder.link'],
    ['accepted_notice', 'reply', 'accepted_notice'],
  ])('%s / %s → %s', (t, v, key) => {
    expect(templateKey(t, v)).toBe(key);
  });

  it('renders the Chinese defaults', () => {
    expect(renderMessage('closed_survey', 'link', { county: '某县民意服务站', ledgerNo: 'MY-2026-0001', surveyUrl: 'https://x.gov.cn/survey/abc' })).toBe(
      '【某县民意服务站】您反映的诉求（编号MY-2026-0001）已办结，请对办理结果进行评价：https://x.gov.cn/survey/abc'
    );
    expect(renderMessage('closed_survey', 'reply', { county: '某县', ledgerNo: 'A1' })).toBe('【某县】您反映的诉求（编号A1）已办结，请回复数字评价：1满意，2基本满意，3不满意。');
  });

  it('uses an override and refuses a slot without a value', () => {
    expect(renderMessage('registered_notice', undefined, { ledgerNo: 'A2' }, { registered_notice: '编号{ledgerNo}' })).toBe('编号A2');
    expect(() => renderMessage('closed_survey', 'link', { county: '某县', ledgerNo: 'A1' })).toThrow('{surveyUrl}');
  });
});
