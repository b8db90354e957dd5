/**
 * My work (我的待办): each queue of domain/queues.ts compiled into one query on `complaints`,
 * under the caller's scope and the filter module's filters (services/complaint-query.ts), so a
 * queue never shows a complaint its user may not see, whatever the filters say. Rows carry what
 * a queue shows of a complaint and nothing personal: no phone, name or address.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { TABLE } from '../constants';
import { toCalendarDay } from '../domain/calendar';
import { parseFilters, type Filters } from '../domain/filters';
import { parseSavedViews, storedViews, type SavedView } from '../domain/saved-views';
import {
  excerpt, parseQueuePage, queueFor, queuesFor, queueClauses, shownSuggestion, QUEUE_RESERVED_PARAMS,
  type QueueClause, type QueueDef, type QueueKey, type ShownSuggestion,
} from '../domain/queues';
import type { ActorContext } from '../domain/workflow';
import { PLUGIN_ID } from '../constants';
import { getConfig, getService } from '../utils';
import type { AdminUserLike } from './access';
import { scopedComplaints, toDate, type QueryContext } from './complaint-query';

const T = TABLE.complaint;
const col = (c: string) => `${T}.${c}`;

/** The latest survey of a complaint (highest round, then id) carries a pending reopen request. */
const PENDING_REOPEN = `EXISTS (SELECT 1 FROM ${TABLE.survey} s WHERE s.complaint_id = ${col('id')} AND s.reopen_request = 'pending'
  AND NOT EXISTS (SELECT 1 FROM ${TABLE.survey} s2 WHERE s2.complaint_id = s.complaint_id AND (s2.round > s.round OR (s2.round = s.round AND s2.id > s.id))))`;

const applyQueue = (q: Knex.QueryBuilder, def: QueueDef, clauses: QueueClause[]): Knex.QueryBuilder => {
  q.where((any) => {
    for (const c of clauses) {
      any.orWhere((b) => {
        b.whereIn(col('state'), c.states);
        if (c.unit) b.whereIn(col(c.unit === 'responsible' ? 'responsible_unit_id' : 'lead_unit_id'), c.unitIds.length ? c.unitIds : [-1]);
        if (c.signStep) b.where((s) => { s.where(col('sign_step'), c.signStep); if (c.signStepUnset) s.orWhereNull(col('sign_step')); });
      });
    }
  });
  if (def.suggestion === 'some') q.whereNotNull(col('suggestion'));
  if (def.suggestion === 'none') q.whereNull(col('suggestion'));
  if (def.reopenPending) q.whereRaw(PENDING_REOPEN);
  return q;
};

export interface QueueCount {
  key: QueueKey;
  label: { zh: string; en: string };
  count: number;
}

export interface QueueRow {
  documentId: string;
  ledgerNo: string;
  excerpt: string;
  receivedAt: string | null;
  state: string;
  categoryCode: string | null;
  categoryName: string | null;
  town: string | null;
  responsibleUnit: { id: number; name: string } | null;
  leadUnit: { id: number; name: string } | null;
  /** The deadline this queue runs against (the response deadline until accepted), a calendar day. */
  deadline: string | null;
  warningLevel: string | null;
  signStep: string | null;
  /** The import's screening suggestion, with the rule that raised it where the rule can be read again. */
  suggestion: ShownSuggestion | null;
}

export interface QueuePage {
  queue: QueueCount;
  /** The county's zone, in which the page shows times. */
  timeZone: string;
  rows: QueueRow[];
  page: number;
  pageSize: number;
  total: number;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const qctx = (): QueryContext => ({ timeZone: getConfig(strapi).timeZone });
  const actorOf = (user: AdminUserLike) => getService('access', strapi).context(user);
  const viewStore = () => strapi.store({ type: 'plugin', name: PLUGIN_ID });
  /** One key per admin user: a user reads and writes only their own views. */
  const viewKey = (user: AdminUserLike) => `my-work-views:${Number(user.id)}`;

  const base = (filters: Filters, actor: ActorContext, def: QueueDef, clauses: QueueClause[]) =>
    applyQueue(scopedComplaints(knex(), filters, actor, qctx()), def, clauses);

  const countOf = async (filters: Filters, actor: ActorContext, def: QueueDef, clauses: QueueClause[]): Promise<number> => {
    const [row] = (await base(filters, actor, def, clauses).count({ n: '*' })) as Array<{ n: number | string }>;
    return Number(row?.n ?? 0);
  };

  return {
    /** GET /queues: this user's queues with their counts, under the filters. */
    async list(query: Record<string, unknown>, user: AdminUserLike): Promise<{ queues: QueueCount[]; filters: string[]; timeZone: string }> {
      const filters = parseFilters(query, []);
      const actor = await actorOf(user);
      const queues: QueueCount[] = [];
      for (const def of queuesFor(actor)) {
        queues.push({ key: def.key, label: def.label, count: await countOf(filters, actor, def, queueClauses(def, actor)!) });
      }
      return { queues, filters: Object.keys(filters), timeZone: qctx().timeZone };
    },

    /** GET /queues/:key: one page of a queue, most urgent first. */
    async rows(key: unknown, query: Record<string, unknown>, user: AdminUserLike): Promise<QueuePage> {
      const actor = await actorOf(user);
      const { def, clauses } = queueFor(key, actor);
      const { page, pageSize } = parseQueuePage(query);
      const filters = parseFilters(query, QUEUE_RESERVED_PARAMS);
      const total = await countOf(filters, actor, def, clauses);
      const deadlineColumn = def.deadline === 'response' ? 'response_deadline' : 'deadline';
      const q = base(filters, actor, def, clauses)
        .leftJoin(`${TABLE.category} as cat`, 'cat.code', col('category_code'))
        .leftJoin(`${TABLE.unit} as ru`, 'ru.id', col('responsible_unit_id'))
        .leftJoin(`${TABLE.unit} as lu`, 'lu.id', col('lead_unit_id'))
        .select(
          col('document_id'), col('ledger_no'), col('content'), col('received_at'), col('state'), col('category_code'), col('town'),
          col('responsible_unit_id'), col('lead_unit_id'), col('warning_level'), col('sign_step'), col('suggestion'), col('suggestion_ref'),
          col('traceable'), col('village'), col('address'),
          knex().raw('?? AS queue_deadline', [col(deadlineColumn)]),
          'cat.name as category_name', 'ru.name as responsible_name', 'lu.name as lead_name',
        );
      // The most urgent first: the nearest deadline where the queue runs against one, else the oldest.
      if (def.deadline) q.orderByRaw(`CASE WHEN ?? IS NULL THEN 1 ELSE 0 END, ?? ASC`, [col(deadlineColumn), col(deadlineColumn)]);
      q.orderBy(col('received_at'), 'asc').orderBy(col('id'), 'asc').limit(pageSize).offset((page - 1) * pageSize);
      const found = (await q) as Array<Record<string, any>>;
      const rows: QueueRow[] = found.map((r) => ({
        documentId: String(r.document_id),
        ledgerNo: String(r.ledger_no),
        excerpt: excerpt(r.content),
        receivedAt: toDate(r.received_at)?.toISOString() ?? null,
        state: String(r.state),
        categoryCode: r.category_code ?? null,
        categoryName: r.category_name ?? null,
        town: r.town ?? null,
        responsibleUnit: r.responsible_unit_id != null ? { id: Number(r.responsible_unit_id), name: String(r.responsible_name ?? '') } : null,
        leadUnit: r.lead_unit_id != null ? { id: Number(r.lead_unit_id), name: String(r.lead_name ?? '') } : null,
        deadline: toCalendarDay(r.queue_deadline),
        warningLevel: r.warning_level ?? null,
        signStep: def.key === 'toSign' ? (r.sign_step ?? 'unit_head') : null,
        suggestion: def.key === 'toScreen' || def.key === 'toClassify'
          ? shownSuggestion(r.suggestion ?? null, r.suggestion_ref ? String(r.suggestion_ref) : null, { content: r.content ?? null, traceable: Boolean(r.traceable), town: r.town ?? null, village: r.village ?? null, address: r.address ?? null })
          : null,
      }));
      return { queue: { key: def.key, label: def.label, count: total }, timeZone: qctx().timeZone, rows, page, pageSize, total };
    },

    /** GET /my-work/views: this user's saved views (server-side, so they follow the user from browser to browser). */
    async views(user: AdminUserLike): Promise<SavedView[]> {
      return storedViews(await viewStore().get({ key: viewKey(user) }));
    },

    /** PUT /my-work/views: replaces this user's saved views with the checked ones (domain/saved-views.ts). */
    async saveViews(body: unknown, user: AdminUserLike): Promise<SavedView[]> {
      const views = parseSavedViews(body);
      await viewStore().set({ key: viewKey(user), value: views });
      return views;
    },
  };
};
