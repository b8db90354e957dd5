/**
 * What a transition works with: who acts, the complaint as the workflow reads it, the facts
 * the service looked up, and the plan the service applies in one transaction.
 */
import type { ComplaintState, SignStep, TransitionAction } from '../complaint-state';
import type { RoleKey } from '../roles';
import type { MeasureReviewState, Mode } from '../terms';
import type { ReopenRequestFact } from '../survey-rules';
import type { WarningThresholds } from '../warning-level';

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
  /** assign: response days of the complaint's category (the configured default when it has none). */
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
  /** confirm_reopen / reject_reopen: the reopen request of the complaint's latest survey (null: none). */
  reopenRequest?: ReopenRequestFact | null;
}

export interface MeasurePlan {
  version: number;
  /** A submitted measure waits for the lead unit's review. */
  reviewState: MeasureReviewState;
  mode: Mode;
  text: string;
  responsiblePerson: string;
  deadline: string | null;
  policyRef: string | null;
  milestones: Array<{ title: string; due: string | null }> | null;
}

/** What a verb changes, besides the state. */
export interface PlanBody {
  /** Processing fields to write on the complaint (attribute names). */
  patch: Record<string, unknown>;
  /** Relation changes (attribute → target id or null). */
  relations?: Partial<Record<'category' | 'responsibleUnit' | 'leadUnit' | 'problemGroup', number | null>>;
  /** History event data (never personal data). */
  eventData: Record<string, unknown>;
  measure?: MeasurePlan;
  review?: { version: number; decision: 'approved' | 'returned'; comment: string | null };
  signOff?: { round: number; step: SignStep; decision: 'signed' | 'rejected'; reason: string | null };
  /** The lead unit's decision on the reopen request of this survey (written only while it is pending). */
  reopenDecision?: { surveyId: number; decision: 'confirmed' | 'rejected' };
}

export interface TransitionPlan extends PlanBody {
  action: TransitionAction;
  from: ComplaintState;
  to: ComplaintState;
  /** What the citizen is sent, in the transition's transaction: the registration notice on acceptance, the survey on closing. */
  citizenContact: 'registered_notice' | 'survey' | null;
}

/** What the input check of a verb knows besides the request: the county's today. */
export interface InputContext {
  today: string;
}

/**
 * One verb of the workflow (one file in this folder): its input check, which turns the
 * request's fields into typed input or refuses them, and its plan. The registry runs the state
 * and role checks first, so a caller who may not act learns nothing about the inputs.
 */
export interface Verb<I = unknown> {
  action: TransitionAction;
  /**
   * A check on the facts made for a caller who may take the verb, before the state is checked
   * (a decision on a reopen request already decided is a conflict in whatever state it left).
   */
  precondition?(c: ComplaintView, facts: TransitionFacts): void;
  input(raw: Record<string, unknown>, ctx: InputContext): I;
  plan(c: ComplaintView, input: I, facts: TransitionFacts): PlanBody;
}
