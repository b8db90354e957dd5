/**
 * Who takes which verb (DOMAIN.md, "Roles"): the one table the workflow's `mayTake` and the
 * admin roles' permissions (permissions/role-permissions.ts) are both made from.
 *
 * A taker is a role and the complaint's unit the user must belong to: the county-wide roles
 * act on every complaint, a unit role only on its unit's. Sign-off is taken in turn: each
 * signer row names the step it signs. Super Admin may take every verb.
 */
import { ACTIONS, type SignStep, type TransitionAction } from '../complaint-state';
import type { RoleKey } from '../roles';
import type { ActorContext, ComplaintView } from './types';

/** The unit a taker must belong to: none (county-wide), the responsible unit, or the lead unit. */
export type TakerScope = 'county' | 'responsible_unit' | 'lead_unit';

export interface Taker {
  role: RoleKey;
  scope: TakerScope;
  /** Sign-off verbs: the step this role signs. */
  signStep?: SignStep;
}

const countyOffice: Taker = { role: 'countyOffice', scope: 'county' };
const operator: Taker = { role: 'unitOperator', scope: 'responsible_unit' };
const leadReviewer: Taker = { role: 'leadUnit', scope: 'lead_unit' };
const signers: readonly Taker[] = [
  { role: 'unitHead', scope: 'responsible_unit', signStep: 'unit_head' },
  { role: 'leadUnit', scope: 'lead_unit', signStep: 'lead_unit_head' },
  { role: 'countyLeader', scope: 'county', signStep: 'county_leader' },
];

export const TAKERS: Readonly<Record<TransitionAction, readonly Taker[]>> = {
  screen_invalid: [countyOffice],
  reinstate: [countyOffice],
  classify: [countyOffice],
  assign: [countyOffice],
  send_back: [operator],
  accept: [operator],
  submit_measure: [operator],
  resubmit_measure: [operator],
  complete: [operator],
  return_measure: [leadReviewer],
  approve_measure: [leadReviewer],
  sign: signers,
  reject_signoff: signers,
  reopen: [countyOffice, leadReviewer],
  // DOMAIN.md: the lead unit decides reopen requests (in the categories it leads).
  confirm_reopen: [leadReviewer],
  reject_reopen: [leadReviewer],
};

/** The signer whose turn it is. */
export const nextSignStep = (c: Pick<ComplaintView, 'signStep'>): SignStep => c.signStep ?? 'unit_head';

const inScope = (scope: TakerScope, c: Pick<ComplaintView, 'responsibleUnitId' | 'leadUnitId'>, a: ActorContext): boolean => {
  if (scope === 'county') return true;
  const unitId = scope === 'responsible_unit' ? c.responsibleUnitId : c.leadUnitId;
  return unitId !== null && a.unitIds.includes(unitId);
};

/** Whether this actor may take this verb on this complaint (its state is checked separately). */
export const mayTake = (action: TransitionAction, c: ComplaintView, a: ActorContext): boolean => {
  if (a.superAdmin) return true;
  const takers = TAKERS[action];
  if (!takers) return false;
  const step = nextSignStep(c);
  return takers.some((t) => a.roles.includes(t.role) && (t.signStep === undefined || t.signStep === step) && inScope(t.scope, c, a));
};

/** The verbs a role takes on some complaint: its transition permissions in the admin. */
export const verbsOf = (role: RoleKey): TransitionAction[] => ACTIONS.filter((action) => TAKERS[action].some((t) => t.role === role));
