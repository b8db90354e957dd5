import type { Core } from '@strapi/strapi';
import { routedPath } from '../utils';

/**
 * Strapi 5.54's Content Manager throws TypeErrors (500) on two paths for Minyi's types, from core
 * code rather than the caller's input: its relations endpoint when the caller may not read the
 * source or the target type (the admin users behind `createdBy`, a unit's `members`), and the
 * draft actions (publish, unpublish, discard) on types without draft and publish. Those two paths,
 * on Minyi's types only, answer the refusal the rest of the Content Manager gives (403), or 405 for
 * an action the type does not have. Anything else, and any error Strapi already gave a status,
 * passes through untouched.
 */
const RELATIONS = /^\/content-manager\/relations\/plugin::complaints\.[a-z-]+\//; // matched on routedPath (lower case)
const DRAFT_ACTION = /^\/content-manager\/collection-types\/(plugin::complaints\.[a-z-]+)\/(?:[^/]+\/)?actions\/(?:publish|unpublish|discard|bulkpublish|bulkunpublish)$/;

const refusal = (ctx: any, status: 403 | 405, name: string, message: string, code: string) => {
  ctx.status = status;
  ctx.body = { data: null, error: { status, name, message, details: { code } } };
};

const contentManagerFaults = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: any, next: () => Promise<unknown>) => {
    const path = routedPath(ctx.path);
    const relations = RELATIONS.test(path);
    const draft = DRAFT_ACTION.exec(path);
    if (!relations && !draft) return next();
    try {
      await next();
    } catch (error) {
      // An error with a status is Strapi's own answer (401, 403, 404, 400): keep it.
      // By name, not instanceof: under test runners core code may throw from another realm.
      if ((error as { status?: number })?.status || (error as { name?: string })?.name !== 'TypeError') throw error;
      if (draft) {
        const type = (strapi.contentTypes as Record<string, any>)[draft[1]];
        if (type?.options?.draftAndPublish) throw error;
        strapi.log.warn(`[complaints] Content Manager draft action on ${draft[1]} (no draft and publish) answered 405`);
        return refusal(ctx, 405, 'MethodNotAllowedError', '此类记录没有草稿与发布 / This type has no draft and publish', 'no_draft_and_publish');
      }
      strapi.log.warn(`[complaints] Content Manager relations request refused: ${ctx.method} ${path.split('?')[0]}`);
      return refusal(ctx, 403, 'ForbiddenError', '无权查看此关联 / You may not read this relation', 'relation_forbidden');
    }
  };
};

export default contentManagerFaults;
