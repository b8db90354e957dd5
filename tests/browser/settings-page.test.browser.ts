/**
 * Settings → 民意服务站 · 系统设置 in Chromium: the county office reads the configuration and the
 * routing table's check (the test county has no rule yet: its three minor categories fail in
 * every town; one rule for every town takes 0101 off the list). A unit operator has neither
 * the link nor the page.
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
