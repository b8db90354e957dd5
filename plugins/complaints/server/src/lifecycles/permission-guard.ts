/**
 * Admin permissions on Minyi's types and actions exist only on Minyi's roles and Super Admin,
 * and the forbidden ledger writes on none: a permission saved otherwise (Settings → Roles, an
 * API call, another plugin) is removed as soon as it is stored. The boot-time sweep in
 * services/roles.ts removes what was stored before this ran.
 */
import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

export const subscribePermissionGuard = (strapi: Core.Strapi): void => {
  strapi.db.lifecycles.subscribe({
    models: ['admin::permission'],
    async afterCreate(event: any) {
      const result = event.result as { id?: number; action?: string; subject?: string | null } | undefined;
      if (!result?.id || typeof result.action !== 'string') return;
      const role = event.params?.data?.role;
      const roleId = typeof role === 'object' && role !== null ? Number(role.id ?? role.connect?.[0]?.id ?? NaN) : Number(role);
      const ok = await getService('roles', strapi).mayHold({ action: result.action, subject: result.subject ?? null }, Number.isFinite(roleId) ? roleId : null);
      if (!ok) await strapi.db.query('admin::permission').delete({ where: { id: result.id } });
    },
  } as any);
};
