/**
 * The rates and the monthly ranking through their admin routes, over a small county driven
 * through the real workflow routes: November 2026 (county time) for two townships, with a late
 * acceptance, a send-back to another unit, a returned measure, a policy-limited closure, a
 * reopened and re-answered complaint, common problems in two groups, and complaints just
 * outside the month. Every expected figure is counted by hand below.
 */
import { pngFile } from '../helpers/files';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';
import type { AdminSession } from '../helpers/admin';
import { actorContextOf } from '../../plugins/complaints/server/src/domain/actor';
import { ROLE_CODES } from '../../plugins/complaints/server/src/domain/roles';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
const VISITOR = { kind: 'admin' as const, id: 1, name: '回访员', unitId: null, unitName: null };
const MEASURE = { mode: 'deadline', text: '更换楼道全部照明灯具并建立巡查机制', responsiblePerson: '张科长' };

let n = 0;
/** A complaint registered as received at `receivedAt` (an instant), as the county office records it. */
const registered = async (receivedAt: string, opts: { town?: string; phone?: string | null } = {}) => {
  n += 1;
  const doc = await app.strapi.documents('plugin::complaints.complaint').create({
    data: {
      ledgerNo: `R-${n}-${Date.now()}`,
      receivedAt,
      channel: 'hotline',
      complainantName: '测试丁',
      phone: opts.phone === undefined ? '19900002222' : opts.phone,
      town: opts.town ?? '城关镇',
      village: '东街社区',
      content: '小区路灯长期损坏',
    } as any,
  });
  const row = await knex()('complaints').where('document_id', doc.documentId).first('id');
  return { id: Number(row.id), documentId: doc.documentId as string };
};

const ok = async (s: AdminSession, c: { documentId: string }, action: string, inputs: Record<string, unknown> = {}) => {
  const res = await act(s, c.documentId, action, inputs);
  expect([action, res.status, res.body?.error?.message]).toEqual([action, 200, undefined]);
};

const toAssigned = async (c: { documentId: string }, unit: 't1' | 't2', categoryCode = '0101') => {
  await ok(w.users.county, c, 'classify', { categoryCode, level: 'township', responsibleUnitId: w.units[unit].id });
  await ok(w.users.county, c, 'assign');
};

const group = async (s: AdminSession, name: string) => {
  const g = await s.post('/complaints/problem-groups').send({ categoryCode: '0101', name });
  expect(g.status).toBe(201);
  return g.body.data.documentId as string;
};

/** From accepted to closed: measure, approval, evidence, completion, three signatures. */
const toClosed = async (c: { documentId: string }, unit: 't1' | 't2', opts: { policy?: boolean; returnFirst?: boolean } = {}) => {
  const op = unit === 't1' ? w.users.op1 : w.users.op2;
  const head = unit === 't1' ? w.users.head1 : w.users.head2;
  const lead = unit === 't1' ? w.users.lead1 : w.users.lead2;
  const measure = opts.policy ? { mode: 'policy_limited', text: '受现行政策限制，做好解释工作', responsiblePerson: '王主任', policyRef: '县政发〔2026〕12号' } : { ...MEASURE, deadline: addDaysFromToday(30) };
  await ok(op, c, 'submit_measure', measure);
  if (opts.returnFirst) {
    await ok(lead, c, 'return_measure', { comment: '措施不实，请明确完成时间' });
    await ok(op, c, 'resubmit_measure', measure);
  }
  await ok(lead, c, 'approve_measure');
  const ev = await op.post(`/complaints/complaints/${c.documentId}/evidence`).field('aspect', 'facility').field('text', '已整改').attach('files', pngFile('after'), { filename: 'after.png', contentType: 'image/png' });
  expect(ev.status).toBe(201);
  await ok(op, c, 'complete');
  await signed(c, head, lead);
};

const signed = async (c: { documentId: string }, head: AdminSession, lead: AdminSession) => {
  await ok(head, c, 'sign');
  await ok(lead, c, 'sign');
  await ok(w.users.leader, c, 'sign');
};

const answer = async (c: { id: number }, a: 'satisfied' | 'basically_satisfied' | 'dissatisfied') => {
  expect(await app.strapi.plugin('complaints').service('surveys').recordPhoneVisit(c.id, a, null, VISITOR)).toBe('answered');
};

const NOV = '2026-11-10T02:00:00.000Z';

beforeAll(async () => {
  const { op1, op2, county } = w.users;
  const g1 = await group(op1, '楼道照明');
  const g2 = await group(op1, '路灯维修');

  // 城关镇 (t1)
  const a1 = await registered(NOV); // individual, a measure returned once, closed on time, satisfied
  await toAssigned(a1, 't1');
  await ok(op1, a1, 'accept', { nature: 'individual' });
  await toClosed(a1, 't1', { returnFirst: true });
  await answer(a1, 'satisfied');

  const a2 = await registered(NOV, { phone: null }); // no phone (not traceable), accepted late, common in g1
  await toAssigned(a2, 't1');
  await knex()('complaints').where('id', a2.id).update({ response_deadline: '2026-11-12' });
  await ok(op1, a2, 'accept', { nature: 'common', problemGroup: g1 });

  const a3 = await registered(NOV, { town: '东坝镇' }); // assigned to t1, sent back, re-assigned to t2, accepted
  await toAssigned(a3, 't1');
  await ok(op1, a3, 'send_back', { reason: '属于东坝镇辖区' });
  await toAssigned(a3, 't2');
  await ok(op2, a3, 'accept', { nature: 'individual' });

  const a4 = await registered(NOV); // common in g1, closed as policy_limited, dissatisfied
  await toAssigned(a4, 't1');
  await ok(op1, a4, 'accept', { nature: 'common', problemGroup: g1 });
  await toClosed(a4, 't1', { policy: true });
  await answer(a4, 'dissatisfied');

  const a5 = await registered(NOV); // common in g2, closed, dissatisfied, reopened, closed again, satisfied
  await toAssigned(a5, 't1');
  await ok(op1, a5, 'accept', { nature: 'common', problemGroup: g2 });
  await toClosed(a5, 't1');
  await answer(a5, 'dissatisfied');
  await ok(county, a5, 'reopen', { reason: '回访不满意，路灯再次损坏', deadline: addDaysFromToday(10) });
  await ok(op1, a5, 'complete');
  await signed(a5, w.users.head1, w.users.lead1);
  await answer(a5, 'satisfied');

  // 00:30 on 1 November in Shanghai: a November complaint, still inside its response time.
  const a6 = await registered('2026-10-31T16:30:00.000Z');
  await toAssigned(a6, 't1');

  // 23:30 on 31 October in Shanghai: October's, in no November figure.
  const a7 = await registered('2026-10-31T15:30:00.000Z');
  await toAssigned(a7, 't1');
  await ok(op1, a7, 'accept', { nature: 'individual' });

  // Screened out, and not yet screened: not valid, in no rate.
  const a9 = await registered(NOV);
  await ok(county, a9, 'screen_invalid', { reason: 'unclear_content' });
  await registered(NOV);

  // 东坝镇 (t2)
  const b1 = await registered(NOV, { town: '东坝镇' }); // closed on time, basically satisfied
  await toAssigned(b1, 't2', '0201');
  await ok(op2, b1, 'accept', { nature: 'individual' });
  await toClosed(b1, 't2');
  await answer(b1, 'basically_satisfied');
});

const r = (numerator: number, denominator: number) => ({ numerator, denominator, rate: denominator === 0 ? null : numerator / denominator });
const sat = (satisfied: number, basicallySatisfied: number, dissatisfied: number) => ({
  ...r(satisfied + basicallySatisfied, satisfied + basicallySatisfied + dissatisfied), satisfied, basicallySatisfied, dissatisfied,
});

// By hand, November, 城关镇人民政府 (t1): a1, a2, a4, a5, a6 are its valid complaints (a3 is
// t2's now). Resolved a1, a5 (a4 is policy-limited); traceable: all but a2. Responses decided:
// a1, a2, a4, a5 (a6 pending), in time all but a2. Deadlines met: a1, a5 (a4 has none).
// Measures: a1 two versions (one returned), a4, a5 one each. Closed at least once a1, a4, a5;
// reopened a5. Assignments made to t1: a1, a2, a3, a4, a5, a6, one sent back (a3). Common:
// a2, a4 (g1, unresolved: a4 is policy-limited), a5 (g2, resolved). Latest answers: a1
// satisfied, a4 dissatisfied, a5 satisfied (its second answer).
const T1 = {
  counts: {
    valid: 5, resolved: 2, policyLimited: 1, traceableValid: 4, traceableResolved: 2, traceablePolicyLimited: 1,
    responseDue: 4, acceptedInTime: 3, responsePending: 1, completionDue: 2, completedOnTime: 2,
    measuresSubmitted: 4, measuresReturned: 1, closedEver: 3, reopened: 1, assignments: 6, sentBack: 1,
    commonDemands: 3, commonDemandsResolved: 1, commonGroups: 2, commonGroupsResolved: 1,
  },
  rates: {
    response: r(3, 4), resolution: r(2, 5), resolutionTraceable: r(2, 4), satisfaction: sat(2, 0, 1), onTimeCompletion: r(2, 2),
    sendBack: r(1, 4), reopen: r(1, 3), assignmentAccuracy: r(5, 6), commonPerDemand: r(1, 3), commonPerGroup: r(1, 2),
  },
};
// 东坝镇人民政府 (t2): a3 (accepted in time), b1 (closed on time, basically satisfied).
const T2 = {
  counts: {
    valid: 2, resolved: 1, policyLimited: 0, traceableValid: 2, traceableResolved: 1, traceablePolicyLimited: 0,
    responseDue: 2, acceptedInTime: 2, responsePending: 0, completionDue: 1, completedOnTime: 1,
    measuresSubmitted: 1, measuresReturned: 0, closedEver: 1, reopened: 0, assignments: 2, sentBack: 0,
    commonDemands: 0, commonDemandsResolved: 0, commonGroups: 0, commonGroupsResolved: 0,
  },
  rates: {
    response: r(2, 2), resolution: r(1, 2), resolutionTraceable: r(1, 2), satisfaction: sat(0, 1, 0), onTimeCompletion: r(1, 1),
    sendBack: r(0, 1), reopen: r(0, 1), assignmentAccuracy: r(2, 2), commonPerDemand: r(0, 0), commonPerGroup: r(0, 0),
  },
};

/**
 * The same questions, answered twice: from the rows, then from the rates' rollup
 * (services/rate-rollup.ts) built by the warning job over the same complaints. The figures are
 * the same literals; where a filter is not a column of the rollup's key, the rollup gives way to
 * the rows, and the answer says so.
 */
const ROLLUP_FILTERS_USED = new Set(['responsibleUnit', 'town']);
let rollupBuilt = false;
/** What a rates or ranking answer must say of its source, for a question with these filters. */
const expectSource = (data: any, filters: string[] = []) => {
  const liveForFilter = filters.some((f) => !ROLLUP_FILTERS_USED.has(f));
  if (!rollupBuilt) expect([data.source, data.asOf, data.liveReason]).toEqual(['live', null, 'none']);
  else if (liveForFilter) expect([data.source, data.asOf, data.liveReason]).toEqual(['live', null, 'filter']);
  else expect([data.source, typeof data.asOf, data.liveReason]).toEqual(['rollup', 'string', null]);
};

describe.each([
  ['from the rows', false],
  ['from the rates\' rollup, rebuilt by the warning job', true],
])('%s', (_source, fromRollup) => {
  beforeAll(async () => {
    if (!fromRollup) return;
    // Nothing has built the rollup yet: the jobs do not run in the tests until asked.
    expect(Number(((await knex()('rate_rollup_builds').count({ n: '*' }).first()) as any).n)).toBe(0);
    const run = await app.strapi.plugin('complaints').service('jobs').run('warnings', { now: new Date() });
    expect([run.ran, run.error]).toEqual([true, undefined]);
    rollupBuilt = true;
  });

  describe('GET /complaints/stats/rates', () => {
    it('per unit for November, as the county office sees it: every numerator and denominator by hand', async () => {
      const res = await w.users.county.get('/complaints/stats/rates?by=unit&month=2026-11');
      expect(res.status).toBe(200);
      const { data } = res.body;
      expect([data.by, data.month, data.timeZone]).toEqual(['unit', '2026-11', 'Asia/Shanghai']);
      expectSource(data);
      const byCode = Object.fromEntries(data.rows.map((row: any) => [row.code, row]));
      // Every responsible unit is shown; the two departments had nothing assigned in November.
      expect(Object.keys(byCode).sort()).toEqual(['D1', 'D2', 'T1', 'T2']);
      expect(byCode.T1).toMatchObject({ key: 'T1', id: w.units.t1.id, name: '城关镇人民政府' });
      expect({ counts: byCode.T1.counts, rates: byCode.T1.rates }).toEqual(T1);
      expect({ counts: byCode.T2.counts, rates: byCode.T2.rates }).toEqual(T2);
      expect([byCode.D1.counts.valid, byCode.D1.rates.response.rate, byCode.D1.rates.satisfaction.rate]).toEqual([0, null, null]);
      // The county's totals, t1 and t2 added by hand: 7 valid, 3 resolved (6 traceable, 3 resolved),
      // 5 of 6 responses in time, 8 assignments with 1 sent back, 5 measures with 1 returned,
      // 4 closed with 1 reopened, latest answers 2 satisfied + 1 basically satisfied of 4.
      expect(data.totals.rates).toMatchObject({
        response: r(5, 6), resolution: r(3, 7), resolutionTraceable: r(3, 6), satisfaction: sat(2, 1, 1),
        assignmentAccuracy: r(7, 8), sendBack: r(1, 5), reopen: r(1, 4), commonPerDemand: r(1, 3), commonPerGroup: r(1, 2),
      });
      expect([data.totals.counts.policyLimited, data.totals.counts.responsePending]).toEqual([1, 1]);
    });

    it('per town and per month received, in the county time zone', async () => {
      const townsRes = await w.users.county.get('/complaints/stats/rates?by=town&month=2026-11');
      expectSource(townsRes.body.data);
      const towns = townsRes.body.data.rows;
      expect(towns.map((t: any) => [t.key, t.counts.valid, t.rates.resolution.numerator])).toEqual([['东坝镇', 2, 1], ['城关镇', 5, 2]]);
      const monthsRes = await w.users.county.get('/complaints/stats/rates?by=month');
      expectSource(monthsRes.body.data);
      const months = monthsRes.body.data.rows;
      // a7 (23:30 on 31 October, Shanghai) is October's; a6 (00:30 on 1 November) November's.
      expect(months.map((m: any) => [m.key, m.counts.valid, m.counts.responseDue, m.counts.acceptedInTime])).toEqual([['2026-10', 1, 1, 1], ['2026-11', 7, 6, 5]]);
    });

    it('a unit operator sees its own unit only, with the same figures the county sees for it', async () => {
      const res = await w.users.op1.get('/complaints/stats/rates?by=unit&month=2026-11');
      expect(res.status).toBe(200);
      expect(res.body.data.rows.map((row: any) => row.code)).toEqual(['T1']);
      expectSource(res.body.data);
      expect({ counts: res.body.data.rows[0].counts, rates: res.body.data.rows[0].rates }).toEqual(T1);
      expect(res.body.data.totals).toEqual(T1);
      // Whatever the dimension: a3 (东坝镇, now t2's) is none of op1's complaints; op1 sees only
      // the assignment it was given and sent back.
      const towns = (await w.users.op1.get('/complaints/stats/rates?by=town&month=2026-11')).body.data.rows;
      expect(towns.map((t: any) => [t.key, t.counts.valid, t.counts.assignments, t.counts.sentBack])).toEqual([['东坝镇', 0, 1, 1], ['城关镇', 5, 5, 0]]);
      const other = await w.users.op2.get('/complaints/stats/rates?by=unit&month=2026-11');
      expect(other.body.data.rows.map((row: any) => [row.code, row.counts.assignments, row.counts.sentBack])).toEqual([['T2', 2, 0]]);
    });

    it.each([
      ['a month that does not exist', '/complaints/stats/rates?by=unit&month=2026-13', 'month 应为 YYYY-MM 格式的月份 / month must be a month as YYYY-MM'],
      ['a month as a day', '/complaints/stats/rates?month=2026-11-01', 'month 应为 YYYY-MM 格式的月份 / month must be a month as YYYY-MM'],
      ['an unknown by', '/complaints/stats/rates?by=village', 'by 应为 unit / leadUnit / category / town / month 之一 / by must be one of unit, leadUnit, category, town, month'],
      ['an unknown parameter', '/complaints/stats/rates?unit=T1', '未知的筛选条件：unit / Unknown filter: unit'],
      ['a bad ranking month', '/complaints/stats/ranking?month=11-2026', 'month 应为 YYYY-MM 格式的月份 / month must be a month as YYYY-MM'],
      ['by on the ranking', '/complaints/stats/ranking?by=town', '未知的筛选条件：by / Unknown filter: by'],
    ])('refuses %s with a 400', async (_what, url, message) => {
      const res = await w.users.county.get(url);
      expect([res.status, res.body.error.message]).toEqual([400, message]);
    });
  });

  describe('the rates and the ranking under the filters (the counts\' query parameters)', () => {
    // By hand, November, traceable complaints only: a2 (no phone) drops out of t1's figures.
    // t1: a1, a4, a5, a6 valid; resolved a1, a5, a4 policy-limited; responses decided a1, a4, a5,
    // all in time (a2 was the late one), a6 pending; deadlines met a1, a5; measures a1 two (one
    // returned), a4, a5; closed at least once a1, a4, a5, reopened a5; assignments made to t1:
    // a1, a3, a4, a5, a6, one sent back (a3); common a4 (g1, policy-limited) and a5 (g2,
    // resolved); latest answers a1 satisfied, a4 dissatisfied, a5 satisfied. t2's a3 and b1 are
    // traceable: its figures do not change.
    const T1_TRACEABLE = {
      counts: {
        valid: 4, resolved: 2, policyLimited: 1, traceableValid: 4, traceableResolved: 2, traceablePolicyLimited: 1,
        responseDue: 3, acceptedInTime: 3, responsePending: 1, completionDue: 2, completedOnTime: 2,
        measuresSubmitted: 4, measuresReturned: 1, closedEver: 3, reopened: 1, assignments: 5, sentBack: 1,
        commonDemands: 2, commonDemandsResolved: 1, commonGroups: 2, commonGroupsResolved: 1,
      },
      rates: {
        response: r(3, 3), resolution: r(2, 4), resolutionTraceable: r(2, 4), satisfaction: sat(2, 0, 1), onTimeCompletion: r(2, 2),
        sendBack: r(1, 4), reopen: r(1, 3), assignmentAccuracy: r(4, 5), commonPerDemand: r(1, 2), commonPerGroup: r(1, 2),
      },
    };

    it('rates per unit for November, traceable complaints only: every figure by hand', async () => {
      const res = await w.users.county.get('/complaints/stats/rates?by=unit&month=2026-11&traceable=true');
      expect(res.status).toBe(200);
      const byCode = Object.fromEntries(res.body.data.rows.map((row: any) => [row.code, row]));
      expectSource(res.body.data, ['traceable']);
      expect({ counts: byCode.T1.counts, rates: byCode.T1.rates }).toEqual(T1_TRACEABLE);
      expect({ counts: byCode.T2.counts, rates: byCode.T2.rates }).toEqual(T2);
      // Totals: 6 valid, 3 resolved, 5 of 5 responses in time, 7 assignments with 1 sent back.
      expect(res.body.data.totals.rates).toMatchObject({ response: r(5, 5), resolution: r(3, 6), assignmentAccuracy: r(6, 7), satisfaction: sat(2, 1, 1) });
    });

    it('rates per month under a filter: nature common leaves a2, a4 and a5, all of November', async () => {
      const monthsRes = await w.users.county.get('/complaints/stats/rates?by=month&nature=common');
      expectSource(monthsRes.body.data, ['nature']);
      const months = monthsRes.body.data.rows;
      expect(months.map((m: any) => [m.key, m.counts.valid, m.counts.commonDemands, m.counts.commonGroups, m.counts.resolved])).toEqual([['2026-11', 3, 3, 2, 1]]);
    });

    it('the ranking under a filter: 城关镇 alone ranks T1 first of one (t2\'s complaints are in 东坝镇)', async () => {
      const res = await w.users.county.get(`/complaints/stats/ranking?month=2026-11&town=${encodeURIComponent('城关镇')}`);
      expect(res.status).toBe(200);
      // T1: a1, a2, a4, a5, a6 are in 城关镇 (its November figures); T2's a3 and b1 are in 东坝镇.
      expect(res.body.data.units.map((u: any) => [u.code, u.rank])).toEqual([['T1', 1], ['D1', null], ['D2', null], ['T2', null]]);
      expectSource(res.body.data, ['town']);
      expect(res.body.data.units[0].rates).toEqual({ response: T1.rates.response, resolution: T1.rates.resolution, satisfaction: T1.rates.satisfaction });
    });

    it.each([
      ['a bad value', 'state=done', '筛选条件「状态」（state）的值无效'],
      ['an unknown filter', 'colour=red', '未知的筛选条件：colour / Unknown filter: colour'],
      ['a personal field', 'phone=13800001111', '不能按个人信息筛选：phone / Personal fields cannot be filtered on: phone'],
      ['an inverted range', 'receivedAt=2026-11-30..2026-11-01', '筛选条件「反映时间」（receivedAt）的开始日期晚于结束日期'],
    ])('refuses %s on the rates and on the ranking with a 400, as the counts do', async (_what, filter, message) => {
      for (const url of [`/complaints/stats/rates?by=unit&month=2026-11&${filter}`, `/complaints/stats/ranking?month=2026-11&${filter}`, `/complaints/stats/counts?by=unit&${filter}`]) {
        const res = await w.users.county.get(url);
        expect([url, res.status, res.body.error.message]).toEqual([url, 400, expect.stringContaining(message)]);
        expect(res.body.data ?? null).toBeNull();
      }
      // Positive control: the same routes with a good filter answer.
      for (const url of ['/complaints/stats/rates?by=unit&month=2026-11&state=closed', '/complaints/stats/ranking?month=2026-11&state=closed']) {
        const res = await w.users.county.get(url);
        expect([url, res.status]).toEqual([url, 200]);
      }
    });

    it('a unit operator asking for another unit gets its own unit only, with nothing of the other\'s', async () => {
      const mine = await w.users.op1.get(`/complaints/stats/rates?by=unit&month=2026-11&responsibleUnit=${w.units.t1.id}`);
      expect(mine.status).toBe(200);
      // Positive control: naming its own unit changes nothing.
      expect(mine.body.data.rows.map((row: any) => [row.code, row.counts, row.rates])).toEqual([['T1', T1.counts, T1.rates]]);
      const other = await w.users.op1.get(`/complaints/stats/rates?by=unit&month=2026-11&responsibleUnit=${w.units.t2.id}`);
      expect(other.status).toBe(200);
      expect(other.body.data.rows.map((row: any) => [row.code, row.counts.valid, row.counts.assignments, row.counts.measuresSubmitted])).toEqual([['T1', 0, 0, 0]]);
      expectSource(other.body.data, ['responsibleUnit']);
      expect([other.body.data.totals.counts.valid, other.body.data.totals.counts.assignments, other.body.data.totals.rates.satisfaction.denominator]).toEqual([0, 0, 0]);
      const ranking = await w.users.op1.get(`/complaints/stats/ranking?month=2026-11&responsibleUnit=${w.units.t2.id}`);
      expect(ranking.body.data.units.map((u: any) => [u.code, u.rank, u.missing])).toEqual([['T1', null, ['response', 'resolution', 'satisfaction']]]);
    });
  });

  describe('GET /complaints/stats/ranking', () => {
    it('ranks the units of November on the composite, names the best and the worst, and shows the unranked', async () => {
      const res = await w.users.county.get('/complaints/stats/ranking?month=2026-11');
      expect(res.status).toBe(200);
      const { data } = res.body;
      expect([data.month, data.weights, data.listSize]).toEqual(['2026-11', { response: 1, resolution: 1, satisfaction: 1 }, 5]);
      expectSource(data);
      // By hand, equal weights: T2 (1 + 1/2 + 1) / 3 = 5/6; T1 (3/4 + 2/5 + 2/3) / 3 = 109/180.
      // D1 and D2 have no denominator: shown, not ranked. Two ranked units: one on each list.
      expect(data.units.map((u: any) => [u.code, u.rank, u.missing])).toEqual([
        ['T2', 1, []],
        ['T1', 2, []],
        ['D1', null, ['response', 'resolution', 'satisfaction']],
        ['D2', null, ['response', 'resolution', 'satisfaction']],
      ]);
      expect(data.units[0].composite).toBeCloseTo(5 / 6, 12);
      expect(data.units[1].composite).toBeCloseTo(109 / 180, 12);
      expect(data.units[1].rates).toEqual({ response: T1.rates.response, resolution: T1.rates.resolution, satisfaction: T1.rates.satisfaction });
      expect([data.redList.map((u: any) => u.code), data.blackList.map((u: any) => u.code)]).toEqual([['T2'], ['T1']]);
    });

    it('a unit operator is ranked alone: its own figures, no other unit', async () => {
      const res = await w.users.op1.get('/complaints/stats/ranking?month=2026-11');
      expect(res.body.data.units.map((u: any) => [u.code, u.rank, u.rates.response])).toEqual([['T1', 1, T1.rates.response]]);
      expectSource(res.body.data);
      expect([res.body.data.redList, res.body.data.blackList]).toEqual([[], []]);
    });

    it('October has one complaint, accepted and not closed: nobody is ranked', async () => {
      const res = await w.users.county.get('/complaints/stats/ranking?month=2026-10');
      const t1 = res.body.data.units.find((u: any) => u.code === 'T1');
      expect([t1.rank, t1.rates.response, t1.missing]).toEqual([null, r(1, 1), ['satisfaction']]);
      expect(res.body.data.units.every((u: any) => u.rank === null)).toBe(true);
    });
  });
});

describe('the rates\' rollup between two slots', () => {
  const stats = () => app.strapi.plugin('complaints').service('statistics');
  const COUNTY = actorContextOf(null, [ROLE_CODES.countyOffice], []);
  const t1Of = (data: any) => data.rows.find((row: any) => row.code === 'T1').counts;

  it('answers as of its build until the next slot rebuilds it; the rows (a month close\'s figures) are current at once', async () => {
    const slot = new Date();
    await app.strapi.plugin('complaints').service('jobs').run('warnings', { slot: new Date(slot.getTime() + 3_600_000).toISOString(), now: slot });
    const before = (await w.users.county.get('/complaints/stats/rates?by=unit&month=2026-11')).body.data;
    expect([before.source, before.asOf, t1Of(before).valid, t1Of(before).assignments]).toEqual(['rollup', slot.toISOString(), 5, 6]);

    // A new November complaint, assigned to t1: one more valid complaint and one more assignment.
    const c = await registered(NOV);
    await toAssigned(c, 't1');
    const stale = (await w.users.county.get('/complaints/stats/rates?by=unit&month=2026-11')).body.data;
    expect([stale.source, stale.asOf, t1Of(stale).valid, t1Of(stale).assignments]).toEqual(['rollup', slot.toISOString(), 5, 6]);
    const rows = await stats().rates({ actor: COUNTY, by: 'unit', month: '2026-11', exact: true });
    expect([rows.source, rows.liveReason, t1Of(rows).valid, t1Of(rows).assignments]).toEqual(['live', 'exact', 6, 7]);

    // The next slot.
    const next = new Date();
    expect(next.getTime()).toBeGreaterThan(slot.getTime());
    const run = await app.strapi.plugin('complaints').service('jobs').run('warnings', { slot: new Date(slot.getTime() + 7_200_000).toISOString(), now: next });
    expect([run.ran, run.error]).toEqual([true, undefined]);
    const after = (await w.users.county.get('/complaints/stats/rates?by=unit&month=2026-11')).body.data;
    expect([after.source, after.asOf, t1Of(after).valid, t1Of(after).assignments]).toEqual(['rollup', next.toISOString(), 6, 7]);
    const ranking = (await w.users.county.get('/complaints/stats/ranking?month=2026-11')).body.data;
    expect([ranking.source, ranking.asOf]).toEqual(['rollup', next.toISOString()]);
  });

  it('gives way to the rows when it is older than 15 minutes or counted another county day, or is switched off', async () => {
    const old = new Date(Date.now() - 16 * 60_000);
    await stats().refreshRollup({ now: old });
    const aged = (await w.users.county.get('/complaints/stats/rates?by=unit&month=2026-11')).body.data;
    // Sixteen minutes ago may have been the county's day before (just after midnight in Shanghai).
    const sameDay = old.toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' }) === new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
    expect([aged.source, aged.asOf, aged.liveReason, t1Of(aged).valid]).toEqual(['live', null, sameDay ? 'age' : 'day', 6]);

    // Positive control: rebuilt now, it answers.
    await stats().refreshRollup();
    const fresh = (await w.users.county.get('/complaints/stats/rates?by=unit&month=2026-11')).body.data;
    expect([fresh.source, fresh.liveReason, t1Of(fresh).valid]).toEqual(['rollup', null, 6]);

    const config = app.strapi.config.get('plugin::complaints') as any;
    const saved = config.statistics;
    config.statistics = { ...saved, rollup: false };
    try {
      const off = (await w.users.county.get('/complaints/stats/rates?by=unit&month=2026-11')).body.data;
      expect([off.source, off.liveReason, t1Of(off).valid]).toEqual(['live', 'disabled', 6]);
    } finally {
      config.statistics = saved;
    }
  });
});
