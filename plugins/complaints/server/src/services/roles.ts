/**
 * The admin roles of DOMAIN.md and their permissions. Called from the app's bootstrap
 * (src/index.ts), after the admin has created its default roles: a plugin bootstrap runs
 * first, and a role created there would stop the admin from creating Super Admin.
 */
import type { Core } from '@strapi/strapi';
import { ADMIN_ROLE_UID } from '../constants';
import { ROLE_DEFINITIONS, ROLE_CODES, type RoleKey } from '../domain/roles';
import { ROLE_PERMISSIONS, type PermissionSpec } from '../permissions/role-permissions';
import { FORBIDDEN_CM_PERMISSIONS, isForbiddenPermission, isMinyiPermission } from '../permissions/forbidden';

const SUPER_ADMIN_CODE = 'strapi-super-admin';

export interface RoleRow {
  id: number;
  code: string;
  name: string;
  description?: string;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const roleService = () => strapi.service('admin::role') as any;
  const contentTypeService = () => strapi.service('admin::content-type') as any;

  const toPermission = (spec: PermissionSpec) => {
    const properties: Record<string, unknown> = {};
    if (spec.subject && strapi.contentTypes[spec.subject as keyof typeof strapi.contentTypes]) {
      const all: string[] = contentTypeService().getNestedFields(strapi.contentTypes[spec.subject as keyof typeof strapi.contentTypes], {
        components: strapi.components,
      });
      properties.fields = spec.fields ?? all.filter((f) => !(spec.excludeFields ?? []).includes(f));
    }
    return {
      action: spec.action,
      subject: spec.subject ?? null,
      properties,
      conditions: spec.conditions ?? [],
    };
  };

  return {
    /** Creates missing roles; never renames or deletes an existing one. Returns roles by key. */
    async ensureRoles(): Promise<Record<RoleKey, RoleRow>> {
      const result = {} as Record<RoleKey, RoleRow>;
      for (const def of ROLE_DEFINITIONS) {
        let role = (await strapi.db.query(ADMIN_ROLE_UID).findOne({ where: { code: def.code } })) as RoleRow | null;
        if (!role) {
          role = (await roleService().create({ name: def.name, code: def.code, description: def.description })) as RoleRow;
          strapi.log.info(`[complaints] created admin role "${def.name}"`);
        }
        result[def.key] = role;
      }
      return result;
    },

    /** Makes each role's stored permissions equal to ROLE_PERMISSIONS (no-op when they already are). */
    async syncPermissions(roles: Record<RoleKey, RoleRow>): Promise<void> {
      for (const def of ROLE_DEFINITIONS) {
        const specs = ROLE_PERMISSIONS[def.key];
        await roleService().assignPermissions(roles[def.key].id, specs.map(toPermission));
      }
    },

    /**
     * Removes, from every role (Strapi's default Editor and Author included), the permissions
     * the ledger forbids: deleting complaints, writing history events or any ledger record.
     */
    async removeForbiddenPermissions(): Promise<number> {
      let removed = 0;
      for (const [action, subject] of FORBIDDEN_CM_PERMISSIONS) {
        removed += (await strapi.db.query('admin::permission').deleteMany({ where: { action, subject } })).count;
      }
      return removed;
    },

    /**
     * Minyi's types and actions are reachable only through Minyi's five roles (whose
     * permissions are exactly ROLE_PERMISSIONS) and Super Admin: every other role (Strapi's
     * Editor and Author, a role a county adds in Settings) loses its permissions on them.
     */
    async removeForeignPermissions(): Promise<number> {
      const keep = await this.minyiRoleIds();
      const rows = (await strapi.db.query('admin::permission').findMany({
        select: ['id', 'action', 'subject'],
        where: { $or: [{ action: { $startsWith: 'plugin::complaints.' } }, { subject: { $startsWith: 'plugin::complaints.' } }] },
        populate: { role: { select: ['id'] } },
      })) as Array<{ id: number; role?: { id: number } | null }>;
      const foreign = rows.filter((r) => !r.role || !keep.has(Number(r.role.id))).map((r) => r.id);
      if (foreign.length > 0) await strapi.db.query('admin::permission').deleteMany({ where: { id: { $in: foreign } } });
      return foreign.length;
    },

    /** Ids of the roles that may hold Minyi permissions: Minyi's five and Super Admin. */
    async minyiRoleIds(): Promise<Set<number>> {
      const roles = (await strapi.db.query(ADMIN_ROLE_UID).findMany({
        select: ['id'],
        where: { code: { $in: [...Object.values(ROLE_CODES), SUPER_ADMIN_CODE] } },
      })) as Array<{ id: number }>;
      return new Set(roles.map((r) => Number(r.id)));
    },

    /**
     * Whether a permission may be stored for a role: never a forbidden one, and a Minyi one
     * only for Minyi's roles and Super Admin. Checked on every permission the admin creates,
     * so a role saved later in Settings → Roles cannot gain them until the next start either.
     */
    async mayHold(permission: { action: string; subject?: string | null }, roleId: number | null): Promise<boolean> {
      if (isForbiddenPermission(permission)) return false;
      if (!isMinyiPermission(permission)) return true;
      return roleId !== null && (await this.minyiRoleIds()).has(Number(roleId));
    },

    async setup(): Promise<Record<RoleKey, RoleRow>> {
      const roles = await this.ensureRoles();
      await this.syncPermissions(roles);
      await this.removeForbiddenPermissions();
      await this.removeForeignPermissions();
      return roles;
    },

    codes: ROLE_CODES,
  };
};
