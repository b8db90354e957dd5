/**
 * The handling workflow as a whole: who sees a complaint, what an actor may do with it now.
 * Each verb lives in its own file in transitions/ (input check and plan), who takes it in
 * transitions/takers.ts; this module re-exports them for the services.
 */
import { assertTransition, type ComplaintState, type TransitionAction } from './complaint-state';
import { ROLE_DEFINITIONS } from './roles';
import { mayTake } from './transitions';
import type { ActorContext, ComplaintView } from './transitions/types';

export { ASPECTS, INVALID_REASONS, LEVELS, MODES, NATURES, type Aspect, type Mode } from './terms';
export { mayTake, nextSignStep, planTransition, TAKERS, verbsOf, VERBS } from './transitions';
export type { ActorContext, ComplaintView, TransitionFacts, TransitionPlan } from './transitions/types';

/** The county-wide roles: they see every complaint, whatever its unit or state. */
export const seesEveryComplaint = (a: ActorContext): boolean => a.superAdmin || a.roles.includes('countyOffice') || a.roles.includes('countyLeader');

/**
 * States in which a complaint is in a unit's hands. Before assignment (and after a send-back)
 * it is still the county office's: units do not see it.
 */
export const UNIT_VISIBLE_STATES: readonly ComplaintState[] = ['assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'];

/** Whether the actor may see this complaint at all (scope of the unit roles). */
export const maySee = (c: Pick<ComplaintView, 'responsibleUnitId' | 'leadUnitId' | 'state'>, a: ActorContext): boolean => {
  if (seesEveryComplaint(a)) return true;
  if (!UNIT_VISIBLE_STATES.includes(c.state)) return false;
  if ((a.roles.includes('unitOperator') || a.roles.includes('unitHead')) && c.responsibleUnitId !== null && a.unitIds.includes(c.responsibleUnitId)) return true;
  if (a.roles.includes('leadUnit') && c.leadUnitId !== null && a.unitIds.includes(c.leadUnitId)) return true;
  return false;
};

/**
 * Whether the actor sees which server instance ran a job (host:pid:random): the county-wide
 * roles who operate the system; a unit only needs to know the job is alive.
 */
export const seesJobInstances = (a: ActorContext): boolean => seesEveryComplaint(a);

/** Whether the actor sees full phone numbers (DOMAIN.md roles table, in ROLE_DEFINITIONS). */
export const seesFullPhone = (a: ActorContext): boolean => a.superAdmin || ROLE_DEFINITIONS.some((r) => r.seesFullPhone && a.roles.includes(r.key));

/** Whether the actor may add evidence now: while the complaint is rectified, whoever may complete it. */
export const mayAddEvidence = (c: ComplaintView, a: ActorContext): boolean => c.state === 'rectifying' && mayTake('complete', c, a);

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

