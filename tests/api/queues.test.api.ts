/**
 * My work (我的待办): each role's queues and their counts, one queue's rows as a user sees them
 * (names, not codes; no phone, name or address), the signer whose turn it is, filters from the
 * filter module, and refusals with their positive controls. Counts and rows are literals worked
 * out by hand from the complaints this file makes (each test file has its own database).
 */
import supertest from 'supertest';
import { csrfOf } from '../helpers/public-routes';
import { act, addDaysFromToday, driveTo, withWorld, type World } from '../helpers/world';
import { createAdminUser, login, type AdminSession } from '../helpers/admin';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

type Ref = { id: number; documentId: string; ledgerNo: string };
const knex = () => app.strapi.db.connection;
const counts = async (s: AdminSession, query = '') => {
  const r = await s.get(`/complaints/queues${query}`);
  expect([r.status, r.body.error]).toEqual([200, undefined]);
  return Object.fromEntries(r.body.data.queues.map((q: { key: string; count: number }) => [q.key, q.count]));
};
const queue = async (s: AdminSession, key: string, query = '') => {
  const r = await s.get(`/complaints/queues/${key}${query}`);
  expect([r.status, r.body.error]).toEqual([200, undefined]);
  return r.body.data;
};
const ledgerNos = async (s: AdminSession, key: string, query = '') => (await queue(s, key, query)).rows.map((r: { ledgerNo: string }) => r.ledgerNo);

let c: Record<'screen' | 'classify' | 'assign' | 'accept' | 'measure' | 'returned' | 'late' | 'soon' | 'review' | 'sign' | 'other', Ref>;

beforeAll(async () => {
  c = {
    // received, flagged by the screening rules (content of 3 characters): 待甄别
    screen: await driveTo(w, 'received', { content: '路灯坏', ledgerNo: 'Q-SCREEN' }),
    classify: await driveTo(w, 'received', { ledgerNo: 'Q-CLASSIFY' }),
    assign: await driveTo(w, 'classified', { ledgerNo: 'Q-ASSIGN' }),
    accept: await driveTo(w, 'assigned', { ledgerNo: 'Q-ACCEPT' }),
    measure: await driveTo(w, 'accepted', { ledgerNo: 'Q-MEASURE' }),
    returned: await driveTo(w, 'returned', { ledgerNo: 'Q-RETURNED' }),
    late: await driveTo(w, 'rectifying', { ledgerNo: 'Q-LATE', deadline: addDaysFromToday(40) }),
    soon: await driveTo(w, 'rectifying', { ledgerNo: 'Q-SOON', deadline: addDaysFromToday(5) }),
    review: await driveTo(w, 'in_review', { ledgerNo: 'Q-REVIEW' }),
    sign: await driveTo(w, 'signing', { ledgerNo: 'Q-SIGN' }),
    other: await driveTo(w, 'assigned', { unit: 't2', ledgerNo: 'Q-OTHER' }),
  };
  // The import records its screening suggestion on the row; here it is set as the import sets it.
  await knex()('complaints').where('id', c.screen.id).update({ suggestion: 'likely_invalid' });
});

describe('each role finds its own work, counted', () => {
  it('the county office: 待甄别, 待分类, 待交办', async () => {
    expect(await counts(w.users.county)).toEqual({ toScreen: 1, toClassify: 1, toAssign: 1 });
  });
  it('the operator of 城关镇: 待受理, 待报措施, 被退回, 整改中 (its own unit only)', async () => {
    expect(await counts(w.users.op1)).toEqual({ toAccept: 1, toMeasure: 1, returned: 1, rectifying: 2 });
  });
  it('the operator of 东坝镇 has its one complaint to accept; an operator with no unit has nothing', async () => {
    expect(await counts(w.users.op2)).toEqual({ toAccept: 1, toMeasure: 0, returned: 0, rectifying: 0 });
    expect(await counts(w.users.orphanOp)).toEqual({ toAccept: 0, toMeasure: 0, returned: 0, rectifying: 0 });
  });
  it('the lead unit: 待我审核 (its categories only), 待我签字, 重开申请', async () => {
    expect(await counts(w.users.lead1)).toEqual({ toReview: 1, toSign: 0, reopenRequests: 0 });
    expect(await counts(w.users.lead2)).toEqual({ toReview: 0, toSign: 0, reopenRequests: 0 });
  });
  it('the signers: only the unit head, whose turn it is, has the complaint in sign-off', async () => {
    expect([await counts(w.users.head1), await counts(w.users.head2), await counts(w.users.leader)]).toEqual([{ toSign: 1 }, { toSign: 0 }, { toSign: 0 }]);
  });
  it('Strapi\'s Editor has no Minyi queue (refused: it may not read complaints)', async () => {
    const res = await supertest(app.strapi.server.httpServer).get('/complaints/queues');
    expect(res.status).toBe(401);
  });
});

describe('a queue\'s rows', () => {
  it('待受理 shows the ledger number, an excerpt, the category and units by name, the response deadline; nothing personal', async () => {
    const page = await queue(w.users.op1, 'toAccept');
    expect([page.total, page.page, page.pageSize, page.queue]).toEqual([1, 1, 20, { key: 'toAccept', label: { zh: '待受理', en: 'To accept' }, count: 1 }]);
    const [row] = page.rows;
    expect({ ...row, receivedAt: typeof row.receivedAt }).toEqual({
      documentId: c.accept.documentId,
      ledgerNo: 'Q-ACCEPT',
      excerpt: '小区楼道照明长期损坏，物业推诿',
      receivedAt: 'string',
      state: 'assigned',
      categoryCode: '0101',
      categoryName: '老旧小区改造',
      town: '城关镇',
      responsibleUnit: { id: w.units.t1.id, name: '城关镇人民政府' },
      leadUnit: { id: w.units.l1.id, name: '县住房和城乡建设局' },
      // category 0101 gives 3 days to respond, from the assignment today
      deadline: addDaysFromToday(3),
      warningLevel: 'none',
      signStep: null,
      suggestion: null,
    });
    const text = JSON.stringify(page);
    for (const personal of ['19900001234', '测试丙', '东街社区']) expect(text).not.toContain(personal);
  });

  it('整改中 puts the nearest deadline first', async () => {
    const rows = (await queue(w.users.op1, 'rectifying')).rows;
    expect(rows.map((r: any) => [r.ledgerNo, r.deadline, r.warningLevel])).toEqual([
      ['Q-SOON', addDaysFromToday(5), 'orange'],
      ['Q-LATE', addDaysFromToday(40), 'none'],
    ]);
  });

  it('待甄别 says why the rules flagged it; 待分类 holds the others', async () => {
    const screen = await queue(w.users.county, 'toScreen');
    expect(screen.rows.map((r: any) => [r.ledgerNo, r.suggestion])).toEqual([
      ['Q-SCREEN', { kind: 'likely_invalid', ref: null, zh: '疑似无效：诉求内容过短，表述不清', en: 'Likely invalid: the content is too short to be understood' }],
    ]);
    expect(await ledgerNos(w.users.county, 'toClassify')).toEqual(['Q-CLASSIFY']);
    expect(await ledgerNos(w.users.county, 'toAssign')).toEqual(['Q-ASSIGN']);
  });

  it('another unit never sees a complaint it does not handle; its own it does', async () => {
    expect(await ledgerNos(w.users.op2, 'toAccept')).toEqual(['Q-OTHER']);
    expect(await ledgerNos(w.users.op1, 'toAccept')).toEqual(['Q-ACCEPT']);
    // Even asked for by number.
    expect((await queue(w.users.op2, 'toAccept', '?ledgerNo=Q-ACCEPT')).total).toBe(0);
    expect((await queue(w.users.op1, 'toAccept', '?ledgerNo=Q-ACCEPT')).total).toBe(1);
    expect(await ledgerNos(w.users.lead2, 'toReview')).toEqual([]);
    expect(await ledgerNos(w.users.lead1, 'toReview')).toEqual(['Q-REVIEW']);
  });
});

describe('sign-off moves from queue to queue, signer by signer', () => {
  it('unit head → lead unit head → county leader, then closed and in nobody\'s queue', async () => {
    const holders = async () => [
      await ledgerNos(w.users.head1, 'toSign'),
      await ledgerNos(w.users.lead1, 'toSign'),
      await ledgerNos(w.users.leader, 'toSign'),
    ];
    expect(await holders()).toEqual([['Q-SIGN'], [], []]);
    expect((await queue(w.users.head1, 'toSign')).rows[0].signStep).toBe('unit_head');
    expect((await act(w.users.head1, c.sign.documentId, 'sign')).status).toBe(200);
    expect(await holders()).toEqual([[], ['Q-SIGN'], []]);
    expect((await queue(w.users.lead1, 'toSign')).rows[0].signStep).toBe('lead_unit_head');
    expect((await act(w.users.lead1, c.sign.documentId, 'sign')).status).toBe(200);
    expect(await holders()).toEqual([[], [], ['Q-SIGN']]);
    expect((await act(w.users.leader, c.sign.documentId, 'sign')).status).toBe(200);
    expect(await holders()).toEqual([[], [], []]);
  });

  it('a dissatisfied answer puts the closed complaint in the lead unit\'s 重开申请', async () => {
    const m = await knex()('sms_messages').where('template', 'closed_survey').whereRaw('idempotency_key LIKE ?', ['survey:%']).orderBy('id', 'desc').first('body');
    const token = /\/survey\/([A-Za-z0-9_-]+)/.exec(m.body)?.[1];
    expect(token).toBeTruthy();
    expect(await ledgerNos(w.users.lead1, 'reopenRequests')).toEqual([]);
    const b = supertest.agent(app.strapi.server.httpServer);
    const page = await b.get(`/survey/${token}`);
    expect(page.status).toBe(200);
    expect((await b.post(`/survey/${token}`).type('form').send({ csrf: csrfOf(page.text), answer: 'dissatisfied' })).status).toBe(200);
    expect(await ledgerNos(w.users.lead1, 'reopenRequests')).toEqual(['Q-SIGN']);
    expect(await ledgerNos(w.users.lead2, 'reopenRequests')).toEqual([]);
    expect((await counts(w.users.lead1)).reopenRequests).toBe(1);
  });
});

describe('filters come from the filter module', () => {
  it('narrow the counts and the rows; an unknown filter or a personal field is refused, not dropped', async () => {
    expect((await counts(w.users.op1, '?warningLevel=orange')).rectifying).toBe(1);
    expect(await ledgerNos(w.users.op1, 'rectifying', '?warningLevel=orange')).toEqual(['Q-SOON']);
    expect(await ledgerNos(w.users.op1, 'rectifying', '?town=东坝镇')).toEqual([]);
    expect(await ledgerNos(w.users.op1, 'rectifying', '?town=城关镇')).toEqual(['Q-SOON', 'Q-LATE']);
    for (const bad of ['?colour=red', '?phone=19900001234', '?deadline=2026-13-01..2026-12-31']) {
      const res = await w.users.op1.get(`/complaints/queues/rectifying${bad}`);
      expect([bad, res.status]).toEqual([bad, 400]);
      expect(JSON.stringify(res.body)).not.toContain('19900001234');
      const counted = await w.users.op1.get(`/complaints/queues${bad}`);
      expect([bad, counted.status]).toEqual([bad, 400]);
    }
  });

  it('pages', async () => {
    const first = await queue(w.users.op1, 'rectifying', '?pageSize=1');
    const second = await queue(w.users.op1, 'rectifying', '?pageSize=1&page=2');
    expect([first.total, first.rows.map((r: any) => r.ledgerNo), second.rows.map((r: any) => r.ledgerNo)]).toEqual([2, ['Q-SOON'], ['Q-LATE']]);
    for (const bad of ['?page=0', '?pageSize=101', '?page=x']) expect([bad, (await w.users.op1.get(`/complaints/queues/rectifying${bad}`)).status]).toEqual([bad, 400]);
  });
});

describe('a queue of another role, or none', () => {
  it('is refused with a reason; the role that has it gets it', async () => {
    const refused = await w.users.county.get('/complaints/queues/toAccept');
    expect([refused.status, refused.body.error.details.code]).toEqual([403, 'queue_not_yours']);
    expect(refused.body.error.message).toContain('待受理');
    expect((await w.users.op1.get('/complaints/queues/toAccept')).status).toBe(200);
    const unknown = await w.users.county.get('/complaints/queues/nope');
    expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'queue_not_found']);
    expect((await w.users.county.get('/complaints/queues/toClassify')).status).toBe(200);
  });
});

describe('saved views of My work: each user\'s own, on the server, checked by the filter module', () => {
  const views = (s: AdminSession) => s.get('/complaints/my-work/views');
  const save = (s: AdminSession, body: unknown) => s.put('/complaints/my-work/views').send(body as object);
  const TOWN = `queue=rectifying&town=${encodeURIComponent('城关镇')}`;

  it('a user saves views and reads them back; another user of the same unit has none of them', async () => {
    expect((await views(w.users.op1)).body).toEqual({ data: { views: [] } });
    const res = await save(w.users.op1, { views: [{ name: '  城关整改 ', search: TOWN }, { name: '待受理', search: 'queue=toAccept' }] });
    // The name is trimmed; the query is kept as the page reads it.
    expect([res.status, res.body.data]).toEqual([200, { views: [{ name: '城关整改', search: 'queue=rectifying&town=%E5%9F%8E%E5%85%B3%E9%95%87' }, { name: '待受理', search: 'queue=toAccept' }] }]);
    expect((await views(w.users.op1)).body.data.views.map((v: { name: string }) => v.name)).toEqual(['城关整改', '待受理']);
    expect((await views(w.users.op2)).body.data.views).toEqual([]);
    expect((await views(w.users.county)).body.data.views).toEqual([]);
    // A save replaces the list: one removed is gone.
    expect((await save(w.users.op1, { views: [{ name: '城关整改', search: TOWN }] })).status).toBe(200);
    expect((await views(w.users.op1)).body.data.views.map((v: { name: string }) => v.name)).toEqual(['城关整改']);
  });

  it.each<[string, unknown, string]>([
    ['no views list', { name: 'x' }, 'views_missing'],
    ['an array body', [{ name: 'x', search: '' }], 'views_missing'],
    ['an unknown filter', { views: [{ name: '颜色', search: 'colour=red' }] }, 'unknown_filter'],
    ['a personal field', { views: [{ name: '电话', search: 'phone=13900001234' }] }, 'private_filter'],
    ['a bad value', { views: [{ name: '状态', search: 'state=open' }] }, 'bad_filter_value'],
    ['an unknown queue', { views: [{ name: '队列', search: 'queue=everything' }] }, 'view_unknown_queue'],
    ['a parameter twice', { views: [{ name: '两次', search: 'town=a&town=b' }] }, 'view_repeated_parameter'],
    ['a name of 41 characters', { views: [{ name: '名'.repeat(41), search: TOWN }] }, 'view_bad_name'],
    ['an empty name', { views: [{ name: '   ', search: TOWN }] }, 'view_bad_name'],
    ['two views of one name', { views: [{ name: '同名', search: TOWN }, { name: '同名', search: 'queue=toAccept' }] }, 'view_repeated_name'],
    ['21 views', { views: Array.from({ length: 21 }, (_, i) => ({ name: `视图${i}`, search: 'queue=toAccept' })) }, 'too_many_views'],
    ['a search that is not text', { views: [{ name: '数字', search: 7 }] }, 'view_malformed'],
  ])('%s: 400 in Chinese and English, nothing saved', async (_what, body, code) => {
    const before = (await views(w.users.op1)).body.data.views;
    expect(before.length).toBe(1);
    const res = await save(w.users.op1, body);
    expect([res.status, res.body.error?.details?.code]).toEqual([400, code]);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
    expect((await views(w.users.op1)).body.data.views).toEqual(before);
  });

  it('a hostile caller reaches nobody else\'s views: anonymous, odd spellings of the path, an id in the query or the body', async () => {
    const secret = { name: '只给自己', search: TOWN };
    expect((await save(w.users.op1, { views: [secret] })).status).toBe(200);
    const op1Id = w.users.op1.id;
    for (const path of ['/complaints/my-work/views', '/complaints/MY-WORK/views', '/complaints/my-work/views/', '/complaints//my-work/views', '/complaints/my-work/%76iews', `/complaints/my-work/views?userId=${op1Id}`]) {
      const anonymous = await app.request().get(path);
      expect([path, anonymous.status === 200, JSON.stringify(anonymous.body ?? '').includes('只给自己')]).toEqual([path, false, false]);
      const other = await w.users.op2.get(path);
      expect([path, JSON.stringify(other.body ?? '').includes('只给自己')]).toEqual([path, false]);
    }
    // A save naming another user saves the caller's own views, never theirs.
    expect((await save(w.users.op2, { views: [{ name: '东坝', search: 'queue=toAccept' }], userId: op1Id, key: `my-work-views:${op1Id}` })).status).toBe(200);
    expect((await views(w.users.op1)).body.data.views).toEqual([{ name: '只给自己', search: 'queue=rectifying&town=%E5%9F%8E%E5%85%B3%E9%95%87' }]);
    expect((await views(w.users.op2)).body.data.views).toEqual([{ name: '东坝', search: 'queue=toAccept' }]);
    // Strapi's Editor holds no complaint.read: refused (the route matrix covers every role).
    const editor = await createAdminUser(app.strapi, { roleCode: 'strapi-editor' });
    const session = await login(app.strapi, editor.email, editor.password);
    expect([(await session.get('/complaints/my-work/views')).status, (await session.put('/complaints/my-work/views').send({ views: [] })).status]).toEqual([403, 403]);
  });

  it('positive control: 20 views with good filters are saved', async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => ({ name: `视图${i + 1}`, search: `queue=toAccept&warningLevel=red&page=${i + 1}` }));
    const res = await save(w.users.op1, { views: twenty });
    expect([res.status, res.body.data.views.length, res.body.data.views[19]]).toEqual([200, 20, { name: '视图20', search: 'queue=toAccept&warningLevel=red&page=20' }]);
    expect((await views(w.users.op1)).body.data.views).toHaveLength(20);
  });
});
