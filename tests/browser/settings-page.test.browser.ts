/**
 * Settings → 民意服务站 · 系统设置 in Chromium: the county office reads the configuration and the
 * routing table's check (the test county has no rule yet: its three minor categories fail in
 * every town; one rule for every town takes 0101 off the list). The county office changes the
 * measure thresholds there (in force, listed with its author, a bad value refused); the county
 * leader reads them without the means to change them. A unit operator has neither the link nor
 * the page.
 */
import path from 'path';
import { browserSuite, loginAs as loginAsIn, type BrowserApp } from '../helpers/browser-app';
import type { TestApp } from '../helpers/strapi';
import type { World } from '../helpers/world';

let app: TestApp;
let w: World;
let base: string;
let b: BrowserApp;
const describeIf = browserSuite((started) => {
  b = started;
  ({ app, w, base } = started);
});

describeIf('the settings page', () => {
  it('the county office reads the configuration and sees which minor categories have no routing rule', async () => {
    const page = await loginAsIn(b, 'minyi-county-office', null);
    await page.goto(`${base}/admin/settings`);
    await page.getByRole('link', { name: '系统设置' }).click();
    await page.waitForURL(/\/admin\/settings\/complaints/, { timeout: 60000 });
    await page.getByTestId('minyi-settings-routing').waitFor({ timeout: 60000 });
    expect(await page.getByTestId('minyi-settings-uncovered-count').innerText()).toBe('有 3 个诉求小类在部分乡镇没有交办规则：在这些乡镇按交办规则分类会失败。');
    expect(await page.getByTestId('minyi-settings-uncovered').allInnerTexts()).toEqual(['0101 老旧小区改造\t全部乡镇', '0102 物业服务\t全部乡镇', '0201 农村公路建设\t全部乡镇']);
    expect(await page.getByTestId('minyi-settings-timezone').innerText()).toBe('Asia/Shanghai');
    expect(await page.getByTestId('minyi-settings-measure').innerText()).toBe('剩余不足 20 天黄色预警，不足 10 天橙色预警，逾期红色预警');
    expect(await page.getByTestId('minyi-settings-provider').innerText()).toBe('console');
    const evidence = await page.getByTestId('minyi-settings-evidence').innerText();
    for (const label of ['立即整改', '限期整改', '分期整改', '政策限制']) expect(evidence).toContain(label);
    for (const raw of ['policy_limited', 'immediate', 'closed_survey']) expect([raw, (await page.locator('main').innerText()).includes(raw)]).toEqual([raw, false]);
    await page.screenshot({ path: path.join(__dirname, '..', 'artifacts', 'settings.png'), fullPage: true });

    await app.strapi.db.query('plugin::complaints.routing-rule' as any).create({ data: { categoryCode: '0101', town: null, unit: w.units.l1.id } });
    await page.reload();
    await page.getByTestId('minyi-settings-routing').waitFor({ timeout: 60000 });
    expect(await page.getByTestId('minyi-settings-uncovered').allInnerTexts()).toEqual(['0102 物业服务\t全部乡镇', '0201 农村公路建设\t全部乡镇']);
    expect(await page.getByTestId('minyi-settings-rules').innerText()).toBe('1');
    await page.context().close();
  });

  it('the county office changes the measure thresholds; the change is in force, listed with who made it, and kept after a reload', async () => {
    const page = await loginAsIn(b, 'minyi-county-office', null);
    await page.goto(`${base}/admin/settings/complaints`);
    await page.getByTestId('minyi-settings-edit').waitFor({ timeout: 60000 });
    const yellow = page.getByTestId('minyi-setting-warnings.measure.yellowDays');
    const orange = page.getByTestId('minyi-setting-warnings.measure.orangeDays');
    expect([await yellow.inputValue(), await orange.inputValue()]).toEqual(['20', '10']);
    expect(await page.getByTestId('minyi-settings-save').isDisabled()).toBe(true);
    await yellow.fill('15');
    await orange.fill('5');
    await page.getByTestId('minyi-settings-save').click();
    await page.getByTestId('minyi-settings-saved').filter({ hasText: '已保存：修改 2 项' }).waitFor({ timeout: 30000 });
    expect((app.strapi.config.get('plugin::complaints') as any).warnings.measure).toEqual({ yellowDays: 15, orangeDays: 5 });
    expect(await page.getByTestId('minyi-settings-measure').innerText()).toBe('剩余不足 15 天黄色预警，不足 5 天橙色预警，逾期红色预警');
    const row = await page.getByTestId('minyi-settings-edit-row').first().innerText();
    expect(row).toContain('浏览器 测试');
    expect(row).toContain('整改期限：剩余少于几天为黄色预警 20 → 15；整改期限：剩余少于几天为橙色预警 10 → 5');
    // Times in the county's zone: today's date there.
    expect(row).toContain(new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()));
    await page.screenshot({ path: path.join(__dirname, '..', 'artifacts', 'settings-edit.png'), fullPage: true });
    // A refused value shows the server's reason and changes nothing.
    await yellow.fill('3');
    await page.getByTestId('minyi-settings-save').click();
    await page.getByTestId('minyi-settings-saved').filter({ hasText: '预警阈值 warnings.measure 无效' }).waitFor({ timeout: 30000 });
    expect((app.strapi.config.get('plugin::complaints') as any).warnings.measure).toEqual({ yellowDays: 15, orangeDays: 5 });
    await page.reload();
    await page.getByTestId('minyi-settings-edit').waitFor({ timeout: 60000 });
    expect([await yellow.inputValue(), await orange.inputValue()]).toEqual(['15', '5']);
    await page.context().close();

    // The county leader reads them, and may not change them.
    const leader = await loginAsIn(b, 'minyi-county-leader', null);
    await leader.goto(`${base}/admin/settings/complaints`);
    await leader.getByTestId('minyi-settings-edit').waitFor({ timeout: 60000 });
    expect(await leader.getByTestId('minyi-setting-warnings.measure.yellowDays').inputValue()).toBe('15');
    expect(await leader.getByTestId('minyi-setting-warnings.measure.yellowDays').isDisabled()).toBe(true);
    expect(await leader.getByTestId('minyi-settings-save').count()).toBe(0);
    expect(await leader.getByTestId('minyi-settings-edit').innerText()).toContain('仅县整治办可修改以下设置。');
    await leader.context().close();
  });

  it('a unit operator has no settings link and no page (positive control above)', async () => {
    const page = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    await page.goto(`${base}/admin/settings`);
    await page.getByRole('link', { name: '个人资料' }).or(page.getByText('设置').first()).first().waitFor({ timeout: 60000 });
    expect(await page.getByRole('link', { name: '系统设置' }).count()).toBe(0);
    await page.goto(`${base}/admin/settings/complaints`);
    await page.waitForTimeout(3000);
    expect(await page.getByTestId('minyi-settings-routing').count()).toBe(0);
    await page.context().close();
  });
});
