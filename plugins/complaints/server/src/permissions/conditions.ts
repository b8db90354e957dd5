/**
 * RBAC conditions that scope records by the admin user's units, as data. Registered in
 * bootstrap with the admin's condition provider. They fail closed: a user with no unit gets no
 * permission from them at all. Unit membership is cached per request (services/access.ts).
 */
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { UNIT_VISIBLE_STATES } from '../domain/workflow';

type Handler = (user: { id: number; permission?: { subject?: string } }) => Promise<Record<string, unknown> | boolean>;

/** The complaint/group field that holds the responsible (own) or lead (led) unit, per subject. */
const OWN_FIELD: Record<string, string> = {
  [UID.complaint]: 'responsibleUnitId',
  [UID.problemGroup]: 'unitId',
};
const LED_FIELD: Record<string, string> = {
  [UID.complaint]: 'leadUnitId',
};

export const buildConditions = (strapi: Core.Strapi) => {
  const unitIds = async (userId: number): Promise<number[]> =>
    (await strapi.plugin('complaints').service('access').unitsOf(userId)).map((u: { id: number }) => u.id);

  const scoped = (fields: Record<string, string>): Handler => async (user) => {
    const field = fields[user.permission?.subject ?? ''];
    if (!field) return false;
    const ids = await unitIds(user.id);
    if (ids.length === 0) return false;
    // A complaint is in a unit's hands from assignment on (services and panels apply the same rule).
    if (user.permission?.subject === UID.complaint) return { [field]: { $in: ids }, state: { $in: [...UNIT_VISIBLE_STATES] } };
    return { [field]: { $in: ids } };
  };

  return [
    { displayName: 'Is own unit 本单位', name: 'is-own-unit', plugin: 'complaints', category: 'Minyi', handler: scoped(OWN_FIELD) },
    { displayName: 'Is led unit 牵头单位', name: 'is-led-unit', plugin: 'complaints', category: 'Minyi', handler: scoped(LED_FIELD) },
  ];
};

export const CONDITION = {
  ownUnit: 'plugin::complaints.is-own-unit',
  ledUnit: 'plugin::complaints.is-led-unit',
} as const;
