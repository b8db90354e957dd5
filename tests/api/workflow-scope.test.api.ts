/**
 * Scope and safety of the workflow: every illegal transition refused with state and history
 * unchanged; the isolation matrix of roles × other units' complaints on the Content Manager
 * and the plugin routes (each refusal with a positive control); all-or-nothing batches;
 * a problem group of 50 handled as one; evidence files not served to anonymous users.
 */
import supertest from 'supertest';
import { pdfFile } from '../helpers/files';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';
import { ACTIONS, LEGAL, STATES } from '../helpers/legal-arrows';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const UID = 'plugin::complaints.complaint';
/** What a user linked to no unit gets from the Content Manager list: a refusal (fails closed). */
const LIST_OF_NO_UNIT = { status: 403, rows: null };
const row = async (id: number) => app.strapi.db.connection('complaints').where('id', id).first();
const eventCount = async (id: number) => Number((await app.strapi.db.connection('complaint_events').where('complaint_id', id).count({ n: '*' }))[0].n);

/** Drives a complaint of unit t1 (lead l1) or t2 (lead l2) to `assigned`. */
const assigned = async (unit: 't1' | 't2') => {
  const c = await w.complaint({ town: unit === 't1' ? '城关镇' : '东坝镇' });
  const cat = unit === 't1' ? '0101' : '0201';
  expect((await act(w.users.county, c.documentId, 'classify', { categoryCode: cat, level: 'township', responsibleUnitId: w.units[unit].id })).status).toBe(200);
  expect((await act(w.users.county, c.documentId, 'assign')).status).toBe(200);
  return c;
};

describe('illegal transitions', () => {
  const complaintIn: Record<string, { id: number; documentId: string }> = {};

  beforeAll(async () => {
    // One complaint per state, written directly (inserts are allowed; only the workflow moves them).
    const bulk = app.strapi.plugin('complaints').service('bulk');
    const ids: number[] = await bulk.insert(
      UID,
      STATES.map((state, i) => ({
        ledgerNo: `ILL-${i}-${Date.now()}`, receivedAt: new Date(), channel: 'visit', content: '非法流转测试', town: '城关镇', state,
        categoryCode: '0101', majorCategoryCode: '01', responsibleUnitId: w.units.t1.id, leadUnitId: w.units.l1.id, level: 'township',
        signStep: state === 'signing' ? 'unit_head' : null, chainSeq: 0, reopenCount: 0, sendBackCount: 0, returnCount: 0,
      }))
    );
    for (const [i, state] of STATES.entries()) {
      const r = await app.strapi.db.connection('complaints').where('id', ids[i]).first('document_id');
      complaintIn[state] = { id: ids[i], documentId: r.document_id };
    }
  });

  const illegal: Array<[string, string]> = [];
  for (const s of STATES) for (const a of ACTIONS) if (!LEGAL.has(`${s}:${a}`)) illegal.push([s, a]);

  it.each(illegal)('%s --%s--> is refused with 400, state and history unchanged', async (state, action) => {
    const c = complaintIn[state];
    const before = await row(c.id);
    const res = await act(w.users.admin, c.documentId, action, { reason: 'x', note: 'x', comment: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('illegal_transition');
    expect(res.body.error.message).toMatch(/不能执行.* \/ .*is not allowed from state/);
    const after = await row(c.id);
    expect([after.state, after.chain_seq, after.updated_at]).toEqual([before.state, before.chain_seq, before.updated_at]);
    expect(await eventCount(c.id)).toBe(0);
  });
});

describe('isolation matrix', () => {
  let own: { id: number; documentId: string; ledgerNo: string };
  let other: { id: number; documentId: string; ledgerNo: string };

  beforeAll(async () => {
    own = await assigned('t1');
    other = await assigned('t2');
  });

  // role → [session key whose own-unit complaint is `own`, and who must not touch `other`]
  const roles = [
    ['unit operator', 'op1'],
    ['unit head', 'head1'],
    ['lead unit reviewer', 'lead1'],
  ] as const;

  it.each(roles)('%s: Content Manager read of another unit\'s complaint is refused; own unit is readable', async (_r, key) => {
    const s = w.users[key];
    const refused = await s.get(`/content-manager/collection-types/${UID}/${other.documentId}`);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(other.ledgerNo);
    const ok = await s.get(`/content-manager/collection-types/${UID}/${own.documentId}`);
    expect(ok.status).toBe(200);
    expect(ok.body.data.ledgerNo).toBe(own.ledgerNo);
  });

  it.each(roles)('%s: the Content Manager list shows only its own scope', async (_r, key) => {
    const res = await w.users[key].get(`/content-manager/collection-types/${UID}?page=1&pageSize=100`);
    expect(res.status).toBe(200);
    const ledgerNos = res.body.results.map((r: any) => r.ledgerNo);
    expect(ledgerNos).toContain(own.ledgerNo);
    expect(ledgerNos).not.toContain(other.ledgerNo);
  });

  it.each(roles)('%s: the workflow route hides another unit\'s complaint (404); own unit answers', async (_r, key) => {
    const s = w.users[key];
    expect((await s.get(`/complaints/complaints/${other.documentId}/workflow`)).status).toBe(404);
    expect((await s.get(`/complaints/complaints/${own.documentId}/workflow`)).status).toBe(200);
  });

  it.each(roles)('%s: the history route hides another unit\'s complaint (404); own unit answers', async (_r, key) => {
    const s = w.users[key];
    const refused = await s.get(`/complaints/complaints/${other.documentId}/history`);
    expect(refused.status).toBe(404);
    expect(JSON.stringify(refused.body)).not.toContain(other.ledgerNo);
    const ok = await s.get(`/complaints/complaints/${own.documentId}/history`);
    expect([ok.status, ok.body.data.ledgerNo]).toEqual([200, own.ledgerNo]);
  });

  it.each(roles)('%s: Content Manager update of any complaint is refused and changes nothing', async (_r, key) => {
    const s = w.users[key];
    for (const c of [other, own]) {
      const before = await row(c.id);
      const res = await s.put(`/content-manager/collection-types/${UID}/${c.documentId}`).send({ summary: '越权修改' });
      expect(res.status).toBe(403);
      expect((await row(c.id)).summary).toBe(before.summary);
    }
    // Positive control: the county office, which may edit processing fields, can.
    const ok = await w.users.county.put(`/content-manager/collection-types/${UID}/${own.documentId}`).send({ summary: '县整治办摘要' });
    expect(ok.status).toBe(200);
    expect((await row(own.id)).summary).toBe('县整治办摘要');
  });

  it('unit operator: a transition on another unit\'s complaint is refused (404) and changes nothing; own unit succeeds', async () => {
    const before = await eventCount(other.id);
    const res = await act(w.users.op1, other.documentId, 'accept', { nature: 'individual' });
    expect(res.status).toBe(404);
    expect([(await row(other.id)).state, await eventCount(other.id)]).toEqual(['assigned', before]);
    const c = await assigned('t1');
    const ok = await act(w.users.op1, c.documentId, 'accept', { nature: 'individual' });
    expect([ok.status, ok.body.data.to]).toEqual([200, 'accepted']);
  });

  it('a role without the action\'s permission gets 403 even on its own unit; the right role succeeds', async () => {
    const c = await assigned('t1');
    for (const s of [w.users.head1, w.users.lead1, w.users.leader]) {
      const res = await act(s, c.documentId, 'accept', { nature: 'individual' });
      expect(res.status).toBe(403);
    }
    const county = await act(w.users.county, c.documentId, 'accept', { nature: 'individual' });
    expect(county.status).toBe(403);
    expect((await row(c.id)).state).toBe('assigned');
    expect((await act(w.users.op1, c.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
  });

  it('a lead unit reviewer of another unit cannot act even with the permission (404: the unit rule hides it, not only RBAC)', async () => {
    // op2 sees t2's complaints only: t1's complaint is hidden (404); and a lead unit reviewer of
    // another category cannot review a measure in its scope-mate's category.
    const c = await assigned('t1');
    expect((await act(w.users.op1, c.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
    expect((await act(w.users.op1, c.documentId, 'submit_measure', { mode: 'immediate', text: '立即处理到位', responsiblePerson: '赵', deadline: addDaysFromToday(7) })).status).toBe(200);
    expect((await act(w.users.lead2, c.documentId, 'approve_measure')).status).toBe(404);
    expect((await row(c.id)).state).toBe('in_review');
    expect((await act(w.users.lead1, c.documentId, 'approve_measure')).status).toBe(200);
  });

  it('a complaint reaches the unit only when assigned: classified or sent back, it is the county office\'s', async () => {
    const c = await w.complaint();
    expect((await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id })).status).toBe(200);
    const list = async () => (await w.users.op1.get(`/content-manager/collection-types/${UID}?page=1&pageSize=200`)).body.results.map((r: any) => r.ledgerNo);
    expect(await list()).not.toContain(c.ledgerNo);
    expect((await w.users.op1.get(`/content-manager/collection-types/${UID}/${c.documentId}`)).status).toBe(403);
    expect((await w.users.op1.get(`/complaints/complaints/${c.documentId}/workflow`)).status).toBe(404);
    expect((await act(w.users.county, c.documentId, 'assign')).status).toBe(200);
    expect(await list()).toContain(c.ledgerNo);
    expect((await w.users.op1.get(`/complaints/complaints/${c.documentId}/workflow`)).status).toBe(200);
    expect((await act(w.users.op1, c.documentId, 'send_back', { reason: '不属于本单位' })).status).toBe(200);
    expect(await list()).not.toContain(c.ledgerNo);
  });

  it('a user with no unit sees nothing (fails closed); a user with a unit sees its own', async () => {
    const s = w.users.orphanOp;
    const list = await s.get(`/content-manager/collection-types/${UID}?page=1&pageSize=100`);
    expect({ status: list.status, rows: list.body.results?.length ?? null }).toEqual(LIST_OF_NO_UNIT);
    expect((await s.get(`/content-manager/collection-types/${UID}/${own.documentId}`)).status).toBe(403);
    expect((await s.get(`/complaints/complaints/${own.documentId}/workflow`)).status).toBe(404);
    expect((await act(s, own.documentId, 'accept', { nature: 'individual' })).status).toBe(404);
    const mine = await w.users.op1.get(`/content-manager/collection-types/${UID}?page=1&pageSize=100`);
    expect(mine.body.results.map((r: any) => r.ledgerNo)).toContain(own.ledgerNo);
  });

  it('roles that see phones masked get no phone in the Content Manager; the operator does', async () => {
    const lead = await w.users.lead1.get(`/content-manager/collection-types/${UID}/${own.documentId}`);
    expect(lead.status).toBe(200);
    expect(lead.body.data.phone).toBeUndefined();
    expect(lead.body.data.rawRow).toBeUndefined();
    const head = await w.users.head1.get(`/content-manager/collection-types/${UID}/${own.documentId}`);
    expect(head.body.data.phone).toBeUndefined();
    const op = await w.users.op1.get(`/content-manager/collection-types/${UID}/${own.documentId}`);
    expect(op.body.data.phone).toBe('19900001234');
  });
});

describe('batches are all or nothing', () => {
  it('a batch with one member of another unit fails as a whole; without it, it succeeds', async () => {
    const mine = [await assigned('t1'), await assigned('t1'), await assigned('t1')];
    const foreign = await assigned('t2');
    const before = await Promise.all([...mine, foreign].map((c) => eventCount(c.id)));
    const res = await w.users.op1.post('/complaints/transitions').send({ action: 'accept', nature: 'individual', documentIds: [...mine, foreign].map((c) => c.documentId) });
    // Neither counted nor named: the answer is the one for an id that does not exist.
    expect([res.status, res.body.error.message, res.body.error.details]).toEqual([404, '部分诉求不存在或无权查看，全部未办理 / Some complaints do not exist or are not visible to you; nothing was changed', { code: 'not_found' }]);
    const unknown = await w.users.op1.post('/complaints/transitions').send({ action: 'accept', nature: 'individual', documentIds: [...mine.map((c) => c.documentId), 'm00000000000000000000000'] });
    expect([unknown.status, unknown.text]).toEqual([res.status, res.text]);
    expect(JSON.stringify(res.body)).not.toContain(foreign.ledgerNo);
    for (const [i, c] of [...mine, foreign].entries()) {
      expect([(await row(c.id)).state, await eventCount(c.id)]).toEqual(['assigned', before[i]]);
    }
    const ok = await w.users.op1.post('/complaints/transitions').send({ action: 'accept', nature: 'individual', documentIds: mine.map((c) => c.documentId) });
    expect([ok.status, ok.body.meta.count]).toEqual([200, 3]);
  });

  it('a batch with one member in the wrong state fails as a whole, naming it', async () => {
    const a = await assigned('t1');
    const b = await assigned('t1');
    expect((await act(w.users.op1, b.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
    const eventsOfB = await eventCount(b.id);
    const res = await w.users.op1.post('/complaints/transitions').send({ action: 'accept', nature: 'individual', documentIds: [a.documentId, b.documentId] });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(b.ledgerNo);
    expect((await row(a.id)).state).toBe('assigned');
    expect(await eventCount(b.id)).toBe(eventsOfB);
    // Positive control: the same batch without b succeeds.
    const ok = await w.users.op1.post('/complaints/transitions').send({ action: 'accept', nature: 'individual', documentIds: [a.documentId] });
    expect(ok.status).toBe(200);
    expect((await row(a.id)).state).toBe('accepted');
  });
});

describe('a problem group of 50', () => {
  it('is handled as one: measure, review, evidence and three signatures, one event per member each', async () => {
    const { county, op1, lead1, head1, leader } = w.users;
    const members = [];
    for (let i = 0; i < 50; i += 1) members.push(await w.complaint({ content: `东街小区第${i + 1}栋楼道灯不亮` }));
    const ids = members.map((m) => m.documentId);
    let res = await county.post('/complaints/transitions').send({ action: 'classify', documentIds: ids, categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    expect(res.body.meta.count).toBe(50);
    res = await county.post('/complaints/transitions').send({ action: 'assign', documentIds: ids });
    expect(res.body.meta.count).toBe(50);

    const group = await op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: '东街小区楼道照明' });
    expect(group.status).toBe(201);
    expect(group.body.data.code).toBe('0101-001');
    const second = await op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: '另一小类' });
    expect(second.body.data.code).toBe('0101-002');
    const refused = await w.users.op2.post('/complaints/problem-groups').send({ categoryCode: '0101', name: '越权', unitId: w.units.t1.id });
    expect(refused.status).toBe(403);

    res = await op1.post('/complaints/transitions').send({ action: 'accept', documentIds: ids, nature: 'common', problemGroup: group.body.data.documentId });
    expect([res.status, res.body.error, res.body.meta?.count]).toEqual([200, undefined, 50]);
    const g = group.body.data.documentId;

    res = await op1.post('/complaints/transitions').send({ action: 'submit_measure', group: g, mode: 'deadline', text: '统一更换东街小区全部楼道灯具', responsiblePerson: '城关镇分管副镇长', deadline: addDaysFromToday(60) });
    expect([res.status, res.body.meta.count]).toEqual([200, 50]);
    res = await lead1.post('/complaints/transitions').send({ action: 'approve_measure', group: g });
    expect([res.status, res.body.meta.count]).toEqual([200, 50]);
    res = await op1.post(`/complaints/problem-groups/${g}/evidence`).field('aspect', 'funds').field('text', '投入资金 3.6 万元').field('amount', '36000');
    expect(res.status).toBe(201);
    expect(res.body.data.evidenceIds).toHaveLength(50);
    res = await op1.post('/complaints/transitions').send({ action: 'complete', group: g });
    expect([res.status, res.body.meta.count]).toEqual([200, 50]);
    for (const s of [head1, lead1, leader]) {
      res = await s.post('/complaints/transitions').send({ action: 'sign', group: g });
      expect([res.status, res.body.meta.count]).toEqual([200, 50]);
    }
    const knex = app.strapi.db.connection;
    const states = await knex('complaints').whereIn('document_id', ids).select('state', 'problem_group_id', 'nature');
    expect(states.every((s: any) => s.state === 'closed' && s.nature === 'common' && Number(s.problem_group_id) > 0)).toBe(true);
    const perType = await knex('complaint_events').whereIn('complaint_id', knex('complaints').whereIn('document_id', ids).select('id')).groupBy('type').select('type').count({ n: '*' });
    const counts = Object.fromEntries(perType.map((r: any) => [r.type, Number(r.n)]));
    // Closing opens one survey each; the 50 share one phone, so each supersedes the one before (49).
    expect(counts).toEqual({ created: 50, classify: 50, assign: 50, accept: 50, submit_measure: 50, approve_measure: 50, evidence_added: 50, complete: 50, sign: 150, survey_opened: 50, survey_superseded: 49 });
    const report = await app.strapi.plugin('complaints').service('ledger').verify();
    expect(report.ok).toBe(true);
  });
});

describe('evidence files', () => {
  it('are refused to an anonymous GET of their upload URL, and served to the complaint\'s unit by the plugin route', async () => {
    const c = await assigned('t1');
    await act(w.users.op1, c.documentId, 'accept', { nature: 'individual' });
    await act(w.users.op1, c.documentId, 'submit_measure', { mode: 'immediate', text: '立即整改到位', responsiblePerson: '钱', deadline: addDaysFromToday(3) });
    await act(w.users.lead1, c.documentId, 'approve_measure');
    const bytes = pdfFile('evidence document for the county');
    const up = await w.users.op1.post(`/complaints/complaints/${c.documentId}/evidence`).field('aspect', 'project').field('text', '竣工验收单').attach('files', bytes, { filename: '验收单.pdf', contentType: 'application/pdf' });
    expect(up.status).toBe(201);
    const fileId = up.body.data.fileIds[0];
    // Not in the media library at all: no upload URL exists to ask for.
    expect(await app.strapi.db.connection('files').count({ n: '*' }).then((r: any) => Number(r[0].n))).toBe(0);
    const stored = await app.strapi.db.connection('private_files').where('id', fileId).first('stored_name');
    const anonymous = await supertest(app.strapi.server.httpServer).get(`/uploads/${stored.stored_name}`);
    expect(anonymous.status).toBe(404);
    // A malformed escape in an upload path is a 4xx, not a server error.
    expect((await supertest(app.strapi.server.httpServer).get('/uploads/%E0%A4%A')).status).toBe(400);
    expect(anonymous.text ?? '').not.toContain('evidence document');

    const viaRoute = await w.users.op1.get(`/complaints/evidence-files/${fileId}`).buffer(true);
    expect(viaRoute.status).toBe(200);
    expect(Buffer.from(viaRoute.body).toString()).toBe(bytes.toString());
    expect((await w.users.op2.get(`/complaints/evidence-files/${fileId}`)).status).toBe(404);
    expect((await supertest(app.strapi.server.httpServer).get(`/complaints/evidence-files/${fileId}`)).status).toBe(401);

    // Positive control: an ordinary upload (not evidence) is still public, as Strapi serves it.
    const tmp = require('path').join(require('os').tmpdir(), `pub-${Date.now()}.txt`);
    require('fs').writeFileSync(tmp, 'public');
    const [pub] = await app.strapi.plugin('upload').service('upload').upload({
      data: {},
      files: { filepath: tmp, originalFilename: 'public.txt', mimetype: 'text/plain', size: 6 },
    });
    const open = await supertest(app.strapi.server.httpServer).get(pub.url);
    expect(open.status).toBe(200);
    require('fs').rmSync(tmp, { force: true });
  });
});
