/**
 * My work (我的待办): what a user must act on now, as queues. A queue is one verb of the
 * workflow taken from its states; who has the queue, and which complaints are in it, follow from
 * the takers table (transitions/takers.ts), the same table `mayTake` reads. So a complaint is in
 * a user's queue exactly when the workflow would let that user take the queue's verb on it:
 * the signer whose turn it is finds it in 待我签字, the next signer does not yet.
 */
import { transitionRule, type ComplaintState, type SignStep, type TransitionAction } from './complaint-state';
import { DomainError } from './errors';
import { nextSignStep, TAKERS } from './transitions/takers';
import { invalidSuggestion, SUGGESTION_MESSAGES, type InvalidInput } from './screening';
import type { ActorContext } from './transitions/types';

export const QUEUE_KEYS = [
  'toScreen', 'toClassify', 'toAssign',
  'toAccept', 'toMeasure', 'returned', 'rectifying',
  'toReview', 'toSign', 'reopenRequests',
] as const;
export type QueueKey = (typeof QUEUE_KEYS)[number];

export interface QueueDef {
  key: QueueKey;
  label: { zh: string; en: string };
  /** The verb a user in this queue takes next. */
  verb: TransitionAction;
  /** The states the queue holds, when fewer than those the verb is taken from. */
  states?: readonly ComplaintState[];
  /**
   * `received` is split by the import's screening suggestion: a complaint the rules flagged is
   * screened first (待甄别), the others go straight to classification (待分类).
   */
  suggestion?: 'some' | 'none';
  /** Only complaints whose latest survey carries a pending reopen request (a dissatisfied answer). */
  reopenPending?: true;
  /** Which deadline the queue shows and sorts by: the response deadline (until accepted) or the measure's. */
  deadline: 'response' | 'measure' | null;
}

export const QUEUES: readonly QueueDef[] = [
  { key: 'toScreen', label: { zh: '待甄别', en: 'To screen' }, verb: 'screen_invalid', suggestion: 'some', deadline: null },
  { key: 'toClassify', label: { zh: '待分类', en: 'To classify' }, verb: 'classify', suggestion: 'none', deadline: null, states: ['received'] },
  // A classified complaint may be classified again, but what it waits for is its assignment.
  { key: 'toAssign', label: { zh: '待交办', en: 'To assign' }, verb: 'assign', deadline: null },
  { key: 'toAccept', label: { zh: '待受理', en: 'To accept' }, verb: 'accept', deadline: 'response' },
  { key: 'toMeasure', label: { zh: '待报措施', en: 'Measure to submit' }, verb: 'submit_measure', deadline: null },
  { key: 'returned', label: { zh: '被退回', en: 'Returned' }, verb: 'resubmit_measure', deadline: null },
  { key: 'rectifying', label: { zh: '整改中', en: 'Rectifying' }, verb: 'complete', deadline: 'measure' },
  { key: 'toReview', label: { zh: '待我审核', en: 'To review' }, verb: 'approve_measure', deadline: null },
  { key: 'toSign', label: { zh: '待我签字', en: 'To sign' }, verb: 'sign', deadline: 'measure' },
  { key: 'reopenRequests', label: { zh: '重开申请', en: 'Reopen requests' }, verb: 'confirm_reopen', reopenPending: true, deadline: null },
];

const byKey = new Map<string, QueueDef>(QUEUES.map((q) => [q.key, q]));

/**
 * One way into a queue: complaints in `states` of the given units (none: every unit), and for
 * sign-off, at the given step. A queue's complaints are those matching any of its clauses.
 */
export interface QueueClause {
  states: ComplaintState[];
  unit: 'responsible' | 'lead' | null;
  unitIds: number[];
  signStep: SignStep | null;
  /** Sign-off: whether a complaint with no step recorded yet is at this step (the first signer's: nextSignStep). */
  signStepUnset: boolean;
}

/** The clauses of a queue for this actor, or null when the actor has no such queue. */
export const queueClauses = (q: QueueDef, a: ActorContext): QueueClause[] | null => {
  const states = [...(q.states ?? transitionRule(q.verb).from)];
  if (a.superAdmin) return [{ states, unit: null, unitIds: [], signStep: null, signStepUnset: false }];
  const takers = TAKERS[q.verb].filter((t) => a.roles.includes(t.role));
  if (takers.length === 0) return null;
  return takers.map((t) => ({
    states,
    unit: t.scope === 'county' ? null : t.scope === 'responsible_unit' ? 'responsible' : 'lead',
    unitIds: t.scope === 'county' ? [] : [...a.unitIds],
    signStep: t.signStep ?? null,
    signStepUnset: t.signStep !== undefined && nextSignStep({ signStep: null }) === t.signStep,
  }));
};

/** The queues this actor has, in the order of the workflow. */
export const queuesFor = (a: ActorContext): QueueDef[] => QUEUES.filter((q) => queueClauses(q, a) !== null);

/** A queue by its key, for this actor: 404 for an unknown key, 403 for a queue of another role. */
export const queueFor = (key: unknown, a: ActorContext): { def: QueueDef; clauses: QueueClause[] } => {
  const def = typeof key === 'string' ? byKey.get(key) : undefined;
  if (!def) {
    throw new DomainError('not_found', 'queue_not_found', '没有这个待办队列', 'No such work queue', { queue: typeof key === 'string' ? key.slice(0, 40) : null });
  }
  const clauses = queueClauses(def, a);
  if (!clauses) {
    throw new DomainError('forbidden', 'queue_not_yours', `「${def.label.zh}」不是您所在角色的待办`, `"${def.label.en}" is not a queue of your role`, { queue: def.key });
  }
  return { def, clauses };
};

/** The first characters of a complaint's content, on one line: what a queue row shows of it. */
export const EXCERPT_CHARS = 60;
export const excerpt = (content: string | null | undefined, chars: number = EXCERPT_CHARS): string => {
  const flat = (content ?? '').replace(/\s+/g, ' ').trim();
  const points = Array.from(flat);
  return points.length <= chars ? flat : `${points.slice(0, chars).join('')}…`;
};

/** Page size of a queue: 20 by default, at most 100. */
export const QUEUE_PAGE_SIZE = 20;
export const QUEUE_MAX_PAGE_SIZE = 100;

const positive = (raw: unknown, field: string, fallback: number, max: number): number => {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'string' && /^[0-9]{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new DomainError('validation', 'invalid_page', `${field} 须为 1 至 ${max} 的整数`, `${field} must be a whole number from 1 to ${max}`, { field });
  }
  return n;
};

export const parseQueuePage = (query: Record<string, unknown>): { page: number; pageSize: number } => ({
  page: positive(query.page, 'page', 1, 1_000_000),
  pageSize: positive(query.pageSize, 'pageSize', QUEUE_PAGE_SIZE, QUEUE_MAX_PAGE_SIZE),
});

/** Query parameters of a queue that are not filters. */
export const QUEUE_RESERVED_PARAMS = ['page', 'pageSize'] as const;

/** What a queue row says of the import's screening suggestion. */
export interface ShownSuggestion {
  kind: string;
  ref: string | null;
  zh: string;
  en: string;
}

const SUGGESTION_KIND_LABEL: Record<string, { zh: string; en: string }> = {
  likely_invalid: { zh: '疑似无效', en: 'Likely invalid' },
  likely_duplicate: { zh: '疑似重复', en: 'Likely duplicate' },
};

/**
 * A stored suggestion as a queue shows it: the screening rule's own message when the rule can be
 * read again from the row (a likely-invalid one), else its kind, with the suspected original.
 */
export const shownSuggestion = (kind: string | null, ref: string | null, row: InvalidInput): ShownSuggestion | null => {
  if (!kind) return null;
  if (kind === 'likely_invalid') {
    const again = invalidSuggestion(row);
    if (again) return { kind, ref: null, ...SUGGESTION_MESSAGES[again.reason] };
  }
  const label = SUGGESTION_KIND_LABEL[kind] ?? { zh: kind, en: kind };
  return {
    kind,
    ref,
    zh: ref ? `${label.zh}：疑似与 ${ref} 重复` : label.zh,
    en: ref ? `${label.en}: may repeat ${ref}` : label.en,
  };
};
