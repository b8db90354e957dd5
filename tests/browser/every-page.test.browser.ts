/**
 * A screenshot pass over every Minyi page for every role (and Super Admin), in 简体中文: the
 * admin home, My work and each of its queues, each plugin page, Settings → Minyi, and the Content
 * Manager's list and an edit view of every Minyi content type the role may read. Each page is
 * saved to tests/artifacts/every-page/<role>-<page>.png and its visible text (and the
 * placeholder/title/aria-label attributes) must hold no raw enum value or raw field name of the
 * Minyi schemas and none of a list of Strapi's English strings. A finding names its page and
 * its string; a positive control proves the scan can fail.
 */
import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
import { browserSuite, loginAs, type BrowserApp } from '../helpers/browser-app';
import { driveTo } from '../helpers/world';
import { importFile } from '../helpers/imports';
import { csvText, utf8 } from '../helpers/ledger-files';
import { ROLE_PERMISSIONS } from '../../plugins/complaints/server/src/permissions/role-permissions';
import { ROLE_CODES, type RoleKey } from '../../plugins/complaints/server/src/domain/roles';
import { UID } from '../../plugins/complaints/server/src/constants';
import { PAGE_PERMISSIONS } from '../../plugins/complaints/admin/src/permissions';

let b: BrowserApp;
const describeIf = browserSuite((started) => {
  b = started;
});

const ARTIFACTS = path.join(__dirname, '..', 'artifacts', 'every-page');
const SCHEMAS = path.join(__dirname, '..', '..', 'plugins', 'complaints', 'server', 'src', 'content-types');

interface Schema {
  info: { singularName: string };
  attributes: Record<string, { type: string; enum?: string[] }>;
}
const schemas: Schema[] = fs
  .readdirSync(SCHEMAS)
  .filter((d) => fs.existsSync(path.join(SCHEMAS, d, 'schema.json')))
  .map((d) => JSON.parse(fs.readFileSync(path.join(SCHEMAS, d, 'schema.json'), 'utf8')) as Schema);

/**
 * Raw values the scan may not find. Left out: values that are words a Chinese page shows as
 * themselves (none so far) — keep this list short and say why for each.
 */
const SHOWN_AS_IS = new Set<string>([]);
const RAW_ENUM_VALUES = [...new Set(schemas.flatMap((s) => Object.values(s.attributes).flatMap((a) => a.enum ?? [])))].filter((v) => !SHOWN_AS_IS.has(v));
/** Field names a label was not found for: only the camelCase ones can't be an ordinary word. */
const RAW_FIELD_NAMES = [...new Set(schemas.flatMap((s) => Object.keys(s.attributes)))].filter((n) => /[a-z][A-Z]/.test(n));
/** Strapi's own English, as the user met it and as this pass met it. */
const STRAPI_ENGLISH = [
  'Hello', 'Home', 'Content Manager', 'Search', 'Create new entry', 'entries found', 'Add Widget', 'Last edited entries',
  'Last published entries', 'Project statistics', 'Published', 'Draft', 'Modified', 'Add or create a relation', 'Media Library',
  'Settings', 'Filters', 'Profile', 'No content found', 'Entries', 'Save', 'Publish',
  'Clear', 'Choose here', 'Loading', 'Information', 'Created', 'Last update', 'By', 'Configure the view', 'Edit the model',
  'Back', 'Delete', 'Edit', 'Actions', 'Entry', 'Cancel', 'Unpublish', 'No entries', 'Rows per page', 'Go to page',
  'Collection types', 'Single types', 'Workflow', 'History', 'Corrections', 'Preview', 'Welcome', 'Deadline warnings', 'My work',
  'Marketplace', 'Last activity', 'Assets', 'Components', 'Locales', 'Admins', 'No edited entries', 'No published entries',
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whole word: neither side touches a letter, digit or underscore. */
const wordRe = (s: string) => new RegExp(`(?<![A-Za-z0-9_])${escape(s)}(?![A-Za-z0-9_])`);
const NEEDLES = [
  ...RAW_ENUM_VALUES.map((s) => ({ kind: 'enum value', s, re: wordRe(s) })),
  ...RAW_FIELD_NAMES.map((s) => ({ kind: 'field name', s, re: wordRe(s) })),
  // Any case: the admin writes some headings in capitals (CSS), and innerText gives them so.
  ...STRAPI_ENGLISH.map((s) => ({ kind: 'English', s, re: new RegExp(wordRe(s).source, 'i') })),
];

/**
 * What a user reads: the visible text, the values in the form's fields, and the attributes a
 * screen reader or a tooltip shows.
 */
const visibleText = (page: Page) =>
  page.evaluate(() => {
    const attrs: string[] = [];
    document.querySelectorAll('input:not([type="hidden"]), textarea').forEach((el) => {
      const v = (el as HTMLInputElement).value;
      if (!v || el.closest('.cm-editor')) return;
      // A json field's stored json is data (see below).
      if (/^\s*[{[]/.test(v)) {
        try {
          JSON.parse(v);
          return;
        } catch {
          // not json: scanned
        }
      }
      attrs.push(v);
    });
    document.querySelectorAll('[placeholder],[title],[aria-label],img[alt],option').forEach((el) => {
      if (el.closest('[aria-hidden="true"]')) return;
      for (const a of ['placeholder', 'title', 'aria-label', 'alt']) {
        const v = el.getAttribute(a);
        if (v) attrs.push(v);
      }
      if (el.tagName === 'OPTION') attrs.push(el.textContent ?? '');
    });
    // A json field's editor shows the stored json as it is (an import's report, an event's data):
    // data, not the admin's words. So are a template's {placeholders}.
    const editors = Array.from(document.querySelectorAll<HTMLElement>('.cm-editor'));
    // (CodeMirror's own style says `display: flex !important`.)
    editors.forEach((el) => el.style.setProperty('display', 'none', 'important'));
    const text = document.body.innerText;
    editors.forEach((el) => el.style.removeProperty('display'));
    return `${text}\n${attrs.join('\n')}`.replace(/\{[A-Za-z]+\}/g, '{}');
  });

/** The strings found on a page, each with the line it was found in. */
export const scan = (text: string): Array<{ kind: string; s: string; line: string }> => {
  const lines = text.split('\n');
  const out: Array<{ kind: string; s: string; line: string }> = [];
  for (const n of NEEDLES) {
    const line = lines.find((l) => n.re.test(l));
    if (line !== undefined) out.push({ kind: n.kind, s: n.s, line: line.trim().slice(0, 120) });
  }
  return out;
};

/**
 * Waits until a page's content (not just the admin's shell) is there: its own element, then no
 * loader left (Strapi's page loader is a busy main; a widget's or a table's a "loading" text),
 * twice in a row a moment apart.
 */
const settle = async (page: Page, ready: string) => {
  await page.locator(ready).first().waitFor({ timeout: 60000 });
  const idle = () =>
    page.waitForFunction(
      () =>
        !document.querySelector('[aria-busy="true"]') &&
        !/Loading content|加载中|正在加载/.test(document.body.innerText),
      undefined,
      { timeout: 30000, polling: 100 }
    );
  await idle();
  await page.waitForTimeout(300);
  await idle();
};

/**
 * Opens an admin page inside the running admin (the router follows a history change), as a
 * click on a link does: no reload of the whole admin per page.
 */
const open = async (page: Page, url: string) => {
  await page.evaluate((u) => {
    window.history.pushState({}, '', u);
    window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
  }, url);
  await page.waitForURL((u) => `${u.pathname}${u.search}` === url, { timeout: 10000 });
  // The router renders the new route on its next turn: until then the old page is still there.
  await page.waitForTimeout(200);
};

const MAIN = 'main h1';
const CM_LIST = (uid: string) => `/admin/content-manager/collection-types/${uid}`;

interface Visit {
  name: string;
  url: string;
  ready: string;
}

type Who = RoleKey | 'superAdmin';
const allowed = (who: Who, action: string) => who === 'superAdmin' || ROLE_PERMISSIONS[who].some((p) => p.action === action);
const readable = (who: Who): string[] =>
  who === 'superAdmin'
    ? Object.values(UID)
    : [...new Set(ROLE_PERMISSIONS[who].filter((p) => p.action === 'plugin::content-manager.explorer.read' && p.subject).map((p) => p.subject!))];

const PLUGIN_PAGES: Array<{ name: string; path: string; perm: keyof typeof PAGE_PERMISSIONS; ready: string }> = [
  { name: 'warnings', path: '/admin/plugins/complaints', perm: 'home', ready: MAIN },
  { name: 'import', path: '/admin/plugins/complaints/import', perm: 'import', ready: MAIN },
  { name: 'register', path: '/admin/plugins/complaints/register', perm: 'register', ready: MAIN },
  { name: 'sms', path: '/admin/plugins/complaints/sms', perm: 'sms', ready: MAIN },
  { name: 'return-visits', path: '/admin/plugins/complaints/return-visits', perm: 'returnVisits', ready: MAIN },
  { name: 'month-close', path: '/admin/plugins/complaints/month-close', perm: 'monthClose', ready: MAIN },
  { name: 'spot-checks', path: '/admin/plugins/complaints/spot-checks', perm: 'spotChecks', ready: MAIN },
  { name: 'dashboard', path: '/admin/plugins/complaints/dashboard', perm: 'dashboard', ready: MAIN },
  { name: 'settings', path: '/admin/settings/complaints', perm: 'settings', ready: MAIN },
];

const ROLES: Array<{ who: Who; code: string; unit: 't1' | 'l1' | null }> = [
  { who: 'countyOffice', code: ROLE_CODES.countyOffice, unit: null },
  { who: 'unitOperator', code: ROLE_CODES.unitOperator, unit: 't1' },
  { who: 'leadUnit', code: ROLE_CODES.leadUnit, unit: 'l1' },
  { who: 'unitHead', code: ROLE_CODES.unitHead, unit: 't1' },
  { who: 'countyLeader', code: ROLE_CODES.countyLeader, unit: null },
  { who: 'superAdmin', code: 'strapi-super-admin', unit: null },
];

/** A document the role may open: a complaint or group of its own unit, else the first one. */
const documentFor = async (uid: string, unitId: number | null, lead: boolean): Promise<string | null> => {
  const q = b.app.strapi.db.query(uid as any);
  let where: Record<string, unknown> = {};
  if (unitId && uid === UID.complaint) where = lead ? { leadUnitId: unitId } : { responsibleUnitId: unitId };
  if (unitId && uid === UID.problemGroup) where = { unitId };
  const row = (await q.findOne({ where, orderBy: { id: 'desc' } })) as { documentId?: string } | null;
  return row?.documentId ?? null;
};

const visitsFor = async (who: Who, unitId: number | null, queues: string[]): Promise<Visit[]> => {
  const visits: Visit[] = [{ name: 'home', url: '/admin', ready: '[data-testid="minyi-warnings"]' }];
  if (allowed(who, PAGE_PERMISSIONS.myWork[0].action)) {
    visits.push({ name: 'my-work', url: '/admin/plugins/complaints/my-work', ready: MAIN });
    for (const q of queues) visits.push({ name: `my-work-${q}`, url: `/admin/plugins/complaints/my-work?queue=${q}`, ready: MAIN });
  }
  for (const p of PLUGIN_PAGES) if (allowed(who, PAGE_PERMISSIONS[p.perm][0].action)) visits.push({ name: p.name, url: p.path, ready: p.ready });
  // Minyi's complaint page (My work's rows open it), for a complaint the role may see.
  if (allowed(who, PAGE_PERMISSIONS.home[0].action)) {
    const doc = await documentFor(UID.complaint, unitId, who === 'leadUnit');
    if (doc) visits.push({ name: 'complaint-page', url: `/admin/plugins/complaints/complaints/${doc}`, ready: '[data-testid="minyi-state"]' });
  }
  for (const uid of readable(who)) {
    const short = uid.split('.').pop()!;
    visits.push({ name: `cm-${short}-list`, url: CM_LIST(uid), ready: 'main table, main h1' });
    const doc = await documentFor(uid, unitId, who === 'leadUnit');
    if (doc) visits.push({ name: `cm-${short}-edit`, url: `${CM_LIST(uid)}/${doc}`, ready: 'main form, main h1' });
  }
  return visits;
};

describeIf('every Minyi page for every role, in Chinese', () => {
  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const { w } = b;
    // Complaints in the workflow's states, both units, so lists, queues and panels have content.
    for (const step of ['received', 'classified', 'assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'] as const) await driveTo(w, step);
    await driveTo(w, 'rectifying', { unit: 't2' });
    await b.app.strapi.plugin('complaints').service('jobs').run('warnings', { now: new Date(), slot: `every-page-${Date.now()}` });
    // An import batch (done), as the county office uploads one.
    const ledger = csvText([
      ['诉求编号', '反映时间', '来源', '反映人', '联系电话', '乡镇', '村(社区)', '详细地址', '诉求内容'],
      ['IMP-1', '2024-06-02 09:15', '热线', '司马光', '13912345678', '城关镇', '新华社区', null, '新华社区电梯频繁故障困人'],
    ]);
    const batch = await importFile(w.users.county, utf8(ledger, true), 'ledger.csv');
    if (batch.status !== 'done') throw new Error(`import ${batch.status}`);
  }, 240000);

  it('the scan reports a raw value and Strapi English (positive control)', async () => {
    const page = await loginAs(b, ROLE_CODES.countyOffice, null);
    await page.goto(`${b.base}/admin/plugins/complaints`);
    await settle(page, MAIN);
    await page.evaluate(() => {
      const div = document.createElement('div');
      div.textContent = '状态：rectifying · Create new entry';
      document.body.appendChild(div);
      const input = document.createElement('input');
      input.placeholder = 'Search';
      document.body.appendChild(input);
    });
    const found = scan(await visibleText(page)).map((f) => f.s);
    expect(found).toEqual(expect.arrayContaining(['rectifying', 'Create new entry', 'Search']));
    // A word inside another is not a finding: "closedAt" is not "closed".
    expect(scan('closedAtX rectifyingly').map((f) => f.s)).toEqual([]);
    await page.context().close();
  }, 120000);

  it('en: the Content Manager of the Minyi types shows labels there too, no snake_case code or camelCase field name', async () => {
    const page = await loginAs(b, ROLE_CODES.countyOffice, null);
    await page.evaluate(() => window.localStorage.setItem('strapi-admin-language', 'en'));
    await page.goto(`${b.base}/admin`);
    await settle(page, '[data-testid="minyi-warnings"]');
    const findings: string[] = [];
    const english = new Set(STRAPI_ENGLISH);
    const visits = (await visitsFor('countyOffice', null, [])).filter((v) => v.name.startsWith('cm-'));
    for (const v of visits) {
      await open(page, v.url);
      await settle(page, v.ready);
      await page.screenshot({ path: path.join(ARTIFACTS, `en-countyOffice-${v.name}.png`), fullPage: true });
      // In English a single-word code ("returned", "deadline") is also a word of the labels: only the
      // codes no English sentence holds (snake_case values, camelCase field names) are looked for.
      for (const f of scan(await visibleText(page))) {
        if (f.kind === 'English' || english.has(f.s) || !(f.kind === 'field name' || f.s.includes('_'))) continue;
        findings.push(`en/${v.name}: ${f.kind} "${f.s}" in «${f.line}»`);
      }
    }
    // The English labels are there, not the Chinese ones.
    await open(page, `${CM_LIST(UID.complaint)}/${(await documentFor(UID.complaint, null, false))!}`);
    await settle(page, 'main form');
    expect(await page.locator('main').innerText()).toContain('Channel');
    await page.context().close();
    expect(findings).toEqual([]);
  }, 300000);

  for (const role of ROLES) {
    it(`${role.who}: no raw value and no Strapi English on any page`, async () => {
      const unitId = role.unit ? b.w.units[role.unit].id : null;
      const page = await loginAs(b, role.code, unitId);
      const findings: string[] = [];
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message.split('\n')[0]));
      let queues: string[] = [];
      if (allowed(role.who, PAGE_PERMISSIONS.myWork[0].action)) {
        await page.goto(`${b.base}/admin/plugins/complaints/my-work`);
        await settle(page, MAIN);
        queues = await page.locator('[data-testid^="mywork-queue-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.replace('mywork-queue-', '')));
      }
      const visits = await visitsFor(role.who, unitId, queues);
      for (const v of visits) {
        errors.length = 0;
        await open(page, v.url);
        try {
          await settle(page, v.ready);
        } catch (e) {
          findings.push(`${role.who}/${v.name}: did not load (${(e as Error).message.split('\n')[0]}; page errors: ${errors.join(' | ') || 'none'})`);
          await page.screenshot({ path: path.join(ARTIFACTS, `${role.who}-${v.name}-not-loaded.png`), fullPage: true });
          continue;
        }
        await page.screenshot({ path: path.join(ARTIFACTS, `${role.who}-${v.name}.png`), fullPage: true });
        for (const f of scan(await visibleText(page))) findings.push(`${role.who}/${v.name}: ${f.kind} "${f.s}" in «${f.line}»`);
        // A Minyi role's home holds Minyi's widgets only (Strapi's own are translated, so the scan would not see them).
        if (v.name === 'home' && role.who !== 'superAdmin') {
          const ids = await page.locator('[data-strapi-widget-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-strapi-widget-id') ?? ''));
          const foreign = ids.filter((id) => !id.startsWith('plugin::complaints.'));
          if (foreign.length > 0 || ids.length === 0) findings.push(`${role.who}/home: widgets ${ids.join(', ') || 'none'}`);
        }
      }
      // eslint-disable-next-line no-console -- the pass's coverage, for the report
      console.log(`${role.who}: ${visits.length} pages`);
      await page.context().close();
      expect(findings).toEqual([]);
    }, 600000);
  }
});
