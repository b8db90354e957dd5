import { PassThrough } from 'stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { csvCell } from '../domain/spreadsheet-safety';
import { can, getService, mapDomainErrors } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /complaints/complaints/:documentId/history: events, chain verdict, corrections. */
  async history(ctx: any) {
    ctx.body = { data: await mapDomainErrors(() => getService('panel', strapi).history(ctx.params.documentId, ctx.state.user, (action) => can(ctx, action))) };
  },

  /** POST /complaints/complaints/:documentId/corrections { field, value, reason } */
  async addCorrection(ctx: any) {
    const body = ctx.request.body ?? {};
    const row = await mapDomainErrors(() => getService('corrections', strapi).add(ctx.params.documentId, body));
    ctx.status = 201;
    ctx.body = { data: { id: row.id, field: row.field, value: row.value, reason: row.reason, hash: row.hash } };
  },

  /** GET /complaints/ledger/verify */
  async verify(ctx: any) {
    const report = await getService('ledger', strapi).verify({ maxBroken: 1000 });
    ctx.body = { data: report };
  },

  /** GET /complaints/ledger/digests[?format=csv] */
  async digests(ctx: any) {
    const rows = await getService('ledger', strapi).listDigests();
    if (ctx.query.format === 'csv') {
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set('Content-Disposition', 'attachment; filename="minyi-ledger-digests.csv"');
      ctx.body = `\uFEFFday,complaintCount,eventCount,headsHash\n${rows.map((r: any) => [r.day, r.complaintCount, r.eventCount, r.headsHash].map(csvCell).join(',')).join('\n')}\n`;
      return;
    }
    ctx.body = { data: rows };
  },

  /** POST /complaints/ledger/digests { day } records the digest of a past day. */
  async recordDigest(ctx: any) {
    const body = ctx.request.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new errors.ValidationError('请求体应为 JSON 对象 { day } / The body must be a JSON object { day }', { code: 'invalid_body' });
    }
    // A recorded digest is never replaced: recording it again is a conflict (409).
    const row: any = await mapDomainErrors(() => getService('ledger', strapi).recordDigest(body.day));
    ctx.status = 201;
    ctx.body = { data: { day: String(row.day).slice(0, 10), complaintCount: Number(row.complaintCount), eventCount: Number(row.eventCount), headsHash: row.headsHash } };
  },

  /** GET /complaints/ledger/digests/:day/check */
  async checkDigest(ctx: any) {
    ctx.body = { data: await mapDomainErrors(() => getService('ledger', strapi).checkDigest(ctx.params.day)) };
  },

  /** GET /complaints/ledger/export: every event as JSON lines, for third-party verification. */
  async exportEvents(ctx: any) {
    const stream = new PassThrough();
    ctx.set('Content-Type', 'application/x-ndjson; charset=utf-8');
    ctx.set('Content-Disposition', 'attachment; filename="minyi-ledger-events.jsonl"');
    ctx.body = stream;
    getService('ledger', strapi)
      .exportEvents((line) => {
        stream.write(`${line}\n`);
      })
      .then(() => stream.end())
      .catch((e: Error) => stream.destroy(e));
  },
});
