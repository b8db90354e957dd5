/**
 * Deadlines and warnings: the warning job run as the scheduler runs it (jobs.run, which claims
 * its slot), at level boundaries, across midnight in the county's zone while the process runs
 * in UTC, twice (idempotent), with stopped and absent clocks; the overview route and the
 * Content Manager column.
 */
// The process clock zone is UTC, as on most servers; the county is in Asia/Shanghai (UTC+8).
process.env.TZ = 'UTC';

import { pngFile } from '../helpers/files';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import { createAdminUser, login } from '../helpers/admin';
import type { TestApp } from '../helpers/strapi';
import { nextEvent, verifyChain } from '../../plugins/complaints/server/src/domain/history-chain';
import { warningChangedEvent } from '../../plugins/complaints/server/src/domain/warning-level';
import { updateByIds } from '../../plugins/complaints/server/src/services/bulk';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
const level = async (id: number): Promise<string> => (await knex()('complaints').where('id', id).first('warning_level')).warning_level;
const warningEvents = async (id: number) =>
  ((await knex()('complaint_events').where({ complaint_id: id, type: 'warning_changed' }).orderBy('seq').select('data')) as any[]).map((r) =>
    typeof r.data === 'string' ? JSON.parse(r.data) : r.data
  );
const allWarningEvents = async () => Number((await knex()('complaint_events').where('type', 'warning_changed').count({ n: '*' }))[0].n);
const jobs = () => app.strapi.plugin('complaints').service('jobs');
/** Runs the warning job as the scheduler does at instant `iso`. */
const runAt = (iso: string) => jobs().run('warnings', { now: new Date(iso) });

/** Shifts a YYYY-MM-DD day by n days. */
const shift = (day: string, n: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

const MEASURE = { text: '更换楼道全部照明灯具并建立巡查机制', responsiblePerson: '张科长' };

/** A complaint of unit t1 (or t2) driven through the real workflow to `assigned`. */
const assigned = async (unit: 't1' | 't2' = 't1') => {
  const c = await w.complaint({ town: unit === 't1' ? '城关镇' : '东坝镇' });
  const cat = unit === 't1' ? '0101' : '0201';
  expect((await act(w.users.county, c.documentId, 'classify', { categoryCode: cat, level: 'township', responsibleUnitId: w.units[unit].id })).status).toBe(200);
  expect((await act(w.users.county, c.documentId, 'assign')).status).toBe(200);
  return c;
};

/** A complaint driven to `rectifying` with a measure deadline (and mode). */
const rectifying = async (deadline: string | null, mode = 'deadline', unit: 't1' | 't2' = 't1') => {
  const c = await assigned(unit);
  const op = unit === 't1' ? w.users.op1 : w.users.op2;
  const lead = unit === 't1' ? w.users.lead1 : w.users.lead2;
  expect((await act(op, c.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
  const measure = deadline ? { ...MEASURE, mode, deadline } : { ...MEASURE, mode, policyRef: '县政府〔2026〕12号文件：纳入明年财政预算' };
  const res = await act(op, c.documentId, 'submit_measure', measure);
  expect([res.status, res.body.error?.message]).toEqual([200, undefined]);
  expect((await act(lead, c.documentId, 'approve_measure', { comment: '同意' })).status).toBe(200);
  return c;
};

describe('the warning job at the level boundaries', () => {
  // The job is run on day J (Beijing). [days left on J, level], from the warnings issue.
  const J = addDaysFromToday(100);
  const table: Array<[number, string]> = [
    [21, 'none'],
    [20, 'none'],
    [19, 'yellow'],
    [10, 'yellow'],
    [9, 'orange'],
    [0, 'orange'],
    [-1, 'red'],
  ];

  it('gives each rectifying complaint the level of its days left', async () => {
    const made = [];
    for (const [daysLeft] of table) made.push(await rectifying(shift(J, daysLeft)));
    for (const c of made) expect(await level(c.id)).toBe('none');
    // Noon in Beijing on day J.
    const outcome = await runAt(`${J}T04:00:00Z`);
    expect(outcome).toMatchObject({ job: 'warnings', ran: true });
    const levels = [];
    for (const c of made) levels.push(await level(c.id));
    expect(levels).toEqual(table.map(([, l]) => l));
    // One event for each complaint whose level changed, none for the two that stay `none`.
    const counts = [];
    for (const c of made) counts.push((await warningEvents(c.id)).length);
    expect(counts).toEqual([0, 0, 1, 1, 1, 1, 1]);
    expect((await warningEvents(made[6].id))[0]).toMatchObject({
      warningLevel: { from: 'none', to: 'red' },
      clock: 'measure',
      deadline: shift(J, -1),
      daysLeft: -1,
      today: J,
    });
  });
});

describe('the county clock', () => {
  it('changes the day at midnight in Beijing while the process runs in UTC', async () => {
    expect(new Date('2026-03-01T12:00:00').toISOString()).toBe('2026-03-01T12:00:00.000Z');
    const deadline = addDaysFromToday(200);
    const c = await rectifying(deadline);
    const B = shift(deadline, -20); // 20 days left on B: none; 19 on B + 1: yellow
    // 15:59 UTC is 23:59 in Beijing on day B; 16:01 UTC is 00:01 on day B + 1.
    expect((await runAt(`${B}T15:59:00Z`)).ran).toBe(true);
    expect(await level(c.id)).toBe('none');
    expect((await runAt(`${B}T16:01:00Z`)).ran).toBe(true);
    expect(await level(c.id)).toBe('yellow');
    expect(await warningEvents(c.id)).toEqual([
      { warningLevel: { from: 'none', to: 'yellow' }, clock: 'measure', deadline, daysLeft: 19, today: shift(B, 1) },
    ]);
  });

  it('turns an unaccepted complaint orange on the last day to respond and red after it', async () => {
    const c = await assigned('t2');
    const r = (await knex()('complaints').where('id', c.id).first('response_deadline')).response_deadline;
    const responseDeadline = String(r instanceof Date ? r.toISOString() : r).slice(0, 10);
    expect(responseDeadline).toBe(addDaysFromToday(2)); // category 0201 gives 2 days to respond
    const R = responseDeadline;
    // 23:49 in Beijing the day before: one day left, none.
    await runAt(`${shift(R, -1)}T15:49:00Z`);
    expect(await level(c.id)).toBe('none');
    // 00:11 on the deadline day: less than one day left, orange.
    await runAt(`${shift(R, -1)}T16:11:00Z`);
    expect(await level(c.id)).toBe('orange');
    // 00:21 the day after: overdue, red.
    await runAt(`${R}T16:21:00Z`);
    expect(await level(c.id)).toBe('red');
    expect((await warningEvents(c.id)).map((e) => [e.clock, e.warningLevel.to, e.daysLeft])).toEqual([
      ['response', 'orange', 0],
      ['response', 'red', -1],
    ]);
    // Accepting stops the response clock: no level while the measure is prepared.
    expect((await act(w.users.op2, c.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
    expect(await level(c.id)).toBe('none');
    await runAt(`${shift(R, 30)}T04:31:00Z`);
    expect(await level(c.id)).toBe('none');
    expect(await warningEvents(c.id)).toHaveLength(2);
  });
});

describe('one slot, one run', () => {
  it('runs a slot once: a second call for the same slot does nothing', async () => {
    const day = addDaysFromToday(300);
    await rectifying(shift(day, 5));
    const first = await runAt(`${day}T02:00:00Z`);
    const second = await runAt(`${day}T02:05:00Z`); // same 10-minute slot
    expect(first.ran).toBe(true);
    expect(first.slot).toBe(`${day}T02:00:00.000Z`);
    expect(second).toEqual({ job: 'warnings', slot: `${day}T02:00:00.000Z`, ran: false });
    const runs = await knex()('job_runs').where({ job: 'warnings', slot: `${day}T02:00:00.000Z` }).select('status', 'changed_count', 'instance', 'duration_ms');
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('done');
    expect(Number(runs[0].changed_count)).toBe(first.changed);
    expect(runs[0].instance).toBe(jobs().instanceId);
  });

  it('runs a slot once when two calls race for it', async () => {
    const day = addDaysFromToday(350);
    const [a, b] = await Promise.all([runAt(`${day}T02:00:00Z`), runAt(`${day}T02:01:00Z`)]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    expect([a.slot, b.slot]).toEqual([`${day}T02:00:00.000Z`, `${day}T02:00:00.000Z`]);
    const runs = await knex()('job_runs').where({ job: 'warnings', slot: `${day}T02:00:00.000Z` }).select('status');
    expect(runs.map((r: any) => r.status)).toEqual(['done']);
  });

  it('is idempotent: a second run on the same day changes nothing and writes no events', async () => {
    const day = addDaysFromToday(400);
    const soon = await rectifying(shift(day, 3));
    const late = await rectifying(shift(day, -2));
    const first = await runAt(`${day}T03:00:00Z`);
    expect(first.ran).toBe(true);
    expect(first.changed).toBeGreaterThan(0);
    // 3 days left: orange; 2 days past: red; one event each.
    expect([await level(soon.id), await level(late.id)]).toEqual(['orange', 'red']);
    expect([(await warningEvents(soon.id)).length, (await warningEvents(late.id)).length]).toEqual([1, 1]);
    const events = await allWarningEvents();
    const second = await runAt(`${day}T03:10:00Z`);
    expect([second.ran, second.changed]).toEqual([true, 0]);
    expect(await allWarningEvents()).toBe(events);
    const rows = await knex()('job_runs').where({ job: 'warnings', slot: `${day}T03:10:00.000Z` }).select('changed_count');
    expect(rows.map((r: any) => Number(r.changed_count))).toEqual([0]);
  });
});

describe('clocks that do not run', () => {
  it('keeps the level a complaint had when it was completed, through sign-off', async () => {
    const deadline = addDaysFromToday(500);
    const c = await rectifying(deadline);
    await runAt(`${shift(deadline, -5)}T04:00:00Z`);
    expect(await level(c.id)).toBe('orange');
    const ev = await w.users.op1.post(`/complaints/complaints/${c.documentId}/evidence`).field('aspect', 'facility').field('text', '已更换灯具').attach('files', pngFile('photo'), { filename: 'after.png', contentType: 'image/png' });
    expect(ev.status).toBe(201);
    expect((await act(w.users.op1, c.documentId, 'complete')).status).toBe(200);
    // Weeks after the deadline, awaiting sign-off: still orange, no new event.
    await runAt(`${shift(deadline, 30)}T04:00:00Z`);
    expect(await level(c.id)).toBe('orange');
    expect(await warningEvents(c.id)).toHaveLength(1);
    // Sign-off rejected: rectifying again, the clock runs again and the deadline has passed.
    expect((await act(w.users.head1, c.documentId, 'reject_signoff', { reason: '现场仍有两处未更换' })).status).toBe(200);
    await runAt(`${shift(deadline, 30)}T04:10:00Z`);
    expect(await level(c.id)).toBe('red');
    expect((await warningEvents(c.id)).map((e) => e.warningLevel)).toEqual([
      { from: 'none', to: 'orange' },
      { from: 'orange', to: 'red' },
    ]);
  });

  it('gives a policy-limited complaint no clock and no warning', async () => {
    const c = await rectifying(null, 'policy_limited');
    const row = await knex()('complaints').where('id', c.id).first('mode', 'deadline', 'warning_level');
    expect([row.mode, row.deadline, row.warning_level]).toEqual(['policy_limited', null, 'none']);
    await runAt(`${addDaysFromToday(600)}T04:00:00Z`);
    expect(await level(c.id)).toBe('none');
    expect(await warningEvents(c.id)).toHaveLength(0);
    // A level left on such a complaint (say, by a database restore) is cleared by the next run.
    await knex()('complaints').where('id', c.id).update({ warning_level: 'red' });
    await runAt(`${addDaysFromToday(600)}T04:10:00Z`);
    expect(await level(c.id)).toBe('none');
    expect(await warningEvents(c.id)).toEqual([
      { warningLevel: { from: 'red', to: 'none' }, clock: null, deadline: null, daysLeft: null, today: addDaysFromToday(600) },
    ]);
  });

  it('the history stays a valid chain after warning events', async () => {
    const result = await app.strapi.plugin('complaints').service('ledger').verify();
    expect(result.ok).toBe(true);
    expect(result.broken ?? []).toEqual([]);
  });
});

describe('the events a run writes', () => {
  // On PostgreSQL the run builds and hashes its events in SQL; each must be exactly the event the
  // domain chains (nextEvent over warningChangedEvent), for any ledger number a county imports.
  it('are the events the domain would chain, for ledger numbers with quotes, escapes and emoji', async () => {
    const J = addDaysFromToday(140);
    const tag = Math.random().toString(36).slice(2, 8);
    const odd = [`县"12345"\\热线-${tag}`, `A\n1\t\u0001-${tag}`, `诉😀求-${tag}`, `O'Brien/${tag}`];
    const made: Array<{ id: number; ledgerNo: string; level: string; data: Record<string, unknown> }> = [];
    // [deadline offset from J, expected new level]
    const plan: Array<[number, string]> = [[-1, 'red'], [0, 'orange'], [19, 'yellow'], [9, 'orange']];
    for (let i = 0; i < odd.length; i += 1) {
      const c = await w.complaint({ ledgerNo: odd[i] });
      expect((await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id })).status).toBe(200);
      expect((await act(w.users.county, c.documentId, 'assign')).status).toBe(200);
      expect((await act(w.users.op1, c.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
      expect((await act(w.users.op1, c.documentId, 'submit_measure', { ...MEASURE, mode: 'deadline', deadline: shift(J, plan[i][0]) })).status).toBe(200);
      expect((await act(w.users.lead1, c.documentId, 'approve_measure', { comment: '同意' })).status).toBe(200);
      made.push({ id: c.id, ledgerNo: odd[i], level: plan[i][1], data: { clock: 'measure', deadline: shift(J, plan[i][0]), daysLeft: plan[i][0], today: J } });
    }
    const before = new Map<number, any>();
    for (const c of made) before.set(c.id, await knex()('complaints').where('id', c.id).first('ledger_no', 'chain_seq', 'chain_hash', 'warning_level'));
    const now = new Date(`${J}T04:00:00Z`);
    expect(await runAt(now.toISOString())).toMatchObject({ ran: true });
    for (const c of made) {
      const b = before.get(c.id);
      expect(b.ledger_no).toBe(c.ledgerNo);
      const expected = nextEvent(
        c.ledgerNo,
        Number(b.chain_seq),
        b.chain_hash,
        warningChangedEvent({ state: 'rectifying', mode: 'deadline', deadline: c.data.deadline as string }, { from: b.warning_level ?? 'none', to: c.level as any }, J, now)
      );
      const row = await knex()('complaint_events').where({ complaint_id: c.id, seq: Number(b.chain_seq) + 1 }).first();
      const data = typeof row.data === 'string' ? JSON.parse(row.data) : row.data;
      expect({ type: row.type, ledger: row.ledger_no, from: row.from_state, to: row.to_state, actor: row.actor_kind, data }).toEqual({
        type: 'warning_changed', ledger: c.ledgerNo, from: 'rectifying', to: 'rectifying', actor: 'system',
        data: { ...c.data, warningLevel: { from: 'none', to: c.level } },
      });
      expect(new Date(row.at).toISOString()).toBe(now.toISOString());
      expect([row.prev_hash, row.hash]).toEqual([b.chain_hash, expected.hash]);
      const head = await knex()('complaints').where('id', c.id).first('chain_seq', 'chain_hash', 'warning_level');
      expect([Number(head.chain_seq), head.chain_hash, head.warning_level]).toEqual([Number(b.chain_seq) + 1, expected.hash, c.level]);
      const chain = await knex()('complaint_events').where('complaint_id', c.id).orderBy('seq');
      expect(verifyChain(c.ledgerNo, chain, { seq: Number(head.chain_seq), hash: head.chain_hash }).ok).toBe(true);
    }
  });
});

describe('a row that moves on between the read and the write', () => {
  // The run writes with a re-check of each row (optimistic concurrency, bulk.updateByIds).
  it('is left as it is, and only the rows that still match are written and returned', async () => {
    const a = await w.complaint();
    const b = await w.complaint();
    const seqOf = async (id: number) => Number((await knex()('complaints').where('id', id).first('chain_seq')).chain_seq);
    const [sa, sb] = [await seqOf(a.id), await seqOf(b.id)];
    const written = await app.strapi.db.transaction(({ trx }: any) =>
      updateByIds(
        trx,
        app.strapi.db.dialect.client,
        'complaints',
        [{ name: 'warning_level', pgType: 'varchar' }],
        // b's read is stale: its chain head moved on (seq + 5 was never its seq).
        [[a.id, 'yellow', sa], [b.id, 'yellow', sb + 5]],
        [],
        { columns: [{ name: 'from_seq', pgType: 'int' }], where: 'COALESCE(t.chain_seq, 0) = v.from_seq' }
      )
    );
    expect(written).toEqual([a.id]);
    expect([await level(a.id), await level(b.id)]).toEqual(['yellow', 'none']);
  });
});

describe('overdue lists', () => {
  it('counts each unit’s yellow, orange and red complaints with their overdue days, own unit first', async () => {
    // Fresh world state for this test: reset the levels the earlier runs left, as of today.
    const today = addDaysFromToday(0);
    await jobs().run('warnings', { now: new Date(), slot: `test-${Date.now()}` });
    const before = (await w.users.county.get('/complaints/warnings/overview')).body.data;
    const countOf = (data: any, unitId: number) => data.units.find((u: any) => u.unitId === unitId) ?? { yellow: 0, orange: 0, red: 0, overdueDays: 0 };
    const t1Before = countOf(before, w.units.t1.id);
    const t2Before = countOf(before, w.units.t2.id);

    // t2: two rectifying complaints overdue by 3 and 4 days (deadlines set, then time passes:
    // the deadline is moved back in the database to stand for the days gone by).
    const late1 = await rectifying(addDaysFromToday(30), 'deadline', 't2');
    const late2 = await rectifying(addDaysFromToday(30), 'deadline', 't2');
    await knex()('complaints').where('id', late1.id).update({ deadline: shift(today, -3) });
    await knex()('complaints').where('id', late2.id).update({ deadline: shift(today, -4) });
    // t1: one orange (5 days left), one yellow (15 days left).
    await rectifying(addDaysFromToday(5), 'deadline', 't1');
    await rectifying(addDaysFromToday(15), 'deadline', 't1');
    await jobs().run('warnings', { now: new Date(), slot: `test-${Date.now()}` });

    const res = await w.users.op1.get('/complaints/warnings/overview');
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data.today).toBe(today);
    expect(data.ownUnitIds).toEqual([w.units.t1.id]);
    expect(data.ownUnits).toEqual([{ id: w.units.t1.id, code: 'T1', name: '城关镇人民政府' }]);
    expect(data.units[0].unitId).toBe(w.units.t1.id);
    const t1 = countOf(data, w.units.t1.id);
    const t2 = countOf(data, w.units.t2.id);
    expect([t1.yellow - t1Before.yellow, t1.orange - t1Before.orange, t1.red - t1Before.red]).toEqual([1, 1, 0]);
    expect([t2.red - t2Before.red, t2.overdueDays - t2Before.overdueDays]).toEqual([2, 7]);
    expect(t2).toMatchObject({ code: 'T2', name: '东坝镇人民政府' });
    // The red list names units with red complaints, most first.
    expect(data.redList.length).toBeGreaterThan(0);
    expect(data.redList.every((u: any) => u.red > 0)).toBe(true);
    for (let i = 1; i < data.redList.length; i += 1) expect(data.redList[i - 1].red).toBeGreaterThanOrEqual(data.redList[i].red);
    expect(data.redList.map((u: any) => u.unitId)).toContain(w.units.t2.id);
    // A unit sees that the job is alive, not which server ran it; the county office sees the instance.
    expect(data.lastRun).toMatchObject({ status: 'done' });
    expect(data.lastRun.instance).toBeUndefined();
    const countyView = (await w.users.county.get('/complaints/warnings/overview')).body.data;
    expect(countyView.lastRun).toMatchObject({ status: 'done', instance: jobs().instanceId });
    // Another unit's operator sees their own unit first.
    const other = (await w.users.op2.get('/complaints/warnings/overview')).body.data;
    expect(other.units[0].unitId).toBe(w.units.t2.id);
    // No personal data in the overview.
    expect(JSON.stringify(data)).not.toContain('19900001234');
    expect(JSON.stringify(data)).not.toContain('测试丙');
  });

  it('refuses a user without the complaints read permission (positive control: an operator)', async () => {
    const u = await createAdminUser(app.strapi, { roleCode: 'strapi-editor' });
    const editor = await login(app.strapi, u.email, u.password);
    const refused = await editor.get('/complaints/warnings/overview');
    expect(refused.status).toBe(403);
    expect((await w.users.op1.get('/complaints/warnings/overview')).status).toBe(200);
    expect((await app.request().get('/complaints/warnings/overview')).status).toBe(401);
  });

  it('lists recorded job runs and refuses an unknown job name', async () => {
    const ok = await w.users.county.get('/complaints/jobs/runs?job=warnings&limit=5');
    expect(ok.status).toBe(200);
    expect(ok.body.data.length).toBe(5);
    expect(ok.body.data[0]).toMatchObject({ job: 'warnings', status: 'done', instance: jobs().instanceId });
    const bad = await w.users.county.get('/complaints/jobs/runs?job=nope');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('未知的定时任务：nope / Unknown job: nope');
    const badLimit = await w.users.county.get('/complaints/jobs/runs?limit=0');
    expect(badLimit.status).toBe(400);
  });
});

describe('the Content Manager list', () => {
  it('shows the warning level as a sortable, filterable column', async () => {
    const cfg = await w.users.county.get('/content-manager/content-types/plugin::complaints.complaint/configuration');
    expect(cfg.status).toBe(200);
    const conf = cfg.body.data.contentType;
    expect(conf.layouts.list).toContain('warningLevel');
    expect(conf.metadatas.warningLevel.list).toMatchObject({ sortable: true, searchable: true });

    const base = '/content-manager/collection-types/plugin::complaints.complaint';
    const red = await w.users.county.get(`${base}?page=1&pageSize=100&filters[$and][0][warningLevel][$eq]=red`);
    expect(red.status).toBe(200);
    expect(red.body.results.length).toBeGreaterThan(0);
    expect(red.body.results.every((r: any) => r.warningLevel === 'red')).toBe(true);
    const redInDb = Number((await knex()('complaints').where('warning_level', 'red').count({ n: '*' }))[0].n);
    expect(red.body.pagination.total).toBe(redInDb);

    const sorted = await w.users.county.get(`${base}?page=1&pageSize=100&sort=warningLevel:ASC`);
    expect(sorted.status).toBe(200);
    const levels = sorted.body.results.map((r: any) => r.warningLevel);
    expect(levels).toEqual([...levels].sort());
    expect(new Set(levels).size).toBeGreaterThan(1);
  });
});
