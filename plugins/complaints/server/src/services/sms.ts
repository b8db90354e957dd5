/**
 * The SMS outbox (sms_messages). A message is a row written in the same transaction as the
 * transition that causes it, so a rolled-back transition sends nothing and a committed one always
 * has its message. The pump sends due rows at most once:
 *
 *   queued ─claim (committed)─▶ sending ─provider accepted─▶ sent ─report─▶ delivered | undelivered | failed
 *                                  │ retryable failure ─▶ queued (backoff) … ─▶ failed (attempts used up)
 *                                  │ permanent failure ─▶ failed
 *                                  │ no answer (timeout) ─▶ uncertain   (a person decides; never resent by itself)
 *                                  └ found in `sending` after a crash ─reconcile─▶ sent | queued | uncertain
 *
 * No provider's send call is idempotent, so the row is marked `sending` in its own committed
 * step before the call: after a crash between the provider accepting and our commit, the row is
 * found in `sending` and the provider is asked whether it accepted it.
 */
import { TABLE } from '../constants';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { maySendSms, nextSendTime, retryDelayMs, applyDeliveryReport, type SmsStatus } from '../domain/sms-policy';
import { parsePhone } from '../domain/phone';
import { maskPhone } from '../domain/masking';
import { withoutSurveyToken } from '../domain/redact';
import { statusesTaking } from '../domain/sms-admin';
import { createSmsProvider, SmsProviderError, type SmsProvider } from '../providers/sms';
import { getConfig, getService, inTransaction, isPostgres, newDocumentId, safeDbError } from '../utils';
import { renderMessage, usedParams } from '../domain/sms-templates';
import { INSTANCE_ID } from '../utils/instance';

export const SMS_TABLE = TABLE.smsMessage;
export const OPT_OUT_TABLE = TABLE.smsOptOut;

/** What a sent message keeps: its text and parameters without the survey link's token. */
const gone = (m: { body: string; template_params?: unknown }): { body: string; template_params?: string } => {
  if (m.template_params == null) return { body: withoutSurveyToken(m.body) };
  const raw = typeof m.template_params === 'string' ? (JSON.parse(m.template_params) as unknown) : m.template_params;
  const params = Object.fromEntries(Object.entries((raw ?? {}) as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? withoutSurveyToken(v) : v]));
  return { body: withoutSurveyToken(m.body), template_params: JSON.stringify(params) };
};

export interface OutboxMessage {
  complaintId: number | null;
  phone: string;
  template: 'registered_notice' | 'accepted_notice' | 'closed_survey' | 'survey_reminder' | 'reply' | 'other';
  body: string;
  /** One message per key, ever: a repeated queue call is a no-op. */
  idempotencyKey: string;
  /**
   * The template key (`closed_survey.link`) and the slots `body` was rendered from: template
   * providers (Aliyun) send these to a pre-approved template instead of the text.
   */
  templateKey?: string;
  params?: Record<string, string>;
}

/** A JSON column as read back: PostgreSQL gives the value, SQLite its text. */
const jsonValue = (v: unknown): Record<string, string> | undefined => {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'object') return v as Record<string, string>;
  try {
    return JSON.parse(String(v)) as Record<string, string>;
  } catch {
    return undefined;
  }
};

export interface PumpResult {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  uncertain: number;
  deferred: number;
  /** Claimed, but reconciled by another instance before this pump reached it: left alone. */
  overtaken: number;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let provider: SmsProvider | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  const log = (line: string) => strapi.log.info(line);

  const cfg = () => getConfig(strapi).sms;

  const getProvider = (): SmsProvider => {
    if (!provider) provider = createSmsProvider(cfg().provider, cfg().options ?? {}, { log });
    return provider;
  };

  const optedOut = async (k: Knex | Knex.Transaction, phones: string[]): Promise<Set<string>> => {
    if (phones.length === 0) return new Set();
    const rows = (await k(OPT_OUT_TABLE).whereIn('phone', phones).select('phone')) as Array<{ phone: string }>;
    return new Set(rows.map((r) => r.phone));
  };

  return {
    /** Builds the configured provider now, so a misconfiguration stops the start. */
    init(): SmsProvider {
      return getProvider();
    },

    /** Starts this instance's pump: reconcile, then send, every `pumpIntervalMs`. */
    start() {
      const every = cfg().pumpIntervalMs;
      if (!every || timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = true;
        void (async () => {
          try {
            await this.reconcile();
            await this.pump();
          } catch (e) {
            strapi.log.error(`[complaints] sms pump failed: ${String((e as Error)?.message ?? e).slice(0, 300)}`);
          } finally {
            running = false;
          }
        })();
      }, every);
      timer.unref();
    },

    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },

    /** Replaces the provider (tests point Twilio at a local imitation). */
    useProvider(p: SmsProvider) {
      provider = p;
    },

    async ensureStorage(): Promise<void> {
      const knex = strapi.db.connection;
      if (!(await knex.schema.hasTable(OPT_OUT_TABLE))) {
        await knex.schema.createTable(OPT_OUT_TABLE, (t) => {
          t.string('phone', 32).primary();
          t.timestamp('opted_out_at', { useTz: true }).notNullable();
          t.string('source', 32).notNullable();
        });
      }
      // Who recorded a staff opt-out and why (services/sms-admin.ts); null for a citizen's STOP.
      for (const [column, add] of [
        ['actor_id', (t: Knex.AlterTableBuilder) => t.integer('actor_id').nullable()],
        ['actor_name', (t: Knex.AlterTableBuilder) => t.string('actor_name', 255).nullable()],
        ['reason', (t: Knex.AlterTableBuilder) => t.string('reason', 500).nullable()],
      ] as const) {
        if (!(await knex.schema.hasColumn(OPT_OUT_TABLE, column))) await knex.schema.alterTable(OPT_OUT_TABLE, (t) => void add(t));
      }
    },

    /**
     * Records messages in the outbox, inside the caller's transaction when there is one. A phone
     * that is not a mobile, or opted out, gets a `suppressed` row (the record says why nothing
     * went out); a key already queued is ignored.
     */
    async queue(messages: OutboxMessage[], now = new Date()): Promise<number> {
      if (messages.length === 0) return 0;
      const tz = getConfig(strapi).timeZone;
      const due = nextSendTime(now, cfg().quietHours, tz);
      return inTransaction(strapi, async (trx) => {
        const normalized = messages.map((m) => ({ ...m, phone: parsePhone(m.phone).normalized ?? m.phone }));
        const out = await optedOut(trx, normalized.map((m) => m.phone));
        const rows = normalized.map((m) => {
          const ok = maySendSms(m.phone, out.has(m.phone));
          return {
            document_id: newDocumentId(),
            created_at: now,
            updated_at: now,
            published_at: now,
            direction: 'outbound',
            phone: m.phone,
            template: m.template,
            body: m.body,
            template_key: m.templateKey ?? m.template,
            template_params: m.params ? JSON.stringify(m.params) : null,
            idempotency_key: m.idempotencyKey,
            complaint_id: m.complaintId,
            status: ok ? 'queued' : 'suppressed',
            attempts: 0,
            next_attempt_at: ok ? due : null,
            provider: getProvider().name,
            last_error: ok ? null : out.has(m.phone) ? 'opted_out' : 'not_mobile',
          };
        });
        const inserted = (await trx(SMS_TABLE).insert(rows).onConflict('idempotency_key').ignore().returning('id')) as unknown[];
        return inserted.length;
      });
    },

    /**
     * Claims due messages for this instance in a committed step (`sending`), then sends each.
     * On PostgreSQL `FOR UPDATE SKIP LOCKED` keeps two pumps off the same rows; SQLite has one
     * writer, and the conditional update re-checks the state either way.
     */
    async pump(opts: { now?: Date; limit?: number; beforeSend?: (id: number) => Promise<void> } = {}): Promise<PumpResult> {
      const now = opts.now ?? new Date();
      const limit = opts.limit ?? 100;
      const knex = strapi.db.connection;
      const result: PumpResult = { claimed: 0, sent: 0, retried: 0, failed: 0, uncertain: 0, deferred: 0, overtaken: 0 };
      const me = INSTANCE_ID.slice(0, 64);
      // The pump's clock: `now` moved on by the time this run has taken.
      const started = Date.now();
      const clock = () => new Date(now.getTime() + (Date.now() - started));
      const claimed = (await knex.transaction(async (trx) => {
        // Never a number that opted out, whenever it did: a message queued before the opt-out is
        // suppressed here, at the last moment before it could be sent.
        await trx(SMS_TABLE)
          .where({ direction: 'outbound', status: 'queued' })
          .andWhere('next_attempt_at', '<=', now)
          .whereIn('phone', trx(OPT_OUT_TABLE).select('phone'))
          .update({ status: 'suppressed', last_error: 'opted_out', next_attempt_at: null, updated_at: now });
        let q = trx(SMS_TABLE).where({ direction: 'outbound', status: 'queued' }).andWhere('next_attempt_at', '<=', now).orderBy('next_attempt_at').orderBy('id').limit(limit).select('id');
        if (isPostgres(strapi)) q = q.forUpdate().skipLocked();
        const ids = ((await q) as Array<{ id: number }>).map((r) => Number(r.id));
        if (ids.length === 0) return [];
        await trx(SMS_TABLE)
          .whereIn('id', ids)
          .andWhere('status', 'queued')
          .update({ status: 'sending', sending_at: now, claimed_by: me, attempts: trx.raw('attempts + 1'), updated_at: now });
        return trx(SMS_TABLE).whereIn('id', ids).andWhere({ status: 'sending', claimed_by: me }).select('id', 'phone', 'body', 'template', 'template_key', 'template_params', 'idempotency_key', 'attempts');
      })) as Array<{ id: number; phone: string; body: string; template: string; template_key: string | null; template_params: unknown; idempotency_key: string; attempts: number }>;
      result.claimed = claimed.length;

      const { perNumberCap, retry } = cfg();
      for (const m of claimed) {
        // Only while the claim is still this pump's: the same instance, the same attempt.
        const set = (patch: Record<string, unknown>) => knex(SMS_TABLE).where({ id: m.id, status: 'sending', claimed_by: me, attempts: m.attempts }).update({ ...patch, updated_at: new Date() });
        const recent = (await knex(SMS_TABLE)
          .where({ phone: m.phone, direction: 'outbound' })
          .whereIn('status', ['sent', 'delivered', 'undelivered'])
          .andWhere('sent_at', '>', new Date(now.getTime() - 24 * 3_600_000))
          .orderBy('sent_at')
          .select('sent_at')) as Array<{ sent_at: string | Date }>;
        if (recent.length >= perNumberCap) {
          // Waits until the oldest of the day's messages is 24 hours old (not a failed attempt).
          const free = new Date(new Date(recent[0].sent_at).getTime() + 24 * 3_600_000);
          await set({ status: 'queued', attempts: Math.max(0, Number(m.attempts) - 1), next_attempt_at: nextSendTime(free, cfg().quietHours, getConfig(strapi).timeZone), last_error: 'per_number_cap' });
          result.deferred += 1;
          continue;
        }
        if (opts.beforeSend) await opts.beforeSend(m.id);
        // The lease runs from the call, not from the claim of the whole batch: a batch can take
        // longer than the lease (a slow provider, a hundred messages), and another instance
        // then reconciles the rows this pump has not reached yet. Renewing the claim right
        // before the call finds such a row taken over and leaves it alone, instead of sending
        // a message the other instance has requeued and sent.
        const callAt = clock();
        if ((await set({ sending_at: callAt })) === 0) {
          result.overtaken += 1;
          continue;
        }
        try {
          const r = await getProvider().send({ to: m.phone, body: m.body, template: m.template_key ?? m.template, params: jsonValue(m.template_params), idempotencyKey: m.idempotency_key });
          await set({ status: 'sent', provider_message_id: r.providerMessageId, sent_at: new Date(), last_error: null, ...gone(m) });
          result.sent += 1;
        } catch (e) {
          // By shape, not class: a provider may come from another copy of this module.
          const known = e as Partial<SmsProviderError> | null;
          const err =
            known && known.name === 'SmsProviderError' && ['retryable', 'permanent', 'ambiguous'].includes(String(known.kind))
              ? (known as SmsProviderError)
              : new SmsProviderError('ambiguous', 'provider call failed');
          const reason = `${err.kind}: ${err.message}`.slice(0, 500);
          if (err.kind === 'retryable') {
            const delay = retryDelayMs(Number(m.attempts), retry);
            if (delay === null) {
              await set({ status: 'failed', last_error: reason });
              result.failed += 1;
            } else {
              await set({ status: 'queued', next_attempt_at: new Date(now.getTime() + delay), last_error: reason });
              result.retried += 1;
            }
          } else if (err.kind === 'permanent') {
            await set({ status: 'failed', last_error: reason });
            result.failed += 1;
          } else {
            await set({ status: 'uncertain', last_error: reason });
            result.uncertain += 1;
          }
          strapi.log.warn(`[complaints] sms ${m.id} to ${maskPhone(m.phone)}: ${reason}`);
        }
      }
      return result;
    },

    /**
     * Messages left in `sending` past the lease (their pump died between claim and commit): asks
     * the provider whether it accepted each. Accepted → sent; not accepted → queued again (the
     * call never happened); the provider cannot tell → uncertain, for a person to decide.
     */
    async reconcile(opts: { now?: Date } = {}): Promise<{ sent: number; requeued: number; uncertain: number }> {
      const now = opts.now ?? new Date();
      const knex = strapi.db.connection;
      const stale = (await knex(SMS_TABLE)
        .where({ direction: 'outbound', status: 'sending' })
        .andWhere('sending_at', '<', new Date(now.getTime() - cfg().sendingLeaseMs))
        .select('id', 'phone', 'body', 'sending_at', 'attempts', 'idempotency_key', 'template', 'template_key', 'template_params')) as Array<{ id: number; phone: string; body: string; sending_at: string | Date; attempts: number; idempotency_key: string; template: string; template_key: string | null; template_params: unknown }>;
      const out = { sent: 0, requeued: 0, uncertain: 0 };
      for (const m of stale) {
        const answer = await getProvider().reconcile({ to: m.phone, body: m.body, since: new Date(m.sending_at), until: now, idempotencyKey: m.idempotency_key, template: m.template_key ?? m.template });
        // The answer is about the claim read above: if its pump renewed it meanwhile (it was alive
        // and is calling the provider now), the row is not this reconciler's to decide.
        const set = (patch: Record<string, unknown>) =>
          knex(SMS_TABLE).where({ id: m.id, status: 'sending', sending_at: m.sending_at, attempts: m.attempts }).update({ ...patch, updated_at: now });
        if (answer.found === true) {
          if (await set({ status: 'sent', provider_message_id: answer.providerMessageId, sent_at: new Date(m.sending_at), last_error: 'reconciled', ...gone(m) })) out.sent += 1;
        } else if (answer.found === false) {
          if (await set({ status: 'queued', next_attempt_at: now, last_error: 'reconciled: not accepted by the provider' })) out.requeued += 1;
        } else if (await set({ status: 'uncertain', last_error: `reconcile: ${answer.reason}`.slice(0, 500) })) {
          out.uncertain += 1;
        }
      }
      return out;
    },

    /** A delivery report: moves the message forward only (repeats and late reports change nothing). */
    async applyReport(providerMessageId: string, reported: 'sent' | 'delivered' | 'undelivered' | 'failed'): Promise<SmsStatus | null> {
      return inTransaction(strapi, async (trx) => {
        let q = trx(SMS_TABLE).where({ provider_message_id: providerMessageId, direction: 'outbound' }).first('id', 'status');
        if (isPostgres(strapi)) q = q.forUpdate();
        const row = (await q) as { id: number; status: SmsStatus } | undefined;
        if (!row) return null;
        const next = applyDeliveryReport(row.status, reported);
        if (next !== row.status) await trx(SMS_TABLE).where('id', row.id).update({ status: next, updated_at: new Date() });
        return next;
      });
    },

    /**
     * What verifies Twilio's webhooks: its auth token and the public base URL Twilio calls
     * (`sms.webhookBaseUrl`, else `server.url`, i.e. PUBLIC_URL; null: the request's own origin).
     * Null when the provider in use is not Twilio: there is nothing to receive.
     */
    twilioWebhook(): { authToken: string; publicBaseUrl: string | null } | null {
      if (getProvider().name !== 'twilio') return null;
      const authToken = typeof cfg().options?.authToken === 'string' ? String(cfg().options.authToken).trim() : '';
      const publicBaseUrl = String(cfg().webhookBaseUrl || strapi.config.get('server.url') || '').trim();
      return { authToken, publicBaseUrl: publicBaseUrl || null };
    },

    /**
     * What verifies Aliyun's pushes (delivery reports, uplink messages): the shared secret in their
     * path (`sms.options.webhookSecret`). Null when the provider in use is not Aliyun or no secret
     * is configured: there is nothing to receive.
     */
    aliyunWebhook(): { secret: string } | null {
      if (getProvider().name !== 'aliyun') return null;
      const secret = typeof cfg().options?.webhookSecret === 'string' ? String(cfg().options.webhookSecret).trim() : '';
      return secret ? { secret } : null;
    },

    /** A person's decision on an uncertain or failed message: send it again, or close it. */
    async resolve(id: number, decision: 'resend' | 'mark_sent' | 'cancel', now = new Date()): Promise<boolean> {
      const patch =
        decision === 'resend'
          ? // A resend decided at night waits for the morning like any other message.
            { status: 'queued', next_attempt_at: nextSendTime(now, cfg().quietHours, getConfig(strapi).timeZone), last_error: 'resend requested' }
          : decision === 'mark_sent'
            ? { status: 'sent', last_error: 'marked sent by staff' }
            : { status: 'suppressed', last_error: 'cancelled by staff' };
      try {
        // Inside the caller's transaction when there is one (the decision's history event goes with it).
        const n = (await inTransaction(strapi, (trx) => trx(SMS_TABLE).where('id', id).whereIn('status', statusesTaking(decision)).update({ ...patch, updated_at: now }))) as number;
        return n > 0;
      } catch (e) {
        throw safeDbError(e, 'sms resolve');
      }
    },

    /**
     * 登记告知: the demand is registered, with its ledger number (an online demand, or one the
     * county office registered), to the mobile the citizen left; inside the caller's transaction.
     */
    async noticeRegistered(complaintId: number, mobile: string, ledgerNo: string, now = new Date()): Promise<number> {
      const body = renderMessage('registered_notice', undefined, { county: cfg().signature, ledgerNo }, cfg().templates);
      return this.queue([{ complaintId, phone: mobile, template: 'registered_notice', body, idempotencyKey: `registered:${complaintId}` }], now);
    },

    /** 受理告知: the responsible unit has taken the complaint on (traceable mobiles only). */
    async noticeAccepted(complaintIds: number[], now = new Date()): Promise<number> {
      // Read through the caller's transaction: SQLite has one connection, held by it.
      const rows = (await inTransaction(strapi, (trx) =>
        trx(`${TABLE.complaint} as c`).leftJoin(`${TABLE.unit} as u`, 'u.id', 'c.responsible_unit_id').whereIn('c.id', complaintIds).select('c.id', 'c.ledger_no', 'u.name as unit')
      )) as Array<{ id: number; ledger_no: string; unit: string | null }>;
      const messages: OutboxMessage[] = [];
      for (const r of rows) {
        const { phone, kind } = await getService('contacts', strapi).contactPhone(Number(r.id));
        if (!phone || kind !== 'mobile') continue;
        const links = getProvider().capabilities(phone).links;
        const base = String(strapi.config.get('server.url') || '').replace(/\/$/, '');
        const params = { county: cfg().signature, ledgerNo: r.ledger_no, unit: r.unit ?? '责任单位', trackLine: links && base ? `进度查询：${base}/track` : '' };
        const body = renderMessage('accepted_notice', undefined, params, cfg().templates);
        messages.push({ complaintId: Number(r.id), phone, template: 'accepted_notice', templateKey: 'accepted_notice', params: usedParams('accepted_notice', undefined, params, cfg().templates), body, idempotencyKey: `accepted:${r.id}:${now.toISOString().slice(0, 10)}` });
      }
      return this.queue(messages, now);
    },

    /** Adds a number to the opt-out list (inside the caller's transaction); false when it was on it already. */
    async optOut(phone: string, source: string, now = new Date(), by: { actorId?: number | null; actorName?: string | null; reason?: string | null } = {}): Promise<boolean> {
      const p = parsePhone(phone).normalized ?? phone;
      const row = { phone: p, opted_out_at: now, source, ...(by.actorName ? { actor_id: by.actorId ?? null, actor_name: by.actorName, reason: by.reason ?? null } : {}) };
      const inserted = (await inTransaction(strapi, (trx) => trx(OPT_OUT_TABLE).insert(row).onConflict('phone').ignore().returning('phone'))) as unknown[];
      return inserted.length > 0;
    },

    /** Takes a number off the opt-out list; false when it was not on it. */
    async optIn(phone: string): Promise<boolean> {
      const p = parsePhone(phone).normalized ?? phone;
      const n = (await inTransaction(strapi, (trx) => trx(OPT_OUT_TABLE).where('phone', p).del())) as number;
      return n > 0;
    },
  };
};
