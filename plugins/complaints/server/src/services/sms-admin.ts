/**
 * The operator's screens of the SMS outbox: the outbox list and the decisions on `failed` and
 * `uncertain` messages, the opt-out list, and the phone return visits (surveys no SMS can carry).
 * Every decision, staff opt-out and return visit writes its event to the complaint's
 * hash-chained history, in the same transaction and without the phone. Lists show phones masked
 * unless the role sees full phones, and never a live survey token.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE } from '../constants';
import { addDays, startOfDayUtc } from '../domain/calendar';
import { CLOSED_STATE } from '../domain/complaint-state';
import { DomainError } from '../domain/errors';
import type { Actor } from '../domain/history-chain';
import { maskPhone } from '../domain/masking';
import { parsePhone } from '../domain/phone';
import {
  decisionsFor,
  outboxBody,
  outboxError,
  parseDecisionInput,
  parseOptOutInput,
  parseOptOutQuery,
  parseOutboxQuery,
  parsePaging,
  parseReturnVisitInput,
} from '../domain/sms-admin';
import { seesFullPhone } from '../domain/workflow';
import { getConfig, getService, inTransaction, isPostgres } from '../utils';
import { applyScope, type AdminUserLike } from './access';
import { OPT_OUT_TABLE, SMS_TABLE } from './sms';

const messageNotFound = () => new DomainError('not_found', 'not_found', '短信不存在', 'Message not found');

const iso = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(v as string).toISOString());

/** What a decision leaves the message in (services/sms.ts `resolve`). */
const AFTER = { resend: 'queued', mark_sent: 'sent', cancel: 'suppressed' } as const;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const access = () => getService('access', strapi);

  const who = async (user: AdminUserLike) => {
    const ctx = await access().context(user);
    return { ctx, full: seesFullPhone(ctx), showPhone: (p: string | null) => (seesFullPhone(ctx) ? p : maskPhone(p)) };
  };

  const stateOf = async (trx: Knex.Transaction, complaintId: number): Promise<string> =>
    ((await trx(TABLE.complaint).where('id', complaintId).first('state')) as { state: string } | undefined)?.state ?? CLOSED_STATE;

  const append = async (trx: Knex.Transaction, complaintIds: number[], type: string, actor: Actor, data: Record<string, unknown>, now: Date) => {
    const items = [];
    for (const id of Array.from(new Set(complaintIds))) {
      const state = await stateOf(trx, id);
      items.push({ complaintId: id, event: { type, actor, at: now, fromState: state, toState: state, data } });
    }
    if (items.length) await getService('history', strapi).appendMany(items);
  };

  /**
   * The complaints a number is followed up for: those with its open survey, and the one of the
   * latest message sent to it. A staff opt-out or opt-in is recorded in their histories.
   */
  const complaintsOfPhone = async (trx: Knex.Transaction, phone: string): Promise<number[]> => {
    const surveys = (await trx(TABLE.survey).where({ phone, status: 'open' }).select('complaint_id')) as Array<{ complaint_id: number }>;
    const last = (await trx(SMS_TABLE).where({ phone, direction: 'outbound' }).whereNotNull('complaint_id').orderBy('id', 'desc').first('complaint_id')) as { complaint_id: number } | undefined;
    return [...surveys.map((s) => Number(s.complaint_id)), ...(last ? [Number(last.complaint_id)] : [])];
  };

  return {
    /** GET /complaints/sms/messages: the outbox, newest first, filtered and paged. */
    async listOutbox(query: Record<string, unknown>, user: AdminUserLike, mayDecide: boolean) {
      const q = parseOutboxQuery(query);
      const { showPhone } = await who(user);
      const tz = getConfig(strapi).timeZone;
      const base = knex()(`${SMS_TABLE} as m`).leftJoin(`${TABLE.complaint} as c`, 'c.id', 'm.complaint_id').where('m.direction', 'outbound');
      if (q.statuses.length) base.whereIn('m.status', q.statuses);
      if (q.templates.length) base.whereIn('m.template', q.templates);
      if (q.from) base.where('m.created_at', '>=', startOfDayUtc(q.from, tz));
      if (q.to) base.where('m.created_at', '<', startOfDayUtc(addDays(q.to, 1), tz));
      if (q.ledgerNo) base.where('c.ledger_no', q.ledgerNo);
      const total = Number(((await base.clone().count({ n: '*' }).first()) as { n: number | string }).n);
      const rows = (await base
        .clone()
        .orderBy('m.id', 'desc')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .select(
          'm.id', 'm.phone', 'm.template', 'm.body', 'm.status', 'm.attempts', 'm.last_error', 'm.created_at', 'm.next_attempt_at', 'm.sent_at', 'm.provider',
          'c.ledger_no', 'c.document_id as complaint_document_id'
        )) as Array<Record<string, any>>;
      const byStatus = (await knex()(SMS_TABLE).where('direction', 'outbound').select('status').count({ n: '*' }).groupBy('status')) as Array<{ status: string; n: number | string }>;
      return {
        data: rows.map((r) => ({
          id: Number(r.id),
          ledgerNo: r.ledger_no ?? null,
          complaintDocumentId: r.complaint_document_id ?? null,
          phone: showPhone(r.phone ?? null),
          template: r.template,
          body: outboxBody(r.body),
          status: r.status,
          attempts: Number(r.attempts ?? 0),
          lastError: outboxError(r.last_error),
          provider: r.provider ?? null,
          createdAt: iso(r.created_at),
          nextAttemptAt: iso(r.next_attempt_at),
          sentAt: iso(r.sent_at),
          decisions: mayDecide ? decisionsFor(r.status) : [],
        })),
        meta: {
          page: q.page,
          pageSize: q.pageSize,
          total,
          statusCounts: Object.fromEntries(byStatus.map((s) => [s.status, Number(s.n)])),
        },
      };
    },

    /**
     * POST /complaints/sms/messages/:id/decision { decision, reason }: a person's decision on a
     * `failed` or `uncertain` message, with its history event (who, when, why; no phone).
     */
    async decide(id: number, raw: unknown, user: AdminUserLike, now = new Date()) {
      const { decision, reason } = parseDecisionInput(raw);
      const actor = await access().actor(user);
      return inTransaction(strapi, async (trx: Knex.Transaction) => {
        let q = trx(SMS_TABLE).where({ id, direction: 'outbound' }).first('id', 'status', 'template', 'complaint_id');
        if (isPostgres(strapi)) q = q.forUpdate();
        const m = (await q) as { id: number; status: string; template: string; complaint_id: number | null } | undefined;
        if (!m) throw messageNotFound();
        const allowed = decisionsFor(m.status);
        if (!allowed.includes(decision)) {
          throw new DomainError('conflict', 'decision_not_allowed', `该短信当前状态为「${m.status}」，不能执行此处理`, `A message in status "${m.status}" does not take this decision`, { status: m.status, allowed });
        }
        if (!(await getService('sms', strapi).resolve(id, decision, now))) {
          throw new DomainError('conflict', 'decision_not_allowed', '该短信已被处理', 'The message has been decided already', { status: m.status, allowed: [] });
        }
        if (m.complaint_id) {
          await append(trx, [Number(m.complaint_id)], 'sms_resolved', actor, { messageId: Number(m.id), template: m.template, from: m.status, decision, reason }, now);
        }
        return { id: Number(m.id), from: m.status, status: AFTER[decision], decision };
      });
    },

    /** GET /complaints/sms/opt-outs: the numbers that get no SMS, newest first. */
    async listOptOuts(query: Record<string, unknown>, user: AdminUserLike) {
      const { full, showPhone } = await who(user);
      const q = parseOptOutQuery(query, full);
      const base = knex()(OPT_OUT_TABLE);
      if (q.phone) base.where('phone', q.phone);
      const total = Number(((await base.clone().count({ n: '*' }).first()) as { n: number | string }).n);
      const rows = (await base
        .clone()
        .orderBy('opted_out_at', 'desc')
        .orderBy('phone')
        .limit(q.pageSize)
        .offset((q.page - 1) * q.pageSize)
        .select('phone', 'opted_out_at', 'source', 'actor_name', 'reason')) as Array<Record<string, any>>;
      return {
        data: rows.map((r) => ({ phone: showPhone(r.phone), optedOutAt: iso(r.opted_out_at), source: r.source, actorName: r.actor_name ?? null, reason: r.reason ?? null })),
        meta: { page: q.page, pageSize: q.pageSize, total },
      };
    },

    /**
     * POST /complaints/sms/opt-outs { phone, reason }: a citizen asked staff (by phone, at the
     * counter) for no more messages. Messages still queued for the number are suppressed.
     */
    async addOptOut(raw: unknown, user: AdminUserLike, now = new Date()) {
      const { phone, reason } = parseOptOutInput(raw);
      const actor = await access().actor(user);
      return inTransaction(strapi, async (trx: Knex.Transaction) => {
        const added = await getService('sms', strapi).optOut(phone, 'staff', now, { actorId: actor.id ?? null, actorName: actor.name ?? null, reason });
        if (!added) throw new DomainError('conflict', 'already_opted_out', '该号码已在退订名单中', 'The number is on the opt-out list already');
        const suppressed = await trx(SMS_TABLE).where({ phone, direction: 'outbound', status: 'queued' }).update({ status: 'suppressed', last_error: 'opted_out', updated_at: now });
        await append(trx, await complaintsOfPhone(trx, phone), 'sms_opted_out', actor, { source: 'staff', reason }, now);
        return { phone, optedOutAt: now.toISOString(), suppressed: Number(suppressed) };
      });
    },

    /** POST /complaints/sms/opt-outs/remove { phone, reason }: the citizen opts back in. */
    async removeOptOut(raw: unknown, user: AdminUserLike, now = new Date()) {
      const { phone, reason } = parseOptOutInput(raw);
      const actor = await access().actor(user);
      return inTransaction(strapi, async (trx: Knex.Transaction) => {
        if (!(await getService('sms', strapi).optIn(phone))) throw new DomainError('not_found', 'not_opted_out', '该号码不在退订名单中', 'The number is not on the opt-out list');
        await append(trx, await complaintsOfPhone(trx, phone), 'sms_opted_in', actor, { source: 'staff', reason }, now);
        return { phone, removed: true };
      });
    },

    /**
     * GET /complaints/return-visits: closed complaints whose open survey must be done by phone
     * (a landline, an opted-out number, or a destination no SMS survey reaches), in the
     * caller's scope (a unit's operator: its own unit's complaints).
     */
    async listReturnVisits(query: Record<string, unknown>, user: AdminUserLike) {
      const known = ['ledgerNo', 'page', 'pageSize'];
      const unknown = Object.keys(query).filter((k) => !known.includes(k));
      if (unknown.length) throw new DomainError('validation', 'unknown_parameter', '未知的查询参数', 'Unknown query parameter', { allowed: known });
      const { page, pageSize } = parsePaging(query);
      const ledgerNo = typeof query.ledgerNo === 'string' && query.ledgerNo.trim() ? query.ledgerNo.trim().slice(0, 64) : null;
      if (query.ledgerNo !== undefined && typeof query.ledgerNo !== 'string') throw new DomainError('validation', 'invalid_input', '诉求编号无效', 'Invalid ledgerNo', { field: 'ledgerNo' });
      const { ctx, showPhone } = await who(user);
      const base = knex()(`${TABLE.survey} as s`)
        .join(`${TABLE.complaint} as c`, 'c.id', 's.complaint_id')
        .where({ 's.status': 'open', 's.way': 'phone_visit' });
      applyScope(base, ctx, { state: 'c.state', responsibleUnitId: 'c.responsible_unit_id', leadUnitId: 'c.lead_unit_id' });
      if (ledgerNo) base.where('c.ledger_no', ledgerNo);
      const total = Number(((await base.clone().count({ n: '*' }).first()) as { n: number | string }).n);
      const rows = (await base
        .clone()
        .leftJoin(`${TABLE.unit} as u`, 'u.id', 'c.responsible_unit_id')
        .leftJoin(`${TABLE.category} as k`, 'k.code', 'c.category_code')
        .orderBy('s.sent_at', 'asc')
        .orderBy('s.id', 'asc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .select('s.id', 's.phone', 's.round', 's.sent_at', 'c.document_id', 'c.ledger_no', 'c.closed_at', 'u.name as unit_name', 'k.name as category_name')) as Array<Record<string, any>>;
      const phones = rows.map((r) => r.phone).filter(Boolean);
      const optedOut = new Set(
        phones.length ? ((await knex()(OPT_OUT_TABLE).whereIn('phone', phones).select('phone')) as Array<{ phone: string }>).map((r) => r.phone) : []
      );
      return {
        data: rows.map((r) => ({
          surveyId: Number(r.id),
          documentId: r.document_id,
          ledgerNo: r.ledger_no,
          phone: showPhone(r.phone ?? null),
          // Why no SMS asks this citizen: what the return visit stands in for.
          why: parsePhone(r.phone).kind !== 'mobile' ? 'landline' : optedOut.has(r.phone) ? 'opted_out' : 'no_sms_survey',
          round: Number(r.round ?? 1),
          unitName: r.unit_name ?? null,
          categoryName: r.category_name ?? null,
          closedAt: iso(r.closed_at),
          openedAt: iso(r.sent_at),
        })),
        meta: { page, pageSize, total },
      };
    },

    /**
     * POST /complaints/complaints/:documentId/return-visit { answer, comment }: the staff's
     * record of a phone return visit. Another unit's complaint answers as one that does not
     * exist; a visit already recorded is refused.
     */
    async recordReturnVisit(documentId: string, raw: unknown, user: AdminUserLike, now = new Date()) {
      const { view } = await access().visible(documentId, user);
      const { answer, comment } = parseReturnVisitInput(raw);
      const actor = await access().actor(user);
      return inTransaction(strapi, async (trx: Knex.Transaction) => {
        const latest = (await trx(TABLE.survey).where('complaint_id', view.id).orderBy('id', 'desc').first('id', 'status', 'way')) as { id: number; status: string; way: string } | undefined;
        if (latest?.status === 'answered') throw new DomainError('conflict', 'already_answered', '该诉求的回访结果已记录，不能再次记录', 'This survey is answered already; it cannot be answered again');
        if (!latest || latest.status !== 'open' || latest.way !== 'phone_visit') {
          throw new DomainError('conflict', 'no_return_visit', '该诉求没有待办的电话回访', 'This complaint has no phone return visit waiting');
        }
        const outcome = await getService('surveys', strapi).recordPhoneVisit(view.id, answer, comment, actor, now);
        if (outcome !== 'answered') throw new DomainError('conflict', 'already_answered', '该诉求的回访结果已记录，不能再次记录', 'This survey is answered already; it cannot be answered again');
        return { documentId, ledgerNo: view.ledgerNo, surveyId: Number(latest.id), answer, via: 'phone_visit' };
      });
    },
  };
};
