/**
 * The handling workflow (services side): load complaints, gather the facts a transition needs,
 * ask the domain (domain/workflow.ts) for a plan, and apply every plan of a batch in one
 * transaction with one history event per complaint. All-or-nothing: one refused member fails
 * the whole batch. Scope is checked here, for every complaint, not only by query filters.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE, UID } from '../constants';
import { calendarDay, toCalendarDay } from '../domain/calendar';
import { ACTIONS, isAction, type ComplaintState, type SignStep, type TransitionAction } from '../domain/complaint-state';
import { parsePositiveId } from '../domain/bad-input';
import { DomainError } from '../domain/errors';
import type { Actor, NewEvent } from '../domain/history-chain';
import { ROLE_CODES, type RoleKey } from '../domain/roles';
import { majorCodeOf, leadUnitOf, routeUnit } from '../domain/routing';
import { requiredAspectsFor } from '../domain/terms';
import {
  availableActions,
  maySee,
  seesEmptyGroup,
  planTransition,
  type ActorContext,
  type ComplaintView,
  type TransitionFacts,
  type TransitionPlan,
} from '../domain/workflow';
import { chunks, getConfig, getService, inTransaction, isPostgres, safeDbError } from '../utils';

export const MAX_BATCH = 5000;

const COMPLAINT_COLUMNS = [
  'id', 'document_id', 'ledger_no', 'state', 'town', 'category_code', 'responsible_unit_id', 'lead_unit_id',
  'problem_group_id', 'nature', 'mode', 'deadline', 'sign_step', 'reopen_count', 'send_back_count', 'return_count',
];

export interface AdminUserLike {
  id: number;
  firstname?: string | null;
  lastname?: string | null;
  username?: string | null;
  roles?: Array<{ code: string }>;
}

export interface BatchTarget {
  documentIds?: string[];
  /** A problem group's documentId: every member. */
  problemGroup?: string;
}

export interface TransitionResult {
  documentId: string;
  ledgerNo: string;
  from: ComplaintState;
  to: ComplaintState;
}

const roleKeyByCode = new Map<string, RoleKey>(Object.entries(ROLE_CODES).map(([k, code]) => [code, k as RoleKey]));

const notFound = (what = '诉求') => new DomainError('not_found', 'not_found', `${what}不存在或无权查看`, 'Not found, or not visible to you');

/**
 * The answer when some requested complaints do not exist or belong to another unit: the same
 * in both cases, neither counted nor named, so a caller learns nothing about other units.
 */
export const outOfReach = (requested: number): DomainError =>
  requested <= 1
    ? notFound()
    : new DomainError('not_found', 'not_found', '部分诉求不存在或无权查看，全部未办理', 'Some complaints do not exist or are not visible to you; nothing was changed');

/** Another unit's problem group answers as one that does not exist. */
export const groupOutOfReach = (): DomainError =>
  new DomainError('not_found', 'not_found', '共性问题小类不存在或无权查看', 'Problem group not found, or not visible to you');

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const cfg = () => getConfig(strapi);
  const col = (attr: string) => getService('bulk', strapi).columnOf(UID.complaint, attr);

  const toView = (r: Record<string, any>, measureVersion: number, signRound: number): ComplaintView & { documentId: string } => ({
    id: Number(r.id),
    documentId: r.document_id,
    ledgerNo: r.ledger_no,
    state: r.state,
    town: r.town ?? null,
    categoryCode: r.category_code ?? null,
    responsibleUnitId: r.responsible_unit_id === null || r.responsible_unit_id === undefined ? null : Number(r.responsible_unit_id),
    leadUnitId: r.lead_unit_id === null || r.lead_unit_id === undefined ? null : Number(r.lead_unit_id),
    problemGroupId: r.problem_group_id === null || r.problem_group_id === undefined ? null : Number(r.problem_group_id),
    nature: r.nature ?? null,
    mode: r.mode ?? null,
    deadline: toCalendarDay(r.deadline),
    signStep: (r.sign_step ?? null) as SignStep | null,
    reopenCount: Number(r.reopen_count ?? 0),
    sendBackCount: Number(r.send_back_count ?? 0),
    returnCount: Number(r.return_count ?? 0),
    measureVersion,
    signRound,
  });

  /** Loads complaints by id (locked for update on PostgreSQL when inside a transaction). */
  const loadViews = async (trx: Knex | Knex.Transaction, ids: number[], lock = false) => {
    const out: Array<ComplaintView & { documentId: string }> = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      let q = trx(TABLE.complaint).select(COMPLAINT_COLUMNS).whereIn('id', chunk).orderBy('id');
      if (lock && isPostgres(strapi)) q = q.forUpdate();
      const rows = (await q) as Array<Record<string, any>>;
      const versions = new Map<number, number>();
      for (const r of (await trx('measures').select('complaint_id').max({ v: 'version' }).whereIn('complaint_id', chunk).groupBy('complaint_id')) as any[]) {
        versions.set(Number(r.complaint_id), Number(r.v ?? 0));
      }
      const rejections = new Map<number, number>();
      for (const r of (await trx('sign_offs').select('complaint_id').count({ n: '*' }).whereIn('complaint_id', chunk).where('decision', 'rejected').groupBy('complaint_id')) as any[]) {
        rejections.set(Number(r.complaint_id), Number(r.n));
      }
      for (const r of rows) out.push(toView(r, versions.get(Number(r.id)) ?? 0, (rejections.get(Number(r.id)) ?? 0) + 1));
    }
    return out;
  };

  /** The complaint ids of a batch: its documentIds (at most MAX_BATCH, all existing), or a problem group's members. */
  const resolveTargetIds = async (target: BatchTarget, actor?: ActorContext): Promise<number[]> => {
    if (target.problemGroup) {
      const group = (await knex()('problem_groups').where('document_id', target.problemGroup).first('id', 'unit_id')) as { id: number; unit_id: number } | undefined;
      if (!group) throw groupOutOfReach();
      const rows = await knex()(TABLE.complaint).where('problem_group_id', group.id).select('id').orderBy('id');
      if (rows.length === 0) {
        // Members decide visibility; an empty group is visible to its unit and the county only.
        if (actor && !seesEmptyGroup(group.unit_id === null ? null : Number(group.unit_id), actor)) throw groupOutOfReach();
        throw new DomainError('validation', 'empty_group', '该共性问题小类没有诉求', 'The problem group has no complaints');
      }
      return rows.map((r: any) => Number(r.id));
    }
    const docs = Array.from(new Set((target.documentIds ?? []).filter((d) => typeof d === 'string')));
    if (docs.length === 0) throw new DomainError('validation', 'missing_input', '请选择要办理的诉求（documentIds）', 'Choose the complaints to act on (documentIds)', { field: 'documentIds' });
    if (docs.length > MAX_BATCH) throw new DomainError('validation', 'batch_too_large', `一次最多办理 ${MAX_BATCH} 条`, `At most ${MAX_BATCH} complaints per batch`);
    const rows: Array<{ id: number; document_id: string }> = [];
    for (let i = 0; i < docs.length; i += 1000) rows.push(...((await knex()(TABLE.complaint).whereIn('document_id', docs.slice(i, i + 1000)).select('id', 'document_id')) as any[]));
    if (rows.length !== docs.length) throw outOfReach(docs.length);
    return rows.map((r) => Number(r.id));
  };

  /** Facts the plans need, looked up once per batch. */
  const gatherFacts = async (k: Knex | Knex.Transaction, views: ComplaintView[], action: TransitionAction, input: Record<string, unknown>, now: Date) => {
    const c = cfg();
    const today = calendarDay(now, c.timeZone);
    const base: TransitionFacts = { now, today, measureThresholds: c.warnings.measure, responseThresholds: c.warnings.response };
    const perComplaint = new Map<number, Partial<TransitionFacts>>();

    if (action === 'classify') {
      const code = typeof input.categoryCode === 'string' ? input.categoryCode.trim() : null;
      const cat = code ? ((await k(TABLE.category).where('code', code).first('id', 'code', 'tier', 'lead_unit_id', 'response_days')) as any) : null;
      let category: TransitionFacts['category'] = null;
      if (cat) {
        const own = { tier: String(cat.tier), leadUnitId: cat.lead_unit_id ? Number(cat.lead_unit_id) : null };
        const majorCode = majorCodeOf(String(cat.code));
        const major = own.leadUnitId === null && own.tier === 'minor' ? ((await k(TABLE.category).where('code', majorCode).first('lead_unit_id')) as any) : null;
        const leadUnitId = leadUnitOf(own, major ? { leadUnitId: major.lead_unit_id ? Number(major.lead_unit_id) : null } : null);
        category = { id: Number(cat.id), code: cat.code, tier: cat.tier, majorCode, leadUnitId, responseDays: Number(cat.response_days ?? c.defaultResponseDays) };
      }
      const given = input.responsibleUnitId !== undefined && input.responsibleUnitId !== null && input.responsibleUnitId !== '';
      const explicitUnit = given ? parsePositiveId(input.responsibleUnitId) : null;
      if (given && explicitUnit === null) {
        throw new DomainError('validation', 'invalid_input', '责任单位（responsibleUnitId）须为单位编号', 'responsibleUnitId must be a unit id', { field: 'responsibleUnitId' });
      }
      const units = new Map<number, { id: number; isResponsible: boolean }>();
      const loadUnit = async (id: number) => {
        if (!units.has(id)) {
          const u = (await k(TABLE.unit).where('id', id).first('id', 'is_responsible')) as any;
          units.set(id, u ? { id: Number(u.id), isResponsible: u.is_responsible === true || u.is_responsible === 1 } : (null as any));
        }
        return units.get(id) ?? null;
      };
      // Routing table: minor category × town → default responsible unit (a rule without a town applies to every town).
      const link = getService('bulk', strapi).linkTable(UID.routingRule, 'unit');
      const rules = code
        ? ((await k('routing_rules as r')
            .join(`${link.name} as l`, `l.${link.ownerColumn}`, 'r.id')
            .where('r.category_code', code)
            .select('r.town as town', `l.${link.targetColumn} as unit_id`)) as Array<{ town: string | null; unit_id: number }>).map((r) => ({ town: r.town, unitId: Number(r.unit_id) }))
        : [];
      for (const v of views) {
        const unitId = explicitUnit ?? routeUnit(rules, v.town);
        perComplaint.set(v.id, { category, responsibleUnit: unitId === null ? null : await loadUnit(unitId) });
      }
    }
    if (action === 'assign') {
      const codes = Array.from(new Set(views.map((v) => v.categoryCode).filter(Boolean))) as string[];
      const days = new Map<string, number>();
      for (const r of (await k(TABLE.category).whereIn('code', codes).select('code', 'response_days')) as any[]) days.set(r.code, Number(r.response_days ?? c.defaultResponseDays));
      for (const v of views) perComplaint.set(v.id, { responseDays: days.get(v.categoryCode ?? '') ?? c.defaultResponseDays });
    }
    if (action === 'accept' && input.nature === 'common' && input.problemGroup) {
      const g = (await k('problem_groups').where('document_id', String(input.problemGroup)).first('id', 'unit_id', 'category_code')) as any;
      const problemGroup = g ? { id: Number(g.id), unitId: g.unit_id === null ? null : Number(g.unit_id), categoryCode: g.category_code ?? null } : null;
      for (const v of views) perComplaint.set(v.id, { problemGroup });
    }
    if (action === 'screen_invalid' && input.reason === 'duplicate' && typeof input.duplicateOf === 'string') {
      const exists = Boolean(await k(TABLE.complaint).where('ledger_no', input.duplicateOf.trim()).first('id'));
      for (const v of views) perComplaint.set(v.id, { duplicateOfExists: exists });
    }
    if (action === 'approve_measure') {
      const current = new Map<number, any>();
      const version = new Map(views.map((v) => [v.id, v.measureVersion]));
      for (const part of chunks(views.map((v) => v.id), 1000)) {
        for (const m of (await k('measures').whereIn('complaint_id', part).select('complaint_id', 'version', 'mode', 'deadline', 'review_state')) as any[]) {
          if (Number(m.version) === version.get(Number(m.complaint_id))) current.set(Number(m.complaint_id), m);
        }
      }
      for (const v of views) {
        const m = current.get(v.id);
        perComplaint.set(v.id, { reviewedMeasure: m && m.review_state === 'in_review' ? { version: Number(m.version), mode: m.mode, deadline: toCalendarDay(m.deadline) } : null });
      }
    }
    if (action === 'complete') {
      const ids = views.map((v) => v.id);
      const aspects = new Map<number, string[]>();
      for (const r of (await k('evidences').whereIn('complaint_id', ids).select('complaint_id', 'aspect')) as any[]) {
        const list = aspects.get(Number(r.complaint_id)) ?? [];
        list.push(r.aspect);
        aspects.set(Number(r.complaint_id), list);
      }
      for (const v of views) {
        perComplaint.set(v.id, { evidenceAspects: aspects.get(v.id) ?? [], requiredAspects: requiredAspectsFor(v.mode, c.evidence.requiredAspects) });
      }
    }
    return (id: number): TransitionFacts => ({ ...base, ...(perComplaint.get(id) ?? {}) });
  };

  const applyPlans = async (
    trx: Knex.Transaction,
    items: Array<{ view: ComplaintView & { documentId: string }; plan: TransitionPlan }>,
    actor: Actor,
    now: Date
  ) => {
    const bulk = getService('bulk', strapi);
    // Complaint rows: one UPDATE per distinct patch (a group's members share theirs).
    const byPatch = new Map<string, { patch: Record<string, unknown>; ids: number[] }>();
    for (const { view, plan } of items) {
      const patch = { ...plan.patch, state: plan.to };
      const key = JSON.stringify(patch, (_k, val) => (val instanceof Date ? val.toISOString() : val));
      const entry = byPatch.get(key) ?? { patch, ids: [] as number[] };
      entry.ids.push(view.id);
      byPatch.set(key, entry);
    }
    for (const { patch, ids } of byPatch.values()) {
      const row: Record<string, unknown> = { updated_at: now };
      for (const [attr, value] of Object.entries(patch)) row[col(attr)] = value;
      for (let i = 0; i < ids.length; i += 1000) {
        try {
          await trx(TABLE.complaint).whereIn('id', ids.slice(i, i + 1000)).update(row);
        } catch (e) {
          throw safeDbError(e, 'workflow update');
        }
      }
    }
    // Relations (link tables) next to their scalar copies, in the same transaction.
    const relationAttrs = ['category', 'responsibleUnit', 'leadUnit', 'problemGroup'] as const;
    for (const attr of relationAttrs) {
      const touched = items.filter((it) => it.plan.relations && attr in it.plan.relations);
      if (touched.length === 0) continue;
      await bulk.unlink(UID.complaint, attr, touched.map((it) => it.view.id));
      const pairs = touched
        .filter((it) => it.plan.relations![attr] !== null && it.plan.relations![attr] !== undefined)
        .map((it): [number, number] => [it.view.id, Number(it.plan.relations![attr])]);
      await bulk.link(UID.complaint, attr, pairs);
    }
    // Measures: a resubmission is a new version; the old ones are kept.
    const measures = items.filter((it) => it.plan.measure);
    if (measures.length) {
      const ids = await bulk.insert(
        UID.measure,
        measures.map(({ view, plan }) => ({
          complaintId: view.id,
          problemGroupId: view.problemGroupId,
          version: plan.measure!.version,
          mode: plan.measure!.mode,
          text: plan.measure!.text,
          responsiblePerson: plan.measure!.responsiblePerson,
          deadline: plan.measure!.deadline,
          policyRef: plan.measure!.policyRef,
          milestones: plan.measure!.milestones,
          reviewState: 'in_review',
          submittedById: actor.id ?? null,
          submittedByName: actor.name ?? null,
          submittedAt: now,
        })),
        { now }
      );
      await bulk.link(UID.measure, 'complaint', ids.map((id, i): [number, number] => [id, measures[i].view.id]));
    }
    // Reviews: the measures under review, found in one read, written in one update per decision.
    const reviewed = items.filter((it) => it.plan.review);
    if (reviewed.length) {
      const want = new Map(reviewed.map(({ view, plan }) => [view.id, plan.review!]));
      const byDecision = new Map<string, { review: NonNullable<TransitionPlan['review']>; ids: number[] }>();
      for (const part of chunks([...want.keys()], 1000)) {
        for (const m of (await trx('measures').whereIn('complaint_id', part).select('id', 'complaint_id', 'version')) as any[]) {
          const review = want.get(Number(m.complaint_id))!;
          if (Number(m.version) !== review.version) continue;
          const key = JSON.stringify([review.decision, review.comment]);
          if (!byDecision.has(key)) byDecision.set(key, { review, ids: [] });
          byDecision.get(key)!.ids.push(Number(m.id));
        }
      }
      for (const { review, ids } of byDecision.values()) {
        for (const part of chunks(ids, 1000)) {
          await trx('measures').whereIn('id', part).update({
            review_state: review.decision,
            review_comment: review.comment,
            reviewed_by_id: actor.id ?? null,
            reviewed_by_name: actor.name ?? null,
            reviewed_at: now,
            updated_at: now,
          });
        }
      }
    }
    const signOffs = items.filter((it) => it.plan.signOff);
    if (signOffs.length) {
      const ids = await bulk.insert(
        UID.signOff,
        signOffs.map(({ view, plan }) => ({
          complaintId: view.id,
          round: plan.signOff!.round,
          step: plan.signOff!.step,
          decision: plan.signOff!.decision,
          reason: plan.signOff!.reason,
          signerId: actor.id ?? null,
          signerName: actor.name ?? null,
          signerUnitName: actor.unitName ?? null,
          signedAt: now,
        })),
        { now }
      );
      await bulk.link(UID.signOff, 'complaint', ids.map((id, i): [number, number] => [id, signOffs[i].view.id]));
    }
    // One event per complaint, chained.
    await getService('history', strapi).appendMany(
      items.map(({ view, plan }) => ({
        complaintId: view.id,
        event: { type: plan.action, actor, at: now, fromState: plan.from, toState: plan.to, data: plan.eventData } as NewEvent,
      }))
    );
  };

  return {
    /** The workflow's view of an admin user: Minyi roles, Super Admin, units. */
    async actorContext(user: AdminUserLike): Promise<ActorContext> {
      let roles = user.roles;
      if (!roles) {
        const u = (await strapi.db.query('admin::user').findOne({ where: { id: user.id }, populate: ['roles'] })) as AdminUserLike | null;
        roles = u?.roles ?? [];
      }
      const codes = roles.map((r) => r.code);
      const units = await getService('actors', strapi).unitsOf(user.id);
      return {
        userId: user.id,
        superAdmin: codes.includes('strapi-super-admin'),
        roles: codes.map((c) => roleKeyByCode.get(c)).filter(Boolean) as RoleKey[],
        unitIds: units.map((u) => u.id),
      };
    },

    async actorFor(user: AdminUserLike): Promise<Actor> {
      const [unit] = await getService('actors', strapi).unitsOf(user.id);
      const name = [user.firstname, user.lastname].filter(Boolean).join(' ') || user.username || `admin#${user.id}`;
      return { kind: 'admin', id: user.id, name, unitId: unit?.id ?? null, unitName: unit?.name ?? null };
    },

    /** One complaint, if this user may see it (404 otherwise: its existence is not revealed). */
    async viewFor(documentId: string, user: AdminUserLike) {
      const row = (await knex()(TABLE.complaint).where('document_id', documentId).first('id')) as { id: number } | undefined;
      if (!row) throw notFound();
      const [view] = await loadViews(knex(), [Number(row.id)]);
      const ctx = await this.actorContext(user);
      if (!maySee(view, ctx)) throw notFound();
      return { view, ctx, available: availableActions(view, ctx, ACTIONS) };
    },

    /**
     * Takes one action on a set of complaints, all or nothing: every member is loaded (and
     * locked), checked for visibility, state, role, unit and inputs, then all are written in
     * one transaction with one event each.
     */
    async transition(target: BatchTarget, action: string, input: Record<string, unknown>, user: AdminUserLike): Promise<TransitionResult[]> {
      if (!isAction(action)) {
        throw new DomainError('validation', 'unknown_action', `未知操作「${String(action)}」`, `Unknown action "${String(action)}"`, { allowed: [...ACTIONS] });
      }
      const ctx = await this.actorContext(user);
      const actor = await this.actorFor(user);
      const ids = await resolveTargetIds(target, ctx);
      const now = new Date();
      return inTransaction(strapi, async (trx) => {
        const views = await loadViews(trx as Knex.Transaction, ids, true);
        if (views.some((v) => !maySee(v, ctx))) throw target.problemGroup ? groupOutOfReach() : outOfReach(views.length);
        const factsFor = await gatherFacts(trx as Knex.Transaction, views, action, input, now);
        const items: Array<{ view: ComplaintView & { documentId: string }; plan: TransitionPlan }> = [];
        for (const view of views) {
          try {
            items.push({ view, plan: planTransition(view, action, input, ctx, factsFor(view.id)) });
          } catch (e) {
            if (e instanceof DomainError && views.length > 1) {
              // Name the member that failed the batch.
              throw new DomainError(e.kind, e.code, `诉求 ${view.ledgerNo}：${e.zh}（全部未办理）`, `Complaint ${view.ledgerNo}: ${e.en} (nothing was changed)`, { ...e.details, ledgerNo: view.ledgerNo });
            }
            throw e;
          }
        }
        await applyPlans(trx as Knex.Transaction, items, actor, now);
        // Messages to citizens are recorded in the same transaction: a rolled-back transition
        // sends nothing, a committed one always has its message.
        const reaching = (to: string) => items.filter(({ plan }) => plan.to === to && plan.from !== to).map(({ view }) => view.id);
        if (reaching('accepted').length) await getService('sms', strapi).noticeAccepted(reaching('accepted'), now);
        if (reaching('closed').length) await getService('surveys', strapi).openFor(reaching('closed'), now);
        return items.map(({ view, plan }) => ({ documentId: view.documentId, ledgerNo: view.ledgerNo, from: plan.from, to: plan.to }));
      });
    },

    loadViews,
    resolveTargetIds,
  };
};
