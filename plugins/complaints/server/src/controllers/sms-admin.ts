/**
 * The operator's SMS routes: the outbox and its decisions, the opt-out list, the phone return
 * visits. Parsing, scope and masking are in services/sms-admin.ts and domain/sms-admin.ts.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { parsePositiveId } from '../domain/bad-input';
import { ACTION } from '../permissions/actions';
import { can, getService, mapDomainErrors } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const service = () => getService('sms-admin', strapi);
  return {
    /** GET /complaints/sms/messages?status=&template=&from=&to=&ledgerNo=&page=&pageSize= */
    async messages(ctx: any) {
      ctx.body = await mapDomainErrors(() => service().listOutbox(ctx.query ?? {}, ctx.state.user, can(ctx, ACTION.smsManage)));
    },

    /** POST /complaints/sms/messages/:id/decision { decision, reason } */
    async decide(ctx: any) {
      const id = parsePositiveId(ctx.params.id);
      if (id === null) throw new errors.NotFoundError('短信不存在 / Message not found', { code: 'not_found' });
      ctx.body = { data: await mapDomainErrors(() => service().decide(id, ctx.request.body, ctx.state.user)) };
    },

    /** GET /complaints/sms/opt-outs?phone=&page=&pageSize= */
    async optOuts(ctx: any) {
      ctx.body = await mapDomainErrors(() => service().listOptOuts(ctx.query ?? {}, ctx.state.user));
    },

    /** POST /complaints/sms/opt-outs { phone, reason } */
    async addOptOut(ctx: any) {
      const result = await mapDomainErrors(() => service().addOptOut(ctx.request.body, ctx.state.user));
      ctx.status = 201;
      ctx.body = { data: { optedOutAt: result.optedOutAt, suppressed: result.suppressed } };
    },

    /** POST /complaints/sms/opt-outs/remove { phone, reason } */
    async removeOptOut(ctx: any) {
      await mapDomainErrors(() => service().removeOptOut(ctx.request.body, ctx.state.user));
      ctx.body = { data: { removed: true } };
    },

    /** GET /complaints/return-visits?ledgerNo=&page=&pageSize= */
    async returnVisits(ctx: any) {
      ctx.body = await mapDomainErrors(() => service().listReturnVisits(ctx.query ?? {}, ctx.state.user));
    },

    /** POST /complaints/complaints/:documentId/return-visit { answer, comment } */
    async recordReturnVisit(ctx: any) {
      const result = await mapDomainErrors(() => service().recordReturnVisit(ctx.params.documentId, ctx.request.body, ctx.state.user));
      ctx.status = 201;
      ctx.body = { data: result };
    },
  };
};
