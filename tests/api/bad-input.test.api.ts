/**
 * Bad input never gets a 500: every admin route of the plugin (read from routes/admin.ts) and
 * the Content Manager routes of the complaint type receive NUL bytes, ids past the integer
 * range, impossible dates, wrong types, oversize strings, malformed JSON and malformed
 * multipart bodies. Each answer is a 4xx with a message, and no ledger table changes. Positive
 * controls: the same routes with good input succeed.
 */
import supertest from 'supertest';
import adminRoutes from '../../plugins/complaints/server/src/routes/admin';
import { PUBLIC_ROUTES } from '../../plugins/complaints/server/src/routes/access';
import { startFakeAliyun, type FakeAliyun } from '../helpers/fake-aliyun';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { ALIYUN_SECRET, inbound, sign, useAliyun, useConsole, useTwilio } from '../helpers/public-routes';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { AdminSession } from '../helpers/admin';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const knex = () => app.strapi.db.connection;
const TABLES = ['complaints', 'complaint_events', 'measures', 'evidences', 'sign_offs', 'complaint_corrections', 'problem_groups', 'surveys', 'sms_messages', 'sms_opt_outs', 'ledger_digests', 'import_batches', 'spot_checks', 'month_closes', 'files'];
const counts = async () => {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[t] = Number((await knex()(t).count({ n: '*' }))[0].n);
  return out;
};
const CM = '/content-manager/collection-types/plugin::complaints.complaint';
const NUL_MESSAGE = '请求中含有空字符（NUL） / The request contains a NUL byte';
const BODY_MESSAGE = '请求体无法解析（JSON 或表单格式错误） / The request body could not be parsed (malformed JSON or form data)';
const HUGE = '99999999999999999999';
const LONG = '诉'.repeat(300_000);

type Call = { method: string; url: string; body?: unknown; raw?: { type: string; data: string }; multipart?: Record<string, string> };

const send = (s: AdminSession, c: Call) => {
  const m = c.method.toLowerCase() as 'get' | 'post' | 'put';
  // Tables are built before the fixture exists: its ids are filled in here.
  const url = c.url.replace('{group}', ids.group).replace('{doc}', ids.own);
  const t = m === 'get' ? s.get(url) : m === 'put' ? s.put(url) : s.post(url);
  if (c.raw) return t.set('Content-Type', c.raw.type).send(c.raw.data);
  if (c.multipart) {
    for (const [k, v] of Object.entries(c.multipart)) t.field(k, v);
    return t;
  }
  return c.body === undefined ? t : t.send(c.body as object);
};

let ids: { own: string; rectifying: string; group: string } = { own: '', rectifying: '', group: '' };

beforeAll(async () => {
  const c = await w.complaint();
  const r = await w.complaint();
  for (const d of [c.documentId, r.documentId]) {
    expect((await act(w.users.county, d, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id })).status).toBe(200);
    expect((await act(w.users.county, d, 'assign')).status).toBe(200);
  }
  expect((await act(w.users.op1, r.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
  expect((await act(w.users.op1, r.documentId, 'submit_measure', { mode: 'deadline', text: '更换楼道灯具并建立巡查', responsiblePerson: '李工', deadline: addDaysFromToday(30) })).status).toBe(200);
  expect((await act(w.users.lead1, r.documentId, 'approve_measure')).status).toBe(200);
  const g = await w.users.op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: '城关镇楼道照明' });
  expect(g.status).toBe(201);
  ids = { own: c.documentId, rectifying: r.documentId, group: g.body.data.documentId };
});

/** A route's path with its parameters filled: good values, or `bad` for every parameter. */
const fill = (path: string, bad?: string) =>
  `/complaints${path}`
    .replace(':documentId', bad ?? (path.startsWith('/problem-groups') ? '{group}' : '{doc}'))
    .replace(':id', bad ?? '1')
    .replace(':day', bad ?? '2026-01-01')
    .replace(':key', bad ?? 'toClassify');

/** Every bad call for one route: generic ones for all routes, body ones for POST and PUT routes. */
const badCallsFor = (route: { method: string; path: string }): Array<[string, Call]> => {
  const calls: Array<[string, Call]> = [
    ['NUL in the query', { method: route.method, url: `${fill(route.path)}?q=a%00b` }],
    ['raw-encoded NUL in the query', { method: route.method, url: `${fill(route.path)}?job=%00` }],
  ];
  if (route.path.includes(':')) {
    for (const bad of ['a%00b', HUGE, '1e30', '-1', '2026-02-30', 'x'.repeat(2000)]) calls.push([`parameter ${bad.slice(0, 20)}`, { method: route.method, url: fill(route.path, bad) }]);
  }
  // Body cases for the routes that take a body (POST, and the settings' PUT).
  if (route.method === 'POST' || route.method === 'PUT') {
    const url = fill(route.path);
    calls.push(
      ['NUL in the JSON body', { method: route.method, url, body: { action: 'accept', nature: 'individual', documentIds: [ids.own], text: 'a\u0000b', day: '2026-01-01' } }],
      ['NUL in a JSON key', { method: route.method, url, body: { 'a\u0000': 1 } }],
      ['malformed JSON', { method: route.method, url, raw: { type: 'application/json', data: '{"action":' } }],
      ['a JSON scalar body', { method: route.method, url, raw: { type: 'application/json', data: '"accept"' } }],
      ['a multipart header with a non-multipart body', { method: route.method, url, raw: { type: 'multipart/form-data; boundary=----x', data: '{"action":"accept"}' } }],
      ['a multipart header without a boundary', { method: route.method, url, raw: { type: 'multipart/form-data', data: 'abc' } }],
      ['an array body', { method: route.method, url, body: [1, 2, 3] }],
      ['wrong types', { method: route.method, url, body: { action: 12, documentIds: { a: 1 }, group: [1], day: 20260101, field: {}, value: [], categoryCode: 7, name: { x: 1 }, aspect: [] } }],
      ['300,000 characters', { method: route.method, url, body: { action: LONG, text: LONG, name: LONG, reason: LONG, value: LONG, day: LONG, categoryCode: LONG } }],
      ['NUL in a multipart field', { method: route.method, url, multipart: { aspect: 'facility', text: 'a\u0000b' } }],
    );
  }
  return calls;
};

const routeCases = adminRoutes.routes.flatMap((route) => badCallsFor(route).map(([what, call]): [string, string, Call] => [`${route.method} ${route.path}`, what, call]));

/** Calls with a known meaning, each expecting an exact status. */
const specificCases = (): Array<[string, Call, number]> => [
  ['classify with a unit id past the integer range', { method: 'POST', url: `/complaints/complaints/${ids.own}/transitions`, body: { action: 'classify', categoryCode: '0101', level: 'township', responsibleUnitId: HUGE } }, 400],
  ['classify with a unit id 1e20', { method: 'POST', url: `/complaints/complaints/${ids.own}/transitions`, body: { action: 'classify', categoryCode: '0101', level: 'township', responsibleUnitId: 1e20 } }, 400],
  ['a measure with an impossible deadline', { method: 'POST', url: `/complaints/complaints/${ids.own}/transitions`, body: { action: 'submit_measure', mode: 'deadline', text: '测试措施内容', responsiblePerson: '李工', deadline: '2026-02-30' } }, 400],
  ['evidence amount 1e309', { method: 'POST', url: `/complaints/complaints/${ids.rectifying}/evidence`, raw: { type: 'application/json', data: '{"aspect":"funds","text":"投入资金","amount":1e309}' } }, 400],
  ['evidence amount 1e20', { method: 'POST', url: `/complaints/complaints/${ids.rectifying}/evidence`, body: { aspect: 'funds', text: '投入资金', amount: 1e20 } }, 400],
  ['evidence amount as text 1e20 (multipart)', { method: 'POST', url: `/complaints/complaints/${ids.rectifying}/evidence`, multipart: { aspect: 'funds', text: '投入资金', amount: '1e20' } }, 400],
  ['evidence amount as an array', { method: 'POST', url: `/complaints/complaints/${ids.rectifying}/evidence`, body: { aspect: 'funds', text: '投入资金', amount: [5] } }, 400],
  ['a group for a unit id past the range', { method: 'POST', url: '/complaints/problem-groups', body: { categoryCode: '0101', name: '测试小类', unitId: HUGE } }, 400],
  ['a digest of an impossible day', { method: 'POST', url: '/complaints/ledger/digests', body: { day: '2026-02-30' } }, 400],
  ['a digest check of an impossible day', { method: 'GET', url: '/complaints/ledger/digests/2026-02-30/check' }, 400],
  ['an export with an impossible month', { method: 'GET', url: '/complaints/export?month=2026-13' }, 400],
  ['an export filtered on a phone', { method: 'GET', url: '/complaints/export?phone=13900001234' }, 400],
  ['an export with a day range past the calendar', { method: 'GET', url: '/complaints/export?receivedAt=2026-02-30..' }, 400],
  ['a spot-check draw at 1e20 percent', { method: 'POST', url: '/complaints/spot-checks', body: { month: '2026-01', percent: 1e20 } }, 400],
  ['a spot-check draw of month 2026-00', { method: 'POST', url: '/complaints/spot-checks', body: { month: '2026-00' } }, 400],
  ['a spot-check preview with a 300,000-character seed', { method: 'GET', url: `/complaints/spot-checks/preview?month=2026-01&seed=${'s'.repeat(3000)}` }, 400],
  ['a spot-check result for an id past the range', { method: 'POST', url: `/complaints/spot-checks/${HUGE}/result`, body: { result: 'passed' } }, 404],
  ['a spot-check report of an impossible month', { method: 'GET', url: '/complaints/spot-checks/report?month=2026-13' }, 400],
  ['a month close of month 2026-00', { method: 'POST', url: '/complaints/month-closes', body: { month: '2026-00' } }, 400],
  ['a month close with the month as a list', { method: 'POST', url: '/complaints/month-closes', body: { month: ['2026-01'] } }, 400],
  ['a month close of a month not yet over', { method: 'POST', url: '/complaints/month-closes', body: { month: '2999-01' } }, 400],
  ['a correction with a 300,000-character reason', { method: 'POST', url: '/complaints/month-closes/2026-01/corrections', body: { reason: LONG } }, 400],
  ['a correction of a month never closed', { method: 'POST', url: '/complaints/month-closes/2026-01/corrections', body: { reason: '补录迟到的回访' } }, 404],
  ['the frozen figures of an impossible month', { method: 'GET', url: '/complaints/month-closes/2026-13' }, 400],
  ['the verification of a month never closed', { method: 'GET', url: '/complaints/month-closes/2026-01/verify' }, 404],
  ['a batch of 300,000-character ids', { method: 'POST', url: '/complaints/transitions', body: { action: 'accept', nature: 'individual', documentIds: [LONG] } }, 404],
  ['an outbox list from an impossible day', { method: 'GET', url: '/complaints/sms/messages?from=2026-02-30' }, 400],
  ['an outbox list with a page size as a list', { method: 'GET', url: '/complaints/sms/messages?pageSize=1&pageSize=2' }, 400],
  ['a decision on a message id past the integer range', { method: 'POST', url: `/complaints/sms/messages/${HUGE}/decision`, body: { decision: 'resend', reason: '已核实' } }, 404],
  ['an opt-out with the phone as a list', { method: 'POST', url: '/complaints/sms/opt-outs', body: { phone: ['13800000000'], reason: '群众来电要求退订' } }, 400],
  ['an opt-out list searched by a 2,000-digit phone', { method: 'GET', url: `/complaints/sms/opt-outs?phone=${'1'.repeat(2000)}` }, 400],
  ['a return visit with the answer as an object', { method: 'POST', url: '/complaints/complaints/{doc}/return-visit', body: { answer: { a: 1 } } }, 400],
  ['a registration without content', { method: 'POST', url: '/complaints/registrations', body: { channel: 'hotline', town: '城关镇' } }, 400],
  ['a registration with a 300,000-character content', { method: 'POST', url: '/complaints/registrations', body: { channel: 'hotline', town: '城关镇', content: LONG } }, 400],
  ['a registration with a bad phone', { method: 'POST', url: '/complaints/registrations', body: { channel: 'hotline', town: '城关镇', content: '路灯损坏', phone: '12345' } }, 400],
  ['a registration received in the future', { method: 'POST', url: '/complaints/registrations', body: { channel: 'hotline', town: '城关镇', content: '路灯损坏', receivedAt: '2999-01-01T00:00:00.000Z' } }, 400],
  ['a registration in a town not of the county', { method: 'POST', url: '/complaints/registrations', body: { channel: 'hotline', town: '西山镇', content: '路灯损坏' } }, 400],
  ['a registration with the content as a list', { method: 'POST', url: '/complaints/registrations', body: { channel: 'hotline', town: '城关镇', content: ['路灯损坏'] } }, 400],
  ['CM edit view of a documentId with NUL', { method: 'GET', url: `${CM}/${ids.own}%00` }, 400],
  ['CM list filtered by id with a word', { method: 'GET', url: `${CM}?filters[id][$eq]=abc` }, 400],
  ['CM list filtered by id past the range', { method: 'GET', url: `${CM}?filters[id][$eq]=${HUGE}` }, 400],
  ['a settings edit of the time zone', { method: 'PUT', url: '/complaints/settings', body: { timeZone: 'Asia/Tokyo' } }, 400],
  ['a settings edit with a threshold as text', { method: 'PUT', url: '/complaints/settings', body: { warnings: { measure: { yellowDays: '15' } } } }, 400],
  ['a settings edit with yellow after orange', { method: 'PUT', url: '/complaints/settings', body: { warnings: { measure: { yellowDays: 5, orangeDays: 10 } } } }, 400],
  ['a settings edit with every ranking weight 0', { method: 'PUT', url: '/complaints/settings', body: { ranking: { weights: { response: 0, resolution: 0, satisfaction: 0 } } } }, 400],
  ['an empty settings edit', { method: 'PUT', url: '/complaints/settings', body: {} }, 400],
  ['a queue page 0', { method: 'GET', url: '/complaints/queues/toClassify?page=0' }, 400],
  ['a queue of 1,000 rows a page', { method: 'GET', url: '/complaints/queues/toClassify?pageSize=1000' }, 400],
  ['a queue that does not exist', { method: 'GET', url: '/complaints/queues/__proto__' }, 404],
  ['queue counts filtered on a phone', { method: 'GET', url: '/complaints/queues?phone=13900001234' }, 400],
  ['a queue filtered on an unknown field', { method: 'GET', url: '/complaints/queues/toClassify?chainHash=ab' }, 400],
  ['CM list filtered with a NUL value', { method: 'GET', url: `${CM}?filters[town][$eq]=a%00` }, 400],
  ['CM list with a raw NUL-encoded sort', { method: 'GET', url: `${CM}?sort=town%00:asc` }, 400],
  ['CM update with malformed JSON', { method: 'PUT', url: `${CM}/${ids.own}`, raw: { type: 'application/json', data: '{"summary":"x",' } }, 400],
  ['CM update of a JSON field with invalid JSON text', { method: 'PUT', url: `${CM}/${ids.own}`, raw: { type: 'application/json', data: '{"rawRow":{"a":}}' } }, 400],
  ['CM update of a JSON field with a non-JSON string', { method: 'PUT', url: `${CM}/${ids.own}`, body: { rawRow: '{"a":' } }, 400],
  ['CM list sorted by a 300,000-character field', { method: 'GET', url: `${CM}?sort=${'a'.repeat(6000)}:asc` }, 400],
  ['CM create with a multipart header and no multipart body', { method: 'POST', url: CM, raw: { type: 'multipart/form-data; boundary=zz', data: 'ledgerNo=1' } }, 400],
];

describe('bad input on every plugin admin route', () => {
  it('the table covers every route of routes/admin.ts', () => {
    expect(adminRoutes.routes.length).toBe(53);
    const covered = new Set(routeCases.map(([route]) => route));
    expect(covered.size).toBe(adminRoutes.routes.length);
  });

  it.each(routeCases)('%s: %s → 4xx with a message, nothing changed', async (_route, what, call) => {
    const before = await counts();
    const res = await send(w.users.admin, call);
    expect([what, res.status >= 400 && res.status < 500, typeof res.body?.error?.message]).toEqual([what, true, 'string']);
    expect(res.body.error.message.length).toBeGreaterThan(0);
    if (what.includes('NUL') && !what.includes('multipart')) expect([res.status, res.body.error.message]).toEqual([400, NUL_MESSAGE]);
    if (what === 'malformed JSON') expect([res.status, res.body.error.message]).toEqual([400, BODY_MESSAGE]);
    expect(await counts()).toEqual(before);
  });
});

describe('bad input with a known meaning, plugin and Content Manager routes', () => {
  it('each answers its exact status with a message and changes nothing', async () => {
    for (const [what, call, status] of specificCases()) {
      const before = await counts();
      const res = await send(w.users.admin, call);
      expect([what, res.status, typeof res.body?.error?.message]).toEqual([what, status, 'string']);
      expect([what, await counts()]).toEqual([what, before]);
    }
  });
});

describe('positive controls: the same routes with good input', () => {
  it('routes with parameters, JSON bodies and multipart bodies succeed', async () => {
    const { admin, op1 } = w.users;
    expect((await admin.get(`/complaints/complaints/${ids.own}/workflow?q=ab`)).status).toBe(200);
    expect((await admin.get(`/complaints/complaints/${ids.own}/history`)).status).toBe(200);
    expect((await admin.get('/complaints/jobs/runs?job=warnings')).status).toBe(200);
    expect((await admin.get('/complaints/sms/messages?from=2026-11-01&to=2026-11-30&status=failed')).status).toBe(200);
    expect((await admin.get('/complaints/sms/opt-outs?phone=13800000000')).status).toBe(200);
    expect((await admin.get(`${CM}?filters[id][$eq]=1`)).status).toBe(200);
    expect((await admin.get(`${CM}?filters[town][$eq]=城关镇`)).status).toBe(200);
    expect((await admin.get(`${CM}/${ids.own}`)).status).toBe(200);
    expect((await admin.get('/complaints/export?month=2026-11&state=assigned').buffer(true)).status).toBe(200);
    expect((await admin.get('/complaints/spot-checks/report?month=2026-01')).status).toBe(200);
    expect((await admin.get('/complaints/queues/toClassify?page=1&pageSize=100&town=城关镇')).status).toBe(200);
    expect((await admin.get('/complaints/queues?state=received')).status).toBe(200);
    expect((await admin.get('/complaints/month-closes')).status).toBe(200);
    const edit = await admin.put('/complaints/settings').send({ warnings: { measure: { yellowDays: 20, orangeDays: 10 } } });
    expect([edit.status, edit.body.meta?.changes]).toEqual([200, []]);
    const reg = await admin.post('/complaints/registrations').send({ channel: 'hotline', town: '城关镇', content: '路灯损坏', phone: '13800138000', receivedAt: '2026-01-05T08:00:00+08:00' });
    expect(reg.status).toBe(201);
    const before = await counts();
    const ev = await op1.post(`/complaints/complaints/${ids.rectifying}/evidence`).field('aspect', 'funds').field('text', '投入资金').field('amount', '12000.50');
    expect([ev.status, ev.body.data.evidenceIds.length]).toEqual([201, 1]);
    const amount = await knex()('evidences').orderBy('id', 'desc').first('amount');
    expect(Number(amount.amount)).toBe(12000.5);
    const cls = await act(w.users.county, (await w.complaint()).documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: String(w.units.t1.id) });
    expect(cls.status).toBe(200);
    const after = await counts();
    expect([after.evidences, after.complaints]).toEqual([before.evidences + 1, before.complaints + 1]);
    const closed = await admin.post('/complaints/month-closes').send({ month: '2025-01' });
    expect([closed.status, (await counts()).month_closes]).toEqual([201, after.month_closes + 1]);
  });
});

/**
 * The public routes (routes/access.ts PUBLIC_ROUTES), called anonymously as their callers do, with
 * Twilio as the provider (Aliyun for its push routes, called on the path with the right secret),
 * so the webhooks read what they are sent: the same bad input, each a 4xx and no table changed. A
 * Twilio webhook's body is read only after its signature, so an unsigned bad body is a 403; signed
 * bad bodies are a 400.
 */
describe('bad input on every public route', () => {
  let fake: FakeTwilio;
  let fakeAliyun: FakeAliyun;
  let token = '';
  beforeAll(async () => {
    fakeAliyun = await startFakeAliyun();
    fake = await startFakeTwilio();
    useTwilio(app.strapi, fake);
    const c = await w.complaint({ phone: '13955550001' });
    await knex()('complaints').where('id', c.id).update({ state: 'closed', closed_at: new Date() });
    // Twilio with mainland replies allowed: a reply survey; the page is checked with a link one below.
    await app.strapi.plugin('complaints').service('surveys').openFor([c.id]);
    useConsole(app.strapi);
    const l = await w.complaint({ phone: '13955550002' });
    await knex()('complaints').where('id', l.id).update({ state: 'closed', closed_at: new Date() });
    token = (await app.strapi.plugin('complaints').service('surveys').openFor([l.id]))[0].token;
    useTwilio(app.strapi, fake);
  });
  afterAll(async () => {
    useConsole(app.strapi);
    await fake?.close();
    await fakeAliyun?.close();
  });

  const anonymous = (c: Call) => {
    const http = supertest(app.strapi.server.httpServer);
    const url = c.url.replace('{token}', token);
    const t = c.method === 'GET' ? http.get(url) : http.post(url);
    if (c.raw) return t.set('Content-Type', c.raw.type).send(c.raw.data);
    if (c.multipart) {
      for (const [k, v] of Object.entries(c.multipart)) t.field(k, v);
      return t;
    }
    return c.body === undefined ? t : t.send(c.body as object);
  };
  const fillPublic = (path: string, bad?: string) => path.replace(':token', bad ?? '{token}').replace(':secret', bad ?? ALIYUN_SECRET);
  const publicBadCalls = (route: { method: string; path: string }): Array<[string, Call]> => {
    const calls: Array<[string, Call]> = [
      ['NUL in the query', { method: route.method, url: `${fillPublic(route.path)}?q=a%00b` }],
      ['raw-encoded NUL in the query', { method: route.method, url: `${fillPublic(route.path)}?job=%00` }],
    ];
    if (route.path.includes(':')) {
      for (const bad of ['a%00b', HUGE, '1e30', '-1', '2026-02-30', 'x'.repeat(2000)]) calls.push([`parameter ${bad.slice(0, 20)}`, { method: route.method, url: fillPublic(route.path, bad) }]);
    }
    if (route.method === 'POST') {
      const url = fillPublic(route.path);
      calls.push(
        ['NUL in the JSON body', { method: 'POST', url, body: { Body: 'a\u0000b', From: '+8613955550001', MessageSid: `SM${'1'.repeat(32)}`, answer: 'satisfied', comment: 'a\u0000b' } }],
        ['NUL in a form field', { method: 'POST', url, raw: { type: 'application/x-www-form-urlencoded', data: 'Body=1%00&answer=satisfied' } }],
        ['malformed JSON', { method: 'POST', url, raw: { type: 'application/json', data: '{"Body":' } }],
        ['a JSON scalar body', { method: 'POST', url, raw: { type: 'application/json', data: '"1"' } }],
        ['a multipart header with a non-multipart body', { method: 'POST', url, raw: { type: 'multipart/form-data; boundary=----x', data: 'Body=1' } }],
        ['a multipart header without a boundary', { method: 'POST', url, raw: { type: 'multipart/form-data', data: 'abc' } }],
        ['an array body', { method: 'POST', url, body: [1, 2, 3] }],
        ['wrong types', { method: 'POST', url, body: { Body: 12, From: { a: 1 }, MessageSid: [1], MessageStatus: [], answer: 3, comment: {}, csrf: [] } }],
        ['300,000 characters', { method: 'POST', url, body: { Body: LONG, From: LONG, MessageSid: LONG, answer: LONG, comment: LONG, csrf: LONG } }],
        ['NUL in a multipart field', { method: 'POST', url, multipart: { Body: 'a\u0000b', answer: 'satisfied' } }],
      );
    }
    return calls;
  };
  const publicCases = PUBLIC_ROUTES.flatMap((route) => publicBadCalls(route).map(([what, call]): [string, string, Call] => [`${route.method} ${route.path}`, what, call]));

  it('the table covers every public route', () => {
    expect(new Set(publicCases.map(([route]) => route)).size).toBe(PUBLIC_ROUTES.length);
  });

  it.each(publicCases)('%s: %s → 4xx, nothing changed', async (route, what, call) => {
    if (route.includes('/webhooks/aliyun/')) useAliyun(app.strapi, fakeAliyun);
    else useTwilio(app.strapi, fake);
    const before = await counts();
    const res = await anonymous(call);
    expect([what, res.status >= 400 && res.status < 500]).toEqual([what, true]);
    // A JSON error with a message, or (the survey page) an HTML page saying why.
    if (String(res.headers['content-type']).startsWith('text/html')) expect(res.text).toMatch(/<h1>[^<]+<\/h1>/);
    else expect(typeof res.body?.error?.message).toBe('string');
    if (what.includes('NUL') && !what.includes('multipart')) expect([res.status, res.body.error.message]).toEqual([400, NUL_MESSAGE]);
    if (what === 'malformed JSON') expect([res.status, res.body.error.message]).toEqual([400, BODY_MESSAGE]);
    expect(await counts()).toEqual(before);
  });

  it('signed webhook bodies of the wrong shape get 400 and change nothing; a good one is accepted', async () => {
    useTwilio(app.strapi, fake);
    const post = (path: string, params: Record<string, string>) => supertest(app.strapi.server.httpServer).post(path).type('form').send(params).set('X-Twilio-Signature', sign(path, params));
    const inboundPath = PUBLIC_ROUTES.find((r) => r.handler === 'public.twilioInbound')!.path;
    const statusPath = PUBLIC_ROUTES.find((r) => r.handler === 'public.twilioStatus')!.path;
    const before = await counts();
    for (const [path, params] of [
      [inboundPath, { From: '+8613955550001', Body: '1' }],
      [inboundPath, { From: '+8613955550001', Body: '1', MessageSid: 'SM-not-hex' }],
      [inboundPath, { From: '1'.repeat(33), Body: '1', MessageSid: `SM${'2'.repeat(32)}` }],
      [inboundPath, { From: '+8613955550001', Body: '诉'.repeat(1601), MessageSid: `SM${'3'.repeat(32)}` }],
      [statusPath, { MessageSid: `SM${'4'.repeat(32)}` }],
      [statusPath, { MessageSid: `SM${'4'.repeat(32)}`, MessageStatus: 'x'.repeat(300) }],
    ] as Array<[string, Record<string, string>]>) {
      const res = await post(path, params);
      expect([path, JSON.stringify(params).slice(0, 80), res.status, typeof res.body?.error?.message]).toEqual([path, JSON.stringify(params).slice(0, 80), 400, 'string']);
    }
    expect(await counts()).toEqual(before);
    const ok = await post(inboundPath, inbound('+8613955550001', '1'));
    expect(ok.status).toBe(200);
    const after = await counts();
    expect([after.sms_messages, after.surveys]).toEqual([before.sms_messages + 1, before.surveys]);
  });
});
