/**
 * The SMS outbox against a local imitation of Twilio's Messages API: messages are recorded in
 * the caller's transaction, sent at most once per key, held through quiet hours and the
 * per-number cap, retried with backoff, reconciled after a crash between the call and the commit,
 * and moved only forward by delivery reports. Two pumps at once claim disjoint messages.
 */
process.env.TZ = 'UTC';

import { setupStrapi, type TestApp } from '../helpers/strapi';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { createSmsProvider } from '../../plugins/complaints/server/src/providers/sms';

let app: TestApp;
let fake: FakeTwilio;
const SID = `AC${'0123456789abcdef'.repeat(2)}`;

beforeAll(async () => {
  app = await setupStrapi();
  fake = await startFakeTwilio();
  sms().useProvider(createSmsProvider('twilio', { accountSid: SID, authToken: 'tok', messagingServiceSid: `MG${'a'.repeat(32)}`, requestClient: fake.requestClient() }, { log: () => undefined }));
});
afterAll(async () => {
  await fake?.close();
  await app?.teardown();
});

const sms = () => app.strapi.plugin('complaints').service('sms');
const knex = () => app.strapi.db.connection;
const row = (key: string) => knex()('sms_messages').where('idempotency_key', key).first();
const creates = () => fake.requests.filter((r) => r.method === 'POST').length;
let n = 0;
const msg = (phone: string, extra: Record<string, unknown> = {}) => {
  n += 1;
  return { complaintId: null, phone, template: 'accepted_notice', body: `【某县民意服务站】您的诉求 T-${n} 已受理`, idempotencyKey: `test-${n}`, ...extra };
};
// 10:00 in Beijing on 2026-12-01: outside the quiet hours.
const DAY = new Date('2026-12-01T02:00:00Z');
const at = (minutes: number) => new Date(DAY.getTime() + minutes * 60_000);
/** Each test starts from an empty queue: what earlier tests left queued is set aside. */
const drain = async () => {
  await knex()('sms_messages').where('status', 'queued').update({ status: 'suppressed' });
};

describe('recording a message', () => {
  it('is part of the caller transaction: a rollback records nothing, a commit records one', async () => {
    const a = msg('13800000001');
    await expect(
      app.strapi.db.transaction(async () => {
        await sms().queue([a], DAY);
        throw new Error('transition failed');
      })
    ).rejects.toThrow('transition failed');
    expect(await row(a.idempotencyKey)).toBeUndefined();

    const b = msg('13800000001');
    await app.strapi.db.transaction(async () => {
      await sms().queue([b], DAY);
    });
    expect((await row(b.idempotencyKey)).status).toBe('queued');
  });

  it('is recorded once per idempotency key', async () => {
    const a = msg('13800000002');
    expect(await sms().queue([a], DAY)).toBe(1);
    expect(await sms().queue([a], DAY)).toBe(0);
    expect(Number((await knex()('sms_messages').where('idempotency_key', a.idempotencyKey).count({ c: '*' }))[0].c)).toBe(1);
  });

  it('suppresses a landline and an opted-out number, and sends again after START', async () => {
    const landline = msg('0571-88001234');
    await sms().queue([landline], DAY);
    expect(await row(landline.idempotencyKey)).toMatchObject({ status: 'suppressed', last_error: 'not_mobile' });

    await sms().optOut('138 0000 0003', 'sms_reply', DAY);
    const out = msg('13800000003');
    await sms().queue([out], DAY);
    expect(await row(out.idempotencyKey)).toMatchObject({ status: 'suppressed', last_error: 'opted_out' });

    await sms().optIn('13800000003');
    const back = msg('13800000003');
    await sms().queue([back], DAY);
    expect((await row(back.idempotencyKey)).status).toBe('queued');
  });
});

describe('the pump', () => {
  beforeEach(() => drain());

  it('sends a due message exactly once and records the provider id', async () => {
    const a = msg('13800000010');
    await sms().queue([a], DAY);
    const before = creates();
    const first = await sms().pump({ now: at(1) });
    expect(first).toMatchObject({ claimed: 1, sent: 1 });
    expect(await sms().pump({ now: at(2) })).toMatchObject({ claimed: 0, sent: 0 });
    expect(creates()).toBe(before + 1);
    const r = await row(a.idempotencyKey);
    expect(r.status).toBe('sent');
    expect(r.provider_message_id).toBe(fake.stored[fake.stored.length - 1].sid);
    expect(fake.requests[fake.requests.length - 1].form.get('To')).toBe('+8613800000010');
  });

  it('holds a message queued at 22:00 Beijing time until 08:00', async () => {
    const a = msg('13800000011');
    const tenPm = new Date('2026-12-01T14:00:00Z');
    await sms().queue([a], tenPm);
    expect(new Date((await row(a.idempotencyKey)).next_attempt_at).toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(await sms().pump({ now: new Date('2026-12-01T23:59:00Z') })).toMatchObject({ claimed: 0 });
    expect(await sms().pump({ now: new Date('2026-12-02T00:00:00Z') })).toMatchObject({ claimed: 1, sent: 1 });
  });

  it('retries a retryable failure after 1 minute, then sends', async () => {
    const a = msg('13800000012');
    await sms().queue([a], DAY);
    fake.failNext(503);
    expect(await sms().pump({ now: at(10) })).toMatchObject({ claimed: 1, retried: 1, sent: 0 });
    let r = await row(a.idempotencyKey);
    expect(r.status).toBe('queued');
    expect(Number(r.attempts)).toBe(1);
    expect(new Date(r.next_attempt_at).toISOString()).toBe(at(11).toISOString());
    expect(await sms().pump({ now: new Date(at(11).getTime() - 1000) })).toMatchObject({ claimed: 0 });
    expect(await sms().pump({ now: at(11) })).toMatchObject({ claimed: 1, sent: 1 });
    r = await row(a.idempotencyKey);
    expect(r.status).toBe('sent');
    expect(Number(r.attempts)).toBe(2);
  });

  it('fails after the configured attempts (5), and a permanent refusal at once', async () => {
    const a = msg('13800000013');
    await sms().queue([a], DAY);
    let t = at(20);
    for (let i = 0; i < 5; i += 1) {
      fake.failNext(503);
      await sms().pump({ now: t });
      t = new Date(t.getTime() + 2 * 3_600_000);
    }
    expect(await row(a.idempotencyKey)).toMatchObject({ status: 'failed' });
    expect(Number((await row(a.idempotencyKey)).attempts)).toBe(5);

    const b = msg('13800000014');
    await sms().queue([b], DAY);
    fake.failNext(400, { code: 21211, message: 'invalid To', status: 400 });
    expect(await sms().pump({ now: at(30) })).toMatchObject({ failed: 1 });
    expect((await row(b.idempotencyKey)).status).toBe('failed');
  });

  it('sends at most 3 messages to one number in 24 hours; the 4th waits', async () => {
    const list = [1, 2, 3, 4].map(() => msg('13800000015'));
    await sms().queue(list, DAY);
    const r = await sms().pump({ now: at(40) });
    expect(r).toMatchObject({ claimed: 4, sent: 3, deferred: 1 });
    const fourth = await row(list[3].idempotencyKey);
    expect(fourth.status).toBe('queued');
    expect(Number(fourth.attempts)).toBe(0);
    expect(new Date(fourth.next_attempt_at).getTime()).toBeGreaterThan(at(40).getTime() + 23 * 3_600_000);
  });
});

describe('after a crash between the claim and the commit', () => {
  beforeEach(() => drain());

  it('killed before the call: the message is found not accepted and sent exactly once', async () => {
    const a = msg('13800000020');
    await sms().queue([a], DAY);
    const before = creates();
    await expect(sms().pump({ now: at(60), beforeSend: async () => { throw new Error('process killed'); } })).rejects.toThrow('process killed');
    expect((await row(a.idempotencyKey)).status).toBe('sending');
    // Within the lease nothing happens; after it the provider is asked.
    expect(await sms().reconcile({ now: at(61) })).toEqual({ sent: 0, requeued: 0, uncertain: 0 });
    expect(await sms().reconcile({ now: at(63) })).toEqual({ sent: 0, requeued: 1, uncertain: 0 });
    expect(await sms().pump({ now: at(63) })).toMatchObject({ sent: 1 });
    expect(creates()).toBe(before + 1);
    expect((await row(a.idempotencyKey)).status).toBe('sent');
  });

  it('killed after the provider accepted: reconciled as sent, never sent twice', async () => {
    const a = msg('13800000021');
    await sms().queue([a], DAY);
    const before = creates();
    // The provider accepts, then the process dies before the row is written.
    await expect(
      sms().pump({
        now: new Date(),
        beforeSend: async () => {
          await createSmsProvider('twilio', { accountSid: SID, authToken: 'tok', messagingServiceSid: `MG${'a'.repeat(32)}`, requestClient: fake.requestClient() }, { log: () => undefined }).send({ to: '13800000021', body: a.body, idempotencyKey: a.idempotencyKey });
          throw new Error('process killed');
        },
      })
    ).rejects.toThrow('process killed');
    expect(creates()).toBe(before + 1);
    const later = new Date(Date.now() + 5 * 60_000);
    expect(await sms().reconcile({ now: later })).toEqual({ sent: 1, requeued: 0, uncertain: 0 });
    expect(await sms().pump({ now: later })).toMatchObject({ claimed: 0 });
    expect(creates()).toBe(before + 1);
    expect(await row(a.idempotencyKey)).toMatchObject({ status: 'sent', provider_message_id: fake.stored[fake.stored.length - 1].sid });
  });
});

describe('delivery reports and two pumps', () => {
  beforeEach(() => drain());

  it('moves a message forward only', async () => {
    const a = msg('13800000030');
    await sms().queue([a], DAY);
    await sms().pump({ now: at(100) });
    const sid = (await row(a.idempotencyKey)).provider_message_id;
    expect(await sms().applyReport(sid, 'delivered')).toBe('delivered');
    expect(await sms().applyReport(sid, 'sent')).toBe('delivered');
    expect(await sms().applyReport(sid, 'undelivered')).toBe('delivered');
    expect((await row(a.idempotencyKey)).status).toBe('delivered');
    expect(await sms().applyReport('SM-unknown', 'delivered')).toBeNull();
  });

  it('two pumps at once send every message exactly once', async () => {
    const list = Array.from({ length: 40 }, (_, i) => msg(`139${String(10000000 + i)}`));
    await sms().queue(list, DAY);
    const before = fake.stored.length;
    const [p1, p2] = await Promise.all([sms().pump({ now: at(200), limit: 25 }), sms().pump({ now: at(200), limit: 25 })]);
    const rest = await sms().pump({ now: at(201), limit: 100 });
    expect(p1.sent + p2.sent + rest.sent).toBe(40);
    const bodies = fake.stored.slice(before).map((s) => s.body);
    expect(bodies).toHaveLength(40);
    expect(new Set(bodies).size).toBe(40);
    expect(Number((await knex()('sms_messages').whereIn('idempotency_key', list.map((m) => m.idempotencyKey)).andWhere('status', 'sent').count({ c: '*' }))[0].c)).toBe(40);
  });
});
