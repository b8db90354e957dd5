/**
 * A small county for workflow tests: two townships, two lead units, three categories, one
 * admin user per role and unit, made through the real roles and permissions that bootstrap
 * creates. Complaints are registered through the Document Service, as the county office does.
 */
import { randomBytes } from 'crypto';
import { setupStrapi, type TestApp } from './strapi';
import type { Core } from '@strapi/strapi';
import { createAdminUser, login, superAdmin, type AdminSession } from './admin';

export interface World {
  units: Record<'t1' | 't2' | 'l1' | 'l2', { id: number; documentId: string; name: string }>;
  users: Record<'county' | 'lead1' | 'lead2' | 'op1' | 'op2' | 'head1' | 'head2' | 'leader' | 'orphanOp' | 'admin', AdminSession>;
  /** Registers a complaint (state received) in a town; returns its ids. */
  complaint: (opts?: { town?: string; phone?: string | null; content?: string; ledgerNo?: string }) => Promise<{ id: number; documentId: string; ledgerNo: string }>;
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
        receivedAt: new Date().toISOString(),
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
