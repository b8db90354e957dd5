/**
 * The operator's SMS screens through their admin routes: the outbox list (filters, paging,
 * phones masked per role, no live survey token), the decisions on `failed` and `uncertain`
 * messages with their history events, the opt-out list (a staff opt-out stops the survey SMS
 * of a later closure, opting back in restores it), and the phone return visits (listed in the
 * caller's scope, recorded once). Every refusal has its positive control.
 */
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { AdminSession } from '../helpers/admin';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
const sms = () => app.strapi.plugin('complaints').service('sms');
const surveys = () => app.strapi.plugin('complaints').service('surveys');
const messageRow = (id: number) => knex()('sms_messages').where('id', id).first();
const eventsOf = async (complaintId: number) =>
  ((await knex()('complaint_events').where('complaint_id', complaintId).orderBy('seq').select('type', 'data', 'actor_name', 'actor_kind')) as any[]).map((e) => ({
    type: e.type,
    actor: e.actor_name,
    data: typeof e.data === 'string' ? JSON.parse(e.data) : e.data,
  }));
const lastEvent = async (complaintId: number) => (await eventsOf(complaintId)).pop();
const TOKEN = 'Zx9Qm2Lp7Rt4Vw1Ny8Bc3Df6Gh0Jk5S';

let seq = 0;
/** A complaint of t1 with one outbound message in `status` (the status is the fixture here). */
const message = async (status: string, opts: { phone?: string; template?: string; createdAt?: Date } = {}) => {
  seq += 1;
  const phone = opts.phone ?? `1370000${String(seq).padStart(4, '0')}`;
  const c = await w.complaint({ phone });
  const key = `admin-test-${seq}`;
  await sms().queue([{ complaintId: c.id, phone, template: opts.template ?? 'closed_survey', body: `【民意服务站】您的诉求${c.ledgerNo}已办结，请评价：http://localhost:1337/survey/${TOKEN}`, idempotencyKey: key }]);
  const m = await knex()('sms_messages').where('idempotency_key', key).first('id');
  await knex()('sms_messages').where('id', m.id).update({ status, last_error: status === 'failed' ? `permanent: The 'To' number +86${phone} is not reachable` : null, ...(opts.createdAt ? { created_at: opts.createdAt } : {}) });
  return { id: Number(m.id), phone, complaint: c };
};

const ok = async (p: PromiseLike<{ status: number; body: any }>, status = 200) => {
  const res = await p;
  expect([res.status, res.body?.error]).toEqual([status, undefined]);
  return res;
};

/** A t1 complaint (category 0101) closed through the whole workflow, its last signature by the county leader. */
const closeThroughWorkflow = async (phone: string) => {
  const c = await w.complaint({ phone });
  await ok(act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id }));
  await ok(act(w.users.county, c.documentId, 'assign'));
  await ok(act(w.users.op1, c.documentId, 'accept', { nature: 'individual' }));
  await ok(act(w.users.op1, c.documentId, 'submit_measure', { mode: 'deadline', text: '维修破损路面并设置警示标志', responsiblePerson: '孙站长', deadline: addDaysFromToday(30) }));
  await ok(act(w.users.lead1, c.documentId, 'approve_measure'));
  await ok(w.users.op1.post(`/complaints/complaints/${c.documentId}/evidence`).field('aspect', 'facility').field('text', '路面已修复'), 201);
  await ok(act(w.users.op1, c.documentId, 'complete'));
  for (const s of [w.users.head1, w.users.lead1, w.users.leader]) await ok(act(s, c.documentId, 'sign'));
  expect((await knex()('complaints').where('id', c.id).first('state')).state).toBe('closed');
  return c;
};

/** A t1 complaint, classified and assigned through the routes, then closed with its survey opened (the close is the fixture). */
const closedWithSurvey = async (phone: string, unit: 't1' | 't2' = 't1') => {
  const c = await w.complaint({ phone, town: unit === 't1' ? '城关镇' : '东坝镇' });
  await ok(act(w.users.county, c.documentId, 'classify', { categoryCode: unit === 't1' ? '0101' : '0201', level: 'township', responsibleUnitId: w.units[unit].id }));
  await ok(act(w.users.county, c.documentId, 'assign'));
  await knex()('complaints').where('id', c.id).update({ state: 'closed', closed_at: new Date() });
  const [s] = await surveys().openFor([c.id]);
  return { ...c, surveyId: s.surveyId as number, way: s.way as string };
};

describe('the outbox list', () => {
  let failed: Awaited<ReturnType<typeof message>>;
  let uncertain: Awaited<ReturnType<typeof message>>;
  beforeAll(async () => {
    failed = await message('failed', { template: 'accepted_notice', createdAt: new Date('2026-11-10T04:00:00Z') });
    uncertain = await message('uncertain', { createdAt: new Date('2026-11-20T04:00:00Z') });
    await message('sent', { createdAt: new Date('2026-11-20T15:30:00Z') }); // 2026-11-20 23:30 in Beijing
    await message('delivered', { createdAt: new Date('2026-11-20T16:30:00Z') }); // 2026-11-21 00:30 in Beijing
  });

  it('shows the county office full phones, the body without the survey token, the provider error without the number, and the decisions', async () => {
    const res = await ok(w.users.county.get(`/complaints/sms/messages?ledgerNo=${encodeURIComponent(failed.complaint.ledgerNo)}`));
    expect(res.body.meta).toMatchObject({ page: 1, pageSize: 20, total: 1 });
    expect(res.body.data).toEqual([
      {
        id: failed.id,
        ledgerNo: failed.complaint.ledgerNo,
        complaintDocumentId: failed.complaint.documentId,
        phone: failed.phone,
        template: 'accepted_notice',
        body: `【民意服务站】您的诉求${failed.complaint.ledgerNo}已办结，请评价：http://localhost:1337/survey/[token]`,
        status: 'failed',
        attempts: 0,
        lastError: "permanent: The 'To' number [phone] is not reachable",
        provider: 'console',
        createdAt: '2026-11-10T04:00:00.000Z',
        nextAttemptAt: expect.any(String),
        sentAt: null,
        decisions: ['resend', 'cancel'],
      },
    ]);
    expect(JSON.stringify(res.body)).not.toContain(TOKEN);
  });

  it('shows the county leader masked phones and no decisions; a unit role is refused (the county office is the control)', async () => {
    const res = await ok(w.users.leader.get(`/complaints/sms/messages?ledgerNo=${encodeURIComponent(uncertain.complaint.ledgerNo)}`));
    expect(res.body.data.map((m: any) => [m.phone, m.status, m.decisions])).toEqual([[`${uncertain.phone.slice(0, 3)}****${uncertain.phone.slice(7)}`, 'uncertain', []]]);
    expect(JSON.stringify(res.body)).not.toContain(uncertain.phone);
    for (const s of [w.users.op1, w.users.head1, w.users.lead1]) {
      const r = await s.get('/complaints/sms/messages');
      expect([r.status, r.body.error?.details?.code ?? r.body.error?.name]).toEqual([403, 'PolicyError']);
    }
    await ok(w.users.county.get('/complaints/sms/messages'));
  });

  it('filters by status, type and county days, and pages', async () => {
    const ids = async (qs: string) => (await ok(w.users.county.get(`/complaints/sms/messages?${qs}`))).body.data.map((m: any) => m.id);
    // 2026-11-20 in Beijing holds the uncertain message and the one sent at 23:30; 00:30 is the next day.
    const day = await ids('from=2026-11-20&to=2026-11-20');
    expect(day).toHaveLength(2);
    expect(day[1]).toBe(uncertain.id);
    expect((await ids('from=2026-11-21&to=2026-11-21')).length).toBe(1);
    expect(await ids('from=2026-11-01&to=2026-11-30&status=failed,uncertain')).toEqual([uncertain.id, failed.id]);
    expect(await ids('from=2026-11-01&to=2026-11-30&template=accepted_notice')).toEqual([failed.id]);
    expect(await ids('from=2026-11-01&to=2026-11-30&pageSize=3&page=2')).toEqual([failed.id]);
    const counts = (await ok(w.users.county.get('/complaints/sms/messages?pageSize=1'))).body.meta.statusCounts;
    expect([counts.failed >= 1, counts.uncertain >= 1]).toEqual([true, true]);
    const bad = await w.users.county.get('/complaints/sms/messages?status=lost');
    expect([bad.status, bad.body.error.details.code]).toEqual([400, 'invalid_input']);
    const inverted = await w.users.county.get('/complaints/sms/messages?from=2026-11-21&to=2026-11-20');
    expect([inverted.status, inverted.body.error.details.code]).toEqual([400, 'inverted_range']);
  });
});

describe('decisions on failed and uncertain messages', () => {
  const decide = (s: AdminSession, id: number, decision: string, reason = '已电话联系群众核实') => s.post(`/complaints/sms/messages/${id}/decision`).send({ decision, reason });

  it('retries a failed message: queued again, sent by the next pump, the decision in the history without the phone', async () => {
    const m = await message('failed');
    const res = await ok(decide(w.users.county, m.id, 'resend', '号码已恢复服务，重新发送'));
    expect(res.body.data).toEqual({ id: m.id, from: 'failed', status: 'queued', decision: 'resend' });
    expect((await messageRow(m.id)).status).toBe('queued');
    expect(await lastEvent(m.complaint.id)).toEqual({ type: 'sms_resolved', actor: '整治办 测试', data: { messageId: m.id, template: 'closed_survey', from: 'failed', decision: 'resend', reason: '号码已恢复服务，重新发送' } });
    await sms().pump({ now: new Date(Date.now() + 86_400_000) });
    expect((await messageRow(m.id)).status).toBe('sent');
    expect(JSON.stringify(await eventsOf(m.complaint.id))).not.toContain(m.phone);
  });

  it('a failed message is never marked sent; a decided message takes no second decision', async () => {
    const m = await message('failed');
    const r = await decide(w.users.county, m.id, 'mark_sent');
    expect([r.status, r.body.error.details.code, r.body.error.details.allowed]).toEqual([409, 'decision_not_allowed', ['resend', 'cancel']]);
    expect((await messageRow(m.id)).status).toBe('failed');
    await ok(decide(w.users.county, m.id, 'cancel', '群众已到窗口办理，不再发送'));
    const again = await decide(w.users.county, m.id, 'resend');
    expect([again.status, again.body.error.details.code]).toEqual([409, 'decision_not_allowed']);
    expect((await messageRow(m.id)).status).toBe('suppressed');
  });

  it.each([
    ['mark_sent', 'sent'],
    ['resend', 'queued'],
    ['cancel', 'suppressed'],
  ])('an uncertain message, %s → %s, recorded with who and why', async (decision, status) => {
    const m = await message('uncertain');
    const before = (await eventsOf(m.complaint.id)).length;
    const res = await ok(decide(w.users.county, m.id, decision, '已在服务商后台核对'));
    expect(res.body.data).toEqual({ id: m.id, from: 'uncertain', status, decision });
    expect((await messageRow(m.id)).status).toBe(status);
    const events = await eventsOf(m.complaint.id);
    expect(events.length).toBe(before + 1);
    expect(events[events.length - 1]).toEqual({ type: 'sms_resolved', actor: '整治办 测试', data: { messageId: m.id, template: 'closed_survey', from: 'uncertain', decision, reason: '已在服务商后台核对' } });
    const verdict = (await ok(w.users.county.get(`/complaints/complaints/${m.complaint.documentId}/history`))).body.data.verdict;
    expect(verdict.ok).toBe(true);
  });

  it('refuses a missing reason, a reason holding a phone, an unknown message, and the county leader; nothing changes', async () => {
    const m = await message('uncertain');
    const events = (await eventsOf(m.complaint.id)).length;
    const cases: Array<[AdminSession, string, Record<string, unknown>, number, string]> = [
      [w.users.county, `/complaints/sms/messages/${m.id}/decision`, { decision: 'resend' }, 400, 'missing_reason'],
      [w.users.county, `/complaints/sms/messages/${m.id}/decision`, { decision: 'resend', reason: '群众来电13912345678要求重发' }, 400, 'reason_personal_data'],
      [w.users.county, `/complaints/sms/messages/${m.id}/decision`, { decision: 'forget', reason: '已核实' }, 400, 'invalid_decision'],
      [w.users.county, '/complaints/sms/messages/2147483000/decision', { decision: 'resend', reason: '已核实' }, 404, 'not_found'],
      [w.users.leader, `/complaints/sms/messages/${m.id}/decision`, { decision: 'resend', reason: '已核实' }, 403, 'forbidden'],
      [w.users.op1, `/complaints/sms/messages/${m.id}/decision`, { decision: 'resend', reason: '已核实' }, 403, 'forbidden'],
    ];
    for (const [s, url, body, status, code] of cases) {
      const r = await s.post(url).send(body);
      expect([r.status, status === 403 ? 'forbidden' : r.body.error?.details?.code]).toEqual([status, code]);
    }
    expect([(await messageRow(m.id)).status, (await eventsOf(m.complaint.id)).length]).toEqual(['uncertain', events]);
    await ok(decide(w.users.admin, m.id, 'mark_sent'));
    expect((await messageRow(m.id)).status).toBe('sent');
  });
});

describe('the opt-out list', () => {
  const PHONE = '13655550001';

  it('a staff opt-out stops the survey SMS of a later closure; opting back in restores it', async () => {
    // A message already queued for the number is suppressed with the opt-out.
    const queued = await message('queued', { phone: PHONE });
    const added = await ok(w.users.county.post('/complaints/sms/opt-outs').send({ phone: '136 5555 0001', reason: '群众来电要求不再接收短信' }), 201);
    expect(added.body.data.suppressed).toBe(1);
    expect(await messageRow(queued.id)).toMatchObject({ status: 'suppressed', last_error: 'opted_out' });
    expect(await lastEvent(queued.complaint.id)).toEqual({ type: 'sms_opted_out', actor: '整治办 测试', data: { source: 'staff', reason: '群众来电要求不再接收短信' } });

    const again = await w.users.county.post('/complaints/sms/opt-outs').send({ phone: PHONE, reason: '重复登记' });
    expect([again.status, again.body.error.details.code]).toEqual([409, 'already_opted_out']);

    const list = await ok(w.users.county.get(`/complaints/sms/opt-outs?phone=${PHONE}`));
    expect(list.body).toEqual({ data: [{ phone: PHONE, optedOutAt: expect.any(String), source: 'staff', actorName: '整治办 测试', reason: '群众来电要求不再接收短信' }], meta: { page: 1, pageSize: 20, total: 1 } });

    const quiet = await closeThroughWorkflow(PHONE);
    const survey = await knex()('surveys').where('complaint_id', quiet.id).first('id', 'way', 'status');
    expect([survey.way, survey.status]).toEqual(['phone_visit', 'open']);
    expect(Number((await knex()('sms_messages').where({ complaint_id: quiet.id, direction: 'outbound' }).whereNot('status', 'suppressed').count({ n: '*' }).first())?.n)).toBe(0);
    const visits = await ok(w.users.county.get(`/complaints/return-visits?ledgerNo=${encodeURIComponent(quiet.ledgerNo)}`));
    expect(visits.body.data.map((v: any) => [v.ledgerNo, v.phone, v.why])).toEqual([[quiet.ledgerNo, PHONE, 'opted_out']]);

    await ok(w.users.county.post('/complaints/sms/opt-outs/remove').send({ phone: PHONE, reason: '群众来电要求恢复接收短信' }));
    expect((await ok(w.users.county.get(`/complaints/sms/opt-outs?phone=${PHONE}`))).body.meta.total).toBe(0);
    const gone = await w.users.county.post('/complaints/sms/opt-outs/remove').send({ phone: PHONE, reason: '再次恢复' });
    expect([gone.status, gone.body.error.details.code]).toEqual([404, 'not_opted_out']);

    const asked = await closeThroughWorkflow(PHONE);
    const s2 = await knex()('surveys').where('complaint_id', asked.id).first('id', 'way');
    expect(s2.way).toBe('link');
    expect((await knex()('sms_messages').where('idempotency_key', `survey:${s2.id}`).first('status', 'phone')).status).toBe('queued');
    expect(await lastEvent(asked.id)).toMatchObject({ type: 'survey_opened' });
    // The opt-in is recorded on the complaint followed up on that number (its open phone-visit
    // survey), which the new closure's survey then supersedes: one phone, one open survey.
    expect((await eventsOf(quiet.id)).map((e) => e.type).slice(-3)).toEqual(['survey_opened', 'sms_opted_in', 'survey_superseded']);
  });

  it('shows the county leader masked phones and refuses it a search by phone and any change; the county office is the control', async () => {
    await ok(w.users.county.post('/complaints/sms/opt-outs').send({ phone: '13655550002', reason: '群众到窗口要求退订' }), 201);
    const list = await ok(w.users.leader.get('/complaints/sms/opt-outs?pageSize=100'));
    expect(list.body.data.map((r: any) => r.phone)).toContain('136****0002');
    expect(JSON.stringify(list.body)).not.toContain('13655550002');
    const search = await w.users.leader.get('/complaints/sms/opt-outs?phone=13655550002');
    expect([search.status, search.body.error.details.code]).toEqual([400, 'hidden_field_query']);
    const before = await knex()('sms_opt_outs').count({ n: '*' }).first();
    for (const s of [w.users.leader, w.users.op1]) {
      expect((await s.post('/complaints/sms/opt-outs').send({ phone: '13655550003', reason: '群众来电要求退订' })).status).toBe(403);
      expect((await s.post('/complaints/sms/opt-outs/remove').send({ phone: '13655550002', reason: '群众来电要求恢复' })).status).toBe(403);
    }
    expect((await w.users.op1.get('/complaints/sms/opt-outs')).status).toBe(403);
    expect(await knex()('sms_opt_outs').count({ n: '*' }).first()).toEqual(before);
    const bad = await w.users.county.post('/complaints/sms/opt-outs').send({ phone: '0571-88001234', reason: '座机退订' });
    expect([bad.status, bad.body.error.details.code, bad.body.error.message.includes('88001234')]).toEqual([400, 'invalid_phone', false]);
    await ok(w.users.county.post('/complaints/sms/opt-outs').send({ phone: '13655550003', reason: '群众来电要求退订' }), 201);
  });
});

describe('phone return visits', () => {
  it('lists a landline closure to its own unit and the county, records one answer, refuses a second', async () => {
    const c = await closedWithSurvey('0571-88001234');
    expect(c.way).toBe('phone_visit');
    const other = await closedWithSurvey('0571-88005678', 't2');
    const row = (body: any) => body.data.find((v: any) => v.documentId === c.documentId);
    const mine = await ok(w.users.op1.get('/complaints/return-visits?pageSize=100'));
    expect(row(mine.body)).toEqual({
      surveyId: c.surveyId, documentId: c.documentId, ledgerNo: c.ledgerNo, phone: '057188001234', why: 'landline', round: 1,
      unitName: '城关镇人民政府', categoryName: '老旧小区改造', closedAt: expect.any(String), openedAt: expect.any(String),
    });
    expect(mine.body.data.some((v: any) => v.documentId === other.documentId)).toBe(false);
    expect(row((await ok(w.users.op2.get('/complaints/return-visits?pageSize=100'))).body)).toBeUndefined();
    expect((await ok(w.users.orphanOp.get('/complaints/return-visits'))).body).toEqual({ data: [], meta: { page: 1, pageSize: 20, total: 0 } });
    expect(row((await ok(w.users.county.get('/complaints/return-visits?pageSize=100'))).body)?.phone).toBe('057188001234');
    for (const s of [w.users.head1, w.users.lead1, w.users.leader]) expect((await s.get('/complaints/return-visits')).status).toBe(403);

    // Another unit's operator, the unit head: refused, nothing recorded.
    const unknown = await w.users.op2.post('/complaints/complaints/nosuchdocumentid0000000/return-visit').send({ answer: 'satisfied' });
    const foreign = await w.users.op2.post(`/complaints/complaints/${c.documentId}/return-visit`).send({ answer: 'satisfied' });
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(unknown.text);
    expect((await w.users.head1.post(`/complaints/complaints/${c.documentId}/return-visit`).send({ answer: 'satisfied' })).status).toBe(403);
    const invalid = await w.users.op1.post(`/complaints/complaints/${c.documentId}/return-visit`).send({ answer: '满意' });
    expect([invalid.status, invalid.body.error.details.code]).toEqual([400, 'invalid_answer']);
    expect((await knex()('surveys').where('id', c.surveyId).first('status')).status).toBe('open');

    const res = await ok(w.users.op1.post(`/complaints/complaints/${c.documentId}/return-visit`).send({ answer: 'basically_satisfied', comment: '路面已修好，希望加快进度' }), 201);
    expect(res.body.data).toEqual({ documentId: c.documentId, ledgerNo: c.ledgerNo, surveyId: c.surveyId, answer: 'basically_satisfied', via: 'phone_visit' });
    expect(await knex()('surveys').where('id', c.surveyId).first('status', 'answer', 'answered_via', 'comment')).toEqual({ status: 'answered', answer: 'basically_satisfied', answered_via: 'phone_visit', comment: '路面已修好，希望加快进度' });
    expect(await lastEvent(c.id)).toEqual({ type: 'survey_answered', actor: '城关操作 测试', data: { surveyId: c.surveyId, round: 1, answer: 'basically_satisfied', via: 'phone_visit' } });

    const second = await w.users.county.post(`/complaints/complaints/${c.documentId}/return-visit`).send({ answer: 'dissatisfied' });
    expect([second.status, second.body.error.details.code]).toEqual([409, 'already_answered']);
    expect((await knex()('surveys').where('id', c.surveyId).first('answer')).answer).toBe('basically_satisfied');
    expect(row((await ok(w.users.op1.get('/complaints/return-visits?pageSize=100'))).body)).toBeUndefined();
    expect(JSON.stringify(await eventsOf(c.id))).not.toMatch(/88001234|0571/);
  });

  it('a dissatisfied phone answer asks the lead unit for a reopen; a link survey is not on the list and takes no phone answer', async () => {
    const c = await closedWithSurvey('0571-88009999');
    await ok(w.users.county.post(`/complaints/complaints/${c.documentId}/return-visit`).send({ answer: 'dissatisfied', comment: '问题仍未解决' }), 201);
    expect((await eventsOf(c.id)).map((e) => e.type).slice(-2)).toEqual(['survey_answered', 'reopen_requested']);
    expect((await knex()('surveys').where('id', c.surveyId).first('reopen_request')).reopen_request).toBe('pending');

    const link = await closedWithSurvey('13655559999');
    expect(link.way).toBe('link');
    expect((await ok(w.users.county.get(`/complaints/return-visits?ledgerNo=${encodeURIComponent(link.ledgerNo)}`))).body.meta.total).toBe(0);
    const r = await w.users.county.post(`/complaints/complaints/${link.documentId}/return-visit`).send({ answer: 'satisfied' });
    expect([r.status, r.body.error.details.code]).toEqual([409, 'no_return_visit']);
    expect((await knex()('surveys').where('id', link.surveyId).first('status')).status).toBe('open');
  });
});
