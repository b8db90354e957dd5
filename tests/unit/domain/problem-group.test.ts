import {
  actsForUnit,
  groupCode,
  mayGroup,
  mayJoinAGroup,
  membershipRefusal,
  seesEveryGroup,
} from '../../../plugins/complaints/server/src/domain/problem-group';
import type { ActorContext } from '../../../plugins/complaints/server/src/domain/workflow';
import type { RoleKey } from '../../../plugins/complaints/server/src/domain/roles';

const actor = (roles: RoleKey[], unitIds: number[] = [5], superAdmin = false): ActorContext => ({ userId: 1, superAdmin, roles, unitIds });

describe('group codes', () => {
  it.each([
    ['0703', 1, '0703-001'],
    ['0703', 42, '0703-042'],
    ['1201', 999, '1201-999'],
    ['1201', 1000, '1201-1000'],
  ])('%s #%i → %s', (category, n, code) => {
    expect(groupCode(category, n)).toBe(code);
  });
});

describe('who may group, and for which unit', () => {
  // [actor, may group, acts for unit 5, acts for unit 6, sees every unit's groups]
  const table: Array<[string, ActorContext, boolean, boolean, boolean, boolean]> = [
    ['unit operator of 5', actor(['unitOperator']), true, true, false, false],
    ['unit head of 5', actor(['unitHead']), false, true, false, false],
    ['lead unit reviewer of 5', actor(['leadUnit']), false, true, false, false],
    ['county office', actor(['countyOffice'], []), false, false, false, true],
    ['county leader', actor(['countyLeader'], []), false, false, false, true],
    ['Super Admin', actor([], [], true), true, true, true, true],
    ['no role', actor([], []), false, false, false, false],
  ];
  it.each(table)('%s', (_name, a, group, unit5, unit6, every) => {
    expect([mayGroup(a), actsForUnit(a, 5), actsForUnit(a, 6), seesEveryGroup(a)]).toEqual([group, unit5, unit6, every]);
  });

  it('no unit is nobody’s own unit', () => {
    expect(actsForUnit(actor(['unitOperator']), null)).toBe(false);
  });
});

describe('which complaints may join a group of unit 5 in category 0703', () => {
  const group = { unitId: 5, categoryCode: '0703' };
  // [responsible unit, category, state, refusal code (null: joins), message]
  const table: Array<[number | null, string | null, string, string | null, string | null]> = [
    [5, '0703', 'accepted', null, null],
    [6, '0703', 'accepted', 'invalid_input', '诉求 A-1 不属于本小类的单位 / Complaint A-1 belongs to another unit'],
    [null, '0703', 'accepted', 'invalid_input', '诉求 A-1 不属于本小类的单位 / Complaint A-1 belongs to another unit'],
    [5, '0704', 'accepted', 'invalid_input', '诉求 A-1 的类别是 0704，小类是 0703 / Complaint A-1 is in category 0704, the group in 0703'],
    [5, '0703', 'assigned', 'illegal_state', '诉求 A-1 须为已受理、尚未提交措施 / Complaint A-1 must be accepted and without a measure'],
    [5, '0703', 'in_review', 'illegal_state', '诉求 A-1 须为已受理、尚未提交措施 / Complaint A-1 must be accepted and without a measure'],
    [5, '0703', 'rectifying', 'illegal_state', '诉求 A-1 须为已受理、尚未提交措施 / Complaint A-1 must be accepted and without a measure'],
  ];
  it.each(table)('unit %s, category %s, %s → %s', (responsibleUnitId, categoryCode, state, code, message) => {
    const refusal = membershipRefusal({ ledgerNo: 'A-1', responsibleUnitId, categoryCode, state: state as any }, group);
    expect(refusal === null ? null : [refusal.code, refusal.message]).toEqual(code === null ? null : [code, message]);
  });
});

describe('who may put a complaint into a group now (the complaint page)', () => {
  const c = (state: string, responsibleUnitId: number | null, problemGroupId: number | null) => ({ state: state as any, responsibleUnitId, problemGroupId });
  it.each([
    ['its unit\'s operator, accepted, in no group', c('accepted', 5, null), actor(['unitOperator']), true],
    ['already in a group', c('accepted', 5, 9), actor(['unitOperator']), false],
    ['a measure already submitted', c('in_review', 5, null), actor(['unitOperator']), false],
    ['not yet accepted', c('assigned', 5, null), actor(['unitOperator']), false],
    ['another unit\'s operator', c('accepted', 6, null), actor(['unitOperator']), false],
    ['the unit head of the unit', c('accepted', 5, null), actor(['unitHead']), false],
    ['the county office', c('accepted', 5, null), actor(['countyOffice'], []), false],
    ['Super Admin', c('accepted', 6, null), actor([], [], true), true],
  ])('%s', (_name, complaint, a, may) => {
    expect(mayJoinAGroup(complaint, a)).toBe(may);
  });
});
