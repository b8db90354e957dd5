/**
 * Forged ledger records: every ledger record type refuses Content Manager create, update,
 * delete, clone and bulk delete for every role, Super Admin included, with the row count
 * unchanged; the same records are written through Minyi's routes (positive controls); Strapi's
 * Editor and Author hold no Minyi permission; the Document Service and query engine refuse
 * writes from outside Minyi's services; triggers refuse raw UPDATE / DELETE; ledger:verify
 * reports a sign-off inserted by raw SQL. System fields and the row rules on CM create too.
 */
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import { createAdminUser, login, type AdminSession } from '../helpers/admin';
import { rejection } from '../helpers/errors';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
let editor: AdminSession;
let author: AdminSession;
withWorld((started) => ({ app, w } = started));

beforeAll(async () => {
  const e = await createAdminUser(app.strapi, { roleCode: 'strapi-editor' });
  editor = await login(app.strapi, e.email, e.password);
  const a = await createAdminUser(app.strapi, { roleCode: 'strapi-author' });
  author = await login(app.strapi, a.email, a.password);
});

const CM = '/content-manager/collection-types';
const COMPLAINT = 'plugin::complaints.complaint';
const MEASURE = { mode: 'deadline', text: '更换楼道全部照明灯具并建立巡查机制', responsiblePerson: '张科长' };

/** Ledger record types and their tables. */
const LEDGER_TYPES: Array<[string, string]> = [
  ['plugin::complaints.measure', 'measures'],
  ['plugin::complaints.evidence', 'evidences'],
  ['plugin::complaints.sign-off', 'sign_offs'],
  ['plugin::complaints.survey', 'surveys'],
  ['plugin::complaints.sms-message', 'sms_messages'],
  ['plugin::complaints.correction', 'complaint_corrections'],
  ['plugin::complaints.import-batch', 'import_batches'],
  ['plugin::complaints.ledger-digest', 'ledger_digests'],
  ['plugin::complaints.job-run', 'job_runs'],
  ['plugin::complaints.complaint-event', 'complaint_events'],
  ['plugin::complaints.problem-group', 'problem_groups'],
  ['plugin::complaints.spot-check', 'spot_checks'],
];

const count = async (table: string) => Number((await app.strapi.db.connection(table).count({ n: '*' }))[0].n);
const counts = async () => Object.fromEntries(await Promise.all(LEDGER_TYPES.map(async ([, t]) => [t, await count(t)] as const)));

/** A complaint of unit t1 driven to `signing` through Minyi's routes: one measure, one evidence item. */
const toSigning = async () => {
  const c = await w.complaint();
  expect((await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id })).status).toBe(200);
  expect((await act(w.users.county, c.documentId, 'assign')).status).toBe(200);
  expect((await act(w.users.op1, c.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
  expect((await act(w.users.op1, c.documentId, 'submit_measure', { ...MEASURE, deadline: addDaysFromToday(30) })).status).toBe(200);
  expect((await act(w.users.lead1, c.documentId, 'approve_measure', { comment: '同意' })).status).toBe(200);
  expect((await w.users.op1.post(`/complaints/complaints/${c.documentId}/evidence`).field('aspect', 'other').field('text', '现场照片')).status).toBe(201);
  expect((await act(w.users.op1, c.documentId, 'complete')).status).toBe(200);
  return c;
};

describe('ledger records through Minyi’s routes (positive controls)', () => {
  it('a measure, an evidence item and a sign-off are written with their events, and verify passes', async () => {
    const c = await toSigning();
    expect((await act(w.users.head1, c.documentId, 'sign')).status).toBe(200);
    const kinds = async (table: string) => Number((await app.strapi.db.connection(table).where('complaint_id', c.id).count({ n: '*' }))[0].n);
    expect([await kinds('measures'), await kinds('evidences'), await kinds('sign_offs')]).toEqual([1, 1, 1]);
    const types = (await app.strapi.db.connection('complaint_events').where('complaint_id', c.id).orderBy('seq').select('type')).map((e: any) => e.type);
    expect(types).toEqual(['created', 'classify', 'assign', 'accept', 'submit_measure', 'approve_measure', 'evidence_added', 'complete', 'sign']);
    const report = await app.strapi.plugin('complaints').service('ledger').verify();
    expect([report.ok, report.unrecordedCount, report.orphanRecords]).toEqual([true, 0, 0]);
  });
});

describe('Content Manager writes on ledger records', () => {
  let c: { id: number; documentId: string };
  let records: Record<string, { documentId: string; id: number } | null>;

  beforeAll(async () => {
    c = await toSigning();
    expect((await act(w.users.head1, c.documentId, 'sign')).status).toBe(200);
    records = {};
    for (const [uid, table] of LEDGER_TYPES) {
      const r = await app.strapi.db.connection(table).orderBy('id', 'desc').first('id', 'document_id');
      records[uid] = r ? { id: Number(r.id), documentId: String(r.document_id) } : null;
    }
    // Existing records to attack: a measure, evidence, sign-off and event at least.
    for (const uid of ['plugin::complaints.measure', 'plugin::complaints.evidence', 'plugin::complaints.sign-off', 'plugin::complaints.complaint-event']) {
      expect(records[uid]).not.toBeNull();
    }
  });

  const roles = (): Array<[string, AdminSession]> => [
    ['Super Admin', w.users.admin],
    ['county office', w.users.county],
    ['county leader', w.users.leader],
    ['lead unit', w.users.lead1],
    ['unit operator', w.users.op1],
    ['unit head', w.users.head1],
    ['Editor', editor],
    ['Author', author],
  ];

  it('every role, Super Admin included, is refused create, update, delete, clone and bulk delete on every type; nothing changes', async () => {
    const before = await counts();
    const seen: string[] = [];
    for (const [name, s] of roles()) {
      for (const [uid] of LEDGER_TYPES) {
        const rec = records[uid];
        const create = await s.post(`${CM}/${uid}`).send({ complaintId: c.id, text: '伪造' });
        seen.push(`${name} ${uid} create ${create.status}`);
        if (rec) {
          const update = await s.put(`${CM}/${uid}/${rec.documentId}`).send({ text: '伪造' });
          const del = await s.del(`${CM}/${uid}/${rec.documentId}`);
          const clone = await s.post(`${CM}/${uid}/clone/${rec.documentId}`).send({});
          const bulk = await s.post(`${CM}/${uid}/actions/bulkDelete`).send({ documentIds: [rec.documentId] });
          seen.push(`${name} ${uid} update ${update.status}`, `${name} ${uid} delete ${del.status}`, `${name} ${uid} clone ${clone.status}`, `${name} ${uid} bulkDelete ${bulk.status}`);
        }
      }
    }
    // 403 everywhere: no role holds a Content Manager write permission on a ledger record.
    expect(seen.filter((line) => !line.endsWith(' 403'))).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('no role holds a write permission on a ledger record type (DB rows)', async () => {
    const perms = (await app.strapi.db.query('admin::permission').findMany({ select: ['action', 'subject'], populate: { role: { select: ['code'] } } })) as any[];
    const writes = perms.filter(
      (p) => LEDGER_TYPES.some(([uid]) => uid === p.subject) && /explorer\.(create|update|delete|publish)$/.test(p.action)
    );
    expect(writes.map((p) => `${p.role?.code} ${p.action} ${p.subject}`)).toEqual([]);
    // Control: Super Admin still reads them, and still updates complaints.
    expect(perms.some((p) => p.role?.code === 'strapi-super-admin' && p.action === 'plugin::content-manager.explorer.read' && p.subject === 'plugin::complaints.sign-off')).toBe(true);
    expect(perms.some((p) => p.role?.code === 'strapi-super-admin' && p.action === 'plugin::content-manager.explorer.update' && p.subject === COMPLAINT)).toBe(true);
  });

  it('Super Admin reads a sign-off in the Content Manager (read-only, not hidden)', async () => {
    const rec = records['plugin::complaints.sign-off']!;
    const res = await w.users.admin.get(`${CM}/plugin::complaints.sign-off/${rec.documentId}`);
    expect([res.status, res.body.data.documentId]).toEqual([200, rec.documentId]);
  });

  it('the Document Service and the query engine refuse a write from outside Minyi’s services; Minyi’s own service writes', async () => {
    const before = await count('sign_offs');
    const data = { complaintId: c.id, round: 1, step: 'lead_unit_head', decision: 'signed', signerName: '伪造' };
    const viaDocs = await rejection(app.strapi.documents('plugin::complaints.sign-off' as any).create({ data } as any));
    expect([viaDocs.name, viaDocs.details?.code, viaDocs.details?.layer]).toEqual(['PolicyError', 'ledger_record_read_only', 'document-middleware']);
    const viaQuery = await rejection(app.strapi.db.query('plugin::complaints.sign-off' as any).create({ data }));
    expect([viaQuery.details?.code, viaQuery.details?.layer]).toEqual(['ledger_record_read_only', 'db-lifecycle']);
    const rec = records['plugin::complaints.measure']!;
    const upd = await rejection(app.strapi.db.query('plugin::complaints.measure' as any).update({ where: { id: rec.id }, data: { text: '伪造' } }));
    expect(upd.details?.code).toBe('ledger_record_read_only');
    const del = await rejection(app.strapi.db.query('plugin::complaints.evidence' as any).delete({ where: { id: records['plugin::complaints.evidence']!.id } }));
    expect(del.details?.code).toBe('ledger_record_read_only');
    expect(await count('sign_offs')).toBe(before);
    // Control: the same sign-off through Minyi's route.
    expect((await act(w.users.lead1, c.documentId, 'sign')).status).toBe(200);
    expect(await count('sign_offs')).toBe(before + 1);
  });

  it('triggers refuse raw UPDATE and DELETE of sign-offs, evidence and measure texts; a measure review stays writable', async () => {
    const knex = app.strapi.db.connection;
    const sign = records['plugin::complaints.sign-off']!;
    expect((await rejection(knex('sign_offs').where('id', sign.id).update({ decision: 'rejected' }))).message).toContain('minyi:');
    expect((await rejection(knex('sign_offs').where('id', sign.id).del())).message).toContain('minyi:');
    const ev = records['plugin::complaints.evidence']!;
    expect((await rejection(knex('evidences').where('id', ev.id).update({ text: '伪造' }))).message).toContain('minyi:');
    const m = records['plugin::complaints.measure']!;
    const before = await knex('measures').where('id', m.id).first('text', 'review_comment');
    expect((await rejection(knex('measures').where('id', m.id).update({ text: '伪造' }))).message).toContain('minyi:');
    expect((await knex('measures').where('id', m.id).first('text')).text).toBe(before.text);
    // Control: the review columns (what the lead unit's decision writes) may change.
    expect(await knex('measures').where('id', m.id).update({ review_comment: before.review_comment })).toBe(1);
  });
});

describe('ledger:verify finds a forged sign-off', () => {
  it('passes, then fails on a sign-off inserted by raw SQL with no event', async () => {
    const c = await toSigning();
    const ledger = app.strapi.plugin('complaints').service('ledger');
    expect((await ledger.verify()).ok).toBe(true);
    const admin = w.users.admin;
    expect([(await admin.get('/complaints/ledger/verify')).status, (await admin.get('/complaints/ledger/verify')).body.data.ok]).toEqual([200, true]);
    // INSERT is not refused by any trigger: a record without its event is what verify must catch.
    const now = new Date();
    const [row] = await app.strapi.db
      .connection('sign_offs')
      .insert({ document_id: `forged${Date.now()}`, complaint_id: c.id, round: 1, step: 'unit_head', decision: 'signed', signer_name: '伪造', signed_at: now, created_at: now, updated_at: now, published_at: now })
      .returning('id');
    const forgedId = Number(typeof row === 'object' ? row.id : row);
    const report = await ledger.verify();
    expect([report.ok, report.unrecordedCount]).toEqual([false, 1]);
    expect(report.unrecorded).toEqual([{ kind: 'signOff', id: forgedId, complaintId: c.id, ledgerNo: c.ledgerNo }]);
    const res = await admin.get('/complaints/ledger/verify');
    expect([res.status, res.body.data.ok, res.body.data.unrecordedCount]).toEqual([200, false, 1]);
  });
});

describe('Strapi’s Editor and Author roles', () => {
  it('hold no permission on any Minyi type or action after boot, and get 403 on the complaint list', async () => {
    const perms = (await app.strapi.db.query('admin::permission').findMany({ select: ['action', 'subject'], populate: { role: { select: ['code'] } } })) as any[];
    const theirs = perms.filter((p) => ['strapi-editor', 'strapi-author'].includes(p.role?.code));
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.filter((p) => p.action.startsWith('plugin::complaints.') || String(p.subject ?? '').startsWith('plugin::complaints.'))).toEqual([]);
    expect((await editor.get(`${CM}/${COMPLAINT}?page=1&pageSize=10`)).status).toBe(403);
    expect((await author.get(`${CM}/${COMPLAINT}?page=1&pageSize=10`)).status).toBe(403);
    // Control: the county office lists complaints.
    expect((await w.users.county.get(`${CM}/${COMPLAINT}?page=1&pageSize=10`)).status).toBe(200);
  });

  it('a Minyi permission saved later on a non-Minyi role is removed; on a Minyi role it is kept', async () => {
    const roleService = app.strapi.service('admin::role') as any;
    const editorRole = await app.strapi.db.query('admin::role').findOne({ where: { code: 'strapi-editor' } });
    await roleService.addPermissions(editorRole.id, [{ action: 'plugin::content-manager.explorer.read', subject: COMPLAINT, properties: {}, conditions: [] }]);
    const left = await app.strapi.db.query('admin::permission').findMany({ where: { subject: COMPLAINT, role: { id: editorRole.id } } });
    expect(left).toEqual([]);
    expect((await editor.get(`${CM}/${COMPLAINT}?page=1&pageSize=10`)).status).toBe(403);
    // A forbidden write is removed from a Minyi role too.
    const county = await app.strapi.db.query('admin::role').findOne({ where: { code: 'minyi-county-office' } });
    await roleService.addPermissions(county.id, [{ action: 'plugin::content-manager.explorer.create', subject: 'plugin::complaints.sign-off', properties: {}, conditions: [] }]);
    expect(await app.strapi.db.query('admin::permission').findMany({ where: { subject: 'plugin::complaints.sign-off', action: 'plugin::content-manager.explorer.create' } })).toEqual([]);
    // Control: a permitted one on a Minyi role stays.
    const rule = 'plugin::content-manager.explorer.read';
    await roleService.addPermissions(county.id, [{ action: rule, subject: 'plugin::complaints.routing-rule', properties: {}, conditions: [] }]);
    expect((await app.strapi.db.query('admin::permission').findMany({ where: { subject: 'plugin::complaints.routing-rule', action: rule, role: { id: county.id } } })).length).toBeGreaterThan(0);
  });
});

describe('system fields and row rules through the Content Manager', () => {
  const current = async (documentId: string) => (await w.users.county.get(`${CM}/${COMPLAINT}/${documentId}`)).body.data;
  const dbRow = async (id: number) => app.strapi.db.connection('complaints').where('id', id).first('document_id', 'chain_hash', 'send_back_count', 'summary');

  it.each([
    ['documentId', { documentId: 'forgedforgedforgedforged' }],
    ['chainHash', { chainHash: 'f'.repeat(64) }],
    ['sendBackCount', { sendBackCount: 7 }],
  ])('a PUT changing %s is a 400 naming it and changes nothing', async (field, patch) => {
    const c = await w.complaint();
    const before = await dbRow(c.id);
    const res = await w.users.county.put(`${CM}/${COMPLAINT}/${c.documentId}`).send({ ...(await current(c.documentId)), summary: '改摘要', ...patch });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual([field]);
    expect(res.body.error.message).toContain(field);
    expect(await dbRow(c.id)).toEqual(before);
  });

  it('a PUT sending other timestamps keeps the stored ones (Strapi drops them before the guard)', async () => {
    const c = await w.complaint();
    const stamp = async () => app.strapi.db.connection('complaints').where('id', c.id).first('created_at');
    const before = await stamp();
    await w.users.county.put(`${CM}/${COMPLAINT}/${c.documentId}`).send({ ...(await current(c.documentId)), createdAt: '2001-01-01T00:00:00.000Z' });
    expect(await stamp()).toEqual(before);
  });

  it('control: the same PUT changing only the summary is a 200', async () => {
    const c = await w.complaint();
    const res = await w.users.county.put(`${CM}/${COMPLAINT}/${c.documentId}`).send({ ...(await current(c.documentId)), summary: '楼道照明维修' });
    expect(res.status).toBe(200);
    expect((await dbRow(c.id)).summary).toBe('楼道照明维修');
    expect((await dbRow(c.id)).document_id).toBe(c.documentId);
  });

  const base = () => ({ ledgerNo: `CM-${Math.random().toString(36).slice(2, 10)}`, receivedAt: '2025-03-01T02:00:00.000Z', channel: 'visit', content: '路灯损坏', town: '城关镇' });
  const complaintCount = async () => count('complaints');

  it.each([
    ['year 275760', { receivedAt: '+275760-09-13T00:00:00.000Z' }, 'receivedAt'],
    ['a future day', { receivedAt: '2999-01-01T00:00:00.000Z' }, 'receivedAt'],
    ['before 1990', { receivedAt: '1985-06-01T00:00:00.000Z' }, 'receivedAt'],
    ['300,000 characters of content', { content: '长'.repeat(300_000) }, 'content'],
    ['no content', { content: '' }, 'content'],
    ['a documentId', { documentId: 'forgedforgedforgedforged' }, 'documentId'],
  ])('a create with %s is a 400 naming the field; nothing is stored', async (_label, patch, field) => {
    const before = await complaintCount();
    const res = await w.users.county.post(`${CM}/${COMPLAINT}`).send({ ...base(), ...patch });
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields).toEqual([field]);
    expect(await complaintCount()).toBe(before);
  });

  it('control: a normal create is a 201 with its created event', async () => {
    const before = await complaintCount();
    const data = base();
    const res = await w.users.county.post(`${CM}/${COMPLAINT}`).send(data);
    expect(res.status).toBe(201);
    expect(await complaintCount()).toBe(before + 1);
    const row = await app.strapi.db.connection('complaints').where('ledger_no', data.ledgerNo).first('id', 'state');
    expect(row.state).toBe('received');
    expect((await app.strapi.db.connection('complaint_events').where('complaint_id', row.id).select('type')).map((e: any) => e.type)).toEqual(['created']);
  });
});
