import { PassThrough } from 'stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../constants';
import { maskPhone } from '../domain/masking';
import { verifyChain } from '../domain/history-chain';
import { csvCell } from '../domain/spreadsheet-safety';
import { ACTION } from '../permissions/actions';
import { isDomainError } from '../domain/errors';
import { can, getService, mapDomainErrors, toStrapiError } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /complaints/complaints/:documentId/history: events, chain verdict, corrections. */
  async history(ctx: any) {
    // The same scope as the workflow, checked first: another unit's complaint and an unknown
    // one get the same answer.
    await mapDomainErrors(() => getService('workflow', strapi).viewFor(ctx.params.documentId, ctx.state.user));
    const complaint = (await strapi.db.query(UID.complaint as any).findOne({
      where: { documentId: ctx.params.documentId },
      select: ['id', 'ledgerNo', 'chainSeq', 'chainHash'],
    })) as { id: number; ledgerNo: string; chainSeq: number; chainHash: string } | null;
    if (!complaint) throw new errors.NotFoundError('诉求不存在或无权查看 / Not found, or not visible to you');
    const events = await getService('history', strapi).list(complaint.id);
    const verdict = verifyChain(complaint.ledgerNo, events as Array<Record<string, unknown>>, { seq: complaint.chainSeq ?? 0, hash: complaint.chainHash });
    const seesValues = can(ctx, ACTION.correct);
    const corrections = (await getService('corrections', strapi).list(complaint.id)).map((c: any) => ({
      ...c,
      value: seesValues ? c.value : c.field === 'phone' ? maskPhone(c.value) : '***',
    }));
    ctx.body = {
      data: {
        ledgerNo: complaint.ledgerNo,
        head: { seq: complaint.chainSeq, hash: complaint.chainHash },
        verdict: { ok: verdict.ok, events: verdict.events, firstBreak: verdict.firstBreak ?? null },
        events: events.map((e: any) => ({
          seq: e.seq, type: e.type, actorKind: e.actorKind, actorName: e.actorName, actorUnitName: e.actorUnitName,
          at: e.at, fromState: e.fromState, toState: e.toState, data: e.data, hash: e.hash,
        })),
        corrections,
      },
    };
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
    const day = body.day;
    let row: any;
    try {
      row = await getService('ledger', strapi).recordDigest(day);
    } catch (e) {
      if (isDomainError(e) && e.code === 'digest_recorded') {
        // Strapi has no 409 error class; a published digest is never replaced.
        ctx.status = 409;
        ctx.body = { data: null, error: { status: 409, name: 'ConflictError', message: e.message, details: e.details } };
        return;
      }
      throw isDomainError(e) ? toStrapiError(e) : e;
    }
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
