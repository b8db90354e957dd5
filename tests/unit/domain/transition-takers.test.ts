/**
 * The one table of who takes which verb (domain/transitions/takers.ts): the roles table of
 * DOMAIN.md written out by hand, and proof that the workflow's `mayTake` and the admin roles'
 * transition permissions (permissions/role-permissions.ts) say the same thing.
 */
import { ACTIONS, SIGN_STEPS, STATES, type TransitionAction } from '../../../plugins/complaints/server/src/domain/complaint-state';
import { ROLE_CODES, type RoleKey } from '../../../plugins/complaints/server/src/domain/roles';
import { mayTake, verbsOf, type ActorContext, type ComplaintView } from '../../../plugins/complaints/server/src/domain/transitions';
import { transitionActionId } from '../../../plugins/complaints/server/src/permissions/actions';
import { ROLE_PERMISSIONS } from '../../../plugins/complaints/server/src/permissions/role-permissions';

const OWN = 10;
const LEAD = 20;
const OTHER = 99;
const ROLES = Object.keys(ROLE_CODES) as RoleKey[];

const complaint = (over: Partial<ComplaintView> = {}): ComplaintView => ({
  id: 1, ledgerNo: 'A-1', state: 'assigned', town: '城关镇', categoryCode: '0101', responsibleUnitId: OWN, leadUnitId: LEAD,
  problemGroupId: null, nature: null, mode: null, deadline: null, signStep: null, reopenCount: 0, sendBackCount: 0,
  returnCount: 0, measureVersion: 0, signRound: 1, ...over,
});
const actor = (roles: RoleKey[], unitIds: number[], superAdmin = false): ActorContext => ({ userId: 7, roles, unitIds, superAdmin });

/**
 * DOMAIN.md, "Roles": the verbs each role takes (on its own unit's complaints, for the unit roles).
 * The lead unit "decide[s] reopen requests": confirm_reopen and reject_reopen; the county office
 * "reopen[s] any" but does not decide a citizen's request.
 */
const EXPECTED: Record<RoleKey, TransitionAction[]> = {
  countyOffice: ['screen_invalid', 'reinstate', 'classify', 'assign', 'reopen'],
  leadUnit: ['return_measure', 'approve_measure', 'sign', 'reject_signoff', 'reopen', 'confirm_reopen', 'reject_reopen'],
  unitOperator: ['send_back', 'accept', 'submit_measure', 'resubmit_measure', 'complete'],
  unitHead: ['sign', 'reject_signoff'],
  countyLeader: ['sign', 'reject_signoff'],
};

describe('the takers table says what DOMAIN.md says', () => {
  it.each(ROLES)('%s takes exactly its verbs', (role) => {
    expect(verbsOf(role)).toEqual(EXPECTED[role]);
  });

  it('every verb has a taker', () => {
    for (const action of ACTIONS) expect(ROLES.some((r) => EXPECTED[r].includes(action))).toBe(true);
  });
});

describe('mayTake and the role permissions agree', () => {
  // Every complaint a role could meet: each state, each sign step, its unit responsible or leading or neither.
  const complaints = STATES.flatMap((state) =>
    [null, ...SIGN_STEPS].flatMap((signStep) =>
      [
        { responsibleUnitId: OWN, leadUnitId: LEAD },
        { responsibleUnitId: OTHER, leadUnitId: OTHER },
      ].map((units) => complaint({ state, signStep, ...units }))
    )
  );

  it.each(ROLES.flatMap((role) => ACTIONS.map((action) => [role, action] as const)))('%s × %s', (role, action) => {
    const granted = ROLE_PERMISSIONS[role].some((p) => p.action === transitionActionId(action));
    const takesSomewhere = complaints.some((c) => mayTake(action, c, actor([role], [OWN, LEAD])));
    expect(granted).toBe(takesSomewhere);
    expect(granted).toBe(EXPECTED[role].includes(action));
  });

  it('the role permissions grant no transition beyond the table', () => {
    const transitionIds = new Set(ACTIONS.map(transitionActionId));
    for (const role of ROLES) {
      const granted = ROLE_PERMISSIONS[role].filter((p) => transitionIds.has(p.action)).map((p) => p.action).sort();
      expect(granted).toEqual(EXPECTED[role].map(transitionActionId).sort());
    }
  });
});

describe('whose complaint: the unit a taker must belong to', () => {
  const rows: Array<[string, TransitionAction, Partial<ComplaintView>, ActorContext, boolean]> = [
    ['county office, any unit', 'classify', { state: 'received', responsibleUnitId: null, leadUnitId: null }, actor(['countyOffice'], []), true],
    ['operator of the responsible unit', 'accept', {}, actor(['unitOperator'], [OWN]), true],
    ['operator of another unit', 'accept', {}, actor(['unitOperator'], [OTHER]), false],
    ['operator of the lead unit only', 'accept', {}, actor(['unitOperator'], [LEAD]), false],
    ['operator with no unit', 'accept', {}, actor(['unitOperator'], []), false],
    ['lead unit reviewer', 'approve_measure', { state: 'in_review' }, actor(['leadUnit'], [LEAD]), true],
    ['reviewer of another lead unit', 'approve_measure', { state: 'in_review' }, actor(['leadUnit'], [OTHER]), false],
    ['reviewer who is in the responsible unit only', 'approve_measure', { state: 'in_review' }, actor(['leadUnit'], [OWN]), false],
    ['unit head signs first', 'sign', { state: 'signing', signStep: 'unit_head' }, actor(['unitHead'], [OWN]), true],
    ['unit head of another unit', 'sign', { state: 'signing', signStep: 'unit_head' }, actor(['unitHead'], [OTHER]), false],
    ['unit head out of turn', 'sign', { state: 'signing', signStep: 'lead_unit_head' }, actor(['unitHead'], [OWN]), false],
    ['lead unit head signs second', 'sign', { state: 'signing', signStep: 'lead_unit_head' }, actor(['leadUnit'], [LEAD]), true],
    ['lead unit head out of turn', 'sign', { state: 'signing', signStep: 'unit_head' }, actor(['leadUnit'], [LEAD]), false],
    ['county leader signs last', 'reject_signoff', { state: 'signing', signStep: 'county_leader' }, actor(['countyLeader'], []), true],
    ['county leader out of turn', 'sign', { state: 'signing', signStep: 'unit_head' }, actor(['countyLeader'], []), false],
    ['no sign step yet means the unit head', 'sign', { state: 'signing', signStep: null }, actor(['unitHead'], [OWN]), true],
    ['lead unit reopens its own', 'reopen', { state: 'closed' }, actor(['leadUnit'], [LEAD]), true],
    ['another lead unit may not reopen', 'reopen', { state: 'closed' }, actor(['leadUnit'], [OTHER]), false],
    ['county office reopens any', 'reopen', { state: 'closed', leadUnitId: OTHER }, actor(['countyOffice'], []), true],
    ['lead unit decides a reopen request in its categories', 'confirm_reopen', { state: 'closed' }, actor(['leadUnit'], [LEAD]), true],
    ['another lead unit may not decide it', 'reject_reopen', { state: 'closed' }, actor(['leadUnit'], [OTHER]), false],
    ['a reviewer in the responsible unit only may not decide it', 'confirm_reopen', { state: 'closed' }, actor(['leadUnit'], [OWN]), false],
    ['the county office does not decide a citizen\'s request', 'confirm_reopen', { state: 'closed' }, actor(['countyOffice'], []), false],
    ['county leader does not classify', 'classify', { state: 'received' }, actor(['countyLeader'], []), false],
    ['Super Admin takes every verb', 'complete', { state: 'rectifying', responsibleUnitId: OTHER }, actor([], [], true), true],
  ];
  it.each(rows)('%s', (_name, action, over, a, expected) => {
    expect(mayTake(action, complaint(over), a)).toBe(expected);
  });
});
