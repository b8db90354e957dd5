/**
 * The Aliyun provider with the real SDK (@alicloud/dysmsapi20170525) pointed at a local imitation
 * of the API: the SendSms parameters it sends, how a refusal or a silence is classified,
 * reconciliation through QuerySendDetails, what it declares per destination, and the start
 * refused on a missing setting.
 */
import { createSmsProvider, SmsConfigError, SmsProviderError } from '../../../plugins/complaints/server/src/providers/sms';
import { classifyAliyunCode, daysOfWindow, parseBeijingTime, requiredTemplateKeys } from '../../../plugins/complaints/server/src/providers/sms/aliyun';
import { startFakeAliyun, type FakeAliyun } from '../../helpers/fake-aliyun';

const TEMPLATES = {
  registered_notice: 'SMS_100000001',
  accepted_notice: 'SMS_100000002',
  'closed_survey.link': 'SMS_100000003',
  'closed_survey.reply': 'SMS_100000004',
  'survey_reminder.link': 'SMS_100000005',
  'survey_reminder.reply': 'SMS_100000006',
};
const SECRET = 'a'.repeat(40);

let fake: FakeAliyun;
beforeAll(async () => {
  fake = await startFakeAliyun();
});
afterAll(() => fake.close());

const options = (extra: Record<string, unknown> = {}) => ({
  accessKeyId: 'LTAI5tTestKeyId',
  accessKeySecret: 'test-access-key-secret',
  signName: '某县民意服务站',
  templates: TEMPLATES,
  links: true,
  uplink: true,
  webhookSecret: SECRET,
  endpoint: fake.endpoint,
  protocol: 'http',
  ...extra,
});
const provider = (extra: Record<string, unknown> = {}, lines: string[] = []) => createSmsProvider('aliyun', options(extra), { log: (l) => lines.push(l) });
const last = () => fake.requests[fake.requests.length - 1];

describe('sending', () => {
  it('sends PhoneNumbers, SignName, the template code of the message type and its parameters as JSON; logs the phone masked', async () => {
    const lines: string[] = [];
    const before = fake.requests.length;
    const r = await provider({}, lines).send({
      to: '13812341234',
      body: '【民意服务站】您反映的诉求（编号2026-0001）已办结，请对办理结果进行评价：https://m.example.cn/survey/abc',
      template: 'closed_survey.link',
      params: { county: '民意服务站', ledgerNo: '2026-0001', surveyUrl: 'https://m.example.cn/survey/abc' },
      idempotencyKey: 'survey:17',
    });
    expect(fake.requests.length).toBe(before + 1);
    const req = last();
    expect([req.method, req.action]).toEqual(['POST', 'SendSms']);
    expect(req.query.get('PhoneNumbers')).toBe('13812341234');
    expect(req.query.get('SignName')).toBe('某县民意服务站');
    expect(req.query.get('TemplateCode')).toBe('SMS_100000003');
    // The signature is Aliyun's to add: {county} is not a template parameter.
    expect(req.query.get('TemplateParam')).toBe('{"ledgerNo":"2026-0001","surveyUrl":"https://m.example.cn/survey/abc"}');
    expect(req.query.get('OutId')).toBe('survey:17');
    // Signed with the AccessKey (ACS3), never sent in clear.
    expect(req.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=LTAI5tTestKeyId,SignedHeaders=.+,Signature=[0-9a-f]{64}$/);
    expect(req.authorization).not.toContain('test-access-key-secret');
    expect(r).toEqual({ providerMessageId: '900000000000000001^0', status: 'sent' });
    expect(lines).toEqual(['[complaints] sms (aliyun) to 138****1234: accepted as 900000000000000001^0']);
  });

  it('maps each message type to its own code (a notice without variant, a reply survey)', async () => {
    await provider().send({ to: '13912340002', body: 'x', template: 'accepted_notice', params: { county: 'c', ledgerNo: 'L-2', unit: '县住建局', trackLine: '' }, idempotencyKey: 'accepted:2:2026-12-02' });
    expect([last().query.get('TemplateCode'), last().query.get('TemplateParam')]).toEqual(['SMS_100000002', '{"ledgerNo":"L-2","unit":"县住建局","trackLine":""}']);
    await provider().send({ to: '13912340002', body: 'x', template: 'closed_survey.reply', params: { county: 'c', ledgerNo: 'L-3' }, idempotencyKey: 'survey:3' });
    expect([last().query.get('TemplateCode'), last().query.get('TemplateParam')]).toEqual(['SMS_100000004', '{"ledgerNo":"L-3"}']);
  });

  it('a message without a template code or without parameters is refused before anything goes out', async () => {
    const before = fake.requests.length;
    const noCode = await provider().send({ to: '13812341234', body: 'x', template: 'other', params: {}, idempotencyKey: 'k-a' }).catch((e) => e);
    expect([noCode instanceof SmsProviderError, noCode.kind, noCode.providerCode]).toEqual([true, 'permanent', 'no_template_code']);
    const noParams = await provider().send({ to: '13812341234', body: 'x', template: 'accepted_notice', idempotencyKey: 'k-b' }).catch((e) => e);
    expect([noParams.kind, noParams.providerCode]).toEqual(['permanent', 'no_template_params']);
    expect(fake.requests.length).toBe(before);
  });
});

describe('failures', () => {
  const send = () => provider().send({ to: '13812341234', body: 'x', template: 'registered_notice', params: { county: 'c', ledgerNo: 'L-9' }, idempotencyKey: 'k-fail' });

  it.each([
    // Refusals Aliyun answers with 200 and a code
    [200, 'isv.BUSINESS_LIMIT_CONTROL', 'retryable'],
    [200, 'isv.DAY_LIMIT_CONTROL', 'retryable'],
    [200, 'isv.AMOUNT_NOT_ENOUGH', 'retryable'],
    [200, 'isv.MOBILE_NUMBER_ILLEGAL', 'permanent'],
    [200, 'isv.SMS_TEMPLATE_ILLEGAL', 'permanent'],
    [200, 'isv.TEMPLATE_MISSING_PARAMETERS', 'permanent'],
    [200, 'isv.SMS_SIGNATURE_ILLEGAL', 'permanent'],
    // Refusals with an HTTP error status
    [400, 'InvalidAccessKeyId.NotFound', 'permanent'],
    [403, 'SignatureDoesNotMatch', 'permanent'],
    [429, 'Throttling.User', 'retryable'],
    [503, 'ServiceUnavailable', 'retryable'],
    [504, 'GatewayTimeout', 'ambiguous'],
  ])('HTTP %i with Code %s is %s, and the error names no phone', async (status, code, kind) => {
    fake.failNextSend(status, { Code: code, Message: `refused 13812341234`, RequestId: 'req-f' });
    const err = await send().catch((e) => e);
    expect(err).toBeInstanceOf(SmsProviderError);
    expect([code, (err as SmsProviderError).kind]).toEqual([code, kind]);
    expect((err as SmsProviderError).message).not.toContain('13812341234');
  });

  it('an unreachable API is retryable (nothing was sent)', async () => {
    const err = await provider({ endpoint: '127.0.0.1:9' }).send({ to: '13812341234', body: 'x', template: 'registered_notice', params: { county: 'c', ledgerNo: 'L' }, idempotencyKey: 'k-r' }).catch((e) => e);
    expect([(err as SmsProviderError).kind, (err as SmsProviderError).providerCode]).toEqual(['retryable', 'ECONNREFUSED']);
    expect((err as SmsProviderError).message).not.toContain('13812341234');
  });

  it('no answer in time is ambiguous (Aliyun may have accepted it): never resent by itself', async () => {
    const before = fake.stored.length;
    fake.delayNextSend(1_500);
    const err = await provider({ timeoutMs: 300 }).send({ to: '13812341234', body: 'x', template: 'registered_notice', params: { county: 'c', ledgerNo: 'L' }, idempotencyKey: 'k-t' }).catch((e) => e);
    expect([(err as SmsProviderError).kind, (err as SmsProviderError).providerCode]).toEqual(['ambiguous', 'timeout']);
    expect((err as SmsProviderError).message).not.toContain('13812341234');
    // The imitation did accept it: exactly what reconciliation is for.
    expect(fake.stored.length).toBe(before + 1);
  });

  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', 'retryable'],
    ['Throttling', 'retryable'],
    ['isv.MOBILE_NUMBER_ILLEGAL', 'permanent'],
    ['something.NEW', 'permanent'],
    ['', 'permanent'],
  ])('code %j is %s', (code, kind) => {
    expect(classifyAliyunCode(code).kind).toBe(kind);
  });
});

describe('reconciliation through QuerySendDetails', () => {
  it('finds a message accepted in the window by its OutId, and not another key, number or window', async () => {
    const p = provider();
    const since = new Date(Date.now() - 5_000);
    await p.send({ to: '13712340003', body: 'x', template: 'closed_survey.reply', params: { county: 'c', ledgerNo: 'L-5' }, idempotencyKey: 'survey:55' });
    const until = new Date();
    const before = fake.requests.length;
    expect(await p.reconcile({ to: '13712340003', body: 'x', since, until, idempotencyKey: 'survey:55', template: 'closed_survey.reply' })).toEqual({ found: true, providerMessageId: null });
    const q = fake.requests[before];
    expect([q.action, q.query.get('PhoneNumber'), q.query.get('SendDate'), q.query.get('PageSize'), q.query.get('CurrentPage')]).toEqual([
      'QuerySendDetails',
      '13712340003',
      new Date(since.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, ''),
      '50',
      '1',
    ]);
    expect(await p.reconcile({ to: '13712340003', body: 'x', since, until, idempotencyKey: 'survey:56', template: 'closed_survey.reply' })).toEqual({ found: false });
    expect(await p.reconcile({ to: '13712340004', body: 'x', since, until, idempotencyKey: 'survey:55', template: 'closed_survey.reply' })).toEqual({ found: false });
    const later = new Date(until.getTime() + 10 * 60_000);
    expect(await p.reconcile({ to: '13712340003', body: 'x', since: later, until: new Date(later.getTime() + 60_000), idempotencyKey: 'survey:55' })).toEqual({ found: false });
  });

  it('without a key, matches the template code in the window', async () => {
    const p = provider();
    const since = new Date(Date.now() - 5_000);
    await p.send({ to: '13712340005', body: 'x', template: 'accepted_notice', params: { county: 'c', ledgerNo: 'L-6', unit: 'u', trackLine: '' }, idempotencyKey: 'accepted:6' });
    const until = new Date();
    expect(await p.reconcile({ to: '13712340005', body: 'x', since, until, template: 'accepted_notice' })).toEqual({ found: true, providerMessageId: null });
    expect(await p.reconcile({ to: '13712340005', body: 'x', since, until, template: 'registered_notice' })).toEqual({ found: false });
  });

  it('a refused or failed query cannot tell: unknown (the message becomes uncertain)', async () => {
    const p = provider();
    const now = new Date();
    fake.failNextQuery(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: 'limit', RequestId: 'r' });
    expect(await p.reconcile({ to: '13712340003', body: 'x', since: now, until: now, idempotencyKey: 'survey:55' })).toEqual({ found: 'unknown', reason: 'Aliyun answered isv.BUSINESS_LIMIT_CONTROL' });
    fake.failNextQuery(503, { Code: 'ServiceUnavailable', Message: 'down', RequestId: 'r' });
    expect(await p.reconcile({ to: '13712340003', body: 'x', since: now, until: now, idempotencyKey: 'survey:55' })).toEqual({ found: 'unknown', reason: 'Aliyun answered 503' });
  });

  it('a window across midnight (Beijing) asks both days', () => {
    // 15:59:30 UTC is 23:59:30 in Beijing.
    expect(daysOfWindow(new Date('2026-12-02T15:59:30Z'), new Date('2026-12-02T16:03:00Z'))).toEqual(['20261202', '20261203']);
    expect(daysOfWindow(new Date('2026-12-02T02:00:00Z'), new Date('2026-12-02T02:05:00Z'))).toEqual(['20261202']);
    expect(parseBeijingTime('2026-12-03 00:00:05')).toBe(Date.parse('2026-12-02T16:00:05Z'));
    expect(parseBeijingTime('not a date')).toBeNaN();
  });
});

describe('capabilities per destination', () => {
  it.each([
    [{ links: true, uplink: true }, '13812341234', { links: true, replies: true }],
    [{ links: false, uplink: true }, '13812341234', { links: false, replies: true }],
    [{ links: true, uplink: false, templates: { ...TEMPLATES } }, '13812341234', { links: true, replies: false }],
    [{ links: false, uplink: false, webhookSecret: '' }, '13812341234', { links: false, replies: false }],
    // Domestic templates reach mainland mobiles only.
    [{ links: true, uplink: true }, '+85291234567', { links: false, replies: false }],
    [{ links: true, uplink: true }, '01012345678', { links: false, replies: false }],
  ])('%j, %s → %j', (extra, to, expected) => {
    expect(provider(extra).capabilities(to)).toEqual(expected);
  });

  it('requires the template codes of the survey ways it can use', () => {
    expect(requiredTemplateKeys({ links: false, replies: false })).toEqual(['registered_notice', 'accepted_notice']);
    expect(requiredTemplateKeys({ links: true, replies: false })).toEqual(['registered_notice', 'accepted_notice', 'closed_survey.link', 'survey_reminder.link']);
    expect(requiredTemplateKeys({ links: false, replies: true })).toEqual(['registered_notice', 'accepted_notice', 'closed_survey.reply', 'survey_reminder.reply']);
  });
});

describe('misconfiguration stops the start, naming the setting', () => {
  const { 'closed_survey.reply': _reply, ...noReplyCode } = TEMPLATES;
  it.each([
    [{ accessKeyId: '' }, 'SMS provider misconfigured 短信服务配置有误: ALIYUN_ACCESS_KEY_ID is missing'],
    [{ accessKeySecret: '  ' }, 'SMS provider misconfigured 短信服务配置有误: ALIYUN_ACCESS_KEY_SECRET is missing'],
    [{ signName: '' }, 'SMS provider misconfigured 短信服务配置有误: ALIYUN_SMS_SIGN_NAME is missing (the approved signature)'],
    [{ templates: { ...TEMPLATES, accepted_notice: '' } }, 'SMS provider misconfigured 短信服务配置有误: ALIYUN_SMS_TEMPLATE_ACCEPTED_NOTICE is missing (the approved template code of accepted_notice)'],
    [{ templates: noReplyCode }, 'SMS provider misconfigured 短信服务配置有误: ALIYUN_SMS_TEMPLATE_CLOSED_SURVEY_REPLY is missing (the approved template code of closed_survey.reply)'],
    [{ webhookSecret: '' }, 'SMS provider misconfigured 短信服务配置有误: ALIYUN_SMS_WEBHOOK_SECRET is missing: the uplink push (ALIYUN_SMS_UPLINK) needs it'],
    [{ webhookSecret: 'short' }, 'SMS provider misconfigured 短信服务配置有误: ALIYUN_SMS_WEBHOOK_SECRET must be 32 to 128 characters of A-Z, a-z, 0-9, _ and -'],
  ])('%j', (patch, message) => {
    const err = (() => {
      try {
        provider(patch);
        return null;
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(SmsConfigError);
    expect(err?.message).toBe(message);
  });

  it('without uplink the reply codes are not needed (positive control)', () => {
    expect(provider({ uplink: false, webhookSecret: '', templates: noReplyCode, links: true }).name).toBe('aliyun');
  });
});
