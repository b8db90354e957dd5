/**
 * The handling workflow (services side): load the complaints (through access.ts, which checks
 * their scope), gather the facts a transition needs, ask the domain (domain/transitions) for a
 * plan, and apply every plan of a batch in one
 * transaction with one history event per complaint. All-or-nothing: one refused member fails
 * the whole batch. Scope is checked here, for every complaint, not only by query filters.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE, UID } from '../constants';
import { calendarDay, toCalendarDay } from '../domain/calendar';
import { ACTIONS, isAction, type ComplaintState, type TransitionAction } from '../domain/complaint-state';
import { parsePositiveId } from '../domain/bad-input';
import { DomainError } from '../domain/errors';
import type { Actor, NewEvent } from '../domain/history-chain';
import { majorCodeOf, leadUnitOf, routeUnit } from '../domain/routing';
import { requiredAspectsFor, UNDER_REVIEW } from '../domain/terms';
import { availableActions, planTransition, type ComplaintView, type TransitionFacts, type TransitionPlan } from '../domain/workflow';
import { chunks, getConfig, getService, inTransaction, safeDbError } from '../utils';
import type { AdminUserLike, BatchTarget, LoadedView } from './access';

export { MAX_BATCH, groupOutOfReach, outOfReach, type AdminUserLike, type BatchTarget } from './access';

export interface TransitionResult {
  documentId: string;
  ledgerNo: string;
  from: ComplaintState;
  to: ComplaintState;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const cfg = () => getConfig(strapi);
  const access = () => getService('access', strapi);
  const col = (attr: string) => getService('bulk', strapi).columnOf(UID.complaint, attr);

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
        ? ((await k(`${TABLE.routingRule} as r`)
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
      const g = (await k(TABLE.problemGroup).where('document_id', String(input.problemGroup)).first('id', 'unit_id', 'category_code')) as any;
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
        for (const m of (await k(TABLE.measure).whereIn('complaint_id', part).select('complaint_id', 'version', 'mode', 'deadline', 'review_state')) as any[]) {
          if (Number(m.version) === version.get(Number(m.complaint_id))) current.set(Number(m.complaint_id), m);
        }
      }
      for (const v of views) {
        const m = current.get(v.id);
        perComplaint.set(v.id, { reviewedMeasure: m && m.review_state === UNDER_REVIEW ? { version: Number(m.version), mode: m.mode, deadline: toCalendarDay(m.deadline) } : null });
      }
    }
    if (action === 'complete') {
      const ids = views.map((v) => v.id);
      const aspects = new Map<number, string[]>();
      for (const r of (await k(TABLE.evidence).whereIn('complaint_id', ids).select('complaint_id', 'aspect')) as any[]) {
        const list = aspects.get(Number(r.complaint_id)) ?? [];
        list.push(r.aspect);
        aspects.set(Number(r.complaint_id), list);
      }
      for (const v of views) {
        perComplaint.set(v.id, { evidenceAspects: aspects.get(v.id) ?? [], requiredAspects: requiredAspectsFor(v.mode, c.evidence.requiredAspects) });
      }
    }
    if (action === 'confirm_reopen' || action === 'reject_reopen') {
      // The request that is decided is the one on the complaint's latest survey.
      const latest = new Map<number, { id: number; round: number; reopen_request: string | null }>();
      for (const part of chunks(views.map((v) => v.id), 1000)) {
        const rows = (await k(TABLE.survey).whereIn('complaint_id', part).orderBy('round', 'asc').orderBy('id', 'asc').select('id', 'complaint_id', 'round', 'reopen_request')) as any[];
        for (const r of rows) latest.set(Number(r.complaint_id), { id: Number(r.id), round: Number(r.round), reopen_request: r.reopen_request ?? null });
      }
      for (const v of views) {
        const s = latest.get(v.id);
        const state = s?.reopen_request;
        perComplaint.set(v.id, {
          reopenRequest: s && (state === 'pending' || state === 'confirmed' || state === 'rejected') ? { surveyId: s.id, round: s.round, state } : null,
        });
      }
    }
    return (id: number): TransitionFacts => ({ ...base, ...(perComplaint.get(id) ?? {}) });
  };

  const applyPlans = async (
    trx: Knex.Transaction,
    items: Array<{ view: LoadedView; plan: TransitionPlan }>,
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
          reviewState: plan.measure!.reviewState,
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
        for (const m of (await trx(TABLE.measure).whereIn('complaint_id', part).select('id', 'complaint_id', 'version')) as any[]) {
          const review = want.get(Number(m.complaint_id))!;
          if (Number(m.version) !== review.version) continue;
          const key = JSON.stringify([review.decision, review.comment]);
          if (!byDecision.has(key)) byDecision.set(key, { review, ids: [] });
          byDecision.get(key)!.ids.push(Number(m.id));
        }
      }
      for (const { review, ids } of byDecision.values()) {
        for (const part of chunks(ids, 1000)) {
          await trx(TABLE.measure).whereIn('id', part).update({
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
    // Reopen requests: decided once. The conditional update is the guard against a decision
    // taken at the same moment by someone else: the loser's whole transaction rolls back.
    for (const { view, plan } of items) {
      if (!plan.reopenDecision) continue;
      const n = await trx(TABLE.survey)
        .where({ id: plan.reopenDecision.surveyId, reopen_request: 'pending' })
        .update({ reopen_request: plan.reopenDecision.decision, updated_at: now });
      if (n !== 1) {
        throw new DomainError('conflict', 'reopen_request_decided', `诉求 ${view.ledgerNo} 的重新整改申请已处理，不能再次决定`, `The reopen request of complaint ${view.ledgerNo} has already been decided; it cannot be decided again`);
      }
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
    /** One complaint this user may see, and the transitions they may take on it now. */
    async viewFor(documentId: string, user: AdminUserLike) {
      const { view, actor } = await access().visible(documentId, user);
      return { view, ctx: actor, available: availableActions(view, actor, ACTIONS) };
    },

    /**
     * Takes one action on a set of complaints, all or nothing: every member is loaded (and
     * locked), checked for visibility, state, role, unit and inputs, then all are written in
     * one transaction with one event each. `within` runs last in that transaction.
     */
    async transition(
      target: BatchTarget,
      action: string,
      input: Record<string, unknown>,
      user: AdminUserLike,
      opts: { within?: (trx: Knex.Transaction) => Promise<void> } = {}
    ): Promise<TransitionResult[]> {
      if (!isAction(action)) {
        throw new DomainError('validation', 'unknown_action', `未知操作「${String(action)}」`, `Unknown action "${String(action)}"`, { allowed: [...ACTIONS] });
      }
      const ctx = await access().context(user);
      const actor = await access().actor(user);
      const ids = await access().targets(target, ctx);
      const now = new Date();
      return inTransaction(strapi, async (trx) => {
        const views = await access().views(trx as Knex.Transaction, ids, true);
        access().assertVisible(views, ctx, target);
        const factsFor = await gatherFacts(trx as Knex.Transaction, views, action, input, now);
        const items: Array<{ view: LoadedView; plan: TransitionPlan }> = [];
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
        const contacted = (contact: TransitionPlan['citizenContact']) => items.filter(({ plan }) => plan.citizenContact === contact).map(({ view }) => view.id);
        if (contacted('registered_notice').length) await getService('sms', strapi).noticeAccepted(contacted('registered_notice'), now);
        if (contacted('survey').length) await getService('surveys', strapi).openFor(contacted('survey'), now);
        // A record the transition is part of (a failed spot check's result): written, or not, with it.
        if (opts.within) await opts.within(trx as Knex.Transaction);
        return items.map(({ view, plan }) => ({ documentId: view.documentId, ledgerNo: view.ledgerNo, from: plan.from, to: plan.to }));
      });
    },
  };
};
