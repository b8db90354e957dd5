/**
 * Admin routes of the ledger import. The upload is taken from koa-body's temporary file and
 * moved to a private one the import owns (never Strapi's public /uploads); the import deletes
 * it when it ends. Refusals are 4xx with a Chinese and English message; nothing is imported.
 */
import { randomBytes } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PassThrough } from 'stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { parsePositiveId } from '../domain/bad-input';
import { isDomainError } from '../domain/errors';
import { importRefusal } from '../domain/import-refusals';
import { templateWorkbook, writeReportWorkbook } from '../import/workbooks';
import { getService, toStrapiError } from '../utils';

interface UploadedFile {
  filepath: string;
  originalFilename?: string | null;
  size?: number;
}

const refuse = (e: unknown): never => {
  if (isDomainError(e)) {
    if (e.code === 'file_too_large') throw new errors.PayloadTooLargeError(e.message, e.details);
    throw toStrapiError(e);
  }
  throw e;
};

const batchId = (ctx: any): number => {
  const id = parsePositiveId(ctx.params.id);
  if (id === null) throw new errors.NotFoundError('导入批次不存在 / Import batch not found');
  return id;
};

/** Moves the upload out of the shared temporary directory, readable by this process only. */
const takeUpload = async (file: UploadedFile): Promise<string> => {
  const target = path.join(os.tmpdir(), `minyi-import-${randomBytes(12).toString('hex')}`);
  try {
    await fs.promises.rename(file.filepath, target);
  } catch {
    await fs.promises.copyFile(file.filepath, target);
    await fs.promises.rm(file.filepath, { force: true });
  }
  await fs.promises.chmod(target, 0o600);
  return target;
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /complaints/imports (multipart, field "file") → 202 with the batch. */
  async upload(ctx: any) {
    const files = (ctx.request.files ?? {}) as Record<string, UploadedFile | UploadedFile[] | undefined>;
    const all = Object.values(files).flatMap((f) => (Array.isArray(f) ? f : f ? [f] : []));
    const given = files.file ?? files.files;
    const file = Array.isArray(given) ? given[0] : given;
    if (!file) {
      await Promise.all(all.map((f) => fs.promises.rm(f.filepath, { force: true })));
      refuse(importRefusal('file_missing'));
      return;
    }
    // Other parts of the form are not kept either.
    await Promise.all(all.filter((f) => f !== file).map((f) => fs.promises.rm(f.filepath, { force: true })));
    const filePath = await takeUpload(file);
    const actor = await getService('access', strapi).current();
    const user = ctx.state?.user;
    try {
      const { batchId: id } = await getService('importer', strapi).start({
        filePath,
        fileName: String(file.originalFilename || 'ledger'),
        actor,
        importedById: user?.id ?? null,
        importedByName: actor.name ?? null,
        deleteFile: true,
      });
      ctx.status = 202;
      ctx.body = { data: await getService('import-batches', strapi).status(id) };
    } catch (e) {
      refuse(e);
    }
  },

  /** GET /complaints/imports: the latest batches. */
  async list(ctx: any) {
    const limit = Math.min(100, Math.max(1, Number(ctx.query.limit) || 20));
    ctx.body = { data: await getService('import-batches', strapi).list(limit) };
  },

  /** GET /complaints/imports/:id: status, progress and counts. */
  async status(ctx: any) {
    const id = batchId(ctx);
    const batches = getService('import-batches', strapi);
    const status = await batches.status(id);
    if (!status) throw new errors.NotFoundError('导入批次不存在 / Import batch not found');
    ctx.body = { data: { ...status, sameFileAs: await batches.sameFile(id) } };
  },

  /** GET /complaints/imports/:id/report: the result report as xlsx. */
  async report(ctx: any) {
    const id = batchId(ctx);
    const found = await getService('import-batches', strapi).report(id);
    if (!found) throw new errors.NotFoundError('导入批次不存在 / Import batch not found');
    const { status, report } = found;
    const stream = new PassThrough();
    ctx.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    ctx.set('Content-Disposition', `attachment; filename="minyi-import-${status.code}.xlsx"`);
    ctx.body = stream;
    writeReportWorkbook(
      {
        code: status.code,
        fileName: status.fileName,
        sha256: status.sha256,
        status: status.status,
        failure: status.failure,
        counts: status as unknown as Record<string, number>,
        importedByName: status.importedByName,
        startedAt: status.startedAt,
        finishedAt: status.finishedAt,
        report: report as any,
      },
      stream
    ).catch((e: Error) => stream.destroy(e));
  },

  /** GET /complaints/import-template: the empty template. */
  async template(ctx: any) {
    ctx.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    ctx.set('Content-Disposition', 'attachment; filename="minyi-ledger-template.xlsx"');
    ctx.body = await templateWorkbook();
  },
});
