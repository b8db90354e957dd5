/**
 * The warnings overview and the job runs: parse the request, call one service, send its answer.
 */
import type { Core } from '@strapi/strapi';
import { seesJobInstances } from '../domain/workflow';
import { getService, mapDomainErrors } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /complaints/warnings/overview */
  async overview(ctx: any) {
    ctx.body = { data: await getService('warnings', strapi).overview(ctx.state.user) };
  },

  /** GET /complaints/jobs/runs?job=warnings&limit=20: the latest recorded runs. */
  async runs(ctx: any) {
    const withInstance = seesJobInstances(await getService('access', strapi).context(ctx.state.user));
    const data = await mapDomainErrors(() => getService('jobs', strapi).runs({ job: ctx.query.job, limit: ctx.query.limit }, withInstance));
    ctx.body = { data };
  },
});
