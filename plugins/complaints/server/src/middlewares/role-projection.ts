/**
 * Koa middleware (registered by the plugin around every request): applies the one complaint
 * projection (domain/complaint-projection.ts) to every JSON response an admin user receives.
 * It sits outside the controllers, so the Content Manager's lists, edit views, populated
 * relations, the relations endpoint and homepage widgets are all covered, whichever query path
 * (Document Service, query engine, raw SQL) produced them.
 */
import type { Core } from '@strapi/strapi';
import { projectForRole, seesFullPhones } from '../domain/complaint-projection';

export const adminRoleCodes = (ctx: any): string[] | null => {
  if (ctx.state?.auth?.strategy?.name !== 'admin' || !ctx.state?.user) return null;
  const roles = (ctx.state.user.roles ?? []) as Array<{ code?: string }>;
  return roles.map((r) => String(r.code ?? ''));
};

export const createRoleProjection = (_strapi: Core.Strapi) => async (ctx: any, next: () => Promise<unknown>) => {
  await next();
  const codes = adminRoleCodes(ctx);
  if (!codes || seesFullPhones(codes)) return;
  const body = ctx.body;
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || typeof (body as any).pipe === 'function') return;
  ctx.body = projectForRole(body, false);
};
