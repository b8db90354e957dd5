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
