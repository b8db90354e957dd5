/**
 * The route × role matrix: every registered admin route of the plugin and every Content Manager
 * route of every Minyi type is checked, for each caller of routes/access.ts, against the table
 * there. An allowed call gets a positive control with a real effect; a refused call answers
 * 401/403/404 and changes no row of any plugin table. A registered route without a row (or a
 * fixture), and a row without a registered route, fail the first test.
 */
import supertest from 'supertest';
import { CM_ACCESS, CM_ROUTES, MATRIX_ROLES, PLUGIN_ROUTES, PUBLIC_ROUTES, type CmVerb, type MatrixRole, type PublicRoute } from '../../plugins/complaints/server/src/routes/access';
import { startFakeAliyun, type FakeAliyun } from '../helpers/fake-aliyun';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio';
import { ALIYUN_SECRET, INBOUND, STATUS, aliyunPost, csrfOf, inbound, report, sign, twilioPost, uplink, useAliyun, useConsole, useTwilio } from '../helpers/public-routes';
import { createAdminUser, login, type AdminSession } from '../helpers/admin';
import { deflateSync } from 'zlib';
import { csvText, utf8 } from '../helpers/ledger-files';
import { act, addDaysFromToday, withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

/** A valid 2×2 PNG (the upload plugin decodes images it stores). */
const PNG = (() => {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
})();

let app: TestApp;
let w: World;
let editor: AdminSession;
let author: AdminSession;
withWorld((started) => ({ app, w } = started));

beforeAll(async () => {
  const make = async (roleCode: string) => {
    const u = await createAdminUser(app.strapi, { roleCode });
    return login(app.strapi, u.email, u.password);
  };
  editor = await make('strapi-editor');
  author = await make('strapi-author');
});

type Caller = Pick<AdminSession, 'get' | 'post' | 'put' | 'del'>;
const anonymous = (): Caller => {
  const http = () => supertest(app.strapi.server.httpServer);
  return { get: (u) => http().get(u), post: (u) => http().post(u), put: (u) => http().put(u), del: (u) => http().delete(u) };
};
const caller = (role: MatrixRole): Caller =>
  ({
    countyOffice: w.users.county,
    leadUnit: w.users.lead1,
    unitOperator: w.users.op1,
    unitHead: w.users.head1,
    countyLeader: w.users.leader,
    otherOperator: w.users.op2,
    orphanOperator: w.users.orphanOp,
    editor,
    author,
    superAdmin: w.users.admin,
    anonymous: anonymous(),
  })[role];

const knex = () => app.strapi.db.connection;
const PLUGIN_UIDS = () => Object.keys(app.strapi.contentTypes).filter((u) => u.startsWith('plugin::complaints.'));
const tableOf = (uid: string) => (app.strapi.db.metadata.get(uid as any) as any).tableName as string;
const count = async (table: string, where: Record<string, unknown> = {}) => Number((await knex()(table).where(where).count({ n: '*' }))[0].n);
/** Rows and last update of every plugin table: a refused call must leave all of them as they were. */
const fingerprint = async () => {
  const out: Record<string, string> = {};
  for (const uid of PLUGIN_UIDS()) {
    const t = tableOf(uid);
    const r = (await knex()(t).count({ n: '*' }).max({ u: 'updated_at' }).first()) as any;
    out[t] = `${r.n}/${r.u instanceof Date ? r.u.toISOString() : String(r.u)}`;
  }
  // The opt-out list is a plain table (no updated_at): its rows, in order.
  out.sms_opt_outs = JSON.stringify(((await knex()('sms_opt_outs').orderBy('phone').select('phone')) as Array<{ phone: string }>).map((r) => r.phone));
  return out;
};
const complaintRow = (id: number) => knex()('complaints').where('id', id).first();
const lastEventType = async (id: number) => (await knex()('complaint_events').where('complaint_id', id).orderBy('seq', 'desc').first('type')).type;

type Ref = { id: number; documentId: string; ledgerNo: string };
const STEPS = ['classified', 'assigned', 'accepted', 'in_review', 'rectifying', 'signing'] as const;
/** A t1 complaint (category 0101, lead unit l1), driven step by step by its own roles. */
const drive = async (target: (typeof STEPS)[number] | 'received', evidence = target === 'signing'): Promise<Ref> => {
  const c = await w.complaint({ town: '城关镇' });
  const at = (s: (typeof STEPS)[number]) => target !== 'received' && STEPS.indexOf(target) >= STEPS.indexOf(s);
  const ok = async (p: PromiseLike<{ status: number; body: any }>, status = 200) => {
    const res = await p;
    expect([res.status, res.body?.error]).toEqual([status, undefined]);
  };
  if (at('classified')) await ok(act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id }));
  if (at('assigned')) await ok(act(w.users.county, c.documentId, 'assign'));
  if (at('accepted')) await ok(act(w.users.op1, c.documentId, 'accept', { nature: 'individual' }));
  if (at('in_review')) await ok(act(w.users.op1, c.documentId, 'submit_measure', { mode: 'deadline', text: '维修破损路面并设置警示标志', responsiblePerson: '孙站长', deadline: addDaysFromToday(30) }));
  if (at('rectifying')) await ok(act(w.users.lead1, c.documentId, 'approve_measure'));
  if (evidence) await ok(uploadEvidence(w.users.op1, c.documentId), 201);
  if (at('signing')) await ok(act(w.users.op1, c.documentId, 'complete'));
  return c;
};
const uploadEvidence = (s: Caller, documentId: string) =>
  s.post(`/complaints/complaints/${documentId}/evidence`).field('aspect', 'facility').field('text', '整改后现场照片').attach('files', PNG, { filename: 'after.png', contentType: 'image/png' });
const ledgerCsv = (ledgerNo: string) =>
  utf8(csvText([
    ['诉求编号', '反映时间', '来源', '反映人', '联系电话', '乡镇', '村(社区)', '详细地址', '诉求内容'],
    [ledgerNo, '2024-06-02 09:15', '热线', '测试戊', '19900006789', '城关镇', '东街社区', null, '东街社区路灯损坏多日无人修理'],
  ]));
const waitImport = async (id: number) => {
  for (let i = 0; i < 200; i += 1) {
    const r = await w.users.county.get(`/complaints/imports/${id}`);
    if (['done', 'failed'].includes(r.body.data?.status)) return r.body.data;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('import did not finish');
};

/**
 * One fixture per route handler: `make(role)` prepares what the call needs and returns the
 * request and, for an allowed role, the check of its effect. A refused role sends the request
 * made for the first allowed role (the same call that succeeds for it).
 */
interface Call {
  send: (s: Caller) => supertest.Test | Promise<supertest.Response>;
  ok: (res: supertest.Response) => Promise<void> | void;
}
type Fixture = (role: MatrixRole) => Promise<Call>;

let digestDays = 0;
let smsPhone = 0;
const nextPhone = () => `1365551${String((smsPhone += 1)).padStart(4, '0')}`;
const smsService = () => app.strapi.plugin('complaints').service('sms');
/** An outbound message of a new complaint, in `status` (the status is the fixture here). */
const outboxMessage = async (status: string) => {
  const phone = nextPhone();
  const c = await w.complaint({ phone });
  const key = `matrix-${phone}`;
  await smsService().queue([{ complaintId: c.id, phone, template: 'closed_survey', body: '【民意服务站】请评价', idempotencyKey: key }]);
  const m = await knex()('sms_messages').where('idempotency_key', key).first('id');
  await knex()('sms_messages').where('id', m.id).update({ status });
  return { id: Number(m.id), complaintId: c.id };
};
/** A landline complaint of t1, closed, on the phone return-visit list (the close is the fixture). */
const returnVisit = async () => {
  const c = await w.complaint({ phone: '0571-88001234' });
  expect((await act(w.users.county, c.documentId, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id })).status).toBe(200);
  expect((await act(w.users.county, c.documentId, 'assign')).status).toBe(200);
  await knex()('complaints').where('id', c.id).update({ state: 'closed', closed_at: new Date() });
  const [s] = await app.strapi.plugin('complaints').service('surveys').openFor([c.id]);
  expect(s.way).toBe('phone_visit');
  return { ...c, surveyId: s.surveyId as number };
};
const fileBody = (t: supertest.Test) => t.buffer(true).parse((res, cb) => { const b: Buffer[] = []; res.on('data', (d: Buffer) => b.push(d)); res.on('end', () => cb(null, Buffer.concat(b))); });
/** A month of its own (long past) with one complaint of t1 closed in it. */
let spotMonths = 0;
const closedMonth = async (): Promise<{ month: string; complaint: Ref }> => {
  spotMonths += 1;
  const month = `${2019 + Math.floor((spotMonths - 1) / 12)}-${String(((spotMonths - 1) % 12) + 1).padStart(2, '0')}`;
  const complaint = await w.complaint();
  await knex()('complaints').where('id', complaint.id).update({ state: 'closed', closed_at: new Date(`${month}-15T02:00:00.000Z`), responsible_unit_id: w.units.t1.id });
  return { month, complaint };
};
/** …and drawn by the county office. */
const drawnMonth = async () => {
  const m = await closedMonth();
  const r = await w.users.county.post('/complaints/spot-checks').send({ month: m.month, seed: 'matrix' });
  expect(r.status).toBe(201);
  return { ...m, checkId: Number(r.body.data.checks[0].id) };
};
/** A month of its own (long past, no complaint in it), for the month-close routes; `closed` closes it as the county office. */
let closeMonths = 0;
const monthToClose = () => {
  closeMonths += 1;
  return `${2000 + Math.floor((closeMonths - 1) / 12)}-${String(((closeMonths - 1) % 12) + 1).padStart(2, '0')}`;
};
const closedByCounty = async () => {
  const month = monthToClose();
  const r = await w.users.county.post('/complaints/month-closes').send({ month });
  expect(r.status).toBe(201);
  return month;
};
const FIXTURES: Record<string, Fixture> = {
  'info.index': async () => ({ send: (s) => s.get('/complaints/info'), ok: (r) => expect(r.body.data.plugin).toBe('complaints') }),
  'workflow.view': async () => {
    const c = await drive('assigned');
    return { send: (s) => s.get(`/complaints/complaints/${c.documentId}/workflow`), ok: (r) => expect([r.body.data.complaint.ledgerNo, r.body.data.complaint.state]).toEqual([c.ledgerNo, 'assigned']) };
  },
  'workflow.transition': async (role) => {
    const plan: Partial<Record<MatrixRole, () => Promise<Call>>> = {
      countyOffice: async () => {
        const c = await drive('received');
        return { send: (s) => s.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'classify', categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id }), ok: async () => expect((await complaintRow(c.id)).state).toBe('classified') };
      },
      leadUnit: async () => {
        const c = await drive('in_review');
        return { send: (s) => s.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'approve_measure' }), ok: async () => expect((await complaintRow(c.id)).state).toBe('rectifying') };
      },
      unitHead: async () => {
        const c = await drive('signing');
        return { send: (s) => s.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'sign' }), ok: async () => expect([(await complaintRow(c.id)).sign_step, await lastEventType(c.id)]).toEqual(['lead_unit_head', 'sign']) };
      },
      countyLeader: async () => {
        const c = await drive('signing');
        for (const s of [w.users.head1, w.users.lead1]) expect((await act(s, c.documentId, 'sign')).status).toBe(200);
        return { send: (s) => s.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'sign' }), ok: async () => expect((await complaintRow(c.id)).state).toBe('closed') };
      },
      unitOperator: async () => {
        const c = await drive('assigned');
        return { send: (s) => s.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'accept', nature: 'individual' }), ok: async () => expect((await complaintRow(c.id)).state).toBe('accepted') };
      },
    };
    return (plan[role === 'superAdmin' ? 'countyOffice' : role] ?? plan.unitOperator!)();
  },
  'workflow.batch': async (role) => {
    if (role === 'countyOffice' || role === 'superAdmin') {
      const cs = [await drive('classified'), await drive('classified')];
      return { send: (s) => s.post('/complaints/transitions').send({ action: 'assign', documentIds: cs.map((c) => c.documentId) }), ok: async (r) => { expect(r.body.meta.count).toBe(2); for (const c of cs) expect((await complaintRow(c.id)).state).toBe('assigned'); } };
    }
    const cs = [await drive('assigned'), await drive('assigned')];
    return { send: (s) => s.post('/complaints/transitions').send({ action: 'accept', nature: 'individual', documentIds: cs.map((c) => c.documentId) }), ok: async (r) => { expect(r.body.meta.count).toBe(2); for (const c of cs) expect((await complaintRow(c.id)).state).toBe('accepted'); } };
  },
  'workflow.addEvidence': async () => {
    const c = await drive('rectifying');
    return { send: (s) => uploadEvidence(s, c.documentId), ok: async (r) => { expect(r.status).toBe(201); expect(await count('evidences', { complaint_id: c.id })).toBe(1); } };
  },
  'workflow.evidenceFile': async () => {
    const c = await drive('signing');
    const e = await knex()('evidences').where('complaint_id', c.id).first('id');
    const f = await knex()('evidence_private_files').where({ evidence_id: e.id }).first('file_id');
    return { send: (s) => s.get(`/complaints/evidence-files/${f.file_id}`).buffer(true).parse((res, cb) => { const b: Buffer[] = []; res.on('data', (d: Buffer) => b.push(d)); res.on('end', () => cb(null, Buffer.concat(b))); }), ok: (r) => expect([r.headers['content-type'], r.headers['x-content-type-options'], (r.body as Buffer).subarray(1, 4).toString()]).toEqual(['image/png', 'nosniff', 'PNG']) };
  },
  'workflow.options': async () => ({ send: (s) => s.get('/complaints/options'), ok: (r) => expect(JSON.stringify(r.body.data.categories)).toContain('0101') }),
  'workflow.listGroups': async () => ({ send: (s) => s.get('/complaints/problem-groups'), ok: (r) => expect(Array.isArray(r.body.data)).toBe(true) }),
  'workflow.createGroup': async (role) => {
    const name = `共性问题-${role}-${Date.now()}`;
    const [categoryCode, unitId] = role === 'otherOperator' ? ['0201', w.units.t2.id] : ['0101', w.units.t1.id];
    return { send: (s) => s.post('/complaints/problem-groups').send({ categoryCode, name, unitId }), ok: async (r) => { expect(r.status).toBe(201); expect(await count('problem_groups', { name })).toBe(1); } };
  },
  'workflow.addGroupMembers': async () => {
    const g = await w.users.op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: `成员-${Date.now()}` });
    expect(g.status).toBe(201);
    const c = await drive('accepted');
    return { send: (s) => s.post(`/complaints/problem-groups/${g.body.data.documentId}/members`).send({ documentIds: [c.documentId] }), ok: async () => expect([(await complaintRow(c.id)).nature, await lastEventType(c.id)]).toEqual(['common', 'grouped']) };
  },
  'workflow.addGroupEvidence': async () => {
    const g = await w.users.op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: `佐证-${Date.now()}` });
    expect(g.status).toBe(201);
    const c = await drive('assigned');
    expect((await act(w.users.op1, c.documentId, 'accept', { nature: 'common', problemGroup: g.body.data.documentId })).status).toBe(200);
    expect((await act(w.users.op1, c.documentId, 'submit_measure', { mode: 'deadline', text: '统一维修', responsiblePerson: '孙站长', deadline: addDaysFromToday(30) })).status).toBe(200);
    expect((await act(w.users.lead1, c.documentId, 'approve_measure')).status).toBe(200);
    return {
      send: (s) => s.post(`/complaints/problem-groups/${g.body.data.documentId}/evidence`).field('aspect', 'funds').field('text', '投入资金 1 万元').field('amount', '10000'),
      ok: async (r) => { expect(r.body.data.evidenceIds).toHaveLength(1); expect(await count('evidences', { complaint_id: c.id })).toBe(1); },
    };
  },
  'queues.list': async (role) => {
    // Each role's own queues (domain/queues.ts): their keys are the answer.
    const keys: Partial<Record<MatrixRole, string[]>> = {
      countyOffice: ['toScreen', 'toClassify', 'toAssign'],
      unitOperator: ['toAccept', 'toMeasure', 'returned', 'rectifying'],
      otherOperator: ['toAccept', 'toMeasure', 'returned', 'rectifying'],
      orphanOperator: ['toAccept', 'toMeasure', 'returned', 'rectifying'],
      leadUnit: ['toReview', 'toSign', 'reopenRequests'],
      unitHead: ['toSign'],
      countyLeader: ['toSign'],
      superAdmin: ['toScreen', 'toClassify', 'toAssign', 'toAccept', 'toMeasure', 'returned', 'rectifying', 'toReview', 'toSign', 'reopenRequests'],
    };
    return { send: (s) => s.get('/complaints/queues'), ok: (r) => expect(r.body.data.queues.map((q: any) => q.key)).toEqual(keys[role]) };
  },
  'queues.views': async (role) => {
    // Each caller's own views: one saved beforehand by the same user, read back.
    const name = `视图-${role}-${Date.now()}`;
    return {
      // A refused caller's save is refused too, and so is its read.
      send: async (s) => {
        await s.put('/complaints/my-work/views').send({ views: [{ name, search: 'queue=toSign' }] });
        return s.get('/complaints/my-work/views');
      },
      ok: (r) => expect(r.body.data.views).toEqual([{ name, search: 'queue=toSign' }]),
    };
  },
  'queues.saveViews': async (role) => {
    const name = `保存-${role}-${Date.now()}`;
    return {
      send: (s) => s.put('/complaints/my-work/views').send({ views: [{ name, search: `queue=toSign&town=${encodeURIComponent('城关镇')}` }] }),
      ok: async () => {
        const rows = await knex()('strapi_core_store_settings').where('key', 'like', 'plugin_complaints_my-work-views:%').pluck('value');
        expect(rows.filter((v: string) => v.includes(name))).toHaveLength(1);
      },
    };
  },
  'queues.rows': async (role) => {
    // A complaint waiting for each role's verb, found by its number in that role's queue; the
    // operators of other units (or none) look for one of 城关镇's and find nothing.
    const plan: Partial<Record<MatrixRole, () => Promise<[string, string, boolean]>>> = {
      countyOffice: async () => ['toAssign', (await drive('classified')).ledgerNo, true],
      superAdmin: async () => ['toAssign', (await drive('classified')).ledgerNo, true],
      unitOperator: async () => ['toAccept', (await drive('assigned')).ledgerNo, true],
      leadUnit: async () => ['toReview', (await drive('in_review')).ledgerNo, true],
      unitHead: async () => ['toSign', (await drive('signing')).ledgerNo, true],
      countyLeader: async () => {
        const c = await drive('signing');
        for (const s of [w.users.head1, w.users.lead1]) expect((await act(s, c.documentId, 'sign')).status).toBe(200);
        return ['toSign', c.ledgerNo, true];
      },
      otherOperator: async () => ['toAccept', (await drive('assigned')).ledgerNo, false],
      orphanOperator: async () => ['toAccept', (await drive('assigned')).ledgerNo, false],
    };
    const [key, ledgerNo, found] = await plan[role]!();
    return {
      send: (s) => s.get(`/complaints/queues/${key}?ledgerNo=${ledgerNo}`),
      ok: (r) => expect(r.body.data.rows.map((x: any) => x.ledgerNo)).toEqual(found ? [ledgerNo] : []),
    };
  },
  'settings.overview': async () => ({ send: (s) => s.get('/complaints/settings'), ok: (r) => expect([r.body.data.timeZone, Array.isArray(r.body.data.routing.uncovered)]).toEqual(['Asia/Shanghai', true]) }),
  'settings.update': async (role) => {
    // Each caller asks for its own list size, so the one that took effect names its caller.
    const listSize = 2 + MATRIX_ROLES.indexOf(role);
    return {
      send: (s) => s.put('/complaints/settings').send({ ranking: { listSize } }),
      ok: (r) => expect([r.body.data.ranking.listSize, r.body.meta.changes.map((c: any) => c.path), (app.strapi.config.get('plugin::complaints.ranking') as any).listSize]).toEqual([listSize, ['ranking.listSize'], listSize]),
    };
  },
  'warnings.overview': async () => ({ send: (s) => s.get('/complaints/warnings/overview'), ok: (r) => expect(r.body.data).toBeTruthy() }),
  'statistics.counts': async (role) => ({
    send: (s) => s.get('/complaints/stats/counts?by=state&validity=valid'),
    ok: async (r) => {
      expect(r.body.data.reduce((t: number, row: { count: number }) => t + row.count, 0)).toBe(r.body.meta.total);
      // The county-wide roles count every valid complaint; a unit's roles only their own.
      if (['countyOffice', 'countyLeader', 'superAdmin'].includes(role)) expect(r.body.meta.total).toBe(Number((await knex()('complaints').whereNotIn('state', ['received', 'invalid']).count({ n: '*' }))[0].n));
      if (role === 'orphanOperator') expect(r.body).toEqual({ data: [], meta: { total: 0, by: ['state'], source: 'live', asOf: null, liveReason: 'none' } });
    },
  }),
  'warnings.runs': async () => ({ send: (s) => s.get('/complaints/jobs/runs'), ok: (r) => expect(Array.isArray(r.body.data)).toBe(true) }),
  'rates.rates': async () => ({ send: (s) => s.get('/complaints/stats/rates?by=unit&month=2026-11'), ok: (r) => expect([r.body.data.by, r.body.data.month, Array.isArray(r.body.data.rows)]).toEqual(['unit', '2026-11', true]) }),
  'rates.ranking': async () => ({ send: (s) => s.get('/complaints/stats/ranking?month=2026-11'), ok: (r) => expect([r.body.data.month, Array.isArray(r.body.data.units), Array.isArray(r.body.data.redList)]).toEqual(['2026-11', true, true]) }),
  'export.ledger': async (role) => ({
    send: (s) => fileBody(s.get('/complaints/export?month=2026-11&validity=valid')),
    ok: (r) => {
      expect([(r.body as Buffer).subarray(0, 2).toString(), /^[0-9]+$/.test(String(r.headers['x-export-rows']))]).toEqual(['PK', true]);
      if (role === 'orphanOperator') expect(r.headers['x-export-rows']).toBe('0');
    },
  }),
  'spotChecks.list': async () => {
    const m = await drawnMonth();
    return { send: (s) => s.get(`/complaints/spot-checks?month=${m.month}`), ok: (r) => expect([r.body.data.month, r.body.data.seed, r.body.data.checks.map((k: any) => k.ledgerNo)]).toEqual([m.month, 'matrix', [m.complaint.ledgerNo]]) };
  },
  'spotChecks.preview': async () => {
    const m = await closedMonth();
    return { send: (s) => s.get(`/complaints/spot-checks/preview?month=${m.month}&seed=matrix`), ok: (r) => expect(r.body.data.members.map((x: any) => x.ledgerNo)).toEqual([m.complaint.ledgerNo]) };
  },
  'spotChecks.report': async () => {
    const m = await drawnMonth();
    return { send: (s) => s.get(`/complaints/spot-checks/report?month=${m.month}`), ok: (r) => expect([r.body.data.month, r.body.data.total.drawn]).toEqual([m.month, 1]) };
  },
  'spotChecks.draw': async () => {
    const m = await closedMonth();
    return { send: (s) => s.post('/complaints/spot-checks').send({ month: m.month, seed: 'matrix' }), ok: async (r) => { expect(r.status).toBe(201); expect(await count('spot_checks', { month: m.month })).toBe(1); } };
  },
  'spotChecks.record': async () => {
    const m = await drawnMonth();
    return {
      send: (s) => s.post(`/complaints/spot-checks/${m.checkId}/result`).send({ result: 'failed', finding: 'feedback_missing', deadline: addDaysFromToday(10) }),
      ok: async () => expect([(await complaintRow(m.complaint.id)).state, await lastEventType(m.complaint.id), (await knex()('spot_checks').where('id', m.checkId).first('result')).result]).toEqual(['rectifying', 'reopen', 'failed']),
    };
  },
  'monthCloses.list': async () => {
    const month = await closedByCounty();
    return { send: (s) => s.get('/complaints/month-closes'), ok: (r) => expect(r.body.data.closed.filter((m: any) => m.month === month).map((m: any) => m.version)).toEqual([1]) };
  },
  'monthCloses.show': async () => {
    const month = await closedByCounty();
    return { send: (s) => s.get(`/complaints/month-closes/${month}`), ok: (r) => expect([r.body.data.month, r.body.data.versions.map((v: any) => v.version), r.body.data.verified]).toEqual([month, [1], true]) };
  },
  'monthCloses.verify': async () => {
    const month = await closedByCounty();
    return { send: (s) => s.get(`/complaints/month-closes/${month}/verify`), ok: (r) => expect([r.body.data.month, r.body.data.ok]).toEqual([month, true]) };
  },
  'monthCloses.close': async () => {
    const month = monthToClose();
    return { send: (s) => s.post('/complaints/month-closes').send({ month }), ok: async (r) => { expect(r.status).toBe(201); expect(await count('month_closes', { month })).toBe(1); } };
  },
  'monthCloses.correct': async () => {
    const month = await closedByCounty();
    return { send: (s) => s.post(`/complaints/month-closes/${month}/corrections`).send({ reason: '补录迟到的回访' }), ok: async (r) => { expect(r.body.data.version).toBe(2); expect(await count('month_closes', { month })).toBe(2); } };
  },
  'ledger.history': async () => {
    const c = await drive('assigned');
    return { send: (s) => s.get(`/complaints/complaints/${c.documentId}/history`), ok: (r) => expect([r.body.data.ledgerNo, r.body.data.events.map((e: any) => e.type)]).toEqual([c.ledgerNo, ['created', 'classify', 'assign']]) };
  },
  'ledger.addCorrection': async () => {
    const c = await drive('assigned');
    return { send: (s) => s.post(`/complaints/complaints/${c.documentId}/corrections`).send({ field: 'phone', value: '19900005678', reason: '登记时录错一位' }), ok: async (r) => { expect([r.status, r.body.data.field]).toEqual([201, 'phone']); expect(await lastEventType(c.id)).toBe('corrected'); } };
  },
  'ledger.verify': async () => ({ send: (s) => s.get('/complaints/ledger/verify'), ok: (r) => expect(r.body.data.ok).toBe(true) }),
  'ledger.digests': async () => ({ send: (s) => s.get('/complaints/ledger/digests'), ok: (r) => expect(Array.isArray(r.body.data)).toBe(true) }),
  'ledger.recordDigest': async () => {
    digestDays += 1;
    const day = addDaysFromToday(-digestDays);
    return { send: (s) => s.post('/complaints/ledger/digests').send({ day }), ok: async (r) => { expect([r.status, r.body.data.day]).toEqual([201, day]); expect(await count('ledger_digests', { day })).toBe(1); } };
  },
  'ledger.checkDigest': async () => {
    const day = addDaysFromToday(-100);
    if ((await count('ledger_digests', { day })) === 0) expect((await w.users.county.post('/complaints/ledger/digests').send({ day })).status).toBe(201);
    return { send: (s) => s.get(`/complaints/ledger/digests/${day}/check`), ok: (r) => expect(r.body.data.ok ?? r.body.data.matches).toBe(true) };
  },
  'ledger.exportEvents': async () => ({ send: (s) => s.get('/complaints/ledger/export').buffer(true).parse((res, cb) => { let t = ''; res.on('data', (d: Buffer) => (t += d.toString())); res.on('end', () => cb(null, t)); }), ok: (r) => expect(String(r.body)).toContain('"type"') }),
  'imports.upload': async (role) => {
    const ledgerNo = `RM-${role}-${Date.now()}`;
    return { send: (s) => s.post('/complaints/imports').attach('file', ledgerCsv(ledgerNo), `${ledgerNo}.csv`), ok: async (r) => { expect(r.status).toBe(202); await waitImport(r.body.data.id); expect(await count('complaints', { ledger_no: ledgerNo })).toBe(1); } };
  },
  'registrations.create': async (role) => {
    const content = `矩阵登记：${role} 受理的来电，东街路灯不亮`;
    return {
      send: (s) => s.post('/complaints/registrations').send({ channel: 'hotline', content, town: '城关镇', village: '东街社区', phone: '19900006789' }),
      ok: async (r) => {
        expect(r.status).toBe(201);
        const row = await knex()('complaints').where('document_id', r.body.data.documentId).first('id', 'ledger_no', 'state', 'content');
        expect([row.ledger_no, row.state, row.content, await lastEventType(row.id)]).toEqual([r.body.data.ledgerNo, 'received', content, 'created']);
      },
    };
  },
  'imports.list': async () => ({ send: (s) => s.get('/complaints/imports'), ok: (r) => expect(Array.isArray(r.body.data)).toBe(true) }),
  'imports.status': async () => {
    const id = await anImport();
    return { send: (s) => s.get(`/complaints/imports/${id}`), ok: (r) => expect([r.body.data.id, r.body.data.status]).toEqual([id, 'done']) };
  },
  'imports.report': async () => {
    const id = await anImport();
    return { send: (s) => s.get(`/complaints/imports/${id}/report`).buffer(true).parse((res, cb) => { const b: Buffer[] = []; res.on('data', (d: Buffer) => b.push(d)); res.on('end', () => cb(null, Buffer.concat(b))); }), ok: (r) => expect((r.body as Buffer).length).toBeGreaterThan(0) };
  },
  'smsAdmin.messages': async () => {
    const m = await outboxMessage('uncertain');
    return { send: (s) => s.get('/complaints/sms/messages?status=uncertain&pageSize=100'), ok: (r) => expect(r.body.data.map((x: any) => x.id)).toContain(m.id) };
  },
  'smsAdmin.decide': async () => {
    const m = await outboxMessage('uncertain');
    return {
      send: (s) => s.post(`/complaints/sms/messages/${m.id}/decision`).send({ decision: 'cancel', reason: '已电话联系群众，无需再发' }),
      ok: async () => expect([(await knex()('sms_messages').where('id', m.id).first('status')).status, await lastEventType(m.complaintId)]).toEqual(['suppressed', 'sms_resolved']),
    };
  },
  'smsAdmin.optOuts': async () => {
    await smsService().optOut(nextPhone(), 'staff');
    return { send: (s) => s.get('/complaints/sms/opt-outs'), ok: (r) => expect(r.body.meta.total).toBeGreaterThan(0) };
  },
  'smsAdmin.addOptOut': async () => {
    const phone = nextPhone();
    return { send: (s) => s.post('/complaints/sms/opt-outs').send({ phone, reason: '群众来电要求退订' }), ok: async (r) => { expect(r.status).toBe(201); expect(await count('sms_opt_outs', { phone })).toBe(1); } };
  },
  'smsAdmin.removeOptOut': async () => {
    const phone = nextPhone();
    await smsService().optOut(phone, 'staff');
    return { send: (s) => s.post('/complaints/sms/opt-outs/remove').send({ phone, reason: '群众来电要求恢复' }), ok: async () => expect(await count('sms_opt_outs', { phone })).toBe(0) };
  },
  'smsAdmin.returnVisits': async (role) => {
    const c = await returnVisit();
    // Another unit's operator and one with no unit get an answer without the first unit's visit.
    const seen = !['otherOperator', 'orphanOperator'].includes(role);
    return { send: (s) => s.get('/complaints/return-visits?pageSize=100'), ok: (r) => expect(r.body.data.some((v: any) => v.documentId === c.documentId)).toBe(seen) };
  },
  'smsAdmin.recordReturnVisit': async () => {
    const c = await returnVisit();
    return {
      send: (s) => s.post(`/complaints/complaints/${c.documentId}/return-visit`).send({ answer: 'satisfied', comment: '电话回访满意' }),
      ok: async (r) => { expect(r.status).toBe(201); expect(await knex()('surveys').where('id', c.surveyId).first('status', 'answered_via')).toEqual({ status: 'answered', answered_via: 'phone_visit' }); },
    };
  },
  'imports.template': async () => ({ send: (s) => s.get('/complaints/import-template').buffer(true).parse((res, cb) => { const b: Buffer[] = []; res.on('data', (d: Buffer) => b.push(d)); res.on('end', () => cb(null, Buffer.concat(b))); }), ok: (r) => expect((r.body as Buffer).subarray(0, 2).toString()).toBe('PK') }),
};
let importId: number | undefined;
const anImport = async () => {
  if (importId) return importId;
  const r = await w.users.county.post('/complaints/imports').attach('file', ledgerCsv('RM-FIXTURE'), 'RM-FIXTURE.csv');
  expect(r.status).toBe(202);
  importId = Number(r.body.data.id);
  await waitImport(importId);
  return importId;
};

/**
 * Public routes: called anonymously. `refused` are the same calls with a bad credential (a
 * forged or missing signature, a wrong token, a missing form token); `allowed` is the call with
 * a good one, and `ok` checks its effect.
 */
interface PublicCall {
  refused: Array<[string, () => supertest.Test, number]>;
  allowed: () => supertest.Test;
  ok: (res: supertest.Response) => Promise<void> | void;
}
let publicPhone = 0;
/** A closed complaint of its own phone with its survey open (reply by Twilio, or link). */
const openSurvey = async () => {
  publicPhone += 1;
  const phone = `1394444${String(publicPhone).padStart(4, '0')}`;
  const c = await w.complaint({ phone });
  await knex()('complaints').where('id', c.id).update({ state: 'closed', closed_at: new Date() });
  const [s] = await app.strapi.plugin('complaints').service('surveys').openFor([c.id]);
  return { phone, complaint: c, surveyId: s.surveyId as number, token: s.token as string };
};
const surveyStatus = async (id: number) => (await knex()('surveys').where('id', id).first('status')).status;
const PUBLIC_FIXTURES: Record<string, () => Promise<PublicCall>> = {
  'public.twilioInbound': async () => {
    const s = await openSurvey();
    const params = inbound(`+86${s.phone}`, '1');
    return {
      refused: [
        ['no signature', () => twilioPost(app.strapi, INBOUND, params, null), 403],
        ['a forged signature', () => twilioPost(app.strapi, INBOUND, params, sign(INBOUND, params, { token: 'forged' })), 403],
      ],
      allowed: () => twilioPost(app.strapi, INBOUND, params),
      ok: async () => expect(await surveyStatus(s.surveyId)).toBe('answered'),
    };
  },
  'public.twilioStatus': async () => {
    const s = await openSurvey();
    await app.strapi.plugin('complaints').service('sms').pump({ now: new Date(Date.now() + 86_400_000) });
    const m = await knex()('sms_messages').where('idempotency_key', `survey:${s.surveyId}`).first('id', 'status', 'provider_message_id');
    expect(m.status).toBe('sent');
    const params = { MessageSid: m.provider_message_id, MessageStatus: 'delivered' };
    return {
      refused: [
        ['no signature', () => twilioPost(app.strapi, STATUS, params, null), 403],
        ['a forged signature', () => twilioPost(app.strapi, STATUS, params, sign(STATUS, params, { token: 'forged' })), 403],
      ],
      allowed: () => twilioPost(app.strapi, STATUS, params),
      ok: async () => expect((await knex()('sms_messages').where('id', m.id).first('status')).status).toBe('delivered'),
    };
  },
  'public.aliyunReport': async () => {
    const s = await openSurvey();
    await app.strapi.plugin('complaints').service('sms').pump({ now: new Date(Date.now() + 86_400_000) });
    const m = await knex()('sms_messages').where('idempotency_key', `survey:${s.surveyId}`).first('id', 'status', 'provider_message_id');
    expect([m.status, m.provider_message_id]).toEqual(['sent', expect.stringMatching(/^\d+\^0$/)]);
    const push = [report(m.provider_message_id, true)];
    return {
      refused: [
        ['a wrong secret', () => aliyunPost(app.strapi, 'report', push, `${ALIYUN_SECRET}x`), 403],
        ['a secret of the same length', () => aliyunPost(app.strapi, 'report', push, 'z'.repeat(ALIYUN_SECRET.length)), 403],
      ],
      allowed: () => aliyunPost(app.strapi, 'report', push),
      ok: async () => expect((await knex()('sms_messages').where('id', m.id).first('status')).status).toBe('delivered'),
    };
  },
  'public.aliyunUplink': async () => {
    const s = await openSurvey();
    const push = [uplink(s.phone, '1')];
    return {
      refused: [
        ['a wrong secret', () => aliyunPost(app.strapi, 'uplink', push, `${ALIYUN_SECRET}x`), 403],
        ['a secret of the same length', () => aliyunPost(app.strapi, 'uplink', push, 'z'.repeat(ALIYUN_SECRET.length)), 403],
      ],
      allowed: () => aliyunPost(app.strapi, 'uplink', push),
      ok: async () => expect(await surveyStatus(s.surveyId)).toBe('answered'),
    };
  },
  'public.surveyPage': async () => {
    const s = await openSurvey();
    return {
      refused: [['a wrong token', () => anonymous().get(`/survey/${s.token.slice(0, -1)}${s.token.endsWith('A') ? 'B' : 'A'}`), 404]],
      allowed: () => anonymous().get(`/survey/${s.token}`),
      ok: (r) => expect(r.text).toContain(s.complaint.ledgerNo),
    };
  },
  'public.surveyAnswer': async () => {
    const s = await openSurvey();
    const citizen = supertest.agent(app.strapi.server.httpServer);
    const csrf = csrfOf((await citizen.get(`/survey/${s.token}`)).text);
    return {
      refused: [
        ['a wrong token', () => citizen.post(`/survey/${s.token.slice(0, -1)}${s.token.endsWith('A') ? 'B' : 'A'}`).type('form').send({ csrf, answer: 'satisfied' }), 404],
        ['no form token', () => citizen.post(`/survey/${s.token}`).type('form').send({ answer: 'satisfied' }), 403],
        ['without the cookie', () => anonymous().post(`/survey/${s.token}`).type('form').send({ csrf, answer: 'satisfied' }), 403],
      ],
      allowed: () => citizen.post(`/survey/${s.token}`).type('form').send({ csrf, answer: 'satisfied' }),
      ok: async () => expect(await surveyStatus(s.surveyId)).toBe('answered'),
    };
  },
  'publicApi.summary': async () => ({
    refused: [['populate', () => anonymous().get('/api/minyi/summary?populate=*'), 400]],
    allowed: () => anonymous().get('/api/minyi/summary'),
    ok: (r) => expect(r.body.data.totals.complaints).toBeGreaterThan(0),
  }),
  'publicApi.results': async () => {
    const c = await w.complaint({});
    await knex()('complaints').where('id', c.id).update({ state: 'closed', closed_at: new Date() });
    return {
      refused: [['a personal-field filter', () => anonymous().get('/api/minyi/results?phone=19900001234'), 400]],
      allowed: () => anonymous().get('/api/minyi/results?pageSize=50'),
      ok: (r) => expect(r.body.data.map((x: { ledgerNo: string }) => x.ledgerNo)).toContain(c.ledgerNo),
    };
  },
  'publicApi.ranking': async () => ({
    refused: [['an unknown parameter', () => anonymous().get('/api/minyi/ranking?unit=1'), 400]],
    allowed: () => anonymous().get('/api/minyi/ranking'),
    ok: (r) => expect(Array.isArray(r.body.data.units)).toBe(true),
  }),
  'publicApi.intake': async () => {
    const form = { content: '村口路灯损坏已经一个月没人修', town: '城关镇', village: '东街社区', consent: true };
    return {
      refused: [['no consent', () => anonymous().post('/api/minyi/requests').send({ ...form, consent: false }), 400]],
      allowed: () => anonymous().post('/api/minyi/requests').send(form),
      ok: async (r) => expect((await knex()('complaints').where('ledger_no', r.body.data.ledgerNo).first('state')).state).toBe('received'),
    };
  },
  'publicApi.track': async () => {
    const made = (await anonymous().post('/api/minyi/requests').send({ content: '村口路灯损坏已经一个月没人修', town: '城关镇', village: '东街社区', consent: true })).body.data;
    return {
      refused: [['a wrong tracking code', () => anonymous().post('/api/minyi/track').send({ ledgerNo: made.ledgerNo, code: 'AAAA-BBBB-CCCC-DDDD' }), 404]],
      allowed: () => anonymous().post('/api/minyi/track').send({ ledgerNo: made.ledgerNo, code: made.trackingCode }),
      ok: (r) => expect(r.body.data.state).toBe('received'),
    };
  },
  'publicPage.home': async () => ({
    refused: [['populate', () => anonymous().get('/?populate=*'), 400]],
    allowed: () => anonymous().get('/'),
    ok: (r) => expect(r.text).toContain('data-figure="totals.complaints"'),
  }),
  'publicPage.submit': async () => ({ refused: [], allowed: () => anonymous().get('/submit'), ok: (r) => expect(r.text).toContain('name="content"') }),
  'publicPage.track': async () => ({ refused: [], allowed: () => anonymous().get('/track'), ok: (r) => expect(r.text).toContain('name="ledgerNo"') }),
  'publicPage.asset': async () => ({
    refused: [['an unknown file', () => anonymous().get('/assets/minyi/secret.txt'), 404]],
    allowed: () => anonymous().get('/assets/minyi/app.css'),
    ok: (r) => expect(r.text).toContain('body{'),
  }),
};

const registered = () =>
  (app.strapi.server.listRoutes() as any[]).flatMap((l) => (l.methods as string[]).filter((m) => m !== 'HEAD').map((m) => ({ method: m, path: String(l.path) })));

describe('the access table covers every registered route', () => {
  it('every plugin admin route has a row and a fixture, and every row a registered route', () => {
    const plugin = registered().filter((r) => r.path.startsWith('/complaints/')).map((r) => `${r.method} ${r.path.slice('/complaints'.length)}`);
    const rows = PLUGIN_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(plugin.filter((p) => !rows.includes(p))).toEqual([]);
    expect(rows.filter((p) => !plugin.includes(p))).toEqual([]);
    expect(PLUGIN_ROUTES.filter((r) => !FIXTURES[r.handler]).map((r) => r.handler)).toEqual([]);
  });

  it('every Content Manager route taking a model has a verb, and every Minyi type an access row', () => {
    const cm = registered().filter((r) => r.path.startsWith('/content-manager/') && r.path.includes(':model')).map((r) => `${r.method} ${r.path.slice('/content-manager'.length)}`);
    const rows = CM_ROUTES.map((r) => `${r.method} ${r.path}`);
    expect(cm.filter((p) => !rows.includes(p))).toEqual([]);
    expect(rows.filter((p) => !cm.includes(p))).toEqual([]);
    expect(PLUGIN_UIDS().filter((u) => !CM_ACCESS[u]).sort()).toEqual([]);
    expect(Object.keys(CM_ACCESS).filter((u) => !PLUGIN_UIDS().includes(u))).toEqual([]);
  });

  it('no content-API route of the plugin exists', () => {
    expect(registered().filter((r) => r.path.startsWith('/api/complaints'))).toEqual([]);
  });

  it('every public row is a registered route with a fixture', () => {
    const all = registered().map((r) => `${r.method} ${r.path}`);
    expect(PUBLIC_ROUTES.map((r) => `${r.method} ${r.path}`).filter((p) => !all.includes(p))).toEqual([]);
    expect(PUBLIC_ROUTES.filter((r) => !PUBLIC_FIXTURES[r.handler]).map((r) => r.handler)).toEqual([]);
    expect(PUBLIC_ROUTES.every((r) => r.public === true && ['twilio-signature', 'aliyun-secret', 'survey-token', 'tracking-code', 'rate-limit', 'none'].includes(r.verifiedBy))).toBe(true);
    // Outside the admin routes' /complaints and the content API's /api, except the public data's own /api/minyi.
    expect(PUBLIC_ROUTES.filter((r) => /^\/(complaints|api|admin)(\/|$)/.test(r.path) && !r.path.startsWith('/api/minyi/'))).toEqual([]);
  });
});

const refusedStatus = (role: MatrixRole) => (role === 'anonymous' ? [401] : [403, 404]);

describe('plugin routes, role by role', () => {
  it.each(PLUGIN_ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (_name, route) => {
    const fixture = FIXTURES[route.handler];
    const outcomes: Array<[MatrixRole, string]> = [];
    // Refusals first, each on the request an allowed role would make, then the positive controls.
    const refused = MATRIX_ROLES.filter((r) => !route.roles.includes(r));
    const first = route.roles[0];
    const call = await fixture(first);
    const before = await fingerprint();
    for (const role of refused) {
      const res = await call.send(caller(role));
      outcomes.push([role, refusedStatus(role).includes(res.status) ? 'refused' : `refused expected, got ${res.status} ${JSON.stringify(res.body?.error ?? '').slice(0, 120)}`]);
    }
    outcomes.push(['anonymous', JSON.stringify(await fingerprint()) === JSON.stringify(before) ? 'rows unchanged' : `rows changed: ${JSON.stringify(await fingerprint())} was ${JSON.stringify(before)}`]);
    for (const role of route.roles) {
      const c = role === first ? call : await fixture(role);
      const res = await c.send(caller(role));
      let verdict = 'allowed';
      if (res.status < 200 || res.status >= 300) verdict = `allowed expected, got ${res.status} ${JSON.stringify(res.body?.error ?? '').slice(0, 160)}`;
      else {
        try {
          await c.ok(res);
        } catch (e) {
          verdict = `allowed, but no effect: ${(e as Error).message.slice(0, 200)}`;
        }
      }
      outcomes.push([role, verdict]);
    }
    const expected = outcomes.map(([role, v]) => [role, v.startsWith('rows') ? 'rows unchanged' : route.roles.includes(role) ? 'allowed' : 'refused']);
    expect(outcomes).toEqual(expected);
  });
});

/** One record of each Minyi type, made by Minyi's own routes where it has one. */
const records: Record<string, { documentId: string } | undefined> = {};
const fixtureRecords = async () => {
  const c = await drive('signing');
  await anImport();
  const g = await w.users.op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: `CM-${Date.now()}` });
  expect(g.status).toBe(201);
  await w.users.county.post('/complaints/ledger/digests').send({ day: addDaysFromToday(-200) });
  expect((await w.users.county.post('/complaints/month-closes').send({ month: '1999-12' })).status).toBe(201);
  expect((await act(w.users.head1, c.documentId, 'sign')).status).toBe(200);
  expect((await w.users.county.post(`/complaints/complaints/${c.documentId}/corrections`).send({ field: 'phone', value: '19900005679', reason: '登记时录错一位' })).status).toBe(201);
  for (const uid of PLUGIN_UIDS()) {
    const row = await knex()(tableOf(uid)).orderBy('id', 'desc').first('document_id');
    records[uid] = row ? { documentId: row.document_id } : undefined;
  }
  // Records of the first unit, so its own roles have something of their scope to read.
  records['plugin::complaints.complaint'] = { documentId: c.documentId };
  records['plugin::complaints.problem-group'] = { documentId: g.body.data.documentId };
};

/** A create body the county office may send for each writable type. */
const createBody = (uid: string): Record<string, unknown> => {
  const n = Math.floor(Math.random() * 1e6);
  if (uid.endsWith('.complaint')) return { ledgerNo: `CM-${n}`, receivedAt: new Date().toISOString(), channel: 'visit', complainantName: '测试己', phone: '19900004321', town: '城关镇', village: '东街社区', content: '东街社区排水沟堵塞，雨天积水' };
  if (uid.endsWith('.category')) return { code: `9${String(n % 1000).padStart(3, '0')}`.slice(0, 4), name: `矩阵类别${n}`, tier: 'minor', responseDays: 3 };
  if (uid.endsWith('.unit')) return { code: `M${n}`, name: `矩阵单位${n}`, kind: 'department', isLead: false, isResponsible: true };
  if (uid.endsWith('.routing-rule')) return { categoryCode: '0101', town: `矩阵镇${n}` };
  return { note: 'forged' };
};

const cmRequest = (s: Caller, verb: CmVerb, method: string, path: string, uid: string): supertest.Test => {
  const doc = records[uid]?.documentId ?? 'none';
  const url = `/content-manager${path.replace(':model', uid).replace(':id', doc).replace(':sourceId', doc).replace(':targetField', firstRelation(uid))}`;
  const t = method === 'GET' ? s.get(path === '/collection-types/:model' ? `${url}?page=1&pageSize=100&sort=id:DESC` : url) : method === 'PUT' ? s.put(url) : method === 'DELETE' ? s.del(url) : s.post(url);
  if (verb === 'create' || verb === 'clone') return t.send(createBody(uid));
  if (verb === 'update') return t.send(updateBody(uid));
  if (verb === 'bulkDelete') return t.send({ documentIds: [doc] });
  return method === 'POST' ? t.send({}) : t;
};
const updateBody = (uid: string): Record<string, unknown> => {
  if (uid.endsWith('.complaint')) return { summary: `矩阵摘要${Date.now()}` };
  if (uid.endsWith('.category') || uid.endsWith('.unit')) return { name: `矩阵改名${Date.now()}` };
  if (uid.endsWith('.routing-rule')) return { town: `矩阵改镇${Date.now()}` };
  return { note: 'forged' };
};
const firstRelation = (uid: string): string => {
  const attrs = (app.strapi.contentTypes as any)[uid].attributes;
  const relations = Object.keys(attrs).filter((k) => attrs[k].type === 'relation');
  // A relation to another Minyi type, where there is one (createdBy/updatedBy point at admin users).
  return relations.find((k) => String(attrs[k].target).startsWith('plugin::complaints.')) ?? relations[0] ?? 'none';
};

describe('Content Manager routes of every Minyi type, role by role', () => {
  beforeAll(async () => {
    await fixtureRecords();
  });

  const TYPES = Object.keys(CM_ACCESS);
  it.each(TYPES)('%s', async (uid) => {
    const access = CM_ACCESS[uid];
    const outcomes: string[] = [];
    const expected: string[] = [];
    // Allowed calls first (a refusal that wrongly succeeds must not spoil their controls), then
    // every refusal, checked against the whole database.
    const routes = CM_ROUTES.filter((x) => (x.path.startsWith('/collection-types') || x.path.startsWith('/relations')) && !x.path.includes('auto-clone'))
      .filter((x) => (x.verb !== 'relations' && x.verb !== 'relationOptions') || firstRelation(uid) !== 'none');
    for (const r of routes) {
      // A type with no row yet (surveys, SMS, spot checks, job runs in this small county) has no
      // record to read: its list is still checked, its record routes are not.
      if (!records[uid] && /:(id|sourceId)\b/.test(r.path)) continue;
      for (const role of (access[r.verb] ?? []).filter((x) => MATRIX_ROLES.includes(x))) {
        let res: supertest.Response;
        let ok: boolean;
        if (r.verb === 'delete' || r.verb === 'bulkDelete') {
          // An allowed delete removes a record made for it, not the fixture the other calls read.
          const made = await cmRequest(caller('countyOffice'), 'create', 'POST', '/collection-types/:model', uid);
          expect(made.status).toBe(201);
          res = r.verb === 'delete'
            ? await caller(role).del(`/content-manager/collection-types/${uid}/${made.body.data.documentId}`)
            : await caller(role).post(`/content-manager/collection-types/${uid}/actions/bulkDelete`).send({ documentIds: [made.body.data.documentId] });
          ok = res.status === 200 && (await app.strapi.db.query(uid as any).count({ where: { documentId: made.body.data.documentId } })) === 0;
        } else {
          res = await cmRequest(caller(role), r.verb, r.method, r.path, uid);
          ok = res.status >= 200 && res.status < 300;
        }
        if (ok && r.path === '/collection-types/:model' && r.method === 'GET') ok = records[uid] ? res.body.results.some((x: any) => x.documentId === records[uid]!.documentId) : Array.isArray(res.body.results);
        if (ok && r.path === '/collection-types/:model/:id' && r.method === 'GET') ok = res.body.data?.documentId === records[uid]?.documentId;
        outcomes.push(`${r.method} ${r.path} ${role}: ${ok ? 'allowed' : `got ${res.status} ${JSON.stringify(res.body?.error?.message ?? '').slice(0, 80)}`}`);
        expected.push(`${r.method} ${r.path} ${role}: allowed`);
      }
    }
    const before = await fingerprint();
    for (const r of routes) {
      for (const role of MATRIX_ROLES.filter((x) => !(access[r.verb] ?? []).includes(x))) {
        const res = await cmRequest(caller(role), r.verb, r.method, r.path, uid);
        // A list answers a role with the read permission in another scope, without the record; a
        // write the ledger guards refuse is a 400 with its reason (rows are checked below).
        const hidden = r.path === '/collection-types/:model' && res.status === 200 && !res.body.results?.some((x: any) => x.documentId === records[uid]?.documentId);
        const status = r.verb === 'read' || r.verb === 'list' || r.verb === 'relations' || r.verb === 'relationOptions' ? [403, 404] : [400, 403, 404, 405];
        const refusedOk = role === 'anonymous' ? res.status === 401 : hidden || status.includes(res.status);
        outcomes.push(`${r.method} ${r.path} ${role}: ${refusedOk ? 'refused' : `got ${res.status}`}`);
        expected.push(`${r.method} ${r.path} ${role}: refused`);
      }
    }
    const after = await fingerprint();
    outcomes.push(`rows unchanged by refusals: ${JSON.stringify(after) === JSON.stringify(before)}`);
    expected.push('rows unchanged by refusals: true');
    expect(outcomes).toEqual(expected);
  });
});

describe('public routes, anonymous: a good signature, secret or token succeeds, a bad one is refused', () => {
  let fake: FakeTwilio;
  let fakeAliyun: FakeAliyun;
  beforeAll(async () => {
    fake = await startFakeTwilio();
    fakeAliyun = await startFakeAliyun();
    useTwilio(app.strapi, fake);
  });
  afterAll(async () => {
    useConsole(app.strapi);
    await fake?.close();
    await fakeAliyun?.close();
  });

  it.each(PUBLIC_ROUTES.map((r) => [`${r.method} ${r.path} (${r.verifiedBy})`, r] as const))('%s', async (_name, route: PublicRoute) => {
    // Each provider's webhooks answer only while it is the provider in use.
    if (route.verifiedBy === 'aliyun-secret') useAliyun(app.strapi, fakeAliyun);
    else useTwilio(app.strapi, fake);
    const call = await PUBLIC_FIXTURES[route.handler]();
    const outcomes: string[] = [];
    const before = await fingerprint();
    for (const [what, send, status] of call.refused) {
      const res = await send();
      outcomes.push(`${what}: ${res.status === status ? 'refused' : `refused with ${status} expected, got ${res.status}`}`);
    }
    outcomes.push(JSON.stringify(await fingerprint()) === JSON.stringify(before) ? 'rows unchanged' : 'rows changed');
    const res = await call.allowed();
    let verdict = res.status === 200 || (res.status === 201 && route.method === 'POST') ? 'allowed' : `allowed expected, got ${res.status}`;
    if (verdict === 'allowed') {
      try {
        await call.ok(res);
      } catch (e) {
        verdict = `allowed, but no effect: ${(e as Error).message.slice(0, 200)}`;
      }
    }
    outcomes.push(`good credential: ${verdict}`);
    expect(outcomes).toEqual([...call.refused.map(([what]) => `${what}: refused`), 'rows unchanged', 'good credential: allowed']);
  });
});
