/**
 * Month close 月度封账: the closed months, one month's frozen and live figures, the check of
 * its stored versions, the close and a correction. Parse, call one service, send its answer
 * (domain errors map to 400/404/409 in one place).
 */
import type { Core } from '@strapi/strapi';
import { getService, mapDomainErrors } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService('month-closes', strapi);
  return {
    /** GET /complaints/month-closes: closed months (latest version) and the ended months still open. */
    async list(ctx: any) {
      ctx.body = { data: await mapDomainErrors(() => service().list()) };
    },

    /** GET /complaints/month-closes/2026-11: versions, frozen against live, differences and their complaints. */
    async show(ctx: any) {
      ctx.body = { data: await mapDomainErrors(() => service().show(ctx.params.month)) };
    },

    /** GET /complaints/month-closes/2026-11/verify: every version's hash recomputed. */
    async verify(ctx: any) {
      ctx.body = { data: await mapDomainErrors(() => service().verify(ctx.params.month)) };
    },

    /** POST /complaints/month-closes { month }: 201 with version 1; 409 when the month is closed. */
    async close(ctx: any) {
      const { version } = await mapDomainErrors(() => service().close(ctx.request.body, ctx.state.user));
      ctx.status = 201;
      ctx.body = { data: version };
    },

    /** POST /complaints/month-closes/2026-11/corrections { reason, version? }: 201 with the new version. */
    async correct(ctx: any) {
      const { version } = await mapDomainErrors(() => service().correct(ctx.params.month, ctx.request.body, ctx.state.user));
      ctx.status = 201;
      ctx.body = { data: version };
    },
  };
};
