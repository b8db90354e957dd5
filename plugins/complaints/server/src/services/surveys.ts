/**
 * Satisfaction surveys (满意度回访). A survey opens when a traceable complaint closes: by a
 * one-time link where the destination can carry one, by a numbered SMS reply where replies come
 * back, otherwise on the staff's phone return-visit list. One phone has at most one open survey
 * (a new one supersedes the older), so a reply always matches exactly one. The link's token
 * has 192 random bits and only its SHA-256 is stored. Every opening, answer, expiry and reopen
 * request is an event of the complaint's history; no phone and no comment is in an event.
 */
import { createHash, randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import { CLOSED_STATE } from '../domain/complaint-state';
import { TABLE, UID } from '../constants';
import { CITIZEN_ACTOR, SYSTEM_ACTOR, type Actor } from '../domain/history-chain';
import { parseSurveyReply, type SurveyAnswer } from '../domain/survey-reply';
import { surveyWay } from '../domain/sms-policy';
import { surveyExpired, surveyReminderDue } from '../domain/survey-rules';
import { renderMessage, templateKey, usedParams } from '../domain/sms-templates';
import { getConfig, getService, inTransaction, newDocumentId } from '../utils';
import { OPT_OUT_TABLE, SMS_TABLE } from './sms';

const SURVEY_TABLE = TABLE.survey;
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * A survey is reached by the closed notice's token or, once reminded, by the reminder's: only
 * hashes are stored, so the reminder cannot repeat the first link and carries a second one.
 */
const byToken = (q: any, token: string) => {
  const h = hashToken(token);
  return q.where((w: any) => w.where('token_hash', h).orWhere('reminder_token_hash', h));
};

export type AnswerOutcome = 'answered' | 'already_answered' | 'expired' | 'unknown';

interface SurveyRow {
  id: number;
  complaint_id: number;
  phone: string | null;
  round: number;
  status: string;
  way: string;
  expires_at: string | Date | null;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const cfg = () => getConfig(strapi);
  const publicUrl = (): string => String(strapi.config.get('server.url') || `http://localhost:${strapi.config.get('server.port', 1337)}`).replace(/\/$/, '');

  const complaintState = async (trx: any, id: number) =>
    (await trx(TABLE.complaint).where('id', id).first('id', 'ledger_no', 'state')) as { id: number; ledger_no: string; state: string } | undefined;

  const event = (complaintId: number, type: string, actor: Actor, data: Record<string, unknown>, state: string, now: Date) => ({
    complaintId,
    event: { type, actor, at: now, fromState: state, toState: state, data },
  });

  /** A reminder still waiting in the outbox (quiet hours, the cap) asks about a survey that is no longer open. */
  const withdrawReminder = (trx: any, surveyId: number, why: string, now: Date) =>
    trx(SMS_TABLE).where({ idempotency_key: `reminder:${surveyId}`, status: 'queued' }).update({ status: 'suppressed', last_error: why, updated_at: now });

  /** Marks a survey answered (or expired), with its events; returns the outcome. */
  const settle = async (trx: any, s: SurveyRow, answer: SurveyAnswer, via: 'link' | 'sms_reply' | 'phone_visit', comment: string | null, actor: Actor, now: Date): Promise<AnswerOutcome> => {
    const c = await complaintState(trx, s.complaint_id);
    if (s.expires_at && new Date(s.expires_at).getTime() <= now.getTime() && via !== 'phone_visit') {
      const n = await trx(SURVEY_TABLE).where({ id: s.id, status: 'open' }).update({ status: 'no_response', updated_at: now });
      if (n) await getService('history', strapi).appendMany([event(s.complaint_id, 'survey_expired', SYSTEM_ACTOR, { surveyId: s.id, round: s.round }, c?.state ?? CLOSED_STATE, now)]);
      return 'expired';
    }
    const dissatisfied = answer === 'dissatisfied';
    const n = await trx(SURVEY_TABLE)
      .where({ id: s.id, status: 'open' })
      .update({ status: 'answered', answer, answered_via: via, answered_at: now, comment: comment ? comment.slice(0, 1000) : null, reopen_request: dissatisfied ? 'pending' : null, updated_at: now });
    if (!n) return 'already_answered';
    await withdrawReminder(trx, s.id, 'answered', now);
    const events = [event(s.complaint_id, 'survey_answered', actor, { surveyId: s.id, round: s.round, answer, via }, c?.state ?? CLOSED_STATE, now)];
    // The Guangzhou rule: a dissatisfied answer asks the lead unit to decide on a reopen.
    if (dissatisfied) events.push(event(s.complaint_id, 'reopen_requested', actor, { surveyId: s.id, round: s.round }, c?.state ?? CLOSED_STATE, now));
    await getService('history', strapi).appendMany(events);
    return 'answered';
  };

  return {
    /**
     * Opens one survey per closed, traceable complaint, inside the caller's transaction (the
     * sign-off that closed it), and queues its message. Returns the tokens to the caller only.
     */
    async openFor(complaintIds: number[], now = new Date()): Promise<Array<{ complaintId: number; surveyId: number; way: string; token: string }>> {
      const sms = getService('sms', strapi);
      const provider = sms.init();
      return inTransaction(strapi, async (trx) => {
        const out: Array<{ complaintId: number; surveyId: number; way: string; token: string }> = [];
        for (const complaintId of complaintIds) {
          const c = await complaintState(trx, complaintId);
          if (!c || c.state !== CLOSED_STATE) continue;
          const { phone, kind } = await getService('contacts', strapi).contactPhone(complaintId);
          if (!phone || (kind !== 'mobile' && kind !== 'landline')) continue;
          const optedOut = Boolean(await trx(OPT_OUT_TABLE).where('phone', phone).first('phone'));
          const way = surveyWay(phone, optedOut, provider.capabilities(phone));
          const history: Array<ReturnType<typeof event>> = [];
          const older = (await trx(SURVEY_TABLE).where({ phone, status: 'open' }).select('id', 'complaint_id', 'round')) as Array<{ id: number; complaint_id: number; round: number }>;
          if (older.length) {
            await trx(SURVEY_TABLE).whereIn('id', older.map((o) => o.id)).update({ status: 'superseded', updated_at: now });
            // Its message, if not sent yet, would ask about a survey that no longer takes answers.
            await trx(SMS_TABLE)
              .whereIn('idempotency_key', older.flatMap((o) => [`survey:${o.id}`, `reminder:${o.id}`]))
              .andWhere('status', 'queued')
              .update({ status: 'suppressed', last_error: 'superseded', updated_at: now });
            for (const o of older) {
              const oc = await complaintState(trx, o.complaint_id);
              history.push(event(o.complaint_id, 'survey_superseded', SYSTEM_ACTOR, { surveyId: o.id, round: o.round }, oc?.state ?? CLOSED_STATE, now));
            }
          }
          const last = (await trx(SURVEY_TABLE).where('complaint_id', complaintId).max({ r: 'round' }).first()) as { r: number | null } | undefined;
          const round = Number(last?.r ?? 0) + 1;
          const token = randomBytes(24).toString('base64url');
          const expiresAt = new Date(now.getTime() + cfg().survey.expiryDays * 86_400_000);
          const created = (await strapi.db.query(UID.survey as any).create({
            data: { complaint: complaintId, complaintId, phone, tokenHash: hashToken(token), round, status: 'open', way, sentAt: now, expiresAt },
          })) as { id: number };
          history.push(event(complaintId, 'survey_opened', SYSTEM_ACTOR, { surveyId: created.id, round, way }, CLOSED_STATE, now));
          await getService('history', strapi).appendMany(history);
          if (way !== 'phone_visit') {
            const params = { county: cfg().sms.signature, ledgerNo: c.ledger_no, surveyUrl: `${publicUrl()}/survey/${token}` };
            const body = renderMessage('closed_survey', way, params, cfg().sms.templates);
            await sms.queue([{ complaintId, phone, template: 'closed_survey', templateKey: templateKey('closed_survey', way), params: usedParams('closed_survey', way, params, cfg().sms.templates), body, idempotencyKey: `survey:${created.id}` }], now);
          }
          out.push({ complaintId, surveyId: created.id, way, token });
        }
        return out;
      });
    },

    /** The link page's answer. An unknown token and a wrong one are the same `unknown`. */
    async answerByToken(token: unknown, answer: unknown, comment: unknown, now = new Date()): Promise<AnswerOutcome> {
      if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(token)) return 'unknown';
      if (answer !== 'satisfied' && answer !== 'basically_satisfied' && answer !== 'dissatisfied') return 'unknown';
      return inTransaction(strapi, async (trx) => {
        const s = (await byToken(trx(SURVEY_TABLE), token).first('id', 'complaint_id', 'phone', 'round', 'status', 'way', 'expires_at')) as SurveyRow | undefined;
        if (!s) return 'unknown';
        if (s.status === 'answered') return 'already_answered';
        if (s.status !== 'open') return 'expired';
        return settle(trx, s, answer, 'link', typeof comment === 'string' ? comment.trim() || null : null, CITIZEN_ACTOR, now);
      });
    },

    /** What a link shows before it is answered (no personal data: the ledger number only). */
    async viewByToken(token: unknown, now = new Date()): Promise<{ status: 'open' | 'answered' | 'expired' | 'unknown'; ledgerNo?: string }> {
      if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(token)) return { status: 'unknown' };
      const s = (await byToken(knex()(SURVEY_TABLE), token).first('complaint_id', 'status', 'expires_at')) as SurveyRow | undefined;
      if (!s) return { status: 'unknown' };
      const c = (await knex()(TABLE.complaint).where('id', s.complaint_id).first('ledger_no')) as { ledger_no: string };
      if (s.status === 'answered') return { status: 'answered', ledgerNo: c.ledger_no };
      if (s.status !== 'open' || (s.expires_at && new Date(s.expires_at).getTime() <= now.getTime())) return { status: 'expired', ledgerNo: c.ledger_no };
      return { status: 'open', ledgerNo: c.ledger_no };
    },

    /**
     * What the public survey page shows for a token: the ledger number, the category name and the
     * closing date (county time), nothing about the citizen. A wrong token is `unknown`, like one
     * that never existed.
     */
    async pageByToken(token: unknown, now = new Date()): Promise<{ status: 'open' | 'answered' | 'expired' | 'superseded' | 'unknown'; ledgerNo?: string; categoryName?: string | null; closedOn?: string | null }> {
      if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{16,64}$/.test(token)) return { status: 'unknown' };
      const s = (await byToken(knex()(SURVEY_TABLE), token).first('complaint_id', 'status', 'expires_at')) as SurveyRow | undefined;
      if (!s) return { status: 'unknown' };
      const c = (await knex()('complaints as c')
        .leftJoin('complaint_categories as k', 'k.code', 'c.category_code')
        .where('c.id', s.complaint_id)
        .first('c.ledger_no', 'c.closed_at', 'k.name as category_name')) as { ledger_no: string; closed_at: string | Date | null; category_name: string | null };
      const closedOn = c.closed_at ? new Intl.DateTimeFormat('en-CA', { timeZone: cfg().timeZone }).format(new Date(c.closed_at)) : null;
      const facts = { ledgerNo: c.ledger_no, categoryName: c.category_name ?? null, closedOn };
      if (s.status === 'answered') return { status: 'answered', ...facts };
      if (s.status === 'superseded') return { status: 'superseded', ...facts };
      if (s.status !== 'open' || (s.expires_at && new Date(s.expires_at).getTime() <= now.getTime())) return { status: 'expired', ...facts };
      return { status: 'open', ...facts };
    },

    /**
     * An inbound SMS. A repeated message id changes nothing; STOP/退订/TD opt out, START opts in;
     * 1/2/3 (or the words) answer the phone's one open survey; anything else changes nothing.
     */
    async reply(input: { phone: string; text: string; messageId: string; provider: string }, now = new Date()): Promise<'replay' | AnswerOutcome | 'no_survey' | 'opted_out' | 'opted_in' | 'unrecognised'> {
      return inTransaction(strapi, async (trx) => {
        const inserted = (await trx(SMS_TABLE)
          .insert({
            document_id: newDocumentId(),
            created_at: now,
            updated_at: now,
            published_at: now,
            direction: 'inbound',
            phone: input.phone,
            template: 'reply',
            body: input.text.slice(0, 1600),
            idempotency_key: `inbound:${input.provider}:${input.messageId}`.slice(0, 128),
            status: 'received',
            attempts: 0,
            provider: input.provider,
            provider_message_id: input.messageId.slice(0, 128),
          })
          .onConflict('idempotency_key')
          .ignore()
          .returning('id')) as unknown[];
        if (inserted.length === 0) return 'replay';
        const meaning = parseSurveyReply(input.text);
        const open = (await trx(SURVEY_TABLE).where({ phone: input.phone, status: 'open' }).orderBy('id', 'desc').first('id', 'complaint_id', 'phone', 'round', 'status', 'way', 'expires_at')) as SurveyRow | undefined;
        if (meaning.kind === 'opt_out' || meaning.kind === 'opt_in') {
          if (meaning.kind === 'opt_out') {
            await trx(OPT_OUT_TABLE).insert({ phone: input.phone, opted_out_at: now, source: 'sms_reply' }).onConflict('phone').ignore();
            // What still waits for the number is not sent either.
            await trx(SMS_TABLE).where({ phone: input.phone, direction: 'outbound', status: 'queued' }).update({ status: 'suppressed', last_error: 'opted_out', next_attempt_at: null, updated_at: now });
          }
          else await trx(OPT_OUT_TABLE).where('phone', input.phone).del();
          if (open) {
            const c = await complaintState(trx, open.complaint_id);
            await getService('history', strapi).appendMany([event(open.complaint_id, meaning.kind === 'opt_out' ? 'sms_opted_out' : 'sms_opted_in', CITIZEN_ACTOR, {}, c?.state ?? CLOSED_STATE, now)]);
          }
          return meaning.kind === 'opt_out' ? 'opted_out' : 'opted_in';
        }
        if (meaning.kind !== 'answer') return 'unrecognised';
        if (!open) return 'no_survey';
        return settle(trx, open, meaning.answer, 'sms_reply', meaning.comment, CITIZEN_ACTOR, now);
      });
    },

    /** A staff phone return visit, recorded by hand for the complaint's open survey. */
    async recordPhoneVisit(complaintId: number, answer: SurveyAnswer, comment: string | null, actor: Actor, now = new Date()): Promise<AnswerOutcome> {
      return inTransaction(strapi, async (trx) => {
        const s = (await trx(SURVEY_TABLE).where({ complaint_id: complaintId, status: 'open' }).orderBy('id', 'desc').first('id', 'complaint_id', 'phone', 'round', 'status', 'way', 'expires_at')) as SurveyRow | undefined;
        if (!s) return 'unknown';
        return settle(trx, s, answer, 'phone_visit', comment, actor, now);
      });
    },

    /** Closes unanswered link and reply surveys past their expiry as `no_response` (domain/survey-rules.ts). */
    async expire(now = new Date()): Promise<number> {
      const candidates = (await knex()(SURVEY_TABLE)
        .where('status', 'open')
        .whereNot('way', 'phone_visit')
        .andWhere('expires_at', '<=', now)
        .select('id', 'complaint_id', 'round', 'status', 'way', 'expires_at')) as Array<SurveyRow>;
      let n = 0;
      for (const s of candidates.filter((c) => surveyExpired({ status: c.status as 'open', way: c.way as 'link', expiresAt: c.expires_at }, now))) {
        await inTransaction(strapi, async (trx) => {
          const changed = await trx(SURVEY_TABLE).where({ id: s.id, status: 'open' }).update({ status: 'no_response', updated_at: now });
          if (!changed) return;
          await withdrawReminder(trx, s.id, 'expired', now);
          const c = await complaintState(trx, s.complaint_id);
          await getService('history', strapi).appendMany([event(s.complaint_id, 'survey_expired', SYSTEM_ACTOR, { surveyId: s.id, round: s.round }, c?.state ?? CLOSED_STATE, now)]);
          n += 1;
        });
      }
      return n;
    },

    /**
     * Sends each open SMS survey its one reminder `survey.reminderDays` after it opened
     * (domain/survey-rules.ts). The reminder is queued in the outbox in the same transaction that
     * marks the survey reminded, so the outbox's rules apply to it (opt-out, mobile numbers only,
     * quiet hours, the per-number cap) and a second run finds nothing to do. A link reminder
     * carries a second token of the same survey: only hashes are stored, so the first link
     * cannot be repeated.
     */
    async remind(now = new Date()): Promise<number> {
      const days = cfg().survey.reminderDays;
      const candidates = (await knex()(SURVEY_TABLE)
        .where('status', 'open')
        .whereNot('way', 'phone_visit')
        .whereNull('reminder_sent_at')
        .andWhere('sent_at', '<=', new Date(now.getTime() - days * 86_400_000))
        .select('id', 'complaint_id', 'phone', 'round', 'status', 'way', 'sent_at', 'expires_at', 'reminder_sent_at')) as Array<SurveyRow & { sent_at: string | Date | null; reminder_sent_at: string | Date | null }>;
      const due = candidates.filter((s) =>
        surveyReminderDue({ status: s.status as 'open', way: s.way as 'link', sentAt: s.sent_at, expiresAt: s.expires_at, reminderSentAt: s.reminder_sent_at }, now, days)
      );
      const sms = getService('sms', strapi);
      let n = 0;
      for (const s of due) {
        await inTransaction(strapi, async (trx) => {
          const c = await complaintState(trx, s.complaint_id);
          // Only a closed complaint is being asked about; a survey's phone is its traceable contact.
          if (!c || c.state !== CLOSED_STATE || !s.phone) return;
          const token = s.way === 'link' ? randomBytes(24).toString('base64url') : null;
          const changed = await trx(SURVEY_TABLE)
            .where({ id: s.id, status: 'open' })
            .whereNull('reminder_sent_at')
            .update({ reminder_sent_at: now, reminder_token_hash: token ? hashToken(token) : null, updated_at: now });
          if (!changed) return;
          const variant = s.way === 'reply' ? 'reply' : 'link';
          const params: Record<string, string> = { county: cfg().sms.signature, ledgerNo: c.ledger_no };
          if (token) params.surveyUrl = `${publicUrl()}/survey/${token}`;
          const body = renderMessage('survey_reminder', variant, params, cfg().sms.templates);
          await sms.queue([{ complaintId: s.complaint_id, phone: s.phone, template: 'survey_reminder', templateKey: templateKey('survey_reminder', variant), params: usedParams('survey_reminder', variant, params, cfg().sms.templates), body, idempotencyKey: `reminder:${s.id}` }], now);
          await getService('history', strapi).appendMany([event(s.complaint_id, 'survey_reminded', SYSTEM_ACTOR, { surveyId: s.id, round: s.round, way: s.way }, c.state, now)]);
          n += 1;
        });
      }
      return n;
    },
  };
};
