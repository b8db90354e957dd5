/**
 * Evidence (成效佐证): an aspect, text, an optional amount and files. Files go through
 * Strapi's upload plugin into a private folder; Strapi serves /uploads to anyone, so the
 * `private-files` middleware refuses those URLs and the files are served by an authenticated
 * plugin route that checks the complaint's scope.
 */
import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../constants';
import { MAX_AMOUNT } from '../domain/bad-input';
import { DomainError } from '../domain/errors';
import { ASPECTS, mayAddEvidence, maySee, mayTake } from '../domain/workflow';
import { getConfig, getService, inTransaction } from '../utils';
import { groupOutOfReach, outOfReach, type AdminUserLike } from './workflow';

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
  let folderCache: { id: number; path: string } | null = null;

  const privateFolder = async (): Promise<{ id: number; path: string }> => {
    if (folderCache) return folderCache;
    const existing = (await strapi.db.query('plugin::upload.folder').findOne({ where: { name: EVIDENCE_FOLDER_NAME, parent: null } })) as any;
    const folder = existing ?? (await (strapi.plugin('upload').service('folder') as any).create({ name: EVIDENCE_FOLDER_NAME, parent: null }));
    folderCache = { id: Number(folder.id), path: String(folder.path) };
    return folderCache;
  };

  const privateNames = new Map<string, boolean>();

  return {
    privateFolder,

    /** Whether an /uploads file name belongs to evidence (cached). */
    async isPrivateUpload(fileName: string): Promise<boolean> {
      const hit = privateNames.get(fileName);
      if (hit !== undefined) return hit;
      const base = fileName.replace(/\.[^.]+$/, '');
      const hashes = [base, base.replace(/^(thumbnail|small|medium|large)_/, '')];
      const folder = await privateFolder();
      const row = await strapi.db.connection('files').whereIn('hash', hashes).andWhere('folder_path', folder.path).first('id');
      const result = Boolean(row);
      if (privateNames.size > 20000) privateNames.clear();
      privateNames.set(fileName, result);
      return result;
    },

    /**
     * Adds one evidence item to each target complaint (a group's members share the item's
     * files), with one history event each, in one transaction.
     */
    async add(target: { documentId?: string; problemGroup?: string }, input: EvidenceInput, files: any[], user: AdminUserLike) {
      const { aspect, text, amount } = validateEvidence(input);
      const workflow = getService('workflow', strapi);
      const ctx = await workflow.actorContext(user);
      const actor = await workflow.actorFor(user);
      const knex = strapi.db.connection;
      let ids: number[];
      if (target.problemGroup) {
        ids = await workflow.resolveTargetIds({ problemGroup: target.problemGroup }, ctx);
      } else {
        const r = (await knex(TABLE.complaint).where('document_id', target.documentId ?? '').first('id')) as any;
        if (!r) throw outOfReach(1);
        ids = [Number(r.id)];
      }
      const views = await workflow.loadViews(knex, ids);
      if (views.some((v) => !maySee(v, ctx))) throw target.problemGroup ? groupOutOfReach() : outOfReach(1);
      for (const v of views) {
        if (!mayTake('complete', v, ctx)) throw new DomainError('forbidden', 'forbidden', `只有责任单位操作员可以上传诉求 ${v.ledgerNo} 的佐证`, `Only the responsible unit's operator may add evidence to ${v.ledgerNo}`);
        if (!mayAddEvidence(v, ctx)) throw new DomainError('validation', 'illegal_state', `诉求 ${v.ledgerNo} 不在整改中，不能上传佐证`, `Complaint ${v.ledgerNo} is not being rectified; evidence cannot be added`, { ledgerNo: v.ledgerNo, state: v.state });
      }
      const max = getConfig(strapi).evidence.maxFileBytes;
      for (const f of files) {
        if (Number(f.size) > max) throw new DomainError('validation', 'file_too_large', `文件过大（上限 ${Math.round(max / 1048576)} MB）`, `File too large (limit ${Math.round(max / 1048576)} MB)`);
      }
      let fileIds: number[] = [];
      if (files.length > 0) {
        const folder = await privateFolder();
        const uploaded = (await (strapi.plugin('upload').service('upload') as any).upload({
          data: { fileInfo: { folder: folder.id } },
          files: files.length === 1 ? files[0] : files,
        })) as Array<{ id: number }>;
        fileIds = uploaded.map((u) => Number(u.id));
        privateNames.clear();
      }
      const now = new Date();
      return inTransaction(strapi, async () => {
        const created: Array<{ id: number; complaintId: number }> = [];
        for (const v of views) {
          const row = (await strapi.db.query(UID.evidence as any).create({
            data: { complaint: v.id, complaintId: v.id, problemGroupId: v.problemGroupId, aspect, text, amount, files: fileIds, uploadedById: actor.id, uploadedByName: actor.name, uploadedAt: now },
          })) as { id: number };
          created.push({ id: row.id, complaintId: v.id });
        }
        await getService('history', strapi).appendMany(
          created.map((c) => ({
            complaintId: c.complaintId,
            event: { type: 'evidence_added', actor, at: now, fromState: 'rectifying', toState: 'rectifying', data: { evidenceId: c.id, aspect, amount, files: fileIds.length } },
          }))
        );
        return { evidenceIds: created.map((c) => c.id), fileIds };
      });
    },

    /** A file of an evidence item, if the user may see one of the complaints it belongs to. */
    async openFile(fileId: number, user: AdminUserLike) {
      const knex = strapi.db.connection;
      const file = (await knex('files').where('id', fileId).first('id', 'name', 'url', 'mime', 'size', 'provider')) as any;
      const notFound = new DomainError('not_found', 'not_found', '文件不存在或无权查看', 'File not found, or not visible to you');
      if (!file) throw notFound;
      const links = (await knex('files_related_mph').where({ file_id: fileId, related_type: UID.evidence }).select('related_id')) as any[];
      if (links.length === 0) throw notFound;
      const complaintIds = ((await knex('evidences').whereIn('id', links.map((l) => l.related_id)).select('complaint_id')) as any[]).map((r) => Number(r.complaint_id));
      const workflow = getService('workflow', strapi);
      const ctx = await workflow.actorContext(user);
      const views = await workflow.loadViews(knex, complaintIds);
      if (!views.some((v) => maySee(v, ctx))) throw notFound;
      if (file.provider !== 'local') throw new DomainError('validation', 'provider', '此文件存储在外部服务中', 'This file is stored with an external provider');
      const fullPath = path.join(strapi.dirs.static.public, String(file.url));
      if (!fs.existsSync(fullPath)) throw notFound;
      return { stream: fs.createReadStream(fullPath), name: String(file.name), mime: String(file.mime ?? 'application/octet-stream'), size: Number(file.size) };
    },

    async list(complaintId: number) {
      return strapi.db.query(UID.evidence as any).findMany({ where: { complaintId }, populate: { files: { select: ['id', 'name', 'mime', 'size'] } }, orderBy: { id: 'asc' } });
    },
  };
};
