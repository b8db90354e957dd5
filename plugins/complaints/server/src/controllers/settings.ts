/** Settings 系统设置: GET /complaints/settings, the configuration as the county sees it (read-only). */
import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async overview(ctx: any) {
    ctx.body = { data: await getService('settings', strapi).overview() };
  },
});
