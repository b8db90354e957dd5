/**
 * Gaps the workflow audit found (issue 5): who and when of each signature, a county leader's
 * rejection, reopen by a lead unit, more isolation cases (each with its own-unit control),
 * problem-group batches that fail as a whole, and required evidence aspects from configuration.
 * Expected values are literals from DOMAIN.md and issue 5, or computed by hand.
 */
import { pngFile } from '../helpers/files';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { AdminSession } from '../helpers/admin';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

type Ref = { id: number; documentId: string; ledgerNo: string };
type Unit = 't1' | 't2';

const batch = (s: AdminSession, body: Record<string, unknown>) => s.post('/complaints/transitions').send(body);
const evidence = (s: AdminSession, documentId: string, aspect: string, text: string) =>
  s.post(`/complaints/complaints/${documentId}/evidence`).field('aspect', aspect).field('text', text).attach('files', pngFile(`${aspect}-bytes`), { filename: `${aspect}.png`, contentType: 'image/png' });

const knex = () => app.strapi.db.connection;
const row = async (id: number) => knex()('complaints').where('id', id).first();
const eventCount = async (id: number) => Number((await knex()('complaint_events').where('complaint_id', id).count({ n: '*' }))[0].n);
const eventTypes = async (id: number) => ((await knex()('complaint_events').where('complaint_id', id).orderBy('seq').select('type')) as any[]).map((e) => e.type);
const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v === null ? null : String(v).slice(0, 10));
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
/** The fields a refused call must leave as they were. */
const snapshot = async (c: Ref) => {
  const r = await row(c.id);
  return { state: r.state, chainSeq: Number(r.chain_seq), updatedAt: String(r.updated_at), reopenCount: Number(r.reopen_count), deadline: day(r.deadline), events: await eventCount(c.id) };
};

/** t1: category 0101, lead unit l1; t2: category 0201, lead unit l2 (see helpers/world.ts). */
const cast = (unit: Unit) =>
  unit === 't1'
    ? { town: '城关镇', category: '0101', op: w.users.op1, head: w.users.head1, lead: w.users.lead1 }
    : { town: '东坝镇', category: '0201', op: w.users.op2, head: w.users.head2, lead: w.users.lead2 };

const STEPS = ['assigned', 'accepted', 'in_review', 'rectifying', 'signing', 'closed'] as const;
type Step = (typeof STEPS)[number];

/**
 * Registers a complaint of `unit` and drives it, each step by its own role, to `target`.
 * `evidenceAspect: null` stops before the evidence of a `rectifying` complaint.
 */
const drive = async (unit: Unit, target: Step, opts: { mode?: 'deadline' | 'immediate'; evidenceAspect?: string | null } = {}): Promise<Ref> => {
  const k = cast(unit);
  const c = await w.complaint({ town: k.town });
  const ok = async (p: PromiseLike<{ status: number; body: any }>, status = 200) => {
    const res = await p;
    expect([res.status, res.body?.error]).toEqual([status, undefined]);
  };
  const reached = (s: Step) => STEPS.indexOf(target) >= STEPS.indexOf(s);
  await ok(act(w.users.county, c.documentId, 'classify', { categoryCode: k.category, level: 'township', responsibleUnitId: w.units[unit].id }));
  await ok(act(w.users.county, c.documentId, 'assign'));
  if (reached('accepted')) await ok(act(k.op, c.documentId, 'accept', { nature: 'individual' }));
  if (reached('in_review')) {
    await ok(act(k.op, c.documentId, 'submit_measure', { mode: opts.mode ?? 'deadline', text: '维修破损路面并设置警示标志', responsiblePerson: '孙站长', deadline: addDaysFromToday(30) }));
  }
  if (reached('rectifying')) await ok(act(k.lead, c.documentId, 'approve_measure'));
  const aspect = opts.evidenceAspect === undefined ? (reached('signing') ? 'facility' : null) : opts.evidenceAspect;
  if (reached('rectifying') && aspect) await ok(evidence(k.op, c.documentId, aspect, '整改后现场照片'), 201);
  if (reached('signing')) await ok(act(k.op, c.documentId, 'complete'));
  if (reached('closed')) {
    for (const s of [k.head, k.lead, w.users.leader]) await ok(act(s, c.documentId, 'sign'));
  }
  expect((await row(c.id)).state).toBe(target);
  return c;
};

const FORBIDDEN_ROLE = '您的角色没有此操作的权限 / Your role does not have this permission';
const NOT_VISIBLE = '诉求不存在或无权查看 / Not found, or not visible to you';

describe('sign-off records who signed and when', () => {
  it('each step stores the signer\'s id, name, unit and time, and the panel shows them', async () => {
    const c = await drive('t1', 'signing');
    const { head1, lead1, leader } = w.users;
    const windows: Array<[number, number]> = [];
    for (const s of [head1, lead1, leader]) {
      const before = Date.now();
      const res = await act(s, c.documentId, 'sign', { comment: '同意' });
      expect(res.status).toBe(200);
      windows.push([before, Date.now()]);
    }
    const signs = await knex()('sign_offs').where('complaint_id', c.id).orderBy('id').select('round', 'step', 'decision', 'signer_id', 'signer_name', 'signer_unit_name');
    expect(signs.map((s: any) => [Number(s.round), s.step, s.decision, Number(s.signer_id), s.signer_name, s.signer_unit_name])).toEqual([
      [1, 'unit_head', 'signed', head1.id, '城关负责 测试', '城关镇人民政府'],
      [1, 'lead_unit_head', 'signed', lead1.id, '住建 测试', '县住房和城乡建设局'],
      // The county leader belongs to no unit.
      [1, 'county_leader', 'signed', leader.id, '县领导 测试', null],
    ]);

    const view = await w.users.county.get(`/complaints/complaints/${c.documentId}/workflow`);
    expect(view.status).toBe(200);
    expect(view.body.data.signOffs.map((s: any) => [s.step, s.signerName, s.signerUnitName])).toEqual([
      ['unit_head', '城关负责 测试', '城关镇人民政府'],
      ['lead_unit_head', '住建 测试', '县住房和城乡建设局'],
      ['county_leader', '县领导 测试', null],
    ]);
    // Each signature's time lies inside its own request (databases may drop milliseconds).
    view.body.data.signOffs.forEach((s: any, i: number) => {
      const t = new Date(s.signedAt).getTime();
      expect(Number.isNaN(t)).toBe(false);
      expect(t).toBeGreaterThanOrEqual(Math.floor(windows[i][0] / 1000) * 1000);
      expect(t).toBeLessThanOrEqual(windows[i][1]);
    });
    const r = await row(c.id);
    expect([r.state, r.sign_step]).toEqual(['closed', null]);
  });

  it('the county leader rejects at the last step: back to rectifying with the reason; a leader sign closes another complaint', async () => {
    const c = await drive('t1', 'signing');
    const { head1, lead1, leader } = w.users;
    expect((await act(head1, c.documentId, 'sign')).status).toBe(200);
    expect((await act(lead1, c.documentId, 'sign')).status).toBe(200);
    expect((await row(c.id)).sign_step).toBe('county_leader');

    let res = await act(leader, c.documentId, 'reject_signoff', {});
    expect([res.status, res.body.error.details.field, res.body.error.message]).toEqual([400, 'reason', '缺少必填项：验收不通过原因（reason） / Missing required input: reason']);
    expect((await row(c.id)).state).toBe('signing');

    res = await act(leader, c.documentId, 'reject_signoff', { reason: '群众反映仍有路段未修复' });
    expect([res.status, res.body.data]).toEqual([200, { documentId: c.documentId, ledgerNo: c.ledgerNo, from: 'signing', to: 'rectifying' }]);
    const r = await row(c.id);
    expect([r.state, r.sign_step, r.completed_at, r.closed_at]).toEqual(['rectifying', null, null, null]);
    const signs = await knex()('sign_offs').where('complaint_id', c.id).orderBy('id').select('round', 'step', 'decision', 'reason', 'signer_id', 'signer_name');
    expect(signs.map((s: any) => [Number(s.round), s.step, s.decision, s.reason, Number(s.signer_id), s.signer_name])).toEqual([
      [1, 'unit_head', 'signed', null, head1.id, '城关负责 测试'],
      [1, 'lead_unit_head', 'signed', null, lead1.id, '住建 测试'],
      [1, 'county_leader', 'rejected', '群众反映仍有路段未修复', leader.id, '县领导 测试'],
    ]);
    const last = await knex()('complaint_events').where('complaint_id', c.id).orderBy('seq', 'desc').first('type', 'from_state', 'to_state', 'actor_name', 'data');
    expect([last.type, last.from_state, last.to_state, last.actor_name]).toEqual(['reject_signoff', 'signing', 'rectifying', '县领导 测试']);
    expect(json(last.data)).toEqual({ step: 'county_leader', round: 1, reason: '群众反映仍有路段未修复' });

    // Positive control: the same leader signing at the same step closes a complaint.
    const other = await drive('t1', 'signing');
    expect((await act(head1, other.documentId, 'sign')).status).toBe(200);
    expect((await act(lead1, other.documentId, 'sign')).status).toBe(200);
    res = await act(leader, other.documentId, 'sign');
    expect([res.status, res.body.data.to]).toEqual([200, 'closed']);
    expect((await row(other.id)).state).toBe('closed');
  });
});

describe('reopen through the API', () => {
  it('the lead unit of the category reopens a closed complaint; another lead unit cannot', async () => {
    const c = await drive('t1', 'closed');
    const before = await snapshot(c);

    // lead2 leads category 02, not 01: the complaint is outside its scope, so the route does not
    // reveal that it exists (404, like every other-unit call in the isolation matrix).
    const refused = await act(w.users.lead2, c.documentId, 'reopen', { reason: '回访不满意', deadline: addDaysFromToday(15) });
    expect([refused.status, refused.body.error.message]).toEqual([404, NOT_VISIBLE]);
    expect(JSON.stringify(refused.body)).not.toContain(c.ledgerNo);
    expect(await snapshot(c)).toEqual(before);

    // A unit head has no reopen permission at all, even on its own unit's complaint.
    const head = await act(w.users.head1, c.documentId, 'reopen', { reason: '回访不满意', deadline: addDaysFromToday(15) });
    expect([head.status, head.body.error.message]).toEqual([403, FORBIDDEN_ROLE]);
    expect(await snapshot(c)).toEqual(before);

    const ok = await act(w.users.lead1, c.documentId, 'reopen', { reason: '回访不满意，路面再次破损', deadline: addDaysFromToday(15) });
    expect([ok.status, ok.body.data]).toEqual([200, { documentId: c.documentId, ledgerNo: c.ledgerNo, from: 'closed', to: 'rectifying' }]);
    const r = await row(c.id);
    // 15 days left: < 20 is yellow, not < 10 so not orange.
    expect([r.state, Number(r.reopen_count), day(r.deadline), r.warning_level, r.closed_at, r.sign_step]).toEqual(['rectifying', 1, addDaysFromToday(15), 'yellow', null, null]);
    const last = await knex()('complaint_events').where('complaint_id', c.id).orderBy('seq', 'desc').first('type', 'from_state', 'to_state', 'actor_name', 'actor_unit_name', 'data');
    expect([last.type, last.from_state, last.to_state, last.actor_name, last.actor_unit_name]).toEqual(['reopen', 'closed', 'rectifying', '住建 测试', '县住房和城乡建设局']);
    expect(json(last.data)).toEqual({ reason: '回访不满意，路面再次破损', deadline: addDaysFromToday(15), reopenCount: 1 });
    expect(await eventCount(c.id)).toBe(before.events + 1);
  });

  it('a reopen without a reason or without a deadline is refused with 400 and changes nothing; with both it succeeds', async () => {
    const c = await drive('t1', 'closed');
    const before = await snapshot(c);

    let res = await act(w.users.lead1, c.documentId, 'reopen', { deadline: addDaysFromToday(20) });
    expect([res.status, res.body.error.details, res.body.error.message]).toEqual([
      400, { code: 'missing_input', field: 'reason' }, '缺少必填项：重新整改原因（reason） / Missing required input: reason',
    ]);
    expect(await snapshot(c)).toEqual(before);

    res = await act(w.users.lead1, c.documentId, 'reopen', { reason: '抽查发现整改不到位' });
    expect([res.status, res.body.error.details, res.body.error.message]).toEqual([
      400, { code: 'missing_input', field: 'deadline' }, '缺少必填项：新的整改期限（deadline） / Missing required input: deadline',
    ]);
    expect(await snapshot(c)).toEqual(before);

    res = await act(w.users.lead1, c.documentId, 'reopen', { reason: '抽查发现整改不到位', deadline: addDaysFromToday(20) });
    expect([res.status, res.body.data.to]).toEqual([200, 'rectifying']);
    const r = await row(c.id);
    // 20 days left is not < 20: no warning.
    expect([r.state, Number(r.reopen_count), day(r.deadline), r.warning_level]).toEqual(['rectifying', 1, addDaysFromToday(20), 'none']);
  });
});

describe('isolation: each refusal has its own-unit control', () => {
  it('head1 cannot sign a t2 complaint; head2 can', async () => {
    const c = await drive('t2', 'signing');
    const before = await snapshot(c);
    const res = await act(w.users.head1, c.documentId, 'sign');
    expect([res.status, res.body.error.message]).toEqual([404, NOT_VISIBLE]);
    expect(await snapshot(c)).toEqual(before);
    expect(await knex()('sign_offs').where('complaint_id', c.id).count({ n: '*' }).then((r: any) => Number(r[0].n))).toBe(0);

    const ok = await act(w.users.head2, c.documentId, 'sign');
    expect([ok.status, ok.body.data.to]).toEqual([200, 'signing']);
    expect((await row(c.id)).sign_step).toBe('lead_unit_head');
  });

  it('lead1 cannot return or approve a measure of a category led by l2; lead2 can', async () => {
    const c = await drive('t2', 'in_review');
    const before = await snapshot(c);
    for (const [action, inputs] of [['return_measure', { comment: '措施不实，请细化' }], ['approve_measure', {}]] as const) {
      const res = await act(w.users.lead1, c.documentId, action, inputs);
      expect([action, res.status, res.body.error.message]).toEqual([action, 404, NOT_VISIBLE]);
      expect(await snapshot(c)).toEqual(before);
    }
    const measure = async () => knex()('measures').where('complaint_id', c.id).orderBy('version').select('version', 'review_state', 'reviewed_by_name');
    expect((await measure()).map((m: any) => [Number(m.version), m.review_state, m.reviewed_by_name])).toEqual([[1, 'in_review', null]]);

    let ok = await act(w.users.lead2, c.documentId, 'return_measure', { comment: '措施不实，请细化' });
    expect([ok.status, ok.body.data.to]).toEqual([200, 'returned']);
    expect((await act(w.users.op2, c.documentId, 'resubmit_measure', { mode: 'deadline', text: '分路段维修并设置警示标志', responsiblePerson: '孙站长', deadline: addDaysFromToday(40) })).status).toBe(200);
    ok = await act(w.users.lead2, c.documentId, 'approve_measure');
    expect([ok.status, ok.body.data.to]).toEqual([200, 'rectifying']);
    expect((await measure()).map((m: any) => [Number(m.version), m.review_state, m.reviewed_by_name])).toEqual([
      [1, 'returned', '交通 测试'],
      [2, 'approved', '交通 测试'],
    ]);
  });

  it('op1 cannot upload evidence to a t2 complaint; op2 can', async () => {
    const c = await drive('t2', 'rectifying', { evidenceAspect: null });
    const before = await snapshot(c);
    const files = async () => Number((await knex()('files').count({ n: '*' }))[0].n);
    const filesBefore = await files();
    const res = await evidence(w.users.op1, c.documentId, 'facility', '越权上传的照片');
    expect([res.status, res.body.error.message]).toEqual([404, NOT_VISIBLE]);
    expect(await snapshot(c)).toEqual(before);
    expect(await knex()('evidences').where('complaint_id', c.id).select('id')).toEqual([]);
    // Refused before the upload: no file was stored.
    expect(await files()).toBe(filesBefore);

    const ok = await evidence(w.users.op2, c.documentId, 'facility', '修复后的路面照片');
    expect(ok.status).toBe(201);
    expect(ok.body.data.fileIds).toHaveLength(1);
    const rows = await knex()('evidences').where('complaint_id', c.id).select('aspect', 'text', 'uploaded_by_name');
    expect(rows.map((e: any) => [e.aspect, e.text, e.uploaded_by_name])).toEqual([['facility', '修复后的路面照片', '东坝操作 测试']]);
    const types = await eventTypes(c.id);
    expect([types.length, types[types.length - 1]]).toEqual([before.events + 1, 'evidence_added']);
  });

  it('op2 cannot add members to a t1 problem group, nor a unit head; op1 (a unit operator of t1) can', async () => {
    // ACTION.groups (problem-group.manage) is granted to the unit operator role only
    // (permissions/role-permissions.ts), and the service limits it to the group's own unit.
    const tooLong = await w.users.op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: '路'.repeat(201) });
    expect([tooLong.status, tooLong.body.error.message]).toEqual([400, '共性问题名称最多 200 字 / The name has at most 200 characters']);
    const group = await w.users.op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: '城关镇道路破损' });
    expect(group.status).toBe(201);
    const c = await drive('t1', 'accepted');
    const notIds = await w.users.op1.post(`/complaints/problem-groups/${group.body.data.documentId}/members`).send({ documentIds: 'not-a-list' });
    expect([notIds.status, notIds.body.error.details.code]).toEqual([400, 'missing_input']);
    const before = await snapshot(c);

    const foreign = await w.users.op2.post(`/complaints/problem-groups/${group.body.data.documentId}/members`).send({ documentIds: [c.documentId] });
    expect([foreign.status, foreign.body.error.message]).toEqual([404, '共性问题小类不存在或无权查看 / Problem group not found, or not visible to you']);
    const head = await w.users.head1.post(`/complaints/problem-groups/${group.body.data.documentId}/members`).send({ documentIds: [c.documentId] });
    expect(head.status).toBe(403);
    const r0 = await row(c.id);
    expect([r0.problem_group_id, r0.nature]).toEqual([null, 'individual']);
    expect(await snapshot(c)).toEqual(before);

    const ok = await w.users.op1.post(`/complaints/problem-groups/${group.body.data.documentId}/members`).send({ documentIds: [c.documentId] });
    expect([ok.status, ok.body.data]).toEqual([200, { group: group.body.data.code, added: 1 }]);
    expect((await row(c.id)).nature).toBe('common');
  });

  it('a unit operator cannot classify through the API; the county office can', async () => {
    const c = await w.complaint();
    const before = await snapshot(c);
    const res = await act(w.users.op1, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    expect([res.status, res.body.error.message, res.body.error.details]).toEqual([403, FORBIDDEN_ROLE, { code: 'forbidden_action', action: 'classify' }]);
    expect(await snapshot(c)).toEqual(before);
    const r0 = await row(c.id);
    expect([r0.category_code, r0.responsible_unit_id]).toEqual([null, null]);
    // The batch route refuses it the same way.
    const viaBatch = await batch(w.users.op1, { action: 'classify', documentIds: [c.documentId], categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    expect(viaBatch.status).toBe(403);
    expect(await snapshot(c)).toEqual(before);

    const ok = await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    expect([ok.status, ok.body.data.to]).toEqual([200, 'classified']);
    const r = await row(c.id);
    expect([r.category_code, Number(r.responsible_unit_id), Number(r.lead_unit_id)]).toEqual(['0101', w.units.t1.id, w.units.l1.id]);
  });
});

describe('problem groups', () => {
  it('the members route moves accepted complaints into the group: column, link row and one event each', async () => {
    const group = await w.users.op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: '东街小区路灯' });
    expect(group.status).toBe(201);
    const gRow = await knex()('problem_groups').where('document_id', group.body.data.documentId).first('id', 'code', 'unit_id', 'category_code');
    expect([gRow.code, Number(gRow.unit_id), gRow.category_code]).toEqual([group.body.data.code, w.units.t1.id, '0101']);
    const a = await drive('t1', 'accepted');
    const b = await drive('t1', 'accepted');
    const eventsBefore = [await eventCount(a.id), await eventCount(b.id)];

    const res = await w.users.op1.post(`/complaints/problem-groups/${group.body.data.documentId}/members`).send({ documentIds: [a.documentId, b.documentId] });
    expect([res.status, res.body.data]).toEqual([200, { group: gRow.code, added: 2 }]);

    const link = app.strapi.plugin('complaints').service('bulk').linkTable('plugin::complaints.complaint', 'problemGroup');
    for (const [i, c] of [a, b].entries()) {
      const r = await row(c.id);
      expect([r.state, r.nature, Number(r.problem_group_id)]).toEqual(['accepted', 'common', Number(gRow.id)]);
      const links = await knex()(link.name).where(link.ownerColumn, c.id).select(link.targetColumn);
      expect(links.map((l: any) => Number(l[link.targetColumn]))).toEqual([Number(gRow.id)]);
      const last = await knex()('complaint_events').where('complaint_id', c.id).orderBy('seq', 'desc').first('type', 'from_state', 'to_state', 'data');
      expect([last.type, last.from_state, last.to_state, json(last.data).code]).toEqual(['grouped', 'accepted', 'accepted', gRow.code]);
      expect(await eventCount(c.id)).toBe(eventsBefore[i] + 1);
    }
  });

  it('a group batch with one member in the wrong state fails as a whole; once fixed, the same batch moves every member with one event each', async () => {
    const { op1, lead1 } = w.users;
    const group = await op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: '城关镇排水不畅' });
    expect(group.status).toBe(201);
    const g = group.body.data.documentId;
    const members = [await drive('t1', 'assigned'), await drive('t1', 'assigned'), await drive('t1', 'assigned')];
    let res = await batch(op1, { action: 'accept', documentIds: members.map((m) => m.documentId), nature: 'common', problemGroup: g });
    expect([res.status, res.body.meta.count]).toEqual([200, 3]);
    res = await batch(op1, { action: 'submit_measure', group: g, mode: 'deadline', text: '疏通排水管网并加装雨水篦子', responsiblePerson: '城关镇分管副镇长', deadline: addDaysFromToday(45) });
    expect([res.status, res.body.meta.count]).toEqual([200, 3]);

    // The lead unit returns one member's measure on its own: that member is now `returned`.
    const odd = members[1];
    expect((await act(lead1, odd.documentId, 'return_measure', { comment: '此处需单独制定措施' })).status).toBe(200);
    const before = await Promise.all(members.map(snapshot));
    expect(before.map((s) => s.state)).toEqual(['in_review', 'returned', 'in_review']);

    res = await batch(lead1, { action: 'approve_measure', group: g });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toMatchObject({ code: 'illegal_transition', ledgerNo: odd.ledgerNo });
    expect(res.body.error.message).toContain(odd.ledgerNo);
    expect(res.body.error.message).toContain('全部未办理');
    expect(await Promise.all(members.map(snapshot))).toEqual(before);
    const reviews = async () => (await knex()('measures').whereIn('complaint_id', members.map((m) => m.id)).where('review_state', 'approved').count({ n: '*' }))[0].n;
    expect(Number(await reviews())).toBe(0);

    // Fix the member, then the same batch succeeds: one approve_measure event per member.
    expect((await act(op1, odd.documentId, 'resubmit_measure', { mode: 'deadline', text: '单独疏通该处排水管并更换井盖', responsiblePerson: '城关镇分管副镇长', deadline: addDaysFromToday(45) })).status).toBe(200);
    const fixed = await Promise.all(members.map(snapshot));
    res = await batch(lead1, { action: 'approve_measure', group: g });
    expect([res.status, res.body.meta.count]).toEqual([200, 3]);
    expect(res.body.data.map((d: any) => [d.ledgerNo, d.from, d.to])).toEqual(members.map((m) => [m.ledgerNo, 'in_review', 'rectifying']));
    for (const [i, m] of members.entries()) {
      const after = await knex()('complaint_events').where('complaint_id', m.id).where('seq', '>', fixed[i].chainSeq).orderBy('seq').select('type', 'from_state', 'to_state');
      expect(after.map((e: any) => [e.type, e.from_state, e.to_state])).toEqual([['approve_measure', 'in_review', 'rectifying']]);
      expect((await row(m.id)).state).toBe('rectifying');
    }
    expect(Number(await reviews())).toBe(3);
  });
});

describe('required evidence aspects come from configuration', () => {
  const KEY = 'plugin::complaints.evidence.requiredAspects';
  let saved: Record<string, string[]>;

  beforeAll(() => {
    saved = app.strapi.config.get(KEY) as Record<string, string[]>;
    // The plugin reads its configuration at call time (utils getConfig), so a change applies at once.
    app.strapi.config.set(KEY, { ...saved, deadline: ['funds'] });
  });
  afterAll(() => {
    app.strapi.config.set(KEY, saved);
  });

  it('complete on a deadline complaint names the missing aspect until it is added', async () => {
    const c = await drive('t1', 'rectifying', { evidenceAspect: 'facility' });
    const before = await snapshot(c);
    let res = await act(w.users.op1, c.documentId, 'complete');
    expect([res.status, res.body.error.message, res.body.error.details]).toEqual([
      400, '缺少以下方面的成效佐证：funds / Evidence is missing for: funds', { code: 'missing_evidence', missing: ['funds'] },
    ]);
    expect(await snapshot(c)).toEqual(before);

    expect((await evidence(w.users.op1, c.documentId, 'funds', '投入维修资金 1.2 万元')).status).toBe(201);
    res = await act(w.users.op1, c.documentId, 'complete');
    expect([res.status, res.body.data.to]).toEqual([200, 'signing']);
  });

  it('the rule is per mode: an immediate complaint with facility evidence only completes', async () => {
    const c = await drive('t1', 'rectifying', { mode: 'immediate', evidenceAspect: 'facility' });
    const res = await act(w.users.op1, c.documentId, 'complete');
    expect([res.status, res.body.data.to]).toEqual([200, 'signing']);
  });
});
