/**
 * What Twilio's webhooks carry (inbound replies and status callbacks), read at the edge. Twilio
 * signs the exact URL it called, so behind a proxy that URL is the public one, not the host the
 * request arrives on. Nothing here talks to the network or the database.
 */

/** Twilio is answered with an empty TwiML document: nothing is sent back to the citizen. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** The URL Twilio signed: the configured public base (scheme, host, any proxy prefix) and the path and query as received. */
export const signedUrl = (publicBase: string, originalUrl: string): string => `${publicBase.replace(/\/+$/, '')}${originalUrl}`;

/** Twilio ids: two letters and 32 hex digits (SM…, MM… for messages). */
const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;

const field = (body: Record<string, unknown>, name: string): string | null => {
  const v = body[name];
  return typeof v === 'string' ? v : null;
};

export type WebhookRead<T> = { ok: true; value: T } | { ok: false; field: string };

/** An inbound SMS: From, Body and MessageSid (Body may be empty: an empty reply changes nothing). */
export const readInbound = (body: unknown): WebhookRead<{ from: string; text: string; messageSid: string }> => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, field: 'body' };
  const b = body as Record<string, unknown>;
  const messageSid = field(b, 'MessageSid');
  if (!messageSid || !SID.test(messageSid)) return { ok: false, field: 'MessageSid' };
  const from = field(b, 'From');
  if (!from || from.length > 32) return { ok: false, field: 'From' };
  const text = b.Body === undefined ? '' : field(b, 'Body');
  if (text === null || text.length > 1600) return { ok: false, field: 'Body' };
  return { ok: true, value: { from, text, messageSid } };
};

export type ReportedStatus = 'sent' | 'delivered' | 'undelivered' | 'failed';

const REPORTED: Record<string, ReportedStatus> = { sent: 'sent', delivered: 'delivered', undelivered: 'undelivered', failed: 'failed' };
/** Statuses Twilio reports on the way (queued, sending, accepted, …): nothing to record. */
const IN_TRANSIT = new Set(['accepted', 'scheduled', 'queued', 'sending', 'receiving', 'received', 'read', 'canceled']);

/** A status callback: MessageSid and MessageStatus; `status` is null for a step not recorded. */
export const readStatusCallback = (body: unknown): WebhookRead<{ messageSid: string; status: ReportedStatus | null }> => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, field: 'body' };
  const b = body as Record<string, unknown>;
  const messageSid = field(b, 'MessageSid');
  if (!messageSid || !SID.test(messageSid)) return { ok: false, field: 'MessageSid' };
  const raw = field(b, 'MessageStatus');
  if (!raw) return { ok: false, field: 'MessageStatus' };
  const s = raw.toLowerCase();
  if (REPORTED[s]) return { ok: true, value: { messageSid, status: REPORTED[s] } };
  if (IN_TRANSIT.has(s)) return { ok: true, value: { messageSid, status: null } };
  return { ok: false, field: 'MessageStatus' };
};

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** A TwiML answer that sends one message back to the citizen (the reply's options). */
export const twimlMessage = (text: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c])}</Message></Response>`;

/**
 * Aliyun's HTTP push (HTTP批量推送模式): a JSON array, possibly several items per call. Each push
 * is answered with this body, or Aliyun pushes it again.
 */
export const ALIYUN_ACK = { code: 0, msg: '成功' } as const;

/** At most this many items in one push (Aliyun batches; a larger body is not Aliyun's). */
const MAX_PUSH_ITEMS = 500;
/** Aliyun's BizId: digits, a caret and a sequence (900619746936498440^0). */
const BIZ_ID = /^[0-9A-Za-z^_-]{1,64}$/;
/** Phone numbers as Aliyun pushes them: 11 digits, sometimes with 86 or +86 in front. */
const PUSHED_PHONE = /^(?:\+?86)?1[3-9]\d{9}$/;

const items = (body: unknown): Array<Record<string, unknown>> | null => {
  if (!Array.isArray(body) || body.length === 0 || body.length > MAX_PUSH_ITEMS) return null;
  return body.every((b) => b && typeof b === 'object' && !Array.isArray(b)) ? (body as Array<Record<string, unknown>>) : null;
};

/**
 * A delivery report push (SmsReport): biz_id and success of each item. `success: true` is
 * delivered, `false` undelivered (the carrier's err_code says why; it is not kept). The whole push
 * is refused when one item is malformed, so nothing of it is half applied.
 */
export const readAliyunReports = (body: unknown): WebhookRead<Array<{ bizId: string; status: 'delivered' | 'undelivered' }>> => {
  const list = items(body);
  if (!list) return { ok: false, field: 'body' };
  const out: Array<{ bizId: string; status: 'delivered' | 'undelivered' }> = [];
  for (const b of list) {
    const bizId = field(b, 'biz_id');
    if (!bizId || !BIZ_ID.test(bizId)) return { ok: false, field: 'biz_id' };
    const success = b.success === true || b.success === 'true' ? true : b.success === false || b.success === 'false' ? false : null;
    if (success === null) return { ok: false, field: 'success' };
    out.push({ bizId, status: success ? 'delivered' : 'undelivered' });
  }
  return { ok: true, value: out };
};

/**
 * An uplink push (SmsUp): a citizen's reply. phone_number, content and sequence_id (Aliyun's id of
 * the uplink message, what makes a repeated push a replay).
 */
export const readAliyunUplinks = (body: unknown): WebhookRead<Array<{ phone: string; text: string; messageId: string }>> => {
  const list = items(body);
  if (!list) return { ok: false, field: 'body' };
  const out: Array<{ phone: string; text: string; messageId: string }> = [];
  for (const b of list) {
    const phone = field(b, 'phone_number');
    if (!phone || !PUSHED_PHONE.test(phone)) return { ok: false, field: 'phone_number' };
    const text = b.content === undefined ? '' : field(b, 'content');
    if (text === null || text.length > 1600) return { ok: false, field: 'content' };
    const seq = b.sequence_id;
    const messageId = typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? String(seq) : typeof seq === 'string' && /^\d{1,20}$/.test(seq) ? seq : null;
    if (!messageId) return { ok: false, field: 'sequence_id' };
    out.push({ phone: phone.slice(-11), text, messageId });
  }
  return { ok: true, value: out };
};
