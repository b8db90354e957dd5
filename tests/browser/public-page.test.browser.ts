/// <reference lib="dom" />
/**
 * The public page in Chromium, as a citizen uses it, on the database under test (TEST_DB):
 *
 * - the results page shows the numbers the public API answers;
 * - a demand submitted through /submit gets a ledger number and a tracking code, and tracking
 *   it on /track shows 已登记 (received);
 * - once the county office and the units have closed it through the admin routes, the survey
 *   link the citizen's SMS carries opens the survey page; the answer is recorded and the
 *   results page's satisfaction rate counts it;
 * - at 375 px wide no page scrolls sideways and every control is at least 44 × 44 px;
 * - axe finds no serious or critical violation on any page; the forms work by keyboard alone;
 * - the first load of `/` transfers at most 250 KB.
 *
 * Screenshots at 1280 px and 375 px go to tests/artifacts/ (not kept in git).
 */
import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
import { browserSuite, type BrowserApp } from '../helpers/browser-app';
import { pngFile } from '../helpers/files';
import type { TestApp } from '../helpers/strapi';
import { act, addDaysFromToday, type World } from '../helpers/world';

const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');

let app: TestApp;
let w: World;
let base: string;
let b: BrowserApp;
const describeIf = browserSuite((started) => {
  b = started;
  ({ app, w, base } = started);
});

const knex = () => app.strapi.db.connection;
const MOBILE = '13912345678';
const CONTENT = '城关镇东街社区路灯损坏两周无人修理，夜间出行很不方便';

const newPage = async (width: number, opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> => {
  // Each page is a new visitor: the per-IP read limit is not what this file tests.
  app.strapi.plugin('complaints').service('public-limits').reset();
  const context = await b.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width, height: width < 600 ? 812 : 900 }, ...opts });
  return context.newPage();
};
const api = async (p: string) => {
  app.strapi.plugin('complaints').service('public-limits').reset();
  const res = await fetch(`${base}${p}`);
  expect(res.status).toBe(200);
  return (await res.json()) as any;
};
const figure = (page: Page, key: string) => page.locator(`[data-figure="${key}"]`).innerText();
const percent = (r: { rate: number | null }) => (r.rate === null ? '—' : `${(r.rate * 100).toFixed(1)}%`);

/** What the results page shows, read off its figures. */
const shown = async (page: Page) => ({
  complaints: await figure(page, 'totals.complaints'),
  valid: await figure(page, 'totals.valid'),
  closed: await figure(page, 'totals.closed'),
  response: [await figure(page, 'rates.response'), await figure(page, 'rates.response.fraction')],
  resolution: [await figure(page, 'rates.resolution'), await figure(page, 'rates.resolution.fraction')],
  satisfaction: [await figure(page, 'rates.satisfaction'), await figure(page, 'rates.satisfaction.fraction')],
  groups: [await figure(page, 'byStateGroup.received'), await figure(page, 'byStateGroup.in_progress'), await figure(page, 'byStateGroup.closed'), await figure(page, 'byStateGroup.invalid')],
});
/** The same, from GET /api/minyi/summary. */
const fromApi = async () => {
  const t = (await api('/api/minyi/summary')).data.totals;
  const rate = (r: any) => [percent(r), `${r.numerator} / ${r.denominator}`];
  return {
    complaints: String(t.complaints),
    valid: String(t.valid),
    closed: String(t.closed),
    response: rate(t.rates.response),
    resolution: rate(t.rates.resolution),
    satisfaction: rate(t.rates.satisfaction),
    groups: ['received', 'in_progress', 'closed', 'invalid'].map((g) => String(t.byStateGroup[g])),
  };
};

/** Every page of the site a citizen can open, with its status, once `survey` has its tokens. */
const PAGES = (): Array<[string, number]> => [
  ['/', 200], ['/?lang=en', 200], ['/submit', 200], ['/submit?lang=en', 200], ['/track', 200], ['/track?lang=en', 200],
  ['/?category=x', 400], [`/survey/${survey.open}`, 200], [`/survey/${survey.token}`, 409],
];

let submitted: { ledgerNo: string; code: string };
/** The answered survey's token, and an open one's (its form). */
const survey = { token: '', open: '' };

/** Fills and sends the intake form with the mouse, as most citizens do. */
const submitDemand = async (page: Page) => {
  await page.goto(`${base}/submit`);
  await page.locator('#i-content').fill(CONTENT);
  await page.locator('#i-town').selectOption('城关镇');
  await page.locator('#i-village').fill('东街社区');
  await page.locator('#i-mobile').fill(MOBILE);
  await page.locator('#i-consent').check();
  await page.getByRole('button', { name: '提交' }).click();
  const ledgerNo = (await page.locator('[data-result="ledgerNo"]').innerText({ timeout: 30000 })).trim();
  const code = (await page.locator('[data-result="trackingCode"]').innerText()).trim();
  return { ledgerNo, code };
};

const track = async (page: Page, ledgerNo: string, code: string) => {
  await page.goto(`${base}/track`);
  await page.locator('#t-ledger').fill(ledgerNo);
  await page.locator('#t-code').fill(code);
  await page.getByRole('button', { name: '查询' }).click();
  const state = page.locator('#track-result [data-state]');
  await state.waitFor({ timeout: 30000 });
  return { state: await state.getAttribute('data-state'), label: (await state.innerText()).trim() };
};

/** The county office, the units and the three signers take the demand to closed (admin routes). */
const closeThroughAdmin = async (ledgerNo: string) => {
  const row = await knex()('complaints').where('ledger_no', ledgerNo).first('id', 'document_id');
  const doc = row.document_id as string;
  const ok = async (p: PromiseLike<{ status: number; body: any }>, status = 200) => {
    const res = await p;
    expect([res.status, res.body?.error]).toEqual([status, undefined]);
  };
  const { county, op1, lead1, head1, leader } = w.users;
  await ok(act(county, doc, 'classify', { categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id }));
  await ok(act(county, doc, 'assign'));
  await ok(act(op1, doc, 'accept', { nature: 'individual' }));
  await ok(act(op1, doc, 'submit_measure', { mode: 'immediate', text: '更换东街社区损坏路灯', responsiblePerson: '王站长', deadline: addDaysFromToday(7) }));
  await ok(act(lead1, doc, 'approve_measure'));
  await ok(op1.post(`/complaints/complaints/${doc}/evidence`).field('aspect', 'facility').field('text', '更换后路灯夜间照明').attach('files', pngFile(ledgerNo), { filename: 'after.png', contentType: 'image/png' }), 201);
  await ok(act(op1, doc, 'complete'));
  for (const s of [head1, lead1, leader]) await ok(act(s, doc, 'sign'));
  expect((await knex()('complaints').where('id', row.id).first('state')).state).toBe('closed');
  return Number(row.id);
};

const shoot = async (page: Page, name: string) => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
};

describeIf('the public page in Chromium', () => {
  it('the results page shows the numbers the API answers, on a county with demands in every state group', async () => {
    // Three demands registered by the county office: one left received, one in progress, one screened out.
    const received = await w.complaint({ town: '城关镇' });
    const inProgress = await w.complaint({ town: '东坝镇' });
    const invalid = await w.complaint({ town: '城关镇' });
    expect((await act(w.users.county, inProgress.documentId, 'classify', { categoryCode: '0201', level: 'township', responsibleUnitId: w.units.t2.id })).status).toBe(200);
    expect((await act(w.users.county, inProgress.documentId, 'assign')).status).toBe(200);
    expect((await act(w.users.county, invalid.documentId, 'screen_invalid', { reason: 'out_of_scope' })).status).toBe(200);
    void received;

    const page = await newPage(1280);
    await page.goto(base + '/');
    const onPage = await shown(page);
    // Counted by hand: three demands; one valid (screened and classified; the received one is not
    // screened yet); none closed; one in each state group but closed.
    expect([onPage.complaints, onPage.valid, onPage.closed, onPage.groups]).toEqual(['3', '1', '0', ['1', '1', '0', '1']]);
    expect(onPage).toEqual(await fromApi());
    await page.context().close();
  });

  it('a demand submitted on /submit gets a ledger number and a tracking code; /track shows it received', async () => {
    const page = await newPage(1280);
    submitted = await submitDemand(page);
    expect(submitted.ledgerNo).toMatch(new RegExp(`^WEB${new Date().getFullYear()}\\d{6}$`));
    expect(submitted.code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    await shoot(page, 'public-submit-1280.png');
    // The row is a web demand, received, with the citizen's own words.
    const row = await knex()('complaints').where('ledger_no', submitted.ledgerNo).first('state', 'channel', 'content', 'town', 'phone');
    expect(row).toEqual({ state: 'received', channel: 'web', content: CONTENT, town: '城关镇', phone: MOBILE });
    expect(await track(page, submitted.ledgerNo, submitted.code)).toEqual({ state: 'received', label: '已登记' });
    // A wrong code is not told apart from an unknown number.
    await page.locator('#t-code').fill('AAAA-BBBB-CCCC-DDDD');
    await page.getByRole('button', { name: '查询' }).click();
    await expect(page.locator('#track-result [role="alert"]').innerText()).resolves.toContain('未找到匹配的诉求');
    await page.context().close();
  });

  it('closed through the admin, the survey link of the SMS records the answer and the satisfaction rate counts it', async () => {
    const before = await fromApi();
    expect(before.satisfaction).toEqual(['—', '0 / 0']);
    const id = await closeThroughAdmin(submitted.ledgerNo);
    // The closed notice the citizen receives carries the survey link (the console provider keeps it).
    const sms = await knex()('sms_messages').where({ complaint_id: id, template: 'closed_survey' }).first('phone', 'body');
    expect(sms.phone).toBe(MOBILE);
    const token = /\/survey\/([A-Za-z0-9_-]+)/.exec(sms.body)?.[1];
    expect(token).toBeTruthy();
    survey.token = token as string;

    const phone = await newPage(375);
    await phone.goto(`${base}/survey/${survey.token}`);
    await expect(phone.locator('body').innerText()).resolves.toContain(submitted.ledgerNo);
    await phone.getByLabel(/基本满意/).check();
    await phone.getByRole('button', { name: /提交/ }).click();
    await expect(phone.locator('body').innerText()).resolves.toContain('感谢您的评价');
    const answered = await knex()('surveys').where('complaint_id', id).first('status', 'answer', 'answered_via');
    expect(answered).toEqual({ status: 'answered', answer: 'basically_satisfied', answered_via: 'link' });
    await phone.context().close();

    const page = await newPage(1280);
    await page.goto(base + '/');
    const onPage = await shown(page);
    // Four demands now, one closed and answered "basically satisfied": 1 of 1 satisfied.
    expect([onPage.complaints, onPage.closed, onPage.satisfaction]).toEqual(['4', '1', ['100.0%', '1 / 1']]);
    expect(onPage).toEqual(await fromApi());
    // The closed demand is listed with its public outcome, and nothing the citizen wrote.
    const item = page.locator(`li[data-ledger="${submitted.ledgerNo}"]`);
    await expect(item.innerText()).resolves.toContain('基本满意');
    const html = await page.content();
    for (const secret of [MOBILE, '东街社区路灯损坏两周', '王站长']) expect([secret, html.includes(secret)]).toEqual([secret, false]);
    await shoot(page, 'public-page-1280.png');
    await page.context().close();

    // Another closed demand's survey stays open: its form is one of the pages checked below.
    const other = await w.complaint({ phone: '13912340000' });
    await knex()('complaints').where('id', other.id).update({ state: 'closed', closed_at: new Date(), category_code: '0101' });
    const [opened] = await app.strapi.plugin('complaints').service('surveys').openFor([other.id]);
    expect(opened.way).toBe('link');
    survey.open = opened.token;
  });

  it('at 375 px no page scrolls sideways and every control is at least 44 × 44 px', async () => {
    const findings: string[] = [];
    for (const [p, status] of PAGES()) {
      const page = await newPage(375);
      const res = await page.goto(base + p);
      expect([p, res?.status()]).toEqual([p, status]);
      const { scroll, client, small } = await page.evaluate(() => {
        const targets = Array.from(document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')) as HTMLElement[];
        const tooSmall: string[] = [];
        for (const el of targets) {
          if (el.closest('[aria-hidden="true"]')) continue;
          if (el.classList.contains('skip')) continue; // shown only while focused
          // A checkbox or radio is tapped through its label.
          const input = el as HTMLInputElement;
          const box = (input.type === 'checkbox' || input.type === 'radio' ? (el.closest('label') ?? el) : el).getBoundingClientRect();
          if (box.width === 0 && box.height === 0) continue;
          if (box.width < 44 || box.height < 44) tooSmall.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? '').trim().slice(0, 20)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
        }
        return { scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, small: tooSmall };
      });
      if (scroll > client) findings.push(`${p}: scrolls sideways (${scroll} > ${client})`);
      for (const s of small) findings.push(`${p}: ${s}`);
      if (p === '/') await shoot(page, 'public-page-375.png');
      if (p === `/survey/${survey.open}`) await shoot(page, 'public-survey-375.png');
      await page.context().close();
    }
    expect(findings).toEqual([]);
  });

  it('axe reports no serious or critical violation on any page', async () => {
    const { default: AxeBuilder } = await import('@axe-core/playwright');
    const findings: string[] = [];
    let checked = 0;
    for (const [p] of PAGES()) {
      const page = await newPage(1280);
      await page.goto(base + p);
      const result = await new AxeBuilder({ page }).analyze();
      checked += result.passes.length;
      for (const v of result.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') findings.push(`${p}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      }
      await page.context().close();
    }
    expect(findings).toEqual([]);
    // axe ran its rules (a page it could not read would pass nothing).
    expect(checked).toBeGreaterThan(PAGES().length * 10);
  });

  it('the intake and tracking forms work by keyboard alone', async () => {
    const page = await newPage(1280);
    await page.goto(`${base}/submit`);
    // Tab from the top: the skip link first, then the header, then the form's controls in order.
    const order: string[] = [];
    for (let i = 0; i < 14; i += 1) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => {
        const a = document.activeElement as HTMLElement;
        return a.id || a.getAttribute('class') || a.tagName.toLowerCase();
      }));
    }
    const formOrder = order.filter((x) => x.startsWith('i-') || x === 'button' || x === 'website');
    expect(formOrder).toEqual(['i-content', 'i-town', 'i-village', 'i-name', 'i-mobile', 'i-consent', 'button']);
    expect(order[0]).toBe('skip');
    // Fill it by keyboard: focus the text, type, and move with Tab.
    await page.locator('#i-content').focus();
    await page.keyboard.type('东坝镇西村路口积水严重，雨天无法通行');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown'); // the first town
    await page.keyboard.press('Tab');
    await page.keyboard.type('西村');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // consent
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // the submit button
    const ledgerNo = (await page.locator('[data-result="ledgerNo"]').innerText({ timeout: 30000 })).trim();
    const code = (await page.locator('[data-result="trackingCode"]').innerText()).trim();
    const row = await knex()('complaints').where('ledger_no', ledgerNo).first('state', 'village', 'phone');
    expect(row).toEqual({ state: 'received', village: '西村', phone: null });

    await page.goto(`${base}/track`);
    await page.locator('#t-ledger').focus();
    await page.keyboard.type(ledgerNo);
    await page.keyboard.press('Tab');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter'); // submits the form from a field
    const state = page.locator('#track-result [data-state]');
    await state.waitFor({ timeout: 30000 });
    expect(await state.getAttribute('data-state')).toBe('received');
    await page.context().close();
  });

  it('the first load of / transfers at most 250 KB', async () => {
    const page = await newPage(1280);
    const responses: Array<Promise<number>> = [];
    page.on('response', (r) => {
      responses.push(r.request().sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
    });
    await page.goto(base + '/', { waitUntil: 'load' });
    const bytes = (await Promise.all(responses)).reduce((a, x) => a + x, 0);
    // The page itself and its stylesheet at least (a page that failed to load would weigh nothing).
    expect(responses.length).toBeGreaterThanOrEqual(2);
    expect(bytes).toBeGreaterThan(2000);
    expect(bytes).toBeLessThanOrEqual(250 * 1024);
    await page.context().close();
  });
});
