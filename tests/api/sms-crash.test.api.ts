/**
 * The SMS outbox when a real pump process dies, against a local imitation of Twilio's Messages
 * API. Each pump is a process of its own (tests/helpers/sms-pump-process.ts: the built plugin,
 * its own Strapi, the Twilio provider) on this file's database, killed with SIGKILL:
 *
 * - after Twilio accepted a message and before the pump recorded it: a restarted pump finds it
 *   in Twilio's message list (filtered by To, matched by text and time) and records it as sent,
 *   or, when the list cannot be read, marks it `uncertain`; it is never sent twice;
 * - after the claim was committed and before the call: a restarted pump sends it exactly once;
 * - two pump processes at once claim disjoint messages: each one reaches Twilio once.
 *
 * Messages are counted where they arrive, at the fake server, per destination number.
 */
import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { ROOT, setupStrapi, type TestApp } from '../helpers/strapi';
import { FAKE_ACCOUNT_SID, FAKE_MESSAGING_SERVICE_SID, startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { createSmsProvider } from '../../plugins/complaints/server/src/providers/sms';

jest.setTimeout(240_000);

interface Pump {
  child: ChildProcess;
  lines: string[];
  instance: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first JSON line on stdout that has this key. */
  line: (key: string, timeoutMs?: number) => Promise<Record<string, any>>;
}

let app: TestApp;
let fake: FakeTwilio;
const running: Pump[] = [];
const childLines: string[] = [];
/** Every phone number a message of this file goes to (none may appear in a log line). */
const fixturePhones: string[] = [];

const sms = () => app.strapi.plugin('complaints').service('sms');
const knex = () => app.strapi.db.connection;
const rowById = (id: number) => knex()('sms_messages').where('id', id).first();
// 10:00 in Beijing, long ago: every message queued for it is due at once.
const QUEUED_AT = new Date('2025-06-02T02:00:00Z');
const LEASE_MS = 1000;

let n = 0;
/** Queues one message per phone; returns the rows' ids in queue order. */
const queue = async (phones: string[]): Promise<number[]> => {
  fixturePhones.push(...phones);
  const messages = phones.map((phone) => {
    n += 1;
    return { complaintId: null, phone, template: 'accepted_notice', body: `【某县民意服务站】您的诉求 C-${n} 已受理`, idempotencyKey: `crash-${n}` };
  });
  expect(await sms().queue(messages, QUEUED_AT)).toBe(phones.length);
  const rows = await knex()('sms_messages').whereIn('idempotency_key', messages.map((m) => m.idempotencyKey)).select('id', 'idempotency_key');
  return messages.map((m) => Number(rows.find((r: any) => r.idempotency_key === m.idempotencyKey).id));
};
/** Each test starts from an empty queue: what earlier tests left due is set aside. */
const drain = async () => {
  await knex()('sms_messages').whereIn('status', ['queued', 'sending']).update({ status: 'suppressed' });
};
const e164 = (phone: string) => `+86${phone}`;
const listCallsFor = (phone: string) => fake.requests.filter((r) => r.method === 'GET' && r.query.get('To') === e164(phone)).length;

const startPump = (mode: 'pump' | 'hold-before-send' | 'restart', env: Record<string, string> = {}): Promise<Pump> =>
  new Promise((resolve, reject) => {
    // One process (node with tsx's loader, not the tsx wrapper, which would start a second one).
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests', 'helpers', 'sms-pump-process.ts')], {
      cwd: ROOT,
      env: { ...process.env, FAKE_TWILIO_URL: fake.url, SMS_PUMP_MODE: mode, LOG_LEVEL: 'info', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const json: Array<Record<string, any>> = [];
    const listeners: Array<() => void> = [];
    let buffer = '';
    const take = (text: string) => {
      buffer += text;
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        lines.push(line);
        childLines.push(line);
        if (line.startsWith('{')) {
          try {
            json.push(JSON.parse(line));
          } catch {
            // a log line that happens to start with a brace
          }
          for (const l of listeners.splice(0)) l();
        }
      }
    };
    child.stdout!.on('data', (d) => take(String(d)));
    child.stderr!.on('data', (d) => take(String(d)));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
    const line = (key: string, timeoutMs = 120_000) =>
      new Promise<Record<string, any>>((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no "${key}" line from the pump within ${timeoutMs} ms:\n${lines.join('\n').slice(-3000)}`)), timeoutMs);
        const look = () => {
          const hit = json.find((o) => key in o);
          if (hit) {
            clearTimeout(timer);
            res(hit);
            return true;
          }
          return false;
        };
        const wait = () => {
          if (!look()) listeners.push(wait);
        };
        wait();
        void exited.then(() => setTimeout(() => look() || (clearTimeout(timer), rej(new Error(`the pump exited without a "${key}" line:\n${lines.join('\n').slice(-3000)}`))), 50));
      });
    line('ready')
      .then((info) => {
        const pump = { child, lines, instance: String(info.instance), exited, line };
        running.push(pump);
        void exited.then(() => running.splice(running.indexOf(pump), 1));
        resolve(pump);
      })
      .catch(reject);
  });

const killHard = async (pump: Pump) => {
  pump.child.kill('SIGKILL');
  expect(await pump.exited).toEqual({ code: null, signal: 'SIGKILL' });
};
const finish = async (pump: Pump) => {
  const done = await pump.line('done');
  expect(await pump.exited).toEqual({ code: 0, signal: null });
  return done;
};
/** Past the lease of everything claimed so far (the restarted pump reconciles only older rows). */
const pastTheLease = () => new Promise((r) => setTimeout(r, LEASE_MS + 100));

beforeAll(async () => {
  app = await setupStrapi({ captureLog: true });
  fake = await startFakeTwilio();
  // This process's own outbox talks to the same imitation (it checks nothing is resent later).
  sms().useProvider(
    createSmsProvider(
      'twilio',
      { accountSid: FAKE_ACCOUNT_SID, authToken: 'fake-token', messagingServiceSid: FAKE_MESSAGING_SERVICE_SID, requestClient: fake.requestClient() },
      { log: (l) => app.strapi.log.info(l) }
    )
  );
});
afterAll(async () => {
  for (const p of [...running]) p.child.kill('SIGKILL');
  await Promise.all(running.map((p) => p.exited));
  await fake?.close();
  await app?.teardown();
});

describe('a pump process killed after Twilio accepted, before it recorded the message', () => {
  beforeEach(() => drain());

  it('is reconciled from the message list as sent on restart, and never sent twice', async () => {
    const [a, b] = ['13912340001', '13912340002'];
    const [idA, idB] = await queue([a, b]);
    fake.holdCreates(true);
    const pump = await startPump('pump');
    const before = fake.requests.filter((r) => r.method === 'POST').length;
    pump.child.stdin!.write('go\n');
    // Twilio has the first message (it is in its list) and has not answered: the pump waits.
    await fake.waitForCreates(before + 1);
    await killHard(pump);
    fake.holdCreates(false);

    expect(fake.createsTo(e164(a))).toBe(1);
    expect(fake.createsTo(e164(b))).toBe(0);
    // Both were claimed in one committed step; the second never reached the provider.
    expect(await rowById(idA)).toMatchObject({ status: 'sending', provider_message_id: null, claimed_by: pump.instance });
    expect(await rowById(idB)).toMatchObject({ status: 'sending', provider_message_id: null, claimed_by: pump.instance });

    await pastTheLease();
    const restart = await startPump('restart', { SMS_LEASE_MS: String(LEASE_MS) });
    const done = await finish(restart);
    expect(done.reconciled).toEqual({ sent: 1, requeued: 1, uncertain: 0 });
    expect(done).toMatchObject({ claimed: 1, sent: 1, claimedIds: [idB] });

    // The provider was asked by number; the first message was found there and not sent again.
    expect(listCallsFor(a)).toBe(1);
    expect(listCallsFor(b)).toBe(1);
    expect(fake.createsTo(e164(a))).toBe(1);
    expect(fake.createsTo(e164(b))).toBe(1);
    const sidA = fake.stored.find((s) => s.to === e164(a))!.sid;
    expect(await rowById(idA)).toMatchObject({ status: 'sent', provider_message_id: sidA, last_error: 'reconciled' });
    expect(await rowById(idB)).toMatchObject({ status: 'sent', provider_message_id: fake.stored.find((s) => s.to === e164(b))!.sid, last_error: null });
    expect(Number((await rowById(idA)).attempts)).toBe(1);
    expect(Number((await rowById(idB)).attempts)).toBe(2);

    // Later rounds of any pump send neither again.
    const later = new Date(Date.now() + 10 * 60_000);
    expect(await sms().reconcile({ now: later })).toEqual({ sent: 0, requeued: 0, uncertain: 0 });
    expect(await sms().pump({ now: later })).toMatchObject({ claimed: 0 });
    expect(fake.createsTo(e164(a))).toBe(1);
    expect(fake.createsTo(e164(b))).toBe(1);
  });

  it('is uncertain when the message list cannot be read, and is not resent by itself', async () => {
    const [c] = ['13912340003'];
    const [idC] = await queue([c]);
    fake.holdCreates(true);
    const pump = await startPump('pump');
    const before = fake.requests.filter((r) => r.method === 'POST').length;
    pump.child.stdin!.write('go\n');
    await fake.waitForCreates(before + 1);
    await killHard(pump);
    fake.holdCreates(false);
    expect(fake.createsTo(e164(c))).toBe(1);
    expect((await rowById(idC)).status).toBe('sending');

    // Twilio's list answers 503: nobody can say whether the message went out.
    fake.failList(503);
    try {
      await pastTheLease();
      const restart = await startPump('restart', { SMS_LEASE_MS: String(LEASE_MS) });
      const done = await finish(restart);
      expect(done.reconciled).toEqual({ sent: 0, requeued: 0, uncertain: 1 });
      expect(done).toMatchObject({ claimed: 0, sent: 0, claimedIds: [] });
    } finally {
      fake.failList(null);
    }
    expect(listCallsFor(c)).toBe(1);
    expect(await rowById(idC)).toMatchObject({ status: 'uncertain', provider_message_id: null, last_error: 'reconcile: Twilio answered 503' });

    // With the list readable again, later rounds still leave it to a person.
    const later = new Date(Date.now() + 10 * 60_000);
    expect(await sms().reconcile({ now: later })).toEqual({ sent: 0, requeued: 0, uncertain: 0 });
    expect(await sms().pump({ now: later })).toMatchObject({ claimed: 0 });
    expect(fake.createsTo(e164(c))).toBe(1);
    expect((await rowById(idC)).status).toBe('uncertain');
  });
});

describe('a pump process killed after the claim, before the call', () => {
  beforeEach(() => drain());

  it('sends each message exactly once after the restart', async () => {
    const [d, e] = ['13912340004', '13912340005'];
    const [idD, idE] = await queue([d, e]);
    // The pump stops for good at its beforeSend hook: the claim is committed, no call is made.
    const pump = await startPump('hold-before-send');
    expect(await pump.line('beforeSend')).toEqual({ beforeSend: idD });
    await killHard(pump);
    expect(fake.createsTo(e164(d))).toBe(0);
    expect(fake.createsTo(e164(e))).toBe(0);
    expect(await rowById(idD)).toMatchObject({ status: 'sending', claimed_by: pump.instance });
    expect(await rowById(idE)).toMatchObject({ status: 'sending', claimed_by: pump.instance });

    await pastTheLease();
    const restart = await startPump('restart', { SMS_LEASE_MS: String(LEASE_MS) });
    const done = await finish(restart);
    expect(done.reconciled).toEqual({ sent: 0, requeued: 2, uncertain: 0 });
    expect(done).toMatchObject({ claimed: 2, sent: 2, claimedIds: [idD, idE] });
    expect(fake.createsTo(e164(d))).toBe(1);
    expect(fake.createsTo(e164(e))).toBe(1);
    expect(await rowById(idD)).toMatchObject({ status: 'sent', claimed_by: restart.instance });
    expect(await rowById(idE)).toMatchObject({ status: 'sent', claimed_by: restart.instance });

    const later = new Date(Date.now() + 10 * 60_000);
    expect(await sms().reconcile({ now: later })).toEqual({ sent: 0, requeued: 0, uncertain: 0 });
    expect(await sms().pump({ now: later })).toMatchObject({ claimed: 0 });
    expect(fake.createsTo(e164(d))).toBe(1);
    expect(fake.createsTo(e164(e))).toBe(1);
  });
});

describe('a pump slower than the lease', () => {
  beforeEach(() => drain());

  it('leaves a message another instance reconciled and sent before it got there', async () => {
    const [f, g] = ['13912340006', '13912340007'];
    const [idF, idG] = await queue([f, g]);
    const t = new Date();
    const lease = 120_000;
    const other: Array<Record<string, unknown>> = [];
    // Instance A claims both. By the time it reaches the second, the lease has run out (a slow
    // provider, a long batch): instance B reconciles it (Twilio has no such message) and sends it.
    const a = await sms().pump({
      now: t,
      beforeSend: async (id: number) => {
        if (id !== idG) return;
        const bNow = new Date(t.getTime() + lease + 1000);
        other.push(await sms().reconcile({ now: bNow }));
        other.push(await sms().pump({ now: bNow }));
      },
    });
    // Each number got one message: A sent the first and left the second to B.
    expect(fake.createsTo(e164(f))).toBe(1);
    expect(fake.createsTo(e164(g))).toBe(1);
    // (The first is sent by then: B finds only the second in `sending`.)
    expect(other).toEqual([
      { sent: 0, requeued: 1, uncertain: 0 },
      { claimed: 1, sent: 1, retried: 0, failed: 0, uncertain: 0, deferred: 0, overtaken: 0 },
    ]);
    expect(a).toEqual({ claimed: 2, sent: 1, retried: 0, failed: 0, uncertain: 0, deferred: 0, overtaken: 1 });
    expect((await rowById(idF)).status).toBe('sent');
    expect(await rowById(idG)).toMatchObject({ status: 'sent', provider_message_id: fake.stored.find((s) => s.to === e164(g))!.sid });
    expect(Number((await rowById(idG)).attempts)).toBe(2);
  });
});

describe('two pump processes at once', () => {
  beforeEach(() => drain());

  // PostgreSQL: the claims skip each other's locked rows (FOR UPDATE SKIP LOCKED). SQLite has one
  // writer: a claim made while the other process writes is refused ("database is locked") and
  // tried again a moment later, as the server's timer does. Either way no row is claimed twice.
  it('claim disjoint messages: each of 60 reaches Twilio exactly once', async () => {
    const phones = Array.from({ length: 60 }, (_, i) => `1395550${String(i).padStart(4, '0')}`);
    const ids = await queue(phones);
    // A little latency per message, so that both pumps are at work at the same time.
    fake.delayCreates(15);
    try {
      const env = { SMS_PUMP_LIMIT: '5' };
      const p1 = await startPump('pump', env);
      const p2 = await startPump('pump', env);
      p1.child.stdin!.write('go\n');
      p2.child.stdin!.write('go\n');
      const [d1, d2] = await Promise.all([finish(p1), finish(p2)]);

      const c1 = d1.claimedIds as number[];
      const c2 = d2.claimedIds as number[];
      expect(c1.filter((id) => c2.includes(id))).toEqual([]);
      expect([...c1, ...c2].sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
      expect(d1.sent + d2.sent).toBe(60);
      // Both really worked the queue.
      expect(c1.length).toBeGreaterThan(0);
      expect(c2.length).toBeGreaterThan(0);

      expect(phones.filter((p) => fake.createsTo(e164(p)) !== 1)).toEqual([]);
      const rows = (await knex()('sms_messages').whereIn('id', ids).select('id', 'status', 'attempts', 'claimed_by')) as Array<{ id: number; status: string; attempts: number; claimed_by: string }>;
      expect(rows.filter((r) => r.status !== 'sent' || Number(r.attempts) !== 1)).toEqual([]);
      expect(rows.filter((r) => r.claimed_by === p1.instance).map((r) => Number(r.id)).sort((x, y) => x - y)).toEqual([...c1].sort((x, y) => x - y));
      expect(rows.filter((r) => r.claimed_by === p2.instance).map((r) => Number(r.id)).sort((x, y) => x - y)).toEqual([...c2].sort((x, y) => x - y));
    } finally {
      fake.delayCreates(0);
    }
  });
});

describe('the logs of every pump process and of this one', () => {
  it('name phones only masked', () => {
    const lines = [...childLines, ...app.logLines];
    // Positive control: the Twilio provider logged accepted messages, with the phone masked.
    expect(lines.some((l) => l.includes('sms (twilio) to 139****0002: accepted as SM'))).toBe(true);
    expect(fixturePhones.length).toBe(67);
    expect(lines.filter((l) => fixturePhones.some((p) => l.includes(p)))).toEqual([]);
  });
});
