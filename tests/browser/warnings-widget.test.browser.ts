/**
 * The deadline-warnings widget on the Strapi admin homepage, in Chromium: complaints of two
 * townships are driven through the workflow to `rectifying` with deadlines 5, 12 and 15 days
 * ahead and some moved into the past; the warning job runs; a unit operator of 东坝镇 sees their
 * own unit first with its counts, the red list, the totals and the job's last run. A user
 * without the complaints read permission does not get the widget.
 */
import os from 'os';
import type { Page } from 'playwright-core';
import type { AdminSession } from '../helpers/admin';
import { browserSuite, loginAs as loginAsIn, type BrowserApp } from '../helpers/browser-app';
import type { TestApp } from '../helpers/strapi';
import { pngFile } from '../helpers/files';
import { act, addDaysFromToday, type World } from '../helpers/world';


const WIDGET = '[data-strapi-widget-id="plugin::complaints.warnings"]';
/** The county's zone (the app's config), where times are shown… */
const TIME_ZONE = 'Asia/Shanghai';
/** …whatever the browser's own zone is. */
const BROWSER_ZONE = 'America/Los_Angeles';

let app: TestApp;
let w: World;
let base: string;
let b: BrowserApp;
const describeIf = browserSuite((started) => {
  b = started;
  ({ app, w, base } = started);
});

const loginAs = (roleCode: string, unitId: number | null): Promise<Page> => loginAsIn(b, roleCode, unitId, { timezoneId: BROWSER_ZONE });


/** A complaint of unit t1 or t2 driven through the real workflow to `rectifying` with a measure deadline. */
const rectifying = async (unit: 't1' | 't2', deadline: string) => {
  const c = await w.complaint({ town: unit === 't1' ? '城关镇' : '东坝镇' });
  const [op, lead, cat] = unit === 't1' ? [w.users.op1, w.users.lead1, '0101'] : [w.users.op2, w.users.lead2, '0201'];
  const steps: Array<[AdminSession, string, Record<string, unknown>]> = [
    [w.users.county, 'classify', { categoryCode: cat, level: 'township', responsibleUnitId: w.units[unit].id }],
    [w.users.county, 'assign', {}],
    [op, 'accept', { nature: 'individual' }],
    [op, 'submit_measure', { mode: 'deadline', deadline, text: '更换楼道全部照明灯具并建立巡查机制', responsiblePerson: '张科长' }],
    [lead, 'approve_measure', { comment: '同意' }],
  ];
  for (const [who, action, inputs] of steps) {
    const res = await act(who, c.documentId, action, inputs);
    expect([action, res.status, res.body.error?.message]).toEqual([action, 200, undefined]);
  }
  return c;
};

/** Time passes: the deadline of a rectifying complaint now lies `days` days in the past. */
const overdueBy = async (id: number, days: number) => {
  await app.strapi.db.connection('complaints').where('id', id).update({ deadline: addDaysFromToday(-days) });
};

/** Runs the warning job now, in its own slot; returns the instant it was run at. */
const runWarningJob = async (): Promise<Date> => {
  const now = new Date();
  const outcome = await app.strapi.plugin('complaints').service('jobs').run('warnings', { now, slot: `widget-${now.getTime()}` });
  expect(outcome.ran).toBe(true);
  return now;
};

/** YYYY-MM-DD HH:mm of an instant in the county's zone (the browser runs in the same zone). */
const minuteIn = (d: Date): string => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((x) => [x.type, x.value])
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
};

const texts = (page: Page, selector: string) => page.locator(selector).evaluateAll((els) => els.map((e) => String((e as { innerText?: string }).innerText ?? "").trim()));

describeIf('deadline warnings widget on the admin homepage', () => {
  it('shows a clear empty state, with the job\'s last run, before any complaint is late', async () => {
    const ranAt = await runWarningJob();
    const page = await loginAs('minyi-unit-operator', w.units.t2.id);
    const widget = page.locator(WIDGET);
    await widget.getByRole('heading', { name: '整改期限预警' }).waitFor({ timeout: 60000 });
    await widget.getByTestId('minyi-warnings-empty').waitFor({ timeout: 60000 });
    expect(await widget.getByTestId('minyi-warnings-empty').innerText()).toContain('暂无预警');
    expect(await widget.getByTestId('minyi-warnings-unit').count()).toBe(0);
    const lastRun = await widget.getByTestId('minyi-warnings-lastrun').innerText();
    // A unit role is not told which instance ran the job (county roles are).
    expect(lastRun).toContain(`预警任务上次运行：${minuteIn(ranAt)} · 变更 0 条 · 用时 `);
    expect(lastRun).not.toContain(os.hostname());
    expect(lastRun).not.toContain('实例');
    await page.context().close();
  });

  it('shows the operator\'s own unit first with its counts, the other unit, the red list, totals and the last run', async () => {
    // One of t2 that went red and was then completed: in sign-off it keeps its last level, but its
    // clock has stopped, so no badge counts it and no badge's list shows it.
    const signing = await rectifying('t2', addDaysFromToday(30));
    await overdueBy(signing.id, 6);
    await runWarningJob();
    expect((await app.strapi.db.connection('complaints').where('id', signing.id).first('warning_level')).warning_level).toBe('red');
    const evidence = await w.users.op2.post(`/complaints/complaints/${signing.documentId}/evidence`).field('aspect', 'facility').field('text', '整改后现场照片').attach('files', pngFile('after'), { filename: 'after.png', contentType: 'image/png' });
    expect(evidence.status).toBe(201);
    expect((await act(w.users.op2, signing.documentId, 'complete')).status).toBe(200);
    expect(await app.strapi.db.connection('complaints').where('id', signing.id).first('state', 'warning_level')).toEqual({ state: 'signing', warning_level: 'red' });
    // 东坝镇 (t2): yellow 15 days ahead, orange 5 days ahead, two red overdue by 3 and 4 days.
    await rectifying('t2', addDaysFromToday(15));
    await rectifying('t2', addDaysFromToday(5));
    const red2a = await rectifying('t2', addDaysFromToday(30));
    const red2b = await rectifying('t2', addDaysFromToday(30));
    await overdueBy(red2a.id, 3);
    await overdueBy(red2b.id, 4);
    // 城关镇 (t1): yellow 12 days ahead, one red overdue by 2 days.
    await rectifying('t1', addDaysFromToday(12));
    const red1 = await rectifying('t1', addDaysFromToday(30));
    await overdueBy(red1.id, 2);
    // A complaint of t2 still far from its deadline: no warning.
    await rectifying('t2', addDaysFromToday(40));
    const ranAt = await runWarningJob();

    const page = await loginAs('minyi-unit-operator', w.units.t2.id);
    const widget = page.locator(WIDGET);
    await widget.getByRole('heading', { name: '整改期限预警' }).waitFor({ timeout: 60000 });
    await widget.getByTestId('minyi-warnings-units').waitFor({ timeout: 60000 });

    // Own unit first, marked, with its literal counts; then the other unit.
    const rows = widget.getByTestId('minyi-warnings-unit');
    expect(await rows.count()).toBe(2);
    const own = rows.nth(0);
    expect(await own.getAttribute('data-own')).toBe('true');
    expect(await own.getByTestId('minyi-warnings-own').innerText()).toBe('本单位');
    expect(await own.getByTestId('minyi-warnings-unit-name').innerText()).toBe('东坝镇人民政府');
    expect(await own.getByTestId('minyi-warnings-yellow').innerText()).toBe('黄 1');
    expect(await own.getByTestId('minyi-warnings-orange').innerText()).toBe('橙 1');
    expect(await own.getByTestId('minyi-warnings-red').innerText()).toBe('红 2');
    expect(await own.getByTestId('minyi-warnings-overdue').innerText()).toBe('逾期 7 天');
    const other = rows.nth(1);
    expect(await other.getAttribute('data-own')).toBe('false');
    expect(await other.getByTestId('minyi-warnings-own').count()).toBe(0);
    expect(await other.getByTestId('minyi-warnings-unit-name').innerText()).toBe('城关镇人民政府');
    expect(await other.getByTestId('minyi-warnings-yellow').innerText()).toBe('黄 1');
    expect(await other.getByTestId('minyi-warnings-orange').innerText()).toBe('橙 0');
    expect(await other.getByTestId('minyi-warnings-red').innerText()).toBe('红 1');
    expect(await other.getByTestId('minyi-warnings-overdue').innerText()).toBe('逾期 2 天');

    // The red list (红牌榜): most red complaints first.
    await widget.getByTestId('minyi-warnings-redlist').getByText('红牌榜').waitFor();
    const redRows = await texts(page, `${WIDGET} [data-testid="minyi-warnings-red-row"]`);
    expect(redRows.map((r) => r.replace(/\s+/g, ' '))).toEqual(['1 东坝镇人民政府 红 2 逾期 7 天', '2 城关镇人民政府 红 1 逾期 2 天']);

    expect(await widget.getByTestId('minyi-warnings-totals').innerText()).toBe('合计：黄 2 · 橙 1 · 红 3 · 逾期 9 天');
    // The measure approval already gave the yellow and orange ones their level; the job changed
    // the three whose deadline passed (none → red). The run is this process's.
    const lastRun = await widget.getByTestId('minyi-warnings-lastrun').innerText();
    // A unit role is not told which instance ran the job (county roles are).
    expect(lastRun).toContain(`预警任务上次运行：${minuteIn(ranAt)} · 变更 3 条 · 用时 `);
    expect(lastRun).not.toContain(os.hostname());
    expect(lastRun).not.toContain('实例');
    // No personal data of the complainant in the widget.
    const all = await widget.innerText();
    expect(all).not.toContain('测试丙');
    expect(all).not.toContain('19900001234');
    expect(all).not.toContain('东街社区');

    await widget.scrollIntoViewIfNeeded();
    await widget.screenshot({ path: require('path').join(os.tmpdir(), 'minyi-warnings-widget.png') });
    await page.screenshot({ path: require('path').join(os.tmpdir(), 'minyi-warnings-homepage.png') });

    // The own unit's red count opens the Content Manager list filtered on that unit and level.
    await own.getByTestId('minyi-warnings-red').click();
    await page.waitForURL(/content-manager\/collection-types\/plugin::complaints\.complaint\?/, { timeout: 60000 });
    const url = decodeURIComponent(page.url());
    expect(url).toContain('filters[$and][0][warningLevel][$eq]=red');
    expect(url).toContain(`filters[$and][1][responsibleUnitId][$eq]=${w.units.t2.id}`);
    await page.getByText(red2a.ledgerNo).waitFor({ timeout: 60000 });
    await page.getByText(red2b.ledgerNo).waitFor();
    // Exactly the badge's 2: not the other unit's, not the one in sign-off that keeps its red.
    expect([await page.getByText(red1.ledgerNo).count(), await page.getByText(signing.ledgerNo).count()]).toEqual([0, 0]);
    expect(await page.locator('tbody tr').count()).toBe(2);

    // The plugin's own page shows the same overview with every unit.
    await page.goto(`${base}/admin/plugins/complaints`);
    await page.getByTestId('minyi-warnings-units').waitFor({ timeout: 60000 });
    expect(await texts(page, '[data-testid="minyi-warnings-unit-name"]')).toEqual(['东坝镇人民政府', '城关镇人民政府']);
    await page.context().close();
  });

  it('is not shown to a user without the complaints read permission (positive control: an operator)', async () => {
    const seeHome = async (page: Page) => {
      await page.goto(`${base}/admin`);
      // The homepage is there (its greeting), and its widget permission checks have settled.
      await page.getByRole('heading', { name: /浏览器/ }).first().waitFor({ timeout: 60000 });
      await page.waitForLoadState('networkidle');
      await page.waitForTimeout(2000);
    };
    const editor = await loginAs('strapi-editor', null);
    await seeHome(editor);
    expect(await editor.locator(WIDGET).count()).toBe(0);
    expect(await editor.getByText('整改期限预警').count()).toBe(0);
    // Nor on the plugin's page, which its permission guard does not render for them: the overview
    // is never even asked for (the server would refuse it too: the API tests check the 403).
    const asked: string[] = [];
    editor.on('request', (r) => {
      if (r.url().includes('/complaints/warnings/overview')) asked.push(r.url());
    });
    await editor.goto(`${base}/admin/plugins/complaints`);
    await editor.waitForLoadState('networkidle');
    await editor.waitForTimeout(2000);
    expect(asked).toEqual([]);
    expect(await editor.getByRole('heading', { name: '民意服务站' }).count()).toBe(0);
    expect(await editor.getByTestId('minyi-warnings').count()).toBe(0);
    expect(await editor.getByTestId('minyi-warnings-error').count()).toBe(0);
    await editor.context().close();

    const operator = await loginAs('minyi-unit-operator', w.units.t1.id);
    await seeHome(operator);
    expect(await operator.locator(WIDGET).count()).toBe(1);
    // It leads the homepage, after the user's own queues.
    expect(await operator.locator('[data-strapi-widget-id]').evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute('data-strapi-widget-id')))).toEqual(['plugin::complaints.my-work', 'plugin::complaints.warnings']);
    await operator.locator(WIDGET).getByTestId('minyi-warnings-units').waitFor({ timeout: 60000 });
    // For an operator of 城关镇, 城关镇 comes first.
    expect(await operator.locator(WIDGET).getByTestId('minyi-warnings-unit-name').first().innerText()).toBe('城关镇人民政府');
    await operator.context().close();
  });
});
