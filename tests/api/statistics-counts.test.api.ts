/**
 * GET /complaints/stats/counts on a small county whose figures are counted by hand: nine
 * complaints, registered and handled through the real routes, with surveys and spot checks.
 * Counts by one and two dimensions, under filters; a unit's user gets only its own rows whatever
 * it asks for (the county office, as positive control, gets all of them); every kind of bad
 * filter is a 400 in Chinese and English that changes nothing.
 *
 *   | ref | unit | town | received (Beijing)     | channel | category | content        | ends as                         |
 *   |-----|------|------|------------------------|---------|----------|----------------|---------------------------------|
 *   | A   | t1   | 城关 | 2026-01-15 10:00       | hotline | 0101     | 东街路灯损坏   | accepted                        |
 *   | B   | t1   | 城关 | 2026-01-31 23:30       | web     | 0101     | 小区噪音扰民   | assigned                        |
 *   | C   | t1   | 城关 | 2026-02-01 00:30       | hotline | 0102     | 路灯不亮_夜间  | assigned                        |
 *   | D   | t2   | 东坝 | 2026-02-10 09:00       | visit   | 0201     | 农村公路坑洼   | accepted                        |
 *   | E   | t2   | 东坝 | 2026-02-11 09:00       | hotline | 0201     | 公交站台破损   | classified (no unit sees it)    |
 *   | F   | —    | 城关 | 2026-03-01 09:00       | web     | —        | 路灯%          | invalid                         |
 *   | G   | —    | 东坝 | 2026-03-02 09:00       | hotline | —        | 垃圾清运       | received, no phone (untraceable)|
 *   | H   | t1   | 城关 | 2026-01-20 09:00       | visit   | 0101     | 物业服务差     | closed                          |
 *   | I   | t1   | 城关 | 2026-02-20 09:00       | hotline | 0101     | 低保申请       | closed, reopened (deadline +5)  |
 *
 * B and C sit on either side of a month's end in Beijing; in UTC both fall in January.
 */
import { randomBytes } from 'crypto';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { AdminSession } from '../helpers/admin';
import { pngFile } from '../helpers/files';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
const prefix = `SC-${randomBytes(3).toString('hex')}-`;
type Ref = { id: number; documentId: string; ledgerNo: string };
const c: Record<string, Ref> = {};

const register = async (ref: string, receivedAt: string, channel: string, town: string, content: string, phone: string | null = '19900002345'): Promise<Ref> => {
  const ledgerNo = `${prefix}${ref}`;
  const doc = await app.strapi.documents('plugin::complaints.complaint').create({
    data: { ledgerNo, receivedAt, channel, complainantName: '测试丁', phone, town, village: '东街社区', content } as any,
  });
  const row = await knex()('complaints').where('document_id', doc.documentId).first('id');
  return (c[ref] = { id: Number(row.id), documentId: doc.documentId as string, ledgerNo });
};

const ok = async (p: PromiseLike<{ status: number; body: any }>, status = 200) => {
  const res = await p;
  expect([res.status, res.body?.error]).toEqual([status, undefined]);
};
const classify = (r: Ref, categoryCode: string, unitId: number) => ok(act(w.users.county, r.documentId, 'classify', { categoryCode, level: 'township', responsibleUnitId: unitId }));
const close = async (r: Ref) => {
  const { op1, lead1, head1, leader } = w.users;
  await classify(r, '0101', w.units.t1.id);
  await ok(act(w.users.county, r.documentId, 'assign'));
  await ok(act(op1, r.documentId, 'accept', { nature: 'individual' }));
  await ok(act(op1, r.documentId, 'submit_measure', { mode: 'deadline', text: '更换灯具并建立巡查制度', responsiblePerson: '李工', deadline: addDaysFromToday(30) }));
  await ok(act(lead1, r.documentId, 'approve_measure'));
  await ok(op1.post(`/complaints/complaints/${r.documentId}/evidence`).field('aspect', 'facility').field('text', '整改后现场照片').attach('files', pngFile(r.ledgerNo), { filename: 'after.png', contentType: 'image/png' }), 201);
  await ok(act(op1, r.documentId, 'complete'));
  for (const s of [head1, lead1, leader]) await ok(act(s, r.documentId, 'sign'));
};

beforeAll(async () => {
  const { county, op2 } = w.users;
  const [t1, t2] = [w.units.t1.id, w.units.t2.id];
  await register('A', '2026-01-15T02:00:00.000Z', 'hotline', '城关镇', '东街路灯损坏');
  await register('B', '2026-01-31T15:30:00.000Z', 'web', '城关镇', '小区噪音扰民');
  await register('C', '2026-01-31T16:30:00.000Z', 'hotline', '城关镇', '路灯不亮_夜间');
  await register('D', '2026-02-10T01:00:00.000Z', 'visit', '东坝镇', '农村公路坑洼');
  await register('E', '2026-02-11T01:00:00.000Z', 'hotline', '东坝镇', '公交站台破损');
  await register('F', '2026-03-01T01:00:00.000Z', 'web', '城关镇', '路灯%');
  await register('G', '2026-03-02T01:00:00.000Z', 'hotline', '东坝镇', '垃圾清运', null);
  await register('H', '2026-01-20T01:00:00.000Z', 'visit', '城关镇', '物业服务差');
  await register('I', '2026-02-20T01:00:00.000Z', 'hotline', '城关镇', '低保申请');

  for (const r of [c.A, c.B]) await classify(r, '0101', t1);
  await classify(c.C, '0102', t1);
  for (const r of [c.D, c.E]) await classify(r, '0201', t2);
  for (const r of [c.A, c.B, c.C, c.D]) await ok(act(county, r.documentId, 'assign'));
  await ok(act(w.users.op1, c.A.documentId, 'accept', { nature: 'individual' }));
  await ok(act(op2, c.D.documentId, 'accept', { nature: 'individual' }));
  await ok(act(county, c.F.documentId, 'screen_invalid', { reason: 'unclear_content' }));
  await close(c.H);
  await close(c.I);
  await ok(act(county, c.I.documentId, 'reopen', { reason: '群众回访不满意', deadline: addDaysFromToday(5) }));

  // Surveys and spot checks as their jobs record them. H: answered twice, the second answer
  // (round 2) counts; I: answered once, its second round still open; A: expired unanswered.
  const at = (iso: string) => new Date(iso);
  const now = new Date();
  const survey = (complaintId: number, round: number, status: string, answer: string | null, answeredAt: string | null) => ({
    document_id: randomBytes(12).toString('hex'), complaint_id: complaintId, round, status, answer, answered_at: answeredAt ? at(answeredAt) : null, way: 'link', created_at: now, updated_at: now,
  });
  await knex()('surveys').insert([
    survey(c.H.id, 1, 'answered', 'dissatisfied', '2026-03-01T02:00:00.000Z'),
    survey(c.H.id, 2, 'answered', 'satisfied', '2026-03-05T02:00:00.000Z'),
    survey(c.I.id, 1, 'answered', 'dissatisfied', '2026-03-02T02:00:00.000Z'),
    survey(c.I.id, 2, 'open', null, null),
    survey(c.A.id, 1, 'no_response', null, null),
  ]);
  const check = (complaintId: number, month: string, result: string) => ({
    document_id: randomBytes(12).toString('hex'), month, seed: 'seed', complaint_id: complaintId, unit_id: t1, result, created_at: now, updated_at: now,
  });
  await knex()('spot_checks').insert([check(c.H.id, '2026-01', 'failed'), check(c.H.id, '2026-02', 'passed'), check(c.I.id, '2026-02', 'failed')]);
});

const counts = (s: AdminSession, query: string) => s.get(`/complaints/stats/counts?${query}`);
const body = async (s: AdminSession, query: string) => {
  const res = await counts(s, query);
  expect([res.status, res.body?.error]).toEqual([200, undefined]);
  return res.body as { data: Array<Record<string, unknown>>; meta: { total: number; by: string[] } };
};
const totalOf = async (s: AdminSession, query: string) => (await body(s, query)).meta.total;

/**
 * The same counts, answered twice: by the SQL over the rows, then by the statistics columns each
 * instance holds in memory (services/stats-columns.ts), loaded after the fixture. The columns
 * count every complaint of the table: the fixture is the whole table (checked), so the rows'
 * questions name its ledger-number prefix and the columns' questions leave it out (a prefix is
 * not one of their columns, and a question with one is answered by the SQL).
 */
let fromColumns = false;
/** The query without the fixture's prefix when the columns answer. */
const mine = (query: string) => (fromColumns ? query.replace(`&ledgerNo=${prefix}*`, '').replace(`ledgerNo=${prefix}*&`, '').replace(`ledgerNo=${prefix}*`, '') : query);
/** What the answer's meta says of its source. */
const source = () => (fromColumns ? { source: 'columns', asOf: expect.any(String), liveReason: null } : { source: 'live', asOf: null, liveReason: 'none' });

describe.each([
  ['from the rows', false],
  ['from the statistics columns in memory', true],
])('%s', (_source, columns) => {
  beforeAll(async () => {
    if (!columns) return;
    expect(Number(((await knex()('complaints').count({ n: '*' }).first()) as any).n)).toBe(9);
    const loaded = await app.strapi.plugin('complaints').service('stats-columns').refresh();
    expect(loaded.complaints).toBe(9);
    fromColumns = true;
  });

  describe('counts for the county office (every complaint)', () => {
    it('by responsible unit: largest first, no unit last', async () => {
      expect(await body(w.users.county, mine(`by=unit&ledgerNo=${prefix}*`))).toEqual({
        data: [{ unit: w.units.t1.id, count: 5 }, { unit: w.units.t2.id, count: 2 }, { unit: null, count: 2 }],
        meta: { total: 9, by: ['unit'], ...source() },
      });
    });

    it('by unit and month received, months cut in Beijing time', async () => {
      expect((await body(w.users.county, mine(`by=unit,monthReceived&ledgerNo=${prefix}*`))).data).toEqual([
        { unit: w.units.t1.id, monthReceived: '2026-01', count: 3 },
        { unit: w.units.t1.id, monthReceived: '2026-02', count: 2 },
        { unit: w.units.t2.id, monthReceived: '2026-02', count: 2 },
        { unit: null, monthReceived: '2026-03', count: 2 },
      ]);
    });

    it('by town under three filters', async () => {
      expect(await body(w.users.county, mine(`by=town&ledgerNo=${prefix}*&channel=hotline&validity=valid`))).toEqual({
        data: [{ town: '城关镇', count: 3 }, { town: '东坝镇', count: 1 }],
        meta: { total: 4, by: ['town'], ...source() },
      });
    });

    it('by state, by lead unit, by major category, by month closed', async () => {
      const all = mine(`ledgerNo=${prefix}*`);
      expect((await body(w.users.county, mine(`by=state&${all}`))).data).toEqual([
        { state: 'accepted', count: 2 }, { state: 'assigned', count: 2 }, { state: 'classified', count: 1 }, { state: 'closed', count: 1 },
        { state: 'invalid', count: 1 }, { state: 'received', count: 1 }, { state: 'rectifying', count: 1 },
      ]);
      expect((await body(w.users.county, mine(`by=leadUnit&${all}`))).data).toEqual([{ leadUnit: w.units.l1.id, count: 5 }, { leadUnit: w.units.l2.id, count: 2 }, { leadUnit: null, count: 2 }]);
      expect((await body(w.users.county, mine(`by=majorCategory,channel&${all}`))).data).toEqual([
        { majorCategory: '01', channel: 'hotline', count: 3 },
        { majorCategory: '01', channel: 'visit', count: 1 },
        { majorCategory: '01', channel: 'web', count: 1 },
        { majorCategory: '02', channel: 'hotline', count: 1 },
        { majorCategory: '02', channel: 'visit', count: 1 },
        { majorCategory: null, channel: 'hotline', count: 1 },
        { majorCategory: null, channel: 'web', count: 1 },
      ]);
      const closedMonth = addDaysFromToday(0).slice(0, 7);
      expect((await body(w.users.county, mine(`by=monthClosed&${all}`))).data).toEqual([{ monthClosed: null, count: 8 }, { monthClosed: closedMonth, count: 1 }]);
      expect((await body(w.users.county, mine(`by=mode,warningLevel&${all}&mode=deadline`))).data).toEqual([
        { mode: 'deadline', warningLevel: 'none', count: 1 },
        { mode: 'deadline', warningLevel: 'orange', count: 1 },
      ]);
    });

    // Each filter alone, with its count by hand: strictly between 0 and the nine complaints.
    it.each([
      ['ledgerNo (exact)', () => `ledgerNo=${prefix}A`, 1],
      ['keyword', () => `keyword=${encodeURIComponent('路灯')}`, 3],
      ['keyword with a literal %', () => `keyword=${encodeURIComponent('%')}`, 1],
      ['keyword with a literal _', () => `keyword=_`, 1],
      ['keyword of four characters', () => `keyword=${encodeURIComponent('物业服务')}`, 1],
      ['channel', () => 'channel=hotline,web', 7],
      ['receivedAt (Beijing days)', () => 'receivedAt=2026-02-01..2026-02-28', 4],
      ['receivedAt open start', () => 'receivedAt=..2026-01-31', 3],
      ['town', () => `town=${encodeURIComponent('东坝镇')}`, 3],
      ['village', () => `village=${encodeURIComponent('东街社区')}&state=assigned`, 2],
      ['traceable (a usable phone)', () => 'traceable=true', 8],
      ['not traceable', () => 'traceable=false', 1],
      ['validity', () => 'validity=valid', 7],
      ['validity, two values', () => 'validity=invalid,unscreened', 2],
      ['invalidReason', () => 'invalidReason=unclear_content', 1],
      ['majorCategory', () => 'majorCategory=02', 2],
      ['minorCategory', () => 'minorCategory=0102', 1],
      ['level', () => 'level=township', 7],
      ['leadUnit', () => `leadUnit=${w.units.l2.id}`, 2],
      ['responsibleUnit', () => `responsibleUnit=${w.units.t1.id}`, 5],
      ['nature', () => 'nature=individual', 4],
      ['mode', () => 'mode=deadline', 2],
      ['state', () => 'state=assigned,accepted', 4],
      ['warningLevel', () => 'warningLevel=orange', 1],
      ['deadline', () => `deadline=..${addDaysFromToday(10)}`, 1],
      ['closedAt', () => `closedAt=${addDaysFromToday(0)}`, 1],
      ['satisfaction: the latest answer counts', () => 'satisfaction=satisfied', 1],
      ['satisfaction dissatisfied', () => 'satisfaction=dissatisfied', 1],
      ['satisfaction unanswered', () => 'satisfaction=unanswered', 7],
      ['reopened', () => 'reopened=true', 1],
      ['not reopened', () => 'reopened=false', 8],
      ['spotCheck: the latest check counts', () => 'spotCheck=passed', 1],
      ['spotCheck failed', () => 'spotCheck=failed', 1],
    ] as Array<[string, () => string, number]>)('%s', async (_name, query, expected) => {
      const answer = await body(w.users.county, mine(`by=state&ledgerNo=${prefix}*&${query()}`.replace(`ledgerNo=${prefix}*&ledgerNo=`, 'ledgerNo=')));
      expect(answer.meta.total).toBe(expected);
      // A ledger number is not a column: the SQL answers it. A keyword of Chinese characters
      // found in the contents is one of the columns' common pieces (nine contents are all the
      // sample, and each piece of them is in at least 2 % of it); % and _ are not pieces.
      const byColumns = fromColumns && !/^ledgerNo=/.test(query()) && !/^keyword=(%25|_)$/.test(query());
      expect([(answer.meta as any).source, (answer.meta as any).liveReason]).toEqual(byColumns ? ['columns', null] : ['live', fromColumns ? 'filter' : 'none']);
    });
  });

  describe('scope: a unit\'s user counts its own rows, whatever it asks for', () => {
    it('the unit operator of t1 gets t1 only, and nothing of t2 when it asks for t2', async () => {
      expect(await body(w.users.op1, mine(`by=unit&ledgerNo=${prefix}*`))).toEqual({ data: [{ unit: w.units.t1.id, count: 5 }], meta: { total: 5, by: ['unit'], ...source() } });
      expect(await body(w.users.op1, mine(`by=unit&ledgerNo=${prefix}*&responsibleUnit=${w.units.t2.id}`))).toEqual({ data: [], meta: { total: 0, by: ['unit'], ...source() } });
      // Positive control: the county office asking the same gets t2's two.
      expect(await totalOf(w.users.county, mine(`by=unit&ledgerNo=${prefix}*&responsibleUnit=${w.units.t2.id}`))).toBe(2);
    });

    it('t2 sees its accepted complaint but not the one still with the county (classified)', async () => {
      expect((await body(w.users.op2, mine(`by=state&ledgerNo=${prefix}*`))).data).toEqual([{ state: 'accepted', count: 1 }]);
      expect(await totalOf(w.users.head2, mine(`by=state&ledgerNo=${prefix}*&state=classified`))).toBe(0);
    });

    it('a lead unit counts the complaints of the categories it leads', async () => {
      expect(await totalOf(w.users.lead1, mine(`by=leadUnit&ledgerNo=${prefix}*`))).toBe(5);
      expect(await body(w.users.lead2, mine(`by=leadUnit&ledgerNo=${prefix}*`))).toEqual({ data: [{ leadUnit: w.units.l2.id, count: 1 }], meta: { total: 1, by: ['leadUnit'], ...source() } });
    });

    it('an operator with no unit counts nothing; the county leader counts everything', async () => {
      expect(await totalOf(w.users.orphanOp, mine(`by=unit&ledgerNo=${prefix}*`))).toBe(0);
      expect(await totalOf(w.users.leader, mine(`by=unit&ledgerNo=${prefix}*`))).toBe(9);
    });
  });
});

describe('the problem group and import batch filters, and the columns between two loads', () => {
  it('a complaint added to a group: the rows count it at once, the columns from their next load', async () => {
    const g = await w.users.op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: `统计-${prefix}` });
    expect(g.status).toBe(201);
    const groupId = Number((await knex()('problem_groups').where('document_id', g.body.data.documentId).first('id')).id);
    await ok(w.users.op1.post(`/complaints/problem-groups/${g.body.data.documentId}/members`).send({ documentIds: [c.A.documentId] }));
    // The columns were loaded before: they answer as of then, until their next load.
    const stale = await body(w.users.county, `by=nature&problemGroup=${groupId}`);
    expect([stale.meta.total, (stale.meta as any).source]).toEqual([0, 'columns']);
    expect(await totalOf(w.users.county, `by=nature&ledgerNo=${prefix}*&problemGroup=${groupId}`)).toBe(1);
    await app.strapi.plugin('complaints').service('stats-columns').refresh();
    const fresh = await body(w.users.county, `by=nature&problemGroup=${groupId}`);
    expect([fresh.meta.total, (fresh.meta as any).source]).toEqual([1, 'columns']);
    expect(await totalOf(w.users.county, `by=nature&importBatch=NO-SUCH-BATCH`)).toBe(0);
    expect(await totalOf(w.users.county, `by=nature&ledgerNo=${prefix}*&importBatch=NO-SUCH-BATCH`)).toBe(0);
  });

  it('the columns give way to the rows when older than 15 minutes or switched off', async () => {
    await app.strapi.plugin('complaints').service('stats-columns').refresh({ now: new Date(Date.now() - 16 * 60_000) });
    const aged = await body(w.users.county, 'by=unit');
    expect([aged.meta.total, (aged.meta as any).source, (aged.meta as any).liveReason]).toEqual([9, 'live', 'age']);
    await app.strapi.plugin('complaints').service('stats-columns').refresh();
    const config = app.strapi.config.get('plugin::complaints') as any;
    const saved = config.statistics;
    config.statistics = { ...saved, columns: false };
    try {
      const off = await body(w.users.county, 'by=unit');
      expect([off.meta.total, (off.meta as any).source, (off.meta as any).liveReason]).toEqual([9, 'live', 'disabled']);
    } finally {
      config.statistics = saved;
    }
    // Positive control: switched on again, they answer.
    expect((((await body(w.users.county, 'by=unit')).meta) as any).source).toBe('columns');
  });
});

describe('bad requests: 400 in Chinese and English, nothing changed', () => {
  const TABLES = ['complaints', 'complaint_events', 'surveys', 'spot_checks', 'problem_groups'];
  const snapshot = async () => {
    const out: Record<string, string> = {};
    for (const t of TABLES) {
      const r = (await knex()(t).count({ n: '*' }).max({ u: 'updated_at' }).first()) as any;
      out[t] = `${r.n}/${r.u instanceof Date ? r.u.toISOString() : String(r.u)}`;
    }
    return out;
  };

  it.each([
    ['an unknown filter', 'by=unit&colour=red', 'unknown_filter', 'colour', '未知的筛选条件：colour / Unknown filter: colour'],
    ['a personal field', 'by=unit&phone=13900001234', 'private_filter', 'phone', '不能按个人信息筛选：phone / Personal fields cannot be filtered on: phone'],
    ['a bad value', 'by=unit&state=open', 'bad_filter_value', 'state', null],
    ['a bad id', 'by=unit&responsibleUnit=abc', 'bad_filter_value', 'responsibleUnit', null],
    ['a Strapi-style nested filter', 'by=unit&state[$eq]=closed', 'bad_filter_value', 'state', null],
    ['a bad day', 'by=unit&receivedAt=2026-02-30', 'bad_filter_value', 'receivedAt', null],
    ['an inverted range', 'by=unit&closedAt=2026-03-01..2026-02-01', 'inverted_range', 'closedAt', '筛选条件「办结时间」（closedAt）的开始日期晚于结束日期 / Filter "Closed" (closedAt) starts after it ends'],
    ['too many values', `by=unit&town=${Array.from({ length: 51 }, (_, i) => `t${i}`).join(',')}`, 'too_many_values', 'town', '筛选条件「乡镇」（town）最多 50 个值 / Filter "Town" (town) takes at most 50 values'],
    ['an unknown dimension', 'by=colour', 'unknown_dimension', 'by', '未知的分组维度：colour / Unknown dimension: colour'],
    ['three dimensions', 'by=unit,town,state', 'too_many_dimensions', 'by', '最多按 2 个维度分组 / Count by at most 2 dimensions'],
    ['no dimension', 'state=closed', 'missing_dimension', 'by', '请指定分组维度（by） / Choose what to count by (by)'],
  ])('%s', async (_what, query, code, filter, message) => {
    const before = await snapshot();
    for (const s of [w.users.county, w.users.op1]) {
      const res = await counts(s, query);
      expect([res.status, res.body.error?.details?.code, res.body.error?.details?.filter]).toEqual([400, code, filter]);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
      if (message) expect(res.body.error.message).toBe(message);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('the messages never repeat a value (a keyword may be a citizen\'s words)', async () => {
    const res = await counts(w.users.county, `by=unit&keyword=${encodeURIComponent('张三家住东街十号'.repeat(20))}`);
    expect([res.status, res.body.error.details.code, res.body.error.message.includes('张三')]).toEqual([400, 'bad_filter_value', false]);
  });
});

describe('a keyword from the columns: their common pieces, between two loads', () => {
  it('a new complaint with 路灯 is counted at once by the rows and from the next load by the columns; a word that is not a piece is counted by the SQL', async () => {
    const service = app.strapi.plugin('complaints').service('stats-columns');
    await service.refresh();
    const lamp = `by=state&keyword=${encodeURIComponent('路灯')}`;
    const before = await body(w.users.county, lamp);
    expect([before.meta.total, (before.meta as any).source]).toEqual([3, 'columns']);
    await register('J', '2026-03-05T01:00:00.000Z', 'hotline', '城关镇', '路灯旁消防栓漏水');
    // The columns answer as of their load: still 3. The rows count the new one at once.
    const stale = await body(w.users.county, lamp);
    expect([stale.meta.total, (stale.meta as any).source]).toEqual([3, 'columns']);
    expect(await totalOf(w.users.county, `${lamp}&ledgerNo=${prefix}*`)).toBe(4);
    await service.refresh();
    const fresh = await body(w.users.county, lamp);
    expect([fresh.meta.total, fresh.data, (fresh.meta as any).source]).toEqual([4, [{ state: 'accepted', count: 1 }, { state: 'assigned', count: 1 }, { state: 'invalid', count: 1 }, { state: 'received', count: 1 }], 'columns']);
    // 消防栓 came after the pieces were chosen (from nine contents; ten do not call for a new
    // choice): the SQL and its index answer it.
    const hydrant = await body(w.users.county, `by=state&keyword=${encodeURIComponent('消防栓')}`);
    expect([hydrant.meta.total, (hydrant.meta as any).source, (hydrant.meta as any).liveReason]).toEqual([1, 'live', 'filter']);
    expect(service.status().complaints).toBe(10);
  });

  it('with no pieces configured, every keyword is counted by the SQL', async () => {
    const service = app.strapi.plugin('complaints').service('stats-columns');
    const config = app.strapi.config.get('plugin::complaints') as any;
    const saved = config.statistics;
    config.statistics = { ...saved, keywordPieces: 0 };
    try {
      await service.refresh();
      expect(service.status().keywordPieces).toBe(0);
      const off = await body(w.users.county, `by=state&keyword=${encodeURIComponent('路灯')}`);
      expect([off.meta.total, (off.meta as any).source, (off.meta as any).liveReason]).toEqual([4, 'live', 'filter']);
    } finally {
      config.statistics = saved;
    }
    // Positive control: with pieces again, the columns answer it.
    await service.refresh();
    expect(service.status().keywordPieces).toBeGreaterThan(0);
    const on = await body(w.users.county, `by=state&keyword=${encodeURIComponent('路灯')}`);
    expect([on.meta.total, (on.meta as any).source]).toEqual([4, 'columns']);
  });
});
