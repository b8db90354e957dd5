/**
 * Demo data: the taxonomy, units, complaints in every state and one account per role.
 * In tests it is seeded by calling the service (boot only seeds in development). Each test sets
 * up what it needs: the empty-database cases boot their own app; the others share one seed,
 * made by whichever of them runs first.
 */
import supertest from 'supertest';
import { login } from '../helpers/admin';
import { csrfOf } from '../helpers/public-routes';
import { setupStrapi, type TestApp } from '../helpers/strapi';
import { uncoveredMinorCategories } from '../../plugins/complaints/server/src/domain/routing';
import { similarity } from '../../plugins/complaints/server/src/domain/screening';

type Account = { email: string; password: string; role: string };

describe('demo data on an empty database', () => {
  let app: TestApp;
  const atBoot = { complaints: -1, units: -1 };
  const q = (uid: string) => app.strapi.db.query(`plugin::complaints.${uid}` as any);

  beforeAll(async () => {
    app = await setupStrapi({ fresh: true });
    atBoot.complaints = await q('complaint').count({});
    atBoot.units = await q('unit').count({});
  });
  afterAll(async () => {
    await app?.teardown();
  });

  it('is not created when the app boots in test', async () => {
    expect(atBoot.complaints).toBe(0);
    expect(atBoot.units).toBe(0);
  });

  it('leaves the database empty when the seed fails half-way, so the next start seeds again', async () => {
    const roles = await app.strapi.plugin('complaints').service('roles').setup();
    const auth = app.strapi.service('admin::auth') as any;
    const hashPassword = auth.hashPassword;
    let hashed = 0;
    // The sixth and last account is created after every complaint, event and sign-off is written.
    auth.hashPassword = async (password: string) => {
      hashed += 1;
      if (hashed === 6) throw new Error('forced failure of the last demo account');
      return hashPassword.call(auth, password);
    };
    try {
      await expect(app.strapi.plugin('complaints').service('demo').seedIfEmpty(roles, { print: false })).rejects.toThrow('forced failure');
    } finally {
      auth.hashPassword = hashPassword;
    }
    expect(hashed).toBe(6);
    const uids = Object.keys(app.strapi.contentTypes).filter((u) => u.startsWith('plugin::complaints.'));
    expect(uids.length).toBeGreaterThan(10);
    for (const uid of uids) expect([uid, await app.strapi.db.query(uid as any).count({})]).toEqual([uid, 0]);
    expect(await app.strapi.db.query('admin::user').count({ where: { email: { $endsWith: '@minyi.demo' } } })).toBe(0);
  });
});

describe('demo data', () => {
  let app: TestApp;
  const q = (uid: string) => app.strapi.db.query(`plugin::complaints.${uid}` as any);

  beforeAll(async () => {
    app = await setupStrapi({ fresh: true });
  });
  afterAll(async () => {
    await app?.teardown();
  });

  /** The seed on this app's empty database, made once, with what it printed and the accounts it made. */
  let seed: Promise<{ created: boolean; printed: string; accounts: Account[] }> | undefined;
  const seeded = () => {
    seed ??= (async () => {
      const roles = await app.strapi.plugin('complaints').service('roles').setup();
      let printed = '';
      let accounts: Account[] = [];
      const spy = jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed += args.join(' ');
      });
      const demo = app.strapi.plugin('complaints').service('demo');
      const originalSeed = demo.seed.bind(demo);
      demo.seed = async (...args: unknown[]) => {
        accounts = await originalSeed(...args);
        return accounts;
      };
      try {
        // The size `npm run develop` seeds: its widest rows decide the batch size on PostgreSQL.
        const created = (await demo.seedIfEmpty(roles)) as boolean;
        return { created, printed, accounts };
      } finally {
        demo.seed = originalSeed;
        spy.mockRestore();
      }
    })();
    return seed;
  };

  it('is created on an empty database, with the accounts printed once', async () => {
    const { created, printed, accounts } = await seeded();
    expect(created).toBe(true);
    for (const a of accounts) {
      expect(printed).toContain(a.email);
      expect(printed).toContain(a.password);
    }
  });

  it('does nothing on a database that is not empty', async () => {
    await seeded();
    const roles = await app.strapi.plugin('complaints').service('roles').setup();
    expect(await app.strapi.plugin('complaints').service('demo').seedIfEmpty(roles, { complaints: 10, print: false })).toBe(false);
    expect(await q('complaint').count({})).toBe(3000);
  });

  it('has 26 major and 154 minor coded categories, each minor under its major', async () => {
    await seeded();
    expect(await q('category').count({ where: { tier: 'major' } })).toBe(26);
    expect(await q('category').count({ where: { tier: 'minor' } })).toBe(154);
    const minors = await q('category').findMany({ where: { tier: 'minor' }, populate: ['parent', 'leadUnit'] });
    for (const m of minors) {
      expect(m.code).toMatch(/^\d{4}$/);
      expect(m.code.slice(0, 2)).toBe(m.parent.code);
      expect(m.leadUnit).toBeTruthy();
      expect(m.leadUnitId).toBe(m.leadUnit.id);
    }
  });

  it('has a routing table sending township matters to the town\'s government, and every other minor category to its lead unit', async () => {
    await seeded();
    // 7 majors (01 02 04 05 13 17 20) have 6+6+6+6+6+6+6 = 42 minors; × 20 towns = 840 rules;
    // the other 154 − 42 = 112 minors have one rule each for every town: 952.
    expect(await q('routing-rule').count({})).toBe(952);
    const rule = await q('routing-rule').findOne({ where: { categoryCode: '0101', town: '东坝镇' }, populate: ['unit'] });
    expect(rule.unit.name).toBe('东坝镇人民政府');
    const jobs = await q('routing-rule').findMany({ where: { categoryCode: '0901' }, populate: ['unit'] });
    expect(jobs.map((r: any) => [r.town, r.unit.name])).toEqual([[null, '县人力资源和社会保障局']]);
  });

  it('leaves no minor category uncovered by the routing table (positive control: without 0901\'s rule, 0901 is uncovered in all 20 towns)', async () => {
    await seeded();
    const knex = app.strapi.db.connection;
    const categories = (await knex('complaint_categories').select('code', 'tier')) as Array<{ code: string; tier: string }>;
    const rules = (await knex('routing_rules').select('category_code as categoryCode', 'town')) as Array<{ categoryCode: string; town: string | null }>;
    const towns = ((await knex('complaint_units').where('kind', 'township').orderBy('code').select('town')) as Array<{ town: string }>).map((u) => u.town);
    expect(towns.length).toBe(20);
    expect(uncoveredMinorCategories(categories, rules, towns)).toEqual([]);
    const without = uncoveredMinorCategories(categories, rules.filter((r) => r.categoryCode !== '0901'), towns);
    expect([without.map((u) => u.code), without[0]?.towns.length]).toEqual([['0901'], 20]);
  });

  it('classifies a 09xx complaint by the routing table to its lead unit; with that rule gone the same call is refused', async () => {
    const { accounts } = await seeded();
    const knex = app.strapi.db.connection;
    const county = accounts.find((a) => a.email === 'county-office@minyi.demo')!;
    const session = await login(app.strapi, county.email, county.password);
    const [a, b] = (await knex('complaints').where('state', 'received').whereNull('suggestion').orderBy('id').limit(2).select('id', 'document_id')) as Array<{ id: number; document_id: string }>;
    const classify = (documentId: string) => session.post(`/complaints/complaints/${documentId}/transitions`).send({ action: 'classify', categoryCode: '0901', level: 'county' });
    const ok = await classify(a.document_id);
    expect([ok.status, ok.body.error]).toEqual([200, undefined]);
    const unit = await knex('complaints as c').join('complaint_units as u', 'u.id', 'c.responsible_unit_id').where('c.id', a.id).first('c.state', 'u.name');
    expect(unit).toEqual({ state: 'classified', name: '县人力资源和社会保障局' });
    // The rule moved to an unused code for the refusal, and back.
    await knex('routing_rules').where('category_code', '0901').update({ category_code: '0999' });
    try {
      const refused = await classify(b.document_id);
      expect([refused.status, refused.body.error.details.field]).toEqual([400, 'responsibleUnitId']);
      expect((await knex('complaints').where('id', b.id).first('state')).state).toBe('received');
    } finally {
      await knex('routing_rules').where('category_code', '0999').update({ category_code: '0901' });
    }
  });

  it('suggests from the screening rules: each suggested demand fails one, and clear content with a phone is never suggested invalid', async () => {
    await seeded();
    const knex = app.strapi.db.connection;
    const rows = (await knex('complaints')
      .where('state', 'received')
      .select('ledger_no', 'content', 'phone', 'traceable', 'town', 'village', 'address', 'suggestion', 'suggestion_ref', 'received_at')) as any[];
    const letters = (t: string) => [...t.normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, '')].length;
    const noContact = (r: any) => !r.traceable && !r.phone && !r.town && !r.village && !r.address;
    const kinds = (k: string) => rows.filter((r) => r.suggestion === k);
    expect([kinds('likely_invalid').length > 0, kinds('likely_duplicate').length > 0]).toEqual([true, true]);
    // Each likely invalid one is under 5 letters or has neither a phone nor a place.
    expect(kinds('likely_invalid').filter((r) => !(letters(r.content) < 5 || noContact(r))).map((r) => r.ledger_no)).toEqual([]);
    expect(kinds('likely_invalid').some((r) => letters(r.content) < 5) && kinds('likely_invalid').some(noContact)).toBe(true);
    // Each likely duplicate points to a recorded demand of the same phone, or of the same village within 3 days, with near-identical content.
    for (const r of kinds('likely_duplicate')) {
      const o = await knex('complaints').where('ledger_no', r.suggestion_ref).first('phone', 'town', 'village', 'content', 'received_at');
      const samePhone = Boolean(r.phone) && o?.phone === r.phone;
      const sameVillage = o?.village === r.village && o?.town === r.town && Math.abs(new Date(o.received_at).getTime() - new Date(r.received_at).getTime()) <= 3 * 86_400_000;
      expect([r.ledger_no, samePhone || sameVillage, similarity(r.content, o.content) >= 0.85]).toEqual([r.ledger_no, true, true]);
    }
    expect(kinds('likely_duplicate').some((r) => r.content.endsWith('再次反映。'))).toBe(true);
    // A demand with a phone and clear content is never suggested invalid (there are such demands: a positive control).
    const clear = rows.filter((r) => Boolean(r.traceable) && letters(r.content) >= 5);
    expect(clear.length).toBeGreaterThan(100);
    expect(clear.filter((r) => r.suggestion === 'likely_invalid').map((r) => r.ledger_no)).toEqual([]);
    // And every demand that fails a rule carries its suggestion.
    expect(rows.filter((r) => (letters(r.content) < 5 || noContact(r)) && r.suggestion !== 'likely_invalid').map((r) => r.ledger_no)).toEqual([]);
    // Demands already screened carry none.
    expect(Number((await knex('complaints').whereNot('state', 'received').whereNotNull('suggestion').count({ n: '*' }))[0].n)).toBe(0);
  });

  it('has 121 responsible units, 34 of them lead units', async () => {
    await seeded();
    expect(await q('unit').count({ where: { isResponsible: true } })).toBe(121);
    expect(await q('unit').count({ where: { isLead: true } })).toBe(34);
    expect(await q('unit').count({ where: { kind: 'township' } })).toBe(20);
  });

  it('spreads complaints across every state, with demo-only phone numbers', async () => {
    await seeded();
    const states = ['received', 'invalid', 'classified', 'assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'];
    for (const s of states) expect([s, (await q('complaint').count({ where: { state: s } })) > 0]).toEqual([s, true]);
    const all = await q('complaint').findMany({ select: ['phone', 'content', 'state', 'responsibleUnitId', 'categoryCode', 'suggestion'] });
    for (const c of all) {
      if (c.phone !== null) expect(c.phone).toMatch(/^1990000\d{4}$/);
      // Only a demand suggested invalid is as short as 同上 or 见附件.
      if (c.suggestion !== 'likely_invalid') expect(c.content.length).toBeGreaterThan(8);
      if (!['received', 'invalid'].includes(c.state)) {
        expect(c.responsibleUnitId).toBeTruthy();
        expect(c.categoryCode).toMatch(/^\d{4}$/);
      }
    }
  });

  it('writes the scalar copies equal to the relations', async () => {
    await seeded();
    const rows = await q('complaint').findMany({ where: { state: 'rectifying' }, populate: ['category', 'responsibleUnit', 'leadUnit'], limit: 50 });
    expect(rows.length).toBe(50);
    for (const r of rows) {
      expect(r.responsibleUnitId).toBe(r.responsibleUnit.id);
      expect(r.leadUnitId).toBe(r.leadUnit.id);
      expect(r.categoryCode).toBe(r.category.code);
    }
  });

  it('creates one account per role, each able to log in with its printed password', async () => {
    const { accounts } = await seeded();
    const roleNames = accounts.map((a) => a.role);
    expect(roleNames).toEqual(expect.arrayContaining(['县整治办 County office', '牵头单位 Lead unit reviewer', '责任单位操作员 Unit operator', '责任单位负责人 Unit head', '责任县领导 County leader']));
    const passwords = new Set(accounts.map((a) => a.password));
    expect(passwords.size).toBe(accounts.length);
    const county = accounts.find((a) => a.email === 'county-office@minyi.demo')!;
    const session = await login(app.strapi, county.email, county.password);
    const res = await session.get('/content-manager/collection-types/plugin::complaints.category?page=1&pageSize=10');
    expect(res.status).toBe(200);
    expect(res.body.pagination.total).toBe(180);
    const units = await session.get('/content-manager/collection-types/plugin::complaints.unit?page=1&pageSize=10');
    expect(units.body.pagination.total).toBe(121);
    const complaints = await session.get('/content-manager/collection-types/plugin::complaints.complaint?page=1&pageSize=10');
    expect(complaints.body.pagination.total).toBe(3000);
  });
  it('gives every closed traceable complaint its survey: answered by link and by phone, expired, open', async () => {
    await seeded();
    const knex = app.strapi.db.connection;
    const closedTraceable = await q('complaint').count({ where: { state: 'closed', traceable: true } });
    expect(closedTraceable).toBeGreaterThan(0);
    const surveys = (await knex('surveys as s').join('complaints as c', 'c.id', 's.complaint_id').select('s.status', 's.answered_via', 's.way', 's.round', 's.phone', 'c.phone as complaint_phone', 'c.state', 'c.traceable')) as any[];
    // One survey per closed traceable complaint, to its phone, and none elsewhere.
    expect(surveys.length).toBe(closedTraceable);
    for (const s of surveys) expect([s.state, s.round, s.way, s.phone]).toEqual(['closed', 1, 'link', s.complaint_phone]);
    const count = (status: string, via?: string) => surveys.filter((s) => s.status === status && (via === undefined || s.answered_via === via)).length;
    for (const [status, via] of [['answered', 'link'], ['answered', 'phone_visit'], ['no_response', undefined], ['open', undefined]] as const) {
      expect([status, via, count(status, via) > 0]).toEqual([status, via, true]);
    }
    // Each link survey's closed notice is in the outbox (console provider), once.
    const notices = (await knex('sms_messages').where({ template: 'closed_survey', direction: 'outbound' }).select('status', 'body', 'provider')) as any[];
    expect(notices.length).toBe(closedTraceable);
    expect(new Set(notices.map((m) => m.provider))).toEqual(new Set(['console']));
    const queued = notices.filter((m) => m.status === 'queued');
    expect(queued.length).toBe(1);
    expect(queued[0].body).toMatch(/^【民意服务站】您反映的诉求（编号MY2026-\d{5}）已办结，请对办理结果进行评价：http:\/\/\S+\/survey\/[A-Za-z0-9_-]{32}$/);
  });

  it('leaves a reopen request pending for the demo lead unit, with the answer and the comment on its panel', async () => {
    const { accounts } = await seeded();
    const knex = app.strapi.db.connection;
    const d001 = await q('unit').findOne({ where: { code: 'D001' } });
    const pending = (await knex('surveys as s').join('complaints as c', 'c.id', 's.complaint_id').where('s.reopen_request', 'pending').select('c.document_id', 'c.lead_unit_id', 's.answer', 's.comment')) as any[];
    expect(pending.length).toBeGreaterThan(0);
    for (const p of pending) expect([Number(p.lead_unit_id), p.answer]).toEqual([d001.id, 'dissatisfied']);
    // The other lead units decided theirs (rejected, with the event), so every dissatisfied answer has its request.
    const dissatisfied = Number((await knex('surveys').where('answer', 'dissatisfied').count({ n: '*' }))[0].n);
    const requests = Number((await knex('surveys').whereIn('reopen_request', ['pending', 'rejected']).count({ n: '*' }))[0].n);
    expect(requests).toBe(dissatisfied);
    const rejected = Number((await knex('surveys').where('reopen_request', 'rejected').count({ n: '*' }))[0].n);
    expect(Number((await knex('complaint_events').where('type', 'reject_reopen').count({ n: '*' }))[0].n)).toBe(rejected);

    const lead = accounts.find((a) => a.email === 'lead-unit@minyi.demo')!;
    const session = await login(app.strapi, lead.email, lead.password);
    const view = await session.get(`/complaints/complaints/${pending[0].document_id}/workflow`);
    expect(view.status).toBe(200);
    expect(view.body.data.reopenRequest).toMatchObject({ state: 'pending', round: 1, answer: 'dissatisfied', comment: pending[0].comment });
    expect(view.body.data.available).toEqual(['reopen', 'confirm_reopen', 'reject_reopen']);
  });

  it('the queued notice\'s link answers its survey, and the answer shows on the history panel; every chain verifies', async () => {
    const { accounts } = await seeded();
    const knex = app.strapi.db.connection;
    const notice = await knex('sms_messages').where({ template: 'closed_survey', status: 'queued' }).first('body', 'complaint_id');
    const token = /\/survey\/([A-Za-z0-9_-]+)$/.exec(notice.body)![1];
    const demo = app.strapi.plugin('complaints').service('demo');
    expect(demo.demoSurveyLinks()[0].url.endsWith(`/survey/${token}`)).toBe(true);
    const browser = supertest.agent(app.strapi.server.httpServer);
    const page = await browser.get(`/survey/${token}`);
    expect(page.status).toBe(200);
    const res = await browser.post(`/survey/${token}`).type('form').send({ csrf: csrfOf(page.text), answer: 'basically_satisfied', comment: '基本解决' });
    expect(res.status).toBe(200);

    const county = accounts.find((a) => a.email === 'county-office@minyi.demo')!;
    const session = await login(app.strapi, county.email, county.password);
    const complaint = await knex('complaints').where('id', notice.complaint_id).first('document_id');
    const history = await session.get(`/complaints/complaints/${complaint.document_id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.data.verdict.ok).toBe(true);
    const last = history.body.data.events[history.body.data.events.length - 1];
    expect([last.type, last.actorKind, last.data.answer, last.data.via]).toEqual(['survey_answered', 'citizen', 'basically_satisfied', 'link']);
    const verify = await session.get('/complaints/ledger/verify');
    expect([verify.status, verify.body.data.ok, verify.body.data.broken]).toEqual([200, true, []]);
  });
});
