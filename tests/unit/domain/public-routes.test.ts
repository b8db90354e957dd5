/**
 * The pure parts of the public routes: what a Twilio webhook body must carry, which status
 * reports are recorded, the URL Twilio signs, what Aliyun's pushes must carry, the options a reply
 * that is no answer gets, the survey form, the page's escaping and headers, and the survey token
 * and the push secret taken out of log lines.
 */
import { EMPTY_TWIML, readAliyunReports, readAliyunUplinks, readInbound, readStatusCallback, signedUrl, twimlMessage } from '../../../plugins/complaints/server/src/domain/sms-webhook';
import { replyOptionsText } from '../../../plugins/complaints/server/src/domain/survey-reply';
import { usedParams } from '../../../plugins/complaints/server/src/domain/sms-templates';
import { NOTICE_STATUS, escapeHtml, pageHeaders, readSurveyForm, renderNotice, renderSurveyForm } from '../../../plugins/complaints/server/src/domain/survey-page';
import { redact } from '../../../plugins/complaints/server/src/domain/redact';

const SID = `SM${'0a'.repeat(16)}`;

describe('readInbound', () => {
  it.each([
    [{ From: '+8613900001111', Body: '1', MessageSid: SID }, { ok: true, value: { from: '+8613900001111', text: '1', messageSid: SID } }],
    [{ From: '+8613900001111', MessageSid: SID }, { ok: true, value: { from: '+8613900001111', text: '', messageSid: SID } }],
    [{ From: '+8613900001111', Body: '1' }, { ok: false, field: 'MessageSid' }],
    [{ From: '+8613900001111', Body: '1', MessageSid: 'SM123' }, { ok: false, field: 'MessageSid' }],
    [{ From: ['+8613900001111'], Body: '1', MessageSid: SID }, { ok: false, field: 'From' }],
    [{ From: '+8613900001111', Body: { a: 1 }, MessageSid: SID }, { ok: false, field: 'Body' }],
    [{ From: '+8613900001111', Body: 'x'.repeat(1601), MessageSid: SID }, { ok: false, field: 'Body' }],
    [[1, 2], { ok: false, field: 'body' }],
    [null, { ok: false, field: 'body' }],
  ])('%j → %j', (body, expected) => {
    expect(readInbound(body)).toEqual(expected);
  });
});

describe('readStatusCallback', () => {
  it.each([
    ['delivered', 'delivered'],
    ['DELIVERED', 'delivered'],
    ['sent', 'sent'],
    ['undelivered', 'undelivered'],
    ['failed', 'failed'],
    ['queued', null],
    ['sending', null],
    ['accepted', null],
  ])('MessageStatus %s → %s', (status, expected) => {
    expect(readStatusCallback({ MessageSid: SID, MessageStatus: status })).toEqual({ ok: true, value: { messageSid: SID, status: expected } });
  });

  it('refuses an unknown status and a missing id', () => {
    expect(readStatusCallback({ MessageSid: SID, MessageStatus: 'exploded' })).toEqual({ ok: false, field: 'MessageStatus' });
    expect(readStatusCallback({ MessageStatus: 'delivered' })).toEqual({ ok: false, field: 'MessageSid' });
  });
});

describe('signedUrl', () => {
  it('joins the public base (with a proxy prefix) and the path and query as received', () => {
    expect(signedUrl('https://minyi.example.gov.cn/', '/webhooks/twilio/inbound')).toBe('https://minyi.example.gov.cn/webhooks/twilio/inbound');
    expect(signedUrl('https://gov.example/minyi', '/webhooks/twilio/status?x=1')).toBe('https://gov.example/minyi/webhooks/twilio/status?x=1');
  });

  it('answers Twilio with an empty Response', () => {
    expect(EMPTY_TWIML).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });
});

describe('readSurveyForm', () => {
  it.each([
    [{ answer: 'satisfied' }, { answer: 'satisfied', comment: null }],
    [{ answer: 'dissatisfied', comment: '  还没修好 ' }, { answer: 'dissatisfied', comment: '还没修好' }],
    [{ answer: 'basically_satisfied', comment: '   ' }, { answer: 'basically_satisfied', comment: null }],
    [{ answer: 'satisfied', comment: '好'.repeat(1000) }, { answer: 'satisfied', comment: '好'.repeat(1000) }],
    [{ answer: 'satisfied', comment: '好'.repeat(1001) }, null],
    [{ answer: 'satisfied', comment: ['a'] }, null],
    [{ answer: '满意' }, null],
    [{ answer: ['satisfied'] }, null],
    [{}, null],
    ['answer=satisfied', null],
  ])('%j → %j', (body, expected) => {
    expect(readSurveyForm(body)).toEqual(expected);
  });
});

describe('the page', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('puts the nonce on its one style and in the CSP, and nothing that loads', () => {
    const html = renderSurveyForm({ ledgerNo: 'MY-1', categoryName: null, closedOn: '2026-12-01', csrf: 'abc' }, 'N0nce==');
    expect(html).toContain('<style nonce="N0nce==">');
    expect(html).toContain('<dd>—</dd>');
    expect(html).not.toMatch(/<script|<link|<img|src=/);
    expect(pageHeaders('N0nce==')['Content-Security-Policy']).toBe("default-src 'none'; style-src 'nonce-N0nce=='; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  });

  it('has a status per notice, Chinese before English', () => {
    expect(NOTICE_STATUS).toEqual({ thanks: 200, unknown: 404, expired: 410, superseded: 410, answered: 409, forbidden: 403, invalid: 400 });
    const html = renderNotice('answered', 'n');
    expect(html.indexOf('已评价')).toBeLessThan(html.indexOf('Already answered'));
  });
});

describe('redact: the survey token', () => {
  it.each([
    ['GET /survey/AbC_-123456789012345678901234567890 (3 ms) 200', 'GET /survey/[token] (3 ms) 200'],
    ['POST /survey/%E6%BB%A1%E6%84%8F (1 ms) 404', 'POST /survey/[token] (1 ms) 404'],
    ['GET /survey/abc?x=1 (1 ms) 404', 'GET /survey/[token]?x=1 (1 ms) 404'],
    ['https://x.gov.cn/survey/abcdef', 'https://x.gov.cn/survey/[token]'],
    ['GET /complaints/info (2 ms) 200', 'GET /complaints/info (2 ms) 200'],
  ])('%s', (line, expected) => {
    expect(redact(line)).toBe(expected);
  });
});

describe('redact: the secret of a push URL', () => {
  it.each([
    ['POST /webhooks/aliyun/push-secret-0123456789abcdefghijklmnopqrstuv/report (3 ms) 200', 'POST /webhooks/aliyun/[secret]/report (3 ms) 200'],
    ['POST /webhooks/aliyun/x/uplink?a=1 (1 ms) 403', 'POST /webhooks/aliyun/[secret]/uplink?a=1 (1 ms) 403'],
    ['POST /webhooks/twilio/inbound (2 ms) 200', 'POST /webhooks/twilio/inbound (2 ms) 200'],
  ])('%s', (line, expected) => {
    expect(redact(line)).toBe(expected);
  });
});

describe('readAliyunReports', () => {
  const item = { phone_number: '13800001111', send_time: '2026-12-02 10:00:00', report_time: '2026-12-02 10:00:03', success: true, err_code: 'DELIVERED', err_msg: '用户接收成功', sms_size: '1', biz_id: '900619746936498440^0', out_id: 'survey:1' };
  it.each([
    [[item], { ok: true, value: [{ bizId: '900619746936498440^0', status: 'delivered' }] }],
    [[{ ...item, success: false, err_code: 'MK:0001' }], { ok: true, value: [{ bizId: '900619746936498440^0', status: 'undelivered' }] }],
    [[{ ...item, success: 'true' }, { ...item, biz_id: '1^1', success: 'false' }], { ok: true, value: [{ bizId: '900619746936498440^0', status: 'delivered' }, { bizId: '1^1', status: 'undelivered' }] }],
    [item, { ok: false, field: 'body' }],
    [[], { ok: false, field: 'body' }],
    [[null], { ok: false, field: 'body' }],
    [[{ ...item, biz_id: 'a b' }], { ok: false, field: 'biz_id' }],
    [[{ ...item, biz_id: 12 }], { ok: false, field: 'biz_id' }],
    [[{ ...item, success: 1 }], { ok: false, field: 'success' }],
  ])('%j → %j', (body, expected) => {
    expect(readAliyunReports(body)).toEqual(expected);
  });
});

describe('readAliyunUplinks', () => {
  const item = { phone_number: '13800001111', send_time: '2026-12-02 10:00:00', content: '1', sign_name: '民意服务站', dest_code: '1234', sequence_id: 1234567890 };
  it.each([
    [[item], { ok: true, value: [{ phone: '13800001111', text: '1', messageId: '1234567890' }] }],
    [[{ ...item, phone_number: '+8613800001111', sequence_id: '42' }], { ok: true, value: [{ phone: '13800001111', text: '1', messageId: '42' }] }],
    [[{ ...item, content: undefined }], { ok: true, value: [{ phone: '13800001111', text: '', messageId: '1234567890' }] }],
    [[{ ...item, phone_number: '01012345678' }], { ok: false, field: 'phone_number' }],
    [[{ ...item, content: ['1'] }], { ok: false, field: 'content' }],
    [[{ ...item, sequence_id: 1.5 }], { ok: false, field: 'sequence_id' }],
    [[{ ...item, sequence_id: '' }], { ok: false, field: 'sequence_id' }],
    [{ ...item }, { ok: false, field: 'body' }],
  ])('%j → %j', (body, expected) => {
    expect(readAliyunUplinks(body)).toEqual(expected);
  });
});

describe('the options a reply that is no answer gets', () => {
  it('Chinese first, then English, in TwiML with the text escaped', () => {
    const text = replyOptionsText('某县<民意>');
    expect(text).toBe('【某县<民意>】未能识别您的回复。评价诉求办理结果请回复：1 满意，2 基本满意，3 不满意；回复 TD 退订。Reply 1 satisfied, 2 basically satisfied, 3 dissatisfied; STOP to opt out.');
    expect(twimlMessage(text)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>【某县&lt;民意&gt;】未能识别您的回复。评价诉求办理结果请回复：1 满意，2 基本满意，3 不满意；回复 TD 退订。Reply 1 satisfied, 2 basically satisfied, 3 dissatisfied; STOP to opt out.</Message></Response>'
    );
  });
});

describe('usedParams: what a template provider is sent', () => {
  const params = { county: '民意服务站', ledgerNo: 'L-1', surveyUrl: 'https://m.example.cn/survey/t' };
  it.each([
    ['closed_survey', 'link', {}, { county: '民意服务站', ledgerNo: 'L-1', surveyUrl: 'https://m.example.cn/survey/t' }],
    // A reply survey's parameters hold no link (and so no token).
    ['closed_survey', 'reply', {}, { county: '民意服务站', ledgerNo: 'L-1' }],
    ['closed_survey', 'reply', { 'closed_survey.reply': '{ledgerNo} 请回复' }, { ledgerNo: 'L-1' }],
  ] as const)('%s.%s with %j', (template, variant, overrides, expected) => {
    expect(usedParams(template, variant, params, overrides)).toEqual(expected);
  });
});
