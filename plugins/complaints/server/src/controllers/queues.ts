/**
 * My work (我的待办): the user's queues with their counts, and one queue's page.
 * Parse, call one service, send its answer (domain errors map to 400/403/404 in one place).
 */
import type { Core } from '@strapi/strapi';
import { getService, mapDomainErrors } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /complaints/queues?<filters>: { queues: [{ key, label, count }] } */
  async list(ctx: any) {
    ctx.body = { data: await mapDomainErrors(() => getService('queues', strapi).list(ctx.query ?? {}, ctx.state.user)) };
  },

  /** GET /complaints/queues/:key?page=&pageSize=&<filters> */
  async rows(ctx: any) {
    ctx.body = { data: await mapDomainErrors(() => getService('queues', strapi).rows(ctx.params.key, ctx.query ?? {}, ctx.state.user)) };
  },
});
