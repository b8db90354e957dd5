/**
 * The handling workflow as a whole: who sees a complaint, what an actor may do with it now.
 * Each verb lives in its own file in transitions/ (input check and plan), who takes it in
 * transitions/takers.ts; this module re-exports them for the services.
 */
import { assertTransition, RECTIFYING_STATE, type ComplaintState, type TransitionAction } from './complaint-state';
import { seesEveryComplaint } from './actor';
import { mayTake, TAKERS, type TakerScope } from './transitions';
import type { ActorContext, ComplaintView } from './transitions/types';

export { ASPECTS, INVALID_REASONS, LEVELS, MODES, NATURES, type Aspect, type Mode } from './terms';
export { mayTake, nextSignStep, planTransition, TAKERS, verbsOf, VERBS } from './transitions';
export type { ActorContext, ComplaintView, TransitionFacts, TransitionPlan } from './transitions/types';

export { displayName, seesEveryComplaint, seesFullPhone, seesJobInstances } from './actor';

/**
 * States in which a complaint is in a unit's hands. Before assignment (and after a send-back)
 * it is still the county office's: units do not see it.
 */
export const UNIT_VISIBLE_STATES: readonly ComplaintState[] = ['assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'];

/** The units a role's complaints belong to: those it acts on in the takers table. */
const scopesOf = (a: ActorContext): Set<TakerScope> =>
  new Set(Object.values(TAKERS).flatMap((takers) => takers.filter((t) => a.roles.includes(t.role)).map((t) => t.scope)));

/**
 * Which complaints an actor sees: every one (the county-wide roles), or those of its units in
 * the states a unit handles, as responsible unit or as lead unit. The statistics, the export
 * and the workbench compile this into SQL (services/access.ts); `maySee` is the same rule for
 * one complaint.
 */
export type ComplaintScope =
  | { all: true }
  | { all: false; states: readonly ComplaintState[]; responsibleUnitIds: number[]; leadUnitIds: number[] };

export const complaintScope = (a: ActorContext): ComplaintScope => {
  if (seesEveryComplaint(a)) return { all: true };
  const scopes = scopesOf(a);
  return {
    all: false,
    states: UNIT_VISIBLE_STATES,
    responsibleUnitIds: scopes.has('responsible_unit') ? [...a.unitIds] : [],
    leadUnitIds: scopes.has('lead_unit') ? [...a.unitIds] : [],
  };
};

/** Whether the actor may see this complaint at all (scope of the unit roles). */
export const maySee = (c: Pick<ComplaintView, 'responsibleUnitId' | 'leadUnitId' | 'state'>, a: ActorContext): boolean => maySeeIn(complaintScope(a), c);

/** `maySee` with the actor's scope worked out once, for many complaints (services/stats-columns.ts). */
export const maySeeIn = (scope: ComplaintScope, c: Pick<ComplaintView, 'responsibleUnitId' | 'leadUnitId' | 'state'>): boolean => {
  if (scope.all) return true;
  if (!scope.states.includes(c.state)) return false;
  return (c.responsibleUnitId !== null && scope.responsibleUnitIds.includes(c.responsibleUnitId)) || (c.leadUnitId !== null && scope.leadUnitIds.includes(c.leadUnitId));
};

/** Whether the actor may add evidence now: while the complaint is rectified, whoever may complete it. */
export const mayAddEvidence = (c: ComplaintView, a: ActorContext): boolean => c.state === RECTIFYING_STATE && mayTake('complete', c, a);

/**
 * Whether the actor may learn that a problem group has no members: its own unit and the
 * county-wide roles (members decide a group's visibility otherwise).
 */
export const seesEmptyGroup = (groupUnitId: number | null, a: ActorContext): boolean =>
  seesEveryComplaint(a) || (groupUnitId !== null && a.unitIds.includes(groupUnitId));

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

