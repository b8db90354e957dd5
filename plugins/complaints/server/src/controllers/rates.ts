/**
 * The statistics routes: parse the query at the edge (by, month and the filter module's filters), build the caller's actor (its scope
 * applies to every count), call the statistics service, send its answer.
 */
import type { Core } from '@strapi/strapi';
import { parseStatsQuery } from '../domain/rates';
import { getService, mapDomainErrors } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /complaints/stats/rates?by=unit&month=2026-11&<filters>: every rate per group, with its numerator and denominator. */
  async rates(ctx: any) {
    const { by, month, filters } = await mapDomainErrors(async () => parseStatsQuery(ctx.query ?? {}, ['by', 'month']));
    const actor = await getService('access', strapi).context(ctx.state.user);
    ctx.body = { data: await mapDomainErrors(() => getService('statistics', strapi).rates({ actor, by, month, filters })) };
  },

  /** GET /complaints/stats/ranking?month=2026-11&<filters>: the monthly ranking of units, the red and black lists. */
  async ranking(ctx: any) {
    const { month, filters } = await mapDomainErrors(async () => parseStatsQuery(ctx.query ?? {}, ['month']));
    const actor = await getService('access', strapi).context(ctx.state.user);
    ctx.body = { data: await mapDomainErrors(() => getService('statistics', strapi).ranking({ actor, month, filters })) };
  },
});
