/**
 * The statistics routes: parse the query (domain/filters.ts), call one service, send its answer.
 * Scope is part of the query the service compiles (services/complaint-query.ts).
 */
import type { Core } from '@strapi/strapi';
import { parseCountsRequest } from '../domain/filters';
import { getService, mapDomainErrors } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /complaints/stats/counts?by=unit[,monthReceived]&<filters> */
  async counts(ctx: any) {
    const request = await mapDomainErrors(async () => parseCountsRequest(ctx.query ?? {}));
    ctx.body = await mapDomainErrors(() => getService('complaint-query', strapi).counts(request, ctx.state.user));
  },
});
