/**
 * Spot checks 抽查: the month's draw, its preview, the inspector's results and the report.
 * Parse, call one service, send its answer (domain errors map to 400/404/409 in one place).
 */
import { PassThrough } from 'stream';
import type { Core } from '@strapi/strapi';
import { getService, mapDomainErrors } from '../utils';
import { XLSX_TYPE, attachment } from './export';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService('spot-checks', strapi);
  return {
    /** GET /complaints/spot-checks?month=2026-11: the recorded draw and each result. */
    async list(ctx: any) {
      ctx.body = { data: await mapDomainErrors(() => service().list(ctx.query ?? {})) };
    },

    /** GET /complaints/spot-checks/preview?month=&seed=&percent=&minPerUnit=: the sample a seed gives, recorded nowhere. */
    async preview(ctx: any) {
      ctx.body = { data: await mapDomainErrors(() => service().preview(ctx.query ?? {})) };
    },

    /** POST /complaints/spot-checks { month, seed?, percent?, minPerUnit? }: 201 drawn, 200 the same draw again. */
    async draw(ctx: any) {
      const { created, draw } = await mapDomainErrors(() => service().draw(ctx.request.body, ctx.state.user));
      ctx.status = created ? 201 : 200;
      ctx.body = { data: draw, meta: { created } };
    },

    /** POST /complaints/spot-checks/:id/result { result, finding?, note?, deadline? } */
    async record(ctx: any) {
      ctx.body = { data: await mapDomainErrors(() => service().record(ctx.params.id, ctx.request.body, ctx.state.user)) };
    },

    /** GET /complaints/spot-checks/report?month=2026-11[&format=xlsx] */
    async report(ctx: any) {
      const { format, ...query } = ctx.query ?? {};
      const report = await mapDomainErrors(() => service().report(query));
      if (format !== 'xlsx') {
        ctx.body = { data: report };
        return;
      }
      const seed = (await service().list({ month: report.month }).catch(() => null))?.seed ?? null;
      ctx.set('Content-Type', XLSX_TYPE);
      ctx.set('Content-Disposition', attachment(`抽查报告-${report.month}.xlsx`, `minyi-spot-checks-${report.month}.xlsx`));
      const stream = new PassThrough();
      ctx.body = stream;
      service().writeReport(report, stream, seed).catch((e: Error) => stream.destroy(e));
    },
  };
};
