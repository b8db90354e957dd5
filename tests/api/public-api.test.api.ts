/**
 * The public routes under /api/minyi and the public page, as a citizen's browser calls them:
 * the summary, results and ranking (the same figures as the admin statistics, computed by hand
 * here), their 400s for parameters they do not define (each with a positive control), 304 on a
 * matching ETag, 429 with Retry-After; the intake (a `received` complaint of channel web with its
 * `created` event by the citizen, a tracking code stored hashed, the registered notice queued;
 * the honeypot; the length, town and phone rules; the per-IP limit); tracking (by code and by
 * phone tail; a wrong pair and an unknown number answer byte for byte the same; the limits);
 * the moderation of the public summary; and the PII canary: no canary name, phone, address or
 * content in any body or header of any public route or page, nor in the server's log.
 */
import supertest from 'supertest';
import { withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

process.env.LOG_LEVEL = 'http';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started), { captureLog: true });
afterAll(() => {
  process.env.LOG_LEVEL = 'warn';
});

const knex = () => app.strapi.db.connection;
const http = () => supertest(app.strapi.server.httpServer);
const HIGH = { read: { points: 100000, duration: 60 }, intake: { points: 100000, duration: 60 }, track: { points: 100000, duration: 60 }, trackPerLedger: { points: 100000, duration: 60 } };
const setLimits = (limits: Record<string, { points: number; duration: number }>) => {
  app.strapi.config.set('plugin::complaints.publicPage.limits', { ...HIGH, ...limits });
  app.strapi.plugin('complaints').service('public-limits').reset();
};

/** Unique strings that must never reach the public: names, phones in the import's forms, addresses, content. */
const CANARY = {
  names: ['金丝雀甲CANARYNAME1', '金丝雀乙CANARYNAME2', '金丝雀丙CANARYNAME3', '金丝雀丁CANARYNAME4', '金丝雀戊CANARYNAME5', '金丝雀己CANARYNAME6'],
  phones: ['13911112222', '+86 139 1111 3333', '0086-139-1111-4444', '１３９１１１１５５５５', '0571-8877 6655', '13922226666'],
  addresses: ['幸福路88号CANARYADDR1', '和平街9号3单元CANARYADDR2', '东湖路1号CANARYADDR3', '西关巷2号CANARYADDR4', '南门路5号CANARYADDR5'],
  contents: ['CANARYCONTENT1 楼道照明长期损坏', 'CANARYCONTENT2 路面塌陷无人修补', 'CANARYCONTENT3 公交站台缺少遮雨棚', 'CANARYCONTENT4 垃圾清运不及时', 'CANARYCONTENT5 小区停车位不足', 'CANARYCONTENT6 网上反映夜间施工噪音扰民'],
};
/** Every phone's digits too (a response might carry a normalised number). */
const PHONE_DIGITS = ['13911112222', '13911113333', '13911114444', '13911115555', '057188776655', '88776655', '13922226666', '11112222', '11113333', '11114444', '11115555', '22226666'];
const canaries = () => [...CANARY.names, ...CANARY.phones, ...CANARY.addresses, ...CANARY.contents, ...PHONE_DIGITS, 'CANARYNAME', 'CANARYADDR', 'CANARYCONTENT'];
const leaks = (text: string): string[] => canaries().filter((c) => text.includes(c));

const CLOSED_AT = new Date('2026-11-30T17:30:00Z'); // 2026-12-01 in Beijing
const RECEIVED = new Date('2026-10-15T02:00:00Z'); // 2026-10 in Beijing

interface Seeded {
  ledgerNo: string;
  id: number;
  documentId: string;
}
const seeded: Record<'A' | 'B' | 'C' | 'D' | 'E', Seeded> = {} as never;

/**
 * Five complaints: A, B (城关镇) and C (东坝镇) closed; D (城关镇) assigned; E (东坝镇) received.
 * By hand: 5 complaints, 4 valid, 3 closed; resolution 3/4; 城关镇 3 complaints, 2/3 resolved;
 * 东坝镇 2 complaints, 1/1 resolved; category 01 three complaints (2/3), 02 two (1/1).
 */
const seed = async () => {
  const plan = [
    ['A', '城关镇', '0101', '01', 'closed'],
    ['B', '城关镇', '0102', '01', 'closed'],
    ['C', '东坝镇', '0201', '02', 'closed'],
    ['D', '城关镇', '0101', '01', 'assigned'],
    ['E', '东坝镇', null, null, 'received'],
  ] as const;
  for (const [i, [key, town, minor, major, state]] of plan.entries()) {
    const ledgerNo = `PUB-CANARY-${key}`;
    const doc = await app.strapi.documents('plugin::complaints.complaint').create({
      data: { ledgerNo, receivedAt: RECEIVED.toISOString(), channel: 'visit', complainantName: CANARY.names[i], phone: CANARY.phones[i], town, village: '东街社区', address: CANARY.addresses[i], content: CANARY.contents[i] } as any,
    });
    const row = await knex()('complaints').where('document_id', doc.documentId).first('id');
    seeded[key] = { ledgerNo, id: Number(row.id), documentId: doc.documentId as string };
    if (state !== 'received') {
      await knex()('complaints').where('id', row.id).update({
        state, category_code: minor, major_category_code: major, closed_at: state === 'closed' ? CLOSED_AT : null,
        response_deadline: state === 'assigned' ? '2099-01-01' : null, mode: state === 'closed' ? 'immediate' : null,
      });
    }
  }
};

beforeAll(async () => {
  setLimits({});
  await seed();
});

const get = (url: string) => http().get(url);

describe('GET /api/minyi/summary', () => {
  it('shows the totals, the three rates with numerators and denominators, by category, town and month', async () => {
    const res = await get('/api/minyi/summary');
    expect(res.status).toBe(200);
    const d = res.body.data;
    expect(d.totals).toEqual({
      complaints: 5, valid: 4, closed: 3,
      byStateGroup: { received: 1, in_progress: 1, closed: 3, invalid: 0 },
      rates: { response: { numerator: 0, denominator: 0, rate: null }, resolution: { numerator: 3, denominator: 4, rate: 0.75 }, satisfaction: { numerator: 0, denominator: 0, rate: null } },
    });
    expect(d.byTown.map((t: any) => [t.town, t.complaints, t.rates.resolution.numerator, t.rates.resolution.denominator])).toEqual([['城关镇', 3, 2, 3], ['东坝镇', 2, 1, 1]]);
    expect(d.byCategory.map((c: any) => [c.code, c.name, c.complaints, c.rates.resolution.numerator, c.rates.resolution.denominator])).toEqual([
      ['01', '城乡建设', 3, 2, 3], ['02', '交通出行', 1, 1, 1], [null, null, 1, 0, 0],
    ]);
    expect(d.trend.map((m: any) => [m.month, m.complaints, m.rates.resolution.numerator, m.rates.resolution.denominator])).toEqual([['2026-10', 5, 3, 4]]);
  });

  it('equals the admin statistics of the same functions', async () => {
    const admin = await w.users.leader.get('/complaints/stats/rates?by=town');
    const pub = (await get('/api/minyi/summary')).body.data;
    expect(admin.status).toBe(200);
    expect(pub.totals.rates.resolution).toEqual({ numerator: admin.body.data.totals.rates.resolution.numerator, denominator: admin.body.data.totals.rates.resolution.denominator, rate: admin.body.data.totals.rates.resolution.rate });
  });

  it('filters by town, category and month (one breakdown filter at a time)', async () => {
    const town = (await get(`/api/minyi/summary?town=${encodeURIComponent('城关镇')}`)).body.data;
    expect([town.totals.complaints, town.totals.rates.resolution.numerator, town.totals.rates.resolution.denominator]).toEqual([3, 2, 3]);
    const cat = (await get('/api/minyi/summary?category=02')).body.data;
    expect([cat.totals.complaints, cat.totals.rates.resolution.numerator, cat.totals.rates.resolution.denominator]).toEqual([1, 1, 1]);
    const none = (await get('/api/minyi/summary?month=2026-09')).body.data;
    expect([none.totals.complaints, none.totals.rates.resolution.denominator]).toEqual([0, 0]);
    const both = await get(`/api/minyi/summary?town=${encodeURIComponent('城关镇')}&category=01`);
    expect([both.status, both.body.error.details.code]).toEqual([400, 'one_breakdown']);
  });
});

describe('GET /api/minyi/results', () => {
  it('lists closed complaints with public fields only', async () => {
    await knex()('complaints').where('id', seeded.A.id).update({ summary: '楼道照明已全部修复' });
    // The citizen answers A's survey through its link: the result shows that answer.
    const surveys = app.strapi.plugin('complaints').service('surveys');
    const [opened] = await surveys.openFor([seeded.A.id]);
    expect(await surveys.answerByToken(opened.token, 'satisfied', null)).toBe('answered');
    const res = await get('/api/minyi/results');
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ page: 1, pageSize: 20, total: 3 });
    const a = res.body.data.find((r: any) => r.ledgerNo === seeded.A.ledgerNo);
    expect(a).toEqual({
      ledgerNo: seeded.A.ledgerNo, majorCategory: { code: '01', name: '城乡建设' }, minorCategory: { code: '0101', name: '老旧小区改造' }, town: '城关镇',
      monthReceived: '2026-10', summary: '楼道照明已全部修复', measure: { mode: 'immediate', text: null }, closedOn: '2026-12-01', satisfaction: 'satisfied',
    });
    expect(res.body.data.map((r: any) => r.ledgerNo).sort()).toEqual([seeded.A.ledgerNo, seeded.B.ledgerNo, seeded.C.ledgerNo]);
  });

  it('pages and filters', async () => {
    const p2 = (await get('/api/minyi/results?pageSize=2&page=2')).body;
    expect([p2.meta, p2.data.length]).toEqual([{ page: 2, pageSize: 2, total: 3 }, 1]);
    const town = (await get(`/api/minyi/results?town=${encodeURIComponent('东坝镇')}`)).body;
    expect(town.data.map((r: any) => r.ledgerNo)).toEqual([seeded.C.ledgerNo]);
    const minor = (await get('/api/minyi/results?category=0102')).body;
    expect(minor.data.map((r: any) => r.ledgerNo)).toEqual([seeded.B.ledgerNo]);
  });
});

describe('GET /api/minyi/ranking', () => {
  it('ranks units with numerators and denominators', async () => {
    const res = await get('/api/minyi/ranking?month=2026-10');
    expect(res.status).toBe(200);
    expect(res.body.data.month).toBe('2026-10');
    expect(Object.keys(res.body.data.units[0]).sort()).toEqual(['code', 'composite', 'name', 'rank', 'rates']);
    expect(Object.keys(res.body.data.units[0].rates).sort()).toEqual(['resolution', 'response', 'satisfaction']);
  });
});

describe('parameters a public route does not define are a 400 (zh/en)', () => {
  const cases: Array<[string, string, string]> = [
    ['/api/minyi/summary?populate=*', 'unsupported_parameter', '公开接口不支持参数 populate'],
    ['/api/minyi/results?fields[0]=phone', 'unsupported_parameter', '公开接口不支持参数 fields'],
    ['/api/minyi/results?filters[phone][$eq]=13911112222', 'unsupported_parameter', '公开接口不支持参数 filters'],
    ['/api/minyi/results?sort=phone', 'unsupported_parameter', '公开接口不支持参数 sort'],
    ['/api/minyi/results?phone=13911112222', 'unknown_parameter', '未知的查询参数：phone'],
    ['/api/minyi/results?pageSize=51', 'bad_parameter', 'pageSize'],
    ['/api/minyi/results?stateGroup=closed&state=received', 'unknown_parameter', '未知的查询参数'],
    ['/api/minyi/summary?month=2026-13', 'bad_parameter', 'month'],
    ['/api/minyi/summary?category=7', 'bad_parameter', 'category'],
    ['/api/minyi/ranking?town=x', 'unknown_parameter', '未知的查询参数：town'],
  ];
  it.each(cases)('%s → 400 %s', async (url, code, zh) => {
    const res = await get(url);
    expect([res.status, res.body.error.details.code]).toEqual([400, code]);
    expect(res.body.error.message).toContain(zh);
    expect(res.body.error.message).toContain(' / ');
  });
  it('control: the same routes with their own parameters answer 200', async () => {
    for (const url of ['/api/minyi/summary?month=2026-10', '/api/minyi/results?pageSize=50&page=1', '/api/minyi/ranking?month=2026-10']) expect([url, (await get(url)).status]).toEqual([url, 200]);
  });
});

describe('caching and limits', () => {
  it('sends an ETag and Cache-Control; a matching If-None-Match gets a 304 without a body', async () => {
    const first = await get('/api/minyi/summary');
    expect(first.headers['cache-control']).toBe('public, max-age=60');
    expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    const again = await get('/api/minyi/summary').set('If-None-Match', first.headers.etag);
    expect([again.status, again.text]).toEqual([304, '']);
    const other = await get('/api/minyi/summary').set('If-None-Match', '"something-else"');
    expect(other.status).toBe(200);
  });

  it('answers 429 with Retry-After past the per-IP read limit', async () => {
    setLimits({ read: { points: 3, duration: 60 } });
    try {
      const statuses: number[] = [];
      let last: supertest.Response | null = null;
      for (let i = 0; i < 4; i += 1) {
        last = await get('/api/minyi/results');
        statuses.push(last.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
      expect(last!.body.error.message).toContain('请求过于频繁');
    } finally {
      setLimits({});
    }
  });
});

const goodForm = (extra: Record<string, unknown> = {}) => ({ content: CANARY.contents[5], town: '城关镇', village: '东街社区', name: CANARY.names[5], mobile: CANARY.phones[5], consent: true, ...extra });
const post = (url: string, body: unknown) => http().post(url).send(body as object);

describe('POST /api/minyi/requests (问题征集)', () => {
  let intake: { ledgerNo: string; trackingCode: string };

  it('records a received web complaint through the guarded path, with its event and the registered notice', async () => {
    const before = Number((await knex()('complaints').count({ n: '*' }))[0].n);
    const res = await post('/api/minyi/requests', goodForm());
    expect(res.status).toBe(201);
    intake = res.body.data;
    const year = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4);
    expect(intake.ledgerNo).toBe(`WEB${year}000001`);
    expect(intake.trackingCode).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
    expect(Number((await knex()('complaints').count({ n: '*' }))[0].n)).toBe(before + 1);
    const row = await knex()('complaints').where('ledger_no', intake.ledgerNo).first('id', 'state', 'channel', 'town', 'phone', 'chain_seq');
    expect([row.state, row.channel, row.town, row.phone, Number(row.chain_seq)]).toEqual(['received', 'web', '城关镇', '13922226666', 1]);
    const events = await knex()('complaint_events').where('complaint_id', row.id).select('type', 'actor_kind', 'to_state');
    expect(events).toEqual([{ type: 'created', actor_kind: 'citizen', to_state: 'received' }]);
    const stored = await knex()('complaint_tracking_codes').where('complaint_id', row.id).first('code_hash');
    expect(stored.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.code_hash).not.toContain(intake.trackingCode.replace(/-/g, ''));
    const sms = await knex()('sms_messages').where('complaint_id', row.id).select('template', 'status', 'body');
    expect(sms.map((m: any) => [m.template, m.status])).toEqual([['registered_notice', 'queued']]);
    expect(sms[0].body).toBe(`【民意服务站】您的诉求已登记，编号${intake.ledgerNo}。我们将尽快处理。`);
    // Frozen: the guard refuses a change of an original of the new complaint.
    const put = await w.users.county.put(`/content-manager/collection-types/plugin::complaints.complaint/${(await knex()('complaints').where('id', row.id).first('document_id')).document_id}`).send({ content: '改过的内容超过十个字符' });
    expect(put.status).toBe(400);
  });

  it('the next demand gets the next number of the series; without a phone no message is queued', async () => {
    const res = await post('/api/minyi/requests', goodForm({ mobile: '', name: '' }));
    expect(res.status).toBe(201);
    expect(res.body.data.ledgerNo).toBe(intake.ledgerNo.replace(/000001$/, '000002'));
    const row = await knex()('complaints').where('ledger_no', res.body.data.ledgerNo).first('id', 'phone', 'complainant_name');
    expect([row.phone, row.complainant_name]).toEqual([null, null]);
    expect(Number((await knex()('sms_messages').where('complaint_id', row.id).count({ n: '*' }))[0].n)).toBe(0);
  });

  it('a filled honeypot is answered like a success and recorded nowhere', async () => {
    const before = [Number((await knex()('complaints').count({ n: '*' }))[0].n), Number((await knex()('sms_messages').count({ n: '*' }))[0].n)];
    const res = await post('/api/minyi/requests', goodForm({ website: 'http://spam.example' }));
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual(['ledgerNo', 'trackingCode']);
    expect([Number((await knex()('complaints').count({ n: '*' }))[0].n), Number((await knex()('sms_messages').count({ n: '*' }))[0].n)]).toEqual(before);
  });

  const refusals: Array<[string, Record<string, unknown>, string, string]> = [
    ['content of 9 characters', { content: '一二三四五六七八九' }, 'content_length', '诉求内容应为 10 到 2000 个字'],
    ['content of 2,001 characters', { content: '字'.repeat(2001) }, 'content_length', '诉求内容应为 10 到 2000 个字'],
    ['a town not in the list', { town: '火星镇' }, 'unknown_town', '请从列表中选择乡镇'],
    ['no village', { village: '' }, 'invalid_intake', '村（社区）'],
    ['a landline', { mobile: '0571-88776655' }, 'bad_mobile', '手机号码格式不对'],
    ['a phone in a bad form', { mobile: '1391111' }, 'bad_mobile', '手机号码格式不对'],
    ['no consent', { consent: false }, 'consent_required', '请阅读并同意'],
    ['content not text', { content: ['a'] }, 'invalid_intake', '应为文字'],
  ];
  it.each(refusals)('%s → 400, nothing recorded', async (_what, patch, code, zh) => {
    const before = Number((await knex()('complaints').count({ n: '*' }))[0].n);
    const res = await post('/api/minyi/requests', goodForm(patch));
    expect([res.status, res.body.error.details.code]).toEqual([400, code]);
    expect(res.body.error.message).toContain(zh);
    expect(leaks(JSON.stringify(res.body))).toEqual([]);
    expect(Number((await knex()('complaints').count({ n: '*' }))[0].n)).toBe(before);
  });
  it('control: full-width and +86 forms of a mobile are accepted', async () => {
    const res = await post('/api/minyi/requests', goodForm({ mobile: '+86 １３９ ２２２２ ６６６６' }));
    expect(res.status).toBe(201);
  });

  it('answers 429 past the per-IP intake limit', async () => {
    setLimits({ intake: { points: 1, duration: 3600 } });
    try {
      const a = await post('/api/minyi/requests', goodForm({ mobile: '' }));
      const b = await post('/api/minyi/requests', goodForm({ mobile: '' }));
      expect([a.status, b.status]).toEqual([201, 429]);
      expect(Number(b.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      setLimits({});
    }
  });

  describe('POST /api/minyi/track (进度查询)', () => {
    it('shows the state and the public timeline for the ledger number and tracking code', async () => {
      const res = await post('/api/minyi/track', { ledgerNo: intake.ledgerNo, code: intake.trackingCode.toLowerCase() });
      expect(res.status).toBe(200);
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
      expect(res.body.data).toEqual({
        ledgerNo: intake.ledgerNo, state: 'received', label: { zh: '已登记', en: 'Received' }, receivedOn: today,
        timeline: [{ day: today, state: 'received', group: 'received', label: { zh: '诉求已登记', en: 'Demand recorded' } }],
      });
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('also with the last 4 digits of the phone, for a demand of another channel', async () => {
      const res = await post('/api/minyi/track', { ledgerNo: seeded.A.ledgerNo, phoneTail: '2222' });
      expect(res.status).toBe(200);
      expect(res.body.data.state).toBe('closed');
      expect(res.body.data.timeline.map((s: any) => s.state)).toEqual(['received']);
    });

    it('a wrong pair and an unknown number get byte-identical answers', async () => {
      const wrongCode = await post('/api/minyi/track', { ledgerNo: intake.ledgerNo, code: 'AAAA-BBBB-CCCC-DDDD' });
      const wrongTail = await post('/api/minyi/track', { ledgerNo: seeded.A.ledgerNo, phoneTail: '2223' });
      const unknown = await post('/api/minyi/track', { ledgerNo: 'NO-SUCH-NUMBER', code: 'AAAA-BBBB-CCCC-DDDD' });
      const unknownTail = await post('/api/minyi/track', { ledgerNo: 'NO-SUCH-NUMBER', phoneTail: '2222' });
      const noPhone = await post('/api/minyi/track', { ledgerNo: seeded.E.ledgerNo.replace('E', 'X'), phoneTail: '0000' });
      expect([wrongCode.status, wrongTail.status, unknown.status, unknownTail.status, noPhone.status]).toEqual([404, 404, 404, 404, 404]);
      expect(new Set([wrongCode.text, wrongTail.text, unknown.text, unknownTail.text, noPhone.text]).size).toBe(1);
      expect(unknown.body.error.message).toBe('未找到匹配的诉求：请核对诉求编号和查询码（或手机号码后 4 位） / No matching demand: check the ledger number and the tracking code (or the last 4 digits of the phone)');
    });

    it('a malformed request is a 400 naming what to give', async () => {
      const res = await post('/api/minyi/track', { ledgerNo: intake.ledgerNo, code: 'x', phoneTail: '1234' });
      expect([res.status, res.body.error.details.code]).toEqual([400, 'invalid_track']);
    });

    it('limits attempts per ledger number and per IP (429)', async () => {
      setLimits({ trackPerLedger: { points: 2, duration: 3600 } });
      try {
        const s: number[] = [];
        for (let i = 0; i < 3; i += 1) s.push((await post('/api/minyi/track', { ledgerNo: seeded.B.ledgerNo, phoneTail: '9999' })).status);
        expect(s).toEqual([404, 404, 429]);
        // Another number is not held back by that one's limit.
        expect((await post('/api/minyi/track', { ledgerNo: intake.ledgerNo, code: intake.trackingCode })).status).toBe(200);
      } finally {
        setLimits({});
      }
      setLimits({ track: { points: 1, duration: 600 } });
      try {
        const a = await post('/api/minyi/track', { ledgerNo: intake.ledgerNo, code: intake.trackingCode });
        const b = await post('/api/minyi/track', { ledgerNo: intake.ledgerNo, code: intake.trackingCode });
        expect([a.status, b.status]).toEqual([200, 429]);
        expect(Number(b.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        setLimits({});
      }
    });
  });
});

describe('moderation of the public summary (Content Manager, county office)', () => {
  const CM = '/content-manager/collection-types/plugin::complaints.complaint';
  const cases: Array<[string, string, string]> = [
    ['a mobile', '已联系139 1234 5678核实情况', '电话号码'],
    ['a landline', '请致电0571-88001234', '电话号码'],
    ['an ID card number', '身份证号11010519491231002X已核验', '身份证号'],
    ['a street address', '人民路12号楼道灯已修复', '地址'],
    ['a building and room', '5栋502室漏水已处理', '地址'],
  ];
  it.each(cases)('a summary with %s is refused with a clear message', async (_what, summary, zh) => {
    const res = await w.users.county.put(`${CM}/${seeded.C.documentId}`).send({ summary });
    expect([res.status, res.body.error.details.code]).toEqual([400, 'public_summary_personal_data']);
    expect(res.body.error.message).toContain(zh);
    expect(res.body.error.message).toContain('The public summary must not contain');
    expect(res.body.error.message).not.toContain(summary);
    expect((await knex()('complaints').where('id', seeded.C.id).first('summary')).summary).toBeNull();
  });
  it('control: a summary without personal data is saved and published', async () => {
    const res = await w.users.county.put(`${CM}/${seeded.C.documentId}`).send({ summary: '农村公路坑洼已修补，全长 3 公里' });
    expect(res.status).toBe(200);
    const r = (await get(`/api/minyi/results?town=${encodeURIComponent('东坝镇')}`)).body.data[0];
    expect(r.summary).toBe('农村公路坑洼已修补，全长 3 公里');
  });
});

describe('the public page', () => {
  it('/ shows the same numbers as the summary, with the page\'s headers and no inline script', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(res.text).not.toMatch(/\sstyle=/);
    const figure = (k: string) => new RegExp(`data-figure="${k.replace(/\./g, '\\.')}">([^<]+)<`).exec(res.text)?.[1];
    const api = (await get('/api/minyi/summary')).body.data.totals;
    expect([figure('totals.complaints'), figure('totals.closed'), figure('rates.resolution'), figure('rates.resolution.fraction')]).toEqual([String(api.complaints), '3', '75.0%', '3 / 4']);
    expect(res.text).toContain(seeded.A.ledgerNo);
    expect(res.text).toContain('lang="zh-Hans"');
    const en = await get('/?lang=en');
    expect(en.text).toContain('<html lang="en"');
    expect(en.text).toContain('Public results');
  });
  it('/submit and /track serve their forms; the files are served; /admin and /_health still answer', async () => {
    const submit = await get('/submit');
    expect([submit.status, submit.text.includes('name="content"'), submit.text.includes('name="website"')]).toEqual([200, true, true]);
    const track = await get('/track');
    expect([track.status, track.text.includes('name="phoneTail"')]).toEqual([200, true]);
    const js = await get('/assets/minyi/app.js');
    expect([js.status, js.headers['content-type']]).toEqual([200, 'application/javascript; charset=utf-8']);
    const css = await get('/assets/minyi/app.css');
    expect([css.status, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect((await get('/assets/minyi/other.js')).status).toBe(404);
    expect((await get('/_health')).status).toBe(204);
    expect((await get('/index.html')).status).toBe(200);
  });
  it('a bad filter on / is a 400 page saying why', async () => {
    const res = await get('/?populate=*');
    expect(res.status).toBe(400);
    expect(res.text).toContain('公开接口不支持参数 populate');
  });
});

describe('PII canary crawl', () => {
  it('no canary appears in any body or header of any public route or page, nor in the log', async () => {
    const responses: supertest.Response[] = [];
    const urls = [
      '/api/minyi/summary', '/api/minyi/results', '/api/minyi/ranking', '/api/minyi/ranking?month=2026-10',
      '/api/minyi/results?pageSize=50', '/api/minyi/results?pageSize=50&page=1&category=01&town=%E5%9F%8E%E5%85%B3%E9%95%87&month=2026-10',
      '/api/minyi/results?populate=*', '/api/minyi/results?populate[0]=complainantName', '/api/minyi/results?fields[0]=phone&fields[1]=address',
      '/api/minyi/results?filters[phone][$eq]=13911112222', '/api/minyi/results?filters[content][$contains]=CANARY', '/api/minyi/results?sort=phone:asc',
      '/api/minyi/results?sort[0]=complainantName', '/api/minyi/results?complainantName=x', '/api/minyi/results?pageSize=1000',
      '/api/minyi/summary?populate=*', '/api/minyi/summary?town=%E4%B8%9C%E5%9D%9D%E9%95%87', '/api/minyi/summary?category=0101',
      '/', '/?lang=en', '/?page=1&category=01', '/submit', '/track', '/track?lang=en', '/submit?lang=en', '/?populate=*',
    ];
    for (const url of urls) responses.push(await get(url));
    // Crawl the page's own links (same origin), one level.
    const links = new Set<string>();
    for (const r of responses.filter((x) => String(x.headers['content-type']).startsWith('text/html'))) {
      for (const m of r.text.matchAll(/(?:href|src|action)="(\/[^"#]*)/g)) links.add(m[1].replace(/&amp;/g, '&'));
    }
    for (const link of links) if (!link.startsWith('/api/minyi/requests') && !link.startsWith('/api/minyi/track') && !link.startsWith('/admin')) responses.push(await get(link));
    // Tracking and intake answers.
    responses.push(await post('/api/minyi/track', { ledgerNo: seeded.A.ledgerNo, phoneTail: '2222' }));
    responses.push(await post('/api/minyi/track', { ledgerNo: seeded.A.ledgerNo, phoneTail: '0000' }));
    responses.push(await post('/api/minyi/requests', goodForm()));
    responses.push(await post('/api/minyi/requests', goodForm({ mobile: '139' })));
    // Positive controls: the crawl saw the canary complaints' public data, and nothing was rate-limited.
    expect(responses.filter((r) => r.status === 429).length).toBe(0);
    expect(responses.some((r) => r.text.includes(seeded.A.ledgerNo))).toBe(true);
    expect(responses.filter((r) => r.status === 200).length).toBeGreaterThan(20);
    expect(links.size).toBeGreaterThan(5);
    const found = responses.flatMap((r) => leaks(`${JSON.stringify(r.headers)}\n${r.text}`).map((c) => `${(r as any).req?.path}: ${c}`));
    expect(found).toEqual([]);
    expect(app.logLines.length).toBeGreaterThan(0);
    expect(app.logLines.flatMap((l) => leaks(l))).toEqual([]);
  });
});
