import { createSmsProvider, SmsConfigError, SmsProviderError } from '../../../plugins/complaints/server/src/providers/sms';
import { startFakeTwilio, type FakeTwilio } from '../../helpers/fake-twilio';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TOKEN = 'test-auth-token';
const SERVICE = `MG${'f'.repeat(32)}`;

describe('console provider', () => {
  it('logs one line with the phone masked and returns an id', async () => {
    const lines: string[] = [];
    const p = createSmsProvider('console', {}, { log: (l) => lines.push(l) });
    const r = await p.send({ to: '13812341234', body: '您的诉求已受理', template: 'accepted_notice', idempotencyKey: 'k1' });
    expect(r.status).toBe('sent');
    expect(r.providerMessageId).toMatch(/^console-[0-9a-f]{16}$/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('138****1234');
    expect(lines[0]).not.toContain('13812341234');
    expect(p.capabilities('13812341234')).toEqual({ links: true, replies: true });
  });
});

describe('twilio provider against a local imitation of the API', () => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio();
  });
  afterAll(() => fake.close());

  const provider = (extra: Record<string, unknown> = {}) =>
    createSmsProvider('twilio', { accountSid: SID, authToken: TOKEN, messagingServiceSid: SERVICE, requestClient: fake.requestClient(), ...extra }, { log: () => undefined });

  it('sends To, Body and MessagingServiceSid with Basic auth', async () => {
    const before = fake.requests.length;
    const r = await provider({ statusCallback: 'https://minyi.example.gov.cn/api/minyi/sms/twilio/status' }).send({ to: '13812341234', body: '【某县】您的诉求已办结', idempotencyKey: 'k2' });
    expect(fake.requests.length).toBe(before + 1);
    const req = fake.requests[fake.requests.length - 1];
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(req.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    expect(req.form.get('To')).toBe('+8613812341234');
    expect(req.form.get('Body')).toBe('【某县】您的诉求已办结');
    expect(req.form.get('MessagingServiceSid')).toBe(SERVICE);
    expect(req.form.get('StatusCallback')).toBe('https://minyi.example.gov.cn/api/minyi/sms/twilio/status');
    expect(req.form.get('From')).toBeNull();
    expect(r).toEqual({ providerMessageId: fake.stored[fake.stored.length - 1].sid, status: 'sent' });
  });

  it('sends From when no messaging service is configured', async () => {
    await provider({ messagingServiceSid: '', from: '+15005550006' }).send({ to: '13912340002', body: 'x', idempotencyKey: 'k3' });
    const req = fake.requests[fake.requests.length - 1];
    expect(req.form.get('From')).toBe('+15005550006');
    expect(req.form.get('MessagingServiceSid')).toBeNull();
  });

  it.each([
    [429, 'retryable'],
    [503, 'retryable'],
    [400, 'permanent'],
  ])('a %i answer is %s', async (status, kind) => {
    fake.failNext(status, { code: status === 400 ? 21211 : 20429, message: 'refused', status });
    const err = await provider().send({ to: '13812341234', body: 'x', idempotencyKey: `k-${status}` }).catch((e) => e);
    expect(err).toBeInstanceOf(SmsProviderError);
    expect((err as SmsProviderError).kind).toBe(kind);
    expect((err as SmsProviderError).message).not.toContain('13812341234');
  });

  it('an unreachable API is retryable (nothing was sent)', async () => {
    class Refused extends (require('twilio').RequestClient) {
      request(opts: any) {
        return super.request({ ...opts, uri: String(opts.uri).replace(/^https:\/\/api\.twilio\.com/, 'http://127.0.0.1:9') });
      }
    }
    const p = createSmsProvider('twilio', { accountSid: SID, authToken: TOKEN, messagingServiceSid: SERVICE, requestClient: new Refused() }, { log: () => undefined });
    const err = await p.send({ to: '13812341234', body: 'x', idempotencyKey: 'k4' }).catch((e) => e);
    expect((err as SmsProviderError).kind).toBe('retryable');
  });

  it('reconciles: finds an accepted message by number, body and time, and not another', async () => {
    const p = provider();
    const since = new Date(Date.now() - 5_000);
    await p.send({ to: '13712340003', body: '【某县】回访 1', idempotencyKey: 'k5' });
    const until = new Date();
    const hit = await p.reconcile({ to: '13712340003', body: '【某县】回访 1', since, until });
    expect(hit).toEqual({ found: true, providerMessageId: fake.stored[fake.stored.length - 1].sid });
    expect(await p.reconcile({ to: '13712340003', body: '【某县】回访 2', since, until })).toEqual({ found: false });
    expect(await p.reconcile({ to: '13712340004', body: '【某县】回访 1', since, until })).toEqual({ found: false });
    const listCall = fake.requests[fake.requests.length - 1];
    expect(listCall.method).toBe('GET');
    expect(listCall.query.get('To')).toBe('+8613712340004');
  });

  it('declares no link and no reply for mainland numbers (Twilio China guidelines)', () => {
    expect(provider().capabilities('13812341234')).toEqual({ links: false, replies: false });
    expect(provider({ mainland: { links: true } }).capabilities('13812341234')).toEqual({ links: true, replies: false });
  });

  it.each([
    [{ accountSid: '' }, 'TWILIO_ACCOUNT_SID'],
    [{ authToken: '' }, 'TWILIO_AUTH_TOKEN'],
    [{ messagingServiceSid: '', from: '' }, 'TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM'],
  ])('a misconfiguration %j names %s', (patch, setting) => {
    expect(() => provider(patch)).toThrow(SmsConfigError);
    expect(() => provider(patch)).toThrow(setting);
  });

  it('an unknown provider name is refused', () => {
    expect(() => createSmsProvider('carrier-pigeon', {}, { log: () => undefined })).toThrow('sms.provider "carrier-pigeon"');
  });
});
