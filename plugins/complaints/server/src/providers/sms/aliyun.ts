/**
 * Alibaba Cloud SMS (短信服务, Dysmsapi 2017-05-25). Mainland carriers deliver only pre-approved
 * templates under a registered signature, so a message is sent as a template code plus its
 * parameters, never as free text. Options (config/plugins.ts `complaints.config.sms.options`, from
 * the environment by default):
 *
 * - accessKeyId, accessKeySecret: a RAM user's AccessKey allowed `dysms:SendSms` and `dysms:QuerySendDetails`.
 * - signName: the approved signature (签名); Aliyun puts it in brackets in front of the text.
 * - templates: the approved template code of each message type, by the template keys of
 *   domain/sms-templates.ts (`accepted_notice`, `closed_survey.link`, ...). The approved text uses
 *   the same slot names as Minyi's own texts (`${ledgerNo}`, `${unit}`, `${trackLine}`, `${surveyUrl}`)
 *   except `{county}`: the signature is Aliyun's to add.
 * - links: true only when the survey and accepted-notice templates with a link were approved
 *   with a link variable; otherwise no message carries a link.
 * - uplink: true when the SMS console pushes uplink messages (上行短信) to Minyi's uplink route;
 *   only then do replies come back. It needs webhookSecret.
 * - webhookSecret: the shared secret in the path of the two push routes (Aliyun's HTTP push signs nothing).
 * - endpoint, protocol, regionId, timeoutMs: where the API is (tests point it at a local imitation).
 */
import Dysmsapi, { QuerySendDetailsRequest, SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { maskPhone } from '../../domain/masking';
import { templateKey } from '../../domain/sms-templates';
import { SmsConfigError, SmsProviderError, type SmsProviderModule } from './types';

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
/** A webhook secret travels in a URL path: URL-safe characters, long enough not to be guessed. */
export const WEBHOOK_SECRET = /^[A-Za-z0-9_-]{32,128}$/;

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');
const flag = (v: unknown): boolean => v === true || v === 'true' || v === '1';

/** The template keys a configuration must map to codes: the notices, and each survey way it can use. */
export const requiredTemplateKeys = (caps: { links: boolean; replies: boolean }): string[] => {
  const keys = ['registered_notice', 'accepted_notice'];
  for (const variant of [caps.links ? 'link' : null, caps.replies ? 'reply' : null]) {
    if (variant) keys.push(templateKey('closed_survey', variant as 'link' | 'reply'), templateKey('survey_reminder', variant as 'link' | 'reply'));
  }
  return keys;
};

/**
 * Aliyun's answer codes (the `Code` of a refused call). Rate and quota limits are retryable: the
 * same message is accepted later. Everything about the number, the template, the signature or
 * the credentials is permanent: sending it again changes nothing.
 */
const RETRYABLE_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'isv.DAY_LIMIT_CONTROL',
  'isv.MONTH_LIMIT_CONTROL',
  'isv.AMOUNT_NOT_ENOUGH',
  'isv.OUT_OF_SERVICE',
  'isp.SYSTEM_ERROR',
  'SignatureNonceUsed',
  'ServiceUnavailable',
]);
// Connection errors before a byte was sent: the request never reached Aliyun.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED']);

/** A refused call's code: retryable or permanent (an answer came back, so it was not accepted). */
export const classifyAliyunCode = (code: string): SmsProviderError => {
  const safe = code.replace(/[^\w.-]/g, '').slice(0, 64);
  if (RETRYABLE_CODES.has(safe) || safe.startsWith('Throttling')) return new SmsProviderError('retryable', `Aliyun refused the message for now (${safe})`, safe);
  return new SmsProviderError('permanent', `Aliyun refused the message (${safe || 'no code'})`, safe || null);
};

/**
 * A failed SDK call. The SDK's own messages quote the request URL, which holds the phone number,
 * so only codes and statuses are kept. A timeout may come after Aliyun accepted: ambiguous.
 */
export const classifyAliyunError = (error: unknown): SmsProviderError => {
  const e = error as { statusCode?: number; code?: string; name?: string; message?: string };
  if (typeof e.statusCode === 'number') {
    if (e.statusCode === 504) return new SmsProviderError('ambiguous', 'Aliyun answered 504', 'http_504');
    if (e.statusCode >= 500) return new SmsProviderError('retryable', `Aliyun answered ${e.statusCode}`, `http_${e.statusCode}`);
    if (e.statusCode === 429) return new SmsProviderError('retryable', 'Aliyun answered 429', e.code ?? 'http_429');
    return classifyAliyunCode(String(e.code ?? `http_${e.statusCode}`));
  }
  if (typeof e.code === 'string' && NOT_SENT.has(e.code)) return new SmsProviderError('retryable', `Aliyun not reachable (${e.code})`, e.code);
  const timeout = /timeout/i.test(String(e.name ?? '')) || /timeout/i.test(String(e.code ?? ''));
  return new SmsProviderError('ambiguous', `No answer from Aliyun (${timeout ? 'timeout' : typeof e.code === 'string' ? e.code.slice(0, 32) : 'unknown'})`, timeout ? 'timeout' : null);
};

/** yyyyMMdd and the Asia/Shanghai calendar day of an instant (Aliyun dates are Beijing time). */
const beijingDay = (d: Date): string => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
/** "2026-12-02 09:30:00" in Beijing time, as QuerySendDetails reports SendDate. */
export const parseBeijingTime = (s: string): number => {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(s.trim());
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4] - 8, +m[5], +m[6]) : NaN;
};

/** The days (yyyyMMdd, Beijing) a window touches; QuerySendDetails takes one day per call. */
export const daysOfWindow = (since: Date, until: Date): string[] => {
  const last = beijingDay(new Date(until.getTime() + 60_000));
  const days = [beijingDay(new Date(since.getTime() - 60_000))];
  // A window left in `sending` is minutes long; a week is the most worth asking about.
  for (let t = since.getTime() - 60_000; days[days.length - 1] < last && days.length < 8; ) {
    t += 86_400_000;
    const day = beijingDay(new Date(Math.min(t, until.getTime() + 60_000)));
    if (day !== days[days.length - 1]) days.push(day);
  }
  return days;
};

const PAGE_SIZE = 50;
const MAX_PAGES = 10;

const aliyunProvider: SmsProviderModule = {
  init(options, { log }) {
    const accessKeyId = text(options.accessKeyId);
    const accessKeySecret = text(options.accessKeySecret);
    const signName = text(options.signName);
    if (!accessKeyId) throw new SmsConfigError('ALIYUN_ACCESS_KEY_ID', 'is missing');
    if (!accessKeySecret) throw new SmsConfigError('ALIYUN_ACCESS_KEY_SECRET', 'is missing');
    if (!signName) throw new SmsConfigError('ALIYUN_SMS_SIGN_NAME', 'is missing (the approved signature)');
    const links = flag(options.links);
    const uplink = flag(options.uplink);
    const webhookSecret = text(options.webhookSecret);
    if (webhookSecret && !WEBHOOK_SECRET.test(webhookSecret)) throw new SmsConfigError('ALIYUN_SMS_WEBHOOK_SECRET', 'must be 32 to 128 characters of A-Z, a-z, 0-9, _ and -');
    if (uplink && !webhookSecret) throw new SmsConfigError('ALIYUN_SMS_WEBHOOK_SECRET', 'is missing: the uplink push (ALIYUN_SMS_UPLINK) needs it');
    const templates = (options.templates && typeof options.templates === 'object' ? options.templates : {}) as Record<string, unknown>;
    const codes: Record<string, string> = {};
    for (const [k, v] of Object.entries(templates)) if (text(v)) codes[k] = text(v);
    for (const key of requiredTemplateKeys({ links, replies: uplink })) {
      if (!codes[key]) throw new SmsConfigError(`ALIYUN_SMS_TEMPLATE_${key.replace('.', '_').toUpperCase()}`, `is missing (the approved template code of ${key})`);
    }
    const protocol = text(options.protocol) || 'https';
    const client = new Dysmsapi({
      accessKeyId,
      accessKeySecret,
      endpoint: text(options.endpoint) || 'dysmsapi.aliyuncs.com',
      protocol,
      regionId: text(options.regionId) || 'cn-hangzhou',
      readTimeout: Number(options.timeoutMs ?? 10_000),
      connectTimeout: Number(options.connectTimeoutMs ?? 5_000),
    } as unknown as ConstructorParameters<typeof Dysmsapi>[0]);

    return {
      name: 'aliyun',
      async send({ to, template, params, idempotencyKey }) {
        const key = template ?? '';
        const code = codes[key] ?? codes[key.split('.')[0]];
        // A message type without a code is refused here, before anything goes out.
        if (!code) throw new SmsProviderError('permanent', `no Aliyun template code for ${key.replace(/[^\w.]/g, '').slice(0, 40) || 'this message'}`, 'no_template_code');
        if (!params) throw new SmsProviderError('permanent', 'the message has no template parameters (Aliyun sends templates, not text)', 'no_template_params');
        // The signature is Aliyun's: {county} is the bracketed sign name of Minyi's own texts.
        const { county: _county, ...slots } = params;
        let answer;
        try {
          answer = await client.sendSms(new SendSmsRequest({ phoneNumbers: to, signName, templateCode: code, templateParam: JSON.stringify(slots), outId: idempotencyKey.slice(0, 64) }));
        } catch (error) {
          throw classifyAliyunError(error);
        }
        const body = answer.body;
        if (!body || body.code !== 'OK') throw classifyAliyunCode(String(body?.code ?? ''));
        log(`[complaints] sms (aliyun) to ${maskPhone(to)}: accepted as ${body.bizId}`);
        return { providerMessageId: body.bizId ?? null, status: 'sent' };
      },
      capabilities(to) {
        // Domestic templates reach mainland mobiles only.
        if (!MAINLAND_MOBILE.test(to)) return { links: false, replies: false };
        return { links, replies: uplink };
      },
      async reconcile({ to, since, until, idempotencyKey, template }) {
        const outId = idempotencyKey ? idempotencyKey.slice(0, 64) : null;
        const code = template ? (codes[template] ?? codes[template.split('.')[0]] ?? null) : null;
        try {
          for (const sendDate of daysOfWindow(since, until)) {
            for (let page = 1; page <= MAX_PAGES; page += 1) {
              const r = await client.querySendDetails(new QuerySendDetailsRequest({ phoneNumber: to, sendDate, pageSize: PAGE_SIZE, currentPage: page }));
              const body = r.body;
              if (!body || body.code !== 'OK') return { found: 'unknown', reason: `Aliyun answered ${String(body?.code ?? 'nothing').replace(/[^\w.-]/g, '').slice(0, 64)}` };
              const rows = body.smsSendDetailDTOs?.smsSendDetailDTO ?? [];
              const hit = rows.find((m) => {
                const at = parseBeijingTime(String(m.sendDate ?? ''));
                // A minute of slack either way for the clocks of two machines.
                const inWindow = at >= since.getTime() - 60_000 && at <= until.getTime() + 60_000;
                if (!inWindow) return false;
                if (outId && m.outId) return m.outId === outId;
                return code !== null && m.templateCode === code;
              });
              if (hit) return { found: true, providerMessageId: null };
              if (rows.length < PAGE_SIZE || page * PAGE_SIZE >= Number(body.totalCount ?? 0)) break;
            }
          }
          return { found: false };
        } catch (error) {
          return { found: 'unknown', reason: classifyAliyunError(error).message };
        }
      },
    };
  },
};

export default aliyunProvider;
