/**
 * GET /complaints/export?month=2026-11&<filters>: the ledger as an xlsx download, streamed.
 *
 * The file is written while it is sent (nothing of it is kept on the server: it holds citizens'
 * phones), so its length is not known in advance: `X-Export-Rows` says how many rows it will
 * hold, counted when the export starts, and the admin shows the bytes received against it.
 */
import { PassThrough } from 'stream';
import type { Core } from '@strapi/strapi';
import { parseExportRequest } from '../domain/ledger-export';
import { getService, mapDomainErrors } from '../utils';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A Content-Disposition for a Chinese file name: an ASCII fallback and the UTF-8 name (RFC 6266). */
export const attachment = (name: string, fallback: string): string => `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async ledger(ctx: any) {
    const request = await mapDomainErrors(async () => parseExportRequest(ctx.query ?? {}));
    const plan = await mapDomainErrors(() => getService('export', strapi).plan(request, ctx.state.user));
    ctx.set('Content-Type', XLSX_TYPE);
    ctx.set('Content-Disposition', attachment(plan.fileName, request.month ? `minyi-ledger-${request.month}.xlsx` : 'minyi-complaints.xlsx'));
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Export-Rows', String(plan.rows));
    const stream = new PassThrough();
    ctx.body = stream;
    plan.write(stream).catch((e: Error) => {
      // The driver's message only: never a row's values.
      strapi.log.error(`[complaints] export failed: ${String(e?.message ?? e).slice(0, 200)}`);
      if (!ctx.res.headersSent) {
        // Koa answers the stream's error itself while it still can (a 500).
        stream.destroy(e);
        return;
      }
      // Once the 200 and part of the file are out, Koa leaves the response open on a stream
      // error, and the client would wait for the rest of the file forever. Closing the
      // connection before the chunked body's last chunk is how HTTP/1.1 says the file is not whole.
      stream.unpipe();
      stream.destroy();
      ctx.res.destroy();
    });
  },
});
