/**
 * The public routes (routes/access.ts PUBLIC_ROUTES): no login, each caller verified by what the
 * table names. Twilio's webhooks check X-Twilio-Signature over the public URL before reading
 * anything; Aliyun's pushes (which Aliyun does not sign) the shared secret in their path; the
 * survey page needs the link's token, and its form a per-page token bound to a SameSite=Strict
 * cookie. No log line or error here holds a phone, a reply's text, a token or a secret.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import twilio from 'twilio';
import { parsePhone } from '../domain/phone';
import { ALIYUN_ACK, EMPTY_TWIML, readAliyunReports, readAliyunUplinks, readInbound, readStatusCallback, signedUrl, twimlMessage } from '../domain/sms-webhook';
import { replyOptionsText } from '../domain/survey-reply';
import { NOTICE_STATUS, pageHeaders, readSurveyForm, renderNotice, renderSurveyForm, type SurveyNotice } from '../domain/survey-page';
import { getConfig, getService, safeDbError } from '../utils';

const CSRF_COOKIE = 'minyi_survey_csrf';
const COOKIE_SECRET = /^[A-Za-z0-9_-]{43}$/;

const bodyOf = (ctx: any): Record<string, unknown> => {
  const b = ctx.request.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
};

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Equal secrets, in a time that says nothing about where they differ or how long either is. */
const sameSecret = (given: string, expected: string): boolean =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

/** The form's token: bound to this browser's cookie and to this survey's link. */
const csrfFor = (secret: string, token: string): string => createHmac('sha256', secret).update(`survey:${token}`).digest('base64url');

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const sms = () => getService('sms', strapi);
  const surveys = () => getService('surveys', strapi);

  /** 404 when the provider is not Twilio; 403 unless the signature matches. Nothing is read before. */
  const verifyTwilio = (ctx: any, hook: 'inbound' | 'status'): void => {
    const twilioHook = sms().twilioWebhook();
    if (!twilioHook) throw new errors.NotFoundError('Not Found');
    const signature = String(ctx.get('X-Twilio-Signature') || '');
    const url = signedUrl(twilioHook.publicBaseUrl ?? ctx.origin, ctx.originalUrl);
    let valid = false;
    try {
      // Without an auth token anyone could compute a "signature": nothing is accepted then.
      valid = Boolean(twilioHook.authToken && signature) && twilio.validateRequest(twilioHook.authToken, signature, url, bodyOf(ctx));
    } catch {
      valid = false;
    }
    if (!valid) {
      strapi.log.warn(`[complaints] twilio ${hook} webhook refused: ${signature ? 'the signature does not match' : 'no signature'}`);
      // A PolicyError is Strapi's 403 that keeps its message (a bare ForbiddenError says "Forbidden").
      throw new errors.PolicyError('签名无效 / The request signature does not match', { code: 'bad_signature' });
    }
  };

  /** 404 when the provider is not Aliyun (or no secret is set); 403 unless the path's secret matches. Nothing is read before. */
  const verifyAliyun = (ctx: any, hook: 'report' | 'uplink'): void => {
    const aliyunHook = sms().aliyunWebhook();
    if (!aliyunHook) throw new errors.NotFoundError('Not Found');
    const given = typeof ctx.params?.secret === 'string' ? ctx.params.secret : '';
    if (!given || !sameSecret(given, aliyunHook.secret)) {
      strapi.log.warn(`[complaints] aliyun ${hook} push refused: the secret does not match`);
      throw new errors.PolicyError('推送密钥无效 / The push secret does not match', { code: 'bad_secret' });
    }
  };

  const twiml = (ctx: any, body = EMPTY_TWIML) => {
    ctx.status = 200;
    ctx.type = 'text/xml; charset=utf-8';
    ctx.body = body;
  };

  const aliyunAck = (ctx: any) => {
    ctx.status = 200;
    ctx.body = ALIYUN_ACK;
  };

  const nonce = () => randomBytes(16).toString('base64');
  const sendPage = (ctx: any, status: number, html: string, n: string) => {
    ctx.status = status;
    ctx.set(pageHeaders(n));
    ctx.body = html;
  };
  const notice = (ctx: any, which: SurveyNotice) => {
    const n = nonce();
    sendPage(ctx, NOTICE_STATUS[which], renderNotice(which, n), n);
  };
  const page = async (token: unknown) => {
    try {
      return await surveys().pageByToken(token);
    } catch (e) {
      throw safeDbError(e, 'survey page');
    }
  };
  const cookieSecret = (ctx: any): string | null => {
    const v = ctx.cookies.get(CSRF_COOKIE, { signed: false });
    return typeof v === 'string' && COOKIE_SECRET.test(v) ? v : null;
  };

  return {
    /** POST /webhooks/twilio/inbound { From, Body, MessageSid }: a citizen's reply. */
    async twilioInbound(ctx: any) {
      verifyTwilio(ctx, 'inbound');
      const read = readInbound(ctx.request.body);
      if (!read.ok) throw new errors.ValidationError(`短信回复缺少或含有无效字段 ${read.field} / The reply lacks a valid ${read.field}`);
      const { from, text, messageSid } = read.value;
      let outcome: string;
      try {
        outcome = await surveys().reply({ phone: parsePhone(from).normalized ?? from, text, messageId: messageSid, provider: 'twilio' });
      } catch (e) {
        throw safeDbError(e, 'sms reply');
      }
      strapi.log.info(`[complaints] sms reply ${messageSid} (twilio): ${outcome}`);
      // A reply that is no answer gets the options back; STOP and START get nothing (Twilio
      // answers those itself), and neither does a replay (the first call was answered).
      twiml(ctx, outcome === 'unrecognised' ? twimlMessage(replyOptionsText(getConfig(strapi).sms.signature)) : EMPTY_TWIML);
    },

    /** POST /webhooks/aliyun/:secret/report [{ biz_id, success, ... }]: delivery reports (SmsReport). */
    async aliyunReport(ctx: any) {
      verifyAliyun(ctx, 'report');
      const read = readAliyunReports(ctx.request.body);
      if (!read.ok) throw new errors.ValidationError(`状态报告缺少或含有无效字段 ${read.field} / The delivery report lacks a valid ${read.field}`);
      // A report on a message Minyi did not send changes nothing; Aliyun still gets its answer.
      for (const r of read.value) {
        try {
          await sms().applyReport(r.bizId, r.status);
        } catch (e) {
          throw safeDbError(e, 'sms status report');
        }
      }
      aliyunAck(ctx);
    },

    /** POST /webhooks/aliyun/:secret/uplink [{ phone_number, content, sequence_id, ... }]: citizens' replies (SmsUp). */
    async aliyunUplink(ctx: any) {
      verifyAliyun(ctx, 'uplink');
      const read = readAliyunUplinks(ctx.request.body);
      if (!read.ok) throw new errors.ValidationError(`上行短信缺少或含有无效字段 ${read.field} / The uplink message lacks a valid ${read.field}`);
      for (const m of read.value) {
        let outcome: string;
        try {
          outcome = await surveys().reply({ phone: parsePhone(m.phone).normalized ?? m.phone, text: m.text, messageId: m.messageId, provider: 'aliyun' });
        } catch (e) {
          throw safeDbError(e, 'sms reply');
        }
        strapi.log.info(`[complaints] sms reply ${m.messageId} (aliyun): ${outcome}`);
      }
      aliyunAck(ctx);
    },

    /** POST /webhooks/twilio/status { MessageSid, MessageStatus }: a delivery report. */
    async twilioStatus(ctx: any) {
      verifyTwilio(ctx, 'status');
      const read = readStatusCallback(ctx.request.body);
      if (!read.ok) throw new errors.ValidationError(`状态回调缺少或含有无效字段 ${read.field} / The status callback lacks a valid ${read.field}`);
      // A report on a message Minyi did not send (or a step on the way) changes nothing; Twilio
      // still gets its 200, or it would retry.
      if (read.value.status) {
        try {
          await sms().applyReport(read.value.messageSid, read.value.status);
        } catch (e) {
          throw safeDbError(e, 'sms status report');
        }
      }
      twiml(ctx);
    },

    /** GET /survey/:token: the survey, or the page saying why it takes no answer. */
    async surveyPage(ctx: any) {
      const token = ctx.params.token;
      const view = await page(token);
      if (view.status !== 'open') return notice(ctx, view.status);
      let secret = cookieSecret(ctx);
      if (!secret) {
        secret = randomBytes(32).toString('base64url');
        ctx.cookies.set(CSRF_COOKIE, secret, { httpOnly: true, sameSite: 'strict', secure: Boolean(ctx.secure), path: '/', signed: false, overwrite: true });
      }
      const n = nonce();
      sendPage(ctx, 200, renderSurveyForm({ ledgerNo: view.ledgerNo!, categoryName: view.categoryName ?? null, closedOn: view.closedOn ?? null, csrf: csrfFor(secret, token) }, n), n);
    },

    /** POST /survey/:token { answer, comment?, csrf }: records the answer once. */
    async surveyAnswer(ctx: any) {
      const token = ctx.params.token;
      const view = await page(token);
      if (view.status !== 'open') return notice(ctx, view.status);
      const body = bodyOf(ctx);
      const secret = cookieSecret(ctx);
      if (!secret || typeof body.csrf !== 'string' || !sameText(body.csrf, csrfFor(secret, token))) return notice(ctx, 'forbidden');
      const form = readSurveyForm(body);
      if (!form) {
        const n = nonce();
        return sendPage(ctx, 400, renderSurveyForm({ ledgerNo: view.ledgerNo!, categoryName: view.categoryName ?? null, closedOn: view.closedOn ?? null, csrf: body.csrf, invalid: true }, n), n);
      }
      let outcome: string;
      try {
        outcome = await surveys().answerByToken(token, form.answer, form.comment);
      } catch (e) {
        throw safeDbError(e, 'survey answer');
      }
      const shown: Record<string, SurveyNotice> = { answered: 'thanks', already_answered: 'answered', expired: 'expired', unknown: 'unknown' };
      return notice(ctx, shown[outcome] ?? 'unknown');
    },
  };
};
