/**
 * Private files: evidence files live in a directory no static server serves (`MINYI_PRIVATE_DIR`,
 * by default `.tmp/private-files` under the app, never under `public/`), not in Strapi's media
 * library, so no path spelling under /uploads reaches them and no media-library action can make
 * them public. Each file has a random stored name (no extension), mode 600, its sniffed type and
 * its SHA-256; rows live in the plain tables `private_files` and `evidence_private_files` (one file
 * may back the evidence of every member of a problem group). They are served only by
 * GET /complaints/evidence-files/:id, which checks the complaint's scope.
 */
import { TABLE } from '../constants';
import { createHash, randomBytes } from 'crypto';
import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { DomainError } from '../domain/errors';
import { DEFAULT_EVIDENCE_TYPES, EVIDENCE_FILE_TYPES, sniffEvidenceFile, type EvidenceFileType } from '../domain/evidence-file';
import { getConfig } from '../utils';

export const PRIVATE_FILES_TABLE = TABLE.privateFile;
export const EVIDENCE_FILES_TABLE = TABLE.evidencePrivateFile;

export interface StoredFile {
  id: number;
  name: string;
  /** Null for a file moved from an earlier version that is none of the types (served as a download). */
  type: EvidenceFileType | null;
  mime: string;
  size: number;
}

export interface IncomingFile {
  filepath?: string;
  path?: string;
  originalFilename?: string | null;
  name?: string | null;
  size?: number;
}

const SAMPLE = 64 * 1024;

/** The first and last 64 KiB: magic bytes at the start, a zip's entry names at the end. */
const sample = async (file: string): Promise<Buffer> => {
  const fd = await fs.promises.open(file, 'r');
  try {
    const { size } = await fd.stat();
    const head = Buffer.alloc(Math.min(size, SAMPLE));
    await fd.read(head, 0, head.length, 0);
    if (size <= SAMPLE * 2) {
      const all = Buffer.alloc(size);
      await fd.read(all, 0, size, 0);
      return all;
    }
    const tail = Buffer.alloc(SAMPLE);
    await fd.read(tail, 0, SAMPLE, size - SAMPLE);
    return Buffer.concat([head, tail]);
  } finally {
    await fd.close();
  }
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const dir = (): string => {
    const configured = process.env.MINYI_PRIVATE_DIR;
    return configured ? path.resolve(configured) : path.join(strapi.dirs.app.root, '.tmp', 'private-files');
  };
  const knex = () => strapi.db.connection;

  return {
    dir,

    async ensureStorage(): Promise<void> {
      const d = dir();
      const pub = path.resolve(strapi.dirs.static.public);
      // A misconfiguration that would serve private files to anyone stops the start.
      if (d === pub || d.startsWith(pub + path.sep)) throw new Error(`MINYI_PRIVATE_DIR (${d}) must not be inside the public folder ${pub}`);
      await fs.promises.mkdir(d, { recursive: true, mode: 0o700 });
      const k = knex();
      if (!(await k.schema.hasTable(PRIVATE_FILES_TABLE))) {
        await k.schema.createTable(PRIVATE_FILES_TABLE, (t) => {
          t.increments('id');
          t.string('stored_name', 64).notNullable().unique();
          t.string('name', 255).notNullable();
          t.string('type', 16).notNullable();
          t.string('mime', 128).notNullable();
          t.bigInteger('size').notNullable();
          t.string('sha256', 64).notNullable();
          t.timestamp('created_at', { useTz: true }).notNullable();
        });
      }
      if (!(await k.schema.hasTable(EVIDENCE_FILES_TABLE))) {
        await k.schema.createTable(EVIDENCE_FILES_TABLE, (t) => {
          t.integer('evidence_id').notNullable();
          t.integer('file_id').notNullable();
          t.primary(['evidence_id', 'file_id']);
          t.index(['file_id']);
        });
      }
    },

    /**
     * Checks every file (type from its bytes, against the configured list; size) before any is
     * stored, then copies them into the private directory. Returns the stored files; the caller
     * links them, and calls `discard` if its transaction fails.
     */
    async store(files: IncomingFile[], opts: { legacy?: boolean } = {}): Promise<StoredFile[]> {
      const { maxFileBytes } = getConfig(strapi).evidence;
      const allowedTypes = getConfig(strapi).evidence.allowedTypes?.length ? getConfig(strapi).evidence.allowedTypes : DEFAULT_EVIDENCE_TYPES;
      const checked: Array<{ src: string; name: string; type: EvidenceFileType | null; size: number }> = [];
      for (const f of files) {
        const src = f.filepath ?? f.path;
        const name = String(f.originalFilename ?? f.name ?? 'file').replace(/[\\/\0]/g, '_').slice(0, 200);
        if (!src) throw new DomainError('validation', 'file_missing', '上传的文件不完整', 'The uploaded file is incomplete');
        const size = (await fs.promises.stat(src)).size;
        if (size > maxFileBytes && !opts.legacy) {
          throw new DomainError('validation', 'file_too_large', `文件过大（上限 ${Math.round(maxFileBytes / 1048576)} MB）`, `File too large (limit ${Math.round(maxFileBytes / 1048576)} MB)`);
        }
        if (size === 0 && !opts.legacy) throw new DomainError('validation', 'file_empty', '文件为空', 'The file is empty');
        const type = sniffEvidenceFile(await sample(src), name);
        if (!opts.legacy && (!type || !allowedTypes.includes(type))) {
          const list = allowedTypes.map((t) => EVIDENCE_FILE_TYPES[t].label).join(', ');
          throw new DomainError('validation', 'file_type', `文件类型不允许：${name}。可上传：${list}`, `File type not allowed: ${name}. Allowed: ${list}`, { allowed: allowedTypes });
        }
        checked.push({ src, name, type, size });
      }
      const stored: StoredFile[] = [];
      const written: string[] = [];
      try {
        for (const c of checked) {
          const storedName = randomBytes(16).toString('hex');
          const target = path.join(dir(), storedName);
          await fs.promises.copyFile(c.src, target, fs.constants.COPYFILE_EXCL);
          written.push(target);
          await fs.promises.chmod(target, 0o600);
          const sha256 = createHash('sha256').update(await fs.promises.readFile(target)).digest('hex');
          const mime = c.type ? EVIDENCE_FILE_TYPES[c.type].mime : 'application/octet-stream';
          const [row] = (await knex()(PRIVATE_FILES_TABLE)
            .insert({ stored_name: storedName, name: c.name, type: c.type ?? 'other', mime, size: c.size, sha256, created_at: new Date() })
            .returning('id')) as Array<number | { id: number }>;
          stored.push({ id: Number(typeof row === 'object' ? row.id : row), name: c.name, type: c.type, mime, size: c.size });
        }
      } catch (e) {
        await this.discard(stored.map((s) => s.id), written);
        throw e;
      }
      return stored;
    },

    /** Removes stored files whose evidence was not written (a failed transaction). */
    async discard(ids: number[], paths: string[] = []): Promise<void> {
      if (ids.length) {
        const rows = (await knex()(PRIVATE_FILES_TABLE).whereIn('id', ids).select('stored_name')) as Array<{ stored_name: string }>;
        paths = [...paths, ...rows.map((r) => path.join(dir(), r.stored_name))];
        await knex()(PRIVATE_FILES_TABLE).whereIn('id', ids).del();
      }
      await Promise.all(paths.map((p) => fs.promises.rm(p, { force: true })));
    },

    async link(trx: any, evidenceIds: number[], fileIds: number[]): Promise<void> {
      const rows = evidenceIds.flatMap((e) => fileIds.map((f) => ({ evidence_id: e, file_id: f })));
      if (rows.length) await trx(EVIDENCE_FILES_TABLE).insert(rows);
    },

    /** The files of each evidence item. */
    async filesOf(evidenceIds: number[]): Promise<Map<number, StoredFile[]>> {
      const out = new Map<number, StoredFile[]>();
      if (evidenceIds.length === 0) return out;
      const rows = (await knex()(`${EVIDENCE_FILES_TABLE} as l`)
        .join(`${PRIVATE_FILES_TABLE} as f`, 'f.id', 'l.file_id')
        .whereIn('l.evidence_id', evidenceIds)
        .orderBy('f.id')
        .select('l.evidence_id', 'f.id', 'f.name', 'f.type', 'f.mime', 'f.size')) as any[];
      for (const r of rows) {
        const list = out.get(Number(r.evidence_id)) ?? [];
        list.push({ id: Number(r.id), name: r.name, type: r.type === 'other' ? null : r.type, mime: r.mime, size: Number(r.size) });
        out.set(Number(r.evidence_id), list);
      }
      return out;
    },

    /** A stored file and the evidence items it backs, or null. */
    async find(id: number): Promise<(StoredFile & { storedName: string; evidenceIds: number[] }) | null> {
      const f = (await knex()(PRIVATE_FILES_TABLE).where('id', id).first()) as any;
      if (!f) return null;
      const links = (await knex()(EVIDENCE_FILES_TABLE).where('file_id', id).select('evidence_id')) as any[];
      return { id: Number(f.id), name: f.name, type: f.type === 'other' ? null : f.type, mime: f.mime, size: Number(f.size), storedName: f.stored_name, evidenceIds: links.map((l) => Number(l.evidence_id)) };
    },

    open(storedName: string): fs.ReadStream | null {
      const p = path.join(dir(), storedName);
      return /^[0-9a-f]{32}$/.test(storedName) && fs.existsSync(p) ? fs.createReadStream(p) : null;
    },
  };
};
