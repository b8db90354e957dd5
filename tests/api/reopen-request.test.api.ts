/**
 * The Guangzhou rule through the real workflow and the public survey page: a dissatisfied
 * answer opens a reopen request for the complaint's lead unit; the lead unit confirms it (the
 * complaint is reopened with a new deadline) or rejects it with a reason, once; after the
 * complaint is handled again and closes, a new survey goes out, and the satisfaction rate counts
 * the latest answer. Expected values are literals computed by hand.
 */
import supertest from 'supertest';
import { pngFile } from '../helpers/files';
import { csrfOf } from '../helpers/public-routes';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { AdminSession } from '../helpers/admin';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

type Ref = { id: number; documentId: string; ledgerNo: string };
const knex = () => app.strapi.db.connection;
const row = async (id: number) => knex()('complaints').where('id', id).first();
const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : v === null ? null : String(v).slice(0, 10));
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const events = async (id: number) =>
  ((await knex()('complaint_events').where('complaint_id', id).orderBy('seq').select('type', 'from_state', 'to_state', 'actor_kind', 'actor_name', 'data')) as any[]).map((e) => ({ ...e, data: json(e.data) }));
const surveysOf = (id: number) => knex()('surveys').where('complaint_id', id).orderBy('round').select('id', 'round', 'status', 'answer', 'answered_via', 'comment', 'reopen_request');
const ok = async (p: PromiseLike<{ status: number; body: any }>, status = 200) => {
  const res = await p;
  expect([res.status, res.body?.error]).toEqual([status, undefined]);
  return res;
};
const evidence = (s: AdminSession, documentId: string) =>
  s.post(`/complaints/complaints/${documentId}/evidence`).field('aspect', 'facility').field('text', '整改后现场照片').attach('files', pngFile('after'), { filename: 'after.png', contentType: 'image/png' });
const signAll = async (c: Ref) => {
  for (const s of [w.users.head1, w.users.lead1, w.users.leader]) await ok(act(s, c.documentId, 'sign'));
};
/** What a refused call must leave as it was: the complaint row, its events, its surveys. */
const snapshot = async (c: Ref) => {
  const r = await row(c.id);
  return {
    complaint: [r.state, Number(r.chain_seq), String(r.updated_at), Number(r.reopen_count), day(r.deadline)],
    events: (await events(c.id)).length,
    surveys: await surveysOf(c.id),
    sms: Number((await knex()('sms_messages').count({ n: '*' }))[0].n),
  };
};

/** A t1 complaint (category 0101, lead unit l1) driven to closed by each step's own role; the survey goes out on the last signature. */
const closedComplaint = async (phone: string): Promise<Ref> => {
  const c = await w.complaint({ town: '城关镇', phone });
  await ok(act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id }));
  await ok(act(w.users.county, c.documentId, 'assign'));
  await ok(act(w.users.op1, c.documentId, 'accept', { nature: 'individual' }));
  await ok(act(w.users.op1, c.documentId, 'submit_measure', { mode: 'deadline', text: '维修楼道照明并更换灯具', responsiblePerson: '孙站长', deadline: addDaysFromToday(30) }));
  await ok(act(w.users.lead1, c.documentId, 'approve_measure'));
  await ok(evidence(w.users.op1, c.documentId), 201);
  await ok(act(w.users.op1, c.documentId, 'complete'));
  await signAll(c);
  expect((await row(c.id)).state).toBe('closed');
  return c;
};

/** The survey link the citizen was sent for this survey (the closed notice in the outbox). */
const linkOf = async (surveyId: number): Promise<string> => {
  const m = await knex()('sms_messages').where('idempotency_key', `survey:${surveyId}`).first('template', 'status', 'body');
  expect([m.template, m.status]).toEqual(['closed_survey', 'queued']);
  const token = /\/survey\/([A-Za-z0-9_-]+)/.exec(m.body)?.[1];
  expect(token).toBeTruthy();
  return token!;
};
/** Answers through the public page, as the citizen's browser does. */
const answer = async (token: string, value: string, comment?: string) => {
  const b = supertest.agent(app.strapi.server.httpServer);
  const page = await b.get(`/survey/${token}`);
  expect(page.status).toBe(200);
  const res = await b.post(`/survey/${token}`).type('form').send({ csrf: csrfOf(page.text), answer: value, ...(comment ? { comment } : {}) });
  expect(res.status).toBe(200);
};
const panel = async (s: AdminSession, c: Ref) => (await ok(s.get(`/complaints/complaints/${c.documentId}/workflow`))).body.data;

const FORBIDDEN_ROLE = '您的角色没有此操作的权限 / Your role does not have this permission';
const NOT_VISIBLE = '诉求不存在或无权查看 / Not found, or not visible to you';
const rate = (numerator: number, denominator: number, satisfied: number, basicallySatisfied: number, dissatisfied: number) => ({
  numerator, denominator, rate: numerator / denominator, satisfied, basicallySatisfied, dissatisfied,
});

describe('a reopen request confirmed by the lead unit', () => {
  it('dissatisfied → request → wrong roles refused → confirmed → handled again → closed → new survey → satisfied → the rate counts the satisfied answer', async () => {
    const c = await closedComplaint('13922220001');
    const [first] = await surveysOf(c.id);
    expect([first.round, first.status, first.reopen_request]).toEqual([1, 'open', null]);
    await answer(await linkOf(first.id), 'dissatisfied', '楼道灯修好两天又坏了');
    expect(await surveysOf(c.id)).toEqual([{ id: first.id, round: 1, status: 'answered', answer: 'dissatisfied', answered_via: 'link', comment: '楼道灯修好两天又坏了', reopen_request: 'pending' }]);

    // The answer shows on the history panel: answered by the citizen, then the request.
    const history = (await ok(w.users.lead1.get(`/complaints/complaints/${c.documentId}/history`))).body.data;
    expect(history.verdict.ok).toBe(true);
    expect(history.events.slice(-2).map((e: any) => [e.type, e.actorKind, e.data])).toEqual([
      ['survey_answered', 'citizen', { surveyId: first.id, round: 1, answer: 'dissatisfied', via: 'link' }],
      ['reopen_requested', 'citizen', { surveyId: first.id, round: 1 }],
    ]);

    // The lead unit's panel shows the request with the answer and the comment, and the two decisions.
    const view = await panel(w.users.lead1, c);
    expect(view.reopenRequest).toEqual({ state: 'pending', round: 1, answer: 'dissatisfied', answeredVia: 'link', answeredAt: expect.any(String), comment: '楼道灯修好两天又坏了' });
    expect(view.available).toEqual(['reopen', 'confirm_reopen', 'reject_reopen']);
    // The county office sees the request but does not decide it.
    expect((await panel(w.users.county, c)).available).toEqual(['reopen']);

    // Wrong roles: each refused, nothing changed.
    const deadline = addDaysFromToday(20);
    const before = await snapshot(c);
    const refusals: Array<[string, AdminSession, number, string]> = [
      ['county office (no such permission)', w.users.county, 403, FORBIDDEN_ROLE],
      ['unit operator', w.users.op1, 403, FORBIDDEN_ROLE],
      ['unit head', w.users.head1, 403, FORBIDDEN_ROLE],
      ['another lead unit (not its complaint)', w.users.lead2, 404, NOT_VISIBLE],
    ];
    for (const [who, s, status, message] of refusals) {
      const res = await act(s, c.documentId, 'confirm_reopen', { deadline });
      expect([who, res.status, res.body.error?.message]).toEqual([who, status, message]);
    }
    expect(await snapshot(c)).toEqual(before);

    // Positive control: the lead unit of the category confirms; the complaint is reopened with the new deadline.
    const res = await act(w.users.lead1, c.documentId, 'confirm_reopen', { deadline, comment: '责成重新整改' });
    expect([res.status, res.body.data]).toEqual([200, { documentId: c.documentId, ledgerNo: c.ledgerNo, from: 'closed', to: 'rectifying' }]);
    const r = await row(c.id);
    expect([r.state, Number(r.reopen_count), day(r.deadline), r.warning_level, r.closed_at, r.completed_at, r.sign_step]).toEqual(['rectifying', 1, deadline, 'none', null, null, null]);
    expect((await surveysOf(c.id)).map((s: any) => s.reopen_request)).toEqual(['confirmed']);
    const last = (await events(c.id)).pop()!;
    expect([last.type, last.from_state, last.to_state, last.actor_kind, last.actor_name, last.data]).toEqual([
      'confirm_reopen', 'closed', 'rectifying', 'admin', '住建 测试', { surveyId: first.id, round: 1, deadline, reopenCount: 1, comment: '责成重新整改' },
    ]);

    // A second decision on the same request: 409, nothing changes.
    const decided = await snapshot(c);
    for (const [action, inputs] of [['confirm_reopen', { deadline }], ['reject_reopen', { reason: '已整改到位' }]] as const) {
      const again = await act(w.users.lead1, c.documentId, action, inputs);
      expect([action, again.status, again.body.error?.details?.code]).toEqual([action, 409, 'reopen_request_decided']);
    }
    expect(await snapshot(c)).toEqual(decided);

    // Handled again through the real workflow: evidence, complete, three signatures.
    await ok(evidence(w.users.op1, c.documentId), 201);
    await ok(act(w.users.op1, c.documentId, 'complete'));
    await signAll(c);
    expect((await row(c.id)).state).toBe('closed');
    // A new survey (round 2) went out with its closed notice; the first stays answered in the history.
    const [, second] = await surveysOf(c.id);
    expect([second.round, second.status, second.reopen_request]).toEqual([2, 'open', null]);
    // The new closure has no request to decide: the panel offers only the county office's and lead unit's reopen.
    const closedAgain = await panel(w.users.lead1, c);
    expect([closedAgain.reopenRequest, closedAgain.available]).toEqual([null, ['reopen']]);
    const none = await act(w.users.lead1, c.documentId, 'reject_reopen', { reason: '已整改到位' });
    expect([none.status, none.body.error?.details?.code]).toEqual([400, 'no_reopen_request']);

    await answer(await linkOf(second.id), 'satisfied');
    expect((await surveysOf(c.id)).map((s: any) => [s.round, s.status, s.answer])).toEqual([[1, 'answered', 'dissatisfied'], [2, 'answered', 'satisfied']]);
    const types = (await events(c.id)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('survey_') || t.includes('reopen'))).toEqual([
      'survey_opened', 'survey_answered', 'reopen_requested', 'confirm_reopen', 'survey_opened', 'survey_answered',
    ]);
    expect(JSON.stringify(await events(c.id))).not.toContain('13922220001');

    // The rates route: one complaint answered; its latest answer (satisfied) counts: 1 ÷ 1.
    const rates = (await ok(w.users.county.get('/complaints/stats/rates?by=unit'))).body.data;
    expect(rates.totals.rates.satisfaction).toEqual(rate(1, 1, 1, 0, 0));
    const t1 = rates.rows.find((x: any) => x.code === 'T1');
    expect(t1.rates.satisfaction).toEqual(rate(1, 1, 1, 0, 0));
    expect(t1.rates.reopen).toEqual({ numerator: 1, denominator: 1, rate: 1 });

    const verify = await ok(w.users.county.get('/complaints/ledger/verify'));
    expect(verify.body.data.ok).toBe(true);
  });
});

describe('a reopen request rejected by the lead unit', () => {
  it('needs a reason; the complaint stays closed; a second decision is refused with 409 and changes nothing', async () => {
    const c = await closedComplaint('13922220002');
    const [s] = await surveysOf(c.id);
    await answer(await linkOf(s.id), 'dissatisfied', '路灯还是不亮，请回电13922220002');
    // The lead unit sees phones masked: a number typed into the comment too; the county office sees it.
    expect((await panel(w.users.lead1, c)).reopenRequest.comment).toBe('路灯还是不亮，请回电[phone]');
    expect((await panel(w.users.county, c)).reopenRequest.comment).toBe('路灯还是不亮，请回电13922220002');

    const before = await snapshot(c);
    const bare = await act(w.users.lead1, c.documentId, 'reject_reopen', {});
    expect([bare.status, bare.body.error.details.field, bare.body.error.message]).toEqual([400, 'reason', '缺少必填项：驳回理由（reason） / Missing required input: reason']);
    expect(await snapshot(c)).toEqual(before);

    const res = await act(w.users.lead1, c.documentId, 'reject_reopen', { reason: '经现场核实路灯已修复，系供电线路临时故障' });
    expect([res.status, res.body.data]).toEqual([200, { documentId: c.documentId, ledgerNo: c.ledgerNo, from: 'closed', to: 'closed' }]);
    const r = await row(c.id);
    expect([r.state, Number(r.reopen_count)]).toEqual(['closed', 0]);
    expect((await surveysOf(c.id)).map((x: any) => [x.round, x.status, x.answer, x.reopen_request])).toEqual([[1, 'answered', 'dissatisfied', 'rejected']]);
    const last = (await events(c.id)).pop()!;
    expect([last.type, last.from_state, last.to_state, last.actor_name, last.data]).toEqual([
      'reject_reopen', 'closed', 'closed', '住建 测试', { surveyId: s.id, round: 1, reason: '经现场核实路灯已修复，系供电线路临时故障' },
    ]);
    expect(JSON.stringify(await events(c.id))).not.toContain('13922220002');

    // The panel shows the decided request and no decision any more.
    const view = await panel(w.users.lead1, c);
    expect([view.reopenRequest.state, view.reopenRequest.comment, view.available]).toEqual(['rejected', '路灯还是不亮，请回电[phone]', ['reopen']]);

    const decided = await snapshot(c);
    for (const [action, inputs] of [['confirm_reopen', { deadline: addDaysFromToday(10) }], ['reject_reopen', { reason: '再次驳回' }]] as const) {
      const again = await act(w.users.lead1, c.documentId, action, inputs);
      expect([action, again.status, again.body.error?.details?.code, again.body.error?.message]).toEqual([
        action, 409, 'reopen_request_decided',
        `诉求 ${c.ledgerNo} 的重新整改申请已处理（已驳回），不能再次决定 / The reopen request of complaint ${c.ledgerNo} has already been rejected; it cannot be decided again`,
      ]);
    }
    expect(await snapshot(c)).toEqual(decided);

    // A rejected request leaves the dissatisfied answer counting. With the first test's complaint
    // (latest answer satisfied): 1 satisfied ÷ 2 answered.
    const rates = (await ok(w.users.county.get('/complaints/stats/rates?by=unit'))).body.data;
    expect(rates.totals.rates.satisfaction).toEqual(rate(1, 2, 1, 0, 1));
  });
});
