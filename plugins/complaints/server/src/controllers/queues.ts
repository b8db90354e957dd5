/**
 * My work (我的待办): the user's queues with their counts, one queue's page, and the user's saved views.
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

  /** GET /complaints/my-work/views: { views: [{ name, search }] }, this user's own. */
  async views(ctx: any) {
    ctx.body = { data: { views: await getService('queues', strapi).views(ctx.state.user) } };
  },

  /** PUT /complaints/my-work/views { views: [{ name, search }] }: replaces this user's views; 400 for a bad one, nothing saved. */
  async saveViews(ctx: any) {
    ctx.body = { data: { views: await mapDomainErrors(() => getService('queues', strapi).saveViews(ctx.request.body, ctx.state.user)) } };
  },
});
