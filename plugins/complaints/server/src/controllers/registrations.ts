/**
 * Registration 登记: POST /complaints/registrations. Parse, call one service, send its answer
 * (a bad field is a 400 naming it, in Chinese and English).
 */
import type { Core } from '@strapi/strapi';
import { getService, mapDomainErrors } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /complaints/registrations { channel, receivedAt?, content, town, village?, complainantName?, phone?, address? }: 201 { ledgerNo, documentId }. */
  async create(ctx: any) {
    const data = await mapDomainErrors(() => getService('registrations', strapi).register(ctx.request.body));
    ctx.status = 201;
    ctx.body = { data };
  },
});
