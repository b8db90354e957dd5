/**
 * Evidence (成效佐证): an aspect, text, an optional amount and files. Files are kept in the
 * private file store (services/private-files.ts), outside every static folder and outside the
 * media library, and served by an authenticated plugin route that checks the complaint's scope.
 */
import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../constants';
import { MAX_AMOUNT } from '../domain/bad-input';
import { RECTIFYING_STATE } from '../domain/complaint-state';
import { DomainError } from '../domain/errors';
import { ASPECTS, mayAddEvidence, maySee, mayTake } from '../domain/workflow';
import { getService, inTransaction } from '../utils';
import { outOfReach, type AdminUserLike } from './access';

/** The media-library folder earlier versions kept evidence in; its files are moved out at start. */
export const EVIDENCE_FOLDER_NAME = 'Minyi 成效佐证 (private)';

export interface EvidenceInput {
  aspect?: unknown;
  text?: unknown;
  amount?: unknown;
}

export const validateEvidence = (input: EvidenceInput): { aspect: string; text: string; amount: number | null } => {
  const aspect = String(input.aspect ?? '');
  if (!(ASPECTS as readonly string[]).includes(aspect)) {
    throw new DomainError('validation', 'invalid_input', `佐证方面应为 ${ASPECTS.join(' / ')} 之一`, `aspect must be one of ${ASPECTS.join(', ')}`, { field: 'aspect' });
  }
  const text = typeof input.text === 'string' ? input.text.trim() : '';
  if (text.length < 2) throw new DomainError('validation', 'missing_input', '请填写佐证说明', 'A description is required', { field: 'text' });
  let amount: number | null = null;
  if (input.amount !== undefined && input.amount !== null && input.amount !== '') {
    amount = typeof input.amount === 'number' || typeof input.amount === 'string' ? Number(input.amount) : NaN;
    if (!Number.isFinite(amount) || amount < 0 || amount > MAX_AMOUNT) {
      throw new DomainError('validation', 'invalid_input', `金额应为 0 到 ${MAX_AMOUNT} 之间的数（元）`, `amount must be a number of yuan from 0 to ${MAX_AMOUNT}`, { field: 'amount' });
    }
  }
  return { aspect, text, amount };
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => getService('private-files', strapi);

  return {
    /**
     * Moves evidence files that earlier versions kept in the media library (under public/uploads)
     * into the private store, linked to the same evidence items, and removes them and their
     * resized formats from the media library. Idempotent: nothing is left to move the second time.
     */
    async migrateLegacyFiles(): Promise<number> {
      const knex = strapi.db.connection;
      if (!(await knex.schema.hasTable('files')) || !(await knex.schema.hasTable('files_related_mph'))) return 0;
      const links = (await knex('files_related_mph').where('related_type', UID.evidence).select('file_id', 'related_id')) as Array<{ file_id: number; related_id: number }>;
      const folder = (await knex('upload_folders').where({ name: EVIDENCE_FOLDER_NAME }).first('id', 'path').catch(() => undefined)) as { id: number; path: string } | undefined;
      const inFolder = folder ? ((await knex('files').where('folder_path', folder.path).select('id')) as Array<{ id: number }>).map((r) => Number(r.id)) : [];
      const fileIds = Array.from(new Set([...links.map((l) => Number(l.file_id)), ...inFolder]));
      let moved = 0;
      for (const fileId of fileIds) {
        const f = (await knex('files').where('id', fileId).first('id', 'name', 'url', 'formats', 'provider')) as any;
        if (!f) continue;
        const evidenceIds = links.filter((l) => Number(l.file_id) === fileId).map((l) => Number(l.related_id));
        const publicDir = strapi.dirs.static.public;
        const source = f.provider === 'local' ? path.join(publicDir, String(f.url)) : null;
        if (source && fs.existsSync(source)) {
          try {
            const [stored] = await store().store([{ filepath: source, originalFilename: String(f.name) }], { legacy: true });
            await strapi.db.transaction(async ({ trx }) => store().link(trx, evidenceIds, [stored.id]));
            moved += 1;
          } catch (e) {
            strapi.log.warn(`[complaints] evidence file ${fileId} could not be moved to the private store: ${(e as Error).message}`);
            continue;
          }
        }
        const formats = typeof f.formats === 'string' ? JSON.parse(f.formats || 'null') : f.formats;
        const paths = [source, ...Object.values((formats ?? {}) as Record<string, { url?: string }>).map((v) => (v?.url ? path.join(publicDir, v.url) : null))].filter(Boolean) as string[];
        await knex('files_related_mph').where('file_id', fileId).del();
        await knex('files_folder_lnk').where('file_id', fileId).del().catch(() => undefined);
        await knex('files').where('id', fileId).del();
        await Promise.all(paths.map((p) => fs.promises.rm(p, { force: true })));
      }
      if (moved) strapi.log.info(`[complaints] moved ${moved} evidence file(s) from the media library to the private store`);
      return moved;
    },

    /**
     * Adds one evidence item to each target complaint (a group's members share the item's
     * files), with one history event each, in one transaction. Files are checked (type from the
     * bytes, size) before anything is written, and removed again if the transaction fails.
     */
    async add(target: { documentId?: string; problemGroup?: string }, input: EvidenceInput, files: any[], user: AdminUserLike) {
      const { aspect, text, amount } = validateEvidence(input);
      const access = getService('access', strapi);
      const ctx = await access.context(user);
      const actor = await access.actor(user);
      const knex = strapi.db.connection;
      let ids: number[];
      if (target.problemGroup) {
        ids = await access.targets({ problemGroup: target.problemGroup }, ctx);
      } else {
        const r = (await knex(TABLE.complaint).where('document_id', target.documentId ?? '').first('id')) as any;
        if (!r) throw outOfReach(1);
        ids = [Number(r.id)];
      }
      const views = await access.views(knex, ids);
      access.assertVisible(views, ctx, target.problemGroup ? target : {});
      for (const v of views) {
        if (!mayTake('complete', v, ctx)) throw new DomainError('forbidden', 'forbidden', `只有责任单位操作员可以上传诉求 ${v.ledgerNo} 的佐证`, `Only the responsible unit's operator may add evidence to ${v.ledgerNo}`);
        if (!mayAddEvidence(v, ctx)) throw new DomainError('validation', 'illegal_state', `诉求 ${v.ledgerNo} 不在整改中，不能上传佐证`, `Complaint ${v.ledgerNo} is not being rectified; evidence cannot be added`, { ledgerNo: v.ledgerNo, state: v.state });
      }
      const stored = files.length > 0 ? await store().store(files) : [];
      const fileIds = stored.map((f) => f.id);
      const now = new Date();
      try {
        return await inTransaction(strapi, async (trx) => {
          const created: Array<{ id: number; complaintId: number }> = [];
          for (const v of views) {
            const row = (await strapi.db.query(UID.evidence as any).create({
              data: { complaint: v.id, complaintId: v.id, problemGroupId: v.problemGroupId, aspect, text, amount, uploadedById: actor.id, uploadedByName: actor.name, uploadedAt: now },
            })) as { id: number };
            created.push({ id: row.id, complaintId: v.id });
          }
          await store().link(trx, created.map((c) => c.id), fileIds);
          await getService('history', strapi).appendMany(
            created.map((c) => ({
              complaintId: c.complaintId,
              event: { type: 'evidence_added', actor, at: now, fromState: RECTIFYING_STATE, toState: RECTIFYING_STATE, data: { evidenceId: c.id, aspect, amount, files: fileIds.length } },
            }))
          );
          return { evidenceIds: created.map((c) => c.id), fileIds };
        });
      } catch (e) {
        await store().discard(fileIds);
        throw e;
      }
    },

    /** A file of an evidence item, if the user may see one of the complaints it belongs to. */
    async openFile(fileId: number, user: AdminUserLike) {
      const knex = strapi.db.connection;
      const notFound = new DomainError('not_found', 'not_found', '文件不存在或无权查看', 'File not found, or not visible to you');
      const file = await store().find(fileId);
      if (!file || file.evidenceIds.length === 0) throw notFound;
      const complaintIds = ((await knex(TABLE.evidence).whereIn('id', file.evidenceIds).select('complaint_id')) as any[]).map((r) => Number(r.complaint_id));
      const access = getService('access', strapi);
      const ctx = await access.context(user);
      const views = await access.views(knex, complaintIds);
      if (!views.some((v) => maySee(v, ctx))) throw notFound;
      const stream = store().open(file.storedName);
      if (!stream) throw notFound;
      return { stream, name: file.name, type: file.type, mime: file.mime, size: file.size };
    },

    async list(complaintId: number) {
      const rows = (await strapi.db.query(UID.evidence as any).findMany({ where: { complaintId }, orderBy: { id: 'asc' } })) as Array<{ id: number } & Record<string, unknown>>;
      const files = await store().filesOf(rows.map((r) => r.id));
      return rows.map((r) => ({ ...r, files: files.get(r.id) ?? [] }));
    },
  };
};
