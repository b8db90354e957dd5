/**
 * Alibaba Cloud SMS end to end, against a local imitation of its API: a closed complaint's survey
 * goes out as SendSms with the approved template and its parameters; a message left in `sending`
 * by a crash is reconciled through QuerySendDetails. Aliyun's two HTTP pushes (delivery reports
 * and uplink replies) are accepted only on the path holding the configured secret: a wrong,
 * missing or other secret gets 403 and changes nothing, the same push on the right path is
 * accepted. Reports only move a message forward; a replayed uplink counts once. With another
 * provider both routes answer 404. No log line holds the phone, the reply's text or the secret.
 */
import supertest from 'supertest';
import { withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';
import { startFakeAliyun, type FakeAliyun } from '../helpers/fake-aliyun';
import { ALIYUN_SECRET, aliyunPost, report, uplink, useAliyun, useConsole } from '../helpers/public-routes';

let app: TestApp;
let w: World;
let fake: FakeAliyun;
withWorld((started) => ({ app, w } = started), { captureLog: true });

beforeAll(async () => {
  fake = await startFakeAliyun();
  useAliyun(app.strapi, fake);
});
afterAll(async () => {
  await fake?.close();
});

const knex = () => app.strapi.db.connection;
const surveys = () => app.strapi.plugin('complaints').service('surveys');
const sms = () => app.strapi.plugin('complaints').service('sms');
const ACK = { code: 0, msg: '成功' };
const FORBIDDEN = '推送密钥无效 / The push secret does not match';
const TOMORROW = () => new Date(Date.now() + 86_400_000);

/** A closed complaint of this phone with its reply survey open (Aliyun with the uplink configured). */
const openSurvey = async (phone: string) => {
  const c = await w.complaint({ phone });
  await knex()('complaints').where('id', c.id).update({ state: 'closed', closed_at: new Date() });
  const [s] = await surveys().openFor([c.id]);
  expect(s.way).toBe('reply');
  return { complaint: c, surveyId: s.surveyId as number };
};
const survey = (id: number) => knex()('surveys').where('id', id).first('status', 'answer', 'answered_via', 'comment');
const messageOf = (surveyId: number) => knex()('sms_messages').where('idempotency_key', `survey:${surveyId}`).first('id', 'status', 'provider_message_id', 'last_error');
const snapshot = async () => {
  const n = async (t: string) => Number((await knex()(t).count({ n: '*' }))[0].n);
  return {
    counts: { sms: await n('sms_messages'), surveys: await n('surveys'), events: await n('complaint_events'), optOuts: await n('sms_opt_outs') },
    surveys: await knex()('surveys').orderBy('id').select('id', 'status', 'answer'),
    messages: await knex()('sms_messages').orderBy('id').select('id', 'status'),
  };
};

describe('sending through SendSms', () => {
  it('a closed notice goes out as the reply-survey template with its parameters; the row keeps Aliyun BizId', async () => {
    const { complaint, surveyId } = await openSurvey('13933330001');
    const before = fake.requests.length;
    const result = await sms().pump({ now: TOMORROW() });
    expect(result.sent).toBe(1);
    const sends = fake.requests.slice(before).filter((r) => r.action === 'SendSms');
    expect(sends.map((r) => [r.query.get('PhoneNumbers'), r.query.get('SignName'), r.query.get('TemplateCode'), r.query.get('TemplateParam'), r.query.get('OutId')])).toEqual([
      ['13933330001', '民意服务站', 'SMS_200000004', JSON.stringify({ ledgerNo: complaint.ledgerNo }), `survey:${surveyId}`],
    ]);
    const m = await messageOf(surveyId);
    expect([m.status, m.provider_message_id]).toEqual(['sent', fake.stored[fake.stored.length - 1].bizId]);
  });

  it('a message left in `sending` by a crash is reconciled: accepted → sent without a second SendSms; never accepted → queued again', async () => {
    const accepted = await openSurvey('13933330002');
    await sms().pump({ now: TOMORROW() });
    const sendsBefore = fake.stored.length;
    // The pump died after Aliyun accepted and before the commit: the row is still `sending`.
    const m = await messageOf(accepted.surveyId);
    await knex()('sms_messages').where('id', m.id).update({ status: 'sending', provider_message_id: null, sending_at: new Date(Date.now() - 5 * 60_000) });
    // And one that never reached Aliyun.
    const lost = await openSurvey('13933330003');
    const l = await messageOf(lost.surveyId);
    await knex()('sms_messages').where('id', l.id).update({ status: 'sending', attempts: 1, sending_at: new Date(Date.now() - 5 * 60_000) });

    const out = await sms().reconcile({ now: new Date() });
    expect(out).toEqual({ sent: 1, requeued: 1, uncertain: 0 });
    expect(await messageOf(accepted.surveyId)).toMatchObject({ status: 'sent', last_error: 'reconciled' });
    expect(await messageOf(lost.surveyId)).toMatchObject({ status: 'queued', last_error: 'reconciled: not accepted by the provider' });
    expect(fake.stored.length).toBe(sendsBefore);
    const asked = fake.requests.filter((r) => r.action === 'QuerySendDetails').map((r) => r.query.get('PhoneNumber'));
    expect(asked).toEqual(expect.arrayContaining(['13933330002', '13933330003']));
  });

  it('a refused query leaves the message uncertain, for a person to decide', async () => {
    const s = await openSurvey('13933330004');
    const m = await messageOf(s.surveyId);
    await knex()('sms_messages').where('id', m.id).update({ status: 'sending', attempts: 1, sending_at: new Date(Date.now() - 5 * 60_000) });
    fake.failNextQuery(503, { Code: 'ServiceUnavailable', Message: 'down', RequestId: 'r' });
    expect(await sms().reconcile({ now: new Date() })).toEqual({ sent: 0, requeued: 0, uncertain: 1 });
    expect(await messageOf(s.surveyId)).toMatchObject({ status: 'uncertain', last_error: 'reconcile: Aliyun answered 503' });
  });
});

describe('delivery report push', () => {
  const sentMessage = async (phone: string) => {
    const { surveyId } = await openSurvey(phone);
    await sms().pump({ now: TOMORROW() });
    const m = await messageOf(surveyId);
    expect(m.status).toBe('sent');
    return { id: m.id as number, bizId: m.provider_message_id as string };
  };
  const statusOf = async (id: number) => (await knex()('sms_messages').where('id', id).first('status')).status;

  it('moves a message forward only; several reports in one push; an unknown BizId changes nothing', async () => {
    const a = await sentMessage('13933330011');
    const b = await sentMessage('13933330012');
    const res = await aliyunPost(app.strapi, 'report', [report(a.bizId, true), report(b.bizId, false), report('999999999999^0', true)]);
    expect([res.status, res.body]).toEqual([200, ACK]);
    expect([await statusOf(a.id), await statusOf(b.id)]).toEqual(['delivered', 'undelivered']);
    // Aliyun pushes again when unsure of our answer: a repeat and a contrary late report change nothing.
    for (const again of [[report(a.bizId, true)], [report(a.bizId, false)], [report(b.bizId, true)]]) {
      const r = await aliyunPost(app.strapi, 'report', again);
      expect([r.status, r.body]).toEqual([200, ACK]);
    }
    expect([await statusOf(a.id), await statusOf(b.id)]).toEqual(['delivered', 'undelivered']);
  });

  it('a wrong, truncated or missing secret gets 403 and changes nothing; the same push on the right path is accepted', async () => {
    const m = await sentMessage('13933330013');
    const push = [report(m.bizId, true)];
    const before = await snapshot();
    for (const secret of [`${ALIYUN_SECRET}x`, ALIYUN_SECRET.slice(0, -1), ALIYUN_SECRET.toUpperCase(), 'x'.repeat(40), '%20']) {
      const res = await aliyunPost(app.strapi, 'report', push, secret);
      expect([secret, res.status, res.body?.error?.message]).toEqual([secret, 403, FORBIDDEN]);
    }
    // No secret at all: no such route (Strapi's catch-all GET route makes it a 405).
    const none = await supertest(app.strapi.server.httpServer).post('/webhooks/aliyun/report').send(push);
    expect(none.status).toBe(405);
    expect(await snapshot()).toEqual(before);
    expect(await statusOf(m.id)).toBe('sent');

    const ok = await aliyunPost(app.strapi, 'report', push);
    expect([ok.status, ok.body]).toEqual([200, ACK]);
    expect(await statusOf(m.id)).toBe('delivered');
  });

  it('a push of the wrong shape on the right path gets 400 and changes nothing, not even its good items', async () => {
    const m = await sentMessage('13933330014');
    const before = await snapshot();
    const bad: Array<[string, unknown]> = [
      ['an object, not an array', report(m.bizId, true)],
      ['an empty array', []],
      ['no biz_id', [{ ...report(m.bizId, true), biz_id: undefined }]],
      ['a biz_id of another shape', [{ ...report(m.bizId, true), biz_id: 'x y' }]],
      ['success not a boolean', [{ ...report(m.bizId, true), success: 'yes' }]],
      ['a good item and a bad one', [report(m.bizId, true), { biz_id: m.bizId }]],
      ['501 items', Array.from({ length: 501 }, () => report(m.bizId, true))],
      ['an array of scalars', [1, 2]],
    ];
    for (const [what, body] of bad) {
      const res = await aliyunPost(app.strapi, 'report', body);
      expect([what, res.status, typeof res.body?.error?.message]).toEqual([what, 400, 'string']);
    }
    expect(await snapshot()).toEqual(before);
    expect(await statusOf(m.id)).toBe('sent');
  });
});

describe('uplink push (replies)', () => {
  it('a reply answers the survey; Aliyun gets its acknowledgement', async () => {
    const { surveyId } = await openSurvey('13933330021');
    const before = await snapshot();
    const res = await aliyunPost(app.strapi, 'uplink', [uplink('13933330021', '2 基本解决了')]);
    expect([res.status, res.body]).toEqual([200, ACK]);
    expect(await survey(surveyId)).toEqual({ status: 'answered', answer: 'basically_satisfied', answered_via: 'sms_reply', comment: '基本解决了' });
    const after = await snapshot();
    expect([after.counts.sms - before.counts.sms, after.counts.events - before.counts.events]).toEqual([1, 1]);
    expect(await knex()('sms_messages').where({ direction: 'inbound', phone: '13933330021' }).first('status', 'provider', 'body')).toEqual({ status: 'received', provider: 'aliyun', body: '2 基本解决了' });
  });

  it('a phone pushed with 86 in front is the same citizen', async () => {
    const { surveyId } = await openSurvey('13933330022');
    expect((await aliyunPost(app.strapi, 'uplink', [uplink('8613933330022', '满意')])).status).toBe(200);
    expect(await survey(surveyId)).toMatchObject({ status: 'answered', answer: 'satisfied' });
  });

  it('a forged push gets 403 and changes nothing; the same push on the right path is accepted', async () => {
    const { surveyId } = await openSurvey('13933330023');
    const push = [uplink('13933330023', '3 没人来修')];
    const before = await snapshot();
    for (const secret of [`${ALIYUN_SECRET}0`, ALIYUN_SECRET.slice(1), 'a'.repeat(ALIYUN_SECRET.length)]) {
      const res = await aliyunPost(app.strapi, 'uplink', push, secret);
      expect([secret, res.status, res.body?.error?.message]).toEqual([secret, 403, FORBIDDEN]);
    }
    expect(await snapshot()).toEqual(before);
    expect((await survey(surveyId)).status).toBe('open');
    const ok = await aliyunPost(app.strapi, 'uplink', push);
    expect([ok.status, ok.body]).toEqual([200, ACK]);
    expect(await survey(surveyId)).toMatchObject({ status: 'answered', answer: 'dissatisfied' });
    expect((await knex()('surveys').where('id', surveyId).first('reopen_request')).reopen_request).toBe('pending');
  });

  it('a replayed sequence_id is counted once, even with another text', async () => {
    const { surveyId } = await openSurvey('13933330024');
    const first = uplink('13933330024', '1');
    expect((await aliyunPost(app.strapi, 'uplink', [first])).status).toBe(200);
    const before = await snapshot();
    for (const content of ['1', '3 不满意']) {
      const again = await aliyunPost(app.strapi, 'uplink', [{ ...first, content }]);
      expect([again.status, again.body]).toEqual([200, ACK]);
    }
    expect(await snapshot()).toEqual(before);
    expect(await survey(surveyId)).toMatchObject({ status: 'answered', answer: 'satisfied' });
    expect(Number((await knex()('sms_messages').where({ direction: 'inbound', phone: '13933330024' }).count({ n: '*' }))[0].n)).toBe(1);
  });

  it('TD opts the number out and START back in; text that is no answer leaves the survey open', async () => {
    const { surveyId } = await openSurvey('13933330025');
    expect((await aliyunPost(app.strapi, 'uplink', [uplink('13933330025', '请问是谁？')])).status).toBe(200);
    expect((await survey(surveyId)).status).toBe('open');
    expect((await aliyunPost(app.strapi, 'uplink', [uplink('13933330025', 'TD')])).status).toBe(200);
    expect(await knex()('sms_opt_outs').where('phone', '13933330025').first('source')).toEqual({ source: 'sms_reply' });
    expect((await aliyunPost(app.strapi, 'uplink', [uplink('13933330025', 'START')])).status).toBe(200);
    expect(await knex()('sms_opt_outs').where('phone', '13933330025').first()).toBeUndefined();
  });

  it('an uplink of the wrong shape on the right path gets 400 and changes nothing', async () => {
    await openSurvey('13933330026');
    const good = uplink('13933330026', '1');
    const before = await snapshot();
    const bad: Array<[string, unknown]> = [
      ['no phone_number', [{ ...good, phone_number: undefined }]],
      ['a landline', [{ ...good, phone_number: '01012345678' }]],
      ['no sequence_id', [{ ...good, sequence_id: undefined }]],
      ['a negative sequence_id', [{ ...good, sequence_id: -1 }]],
      ['content not a string', [{ ...good, content: 1 }]],
      ['1,601 characters of content', [{ ...good, content: '满'.repeat(1601) }]],
      ['a good item and a bad one', [good, { ...good, sequence_id: 'x' }]],
    ];
    for (const [what, body] of bad) {
      const res = await aliyunPost(app.strapi, 'uplink', body);
      expect([what, res.status, typeof res.body?.error?.message]).toEqual([what, 400, 'string']);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('the log', () => {
  it('holds no phone, no reply text and no secret from the calls above; refusals are logged', () => {
    const all = app.logLines.join('\n');
    expect(all).toContain('aliyun report push refused');
    expect(all).toContain('aliyun uplink push refused');
    for (const secret of ['13933330021', '8613933330022', '13933330023', '基本解决了', '没人来修', ALIYUN_SECRET, 'api-test-access-key-secret']) {
      expect([secret, all.includes(secret)]).toEqual([secret, false]);
    }
  });
});

describe('with another provider', () => {
  it('both push routes answer 404, whatever the secret, and change nothing', async () => {
    useConsole(app.strapi);
    const before = await snapshot();
    for (const hook of ['report', 'uplink'] as const) {
      for (const secret of [ALIYUN_SECRET, 'x'.repeat(40)]) {
        const res = await aliyunPost(app.strapi, hook, hook === 'report' ? [report('1^0', true)] : [uplink('13933330031', '1')], secret);
        expect([hook, res.status]).toEqual([hook, 404]);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('Aliyun without a webhook secret (no uplink) receives nothing either: 404', async () => {
    useAliyun(app.strapi, fake, { uplink: false, webhookSecret: '' });
    const res = await aliyunPost(app.strapi, 'report', [report('1^0', true)]);
    expect(res.status).toBe(404);
    useAliyun(app.strapi, fake);
  });
});
