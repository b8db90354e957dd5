/**
 * Settings 系统设置: GET /complaints/settings, the configuration as the county sees it;
 * PUT /complaints/settings, an edit of the settings that are safe to change at run time.
 */
import type { Core } from '@strapi/strapi';
import { getService, mapDomainErrors } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async overview(ctx: any) {
    ctx.body = { data: await getService('settings', strapi).overview() };
  },

  async update(ctx: any) {
    const result = await mapDomainErrors(() => getService('settings', strapi).update(ctx.request.body, ctx.state.user));
    ctx.body = { data: result.settings, meta: { changes: result.changes } };
  },
});
