/**
 * Private files: evidence files are stored outside every static folder and outside the media
 * library; no spelling of a path reaches them without a session; the plugin route serves them to
 * the complaint's unit and the county office only, with the type sniffed at upload, nosniff, and
 * a download for anything that is not an image or PDF. Only the configured types are accepted,
 * judged by their bytes. No multipart request leaves its temporary file behind, whatever it
 * answers. Files kept in the media library by earlier versions are moved out at start.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import supertest from 'supertest';
import ExcelJS from 'exceljs';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { AdminSession } from '../helpers/admin';
import type { TestApp } from '../helpers/strapi';
import { copiesInTemp, pdfFile, pngFile } from '../helpers/files';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
const anon = () => supertest(app.strapi.server.httpServer);
const count = async (table: string, where: Record<string, unknown> = {}) => Number((await knex()(table).where(where).count({ n: '*' }))[0].n);
const privateDir = () => process.env.MINYI_PRIVATE_DIR as string;

const rectifying = async (unit: 't1' | 't2' = 't1') => {
  const c = await w.complaint({ town: unit === 't1' ? '城关镇' : '东坝镇' });
  const op = unit === 't1' ? w.users.op1 : w.users.op2;
  const lead = unit === 't1' ? w.users.lead1 : w.users.lead2;
  const steps: Array<[AdminSession, string, Record<string, unknown>]> = [
    [w.users.county, 'classify', { categoryCode: unit === 't1' ? '0101' : '0201', level: 'township', responsibleUnitId: w.units[unit].id }],
    [w.users.county, 'assign', {}],
    [op, 'accept', { nature: 'individual' }],
    [op, 'submit_measure', { mode: 'deadline', text: '更换楼道照明', responsiblePerson: '钱', deadline: addDaysFromToday(30) }],
    [lead, 'approve_measure', {}],
  ];
  for (const [s, action, input] of steps) expect((await act(s, c.documentId, action, input)).status).toBe(200);
  return c;
};
const upload = (s: AdminSession | null, documentId: string, data: Buffer, filename: string, contentType: string) => {
  const t = s ? s.post(`/complaints/complaints/${documentId}/evidence`) : anon().post(`/complaints/complaints/${documentId}/evidence`);
  return t.field('aspect', 'facility').field('text', '整改后照片').attach('files', data, { filename, contentType });
};

describe('stored where no static server looks', () => {
  let fileId: number;
  let stored: string;
  const TAG = 'private-evidence-canary-7d1f';
  const bytes = pngFile(TAG);

  beforeAll(async () => {
    const c = await rectifying();
    const up = await upload(w.users.op1, c.documentId, bytes, '整改后.png', 'image/png');
    expect(up.status).toBe(201);
    fileId = up.body.data.fileIds[0];
    stored = (await knex()('private_files').where('id', fileId).first('stored_name')).stored_name;
  });

  it('is in the private folder (mode 600), outside the public folder, and not in the media library', () => {
    const p = path.join(privateDir(), stored);
    expect(fs.readFileSync(p).equals(bytes)).toBe(true);
    expect(fs.statSync(p).mode & 0o777).toBe(0o600);
    expect(path.resolve(privateDir()).startsWith(path.resolve(app.strapi.dirs.static.public))).toBe(false);
    return count('files').then((n) => expect(n).toBe(0));
  });

  it('answers 404 (or 400/403) to every spelling of a path without a session, and never with the bytes', async () => {
    const base = path.basename(privateDir());
    const spellings = [
      `/uploads/${stored}`,
      `//uploads/${stored}`,
      `/uploads//${stored}`,
      `/uploads/%2F${stored}`,
      `/UPLOADS/${stored}`,
      `/uploads/${stored}.`,
      `/uploads/${stored}%2e`,
      `/uploads/%${stored.charCodeAt(0).toString(16)}${stored.slice(1)}`,
      `/uploads/./${stored}`,
      `/uploads/../uploads/${stored}`,
      `/uploads\\${stored}`,
      `/${stored}`,
      `/../${base}/${stored}`,
      `/%2e%2e/${base}/${stored}`,
      `/uploads/..%2F..%2F${base}%2F${stored}`,
      `/${base}/${stored}`,
      '/uploads/整改后.png',
      `/uploads/${encodeURIComponent('整改后.png')}`,
    ];
    expect(spellings.length).toBeGreaterThanOrEqual(10);
    for (const url of spellings) {
      const res = await anon().get(url).buffer(true);
      // 404; 400 or 403 where Strapi's router or static server refuses the spelling itself; never the file.
      expect([url, [400, 403, 404].includes(res.status)]).toEqual([url, true]);
      const seen = Buffer.isBuffer(res.body) ? res.body.toString('latin1') : `${res.text ?? ''}${JSON.stringify(res.body ?? '')}`;
      expect(seen.includes(TAG)).toBe(false);
    }
  });

  it('is served by the plugin route to its unit and the county office, byte for byte; another unit and an unknown id get the same 404', async () => {
    for (const s of [w.users.op1, w.users.county]) {
      const res = await s.get(`/complaints/evidence-files/${fileId}`).buffer(true).parse((r, cb) => {
        const parts: Buffer[] = [];
        r.on('data', (d: Buffer) => parts.push(d));
        r.on('end', () => cb(null, Buffer.concat(parts)));
      });
      expect(res.status).toBe(200);
      expect((res.body as Buffer).equals(bytes)).toBe(true);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toMatch(/^inline; /);
    }
    const other = await w.users.op2.get(`/complaints/evidence-files/${fileId}`);
    const unknown = await w.users.op2.get('/complaints/evidence-files/999999');
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(other.body).toEqual(unknown.body);
    expect((await anon().get(`/complaints/evidence-files/${fileId}`)).status).toBe(401);
  });
});

describe('only the configured types, judged by their bytes', () => {
  const refused: Array<[string, Buffer, string, string]> = [
    ['HTML', Buffer.from('<html><script>alert(document.cookie)</script></html>'), 'x.html', 'text/html'],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'x.svg', 'image/svg+xml'],
    ['JavaScript', Buffer.from('fetch("/admin/users").then(r=>r.text())'), 'x.js', 'text/javascript'],
    ['HTML named .png', Buffer.from('<!doctype html><script>alert(1)</script>'), 'photo.png', 'image/png'],
    ['a Windows program', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 1)]), 'setup.exe', 'application/octet-stream'],
    ['plain text', Buffer.from('已整改'), 'note.txt', 'text/plain'],
    ['a zip named .docx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 0)]), 'x.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ];

  it.each(refused)('refuses %s with a 400 naming the allowed types, and stores nothing', async (_label, data, filename, type) => {
    const c = await rectifying();
    const before = { evidence: await count('evidences'), events: await count('complaint_events'), files: fs.readdirSync(privateDir()).length };
    const res = await upload(w.users.op1, c.documentId, data, filename, type);
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('file_type');
    expect(res.body.error.message).toContain('文件类型不允许');
    expect(res.body.error.message).toContain('Allowed: JPEG, PNG, GIF, WebP, PDF');
    expect({ evidence: await count('evidences'), events: await count('complaint_events'), files: fs.readdirSync(privateDir()).length }).toEqual(before);
    expect(copiesInTemp(data)).toEqual([]);
  });

  it('accepts a PNG, a PDF and an xlsx (positive controls); the xlsx downloads as an attachment', async () => {
    const c = await rectifying();
    expect((await upload(w.users.op1, c.documentId, pngFile('ok-png'), 'a.png', 'image/png')).status).toBe(201);
    const pdf = await upload(w.users.op1, c.documentId, pdfFile('ok-pdf'), '验收单.pdf', 'application/pdf');
    expect(pdf.status).toBe(201);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('台账').addRow(['资金', 36000]);
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
    // Sent with a lying type: the bytes decide.
    const up = await upload(w.users.op1, c.documentId, xlsx, '资金明细.xlsx', 'text/html');
    expect(up.status).toBe(201);
    const res = await w.users.op1.get(`/complaints/evidence-files/${up.body.data.fileIds[0]}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="____.xlsx"; filename*=UTF-8''${encodeURIComponent('资金明细.xlsx')}`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const pdfRes = await w.users.op1.get(`/complaints/evidence-files/${pdf.body.data.fileIds[0]}`);
    expect(pdfRes.headers['content-type']).toBe('application/pdf');
    expect(pdfRes.headers['content-disposition']).toMatch(/^inline; /);
  });
});

describe('no temporary file is left behind', () => {
  it('by refused and accepted uploads on every multipart route', async () => {
    const mine = await rectifying('t1');
    const theirs = await rectifying('t2');
    const group = await w.users.op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: '临时文件检查' });
    expect(group.status).toBe(201);
    const g = group.body.data.documentId;
    let n = 0;
    const data = () => pngFile(`temp-check-${(n += 1)}-${Date.now()}`);
    const file = (t: supertest.Test, d: Buffer) => t.field('aspect', 'facility').field('text', '照片').attach('files', d, { filename: 'p.png', contentType: 'image/png' });
    const all: Array<[string, Buffer, (d: Buffer) => supertest.Test, number]> = [
      ['anonymous evidence', data(), (d) => file(anon().post(`/complaints/complaints/${mine.documentId}/evidence`), d), 401],
      ['lead unit evidence (no permission)', data(), (d) => file(w.users.lead1.post(`/complaints/complaints/${mine.documentId}/evidence`), d), 403],
      ['another unit', data(), (d) => file(w.users.op2.post(`/complaints/complaints/${mine.documentId}/evidence`), d), 404],
      ['refused type', Buffer.from(`<html>${Date.now()}</html>`), (d) => w.users.op1.post(`/complaints/complaints/${mine.documentId}/evidence`).field('aspect', 'facility').field('text', '照片').attach('files', d, { filename: 'p.html', contentType: 'text/html' }), 400],
      ['missing text', data(), (d) => w.users.op1.post(`/complaints/complaints/${mine.documentId}/evidence`).field('aspect', 'facility').attach('files', d, { filename: 'p.png', contentType: 'image/png' }), 400],
      ['group evidence, another unit', data(), (d) => file(w.users.op2.post(`/complaints/problem-groups/${g}/evidence`), d), 4],
      ['anonymous import', data(), (d) => anon().post('/complaints/imports').attach('file', d, 'x.xlsx'), 401],
      ['operator import', data(), (d) => w.users.op1.post('/complaints/imports').attach('file', d, 'x.xlsx'), 403],
      ['a route that takes no files', data(), (d) => w.users.op1.post(`/complaints/complaints/${mine.documentId}/transitions`).field('action', 'complete').attach('files', d, 'p.png'), 4],
      ['accepted evidence', data(), (d) => file(w.users.op2.post(`/complaints/complaints/${theirs.documentId}/evidence`), d), 201],
    ];
    for (const [label, d, send, status] of all) {
      const res = await send(d);
      // A one-digit status stands for its class (4: any refusal).
      expect([label, status < 10 ? Math.floor(res.status / 100) : res.status]).toEqual([label, status]);
      expect([label, copiesInTemp(d)]).toEqual([label, []]);
    }
  });
});

describe('evidence files of earlier versions', () => {
  it('are moved from the media library into the private store at start, once', async () => {
    const c = await rectifying();
    const bytes = pngFile('legacy-evidence-file');
    const tmp = path.join(os.tmpdir(), `legacy-${Date.now()}.png`);
    fs.writeFileSync(tmp, bytes);
    const folder = await app.strapi.plugin('upload').service('folder').create({ name: 'Minyi 成效佐证 (private)', parent: null });
    const [legacy] = await app.strapi.plugin('upload').service('upload').upload({
      data: { fileInfo: { folder: folder.id } },
      files: { filepath: tmp, originalFilename: '旧照片.png', mimetype: 'image/png', size: bytes.length },
    });
    const ev = await app.strapi.db.query('plugin::complaints.evidence').create({ data: { complaint: c.id, complaintId: c.id, aspect: 'facility', text: '旧版本的佐证', uploadedAt: new Date() } } as any).catch(async () => {
      // The ledger guard refuses outside writes: seed the old row as an earlier version would have.
      const [row] = await knex()('evidences').insert({ document_id: `legacy${Date.now()}`, complaint_id: c.id, aspect: 'facility', text: '旧版本的佐证', uploaded_at: new Date(), created_at: new Date(), updated_at: new Date(), published_at: new Date() }).returning('id');
      return { id: typeof row === 'object' ? row.id : row };
    });
    await knex()('files_related_mph').insert({ file_id: legacy.id, related_id: ev.id, related_type: 'plugin::complaints.evidence', field: 'files', order: 1 });
    const publicPath = path.join(app.strapi.dirs.static.public, legacy.url);
    expect(fs.existsSync(publicPath)).toBe(true);
    // What the media library stored (it may have re-encoded the image) is what must survive.
    const kept = fs.readFileSync(publicPath);
    expect((await anon().get(legacy.url)).status).toBe(200);

    expect(await app.strapi.plugin('complaints').service('evidence').migrateLegacyFiles()).toBe(1);
    expect(fs.existsSync(publicPath)).toBe(false);
    expect((await anon().get(legacy.url)).status).toBe(404);
    expect(await count('files', { id: legacy.id })).toBe(0);
    const link = await knex()('evidence_private_files').where('evidence_id', ev.id).first('file_id');
    const res = await w.users.op1.get(`/complaints/evidence-files/${link.file_id}`).buffer(true).parse((r, cb) => {
      const parts: Buffer[] = [];
      r.on('data', (d: Buffer) => parts.push(d));
      r.on('end', () => cb(null, Buffer.concat(parts)));
    });
    expect(res.status).toBe(200);
    expect((res.body as Buffer).equals(kept)).toBe(true);
    expect(await app.strapi.plugin('complaints').service('evidence').migrateLegacyFiles()).toBe(0);
  });
});
