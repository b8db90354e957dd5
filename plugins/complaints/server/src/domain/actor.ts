/**
 * Who is acting, as the rules see them: an admin user's Minyi roles, whether they are Super
 * Admin, and their units; their name as history records it; and what each role sees across
 * the county (DOMAIN.md, "Roles").
 */
import { ROLE_CODES, ROLE_DEFINITIONS, type RoleKey } from './roles';
import { TAKERS } from './transitions/takers';
import type { ActorContext } from './transitions/types';

/** Strapi's own Super Admin role: it may do everything Minyi's roles may. */
export const SUPER_ADMIN_ROLE_CODE = 'strapi-super-admin';

const roleKeyByCode = new Map<string, RoleKey>(Object.entries(ROLE_CODES).map(([k, code]) => [code, k as RoleKey]));

/** The actor of an admin user with these role codes and units (roles that are not Minyi's count for nothing). */
export const actorContextOf = (userId: number | null, roleCodes: readonly string[], unitIds: readonly number[]): ActorContext => ({
  userId,
  superAdmin: roleCodes.includes(SUPER_ADMIN_ROLE_CODE),
  roles: roleCodes.map((c) => roleKeyByCode.get(c)).filter((k): k is RoleKey => k !== undefined),
  unitIds: [...unitIds],
});

/** The name history records for an admin user: first and last name, else the username, else the id. */
export const displayName = (user: { id: number; firstname?: string | null; lastname?: string | null; username?: string | null }): string =>
  [user.firstname, user.lastname].filter(Boolean).join(' ') || user.username || `admin#${user.id}`;

/** The county-wide roles (those that act on complaints of any unit: the county office, the county leader). */
const COUNTY_WIDE = new Set<RoleKey>(Object.values(TAKERS).flatMap((takers) => takers.filter((t) => t.scope === 'county').map((t) => t.role)));

/** The county-wide roles see every complaint, whatever its unit or state. */
export const seesEveryComplaint = (a: ActorContext): boolean => a.superAdmin || a.roles.some((r) => COUNTY_WIDE.has(r));

/** Whether the actor sees full phone numbers (DOMAIN.md roles table, in ROLE_DEFINITIONS). */
export const seesFullPhone = (a: ActorContext): boolean => a.superAdmin || ROLE_DEFINITIONS.some((r) => r.seesFullPhone && a.roles.includes(r.key));

/**
 * Whether the actor sees which server instance ran a job (host:pid:random): the county-wide
 * roles who operate the system; a unit only needs to know the job is alive.
 */
export const seesJobInstances = (a: ActorContext): boolean => seesEveryComplaint(a);
