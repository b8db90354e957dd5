/**
 * The RBAC conditions, built on a fake Strapi and called as the admin's condition provider
 * calls them: a user of units 3 and 5 gets exactly the filter of those units (complaints from
 * assignment on); a user with no unit, or a subject the condition does not cover, gets none
 * (false: the permission does not apply at all).
 */
import { buildConditions, CONDITION } from '../../../plugins/complaints/server/src/permissions/conditions';
import { fakeStrapi, type FakeStrapi } from './fake-strapi';

const COMPLAINT = 'plugin::complaints.complaint';
const GROUP = 'plugin::complaints.problem-group';
const FROM_ASSIGNMENT = ['assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'];

let fake: FakeStrapi;
let handler: (name: string) => (user: { id: number; permission?: { subject?: string } }) => Promise<unknown>;

beforeEach(() => {
  fake = fakeStrapi();
  fake.services.access.unitsOf.mockImplementation(async (userId: number) => (userId === 9 ? [{ id: 3 }, { id: 5 }] : []));
  const conditions = buildConditions(fake.strapi);
  handler = (name) => conditions.find((c) => `plugin::${c.plugin}.${c.name}` === name)!.handler;
});

describe('RBAC conditions', () => {
  it('are registered under the names the roles use', () => {
    const conditions = buildConditions(fake.strapi);
    expect(conditions.map((c) => `plugin::${c.plugin}.${c.name}`)).toEqual([CONDITION.ownUnit, CONDITION.ledUnit]);
    expect(conditions.map((c) => c.displayName)).toEqual(['Is own unit 本单位', 'Is led unit 牵头单位']);
  });

  it('own unit: complaints of the user’s units, from assignment on', async () => {
    await expect(handler(CONDITION.ownUnit)({ id: 9, permission: { subject: COMPLAINT } })).resolves.toEqual({
      responsibleUnitId: { $in: [3, 5] },
      state: { $in: FROM_ASSIGNMENT },
    });
    expect(fake.services.access.unitsOf).toHaveBeenCalledWith(9);
  });

  it('own unit: problem groups of the user’s units', async () => {
    await expect(handler(CONDITION.ownUnit)({ id: 9, permission: { subject: GROUP } })).resolves.toEqual({ unitId: { $in: [3, 5] } });
  });

  it('led unit: complaints whose lead unit is the user’s, from assignment on', async () => {
    await expect(handler(CONDITION.ledUnit)({ id: 9, permission: { subject: COMPLAINT } })).resolves.toEqual({
      leadUnitId: { $in: [3, 5] },
      state: { $in: FROM_ASSIGNMENT },
    });
  });

  it.each([CONDITION.ownUnit, CONDITION.ledUnit])('%s fails closed for a user with no unit', async (name) => {
    await expect(handler(name)({ id: 10, permission: { subject: COMPLAINT } })).resolves.toBe(false);
  });

  it.each([
    [CONDITION.ownUnit, 'plugin::complaints.category'],
    [CONDITION.ledUnit, GROUP],
    [CONDITION.ownUnit, undefined],
  ])('%s gives nothing on %s, without looking the units up', async (name, subject) => {
    await expect(handler(name)({ id: 9, permission: { subject } })).resolves.toBe(false);
    expect(fake.services.access.unitsOf).not.toHaveBeenCalled();
  });
});
