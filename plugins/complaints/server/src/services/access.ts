/**
 * Access: who the admin user of a request is (the one place an actor is built), which
 * complaints they may reach, and the scope filter compiled into SQL. Every service that acts
 * or reads for a user starts here; a complaint out of reach answers as one that does not
 * exist, so a caller learns nothing about other units.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE, UID } from '../constants';
import { actorContextOf, displayName } from '../domain/actor';
import { toCalendarDay } from '../domain/calendar';
import type { SignStep } from '../domain/complaint-state';
import { DomainError } from '../domain/errors';
import { SYSTEM_ACTOR, type Actor } from '../domain/history-chain';
import { complaintScope, maySee, seesEmptyGroup, type ActorContext, type ComplaintView } from '../domain/workflow';
import { isPostgres } from '../utils';

export const MAX_BATCH = 5000;

export interface AdminUserLike {
  id: number;
  firstname?: string | null;
  lastname?: string | null;
  username?: string | null;
  roles?: Array<{ code: string }>;
}

export interface UnitRef {
  id: number;
  code: string;
  name: string;
}

export interface BatchTarget {
  documentIds?: string[];
  /** A problem group's documentId: every member. */
  problemGroup?: string;
}

export type LoadedView = ComplaintView & { documentId: string };

const notFound = () => new DomainError('not_found', 'not_found', '诉求不存在或无权查看', 'Not found, or not visible to you');

/**
 * The answer when some requested complaints do not exist or belong to another unit: the same
 * in both cases, neither counted nor named.
 */
export const outOfReach = (requested: number): DomainError =>
  requested <= 1
    ? notFound()
    : new DomainError('not_found', 'not_found', '部分诉求不存在或无权查看，全部未办理', 'Some complaints do not exist or are not visible to you; nothing was changed');

/** Another unit's problem group answers as one that does not exist. */
export const groupOutOfReach = (): DomainError =>
  new DomainError('not_found', 'not_found', '共性问题小类不存在或无权查看', 'Problem group not found, or not visible to you');

const COMPLAINT_COLUMNS = [
  'id', 'document_id', 'ledger_no', 'state', 'town', 'category_code', 'responsible_unit_id', 'lead_unit_id',
  'problem_group_id', 'nature', 'mode', 'deadline', 'sign_step', 'reopen_count', 'send_back_count', 'return_count',
];

const idOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const toView = (r: Record<string, any>, measureVersion: number, signRound: number): LoadedView => ({
  id: Number(r.id),
  documentId: r.document_id,
  ledgerNo: r.ledger_no,
  state: r.state,
  town: r.town ?? null,
  categoryCode: r.category_code ?? null,
  responsibleUnitId: idOrNull(r.responsible_unit_id),
  leadUnitId: idOrNull(r.lead_unit_id),
  problemGroupId: idOrNull(r.problem_group_id),
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

/** Column names of a complaint query, for `applyScope`. */
export interface ScopeColumns {
  state: string;
  responsibleUnitId: string;
  leadUnitId: string;
}

const DEFAULT_COLUMNS: ScopeColumns = { state: 'state', responsibleUnitId: 'responsible_unit_id', leadUnitId: 'lead_unit_id' };

/** The actor's scope as a WHERE on a complaint query: the same rule as `maySee`, for many rows at once. */
export const applyScope = <Q extends Knex.QueryBuilder>(q: Q, actor: ActorContext, columns: ScopeColumns = DEFAULT_COLUMNS): Q => {
  const scope = complaintScope(actor);
  if (scope.all) return q;
  q.whereIn(columns.state, [...scope.states]).where((b) => {
    if (scope.responsibleUnitIds.length) b.orWhereIn(columns.responsibleUnitId, scope.responsibleUnitIds);
    if (scope.leadUnitIds.length) b.orWhereIn(columns.leadUnitId, scope.leadUnitIds);
    if (!scope.responsibleUnitIds.length && !scope.leadUnitIds.length) b.whereRaw('1 = 0');
  });
  return q;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;

  const service = {
    /** The units an admin user belongs to (cached on the request). */
    async unitsOf(userId: number): Promise<UnitRef[]> {
      const ctx = strapi.requestContext.get() as any;
      const cache: Map<number, UnitRef[]> | undefined = ctx?.state ? (ctx.state.minyiUnits ??= new Map()) : undefined;
      const hit = cache?.get(userId);
      if (hit) return hit;
      const units = (await strapi.db.query(UID.unit as any).findMany({
        where: { members: { id: userId } },
        select: ['id', 'code', 'name'],
        orderBy: { id: 'asc' },
      })) as UnitRef[];
      cache?.set(userId, units);
      return units;
    },

    /** The rules' view of an admin user: Minyi roles, Super Admin, units. */
    async context(user: AdminUserLike): Promise<ActorContext> {
      let roles = user.roles;
      if (!roles) {
        const u = (await strapi.db.query('admin::user').findOne({ where: { id: user.id }, populate: ['roles'] })) as AdminUserLike | null;
        roles = u?.roles ?? [];
      }
      const units = await service.unitsOf(user.id);
      return actorContextOf(user.id, roles.map((r) => r.code), units.map((u) => u.id));
    },

    /** The actor history records for an admin user: their name and their (first) unit now. */
    async actor(user: AdminUserLike): Promise<Actor> {
      const [unit] = await service.unitsOf(user.id);
      return { kind: 'admin', id: user.id, name: displayName(user), unitId: unit?.id ?? null, unitName: unit?.name ?? null };
    },

    /** The actor of the current request: its admin user, or `system` outside any admin request. */
    async current(): Promise<Actor> {
      const ctx = strapi.requestContext.get() as any;
      const user = ctx?.state?.user;
      const strategy = ctx?.state?.auth?.strategy?.name;
      if (!user || strategy !== 'admin') return SYSTEM_ACTOR;
      return service.actor(user);
    },

    /** Complaints by id as the workflow reads them (locked for update on PostgreSQL when asked, inside a transaction). */
    async views(k: Knex | Knex.Transaction, ids: number[], lock = false): Promise<LoadedView[]> {
      const out: LoadedView[] = [];
      for (let i = 0; i < ids.length; i += 1000) {
        const chunk = ids.slice(i, i + 1000);
        let q = k(TABLE.complaint).select(COMPLAINT_COLUMNS).whereIn('id', chunk).orderBy('id');
        if (lock && isPostgres(strapi)) q = q.forUpdate();
        const rows = (await q) as Array<Record<string, any>>;
        const versions = new Map<number, number>();
        for (const r of (await k(TABLE.measure).select('complaint_id').max({ v: 'version' }).whereIn('complaint_id', chunk).groupBy('complaint_id')) as any[]) {
          versions.set(Number(r.complaint_id), Number(r.v ?? 0));
        }
        const rejections = new Map<number, number>();
        for (const r of (await k(TABLE.signOff).select('complaint_id').count({ n: '*' }).whereIn('complaint_id', chunk).where('decision', 'rejected').groupBy('complaint_id')) as any[]) {
          rejections.set(Number(r.complaint_id), Number(r.n));
        }
        for (const r of rows) out.push(toView(r, versions.get(Number(r.id)) ?? 0, (rejections.get(Number(r.id)) ?? 0) + 1));
      }
      return out;
    },

    /** The complaint ids of a batch: its documentIds (at most MAX_BATCH, all existing), or a problem group's members. */
    async targets(target: BatchTarget, actor?: ActorContext): Promise<number[]> {
      if (target.problemGroup) {
        const group = (await knex()(TABLE.problemGroup).where('document_id', target.problemGroup).first('id', 'unit_id')) as { id: number; unit_id: number | null } | undefined;
        if (!group) throw groupOutOfReach();
        const rows = await knex()(TABLE.complaint).where('problem_group_id', group.id).select('id').orderBy('id');
        if (rows.length === 0) {
          // Members decide visibility; an empty group is visible to its unit and the county only.
          if (actor && !seesEmptyGroup(idOrNull(group.unit_id), actor)) throw groupOutOfReach();
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
    },

    /** Refuses the lot when any complaint is out of the actor's reach (as one that does not exist). */
    assertVisible(views: readonly ComplaintView[], actor: ActorContext, target: { problemGroup?: string } = {}): void {
      if (views.some((v) => !maySee(v, actor))) throw target.problemGroup ? groupOutOfReach() : outOfReach(views.length);
    },

    /** One complaint by documentId, if this user may see it (404 otherwise: its existence is not revealed). */
    async visible(documentId: string, user: AdminUserLike): Promise<{ view: LoadedView; actor: ActorContext }> {
      const row = (await knex()(TABLE.complaint).where('document_id', documentId).first('id')) as { id: number } | undefined;
      if (!row) throw notFound();
      const [view] = await service.views(knex(), [Number(row.id)]);
      const actor = await service.context(user);
      if (!maySee(view, actor)) throw notFound();
      return { view, actor };
    },

    applyScope,
  };
  return service;
};
