/**
 * The scheduled survey job (`surveys`, jobs.surveyRule): it closes unanswered surveys past
 * their expiry as `no_response` and sends each open SMS survey its one reminder after
 * survey.reminderDays (3), through the outbox (opt-out, quiet hours and the cap apply there).
 * The job runs through the once-per-slot coordinator of services/jobs.ts, so a slot run twice
 * runs once. Times are literals: surveys open at 2026-12-01 02:00 UTC (10:00 in Beijing).
 */
import { withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
const service = (name: string) => app.strapi.plugin('complaints').service(name);
const OPENED = new Date('2026-12-01T02:00:00Z');
const at = (iso: string) => new Date(iso);
const runJob = (slot: string, now: Date) => service('jobs').run('surveys', { slot, now });

/** A complaint closed (the state is the fixture; the workflow's close is tested elsewhere) with its survey opened. */
const openSurvey = async (phone: string, now = OPENED) => {
  const c = await w.complaint({ phone });
  await knex()('complaints').where('id', c.id).update({ state: 'closed' });
  const [s] = await service('surveys').openFor([c.id], now);
  return { complaint: c, surveyId: s.surveyId as number, token: s.token as string, way: s.way as string };
};
const surveyRow = (id: number) => knex()('surveys').where('id', id).first('status', 'reminder_sent_at', 'reminder_token_hash');
const reminders = (surveyId: number) =>
  knex()('sms_messages').where('idempotency_key', `reminder:${surveyId}`).select('template', 'status', 'phone', 'body', 'next_attempt_at', 'last_error');
const eventsOf = async (id: number) =>
  ((await knex()('complaint_events').where('complaint_id', id).orderBy('seq').select('type', 'data', 'actor_kind')) as any[]).map((e) => ({
    type: e.type,
    actor: e.actor_kind,
    data: typeof e.data === 'string' ? JSON.parse(e.data) : e.data,
  }));
const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(/^\d+$/.test(String(v)) ? Number(v) : (v as string)).toISOString());
const tokenIn = (body: string) => /\/survey\/([A-Za-z0-9_-]+)/.exec(body)?.[1];

describe('the reminder', () => {
  it('goes out once, three days after the survey opened, with a link of its own; the slot run again runs nothing', async () => {
    const s = await openSurvey('13911110001');
    // 2 days 23 hours: not yet (positive control of the due time below).
    let run = await runJob('2026-12-04T01:20:00.000Z', at('2026-12-04T01:20:00Z'));
    expect([run.ran, run.changed, run.error]).toEqual([true, 0, undefined]);
    expect(await reminders(s.surveyId)).toEqual([]);

    run = await runJob('2026-12-04T02:20:00.000Z', at('2026-12-04T02:20:00Z'));
    expect([run.ran, run.changed, run.error]).toEqual([true, 1, undefined]);
    // The same slot again (another instance, a retried tick): claimed already, nothing runs.
    const again = await runJob('2026-12-04T02:20:00.000Z', at('2026-12-04T02:21:00Z'));
    expect([again.ran, again.changed]).toEqual([false, undefined]);
    // The next slot finds the survey reminded: still one reminder.
    run = await runJob('2026-12-04T03:20:00.000Z', at('2026-12-04T03:20:00Z'));
    expect([run.ran, run.changed]).toEqual([true, 0]);

    const sent = await reminders(s.surveyId);
    expect(sent.map((m: any) => [m.template, m.status, m.phone, iso(m.next_attempt_at)])).toEqual([['survey_reminder', 'queued', '13911110001', '2026-12-04T02:20:00.000Z']]);
    expect(sent[0].body).toContain(`提醒：请对诉求（编号${s.complaint.ledgerNo}）的办理结果进行评价`);
    const reminderToken = tokenIn(sent[0].body)!;
    expect(reminderToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(reminderToken).not.toBe(s.token);
    const row = await surveyRow(s.surveyId);
    expect([row.status, iso(row.reminder_sent_at)]).toEqual(['open', '2026-12-04T02:20:00.000Z']);
    expect(row.reminder_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(reminderToken);

    const ev = (await eventsOf(s.complaint.id)).filter((e) => e.type === 'survey_reminded');
    expect(ev).toEqual([{ type: 'survey_reminded', actor: 'system', data: { surveyId: s.surveyId, round: 1, way: 'link' } }]);
    expect(JSON.stringify(await eventsOf(s.complaint.id))).not.toContain('13911110001');

    const runs = await knex()('job_runs').where('job', 'surveys').whereIn('slot', ['2026-12-04T02:20:00.000Z']).select('status', 'changed_count');
    expect(runs.map((r: any) => [r.status, Number(r.changed_count)])).toEqual([['done', 1]]);

    // The reminder's link answers the same survey; the first link then finds it answered.
    expect(await service('surveys').answerByToken(reminderToken, 'satisfied', null, at('2026-12-04T05:00:00Z'))).toBe('answered');
    expect(await service('surveys').answerByToken(s.token, 'dissatisfied', null, at('2026-12-04T05:01:00Z'))).toBe('already_answered');
    expect((await knex()('surveys').where('id', s.surveyId).first('answer')).answer).toBe('satisfied');
  });

  it('an answered survey gets none; an unanswered one in the same run does (positive control)', async () => {
    const answered = await openSurvey('13911110002', at('2026-12-10T02:00:00Z'));
    const unanswered = await openSurvey('13911110003', at('2026-12-10T02:00:00Z'));
    expect(await service('surveys').answerByToken(answered.token, 'basically_satisfied', null, at('2026-12-11T02:00:00Z'))).toBe('answered');
    const run = await runJob('2026-12-13T02:20:00.000Z', at('2026-12-13T02:20:00Z'));
    expect([run.ran, run.error]).toEqual([true, undefined]);
    expect(await reminders(answered.surveyId)).toEqual([]);
    expect((await surveyRow(answered.surveyId)).reminder_sent_at).toBeNull();
    expect((await reminders(unanswered.surveyId)).map((m: any) => m.status)).toEqual(['queued']);
  });

  it('waits for the morning in quiet hours, and is recorded suppressed for a number that opted out', async () => {
    const evening = await openSurvey('13911110004', at('2026-12-20T02:00:00Z'));
    const stopped = await openSurvey('13911110005', at('2026-12-20T02:00:00Z'));
    expect(await service('surveys').reply({ phone: '13911110005', text: 'TD', messageId: 'SM-jobs-1', provider: 'twilio' }, at('2026-12-21T02:00:00Z'))).toBe('opted_out');
    // 2026-12-23 14:00 UTC is 22:00 in Beijing: the reminder waits until 08:00 (00:00 UTC).
    await runJob('2026-12-23T14:20:00.000Z', at('2026-12-23T14:20:00Z'));
    expect((await reminders(evening.surveyId)).map((m: any) => [m.status, iso(m.next_attempt_at)])).toEqual([['queued', '2026-12-24T00:00:00.000Z']]);
    expect((await reminders(stopped.surveyId)).map((m: any) => [m.status, m.last_error])).toEqual([['suppressed', 'opted_out']]);
    // One decision per survey: the opted-out survey is not tried again.
    expect((await surveyRow(stopped.surveyId)).reminder_sent_at).not.toBeNull();
  });

  it('a run that fails half-way leaves the survey unreminded and without an event; the next slot sends it', async () => {
    const s = await openSurvey('13911110006', at('2027-01-05T02:00:00Z'));
    const sms = service('sms');
    const queue = sms.queue;
    sms.queue = async () => {
      throw new Error('outbox unavailable');
    };
    try {
      const failed = await runJob('2027-01-08T02:20:00.000Z', at('2027-01-08T02:20:00Z'));
      expect([failed.ran, failed.error]).toEqual([true, 'outbox unavailable']);
    } finally {
      sms.queue = queue;
    }
    expect((await surveyRow(s.surveyId)).reminder_sent_at).toBeNull();
    expect(await reminders(s.surveyId)).toEqual([]);
    expect((await eventsOf(s.complaint.id)).map((e) => e.type)).not.toContain('survey_reminded');
    expect((await knex()('job_runs').where({ job: 'surveys', slot: '2027-01-08T02:20:00.000Z' }).first('status')).status).toBe('failed');

    const ok = await runJob('2027-01-08T03:20:00.000Z', at('2027-01-08T03:20:00Z'));
    expect([ok.ran, ok.error]).toEqual([true, undefined]);
    expect((await reminders(s.surveyId)).map((m: any) => m.status)).toEqual(['queued']);
    expect((await eventsOf(s.complaint.id)).filter((e) => e.type === 'survey_reminded')).toHaveLength(1);
  });
});

describe('expiry', () => {
  it('closes an unanswered survey as no_response after 7 days with its history event, and withdraws a reminder still waiting', async () => {
    const s = await openSurvey('13911110007', at('2027-02-01T02:00:00Z'));
    const visitComplaint = await w.complaint({ phone: '0571-88005555' });
    await knex()('complaints').where('id', visitComplaint.id).update({ state: 'closed' });
    const [visit] = await service('surveys').openFor([visitComplaint.id], at('2027-02-01T02:00:00Z'));
    expect(visit.way).toBe('phone_visit');
    // The reminder is queued in quiet hours (2027-02-04 22:20 Beijing) and still waits at expiry.
    await runJob('2027-02-04T14:20:00.000Z', at('2027-02-04T14:20:00Z'));
    await knex()('sms_messages').where('idempotency_key', `reminder:${s.surveyId}`).update({ next_attempt_at: at('2027-03-01T00:00:00Z') });

    // A minute before its expiry it is open (positive control), at the slot after it, closed.
    await runJob('2027-02-08T01:59:00.000Z', at('2027-02-08T01:59:00Z'));
    expect((await surveyRow(s.surveyId)).status).toBe('open');
    const run = await runJob('2027-02-08T02:20:00.000Z', at('2027-02-08T02:20:00Z'));
    expect([run.ran, run.error]).toEqual([true, undefined]);
    expect((await surveyRow(s.surveyId)).status).toBe('no_response');
    expect((await reminders(s.surveyId)).map((m: any) => [m.status, m.last_error])).toEqual([['suppressed', 'expired']]);
    const ev = await eventsOf(s.complaint.id);
    expect(ev[ev.length - 1]).toEqual({ type: 'survey_expired', actor: 'system', data: { surveyId: s.surveyId, round: 1 } });
    // A phone return visit waits for the staff: it does not expire.
    expect((await knex()('surveys').where('id', visit.surveyId).first('status')).status).toBe('open');
    // The expired link gets its page, and takes no answer.
    expect((await service('surveys').viewByToken(s.token, at('2027-02-08T03:00:00Z'))).status).toBe('expired');
    expect(await service('surveys').answerByToken(s.token, 'satisfied', null, at('2027-02-08T03:00:00Z'))).toBe('expired');

    // Run again for the same slot and the next: one expiry event.
    await runJob('2027-02-08T02:20:00.000Z', at('2027-02-08T02:30:00Z'));
    await runJob('2027-02-08T03:20:00.000Z', at('2027-02-08T03:20:00Z'));
    expect((await eventsOf(s.complaint.id)).filter((e) => e.type === 'survey_expired')).toHaveLength(1);
    const verify = await w.users.county.get('/complaints/ledger/verify');
    expect([verify.status, verify.body.data.ok]).toEqual([200, true]);
  });

  it('is a job of its own in the job runs', async () => {
    const res = await w.users.county.get('/complaints/jobs/runs?job=surveys&limit=200');
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(new Set(res.body.data.map((r: any) => r.job))).toEqual(new Set(['surveys']));
  });
});
