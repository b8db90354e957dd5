/**
 * The statistics dashboard in Chromium. A small county: 东坝镇 (t2) has two red, one yellow and one
 * just-assigned complaint; 城关镇 (t1) one red, one without warning, one closed and one not yet
 * screened. The county office sees headline numbers equal to the statistics API's answers, with
 * and without a filter chosen in the bar; a unit's red count opens the Content Manager list with
 * exactly that many rows; a unit operator sees its own unit's figures only, and the county's
 * warning totals.
 */
import type { Page } from 'playwright-core';
import type { AdminSession } from '../helpers/admin';
import { browserSuite, loginAs as loginAsIn, type BrowserApp } from '../helpers/browser-app';
import type { TestApp } from '../helpers/strapi';
import { act, addDaysFromToday, type World } from '../helpers/world';

const TIME_ZONE = 'Asia/Shanghai';

let app: TestApp;
let w: World;
let base: string;
let b: BrowserApp;
const describeIf = browserSuite((started) => {
  b = started;
  ({ app, w, base } = started);
});

const loginAs = (roleCode: string, unitId: number | null): Promise<Page> => loginAsIn(b, roleCode, unitId, { timezoneId: TIME_ZONE });

const TOWN = { t1: '城关镇', t2: '东坝镇' } as const;

/** A complaint of unit t1 or t2 taken through the workflow as far as `until`. */
const drive = async (unit: 't1' | 't2', until: 'assigned' | 'rectifying', deadline = addDaysFromToday(30)) => {
  const c = await w.complaint({ town: TOWN[unit] });
  const [op, lead, cat] = unit === 't1' ? [w.users.op1, w.users.lead1, '0101'] : [w.users.op2, w.users.lead2, '0201'];
  const steps: Array<[AdminSession, string, Record<string, unknown>]> = [
    [w.users.county, 'classify', { categoryCode: cat, level: 'township', responsibleUnitId: w.units[unit].id }],
    [w.users.county, 'assign', {}],
  ];
  if (until === 'rectifying') {
    steps.push(
      [op, 'accept', { nature: 'individual' }],
      [op, 'submit_measure', { mode: 'deadline', deadline, text: '更换楼道全部照明灯具并建立巡查机制', responsiblePerson: '张科长' }],
      [lead, 'approve_measure', { comment: '同意' }]
    );
  }
  for (const [who, action, inputs] of steps) {
    const res = await act(who, c.documentId, action, inputs);
    expect([action, res.status, res.body.error?.message]).toEqual([action, 200, undefined]);
  }
  return c;
};

/** Time passes: the measure deadline now lies `days` days in the past. */
const overdueBy = async (id: number, days: number) => {
  await app.strapi.db.connection('complaints').where('id', id).update({ deadline: addDaysFromToday(-days) });
};

/** The page's figure once its answer is in (the box is no longer busy). */
const figure = async (page: Page, testId: string): Promise<string> => {
  const box = page.locator(`[data-testid="${testId}-box"][aria-busy="false"]`);
  await box.waitFor({ timeout: 60000 });
  return (await box.getByTestId(testId).innerText()).trim();
};

const headline = async (page: Page) => ({
  total: await figure(page, 'dashboard-total'),
  valid: await figure(page, 'dashboard-valid'),
  inProgress: await figure(page, 'dashboard-in-progress'),
  closed: await figure(page, 'dashboard-closed'),
  warnings: await figure(page, 'dashboard-warnings'),
});

/** The same five numbers from the API, for the same filters and the same user. */
const apiHeadline = async (s: AdminSession, filters: Record<string, string>) => {
  const q = new URLSearchParams(filters).toString();
  const byState = await s.get(`/complaints/stats/counts?by=state${q ? `&${q}` : ''}`);
  expect(byState.status).toBe(200);
  const n = (states: string[]) => byState.body.data.filter((r: any) => states.includes(r.state)).reduce((t: number, r: any) => t + r.count, 0);
  const warn = await s.get(`/complaints/stats/counts?by=warningLevel&state=assigned,rectifying&warningLevel=yellow,orange,red${q ? `&${q}` : ''}`);
  expect(warn.status).toBe(200);
  return {
    total: String(byState.body.meta.total),
    valid: String(n(['classified', 'assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'])),
    inProgress: String(n(['assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing'])),
    closed: String(n(['closed'])),
    warnings: String(warn.body.meta.total),
  };
};

const texts = (page: Page, selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => String((e as { innerText?: string }).innerText ?? '').trim()));

const openDashboard = async (page: Page) => {
  await page.goto(`${base}/admin/plugins/complaints/dashboard`);
  await page.getByRole('heading', { name: '统计 Dashboard' }).waitFor({ timeout: 60000 });
};

let red2: Array<{ ledgerNo: string }>;
let red1: { ledgerNo: string };

describeIf('statistics dashboard', () => {
  beforeAll(async () => {
    // 东坝镇 (t2): yellow (15 days left), two red (overdue by 3 and 4 days), one just assigned.
    await drive('t2', 'rectifying', addDaysFromToday(15));
    const a = await drive('t2', 'rectifying');
    const c = await drive('t2', 'rectifying');
    await overdueBy(a.id, 3);
    await overdueBy(c.id, 4);
    red2 = [a, c];
    await drive('t2', 'assigned');
    // 城关镇 (t1): one red (overdue by 2 days), one far from its deadline, one closed, one not screened.
    const r = await drive('t1', 'rectifying');
    await overdueBy(r.id, 2);
    red1 = r;
    await drive('t1', 'rectifying', addDaysFromToday(40));
    const closed = await drive('t1', 'rectifying', addDaysFromToday(40));
    // Its sign-off is the workflow tests' subject; here only the figures matter.
    await app.strapi.db.connection('complaints').where('id', closed.id).update({ state: 'closed', closed_at: new Date(), completed_at: new Date(), warning_level: 'none' });
    await w.complaint({ town: TOWN.t1 });
    const now = new Date();
    const run = await app.strapi.plugin('complaints').service('jobs').run('warnings', { now, slot: `dashboard-${now.getTime()}` });
    expect(run.ran).toBe(true);
  });

  it('shows the county office the API\'s figures, with and without a filter chosen in the bar', async () => {
    const page = await loginAs('minyi-county-office', null);
    await openDashboard(page);

    const all = await headline(page);
    expect(all).toEqual({ total: '8', valid: '7', inProgress: '6', closed: '1', warnings: '4' });
    expect(all).toEqual(await apiHeadline(w.users.county, {}));

    // The three rates with their numerators and denominators (no survey answered yet).
    await page.locator('[data-testid="dashboard-trend"][aria-busy="false"]').waitFor({ timeout: 60000 });
    expect(await page.getByTestId('dashboard-rate-response-value').innerText()).toBe('100.0%');
    expect(await page.getByTestId('dashboard-rate-response-fraction').innerText()).toBe('按时受理 6 / 已交办 6');
    expect(await page.getByTestId('dashboard-rate-resolution-value').innerText()).toBe('14.3%');
    expect(await page.getByTestId('dashboard-rate-resolution-fraction').innerText()).toBe('已解决 1 / 有效 7');
    expect(await page.getByTestId('dashboard-rate-satisfaction-value').innerText()).toBe('—');
    const rates = await w.users.county.get('/complaints/stats/rates?by=month');
    expect(rates.body.data.totals.rates.resolution).toEqual({ numerator: 1, denominator: 7, rate: 1 / 7 });
    // The warning run above rebuilt the rates' rollup: the page says as of when, in county time.
    expect([rates.body.data.source, rates.body.data.liveReason]).toEqual(['rollup', null]);
    // Shanghai is UTC+8 all year: the wall time of the build, by hand.
    const wall = new Date(new Date(rates.body.data.asOf).getTime() + 8 * 3_600_000);
    const [y, mo, d, hm] = [wall.getUTCFullYear(), wall.getUTCMonth() + 1, wall.getUTCDate(), wall.toISOString().slice(11, 16)];
    expect(await page.getByTestId('dashboard-rates-as-of').innerText()).toBe(`响应率、解决率、满意率与排名统计截至 ${y}/${mo}/${d} ${hm}（县区时间），每个预警周期更新一次`);
    // The trend is an SVG line chart: one line per rate.
    await page.locator('[data-testid="dashboard-trend"] svg .recharts-line').first().waitFor({ state: 'attached', timeout: 60000 });
    expect(await page.locator('[data-testid="dashboard-trend"] svg .recharts-line').count()).toBe(3);

    // Breakdowns: by unit and by town, largest first.
    await page.locator('[data-testid="dashboard-by-unit"][aria-busy="false"]').waitFor({ timeout: 60000 });
    expect(await texts(page, '[data-testid="dashboard-by-unit-name"]')).toEqual(['东坝镇人民政府', '城关镇人民政府', '（无）']);
    expect(await texts(page, '[data-testid="dashboard-by-unit-count"]')).toEqual(['4', '3', '1']);
    expect(await texts(page, '[data-testid="dashboard-by-town-name"]')).toEqual(['东坝镇', '城关镇']);
    // The bar chart draws once it has measured its box.
    const bars = page.locator('[data-testid="dashboard-by-unit"] svg .recharts-bar-rectangle');
    await bars.first().waitFor({ state: 'attached', timeout: 60000 });
    expect(await bars.count()).toBe(3);

    // Warnings per unit, under the filters.
    const t2 = page.locator(`[data-testid="dashboard-warnings-unit"][data-unit-id="${w.units.t2.id}"]`);
    await t2.waitFor({ timeout: 60000 });
    expect((await t2.innerText()).replace(/\s+/g, ' ')).toBe('东坝镇人民政府 黄 1 橙 0 红 2');

    // A filter chosen from the list of towns: every figure follows it, as the API answers.
    await page.getByTestId('dashboard-filter-town').getByRole('combobox').click();
    await page.getByRole('option', { name: '东坝镇' }).click();
    await page.keyboard.press('Escape');
    await page.waitForURL(/town=/, { timeout: 60000 });
    await page.locator('[data-testid="dashboard-by-town"][aria-busy="false"]').waitFor({ timeout: 60000 });
    expect(await texts(page, '[data-testid="dashboard-by-town-name"]')).toEqual(['东坝镇']);
    const filtered = await headline(page);
    expect(filtered).toEqual({ total: '4', valid: '4', inProgress: '4', closed: '0', warnings: '3' });
    expect(filtered).toEqual(await apiHeadline(w.users.county, { town: '东坝镇' }));

    // A unit's red count opens the Content Manager list of exactly those complaints.
    await page.locator('[data-testid="dashboard-warnings-units"][aria-busy="false"]').waitFor({ timeout: 60000 });
    const redCount = t2.getByTestId('dashboard-warnings-red');
    expect(await redCount.innerText()).toBe('2');
    await redCount.click();
    await page.waitForURL(/content-manager\/collection-types\/plugin::complaints\.complaint\?/, { timeout: 60000 });
    const url = decodeURIComponent(page.url());
    expect(url).toContain(`[responsibleUnitId][$eq]=${w.units.t2.id}`);
    expect(url).toContain('[warningLevel][$eq]=red');
    expect(url).toContain('[town][$eq]=东坝镇');
    for (const c of red2) await page.getByText(c.ledgerNo).waitFor({ timeout: 60000 });
    expect(await page.locator('table tbody tr').count()).toBe(2);
    expect(await page.getByText(red1.ledgerNo).count()).toBe(0);
    await page.context().close();
  });

  it('the bar\'s day ranges and typed filters: a deadline range, then a ledger number, as the API answers', async () => {
    const page = await loginAs('minyi-county-office', null);
    await openDashboard(page);
    await page.getByTestId('dashboard-filters-more').click();
    // Deadlines by hand: 东坝镇 yellow (+15 days) and two red (past), 城关镇 one red (past): four on
    // or before today + 20; the two of +40 and the complaints without a deadline are left out.
    const to = addDaysFromToday(20);
    await page.getByTestId('dashboard-filter-deadline-to').fill(to);
    await page.waitForURL(/deadline=/, { timeout: 60000 });
    expect(decodeURIComponent(page.url())).toContain(`deadline=..${to}`);
    await page.locator('[data-testid="dashboard-by-town"][aria-busy="false"]').waitFor({ timeout: 60000 });
    const byDeadline = await headline(page);
    expect(byDeadline).toEqual({ total: '4', valid: '4', inProgress: '4', closed: '0', warnings: '4' });
    expect(byDeadline).toEqual(await apiHeadline(w.users.county, { deadline: `..${to}` }));
    // A ledger number typed in, applied with Enter: that one complaint.
    const ledger = page.getByTestId('dashboard-filter-ledgerNo');
    await ledger.fill(red1.ledgerNo);
    await ledger.press('Enter');
    await page.waitForURL(/ledgerNo=/, { timeout: 60000 });
    await page.locator('[data-testid="dashboard-by-town"][aria-busy="false"]').waitFor({ timeout: 60000 });
    const one = await headline(page);
    expect(one).toEqual({ total: '1', valid: '1', inProgress: '1', closed: '0', warnings: '1' });
    expect(one).toEqual(await apiHeadline(w.users.county, { deadline: `..${to}`, ledgerNo: red1.ledgerNo }));
    await page.context().close();
  });

  it('shows a unit operator its own unit\'s figures only, and the county\'s warning totals', async () => {
    const page = await loginAs('minyi-unit-operator', w.units.t1.id);
    await openDashboard(page);
    const own = await headline(page);
    // 城关镇's assigned complaints: two rectifying (one red) and one closed; the unscreened one is the county's.
    expect(own).toEqual({ total: '3', valid: '3', inProgress: '2', closed: '1', warnings: '1' });
    expect(own).toEqual(await apiHeadline(w.users.op1, {}));

    await page.locator('[data-testid="dashboard-by-unit"][aria-busy="false"]').waitFor({ timeout: 60000 });
    expect(await texts(page, '[data-testid="dashboard-by-unit-name"]')).toEqual(['城关镇人民政府']);
    await page.locator('[data-testid="dashboard-warnings-units"][aria-busy="false"]').waitFor({ timeout: 60000 });
    expect(await texts(page, '[data-testid="dashboard-warnings-unit-name"]')).toEqual(['城关镇人民政府']);
    expect(await page.getByTestId('dashboard-warnings-county').innerText()).toBe('全县（不受筛选影响）：黄 1 · 橙 0 · 红 3 · 逾期 9 天');
    await page.locator('[data-testid="dashboard-ranking"][aria-busy="false"]').waitFor({ timeout: 60000 });
    expect(await texts(page, '[data-testid="dashboard-ranking-units-row"] [data-testid="dashboard-ranking-name"]')).toEqual(['城关镇人民政府']);
    // No other unit, and no citizen's personal data, anywhere on the page.
    const text = await page.locator('main').innerText();
    expect(text).not.toContain('东坝镇');
    expect(text).not.toContain('测试丙');
    expect(text).not.toContain('19900001234');

    // Its red count opens its list: one row.
    await page.getByTestId('dashboard-warnings-red').click();
    await page.waitForURL(/content-manager\/collection-types\/plugin::complaints\.complaint\?/, { timeout: 60000 });
    await page.getByText(red1.ledgerNo).waitFor({ timeout: 60000 });
    expect(await page.locator('table tbody tr').count()).toBe(1);
    await page.context().close();
  });

  it('is not offered to a user without the complaints read permission (positive control: the operator above)', async () => {
    const editor = await loginAs('strapi-editor', null);
    const asked: string[] = [];
    editor.on('request', (r) => {
      if (r.url().includes('/complaints/stats/')) asked.push(r.url());
    });
    await editor.goto(`${base}/admin/plugins/complaints/dashboard`);
    await editor.waitForLoadState('networkidle');
    await editor.waitForTimeout(2000);
    expect(asked).toEqual([]);
    expect(await editor.getByRole('heading', { name: '统计 Dashboard' }).count()).toBe(0);
    expect(await editor.getByRole('link', { name: '统计 Dashboard' }).count()).toBe(0);
    await editor.context().close();
  });
});
