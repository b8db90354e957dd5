import {
  decisionsFor,
  outboxBody,
  outboxError,
  parseDecisionInput,
  parseMobile,
  parseOptOutQuery,
  parseOutboxQuery,
  parseReason,
  parseReturnVisitInput,
  statusesTaking,
} from '../../../plugins/complaints/server/src/domain/sms-admin';
import { DomainError } from '../../../plugins/complaints/server/src/domain/errors';

const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof DomainError ? e.code : `not a DomainError: ${String(e)}`;
  }
};

describe('decisions a person may take on a message', () => {
  it.each([
    ['uncertain', ['mark_sent', 'resend', 'cancel']],
    ['failed', ['resend', 'cancel']],
    ['queued', []],
    ['sending', []],
    ['sent', []],
    ['delivered', []],
    ['undelivered', []],
    ['suppressed', []],
  ])('%s → %j', (status, decisions) => {
    expect(decisionsFor(status)).toEqual(decisions);
  });

  // The service's guard reads the same table the other way: a failed message is never marked sent.
  it.each([
    ['mark_sent', ['uncertain']],
    ['resend', ['uncertain', 'failed']],
    ['cancel', ['uncertain', 'failed']],
  ] as const)('%s is taken on %j', (decision, statuses) => {
    expect(statusesTaking(decision)).toEqual(statuses);
  });
});

describe('what the outbox list shows of a message', () => {
  it.each([
    ['【民意服务站】请评价：http://localhost:1337/survey/AbCdEfGhIjKlMnOpQrStUvWxYz012345 回复TD退订', '【民意服务站】请评价：http://localhost:1337/survey/[token] 回复TD退订'],
    ['参数 token=AbCdEfGhIjKlMnOpQrStUvWxYz012345 结束', '参数 token=[token] 结束'],
    ['您的诉求 W-1a2b3c-1 已受理', '您的诉求 W-1a2b3c-1 已受理'],
    ['请致电 13812341234', '请致电 [phone]'],
    ['', ''],
  ])('%s', (body, shown) => {
    expect(outboxBody(body)).toBe(shown);
  });

  it('a provider error keeps its text but not the number it quotes', () => {
    expect(outboxError("permanent: The 'To' number +8613812341234 is not a valid phone number")).toBe("permanent: The 'To' number [phone] is not a valid phone number");
    expect(outboxError(null)).toBeNull();
  });
});

describe('input checks of the operator screens', () => {
  it.each([
    [{}, { statuses: [], templates: [], from: null, to: null, ledgerNo: null, page: 1, pageSize: 20 }],
    [{ status: 'failed,uncertain', template: 'closed_survey', from: '2026-11-01', to: '2026-11-30', ledgerNo: ' L-1 ', page: '2', pageSize: '50' },
      { statuses: ['failed', 'uncertain'], templates: ['closed_survey'], from: '2026-11-01', to: '2026-11-30', ledgerNo: 'L-1', page: 2, pageSize: 50 }],
  ])('outbox query %j', (query, parsed) => {
    expect(parseOutboxQuery(query)).toEqual(parsed);
  });

  it.each([
    [{ status: 'lost' }, 'invalid_input'],
    [{ status: ['failed', 'sent'] }, 'invalid_input'],
    [{ template: 'reply' }, 'invalid_input'],
    [{ from: '2026-02-30' }, 'invalid_input'],
    [{ from: '2026-12-02', to: '2026-12-01' }, 'inverted_range'],
    [{ pageSize: '101' }, 'invalid_input'],
    [{ page: '0' }, 'invalid_input'],
    [{ phone: '13812341234' }, 'unknown_parameter'],
    [{ ledgerNo: 'x'.repeat(65) }, 'invalid_input'],
  ])('outbox query %j → %s', (query, code) => {
    expect(codeOf(() => parseOutboxQuery(query as Record<string, unknown>))).toBe(code);
  });

  it('only a role that sees full phones may search the opt-out list by phone, and by the whole number', () => {
    expect(parseOptOutQuery({ phone: '138 1234 1234' }, true)).toEqual({ phone: '13812341234', page: 1, pageSize: 20 });
    expect(codeOf(() => parseOptOutQuery({ phone: '13812341234' }, false))).toBe('hidden_field_query');
    expect(codeOf(() => parseOptOutQuery({ phone: '1381234' }, true))).toBe('invalid_phone');
    expect(parseOptOutQuery({}, false)).toEqual({ phone: null, page: 1, pageSize: 20 });
  });

  it.each([
    ['13812341234', '13812341234'],
    ['+86 138-1234-1234', '13812341234'],
    ['０５７１－８８００１２３４', 'invalid_phone'],
    ['12345', 'invalid_phone'],
    [13812341234, 'invalid_phone'],
  ])('mobile %s → %s', (input, out) => {
    const code = codeOf(() => parseMobile(input));
    expect(code ?? parseMobile(input)).toBe(out);
  });

  it.each([
    ['已电话核实群众收到短信', null],
    [' 好 ', 'missing_reason'],
    ['', 'missing_reason'],
    [42, 'missing_reason'],
    ['x'.repeat(501), 'missing_reason'],
    ['群众来电 13812341234 要求重发', 'reason_personal_data'],
    ['身份证 110101199003077777 核实', 'reason_personal_data'],
  ])('reason %s → %s', (reason, code) => {
    expect(codeOf(() => parseReason(reason))).toBe(code);
  });

  it('a decision needs one of the three and a reason', () => {
    expect(parseDecisionInput({ decision: 'mark_sent', reason: '服务商后台可查到该条' })).toEqual({ decision: 'mark_sent', reason: '服务商后台可查到该条' });
    expect(codeOf(() => parseDecisionInput({ decision: 'delete', reason: '服务商后台可查到' }))).toBe('invalid_decision');
    expect(codeOf(() => parseDecisionInput({ decision: 'resend' }))).toBe('missing_reason');
    expect(codeOf(() => parseDecisionInput([1]))).toBe('invalid_body');
    expect(codeOf(() => parseDecisionInput('resend'))).toBe('invalid_body');
  });

  it('a return visit records one of the three answers and an optional comment', () => {
    expect(parseReturnVisitInput({ answer: 'basically_satisfied', comment: ' 路灯已修好 ' })).toEqual({ answer: 'basically_satisfied', comment: '路灯已修好' });
    expect(parseReturnVisitInput({ answer: 'satisfied' })).toEqual({ answer: 'satisfied', comment: null });
    expect(codeOf(() => parseReturnVisitInput({ answer: '满意' }))).toBe('invalid_answer');
    expect(codeOf(() => parseReturnVisitInput({ answer: 'satisfied', comment: 5 }))).toBe('invalid_input');
    expect(codeOf(() => parseReturnVisitInput({ answer: 'satisfied', comment: 'x'.repeat(1001) }))).toBe('invalid_input');
  });
});
