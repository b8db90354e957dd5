/**
 * The pure parts of the public routes: what a Twilio webhook body must carry, which status
 * reports are recorded, the URL Twilio signs, the survey form, the page's escaping and headers,
 * and the survey token taken out of log lines.
 */
import { EMPTY_TWIML, readInbound, readStatusCallback, signedUrl } from '../../../plugins/complaints/server/src/domain/sms-webhook';
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
