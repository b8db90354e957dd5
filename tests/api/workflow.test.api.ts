/**
 * The handling workflow through its admin routes, as each role uses it: the whole cycle of an
 * individual complaint, send-back, screening, routing, sign-off rejection and reopen.
 */
import { pngFile } from '../helpers/files';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));


const row = async (id: number) => app.strapi.db.connection('complaints').where('id', id).first();
const events = async (id: number) =>
  (await app.strapi.db.connection('complaint_events').where('complaint_id', id).orderBy('seq').select('seq', 'type', 'from_state', 'to_state', 'actor_name', 'actor_unit_name')) as any[];
const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

const MEASURE = { mode: 'deadline', text: '更换楼道全部照明灯具并建立巡查机制', responsiblePerson: '张科长' };

describe('an individual complaint, from received to closed and reopened', () => {
  it('goes through every step, each by its role, and the history verifies', async () => {
    const c = await w.complaint();
    const { county, op1, lead1, head1, leader } = w.users;

    let res = await act(county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    expect([res.status, res.body.data]).toEqual([200, { documentId: c.documentId, ledgerNo: c.ledgerNo, from: 'received', to: 'classified' }]);
    let r = await row(c.id);
    expect([r.category_code, r.major_category_code, Number(r.responsible_unit_id), Number(r.lead_unit_id), r.level]).toEqual(['0101', '01', w.units.t1.id, w.units.l1.id, 'township']);

    res = await act(county, c.documentId, 'assign');
    expect(res.body.data.to).toBe('assigned');
    r = await row(c.id);
    expect(day(r.response_deadline)).toBe(addDaysFromToday(3));
    expect(r.assigned_at).toBeTruthy();

    res = await act(op1, c.documentId, 'accept', { nature: 'individual' });
    expect([res.status, res.body.data.to]).toEqual([200, 'accepted']);

    res = await act(op1, c.documentId, 'submit_measure', { ...MEASURE, deadline: addDaysFromToday(30) });
    expect([res.status, res.body.data.to]).toEqual([200, 'in_review']);

    res = await act(lead1, c.documentId, 'return_measure', { comment: '措施不实，请明确每栋楼的完成时间' });
    expect([res.status, res.body.data.to]).toEqual([200, 'returned']);
    expect(Number((await row(c.id)).return_count)).toBe(1);

    res = await act(op1, c.documentId, 'resubmit_measure', { ...MEASURE, deadline: addDaysFromToday(45) });
    expect([res.status, res.body.data.to]).toEqual([200, 'in_review']);
    const measures = await app.strapi.db.connection('measures').where('complaint_id', c.id).orderBy('version').select('version', 'review_state', 'deadline');
    expect(measures.map((m: any) => [Number(m.version), m.review_state, day(m.deadline)])).toEqual([
      [1, 'returned', addDaysFromToday(30)],
      [2, 'in_review', addDaysFromToday(45)],
    ]);

    res = await act(lead1, c.documentId, 'approve_measure', { comment: '同意' });
    expect([res.status, res.body.data.to]).toEqual([200, 'rectifying']);
    r = await row(c.id);
    expect([day(r.deadline), r.mode, r.warning_level]).toEqual([addDaysFromToday(45), 'deadline', 'none']);

    res = await act(op1, c.documentId, 'complete');
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('missing_evidence');
    expect(res.body.error.message).toBe('请先上传至少一项成效佐证 / Upload at least one evidence item first');

    res = await op1.post(`/complaints/complaints/${c.documentId}/evidence`).field('aspect', 'facility').field('text', '已更换灯具 24 盏').attach('files', pngFile('photo-bytes'), { filename: 'after.png', contentType: 'image/png' });
    expect(res.status).toBe(201);

    res = await act(op1, c.documentId, 'complete');
    expect([res.status, res.body.data.to]).toEqual([200, 'signing']);
    expect((await row(c.id)).sign_step).toBe('unit_head');

    // Sign-off goes in order: the lead unit cannot sign before the unit head.
    res = await act(lead1, c.documentId, 'sign');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(`您的角色或单位不能对诉求 ${c.ledgerNo} 执行此操作 / Your role or unit may not take "sign" on complaint ${c.ledgerNo}`);
    res = await act(head1, c.documentId, 'sign');
    expect([res.status, res.body.data.to]).toEqual([200, 'signing']);
    res = await act(leader, c.documentId, 'sign');
    expect(res.status).toBe(403);
    res = await act(lead1, c.documentId, 'sign');
    expect([res.status, res.body.data.to]).toEqual([200, 'signing']);
    res = await act(leader, c.documentId, 'sign', { comment: '同意办结' });
    expect([res.status, res.body.data.to]).toEqual([200, 'closed']);
    r = await row(c.id);
    expect(r.closed_at).toBeTruthy();
    const signs = await app.strapi.db.connection('sign_offs').where('complaint_id', c.id).orderBy('id').select('step', 'decision', 'signer_name');
    expect(signs.map((s: any) => [s.step, s.decision, s.signer_name])).toEqual([
      ['unit_head', 'signed', '城关负责 测试'],
      ['lead_unit_head', 'signed', '住建 测试'],
      ['county_leader', 'signed', '县领导 测试'],
    ]);

    res = await act(county, c.documentId, 'reopen', { reason: '回访不满意，路灯再次损坏', deadline: addDaysFromToday(10) });
    expect([res.status, res.body.data.to]).toEqual([200, 'rectifying']);
    r = await row(c.id);
    expect([Number(r.reopen_count), day(r.deadline), r.warning_level, r.closed_at]).toEqual([1, addDaysFromToday(10), 'yellow', null]);

    const ev = await events(c.id);
    expect(ev.map((e) => e.type)).toEqual([
      'created', 'classify', 'assign', 'accept', 'submit_measure', 'return_measure', 'resubmit_measure', 'approve_measure',
      'evidence_added', 'complete', 'sign', 'sign', 'sign', 'survey_opened', 'reopen',
    ]);
    expect(ev.map((e) => e.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(ev[3]).toMatchObject({ from_state: 'assigned', to_state: 'accepted', actor_name: '城关操作 测试', actor_unit_name: '城关镇人民政府' });
    expect(ev[12]).toMatchObject({ from_state: 'signing', to_state: 'closed' });
    expect(ev[13]).toMatchObject({ type: 'survey_opened', from_state: 'closed', to_state: 'closed', actor_name: 'system' });

    const history = await w.users.admin.get(`/complaints/complaints/${c.documentId}/history`);
    expect(history.body.data.verdict).toEqual({ ok: true, events: 15, firstBreak: null });
  });

  it('a unit sends back an assignment that is not theirs, and it counts', async () => {
    const c = await w.complaint();
    const { county, op1, op2 } = w.users;
    await act(county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    await act(county, c.documentId, 'assign');
    let res = await act(op1, c.documentId, 'send_back', {});
    expect([res.status, res.body.error.details.code]).toEqual([400, 'missing_input']);
    res = await act(op1, c.documentId, 'send_back', { reason: '属于东坝镇辖区' });
    expect([res.status, res.body.data.to]).toEqual([200, 'classified']);
    expect(Number((await row(c.id)).send_back_count)).toBe(1);
    // Re-classified to the right unit, which accepts it.
    res = await act(county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t2.id });
    expect(res.status).toBe(200);
    await act(county, c.documentId, 'assign');
    res = await act(op2, c.documentId, 'accept', { nature: 'individual' });
    expect([res.status, res.body.data.to]).toEqual([200, 'accepted']);
  });

  it('a rejected sign-off returns the complaint to rectifying with its reason, and the next round starts over', async () => {
    const c = await w.complaint();
    const { county, op1, lead1, head1 } = w.users;
    expect((await act(county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id })).status).toBe(200);
    expect((await act(county, c.documentId, 'assign')).status).toBe(200);
    expect((await act(op1, c.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
    expect((await act(op1, c.documentId, 'submit_measure', { mode: 'immediate', text: '立即修复损坏灯具', responsiblePerson: '李主任', deadline: addDaysFromToday(5) })).status).toBe(200);
    expect((await act(lead1, c.documentId, 'approve_measure')).status).toBe(200);
    expect((await op1.post(`/complaints/complaints/${c.documentId}/evidence`).field('aspect', 'other').field('text', '现场照片')).status).toBe(201);
    expect((await act(op1, c.documentId, 'complete')).status).toBe(200);
    let res = await act(head1, c.documentId, 'reject_signoff', {});
    expect([res.status, res.body.error.details.field]).toEqual([400, 'reason']);
    res = await act(head1, c.documentId, 'reject_signoff', { reason: '照片不能证明全部修复' });
    expect([res.status, res.body.data.to]).toEqual([200, 'rectifying']);
    expect((await act(op1, c.documentId, 'complete')).status).toBe(200);
    res = await act(head1, c.documentId, 'sign');
    expect(res.status).toBe(200);
    const signs = await app.strapi.db.connection('sign_offs').where('complaint_id', c.id).orderBy('id').select('round', 'step', 'decision', 'reason');
    expect(signs.map((s: any) => [Number(s.round), s.step, s.decision, s.reason])).toEqual([
      [1, 'unit_head', 'rejected', '照片不能证明全部修复'],
      [2, 'unit_head', 'signed', null],
    ]);
  });

  it('a policy-limited measure needs a policy reference and has no clock', async () => {
    const c = await w.complaint();
    const { county, op1, lead1 } = w.users;
    await act(county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    await act(county, c.documentId, 'assign');
    await act(op1, c.documentId, 'accept', { nature: 'individual' });
    let res = await act(op1, c.documentId, 'submit_measure', { mode: 'policy_limited', text: '受政策限制暂无法解决', responsiblePerson: '王科长' });
    expect([res.status, res.body.error.details.field]).toEqual([400, 'policyRef']);
    res = await act(op1, c.documentId, 'submit_measure', { mode: 'policy_limited', text: '受政策限制暂无法解决', responsiblePerson: '王科长', policyRef: '县财政专项资金管理办法第十二条', deadline: addDaysFromToday(3) });
    expect([res.status, res.body.error.details.field]).toEqual([400, 'deadline']);
    res = await act(op1, c.documentId, 'submit_measure', { mode: 'policy_limited', text: '受政策限制暂无法解决', responsiblePerson: '王科长', policyRef: '县财政专项资金管理办法第十二条' });
    expect(res.status).toBe(200);
    await act(lead1, c.documentId, 'approve_measure');
    const r = await row(c.id);
    expect([r.state, r.mode, r.deadline, r.warning_level]).toEqual(['rectifying', 'policy_limited', null, 'none']);
  });

  it('a phased measure needs milestones, and a deadline in the past is refused', async () => {
    const c = await w.complaint();
    const { county, op1 } = w.users;
    await act(county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    await act(county, c.documentId, 'assign');
    await act(op1, c.documentId, 'accept', { nature: 'individual' });
    let res = await act(op1, c.documentId, 'submit_measure', { ...MEASURE, mode: 'phased', deadline: addDaysFromToday(90) });
    expect([res.status, res.body.error.details.field]).toEqual([400, 'milestones']);
    res = await act(op1, c.documentId, 'submit_measure', { ...MEASURE, deadline: addDaysFromToday(-1) });
    expect([res.status, res.body.error.details.field]).toEqual([400, 'deadline']);
    res = await act(op1, c.documentId, 'submit_measure', {
      ...MEASURE, mode: 'phased', deadline: addDaysFromToday(90), milestones: [{ title: '摸底排查', due: addDaysFromToday(30) }, { title: '集中整改', due: addDaysFromToday(90) }],
    });
    expect(res.status).toBe(200);
    const m = await app.strapi.db.query('plugin::complaints.measure').findOne({ where: { complaintId: c.id } });
    expect(m.milestones).toEqual([{ title: '摸底排查', due: addDaysFromToday(30) }, { title: '集中整改', due: addDaysFromToday(90) }]);
  });
});

describe('screening and classification', () => {
  it('screens out with a reason, needs a note for "other", needs an existing original for "duplicate", and reinstates', async () => {
    const original = await w.complaint();
    const c = await w.complaint();
    const { county } = w.users;
    let res = await act(county, c.documentId, 'screen_invalid', {});
    expect([res.status, res.body.error.details.field]).toEqual([400, 'reason']);
    res = await act(county, c.documentId, 'screen_invalid', { reason: 'other' });
    expect([res.status, res.body.error.details.field]).toEqual([400, 'note']);
    res = await act(county, c.documentId, 'screen_invalid', { reason: 'duplicate', duplicateOf: 'NO-SUCH-1' });
    expect([res.status, res.body.error.details.field]).toEqual([400, 'duplicateOf']);
    res = await act(county, c.documentId, 'screen_invalid', { reason: 'duplicate', duplicateOf: original.ledgerNo });
    expect([res.status, res.body.data.to]).toEqual([200, 'invalid']);
    let r = await row(c.id);
    expect([r.invalid_reason, r.duplicate_of]).toEqual(['duplicate', original.ledgerNo]);
    res = await act(county, c.documentId, 'reinstate', { note: '经核实不是重复诉求' });
    expect([res.status, res.body.data.to]).toEqual([200, 'received']);
    r = await row(c.id);
    expect([r.invalid_reason, r.duplicate_of]).toEqual([null, null]);
  });

  it('takes the lead unit from the major when a minor names none, and refuses a major category', async () => {
    const c = await w.complaint();
    let res = await act(w.users.county, c.documentId, 'classify', { categoryCode: '01', level: 'county', responsibleUnitId: w.units.t1.id });
    expect([res.status, res.body.error.details.field]).toEqual([400, 'categoryCode']);
    res = await act(w.users.county, c.documentId, 'classify', { categoryCode: '0102', level: 'county', responsibleUnitId: w.units.t1.id });
    expect(res.status).toBe(200);
    expect(Number((await row(c.id)).lead_unit_id)).toBe(w.units.l1.id);
    res = await act(w.users.county, c.documentId, 'assign');
    expect(day((await row(c.id)).response_deadline)).toBe(addDaysFromToday(5));
  });

  it('routes by the routing table (minor category × town) and assigns a selection in one request', async () => {
    const rule = await w.users.county
      .post('/content-manager/collection-types/plugin::complaints.routing-rule')
      .send({ categoryCode: '0201', town: '东坝镇', unit: { connect: [{ documentId: w.units.t2.documentId }] } });
    expect(rule.status).toBe(201);
    const a = await w.complaint({ town: '东坝镇' });
    const b = await w.complaint({ town: '东坝镇' });
    const elsewhere = await w.complaint({ town: '城关镇' });

    // No rule for 城关镇 and no unit given: the whole batch is refused, naming the complaint.
    let res = await w.users.county.post('/complaints/transitions').send({ action: 'classify', documentIds: [a.documentId, elsewhere.documentId], categoryCode: '0201', level: 'township' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(elsewhere.ledgerNo);
    expect((await row(a.id)).state).toBe('received');

    res = await w.users.county.post('/complaints/transitions').send({ action: 'classify', documentIds: [a.documentId, b.documentId], categoryCode: '0201', level: 'township' });
    expect([res.status, res.body.meta.count]).toEqual([200, 2]);
    for (const c of [a, b]) expect([Number((await row(c.id)).responsible_unit_id), Number((await row(c.id)).lead_unit_id)]).toEqual([w.units.t2.id, w.units.l2.id]);
    res = await w.users.county.post('/complaints/transitions').send({ action: 'assign', documentIds: [a.documentId, b.documentId] });
    expect(res.body.data.map((x: any) => x.to)).toEqual(['assigned', 'assigned']);
    expect(day((await row(a.id)).response_deadline)).toBe(addDaysFromToday(2));
  });

  it('refuses a responsible unit that is not a unit id with a 400, and classifies with a real one', async () => {
    const c = await w.complaint();
    for (const bad of ['abc', -3, 1.5]) {
      const res = await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: bad });
      expect([res.status, res.body.error.message]).toEqual([400, '责任单位（responsibleUnitId）须为单位编号 / responsibleUnitId must be a unit id']);
    }
    expect((await row(c.id)).state).toBe('received');
    const ok = await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    expect([ok.status, ok.body.data.to]).toEqual([200, 'classified']);
  });

  it('names an unknown action and a missing action', async () => {
    const c = await w.complaint();
    let res = await act(w.users.county, c.documentId, 'delete');
    expect([res.status, res.body.error.details.code]).toEqual([400, 'unknown_action']);
    res = await w.users.county.post(`/complaints/complaints/${c.documentId}/transitions`).send({});
    expect([res.status, res.body.error.details.code]).toEqual([400, 'missing_input']);
    // Positive control: the same complaint takes a known action.
    res = await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    expect([res.status, res.body.data.to]).toEqual([200, 'classified']);
  });
});

describe('the workflow panel', () => {
  it('shows exactly the transitions this user may make now, with phones masked for roles that do not need them', async () => {
    const c = await w.complaint({ phone: '19900005678' });
    await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    await act(w.users.county, c.documentId, 'assign');
    const opView = await w.users.op1.get(`/complaints/complaints/${c.documentId}/workflow`);
    expect(opView.status).toBe(200);
    expect(opView.body.data.available).toEqual(['send_back', 'accept']);
    expect(opView.body.data.complaint.phone).toBe('19900005678');
    const leadView = await w.users.lead1.get(`/complaints/complaints/${c.documentId}/workflow`);
    expect(leadView.body.data.available).toEqual([]);
    expect(leadView.body.data.complaint.phone).toBe('199****5678');
    expect(leadView.body.data.complaint.complainantName).toBe('测某');
    const countyView = await w.users.county.get(`/complaints/complaints/${c.documentId}/workflow`);
    expect(countyView.body.data.available).toEqual([]);
    const headView = await w.users.head1.get(`/complaints/complaints/${c.documentId}/workflow`);
    expect([headView.body.data.available, headView.body.data.complaint.phone]).toEqual([[], '199****5678']);
  });
});
