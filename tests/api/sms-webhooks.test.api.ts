/**
 * Twilio's webhooks over HTTP: inbound replies and status callbacks are accepted only with a
 * valid X-Twilio-Signature over the configured public URL (a proxy in front: not the host the
 * request arrives on). A forged, missing or misplaced signature gets 403 and changes nothing;
 * the same request correctly signed is accepted. A replayed reply counts once, and repeated or
 * out-of-order status callbacks never move a message backwards. With the console provider both
 * routes answer 404. No log line holds the phone or the reply's text.
 */
import { withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { INBOUND, STATUS, TWILIO_TOKEN, inbound, messageSid, sign, twilioPost, useConsole, useTwilio } from '../helpers/public-routes';

let app: TestApp;
let w: World;
let fake: FakeTwilio;
withWorld((started) => ({ app, w } = started), { captureLog: true });

beforeAll(async () => {
  fake = await startFakeTwilio();
  useTwilio(app.strapi, fake);
});
afterAll(async () => {
  await fake?.close();
});

const knex = () => app.strapi.db.connection;
const surveys = () => app.strapi.plugin('complaints').service('surveys');
const sms = () => app.strapi.plugin('complaints').service('sms');
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** A closed complaint of this phone with its reply survey open (Twilio, mainland replies allowed). */
const openSurvey = async (phone: string) => {
  const c = await w.complaint({ phone });
  await knex()('complaints').where('id', c.id).update({ state: 'closed', closed_at: new Date() });
  const [s] = await surveys().openFor([c.id]);
  expect(s.way).toBe('reply');
  return { complaint: c, surveyId: s.surveyId as number };
};
const survey = (id: number) => knex()('surveys').where('id', id).first('status', 'answer', 'answered_via', 'comment');
/** Rows of every table a webhook may write, and the state of every survey and message. */
const snapshot = async () => {
  const n = async (t: string) => Number((await knex()(t).count({ n: '*' }))[0].n);
  return {
    counts: { sms: await n('sms_messages'), surveys: await n('surveys'), events: await n('complaint_events'), optOuts: await n('sms_opt_outs') },
    surveys: await knex()('surveys').orderBy('id').select('id', 'status', 'answer'),
    messages: await knex()('sms_messages').orderBy('id').select('id', 'status'),
  };
};

describe('inbound replies', () => {
  it('a reply signed over the public URL answers the survey; Twilio gets empty TwiML', async () => {
    const { surveyId } = await openSurvey('13922220001');
    const before = await snapshot();
    const res = await twilioPost(app.strapi, INBOUND, inbound('+8613922220001', '1 处理及时，谢谢'));
    expect([res.status, res.headers['content-type'], res.text]).toEqual([200, 'text/xml; charset=utf-8', EMPTY_TWIML]);
    expect(await survey(surveyId)).toEqual({ status: 'answered', answer: 'satisfied', answered_via: 'sms_reply', comment: '处理及时，谢谢' });
    const after = await snapshot();
    // One inbound row and one event, the answer.
    expect([after.counts.sms - before.counts.sms, after.counts.events - before.counts.events]).toEqual([1, 1]);
    const row = await knex()('sms_messages').where({ direction: 'inbound', phone: '13922220001' }).first('status', 'provider', 'body');
    expect(row).toEqual({ status: 'received', provider: 'twilio', body: '1 处理及时，谢谢' });
  });

  it('a forged, missing or misplaced signature gets 403 and changes nothing; the same request correctly signed is accepted', async () => {
    const { surveyId } = await openSurvey('13922220002');
    const params = inbound('+8613922220002', '3 一直没人来修');
    const before = await snapshot();
    const refused: Array<[string, string | null, Record<string, string>]> = [
      ['signed with another auth token', sign(INBOUND, params, { token: `${TWILIO_TOKEN}x` }), params],
      ['no signature header', null, params],
      ['an empty signature', '', params],
      ['a made-up signature', 'dGhpcyBpcyBub3QgYSBzaWduYXR1cmU=', params],
      // What a proxy would hide: the URL the request arrived on is not the one Twilio signs.
      ['signed over the local host instead of the public URL', sign(INBOUND, params, { base: 'http://127.0.0.1:1337' }), params],
      ['signed over the status route', sign(STATUS, params), params],
      ['the body changed after signing', sign(INBOUND, params), { ...params, Body: '1' }],
      ['the phone changed after signing', sign(INBOUND, params), { ...params, From: '+8613922220001' }],
    ];
    for (const [what, signature, body] of refused) {
      const res = await twilioPost(app.strapi, INBOUND, body, signature);
      expect([what, res.status, res.body?.error?.message]).toEqual([what, 403, '签名无效 / The request signature does not match']);
    }
    expect(await snapshot()).toEqual(before);
    expect((await survey(surveyId)).status).toBe('open');

    const ok = await twilioPost(app.strapi, INBOUND, params);
    expect([ok.status, ok.text]).toEqual([200, EMPTY_TWIML]);
    expect(await survey(surveyId)).toMatchObject({ status: 'answered', answer: 'dissatisfied' });
    // The Guangzhou rule follows from the service: a reopen request for the lead unit.
    expect((await knex()('surveys').where('id', surveyId).first('reopen_request')).reopen_request).toBe('pending');
  });

  it('a replayed MessageSid (Twilio retries) is counted once, even with another text', async () => {
    const { surveyId } = await openSurvey('13922220003');
    const sid = messageSid();
    const first = await twilioPost(app.strapi, INBOUND, inbound('+8613922220003', '2', sid));
    expect(first.status).toBe(200);
    const before = await snapshot();
    for (const text of ['2', '3 不满意']) {
      const again = await twilioPost(app.strapi, INBOUND, inbound('+8613922220003', text, sid));
      expect([again.status, again.text]).toEqual([200, EMPTY_TWIML]);
    }
    expect(await snapshot()).toEqual(before);
    expect(await survey(surveyId)).toMatchObject({ status: 'answered', answer: 'basically_satisfied' });
    expect(Number((await knex()('sms_messages').where({ direction: 'inbound', phone: '13922220003' }).count({ n: '*' }))[0].n)).toBe(1);
  });

  it('STOP opts the number out and START back in; text that is no answer leaves the survey open', async () => {
    const { surveyId } = await openSurvey('13922220004');
    expect((await twilioPost(app.strapi, INBOUND, inbound('+8613922220004', '你们是哪个部门？'))).status).toBe(200);
    expect((await survey(surveyId)).status).toBe('open');
    expect((await twilioPost(app.strapi, INBOUND, inbound('+8613922220004', 'STOP'))).status).toBe(200);
    expect(await knex()('sms_opt_outs').where('phone', '13922220004').first('source')).toEqual({ source: 'sms_reply' });
    expect((await twilioPost(app.strapi, INBOUND, inbound('+8613922220004', 'START'))).status).toBe(200);
    expect(await knex()('sms_opt_outs').where('phone', '13922220004').first()).toBeUndefined();
  });

  it('text that is no answer gets the options back (Chinese, then English) and changes no survey; a replay of it gets nothing', async () => {
    const { surveyId } = await openSurvey('13922220006');
    const before = await snapshot();
    const params = inbound('+8613922220006', '修好了吗？');
    const res = await twilioPost(app.strapi, INBOUND, params);
    expect([res.status, res.headers['content-type'], res.text]).toEqual([
      200,
      'text/xml; charset=utf-8',
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message>【民意服务站】未能识别您的回复。评价诉求办理结果请回复：1 满意，2 基本满意，3 不满意；回复 TD 退订。' +
        'Reply 1 satisfied, 2 basically satisfied, 3 dissatisfied; STOP to opt out.</Message></Response>',
    ]);
    const after = await snapshot();
    // The reply is kept in the inbox; no survey, event or opt-out changed.
    expect(after.counts).toEqual({ ...before.counts, sms: before.counts.sms + 1 });
    expect(after.surveys).toEqual(before.surveys);
    expect(await survey(surveyId)).toMatchObject({ status: 'open', answer: null });
    // Twilio retrying the same message: answered once already, nothing more.
    const again = await twilioPost(app.strapi, INBOUND, params);
    expect([again.status, again.text]).toEqual([200, EMPTY_TWIML]);
    expect((await snapshot()).counts).toEqual(after.counts);
  });

  it('STOP, 退订, START and a recognised answer get empty TwiML, never the options', async () => {
    const { surveyId } = await openSurvey('13922220007');
    for (const text of ['STOP', '退订', 'START', '满意']) {
      const res = await twilioPost(app.strapi, INBOUND, inbound('+8613922220007', text));
      expect([text, res.status, res.text]).toEqual([text, 200, EMPTY_TWIML]);
    }
    expect(await survey(surveyId)).toMatchObject({ status: 'answered', answer: 'satisfied' });
  });

  it('a correctly signed body without a valid MessageSid, From or Body gets 400 and changes nothing', async () => {
    await openSurvey('13922220005');
    const good = inbound('+8613922220005', '1');
    const before = await snapshot();
    const bad: Array<[string, Record<string, string>]> = [
      ['no MessageSid', { From: good.From, Body: '1' }],
      ['a MessageSid of another shape', { ...good, MessageSid: 'not-a-sid' }],
      ['no From', { Body: '1', MessageSid: good.MessageSid }],
      ['a 40-character From', { ...good, From: '1'.repeat(40) }],
      ['a 2,000-character Body', { ...good, Body: '满'.repeat(2000) }],
    ];
    for (const [what, body] of bad) {
      const res = await twilioPost(app.strapi, INBOUND, body);
      expect([what, res.status, typeof res.body?.error?.message]).toEqual([what, 400, 'string']);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('status callbacks', () => {
  /** A closed notice sent through the fake Twilio API: its row is `sent` with Twilio's sid. */
  const sentMessage = async (phone: string) => {
    const { surveyId } = await openSurvey(phone);
    // A day ahead: past any quiet hours the message was queued into.
    const result = await sms().pump({ now: new Date(Date.now() + 86_400_000) });
    expect(result.sent).toBeGreaterThanOrEqual(1);
    const m = await knex()('sms_messages').where('idempotency_key', `survey:${surveyId}`).first('id', 'status', 'provider_message_id');
    expect(m.status).toBe('sent');
    expect(m.provider_message_id).toMatch(/^SM\d{32}$/);
    return { id: m.id as number, sid: m.provider_message_id as string };
  };
  const statusOf = async (id: number) => (await knex()('sms_messages').where('id', id).first('status')).status;
  const report = (sid: string, status: string) => twilioPost(app.strapi, STATUS, { MessageSid: sid, MessageStatus: status, AccountSid: 'AC'.padEnd(34, '0'), ApiVersion: '2010-04-01' });

  it('moves a message forward only: repeats and late reports never move it back', async () => {
    const m = await sentMessage('13922220011');
    for (const [reported, expected] of [
      ['sending', 'sent'],
      ['delivered', 'delivered'],
      ['delivered', 'delivered'],
      ['sent', 'delivered'],
      ['undelivered', 'delivered'],
      ['queued', 'delivered'],
    ]) {
      const res = await report(m.sid, reported);
      expect([reported, res.status, res.text, await statusOf(m.id)]).toEqual([reported, 200, EMPTY_TWIML, expected]);
    }
  });

  it('out of order: a failure reported before `sent` stays a failure', async () => {
    const m = await sentMessage('13922220012');
    expect((await report(m.sid, 'undelivered')).status).toBe(200);
    expect((await report(m.sid, 'sent')).status).toBe(200);
    expect(await statusOf(m.id)).toBe('undelivered');
  });

  it('a forged report gets 403 and changes nothing; a report on an unknown message changes nothing', async () => {
    const m = await sentMessage('13922220013');
    const before = await snapshot();
    const params = { MessageSid: m.sid, MessageStatus: 'failed' };
    for (const signature of [null, sign(STATUS, params, { token: 'wrong' }), sign(INBOUND, params), sign(STATUS, { ...params, MessageStatus: 'delivered' })]) {
      const res = await twilioPost(app.strapi, STATUS, params, signature);
      expect(res.status).toBe(403);
    }
    const unknown = await report(messageSid(), 'delivered');
    expect(unknown.status).toBe(200);
    expect(await snapshot()).toEqual(before);
    // Positive control: the same report, correctly signed.
    expect((await twilioPost(app.strapi, STATUS, params)).status).toBe(200);
    expect(await statusOf(m.id)).toBe('failed');
  });

  it('a correctly signed report without a valid MessageSid or MessageStatus gets 400', async () => {
    const m = await sentMessage('13922220014');
    const before = await snapshot();
    for (const body of [{ MessageStatus: 'delivered' }, { MessageSid: m.sid }, { MessageSid: m.sid, MessageStatus: 'exploded' }, { MessageSid: 'x', MessageStatus: 'delivered' }]) {
      const res = await twilioPost(app.strapi, STATUS, body as Record<string, string>);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('the log', () => {
  it('holds no phone and no reply text from the calls above; refusals are logged', () => {
    const all = app.logLines.join('\n');
    expect(all).toContain('twilio inbound webhook refused');
    for (const secret of ['13922220001', '8613922220001', '13922220002', '处理及时', '一直没人来修', TWILIO_TOKEN]) expect([secret, all.includes(secret)]).toEqual([secret, false]);
  });
});

describe('with the console provider', () => {
  it('both webhook routes answer 404, however they are signed, and change nothing', async () => {
    useConsole(app.strapi);
    const before = await snapshot();
    const params = inbound('+8613922220021', '1');
    for (const path of [INBOUND, STATUS]) {
      for (const signature of [sign(path, params), null]) {
        const res = await twilioPost(app.strapi, path, params, signature);
        expect([path, res.status]).toEqual([path, 404]);
      }
    }
    expect(await snapshot()).toEqual(before);
  });
});
