/**
 * The handling workflow: for each transition of DOMAIN.md, who may take it, which inputs it
 * needs, and what it changes. Pure: the service gathers the facts (category, units, evidence,
 * today's date) and applies the returned plan in one transaction.
 */
import { addDays, isCalendarDay, daysBetween } from './calendar';
import { assertTransition, SIGN_STEPS, type ComplaintState, type SignStep, type TransitionAction } from './complaint-state';
import { DomainError } from './errors';
import { ROLE_DEFINITIONS, type RoleKey } from './roles';
import { CLOCK_STATES, jobWarningLevel, warningLevel, type WarningLevel, type WarningThresholds } from './warning-level';

export const INVALID_REASONS = ['unclear_content', 'unclear_subject', 'no_contact', 'duplicate', 'out_of_scope', 'other'] as const;
export const LEVELS = ['county', 'township'] as const;
export const NATURES = ['individual', 'common'] as const;
export const MODES = ['immediate', 'deadline', 'phased', 'policy_limited'] as const;
export const ASPECTS = ['funds', 'policy', 'project', 'facility', 'staffing', 'mechanism', 'beneficiaries', 'other'] as const;
export type Mode = (typeof MODES)[number];
export type Aspect = (typeof ASPECTS)[number];

/** Who is acting, as the workflow sees them. */
export interface ActorContext {
  userId: number | null;
  superAdmin: boolean;
  roles: RoleKey[];
  /** Units the user is a member of. */
  unitIds: number[];
}

/** The complaint fields the workflow reads. */
export interface ComplaintView {
  id: number;
  ledgerNo: string;
  state: ComplaintState;
  town: string | null;
  categoryCode: string | null;
  responsibleUnitId: number | null;
  leadUnitId: number | null;
  problemGroupId: number | null;
  nature: string | null;
  mode: string | null;
  deadline: string | null;
  signStep: SignStep | null;
  reopenCount: number;
  sendBackCount: number;
  returnCount: number;
  measureVersion: number;
  signRound: number;
}

/** Facts the service looked up for this transition. */
export interface TransitionFacts {
  now: Date;
  /** Today in the county's time zone (YYYY-MM-DD). */
  today: string;
  measureThresholds: WarningThresholds;
  responseThresholds: WarningThresholds;
  /** classify: the chosen minor category and its lead unit (own, or its major's). */
  category?: { id: number; code: string; tier: string; majorCode: string | null; leadUnitId: number | null; responseDays: number } | null;
  /** classify: the chosen responsible unit. */
  responsibleUnit?: { id: number; isResponsible: boolean } | null;
  /** assign: response days of the complaint's category. */
  responseDays?: number;
  /** accept (common): the chosen problem group. */
  problemGroup?: { id: number; unitId: number | null; categoryCode: string | null } | null;
  /** screen_invalid (duplicate): whether the original exists. */
  duplicateOfExists?: boolean;
  /** approve_measure: the measure under review. */
  reviewedMeasure?: { version: number; mode: string; deadline: string | null } | null;
  /** complete: evidence aspects recorded so far, and the aspects the mode requires. */
  evidenceAspects?: string[];
  requiredAspects?: string[];
}

export interface TransitionPlan {
  action: TransitionAction;
  from: ComplaintState;
  to: ComplaintState;
  /** Processing fields to write on the complaint (attribute names). */
  patch: Record<string, unknown>;
  /** Relation changes (attribute → target id or null). */
  relations?: Partial<Record<'category' | 'responsibleUnit' | 'leadUnit' | 'problemGroup', number | null>>;
  /** History event data (never personal data). */
  eventData: Record<string, unknown>;
  measure?: { version: number; mode: Mode; text: string; responsiblePerson: string; deadline: string | null; policyRef: string | null; milestones: Array<{ title: string; due: string | null }> | null };
  review?: { version: number; decision: 'approved' | 'returned'; comment: string | null };
  signOff?: { round: number; step: SignStep; decision: 'signed' | 'rejected'; reason: string | null };
}

const v = (code: string, zh: string, en: string, details: Record<string, unknown> = {}) => new DomainError('validation', code, zh, en, details);
const forbidden = (zh: string, en: string, details: Record<string, unknown> = {}) => new DomainError('forbidden', 'forbidden_transition', zh, en, details);

const text = (input: Record<string, unknown>, key: string, opts: { min?: number; max?: number } = {}): string | null => {
  const raw = input[key];
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') throw v('invalid_input', `「${key}」应为文本`, `"${key}" must be text`, { field: key });
  const s = raw.trim();
  if (!s) return null;
  if (opts.max && s.length > opts.max) throw v('invalid_input', `「${key}」过长（最多 ${opts.max} 字）`, `"${key}" is too long (at most ${opts.max} characters)`, { field: key });
  if (opts.min && s.length < opts.min) throw v('invalid_input', `「${key}」过短（至少 ${opts.min} 字）`, `"${key}" is too short (at least ${opts.min} characters)`, { field: key });
  return s;
};

const required = <T>(value: T | null | undefined, key: string, zhName: string): T => {
  if (value === null || value === undefined || value === '') {
    throw v('missing_input', `缺少必填项：${zhName}（${key}）`, `Missing required input: ${key}`, { field: key });
  }
  return value;
};

const oneOf = <T extends string>(value: unknown, allowed: readonly T[], key: string, zhName: string): T => {
  const s = required(value as string | null, key, zhName);
  if (!(allowed as readonly string[]).includes(s)) {
    throw v('invalid_input', `${zhName}（${key}）应为 ${allowed.join(' / ')} 之一`, `${key} must be one of ${allowed.join(', ')}`, { field: key, allowed: [...allowed] });
  }
  return s as T;
};

const futureDay = (value: unknown, key: string, zhName: string, today: string): string => {
  const s = required(typeof value === 'string' ? value.trim() : (value as null), key, zhName);
  if (!isCalendarDay(s)) throw v('invalid_input', `${zhName}（${key}）应为 YYYY-MM-DD 格式的日期`, `${key} must be a date as YYYY-MM-DD`, { field: key });
  if (daysBetween(today, s) < 0) throw v('invalid_input', `${zhName}不能早于今天（${today}）`, `${key} cannot be before today (${today})`, { field: key });
  return s;
};

/* ------------------------------------------------------------------ who may act */

const isCounty = (a: ActorContext) => a.superAdmin || a.roles.includes('countyOffice');
const operatesUnit = (a: ActorContext, unitId: number | null) => a.superAdmin || (a.roles.includes('unitOperator') && unitId !== null && a.unitIds.includes(unitId));
const headsUnit = (a: ActorContext, unitId: number | null) => a.superAdmin || (a.roles.includes('unitHead') && unitId !== null && a.unitIds.includes(unitId));
const leadsUnit = (a: ActorContext, leadUnitId: number | null) => a.superAdmin || (a.roles.includes('leadUnit') && leadUnitId !== null && a.unitIds.includes(leadUnitId));
const isLeader = (a: ActorContext) => a.superAdmin || a.roles.includes('countyLeader');

/**
 * States in which a complaint is in a unit's hands. Before assignment (and after a send-back)
 * it is still the county office's: units do not see it.
 */
export const UNIT_VISIBLE_STATES: readonly ComplaintState[] = ['assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'];

/** Whether the actor may see this complaint at all (scope of the unit roles). */
export const maySee = (c: Pick<ComplaintView, 'responsibleUnitId' | 'leadUnitId' | 'state'>, a: ActorContext): boolean => {
  if (a.superAdmin || a.roles.includes('countyOffice') || a.roles.includes('countyLeader')) return true;
  if (!UNIT_VISIBLE_STATES.includes(c.state)) return false;
  if ((a.roles.includes('unitOperator') || a.roles.includes('unitHead')) && c.responsibleUnitId !== null && a.unitIds.includes(c.responsibleUnitId)) return true;
  if (a.roles.includes('leadUnit') && c.leadUnitId !== null && a.unitIds.includes(c.leadUnitId)) return true;
  return false;
};

/**
 * Whether the actor sees which server instance ran a job (host:pid:random): the county-wide
 * roles who operate the system; a unit only needs to know the job is alive.
 */
export const seesJobInstances = (a: ActorContext): boolean => a.superAdmin || a.roles.includes('countyOffice') || a.roles.includes('countyLeader');

/** Whether the actor sees full phone numbers (DOMAIN.md roles table, in ROLE_DEFINITIONS). */
export const seesFullPhone = (a: ActorContext): boolean => a.superAdmin || ROLE_DEFINITIONS.some((r) => r.seesFullPhone && a.roles.includes(r.key));

/** Whether the actor may add evidence now: while the complaint is rectified, whoever may complete it. */
export const mayAddEvidence = (c: ComplaintView, a: ActorContext): boolean => c.state === 'rectifying' && mayTake('complete', c, a);

/** The signer whose turn it is. */
export const nextSignStep = (c: Pick<ComplaintView, 'signStep'>): SignStep => c.signStep ?? 'unit_head';

export const mayTake = (action: TransitionAction, c: ComplaintView, a: ActorContext): boolean => {
  switch (action) {
    case 'screen_invalid':
    case 'reinstate':
    case 'classify':
    case 'assign':
      return isCounty(a);
    case 'send_back':
    case 'accept':
    case 'submit_measure':
    case 'resubmit_measure':
    case 'complete':
      return operatesUnit(a, c.responsibleUnitId);
    case 'return_measure':
    case 'approve_measure':
      return leadsUnit(a, c.leadUnitId);
    case 'sign':
    case 'reject_signoff': {
      const step = nextSignStep(c);
      if (step === 'unit_head') return headsUnit(a, c.responsibleUnitId);
      if (step === 'lead_unit_head') return leadsUnit(a, c.leadUnitId);
      return isLeader(a);
    }
    case 'reopen':
      return isCounty(a) || (a.roles.includes('leadUnit') && c.leadUnitId !== null && a.unitIds.includes(c.leadUnitId));
    default:
      return false;
  }
};

/** The transitions this actor may take on this complaint now (state and role both allow). */
export const availableActions = (c: ComplaintView, a: ActorContext, all: readonly TransitionAction[]): TransitionAction[] =>
  all.filter((action) => {
    try {
      assertTransition(c.state, action);
    } catch {
      return false;
    }
    return mayTake(action, c, a);
  });

/* ------------------------------------------------------------------ the plans */

/** The level a complaint starts `rectifying` with: the warning job's rule, as of today. */
const rectifyingLevel = (mode: string | null | undefined, deadline: string | null, facts: TransitionFacts) =>
  jobWarningLevel({ state: CLOCK_STATES.measure, mode, deadline }, facts.today, {
    measure: facts.measureThresholds,
    response: facts.responseThresholds,
  }) ?? 'none';

const measureInputs = (input: Record<string, unknown>, today: string) => {
  const mode = oneOf<Mode>(input.mode, MODES, 'mode', '整改方式');
  const measureText = required(text(input, 'text', { min: 4, max: 4000 }), 'text', '整改措施');
  const responsiblePerson = required(text(input, 'responsiblePerson', { max: 100 }), 'responsiblePerson', '责任人');
  let deadline: string | null = null;
  let policyRef: string | null = null;
  let milestones: Array<{ title: string; due: string | null }> | null = null;
  if (mode === 'policy_limited') {
    policyRef = required(text(input, 'policyRef', { max: 255 }), 'policyRef', '政策依据');
    if (input.deadline) throw v('invalid_input', '政策限制类措施没有整改期限', 'A policy_limited measure has no deadline', { field: 'deadline' });
  } else {
    deadline = futureDay(input.deadline, 'deadline', '整改期限', today);
  }
  if (mode === 'phased') {
    const raw = input.milestones;
    if (!Array.isArray(raw) || raw.length === 0) throw v('missing_input', '分期整改需要阶段计划（milestones）', 'A phased measure needs milestones', { field: 'milestones' });
    milestones = raw.map((m, i) => {
      const title = typeof m?.title === 'string' ? m.title.trim() : '';
      if (!title) throw v('invalid_input', `第 ${i + 1} 个阶段缺少名称`, `Milestone ${i + 1} has no title`, { field: 'milestones' });
      const due = m?.due ? futureDay(m.due, 'milestones.due', '阶段期限', today) : null;
      if (due && deadline && daysBetween(due, deadline) < 0) throw v('invalid_input', `第 ${i + 1} 个阶段期限晚于整改期限`, `Milestone ${i + 1} is due after the deadline`, { field: 'milestones' });
      return { title, due };
    });
  }
  return { mode, text: measureText, responsiblePerson, deadline, policyRef, milestones };
};

/**
 * Plans one transition: checks the state, the actor's role and unit, and the inputs, and
 * returns what to write. Throws a DomainError (validation → 400, forbidden → 403).
 */
export const planTransition = (
  c: ComplaintView,
  action: string,
  input: Record<string, unknown>,
  actor: ActorContext,
  facts: TransitionFacts
): TransitionPlan => {
  const signStep = c.state === 'signing' ? nextSignStep(c) : undefined;
  const to = assertTransition(c.state, action, { signStep });
  const act = action as TransitionAction;
  if (!mayTake(act, c, actor)) {
    throw forbidden(
      `您的角色或单位不能对诉求 ${c.ledgerNo} 执行此操作`,
      `Your role or unit may not take "${action}" on complaint ${c.ledgerNo}`,
      { action, ledgerNo: c.ledgerNo }
    );
  }
  const base = { action: act, from: c.state, to };

  switch (act) {
    case 'screen_invalid': {
      const reason = oneOf(input.reason, INVALID_REASONS, 'reason', '无效原因');
      const note = text(input, 'note', { max: 1000 });
      if (reason === 'other' && !note) throw v('missing_input', '原因为「其他」时必须填写说明', 'A note is required when the reason is "other"', { field: 'note' });
      let duplicateOf: string | null = null;
      if (reason === 'duplicate') {
        duplicateOf = required(text(input, 'duplicateOf', { max: 64 }), 'duplicateOf', '重复的原诉求编号');
        if (duplicateOf === c.ledgerNo) throw v('invalid_input', '不能与自身重复', 'A complaint cannot duplicate itself', { field: 'duplicateOf' });
        if (!facts.duplicateOfExists) throw v('invalid_input', `原诉求 ${duplicateOf} 不存在`, `Original complaint ${duplicateOf} does not exist`, { field: 'duplicateOf' });
      }
      return { ...base, patch: { invalidReason: reason, invalidNote: note, duplicateOf }, eventData: { reason, duplicateOf, note } };
    }
    case 'reinstate': {
      const note = required(text(input, 'note', { max: 1000 }), 'note', '恢复原因');
      return { ...base, patch: { invalidReason: null, invalidNote: null, duplicateOf: null }, eventData: { note } };
    }
    case 'classify': {
      const cat = facts.category;
      if (!cat) throw v('invalid_input', '诉求小类不存在', 'Unknown minor category', { field: 'categoryCode' });
      if (cat.tier !== 'minor') throw v('invalid_input', `类别 ${cat.code} 是大类，请选择小类`, `Category ${cat.code} is a major category; choose a minor one`, { field: 'categoryCode' });
      const level = oneOf(input.level, LEVELS, 'level', '解决层级');
      const unit = facts.responsibleUnit;
      if (!unit) throw v('missing_input', '缺少责任单位，且交办规则中没有对应的单位', 'No responsible unit given, and no routing rule matches', { field: 'responsibleUnitId' });
      if (!unit.isResponsible) throw v('invalid_input', '所选单位不是责任单位', 'The chosen unit is not a responsible unit', { field: 'responsibleUnitId' });
      if (!cat.leadUnitId) throw v('invalid_input', `类别 ${cat.code} 未设置牵头单位`, `Category ${cat.code} has no lead unit`, { field: 'categoryCode' });
      return {
        ...base,
        patch: {
          categoryCode: cat.code,
          majorCategoryCode: cat.majorCode,
          level,
          responsibleUnitId: unit.id,
          leadUnitId: cat.leadUnitId,
          invalidReason: null,
        },
        relations: { category: cat.id, responsibleUnit: unit.id, leadUnit: cat.leadUnitId },
        eventData: { categoryCode: cat.code, level, responsibleUnitId: unit.id, leadUnitId: cat.leadUnitId },
      };
    }
    case 'assign': {
      if (!c.responsibleUnitId || !c.categoryCode) throw v('invalid_input', '请先分类并指定责任单位', 'Classify the complaint and choose a responsible unit first');
      const days = facts.responseDays ?? 3;
      const responseDeadline = addDays(facts.today, days);
      const level: WarningLevel = warningLevel(responseDeadline, facts.today, facts.responseThresholds);
      return {
        ...base,
        patch: { assignedAt: facts.now, responseDeadline, acceptedAt: null, warningLevel: level },
        eventData: { responsibleUnitId: c.responsibleUnitId, responseDeadline },
      };
    }
    case 'send_back': {
      const reason = required(text(input, 'reason', { min: 2, max: 1000 }), 'reason', '退回原因');
      return {
        ...base,
        patch: { sendBackCount: c.sendBackCount + 1, assignedAt: null, responseDeadline: null, warningLevel: 'none' },
        eventData: { reason, responsibleUnitId: c.responsibleUnitId },
      };
    }
    case 'accept': {
      const nature = oneOf(input.nature, NATURES, 'nature', '个性/共性');
      let problemGroupId: number | null = null;
      if (nature === 'common') {
        const g = facts.problemGroup;
        if (input.problemGroup === undefined || input.problemGroup === null || input.problemGroup === '') {
          throw v('missing_input', '共性问题需要选择共性问题小类（problemGroup）', 'A common complaint needs its problem group', { field: 'problemGroup' });
        }
        // Another unit's group answers as an unknown one: its existence is not revealed.
        if (!g || g.unitId !== c.responsibleUnitId) throw v('invalid_input', '共性问题小类不存在或不属于本单位', 'No such problem group in your unit', { field: 'problemGroup' });
        if (g.categoryCode && c.categoryCode && g.categoryCode !== c.categoryCode) {
          throw v('invalid_input', `共性问题小类属于类别 ${g.categoryCode}，诉求属于 ${c.categoryCode}`, `The problem group is in category ${g.categoryCode}, the complaint in ${c.categoryCode}`, { field: 'problemGroup' });
        }
        problemGroupId = g.id;
      }
      return {
        ...base,
        patch: { nature, acceptedAt: facts.now, problemGroupId, warningLevel: 'none' },
        relations: { problemGroup: problemGroupId },
        eventData: { nature, problemGroupId },
      };
    }
    case 'submit_measure':
    case 'resubmit_measure': {
      const m = measureInputs(input, facts.today);
      const version = c.measureVersion + 1;
      return {
        ...base,
        patch: { mode: m.mode },
        measure: { version, ...m },
        eventData: { version, mode: m.mode, deadline: m.deadline, policyRef: m.policyRef },
      };
    }
    case 'return_measure': {
      const comment = required(text(input, 'comment', { min: 2, max: 2000 }), 'comment', '退回意见');
      return {
        ...base,
        patch: { returnCount: c.returnCount + 1 },
        review: { version: c.measureVersion, decision: 'returned', comment },
        eventData: { version: c.measureVersion, comment },
      };
    }
    case 'approve_measure': {
      const comment = text(input, 'comment', { max: 2000 });
      const m = facts.reviewedMeasure;
      if (!m) throw v('invalid_input', '没有待审核的整改措施', 'There is no measure under review');
      const { deadline, mode } = m;
      const level = rectifyingLevel(mode, deadline, facts);
      return {
        ...base,
        patch: { deadline, mode, warningLevel: level, completedAt: null },
        review: { version: c.measureVersion, decision: 'approved', comment },
        eventData: { version: c.measureVersion, deadline, mode },
      };
    }
    case 'complete': {
      const aspects = facts.evidenceAspects ?? [];
      if (aspects.length === 0) throw v('missing_evidence', '请先上传至少一项成效佐证', 'Upload at least one evidence item first');
      const missing = (facts.requiredAspects ?? []).filter((a) => !aspects.includes(a));
      if (missing.length > 0) throw v('missing_evidence', `缺少以下方面的成效佐证：${missing.join(', ')}`, `Evidence is missing for: ${missing.join(', ')}`, { missing });
      // The clock stops here: the level at completion is kept during sign-off.
      return { ...base, patch: { completedAt: facts.now, signStep: 'unit_head' }, eventData: { evidenceCount: aspects.length, onTime: c.deadline ? daysBetween(facts.today, c.deadline) >= 0 : null } };
    }
    case 'sign': {
      const step = nextSignStep(c);
      const idx = SIGN_STEPS.indexOf(step);
      const next = SIGN_STEPS[idx + 1] ?? null;
      const closes = step === 'county_leader';
      return {
        ...base,
        patch: closes ? { signStep: null, closedAt: facts.now } : { signStep: next },
        signOff: { round: c.signRound, step, decision: 'signed', reason: text(input, 'comment', { max: 1000 }) },
        eventData: { step, round: c.signRound },
      };
    }
    case 'reject_signoff': {
      const step = nextSignStep(c);
      const reason = required(text(input, 'reason', { min: 2, max: 2000 }), 'reason', '验收不通过原因');
      return {
        ...base,
        patch: { signStep: null, completedAt: null },
        signOff: { round: c.signRound, step, decision: 'rejected', reason },
        eventData: { step, round: c.signRound, reason },
      };
    }
    case 'reopen': {
      const reason = required(text(input, 'reason', { min: 2, max: 2000 }), 'reason', '重新整改原因');
      const deadline = futureDay(input.deadline, 'deadline', '新的整改期限', facts.today);
      const level = rectifyingLevel(c.mode, deadline, facts);
      return {
        ...base,
        patch: { reopenCount: c.reopenCount + 1, deadline, closedAt: null, completedAt: null, signStep: null, warningLevel: level, satisfaction: null },
        eventData: { reason, deadline, reopenCount: c.reopenCount + 1 },
      };
    }
    default:
      throw v('unknown_action', `未知操作 ${action}`, `Unknown action ${action}`);
  }
};
