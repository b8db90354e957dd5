/**
 * Problem groups (共性问题小类): a unit's subdivision of common complaints under a minor
 * category. A unit operator groups its own unit's complaints; the county office, the county
 * leader and Super Admin see every unit's groups.
 */
import type { ComplaintState } from './complaint-state';
import { DomainError } from './errors';
import type { Nature } from './terms';
import { seesEveryComplaint, type ActorContext, type ComplaintView } from './workflow';

/** The group code: the minor category's code and a three-digit number (`0703-001`). */
export const groupCode = (categoryCode: string, n: number): string => `${categoryCode}-${String(n).padStart(3, '0')}`;

/** A complaint joins a group once accepted and before a measure is submitted. */
const GROUPABLE_STATE: ComplaintState = 'accepted';

/** A grouped complaint is common (共性). */
export const GROUPED_NATURE: Nature = 'common';

/** Who may create groups and group complaints: a unit operator (or Super Admin). */
export const mayGroup = (a: ActorContext): boolean => a.superAdmin || a.roles.includes('unitOperator');

/** Whether the unit is the actor's own (Super Admin: every unit). */
export const actsForUnit = (a: ActorContext, unitId: number | null): boolean =>
  a.superAdmin || (unitId !== null && a.unitIds.includes(unitId));

/** Who sees every unit's groups: the county-wide roles; anyone else sees their own units' groups only. */
export const seesEveryGroup = (a: ActorContext): boolean => seesEveryComplaint(a);

/**
 * Whether this actor may put this complaint into one of its unit's groups now (the complaint
 * page's 归入共性问题小类): a unit operator of the complaint's unit, the complaint accepted and in
 * no group yet. membershipRefusal below checks the chosen group itself.
 */
export const mayJoinAGroup = (
  c: Pick<ComplaintView, 'responsibleUnitId' | 'state'> & { problemGroupId: number | null },
  a: ActorContext
): boolean => mayGroup(a) && actsForUnit(a, c.responsibleUnitId) && c.state === GROUPABLE_STATE && c.problemGroupId === null;

/**
 * Why a complaint may not join the group, or null: it must be the group's unit's complaint,
 * in the group's category, and accepted without a measure yet.
 */
export const membershipRefusal = (
  c: Pick<ComplaintView, 'ledgerNo' | 'responsibleUnitId' | 'categoryCode' | 'state'>,
  group: { unitId: number; categoryCode: string }
): DomainError | null => {
  if (c.responsibleUnitId !== group.unitId) {
    return new DomainError('validation', 'invalid_input', `诉求 ${c.ledgerNo} 不属于本小类的单位`, `Complaint ${c.ledgerNo} belongs to another unit`);
  }
  if (c.categoryCode !== group.categoryCode) {
    return new DomainError(
      'validation',
      'invalid_input',
      `诉求 ${c.ledgerNo} 的类别是 ${c.categoryCode}，小类是 ${group.categoryCode}`,
      `Complaint ${c.ledgerNo} is in category ${c.categoryCode}, the group in ${group.categoryCode}`
    );
  }
  if (c.state !== GROUPABLE_STATE) {
    return new DomainError('validation', 'illegal_state', `诉求 ${c.ledgerNo} 须为已受理、尚未提交措施`, `Complaint ${c.ledgerNo} must be accepted and without a measure`);
  }
  return null;
};
