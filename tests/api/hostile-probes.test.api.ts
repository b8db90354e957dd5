/**
 * Edges a hostile caller probes: another unit's complaints and groups answer exactly as ids
 * that do not exist (same status, same bytes); ledger digests only for past county days,
 * recorded once; no X-Powered-By; CORS only for the configured origins; public registration
 * closed; job instances shown to county roles only.
 */
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { AdminSession } from '../helpers/admin';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
const UNKNOWN_DOC = 'm00000000000000000000000';
const NOT_VISIBLE = '诉求不存在或无权查看 / Not found, or not visible to you';
const GROUP_NOT_VISIBLE = '共性问题小类不存在或无权查看 / Problem group not found, or not visible to you';
const todayIn = (tz = 'Asia/Shanghai') => new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(new Date());
const shift = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const counts = async () => {
  const out: Record<string, number> = {};
  for (const t of ['complaints', 'complaint_events', 'problem_groups', 'evidences', 'ledger_digests']) out[t] = Number((await knex()(t).count({ n: '*' }))[0].n);
  return out;
};

const assigned = async (unit: 't1' | 't2') => {
  const c = await w.complaint({ town: unit === 't1' ? '城关镇' : '东坝镇' });
  const cat = unit === 't1' ? '0101' : '0201';
  expect((await act(w.users.county, c.documentId, 'classify', { categoryCode: cat, level: 'township', responsibleUnitId: w.units[unit].id })).status).toBe(200);
  expect((await act(w.users.county, c.documentId, 'assign')).status).toBe(200);
  return c;
};
const accepted = async (unit: 't1' | 't2') => {
  const c = await assigned(unit);
  expect((await act(unit === 't1' ? w.users.op1 : w.users.op2, c.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
  return c;
};
const group = async (s: AdminSession, categoryCode: string, name: string): Promise<string> => {
  const res = await s.post('/complaints/problem-groups').send({ categoryCode, name });
  expect(res.status).toBe(201);
  return res.body.data.documentId;
};

/** Both calls answer alike, byte for byte. */
const same = (a: { status: number; text: string }, b: { status: number; text: string }) => expect([b.status, b.text]).toEqual([a.status, a.text]);

describe('another unit\'s ids answer as ids that do not exist', () => {
  it('a single transition: 404 alike; own unit succeeds', async () => {
    const foreign = await assigned('t2');
    const own = await assigned('t1');
    const before = await counts();
    const a = await act(w.users.op1, foreign.documentId, 'accept', { nature: 'individual' });
    const b = await act(w.users.op1, UNKNOWN_DOC, 'accept', { nature: 'individual' });
    expect([a.status, a.body.error.message]).toEqual([404, NOT_VISIBLE]);
    same(a, b);
    expect(await counts()).toEqual(before);
    expect((await act(w.users.op1, own.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
  });

  it('the batch route: a lone foreign id and a lone unknown id alike; a batch of own complaints succeeds', async () => {
    const foreign = await assigned('t2');
    const own = await assigned('t1');
    const send = (ids: string[]) => w.users.op1.post('/complaints/transitions').send({ action: 'accept', nature: 'individual', documentIds: ids });
    const a = await send([foreign.documentId]);
    const b = await send([UNKNOWN_DOC]);
    expect([a.status, a.body.error.message]).toEqual([404, NOT_VISIBLE]);
    same(a, b);
    const c = await send([own.documentId, foreign.documentId]);
    const d = await send([own.documentId, UNKNOWN_DOC]);
    expect(c.status).toBe(404);
    same(c, d);
    const ok = await send([own.documentId]);
    expect([ok.status, ok.body.meta.count]).toEqual([200, 1]);
  });

  it('the history and workflow routes: 404 alike; own unit answers 200', async () => {
    const foreign = await assigned('t2');
    const own = await assigned('t1');
    for (const path of ['history', 'workflow']) {
      const a = await w.users.op1.get(`/complaints/complaints/${foreign.documentId}/${path}`);
      const b = await w.users.op1.get(`/complaints/complaints/${UNKNOWN_DOC}/${path}`);
      expect([path, a.status, a.body.error.message]).toEqual([path, 404, NOT_VISIBLE]);
      same(a, b);
      expect([path, (await w.users.op1.get(`/complaints/complaints/${own.documentId}/${path}`)).status]).toEqual([path, 200]);
    }
  });

  it('accept into another unit\'s problem group and into an unknown one: 400 alike; own group succeeds', async () => {
    const foreignGroup = await group(w.users.op2, '0201', '东坝镇道路积水');
    const ownGroup = await group(w.users.op1, '0101', '城关镇路灯损坏');
    const c = await assigned('t1');
    const before = await counts();
    const a = await act(w.users.op1, c.documentId, 'accept', { nature: 'common', problemGroup: foreignGroup });
    const b = await act(w.users.op1, c.documentId, 'accept', { nature: 'common', problemGroup: UNKNOWN_DOC });
    expect([a.status, a.body.error.message, a.body.error.details]).toEqual([400, '共性问题小类不存在或不属于本单位 / No such problem group in your unit', { code: 'invalid_input', field: 'problemGroup' }]);
    same(a, b);
    expect(await counts()).toEqual(before);
    const ok = await act(w.users.op1, c.documentId, 'accept', { nature: 'common', problemGroup: ownGroup });
    expect([ok.status, ok.body.data.to]).toEqual([200, 'accepted']);
  });

  it('group members: another unit\'s complaint and an unknown one alike; another unit\'s group and an unknown one alike; own succeeds', async () => {
    const ownGroup = await group(w.users.op1, '0101', '城关镇楼道照明');
    const foreignGroup = await group(w.users.op2, '0201', '东坝镇公交站台');
    const foreign = await accepted('t2');
    const own = await accepted('t1');
    const before = await counts();
    const members = (g: string, ids: string[]) => w.users.op1.post(`/complaints/problem-groups/${g}/members`).send({ documentIds: ids });
    const a = await members(ownGroup, [foreign.documentId]);
    const b = await members(ownGroup, [UNKNOWN_DOC]);
    expect([a.status, a.body.error.message]).toEqual([404, NOT_VISIBLE]);
    same(a, b);
    const c = await members(ownGroup, [own.documentId, foreign.documentId]);
    const d = await members(ownGroup, [own.documentId, UNKNOWN_DOC]);
    expect(c.status).toBe(404);
    same(c, d);
    const e = await members(foreignGroup, [own.documentId]);
    const f = await members(UNKNOWN_DOC, [own.documentId]);
    expect([e.status, e.body.error.message]).toEqual([404, GROUP_NOT_VISIBLE]);
    same(e, f);
    expect(await counts()).toEqual(before);
    const ok = await members(ownGroup, [own.documentId]);
    expect([ok.status, ok.body.data.added]).toEqual([200, 1]);
  });

  it('a batch on a group: another unit\'s group (with members, or empty) and an unknown one alike; own group succeeds', async () => {
    const foreignGroup = await group(w.users.op2, '0201', '东坝镇路面破损');
    const emptyForeign = await group(w.users.op2, '0201', '东坝镇护栏缺失');
    const member = await accepted('t2');
    expect((await w.users.op2.post(`/complaints/problem-groups/${foreignGroup}/members`).send({ documentIds: [member.documentId] })).status).toBe(200);
    const ownGroup = await group(w.users.op1, '0101', '城关镇井盖缺失');
    const own = await accepted('t1');
    expect((await w.users.op1.post(`/complaints/problem-groups/${ownGroup}/members`).send({ documentIds: [own.documentId] })).status).toBe(200);
    const before = await counts();
    const measure = { mode: 'deadline', text: '三日内更换井盖并设置警示', responsiblePerson: '王工', deadline: addDaysFromToday(30) };
    const send = (g: string) => w.users.op1.post('/complaints/transitions').send({ action: 'submit_measure', group: g, ...measure });
    const a = await send(foreignGroup);
    const b = await send(UNKNOWN_DOC);
    const c = await send(emptyForeign);
    expect([a.status, a.body.error.message]).toEqual([404, GROUP_NOT_VISIBLE]);
    same(a, b);
    same(a, c);
    const ge = (g: string) => w.users.op1.post(`/complaints/problem-groups/${g}/evidence`).field('aspect', 'facility').field('text', '更换后的井盖');
    same(await ge(foreignGroup), await ge(UNKNOWN_DOC));
    expect((await ge(UNKNOWN_DOC)).status).toBe(404);
    expect(await counts()).toEqual(before);
    const ok = await send(ownGroup);
    expect([ok.status, ok.body.error, ok.body.meta?.count]).toEqual([200, undefined, 1]);
  });

  it('evidence on another unit\'s complaint and on an unknown one: 404 alike', async () => {
    const foreign = await accepted('t2');
    const ev = (d: string) => w.users.op1.post(`/complaints/complaints/${d}/evidence`).field('aspect', 'facility').field('text', '现场照片');
    const a = await ev(foreign.documentId);
    expect([a.status, a.body.error.message]).toEqual([404, NOT_VISIBLE]);
    same(a, await ev(UNKNOWN_DOC));
    // Positive control: op2, whose complaint it is, reaches the state rule instead (not in rectification).
    const own = await w.users.op2.post(`/complaints/complaints/${foreign.documentId}/evidence`).field('aspect', 'facility').field('text', '现场照片');
    expect([own.status, own.body.error.details.code]).toEqual([400, 'illegal_state']);
  });

  it('evidence files and import batches: ids past the integer range answer as unknown ids (404), never 500', async () => {
    const unknown = await w.users.county.get('/complaints/evidence-files/999999');
    expect(unknown.status).toBe(404);
    for (const id of ['1e30', '99999999999999999999', '2147483648', '-1', '0', '1.5', 'abc']) {
      const res = await w.users.county.get(`/complaints/evidence-files/${id}`);
      expect([id, res.status, res.body.error.message]).toEqual([id, 404, unknown.body.error.message]);
    }
    for (const path of ['/complaints/imports/99999999999999999999', '/complaints/imports/1e30', '/complaints/imports/99999999999999999999/report']) {
      const res = await w.users.county.get(path);
      expect([path, res.status, res.body.error.message]).toEqual([path, 404, '导入批次不存在 / Import batch not found']);
    }
    expect((await w.users.county.get('/complaints/imports')).status).toBe(200);
  });
});

describe('ledger digests', () => {
  const post = (body: unknown) => w.users.admin.post('/complaints/ledger/digests').send(body as object);
  const INVALID = { status: 400, message: '日期（day）应为 YYYY-MM-DD 格式的真实日期 / day must be a real date as YYYY-MM-DD', code: 'invalid_day' };

  it('refuses a future day, today, impossible dates and non-strings (400, nothing stored); records a past day once (201, then 409)', async () => {
    const today = todayIn();
    const notPast = { status: 400, message: `只能记录已经结束的日期（今天是 ${today}） / Only a day that has ended can be recorded (today is ${today})`, code: 'day_not_past' };
    const cases: Array<[string, unknown, typeof INVALID]> = [
      ['far future', { day: '2999-01-01' }, notPast],
      ['tomorrow', { day: shift(today, 1) }, notPast],
      ['today', { day: today }, notPast],
      ['30 February', { day: '2026-02-30' }, INVALID],
      ['month 13', { day: '2026-13-01' }, INVALID],
      ['no padding', { day: '2026-1-5' }, INVALID],
      ['a number', { day: 20260101 }, INVALID],
      ['an array', { day: ['2026-01-01'] }, INVALID],
      ['an object', { day: { $gt: '2026-01-01' } }, INVALID],
      ['null', { day: null }, INVALID],
      ['a datetime', { day: '2026-01-01T00:00:00Z' }, INVALID],
      ['300,000 characters', { day: '2'.repeat(300_000) }, INVALID],
    ];
    for (const [what, body, want] of cases) {
      const res = await post(body);
      expect([what, res.status, res.body.error?.message, res.body.error?.details?.code]).toEqual([what, want.status, want.message, want.code]);
    }
    expect(await knex()('ledger_digests').count({ n: '*' })).toEqual([{ n: expect.anything() }]);
    expect(Number((await knex()('ledger_digests').count({ n: '*' }))[0].n)).toBe(0);

    const yesterday = shift(today, -1);
    const ok = await post({ day: yesterday });
    expect([ok.status, ok.body.data.day, ok.body.data.headsHash]).toEqual([201, yesterday, expect.stringMatching(/^[0-9a-f]{64}$/)]);
    const stored = await knex()('ledger_digests').select('day', 'heads_hash', 'computed_at');
    expect(stored).toHaveLength(1);

    const again = await post({ day: yesterday });
    expect([again.status, again.body.error.message, again.body.error.details]).toEqual([
      409, `${yesterday} 的摘要已经记录，不能重新记录 / The digest of ${yesterday} is already recorded; it cannot be recorded again`, { code: 'digest_recorded', day: yesterday },
    ]);
    // Without a day the route means yesterday: recorded already, so a conflict too.
    expect((await post({})).status).toBe(409);
    expect(await knex()('ledger_digests').select('day', 'heads_hash', 'computed_at')).toEqual(stored);

    const older = await post({ day: shift(today, -2) });
    expect(older.status).toBe(201);
  });

  it('the check route: impossible or malformed days are 400, an unrecorded day 404, a recorded one 200', async () => {
    const today = todayIn();
    for (const day of ['2026-02-30', '1e30', '99999999999999999999', '2026-00-10', 'abc']) {
      const res = await w.users.admin.get(`/complaints/ledger/digests/${day}/check`);
      expect([day, res.status, res.body.error?.details?.code]).toEqual([day, 400, 'invalid_day']);
    }
    const none = await w.users.admin.get('/complaints/ledger/digests/2001-01-01/check');
    expect([none.status, none.body.error.details.code]).toEqual([404, 'digest_not_found']);
    const ok = await w.users.admin.get(`/complaints/ledger/digests/${shift(today, -1)}/check`);
    expect([ok.status, ok.body.data.ok]).toEqual([200, true]);
  });
});

describe('smaller edges', () => {
  it('no X-Powered-By header; Strapi\'s security headers still sent', async () => {
    const res = await app.request().get('/complaints/info');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('CORS: an unknown origin gets no Access-Control-Allow-Origin; the server\'s own origin does', async () => {
    const evil = await app.request().options('/admin/login').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const evilGet = await app.request().get('/complaints/info').set('Origin', 'https://evil.example');
    expect(evilGet.headers['access-control-allow-origin']).toBeUndefined();
    const own = await app.request().options('/admin/login').set('Origin', 'http://localhost:1337').set('Access-Control-Request-Method', 'POST');
    expect([own.headers['access-control-allow-origin'], own.headers['access-control-allow-credentials']]).toEqual(['http://localhost:1337', 'true']);
  });

  it('public registration is refused and creates no user; the same call passes once registration is allowed', async () => {
    const users = async () => Number((await knex()('up_users').count({ n: '*' }))[0].n);
    const before = await users();
    const register = (n: string) => app.request().post('/api/auth/local/register').send({ username: `citizen${n}`, email: `citizen${n}@example.com`, password: 'Passw0rd!x' });
    const refused = await register('1');
    expect([refused.status, refused.body.error.message]).toEqual([400, 'Register action is currently disabled']);
    expect(await users()).toBe(before);
    const store = app.strapi.store({ type: 'plugin', name: 'users-permissions', key: 'advanced' });
    const settings = (await store.get({})) as Record<string, unknown>;
    expect(settings.allow_register).toBe(false);
    await store.set({ value: { ...settings, allow_register: true } });
    try {
      expect((await register('2')).status).toBe(200);
      expect(await users()).toBe(before + 1);
    } finally {
      await store.set({ value: { ...settings, allow_register: false } });
    }
  });

  it('job runs: unit roles see the run without the instance; the county office and leader see it', async () => {
    await app.strapi.plugin('complaints').service('jobs').run('warnings', { now: new Date() });
    const host = (await knex()('job_runs').orderBy('id', 'desc').first('instance')).instance as string;
    expect(host).toMatch(/:/);
    for (const key of ['op1', 'head1', 'lead1'] as const) {
      const res = await w.users[key].get('/complaints/jobs/runs?job=warnings');
      expect([key, res.status, res.body.data.length > 0]).toEqual([key, 200, true]);
      expect([key, res.text.includes(host), 'instance' in res.body.data[0]]).toEqual([key, false, false]);
      const overview = await w.users[key].get('/complaints/warnings/overview');
      expect([key, overview.status, overview.text.includes(host)]).toEqual([key, 200, false]);
    }
    for (const key of ['county', 'leader', 'admin'] as const) {
      const res = await w.users[key].get('/complaints/jobs/runs?job=warnings');
      expect([key, res.status, res.body.data[0].instance]).toEqual([key, 200, host]);
    }
  });
});
