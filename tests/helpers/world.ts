/**
 * A small county for workflow tests: two townships, two lead units, three categories, one
 * admin user per role and unit, made through the real roles and permissions that bootstrap
 * creates. Complaints are registered through the Document Service, as the county office does.
 */
import { randomBytes } from 'crypto';
import { setupStrapi, type TestApp } from './strapi';
import type { Core } from '@strapi/strapi';
import { createAdminUser, login, superAdmin, type AdminSession } from './admin';
import { pngFile } from './files';

export interface World {
  units: Record<'t1' | 't2' | 'l1' | 'l2', { id: number; documentId: string; name: string }>;
  users: Record<'county' | 'lead1' | 'lead2' | 'op1' | 'op2' | 'head1' | 'head2' | 'leader' | 'orphanOp' | 'admin', AdminSession>;
  /** Registers a complaint (state received) in a town; returns its ids. */
  complaint: (opts?: { town?: string; phone?: string | null; content?: string; ledgerNo?: string; receivedAt?: string }) => Promise<{ id: number; documentId: string; ledgerNo: string }>;
}

const ROLE = {
  county: 'minyi-county-office',
  lead: 'minyi-lead-unit',
  op: 'minyi-unit-operator',
  head: 'minyi-unit-head',
  leader: 'minyi-county-leader',
};

export const buildWorld = async (strapi: Core.Strapi): Promise<World> => {
  const q = (uid: string) => strapi.db.query(`plugin::complaints.${uid}` as any);
  const unit = async (code: string, name: string, isLead: boolean, town: string | null) => {
    const u = await q('unit').create({ data: { code, name, kind: town ? 'township' : 'department', isLead, isResponsible: true, town } });
    return { id: u.id as number, documentId: u.documentId as string, name };
  };
  const units = {
    t1: await unit('T1', '城关镇人民政府', false, '城关镇'),
    t2: await unit('T2', '东坝镇人民政府', false, '东坝镇'),
    l1: await unit('D1', '县住房和城乡建设局', true, null),
    l2: await unit('D2', '县交通运输局', true, null),
  };
  const major = await q('category').create({ data: { code: '01', name: '城乡建设', tier: 'major', leadUnit: units.l1.id, leadUnitId: units.l1.id, responseDays: 3 } });
  await q('category').create({ data: { code: '0101', name: '老旧小区改造', tier: 'minor', parent: major.id, leadUnit: units.l1.id, leadUnitId: units.l1.id, responseDays: 3 } });
  // A minor without its own lead unit: the lead unit follows from its major.
  await q('category').create({ data: { code: '0102', name: '物业服务', tier: 'minor', parent: major.id, responseDays: 5 } });
  const major2 = await q('category').create({ data: { code: '02', name: '交通出行', tier: 'major', leadUnit: units.l2.id, leadUnitId: units.l2.id, responseDays: 3 } });
  await q('category').create({ data: { code: '0201', name: '农村公路建设', tier: 'minor', parent: major2.id, leadUnit: units.l2.id, leadUnitId: units.l2.id, responseDays: 2 } });

  const member = async (roleCode: string, unitId: number | null, firstname: string) => {
    const u = await createAdminUser(strapi, { roleCode, firstname, lastname: '测试' });
    if (unitId) {
      const row = await q('unit').findOne({ where: { id: unitId }, populate: ['members'] });
      await q('unit').update({ where: { id: unitId }, data: { members: [...row.members.map((m: any) => m.id), u.id] } });
    }
    return login(strapi, u.email, u.password);
  };
  const users = {
    county: await member(ROLE.county, null, '整治办'),
    lead1: await member(ROLE.lead, units.l1.id, '住建'),
    lead2: await member(ROLE.lead, units.l2.id, '交通'),
    op1: await member(ROLE.op, units.t1.id, '城关操作'),
    op2: await member(ROLE.op, units.t2.id, '东坝操作'),
    head1: await member(ROLE.head, units.t1.id, '城关负责'),
    head2: await member(ROLE.head, units.t2.id, '东坝负责'),
    leader: await member(ROLE.leader, null, '县领导'),
    orphanOp: await member(ROLE.op, null, '无单位'),
    admin: await superAdmin(strapi),
  };
  let n = 0;
  const complaint: World['complaint'] = async (opts = {}) => {
    n += 1;
    const ledgerNo = opts.ledgerNo ?? `W-${randomBytes(3).toString('hex')}-${n}`;
    const doc = await strapi.documents('plugin::complaints.complaint').create({
      data: {
        ledgerNo,
        receivedAt: opts.receivedAt ?? new Date().toISOString(),
        channel: 'visit',
        complainantName: '测试丙',
        phone: opts.phone === undefined ? '19900001234' : opts.phone,
        town: opts.town ?? '城关镇',
        village: '东街社区',
        content: opts.content ?? '小区楼道照明长期损坏，物业推诿',
      } as any,
    });
    const row = await strapi.db.connection('complaints').where('document_id', doc.documentId).first('id');
    return { id: Number(row.id), documentId: doc.documentId as string, ledgerNo };
  };
  return { units, users, complaint };
};

export const addDaysFromToday = (days: number, timeZone = 'Asia/Shanghai'): string => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** One transition through the admin route, as the panel sends it. */
export const act = (s: AdminSession, documentId: string, action: string, inputs: Record<string, unknown> = {}) =>
  s.post(`/complaints/complaints/${documentId}/transitions`).send({ action, ...inputs });

/**
 * Registers a test file's app: a Strapi (see strapi.ts) with the small county of buildWorld,
 * started before the file's tests (handed to `onStart`) and torn down after them.
 */
export const withWorld = (onStart: (started: { app: TestApp; w: World }) => void, opts: { captureLog?: boolean } = {}): void => {
  let app: TestApp | undefined;
  beforeAll(async () => {
    app = await setupStrapi(opts);
    onStart({ app, w: await buildWorld(app.strapi) });
  });
  afterAll(async () => {
    await app?.teardown();
  });
};

/** The steps a test drives a complaint through, in the order of DOMAIN.md's life cycle. */
export const DRIVE_STEPS = ['received', 'classified', 'assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'] as const;
export type DriveStep = (typeof DRIVE_STEPS)[number];

/**
 * A complaint of t1 (category 0101, lead unit l1) or t2 (0201, lead unit l2) driven through the
 * admin routes to `target` by each step's own role, as the panel sends it. `returned` is a
 * measure the lead unit sent back; past it the path goes straight from review to approval.
 */
export const driveTo = async (
  w: World,
  target: DriveStep,
  opts: { unit?: 't1' | 't2'; deadline?: string; phone?: string | null; content?: string; ledgerNo?: string; receivedAt?: string } = {},
): Promise<{ id: number; documentId: string; ledgerNo: string }> => {
  const unit = opts.unit ?? 't1';
  const [town, category, op, lead, head] = unit === 't1'
    ? ['城关镇', '0101', w.users.op1, w.users.lead1, w.users.head1]
    : ['东坝镇', '0201', w.users.op2, w.users.lead2, w.users.head2];
  const c = await w.complaint({ town, phone: opts.phone, content: opts.content, ledgerNo: opts.ledgerNo, receivedAt: opts.receivedAt });
  // The steps on the way: a returned measure is a side step after review, not on the way to closed.
  const path = target === 'returned' ? DRIVE_STEPS.slice(0, DRIVE_STEPS.indexOf('returned') + 1) : DRIVE_STEPS.filter((s) => s !== 'returned').slice(0, DRIVE_STEPS.filter((s) => s !== 'returned').indexOf(target) + 1);
  const at = (s: DriveStep) => path.includes(s);
  const ok = async (p: PromiseLike<{ status: number; body: any }>, status = 200) => {
    const res = await p;
    if (res.status !== status) throw new Error(`driving ${c.ledgerNo} to ${target}: ${res.status} ${JSON.stringify(res.body?.error ?? '').slice(0, 200)}`);
  };
  if (at('classified')) await ok(act(w.users.county, c.documentId, 'classify', { categoryCode: category, level: 'township', responsibleUnitId: w.units[unit].id }));
  if (at('assigned')) await ok(act(w.users.county, c.documentId, 'assign'));
  if (at('accepted')) await ok(act(op, c.documentId, 'accept', { nature: 'individual' }));
  if (at('in_review')) await ok(act(op, c.documentId, 'submit_measure', { mode: 'deadline', text: '维修楼道照明并更换灯具', responsiblePerson: '孙站长', deadline: opts.deadline ?? addDaysFromToday(30) }));
  if (target === 'returned') await ok(act(lead, c.documentId, 'return_measure', { comment: '措施不实，请补充具体工期' }));
  if (at('rectifying')) await ok(act(lead, c.documentId, 'approve_measure'));
  if (at('signing')) {
    await ok(op.post(`/complaints/complaints/${c.documentId}/evidence`).field('aspect', 'facility').field('text', '整改后现场照片').attach('files', pngFile('after'), { filename: 'after.png', contentType: 'image/png' }), 201);
    await ok(act(op, c.documentId, 'complete'));
  }
  if (at('closed')) for (const s of [head, lead, w.users.leader]) await ok(act(s, c.documentId, 'sign'));
  return c;
};
