/**
 * Satisfaction surveys at the service level: opened for a closed, traceable complaint with its
 * message in the outbox (console provider: links work), answered once through the link, by an
 * SMS reply matched to the phone's one open survey, or expired; STOP and START; a dissatisfied
 * answer asks for a reopen, and the latest answer is the one the satisfaction rate counts.
 */
process.env.TZ = 'UTC';

import { createHash } from 'crypto';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';
import { satisfactionRate } from '../../plugins/complaints/server/src/domain/satisfaction';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
const surveys = () => app.strapi.plugin('complaints').service('surveys');
/** A complaint that the sign-off has closed (the state is the fixture here; the workflow's close is tested elsewhere). */
const closed = async (phone: string | null) => {
  const c = await w.complaint({ phone });
  await knex()('complaints').where('id', c.id).update({ state: 'closed' });
  return c;
};
const eventsOf = async (id: number) => ((await knex()('complaint_events').where('complaint_id', id).orderBy('seq').select('type', 'data')) as any[]).map((e) => ({ type: e.type, data: typeof e.data === 'string' ? JSON.parse(e.data) : e.data }));
const surveyRow = (id: number) => knex()('surveys').where('id', id).first();
const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const NOW = new Date('2026-12-01T02:00:00Z');
const later = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

it('opens a link survey for a closed mobile complaint: the token is stored only as its hash, the message is queued', async () => {
  const c = await closed('13900001111');
  const [s] = await surveys().openFor([c.id], NOW);
  expect(s.way).toBe('link');
  expect(s.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  const row = await surveyRow(s.surveyId);
  expect(row).toMatchObject({ status: 'open', way: 'link', round: 1, phone: '13900001111', token_hash: sha(s.token) });
  expect(JSON.stringify(row)).not.toContain(s.token);
  const m = await knex()('sms_messages').where('idempotency_key', `survey:${s.surveyId}`).first();
  expect(m.status).toBe('queued');
  expect(m.body).toContain(`/survey/${s.token}`);
  expect(m.body).toContain(c.ledgerNo);
  const ev = await eventsOf(c.id);
  expect(ev[ev.length - 1]).toEqual({ type: 'survey_opened', data: { surveyId: s.surveyId, round: 1, way: 'link' } });
  expect(JSON.stringify(ev)).not.toContain('13900001111');
});

it('puts a landline on the phone return-visit list and opens nothing for a complaint not closed', async () => {
  const c = await closed('0571-88001234');
  const [s] = await surveys().openFor([c.id], NOW);
  expect(s.way).toBe('phone_visit');
  expect(await knex()('sms_messages').where('idempotency_key', `survey:${s.surveyId}`).first()).toBeUndefined();
  const open = await w.complaint({ phone: '13900001112' });
  expect(await surveys().openFor([open.id], NOW)).toEqual([]);
});

it('answers once through the link; a second answer, a wrong token and an expired one are refused', async () => {
  const c = await closed('13900002222');
  const [s] = await surveys().openFor([c.id], NOW);
  expect(await surveys().viewByToken(s.token, NOW)).toEqual({ status: 'open', ledgerNo: c.ledgerNo });
  expect(await surveys().answerByToken(s.token, 'basically_satisfied', '还行', later(1))).toBe('answered');
  expect(await surveys().answerByToken(s.token, 'dissatisfied', null, later(1))).toBe('already_answered');
  expect(await surveyRow(s.surveyId)).toMatchObject({ status: 'answered', answer: 'basically_satisfied', answered_via: 'link', comment: '还行' });
  const wrong = `${s.token.slice(0, -2)}xx`;
  expect(await surveys().answerByToken(wrong, 'satisfied', null, later(1))).toBe('unknown');
  expect(await surveys().viewByToken(wrong, later(1))).toEqual(await surveys().viewByToken('A'.repeat(32), later(1)));

  const c2 = await closed('13900003333');
  const [s2] = await surveys().openFor([c2.id], NOW);
  expect(await surveys().viewByToken(s2.token, later(8))).toEqual({ status: 'expired', ledgerNo: c2.ledgerNo });
  expect(await surveys().answerByToken(s2.token, 'satisfied', null, later(8))).toBe('expired');
  expect((await surveyRow(s2.surveyId)).status).toBe('no_response');
  const types = (await eventsOf(c2.id)).map((e) => e.type);
  expect(types.slice(-2)).toEqual(['survey_opened', 'survey_expired']);
});

it('a new survey for the same phone supersedes the older, so a reply matches exactly one; a replay changes nothing', async () => {
  const a = await closed('13900004444');
  const b = await closed('13900004444');
  const [sa] = await surveys().openFor([a.id], NOW);
  const [sb] = await surveys().openFor([b.id], NOW);
  expect((await surveyRow(sa.surveyId)).status).toBe('superseded');
  // The older survey's unsent message is withdrawn: one question reaches the phone.
  expect((await knex()('sms_messages').where('idempotency_key', `survey:${sa.surveyId}`).first()).status).toBe('suppressed');
  expect((await knex()('sms_messages').where('idempotency_key', `survey:${sb.surveyId}`).first()).status).toBe('queued');
  expect((await eventsOf(a.id)).map((e) => e.type).slice(-1)).toEqual(['survey_superseded']);
  expect(await surveys().reply({ phone: '13900004444', text: '１', messageId: 'SM-r1', provider: 'twilio' }, later(1))).toBe('answered');
  expect(await surveyRow(sb.surveyId)).toMatchObject({ status: 'answered', answer: 'satisfied', answered_via: 'sms_reply' });
  expect(await surveys().reply({ phone: '13900004444', text: '3', messageId: 'SM-r1', provider: 'twilio' }, later(1))).toBe('replay');
  expect((await surveyRow(sb.surveyId)).answer).toBe('satisfied');
  // An answer with no open survey left, and text that is no answer: both change nothing.
  expect(await surveys().reply({ phone: '13900004444', text: '2', messageId: 'SM-r2', provider: 'twilio' }, later(1))).toBe('no_survey');
  expect(await surveys().reply({ phone: '13900004444', text: '好的谢谢', messageId: 'SM-r3', provider: 'twilio' }, later(1))).toBe('unrecognised');
  expect((await surveyRow(sb.surveyId)).answer).toBe('satisfied');
  expect(Number((await knex()('sms_messages').where({ direction: 'inbound', phone: '13900004444' }).count({ n: '*' }))[0].n)).toBe(3);
});

it('STOP opts the number out (the next closure sends nothing), START opts it back in', async () => {
  const a = await closed('13900005555');
  await surveys().openFor([a.id], NOW);
  expect(await surveys().reply({ phone: '13900005555', text: '退订', messageId: 'SM-s1', provider: 'twilio' }, NOW)).toBe('opted_out');
  expect((await eventsOf(a.id)).map((e) => e.type).slice(-1)).toEqual(['sms_opted_out']);
  const b = await closed('13900005555');
  const [sb] = await surveys().openFor([b.id], NOW);
  expect(sb.way).toBe('phone_visit');
  expect(await knex()('sms_messages').where('idempotency_key', `survey:${sb.surveyId}`).first()).toBeUndefined();
  expect(await surveys().reply({ phone: '13900005555', text: 'START', messageId: 'SM-s2', provider: 'twilio' }, NOW)).toBe('opted_in');
  const c = await closed('13900005555');
  const [sc] = await surveys().openFor([c.id], NOW);
  expect(sc.way).toBe('link');
  expect((await knex()('sms_messages').where('idempotency_key', `survey:${sc.surveyId}`).first()).status).toBe('queued');
});

it('STOP also stops what is already queued for the number, and the pump never sends to an opted-out number', async () => {
  const sms = app.strapi.plugin('complaints').service('sms');
  const a = await closed('13900005656');
  const [sa] = await surveys().openFor([a.id], NOW);
  const notice = () => knex()('sms_messages').where('idempotency_key', `survey:${sa.surveyId}`).first('status', 'last_error');
  expect(await notice()).toEqual({ status: 'queued', last_error: null });
  expect(await surveys().reply({ phone: '13900005656', text: 'STOP', messageId: 'SM-s3', provider: 'twilio' }, NOW)).toBe('opted_out');
  expect(await notice()).toEqual({ status: 'suppressed', last_error: 'opted_out' });

  // A number put on the list by any other path (here: a row written directly) is caught by the pump.
  const b = await closed('13900005757');
  const c = await closed('13900005858');
  const [sb] = await surveys().openFor([b.id], NOW);
  const [sc] = await surveys().openFor([c.id], NOW);
  await knex()('sms_opt_outs').insert({ phone: '13900005757', opted_out_at: NOW, source: 'staff' });
  await sms.pump({ now: later(1) });
  const status = async (id: number) => (await knex()('sms_messages').where('idempotency_key', `survey:${id}`).first('status')).status;
  expect(await status(sb.surveyId)).toBe('suppressed');
  // The positive control: the same pump run sent the other number's message.
  expect(await status(sc.surveyId)).toBe('sent');
});

it('dissatisfied asks for a reopen; after re-handling the second answer is the one the rate counts', async () => {
  const c = await closed('13900006666');
  const other = await closed('13900007777');
  const [s1] = await surveys().openFor([c.id], NOW);
  const [so] = await surveys().openFor([other.id], NOW);
  expect(await surveys().answerByToken(s1.token, 'dissatisfied', null, later(1))).toBe('answered');
  expect(await surveys().answerByToken(so.token, 'dissatisfied', null, later(1))).toBe('answered');
  expect((await surveyRow(s1.surveyId)).reopen_request).toBe('pending');
  expect((await eventsOf(c.id)).map((e) => e.type).slice(-2)).toEqual(['survey_answered', 'reopen_requested']);
  // Re-handled and closed again: round 2.
  const [s2] = await surveys().openFor([c.id], later(20));
  expect((await surveyRow(s2.surveyId)).round).toBe(2);
  expect(await surveys().answerByToken(s2.token, 'satisfied', null, later(21))).toBe('answered');
  const facts = ((await knex()('surveys').whereIn('complaint_id', [c.id, other.id]).select('complaint_id', 'round', 'status', 'answer', 'answered_at')) as any[]).map((r) => ({
    complaintId: Number(r.complaint_id),
    round: Number(r.round),
    status: r.status,
    answer: r.answer,
    answeredAt: r.answered_at === null ? null : new Date(r.answered_at),
  }));
  // By hand: c counts its second answer (satisfied), other stays dissatisfied: 1 of 2.
  expect(satisfactionRate(facts)).toEqual({ satisfied: 1, basicallySatisfied: 0, dissatisfied: 1, answered: 2, rate: 0.5 });
});

it('a staff phone visit answers a return-visit survey, and every chain still verifies', async () => {
  const c = await closed('0571-88005678');
  await surveys().openFor([c.id], NOW);
  const actor = { kind: 'admin' as const, id: 1, name: '回访员', unitId: null, unitName: null };
  expect(await surveys().recordPhoneVisit(c.id, 'satisfied', null, actor, later(2))).toBe('answered');
  expect((await knex()('surveys').where('complaint_id', c.id).first()).answered_via).toBe('phone_visit');
  const report = await app.strapi.plugin('complaints').service('ledger').verify();
  expect(report.ok).toBe(true);
});

it('through the workflow: accepting queues the accepted notice, the last signature opens the survey with its message, in the same transaction', async () => {
  const c = await w.complaint({ phone: '13900008888' });
  const { county, op1, lead1, head1, leader } = w.users;
  const ok = async (p: Promise<any>, to: string) => {
    const res = await p;
    expect([res.status, res.body.data?.to]).toEqual([200, to]);
  };
  await ok(act(county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id }), 'classified');
  await ok(act(county, c.documentId, 'assign'), 'assigned');
  await ok(act(op1, c.documentId, 'accept', { nature: 'individual' }), 'accepted');
  const notice = await knex()('sms_messages').where({ complaint_id: c.id, template: 'accepted_notice' }).select('status', 'body', 'phone');
  expect(notice).toHaveLength(1);
  expect(notice[0]).toMatchObject({ status: 'queued', phone: '13900008888' });
  expect(notice[0].body).toContain(c.ledgerNo);
  expect(notice[0].body).toContain('城关镇人民政府');
  await ok(act(op1, c.documentId, 'submit_measure', { mode: 'deadline', text: '更换楼道全部照明灯具', responsiblePerson: '张科长', deadline: addDaysFromToday(30) }), 'in_review');
  await ok(act(lead1, c.documentId, 'approve_measure', {}), 'rectifying');
  const ev = await op1.post(`/complaints/complaints/${c.documentId}/evidence`).field('aspect', 'facility').field('text', '已更换灯具 24 盏');
  expect(ev.status).toBe(201);
  await ok(act(op1, c.documentId, 'complete'), 'signing');
  await ok(act(head1, c.documentId, 'sign'), 'signing');
  await ok(act(lead1, c.documentId, 'sign'), 'signing');
  expect(await knex()('surveys').where('complaint_id', c.id).first()).toBeUndefined();
  await ok(act(leader, c.documentId, 'sign'), 'closed');
  const s = await knex()('surveys').where('complaint_id', c.id).first();
  expect(s).toMatchObject({ status: 'open', way: 'link', round: 1 });
  const m = await knex()('sms_messages').where('idempotency_key', `survey:${s.id}`).first();
  expect(m.status).toBe('queued');
  expect(m.body).toMatch(/\/survey\/[A-Za-z0-9_-]{32}$/);
  expect((await eventsOf(c.id)).map((e) => e.type).slice(-2)).toEqual(['sign', 'survey_opened']);
});
