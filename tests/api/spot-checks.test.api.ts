/**
 * Spot checks 抽查 through the admin routes: the draw of a month (stratified by unit, seeded,
 * repeatable), a second draw, the inspector's results (a fail reopens its complaint with its
 * event), the report per unit (JSON and xlsx) and who may do what.
 *
 * October 2026's frame: SPOT-A1, A2, A3 closed for t1, SPOT-B1, B2 for t2 (closings backdated
 * into October); SPOT-A4 closed in September. Sample keys by hand (python hashlib, SHA-256 of
 * seed, line feed, ledger number): under "alpha" A1 < A2 < A3 and B1 < B2; under "gamma"
 * A2 < A1 < A3 and B2 < B1. At 10% and at least one per unit: alpha draws A1 and B1, gamma A2
 * and B2; alpha at 50% draws A1, A2 (⌈1.5⌉ = 2) and B1.
 *
 * A second draw of a drawn month: the same seed, percentage and minimum return the recorded
 * draw (200, nothing written); anything else is refused (409).
 */
import ExcelJS from 'exceljs';
import supertest from 'supertest';
import { toCalendarDay } from '../../plugins/complaints/server/src/domain/calendar';
import { addDaysFromToday, driveTo, withWorld, type World } from '../helpers/world';
import type { AdminSession } from '../helpers/admin';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
type Ref = { id: number; documentId: string; ledgerNo: string };
const c: Record<string, Ref> = {};
const ok = async (p: PromiseLike<{ status: number; body: any }>, status = 200) => {
  const res = await p;
  expect([res.status, res.body?.error]).toEqual([status, undefined]);
  return res;
};
const close = async (ledgerNo: string, unit: 't1' | 't2', closedAt: string) => {
  const r: Ref = await driveTo(w, 'closed', { unit, ledgerNo, receivedAt: '2026-09-01T02:00:00.000Z', phone: '13900003333' });
  // Back in October: the complaint's closing time and the history's record of the closing.
  await knex()('complaints').where('id', r.id).update({ closed_at: new Date(closedAt) });
  await withEventTriggerOff(() => knex()('complaint_events').where({ complaint_id: r.id, to_state: 'closed' }).update({ at: new Date(closedAt) }));
  return (c[ledgerNo] = r);
};

/** The history is append-only (a trigger): moving a fixture's closing back in time turns it off, as a superuser could. */
const withEventTriggerOff = async (fn: () => Promise<unknown>) => {
  if (app.db === 'postgres') {
    await knex().raw('ALTER TABLE complaint_events DISABLE TRIGGER minyi_events_guard_row');
    try {
      await fn();
    } finally {
      await knex().raw('ALTER TABLE complaint_events ENABLE TRIGGER minyi_events_guard_row');
    }
  } else {
    await knex().raw('DROP TRIGGER minyi_events_no_update');
    try {
      await fn();
    } finally {
      await app.strapi.plugin('complaints').service('triggers').ensure();
    }
  }
};

beforeAll(async () => {
  await close('SPOT-A1', 't1', '2026-10-03T02:00:00.000Z');
  await close('SPOT-A2', 't1', '2026-10-15T02:00:00.000Z');
  // 2026-10-31 23:30 in Beijing: still October.
  await close('SPOT-A3', 't1', '2026-10-31T15:30:00.000Z');
  await close('SPOT-B1', 't2', '2026-10-08T02:00:00.000Z');
  await close('SPOT-B2', 't2', '2026-10-09T02:00:00.000Z');
  await close('SPOT-A4', 't1', '2026-09-20T02:00:00.000Z');
});

const checks = async () => Number((await knex()('spot_checks').count({ n: '*' }))[0].n);
const events = async () => Number((await knex()('complaint_events').count({ n: '*' }))[0].n);
const preview = (s: AdminSession, q: string) => s.get(`/complaints/spot-checks/preview?month=2026-10&${q}`);
const draw = (s: AdminSession, body: Record<string, unknown>) => s.post('/complaints/spot-checks').send(body);
const currentMonth = () => addDaysFromToday(0).slice(0, 7);

describe('the draw is repeatable from the seed', () => {
  it('the same seed gives the same sample, another seed another; the percentage is configurable', async () => {
    const ledgerNos = async (q: string) => (await ok(preview(w.users.county, q))).body.data.members.map((m: any) => m.ledgerNo);
    expect(await ledgerNos('seed=alpha')).toEqual(['SPOT-A1', 'SPOT-B1']);
    expect(await ledgerNos('seed=alpha')).toEqual(['SPOT-A1', 'SPOT-B1']);
    expect(await ledgerNos('seed=gamma')).toEqual(['SPOT-A2', 'SPOT-B2']);
    expect(await ledgerNos('seed=alpha&percent=50')).toEqual(['SPOT-A1', 'SPOT-A2', 'SPOT-B1']);
    const res = await ok(preview(w.users.leader, 'seed=alpha'));
    expect(res.body.data.units).toEqual([
      { unitId: w.units.t1.id, unitName: '城关镇人民政府', closed: 3, drawn: 1 },
      { unitId: w.units.t2.id, unitName: '东坝镇人民政府', closed: 2, drawn: 1 },
    ]);
    expect(res.body.data.members[0]).toEqual({ ledgerNo: 'SPOT-A1', unitId: w.units.t1.id, unitName: '城关镇人民政府', rank: 1, sampleKey: '009c8160d53ce09ef38a8962d0564de09eb4deb125dd9392b88b257f3bb99f6e' });
    expect(await checks()).toBe(0);
  });
});

describe('drawing a month', () => {
  it('only the county office draws (positive control: its draw records the sample, one per unit at least)', async () => {
    for (const s of [w.users.lead1, w.users.leader, w.users.op1, w.users.head1]) {
      expect((await draw(s, { month: '2026-10', seed: 'alpha' })).status).toBe(403);
    }
    expect(await checks()).toBe(0);
    const res = await ok(draw(w.users.county, { month: '2026-10', seed: 'alpha' }), 201);
    expect([res.body.meta.created, res.body.data.seed, res.body.data.percent, res.body.data.minPerUnit, res.body.data.drawnByName]).toEqual([true, 'alpha', 10, 1, '整治办 测试']);
    // Closing instants in Beijing time: 02:00 UTC is 10:00.
    expect(res.body.data.checks.map((k: any) => [k.ledgerNo, k.unitName, k.closedAt, k.result])).toEqual([['SPOT-A1', '城关镇人民政府', '2026-10-03 10:00', 'pending'], ['SPOT-B1', '东坝镇人民政府', '2026-10-08 10:00', 'pending']]);
    expect(res.body.data.units.map((u: any) => [u.unitName, u.closed, u.drawn])).toEqual([['城关镇人民政府', 3, 1], ['东坝镇人民政府', 2, 1]]);
    const rows = await knex()('spot_checks').where('month', '2026-10').orderBy('id').select('complaint_id', 'seed', 'unit_id', 'result');
    expect(rows.map((r: any) => [Number(r.complaint_id), r.seed, Number(r.unit_id), r.result])).toEqual([
      [c['SPOT-A1'].id, 'alpha', w.units.t1.id, 'pending'],
      [c['SPOT-B1'].id, 'alpha', w.units.t2.id, 'pending'],
    ]);
  });

  it('drawing again: the same seed returns the recorded draw, another seed or percentage is a 409; nothing is written', async () => {
    const again = await ok(draw(w.users.county, { month: '2026-10', seed: 'alpha' }));
    expect([again.body.meta.created, again.body.data.checks.map((k: any) => k.ledgerNo)]).toEqual([false, ['SPOT-A1', 'SPOT-B1']]);
    for (const body of [{ seed: 'gamma' }, { seed: 'alpha', percent: 50 }, {}]) {
      const res = await draw(w.users.county, { month: '2026-10', ...body });
      expect([res.status, res.body.error?.details?.code, res.body.error?.details?.seed]).toEqual([409, 'spot_check_drawn', 'alpha']);
    }
    expect(await checks()).toBe(2);
  });

  it('a month not over, a month with nothing closed, a bad seed are 400s; without a seed one is chosen and recorded', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ month: currentMonth(), seed: 'alpha' }, 'month_not_over'],
      [{ month: '2026-08', seed: 'alpha' }, 'nothing_to_draw'],
      [{ month: '2026-09', seed: 'a b' }, 'invalid_input'],
      [{ month: '2026-9' }, 'invalid_input'],
    ];
    for (const [body, code] of cases) {
      const res = await draw(w.users.county, body);
      expect([JSON.stringify(body), res.status, res.body.error?.details?.code]).toEqual([JSON.stringify(body), 400, code]);
    }
    expect(await checks()).toBe(2);
    const res = await ok(draw(w.users.county, { month: '2026-09' }), 201);
    expect(res.body.data.seed).toMatch(/^[0-9a-f]{16}$/);
    expect(res.body.data.checks.map((k: any) => k.ledgerNo)).toEqual(['SPOT-A4']);
    const listed = await ok(w.users.leader.get('/complaints/spot-checks?month=2026-09'));
    expect(listed.body.data.seed).toBe(res.body.data.seed);
  });

  it('the list: county roles read it (a unit is refused); an undrawn month is a 404', async () => {
    expect((await w.users.op1.get('/complaints/spot-checks?month=2026-10')).status).toBe(403);
    expect((await w.users.lead1.get('/complaints/spot-checks?month=2026-10')).status).toBe(403);
    expect((await w.users.county.get('/complaints/spot-checks?month=2026-07')).status).toBe(404);
    const res = await ok(w.users.leader.get('/complaints/spot-checks?month=2026-10'));
    expect(res.body.data.checks.map((k: any) => [k.ledgerNo, k.state])).toEqual([['SPOT-A1', 'closed'], ['SPOT-B1', 'closed']]);
    // Each unit's closed count of October (A1–A3, B1–B2), read back with the draw.
    expect(res.body.data.units.map((u: any) => [u.unitName, u.closed, u.drawn])).toEqual([['城关镇人民政府', 3, 1], ['东坝镇人民政府', 2, 1]]);
  });
});

describe('recording results', () => {
  const idOf = async (ledgerNo: string) => Number((await knex()('spot_checks').where('complaint_id', c[ledgerNo].id).where('month', '2026-10').first('id')).id);
  const record = (s: AdminSession, id: number, body: Record<string, unknown>) => s.post(`/complaints/spot-checks/${id}/result`).send(body);

  it('a failed check reopens its complaint with the new deadline and the reopen event, in one step', async () => {
    const id = await idOf('SPOT-A1');
    const before = await events();
    // Refused: the county leader, a lead unit; a fail without a new deadline.
    expect((await record(w.users.leader, id, { result: 'failed', finding: 'not_real', deadline: addDaysFromToday(20) })).status).toBe(403);
    expect((await record(w.users.lead1, id, { result: 'failed', finding: 'not_real', deadline: addDaysFromToday(20) })).status).toBe(403);
    const missing = await record(w.users.county, id, { result: 'failed', finding: 'not_real' });
    expect([missing.status, missing.body.error.details.field]).toEqual([400, 'deadline']);
    const past = await record(w.users.county, id, { result: 'failed', finding: 'not_real', deadline: addDaysFromToday(-1) });
    expect(past.status).toBe(400);
    expect([await events(), (await knex()('complaints').where('id', c['SPOT-A1'].id).first('state')).state, (await knex()('spot_checks').where('id', id).first('result')).result]).toEqual([before, 'closed', 'pending']);

    const deadline = addDaysFromToday(20);
    const res = await ok(record(w.users.county, id, { result: 'failed', finding: 'not_real', note: '现场未见整改', deadline }));
    expect(res.body.data).toEqual({ id, month: '2026-10', ledgerNo: 'SPOT-A1', result: 'failed', finding: 'not_real', reopened: true });
    const row = await knex()('complaints').where('id', c['SPOT-A1'].id).first('state', 'reopen_count', 'deadline', 'closed_at');
    expect([row.state, Number(row.reopen_count), toCalendarDay(row.deadline), row.closed_at]).toEqual(['rectifying', 1, deadline, null]);
    const ev = await knex()('complaint_events').where('complaint_id', c['SPOT-A1'].id).orderBy('seq', 'desc').first('type', 'from_state', 'to_state', 'data', 'actor_name');
    const data = typeof ev.data === 'string' ? JSON.parse(ev.data) : ev.data;
    expect([ev.type, ev.from_state, ev.to_state, ev.actor_name, data.reason, data.deadline]).toEqual(['reopen', 'closed', 'rectifying', '整治办 测试', '2026-10 抽查不合格：整改不实。现场未见整改', deadline]);
    expect(await events()).toBe(before + 1);
    const check = await knex()('spot_checks').where('id', id).first('result', 'finding', 'note', 'checked_by_name');
    expect([check.result, check.finding, check.note, check.checked_by_name]).toEqual(['failed', 'not_real', '现场未见整改', '整治办 测试']);
    // The reopen cleared the complaint's closedAt; the draw still shows when it had been closed.
    const listed = await ok(w.users.leader.get('/complaints/spot-checks?month=2026-10'));
    expect(listed.body.data.checks.filter((k: any) => k.id === id).map((k: any) => [k.ledgerNo, k.state, k.closedAt, k.result])).toEqual([['SPOT-A1', 'rectifying', '2026-10-03 10:00', 'failed']]);
    // Reopened, it was still closed in October: the recorded draw is repeated from its seed.
    expect((await ok(preview(w.users.county, 'seed=alpha'))).body.data.members.map((m: any) => m.ledgerNo)).toEqual(['SPOT-A1', 'SPOT-B1']);
  });

  it('a result is final (409); a pass leaves its complaint closed', async () => {
    const a1 = await idOf('SPOT-A1');
    const before = await events();
    const again = await record(w.users.county, a1, { result: 'passed' });
    expect([again.status, again.body.error.details.code]).toEqual([409, 'already_checked']);
    const b1 = await idOf('SPOT-B1');
    expect((await ok(record(w.users.county, b1, { result: 'passed', note: '回访属实' }))).body.data.reopened).toBe(false);
    expect([(await knex()('complaints').where('id', c['SPOT-B1'].id).first('state')).state, await events()]).toEqual(['closed', before]);
    expect((await record(w.users.county, 999999, { result: 'passed' })).status).toBe(404);
  });

  it('the report per unit counts the fail against its unit, as JSON and as xlsx', async () => {
    const zero = { not_real: 0, feedback_missing: 0, low_satisfaction: 0, other: 0 };
    const res = await ok(w.users.leader.get('/complaints/spot-checks/report?month=2026-10'));
    expect(res.body.data).toEqual({
      month: '2026-10',
      units: [
        { unitId: w.units.t1.id, unitName: '城关镇人民政府', drawn: 1, checked: 1, passed: 0, failed: 1, byFinding: { ...zero, not_real: 1 } },
        { unitId: w.units.t2.id, unitName: '东坝镇人民政府', drawn: 1, checked: 1, passed: 1, failed: 0, byFinding: zero },
      ],
      total: { unitId: null, drawn: 2, checked: 2, passed: 1, failed: 1, byFinding: { ...zero, not_real: 1 } },
    });
    const file = await w.users.county.get('/complaints/spot-checks/report?month=2026-10&format=xlsx').buffer(true).parse((r, cb) => {
      const b: Buffer[] = [];
      r.on('data', (d: Buffer) => b.push(d));
      r.on('end', () => cb(null, Buffer.concat(b)));
    });
    expect(file.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file.body as unknown as ArrayBuffer);
    const lines: unknown[][] = [];
    wb.getWorksheet('抽查情况')!.eachRow((r) => lines.push((r.values as unknown[]).slice(1)));
    expect(lines).toEqual([
      ['责任单位', '抽查数', '已检查', '合格', '不合格', '不合格：整改不实', '不合格：反馈不到位', '不合格：满意度不高', '不合格：其他'],
      ['城关镇人民政府', 1, 1, 0, 1, 1, 0, 0, 0],
      ['东坝镇人民政府', 1, 1, 1, 0, 0, 0, 0, 0],
      ['合计', 2, 2, 1, 1, 1, 0, 0, 0],
    ]);
    expect(wb.getWorksheet('抽查说明')!.getCell(2, 2).value).toBe('alpha');
    expect((await w.users.op1.get('/complaints/spot-checks/report?month=2026-10')).status).toBe(403);
    expect((await supertest(app.strapi.server.httpServer).get('/complaints/spot-checks/report?month=2026-10')).status).toBe(401);
  });

  it("the export shows a complaint's latest check", async () => {
    const res = await w.users.county.get('/complaints/export?spotCheck=failed').buffer(true).parse((r, cb) => {
      const b: Buffer[] = [];
      r.on('data', (d: Buffer) => b.push(d));
      r.on('end', () => cb(null, Buffer.concat(b)));
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('整改台账')!;
    expect([res.headers['x-export-rows'], sheet.getCell(2, 1).value, sheet.getCell(2, 31).value]).toEqual(['1', 'SPOT-A1', '2026-10 不合格（整改不实）']);
  });
});
