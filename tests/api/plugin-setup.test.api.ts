/**
 * Plugin setup: the plugin is loaded with its tables, the database is the one asked for,
 * private fields reach the admin but nothing reaches the public, and roles are idempotent.
 */
import { randomBytes } from 'crypto';
import { superAdmin, type AdminSession } from '../helpers/admin';
import { rejection } from '../helpers/errors';
import { setupStrapi, type TestApp } from '../helpers/strapi';
import { contentApiUser } from '../helpers/content-api-user';

const UIDS = [
  'category', 'unit', 'complaint', 'problem-group', 'measure', 'evidence', 'sign-off', 'complaint-event',
  'correction', 'survey', 'sms-message', 'import-batch', 'spot-check', 'ledger-digest', 'routing-rule', 'job-run', 'month-close',
].map((n) => `plugin::complaints.${n}`);

const TABLES = [
  'complaints', 'complaint_categories', 'complaint_units', 'problem_groups', 'measures', 'evidences', 'sign_offs',
  'complaint_events', 'complaint_corrections', 'surveys', 'sms_messages', 'import_batches', 'spot_checks',
  'ledger_digests', 'routing_rules', 'job_runs', 'month_closes', 'complaints_category_lnk', 'complaints_responsible_unit_lnk',
  'complaint_units_members_lnk',
];

let app: TestApp;
let admin: AdminSession;
let snapshotBeforeReboot: unknown;
const ROLE_CODES = ['minyi-county-office', 'minyi-lead-unit', 'minyi-unit-operator', 'minyi-unit-head', 'minyi-county-leader'];

beforeAll(async () => {
  app = await setupStrapi({ fresh: true });
  admin = await superAdmin(app.strapi);
});

afterAll(async () => {
  await app?.teardown();
});

describe('the complaints plugin', () => {
  it('is loaded with all its content types', () => {
    expect(app.strapi.plugin('complaints')).toBeDefined();
    for (const uid of UIDS) expect(app.strapi.contentType(uid as any)).toBeDefined();
    expect(Object.keys(app.strapi.plugin('complaints').contentTypes).sort()).toEqual(UIDS.map((u) => u.split('.')[1]).sort());
  });

  it('has created its tables', async () => {
    const knex = app.strapi.db.connection;
    const existing: string[] =
      app.db === 'postgres'
        ? (await knex.raw(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`)).rows.map((r: any) => r.name)
        : (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'table'`)).map((r: any) => r.name);
    for (const table of TABLES) expect([table, existing.includes(table)]).toEqual([table, true]);
  });

  it('answers on its admin route, and only to an authenticated admin', async () => {
    const anonymous = await app.request().get('/complaints/info');
    expect(anonymous.status).toBe(401);
    const res = await admin.get('/complaints/info');
    expect(res.status).toBe(200);
    expect(res.body.data.plugin).toBe('complaints');
    expect(res.body.data.database).toBe(app.db);
    // The county's zone, which the admin pages show every time in.
    expect(res.body.data.timeZone).toBe('Asia/Shanghai');
    // The jobs do not run in the tests: no rollup built, no statistics columns loaded yet.
    expect(res.body.data.statistics).toEqual({ rollup: null, columns: null });
  });

  it('says when the rates\' rollup was built and the statistics columns loaded', async () => {
    const rollup = await app.strapi.plugin('complaints').service('statistics').refreshRollup();
    const columns = await app.strapi.plugin('complaints').service('stats-columns').refresh();
    const res = await admin.get('/complaints/info');
    expect(res.body.data.statistics).toEqual({
      rollup: { builtAt: rollup.builtAt.toISOString(), today: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), rows: rollup.rows, tookMs: expect.any(Number) },
      // No complaint here, so no common piece of their contents is flagged.
      columns: { complaints: 0, keywordPieces: 0, loadedAt: columns.loadedAt.toISOString(), tookMs: columns.tookMs },
    });
    expect(res.body.data.counts.complaints).toBe(0);
  });

  it('talks to the database the suite asked for', async () => {
    const knex = app.strapi.db.connection;
    if (app.db === 'postgres') {
      const r = await knex.raw('SELECT version() AS v');
      expect(r.rows[0].v).toMatch(/^PostgreSQL \d+/);
      expect(app.strapi.db.dialect.client).toBe('postgres');
    } else {
      const r = await knex.raw('SELECT sqlite_version() AS v');
      expect(r[0].v).toMatch(/^3\.\d+/);
      expect(app.strapi.db.dialect.client).toBe('sqlite');
    }
  });

  it('keeps ledgerNo unique in the database itself, below the Document Service', async () => {
    const row = { ledgerNo: `U-${randomBytes(3).toString('hex')}`, receivedAt: new Date(), channel: 'visit', content: '同号测试', state: 'received' };
    await app.strapi.db.query('plugin::complaints.complaint').create({ data: row });
    // Driver errors come from another realm than Jest's sandbox: compare code and message, not instanceof.
    const dup = await rejection(app.strapi.db.query('plugin::complaints.complaint').create({ data: row }));
    expect(`${dup.code} ${dup.message}`).toMatch(/SQLITE_CONSTRAINT_UNIQUE|23505/);
    const n = await app.strapi.db.query('plugin::complaints.complaint').count({ where: { ledgerNo: row.ledgerNo } });
    expect(n).toBe(1);
  });

  it('indexes the columns that filters and warnings use', async () => {
    const knex = app.strapi.db.connection;
    let names: string[];
    if (app.db === 'postgres') {
      const r = await knex.raw(`SELECT indexname FROM pg_indexes WHERE tablename = 'complaints'`);
      names = r.rows.map((x: { indexname: string }) => x.indexname);
    } else {
      const r = await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'complaints'`);
      names = r.map((x: { name: string }) => x.name);
    }
    for (const idx of [
      'complaints_ledger_no_uq', 'complaints_state_suggestion_idx', 'complaints_deadline_idx', 'complaints_response_deadline_idx',
      'complaints_received_at_idx', 'complaints_town_idx', 'complaints_responsible_unit_id_state_idx',
      'complaints_lead_unit_id_state_idx', 'complaints_category_code_idx', 'complaints_major_category_code_idx',
    ]) {
      expect(names).toContain(idx);
    }
  });

  it('indexes none of the columns the warning run writes, so its updates stay HOT on PostgreSQL', async () => {
    const knex = app.strapi.db.connection;
    let indexed: Array<{ index: string; column: string }>;
    if (app.db === 'postgres') {
      const r = await knex.raw(
        `SELECT i.relname AS index, a.attname AS column FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = ANY (x.indkey) WHERE x.indrelid = 'complaints'::regclass`
      );
      indexed = r.rows;
      // Positive control: the query sees the indexes that do exist.
      expect(indexed).toContainEqual({ index: 'complaints_deadline_idx', column: 'deadline' });
      const opts = await knex.raw(`SELECT reloptions FROM pg_class WHERE relname = 'complaints'`);
      expect(opts.rows[0].reloptions).toContain('fillfactor=80');
    } else {
      const list = (await knex.raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'complaints'`)) as Array<{ name: string }>;
      indexed = [];
      for (const { name } of list) {
        for (const c of (await knex.raw(`SELECT name FROM pragma_index_info(?)`, [name])) as Array<{ name: string }>) indexed.push({ index: name, column: c.name });
      }
      expect(indexed).toContainEqual({ index: 'complaints_deadline_idx', column: 'deadline' });
    }
    for (const column of ['warning_level', 'chain_seq', 'chain_hash', 'warning_changed_at']) {
      expect(indexed.filter((x) => x.column === column)).toEqual([]);
    }
  });
});

describe('private fields', () => {
  const sentinel = {
    ledgerNo: `PF-${randomBytes(4).toString('hex')}`,
    complainantName: '测试甲某人',
    phone: '19900007777',
    address: '测试地址一号院',
    content: `私密诉求内容-${randomBytes(4).toString('hex')}`,
  };
  let documentId: string;

  beforeAll(async () => {
    const created = await app.strapi.documents('plugin::complaints.complaint').create({
      data: { ...sentinel, receivedAt: '2026-05-06T02:30:00.000Z', channel: 'hotline', town: '城关镇', rawRow: { 备注: '原始行' } } as any,
    });
    documentId = created.documentId;
  });

  it('reach a super admin through the Content Manager', async () => {
    const res = await admin.get(`/content-manager/collection-types/plugin::complaints.complaint/${documentId}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      ledgerNo: sentinel.ledgerNo,
      complainantName: sentinel.complainantName,
      phone: sentinel.phone,
      address: sentinel.address,
      content: sentinel.content,
      rawRow: { 备注: '原始行' },
    });
  });

  it('are marked private in the schema', () => {
    const attrs = (app.strapi.contentType('plugin::complaints.complaint' as any) as any).attributes;
    for (const f of ['complainantName', 'phone', 'address', 'content', 'rawRow']) expect([f, attrs[f].private]).toEqual([f, true]);
    const survey = (app.strapi.contentType('plugin::complaints.survey' as any) as any).attributes;
    expect(survey.phone.private).toBe(true);
    expect(survey.tokenHash.private).toBe(true);
    expect((app.strapi.contentType('plugin::complaints.sms-message' as any) as any).attributes.phone.private).toBe(true);
  });

  it('reach nobody through the content API, anonymous or logged in', async () => {
    // A logged-in users-permissions user (role "Authenticated").
    const { username, jwt } = await contentApiUser(app.strapi);

    const guessed = [
      '/api/complaints', `/api/complaints/${documentId}`, '/api/complaint', '/api/categories', '/api/units',
      '/api/complaint-events', '/api/complaints/complaints', `/api/complaints/complaints/${documentId}`,
      '/api/complaints/categories', '/api/complaints/units', '/api/complaints/complaint-events',
    ];
    const registered = app.strapi.server
      .listRoutes()
      .filter((l: any) => l.methods.includes('GET') && typeof l.path === 'string' && l.path.startsWith('/api/'))
      .map((l: any) => String(l.path).replace(/:[a-zA-Z]+/g, documentId));
    const checked = Array.from(new Set([...guessed, ...registered]));
    // eslint-disable-next-line no-console
    console.log(`content-API routes checked (${checked.length}):\n  ${checked.join('\n  ')}`);
    // Strapi's own content-API routes (users-permissions, upload, i18n) are listed too: the list is real.
    expect(registered.length).toBeGreaterThan(0);
    expect(registered).toContain('/api/users/me');

    for (const url of checked) {
      for (const who of ['public', 'authenticated'] as const) {
        const req = app.request().get(url);
        if (who === 'authenticated' && jwt) req.set('Authorization', `Bearer ${jwt}`);
        const res = await req;
        const body = JSON.stringify(res.body ?? '') + (res.text ?? '');
        for (const value of Object.values(sentinel)) expect([url, who, body.includes(value)]).toEqual([url, who, false]);
        if (guessed.includes(url)) expect([url, who, [403, 404].includes(res.status)]).toEqual([url, who, true]);
      }
    }
    // Positive control: the logged-in user really is logged in (so "authenticated" was tested).
    expect(jwt).toBeTruthy();
    const me = await app.request().get('/api/users/me').set('Authorization', `Bearer ${jwt}`);
    expect(me.status).toBe(200);
    expect(me.body.username).toBe(username);
  });

  it('registers no content-API route of its own', () => {
    const own = app.strapi.server.listRoutes().filter((l: any) => String(l.path).startsWith('/api/complaints'));
    expect(own).toEqual([]);
  });
});

describe('admin roles', () => {
  const CODES = ['minyi-county-office', 'minyi-lead-unit', 'minyi-unit-operator', 'minyi-unit-head', 'minyi-county-leader'];

  it('are created on start, with Strapi\'s Super Admin kept', async () => {
    const roles = await app.strapi.db.query('admin::role').findMany({});
    const codes = roles.map((r: any) => r.code);
    for (const c of CODES) expect(codes).toContain(c);
    expect(codes).toContain('strapi-super-admin');
    const names = roles.map((r: any) => r.name);
    expect(names).toEqual(expect.arrayContaining(['县整治办 County office', '牵头单位 Lead unit reviewer', '责任单位操作员 Unit operator', '责任单位负责人 Unit head', '责任县领导 County leader']));
  });

  it('are not duplicated or changed when setup runs again', async () => {
    const snapshot = async () => {
      const roles = await app.strapi.db.query('admin::role').findMany({ orderBy: { id: 'asc' } });
      const perms = await app.strapi.db.query('admin::permission').findMany({ populate: ['role'], orderBy: { id: 'asc' } });
      return {
        roles: roles.map((r: any) => [r.id, r.code, r.name, r.description]),
        perms: perms
          .filter((p: any) => CODES.includes(p.role?.code))
          .map((p: any) => [p.id, p.action, p.subject, p.role.code, JSON.stringify(p.properties), JSON.stringify(p.conditions)]),
      };
    };
    const before = await snapshot();
    expect(before.perms.length).toBeGreaterThan(0);
    snapshotBeforeReboot = before;
    // The unit roles' complaint permissions carry their scoping conditions.
    const scoped = before.perms.filter((p: any) => p[1] === 'plugin::content-manager.explorer.read' && p[2] === 'plugin::complaints.complaint');
    expect(Object.fromEntries(scoped.map((p: any) => [p[3], JSON.parse(p[5])]))).toEqual({
      'minyi-county-office': [],
      'minyi-lead-unit': ['plugin::complaints.is-led-unit'],
      'minyi-unit-operator': ['plugin::complaints.is-own-unit'],
      'minyi-unit-head': ['plugin::complaints.is-own-unit'],
      'minyi-county-leader': [],
    });
    await app.strapi.plugin('complaints').service('roles').setup();
    await app.strapi.plugin('complaints').service('roles').setup();
    expect(await snapshot()).toEqual(before);
  });

  it('give the registration action (complaint.register) to the county office alone', async () => {
    expect(app.strapi.service('admin::permission').actionProvider.get('plugin::complaints.complaint.register')).toMatchObject({ section: 'plugins', pluginName: 'complaints' });
    const perms = await app.strapi.db.query('admin::permission').findMany({ where: { action: 'plugin::complaints.complaint.register' }, populate: ['role'] });
    expect(perms.map((p: any) => p.role.code).filter((c: string) => CODES.includes(c))).toEqual(['minyi-county-office']);
  });

  it('give the settings action (settings.read) to the county office and the county leader', async () => {
    const perms = await app.strapi.db.query('admin::permission').findMany({ where: { action: 'plugin::complaints.settings.read' }, populate: ['role'] });
    expect(perms.map((p: any) => p.role.code).filter((c: string) => CODES.includes(c)).sort()).toEqual(['minyi-county-leader', 'minyi-county-office']);
  });

  it('give the settings edit action (settings.manage) to the county office only', async () => {
    const perms = await app.strapi.db.query('admin::permission').findMany({ where: { action: 'plugin::complaints.settings.manage' }, populate: ['role'] });
    expect(perms.map((p: any) => p.role.code).filter((c: string) => CODES.includes(c))).toEqual(['minyi-county-office']);
  });

});

describe('Content Manager views', () => {
  it('list categories by code, name, tier, parent and lead unit; units by code, name, kind, lead, town', async () => {
    const cat = await admin.get('/content-manager/content-types/plugin::complaints.category/configuration');
    expect(cat.status).toBe(200);
    expect(cat.body.data.contentType.layouts.list).toEqual(['code', 'name', 'tier', 'parent', 'leadUnit']);
    expect(cat.body.data.contentType.settings.defaultSortBy).toBe('code');
    const unit = await admin.get('/content-manager/content-types/plugin::complaints.unit/configuration');
    expect(unit.body.data.contentType.layouts.list).toEqual(['code', 'name', 'kind', 'isLead', 'town']);
  });

  it('show the original ledger fields of a complaint read-only', async () => {
    const res = await admin.get('/content-manager/content-types/plugin::complaints.complaint/configuration');
    const metas = res.body.data.contentType.metadatas;
    for (const f of ['ledgerNo', 'receivedAt', 'channel', 'complainantName', 'phone', 'town', 'village', 'address', 'content', 'importBatch', 'rawRow']) {
      expect([f, metas[f].edit.editable]).toEqual([f, false]);
    }
    // positive control: a processing field the county office writes stays editable
    expect(metas.summary.edit.editable).toBe(true);
    expect(metas.ledgerNo.edit.label).toBe('诉求编号 Ledger No.');
  });
});

// Last: it reboots the app on the same database.
describe('bootstrap twice', () => {
  it('are identical after a second real boot on the same database', async () => {
    const location = app.location;
    await app.strapi.destroy();
    const rebooted = await setupStrapi({ reuse: location });
    const dropOriginal = app.cleanup;
    app = { ...rebooted, cleanup: dropOriginal, teardown: async () => { await rebooted.strapi.destroy(); await dropOriginal(); } };
    const roles = await app.strapi.db.query('admin::role').findMany({ orderBy: { id: 'asc' } });
    const perms = await app.strapi.db.query('admin::permission').findMany({ populate: ['role'], orderBy: { id: 'asc' } });
    expect({
      roles: roles.map((r: any) => [r.id, r.code, r.name, r.description]),
      perms: perms
        .filter((p: any) => ROLE_CODES.includes(p.role?.code))
        .map((p: any) => [p.id, p.action, p.subject, p.role.code, JSON.stringify(p.properties), JSON.stringify(p.conditions)]),
    }).toEqual(snapshotBeforeReboot);
  });
});
