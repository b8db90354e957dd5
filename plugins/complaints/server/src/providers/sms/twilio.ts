/**
 * Twilio Programmable Messaging. Options (config/plugins.ts `complaints.config.sms.options`, from
 * the environment by default): accountSid, authToken, and messagingServiceSid or from;
 * statusCallback (the public URL of the delivery-report route). `requestClient` replaces the
 * SDK's HTTP client (tests point it at a local imitation of the API).
 *
 * Twilio's China guidelines: no two-way SMS for mainland numbers and no URLs in message content,
 * so a mainland destination can neither carry the survey link nor reply; the outbox then puts the
 * complaint on the staff's phone return-visit list. `mainland` overrides that for an account whose
 * route allows more.
 */
import twilio from 'twilio';
import { maskPhone } from '../../domain/masking';
import type { Capabilities } from '../../domain/sms-policy';
import { SmsConfigError, SmsProviderError, type SmsProviderModule } from './types';

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

export const toE164 = (to: string): string => (MAINLAND_MOBILE.test(to) ? `+86${to}` : to.startsWith('+') ? to : `+${to}`);

const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

// Connection errors before a byte was sent: the request never reached Twilio.
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED']);

const classify = (error: unknown): SmsProviderError => {
  const e = error as { status?: number; code?: number | string; message?: string };
  if (typeof e.status === 'number') {
    const code = e.code === undefined ? null : String(e.code);
    if (e.status === 429 || e.status >= 500) return new SmsProviderError('retryable', `Twilio answered ${e.status}`, code);
    return new SmsProviderError('permanent', `Twilio refused the message (${e.status}${code ? `, code ${code}` : ''})`, code);
  }
  if (typeof e.code === 'string' && NOT_SENT.has(e.code)) return new SmsProviderError('retryable', `Twilio not reachable (${e.code})`, e.code);
  return new SmsProviderError('ambiguous', `No answer from Twilio (${typeof e.code === 'string' ? e.code : 'unknown'})`, typeof e.code === 'string' ? e.code : null);
};

const twilioProvider: SmsProviderModule = {
  init(options, { log }) {
    const accountSid = text(options.accountSid);
    const authToken = text(options.authToken);
    const messagingServiceSid = text(options.messagingServiceSid);
    const from = text(options.from);
    if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid)) throw new SmsConfigError('TWILIO_ACCOUNT_SID', 'is missing or not an account SID (AC + 32 hex digits)');
    if (!authToken) throw new SmsConfigError('TWILIO_AUTH_TOKEN', 'is missing');
    if (!messagingServiceSid && !from) throw new SmsConfigError('TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM', 'is missing: one of them is needed');
    const statusCallback = text(options.statusCallback) || undefined;
    const mainland = (options.mainland as Partial<Capabilities> | undefined) ?? {};
    const client = twilio(accountSid, authToken, {
      httpClient: options.requestClient as any,
      timeout: Number(options.timeoutMs ?? 15000),
    });

    return {
      name: 'twilio',
      async send({ to, body }) {
        try {
          const m = await client.messages.create({
            to: toE164(to),
            body,
            ...(messagingServiceSid ? { messagingServiceSid } : { from }),
            ...(statusCallback ? { statusCallback } : {}),
          });
          log(`[complaints] sms (twilio) to ${maskPhone(to)}: accepted as ${m.sid}`);
          return { providerMessageId: m.sid, status: 'sent' };
        } catch (error) {
          throw classify(error);
        }
      },
      capabilities(to) {
        if (MAINLAND_MOBILE.test(to)) return { links: mainland.links ?? false, replies: mainland.replies ?? false };
        return { links: true, replies: true };
      },
      async reconcile({ to, body, since, until }) {
        try {
          const list = await client.messages.list({ to: toE164(to), limit: 50 });
          const hit = list.find((m) => {
            const created = m.dateCreated ? new Date(m.dateCreated).getTime() : NaN;
            // A minute of slack either way for the clocks of two machines.
            return m.body === body && created >= since.getTime() - 60_000 && created <= until.getTime() + 60_000;
          });
          return hit ? { found: true, providerMessageId: hit.sid } : { found: false };
        } catch (error) {
          return { found: 'unknown', reason: classify(error).message };
        }
      },
    };
  },
};

export default twilioProvider;
