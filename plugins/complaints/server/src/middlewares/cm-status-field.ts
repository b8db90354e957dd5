/**
 * Koa middleware (registered by the plugin around every request): the Content Manager treats an
 * attribute named `status` as its draft/publish status, whatever the type. For a type without
 * draft and publish it answers `published` in a list and drops the value in an edit view, so
 * an import's, a job's, a survey's or an SMS's own status never reached the screen. This puts
 * the stored value back on the Content Manager's answers for the Minyi types that have such a
 * field (read from the rows the answer already holds, by id: nothing the user may not read).
 */
import type { Core } from '@strapi/strapi';

const CM_PATH = /^\/content-manager\/collection-types\/(plugin::complaints\.[a-z-]+)(?:\/([A-Za-z0-9]+))?$/;

/** The Minyi types with an attribute called `status`. */
export const typesWithStatus = (strapi: Core.Strapi): Set<string> =>
  new Set(
    Object.entries(strapi.contentTypes)
      .filter(([uid, ct]) => uid.startsWith('plugin::complaints.') && (ct as any).attributes?.status)
      .map(([uid]) => uid)
  );

export const createCmStatusField = (strapi: Core.Strapi) => {
  let types: Set<string> | null = null;
  return async (ctx: any, next: () => Promise<unknown>) => {
    await next();
    if (ctx.method !== 'GET' || ctx.status !== 200) return;
    const m = CM_PATH.exec(decodeURIComponent(ctx.path));
    if (!m) return;
    types ??= typesWithStatus(strapi);
    const uid = m[1];
    if (!types.has(uid)) return;
    const body = ctx.body as { results?: Array<Record<string, any>>; data?: Record<string, any> } | null;
    const docs = (body?.results ?? (body?.data ? [body.data] : [])).filter((d) => d && d.id !== undefined);
    if (docs.length === 0) return;
    const rows = (await strapi.db.query(uid as any).findMany({ where: { id: { $in: docs.map((d) => d.id) } }, select: ['id', 'status'] })) as Array<{ id: number; status: string | null }>;
    const byId = new Map(rows.map((r) => [r.id, r.status]));
    for (const d of docs) if (byId.has(d.id)) d.status = byId.get(d.id);
  };
};
