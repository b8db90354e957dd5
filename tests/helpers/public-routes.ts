/**
 * Calling the public routes as their real callers do: Twilio (a form body signed with the SDK's
 * own helper over the configured public URL), Aliyun (a JSON array pushed to a path holding the
 * shared secret) and a citizen's browser (the survey page, its cookie and its form token).
 */
import type { Core } from '@strapi/strapi';
import supertest from 'supertest';
import twilio from 'twilio';
import { createSmsProvider } from '../../plugins/complaints/server/src/providers/sms';
import type { FakeAliyun } from './fake-aliyun';
import type { FakeTwilio } from './fake-twilio';

export const TWILIO_SID = `AC${'0123456789abcdef'.repeat(2)}`;
export const TWILIO_TOKEN = 'webhook-test-auth-token-7f3a';
/** The public URL Twilio calls (a proxy in front); the test server itself listens elsewhere. */
export const PUBLIC_BASE = 'https://minyi.example.gov.cn';
export const INBOUND = '/webhooks/twilio/inbound';
export const STATUS = '/webhooks/twilio/status';

/** Switches the app to Twilio (pointed at the fake API) with mainland replies allowed, so surveys go out by reply. */
export const useTwilio = (strapi: Core.Strapi, fake: FakeTwilio, extra: Record<string, unknown> = {}): void => {
  const options = { accountSid: TWILIO_SID, authToken: TWILIO_TOKEN, messagingServiceSid: `MG${'b'.repeat(32)}`, mainland: { links: false, replies: true }, ...extra };
  strapi.config.set('plugin::complaints.sms.provider', 'twilio');
  strapi.config.set('plugin::complaints.sms.options', options);
  strapi.config.set('plugin::complaints.sms.webhookBaseUrl', PUBLIC_BASE);
  strapi.plugin('complaints').service('sms').useProvider(createSmsProvider('twilio', { ...options, requestClient: fake.requestClient() }, { log: () => undefined }));
};

export const ALIYUN_SECRET = 'push-secret-0123456789abcdefghijklmnopqrstuv';
export const ALIYUN_TEMPLATES = {
  registered_notice: 'SMS_200000001',
  accepted_notice: 'SMS_200000002',
  'closed_survey.link': 'SMS_200000003',
  'closed_survey.reply': 'SMS_200000004',
  'survey_reminder.link': 'SMS_200000005',
  'survey_reminder.reply': 'SMS_200000006',
};
export const aliyunPath = (hook: 'report' | 'uplink', secret = ALIYUN_SECRET): string => `/webhooks/aliyun/${secret}/${hook}`;

/** Switches the app to Aliyun (pointed at the fake API) with the uplink configured, so surveys go out by reply. */
export const useAliyun = (strapi: Core.Strapi, fake: FakeAliyun, extra: Record<string, unknown> = {}): void => {
  const options = {
    accessKeyId: 'LTAI5tApiTestKey',
    accessKeySecret: 'api-test-access-key-secret',
    signName: '民意服务站',
    templates: ALIYUN_TEMPLATES,
    links: false,
    uplink: true,
    webhookSecret: ALIYUN_SECRET,
    endpoint: fake.endpoint,
    protocol: 'http',
    ...extra,
  };
  strapi.config.set('plugin::complaints.sms.provider', 'aliyun');
  strapi.config.set('plugin::complaints.sms.options', options);
  strapi.plugin('complaints').service('sms').useProvider(createSmsProvider('aliyun', options, { log: () => undefined }));
};

/** An Aliyun push: a JSON body to the route of `hook`, with the secret in its path. */
export const aliyunPost = (strapi: Core.Strapi, hook: 'report' | 'uplink', body: unknown, secret = ALIYUN_SECRET) =>
  supertest(strapi.server.httpServer).post(aliyunPath(hook, secret)).set('Content-Type', 'application/json').send(JSON.stringify(body));

let sequence = 0;
/** An uplink item as Aliyun pushes it (SmsUp). */
export const uplink = (phone: string, content: string, sequenceId = Date.now() * 100 + ++sequence) => ({
  phone_number: phone,
  send_time: '2026-12-02 10:00:00',
  content,
  sign_name: '民意服务站',
  dest_code: '1234',
  sequence_id: sequenceId,
});

/** A delivery report item as Aliyun pushes it (SmsReport). */
export const report = (bizId: string, success: boolean, phone = '13800000000') => ({
  phone_number: phone,
  send_time: '2026-12-02 10:00:00',
  report_time: '2026-12-02 10:00:05',
  success,
  err_code: success ? 'DELIVERED' : 'MK:0001',
  err_msg: success ? '用户接收成功' : '失败',
  sms_size: '1',
  biz_id: bizId,
  out_id: 'survey:1',
});

export const useConsole = (strapi: Core.Strapi): void => {
  strapi.config.set('plugin::complaints.sms.provider', 'console');
  strapi.config.set('plugin::complaints.sms.options', {});
  strapi.plugin('complaints').service('sms').useProvider(createSmsProvider('console', {}, { log: () => undefined }));
};

export const sign = (path: string, params: Record<string, string>, opts: { token?: string; base?: string } = {}): string =>
  twilio.getExpectedTwilioSignature(opts.token ?? TWILIO_TOKEN, `${opts.base ?? PUBLIC_BASE}${path}`, params);

/** A Twilio webhook call: the form body, signed unless `signature` says otherwise (null: no header). */
export const twilioPost = (strapi: Core.Strapi, path: string, params: Record<string, string>, signature: string | null = sign(path, params)) => {
  const t = supertest(strapi.server.httpServer).post(path).type('form').send(params);
  return signature === null ? t : t.set('X-Twilio-Signature', signature);
};

let sid = 0;
/** A Twilio-shaped id, unique in this process. */
export const messageSid = (prefix = 'SM'): string => {
  sid += 1;
  return `${prefix}${String(Date.now() % 1e9).padStart(9, '0')}${String(sid).padStart(23, '0')}`.slice(0, 34);
};

export const inbound = (from: string, body: string, sidValue = messageSid()) => ({ From: from, To: '+15005550006', Body: body, MessageSid: sidValue, AccountSid: TWILIO_SID, NumMedia: '0' });

/** The form token of a survey page's HTML. */
export const csrfOf = (html: string): string => {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('the page has no form token');
  return m[1];
};
