/**
 * The Content Manager's complaint list in Chromium, as the county office reads it: states,
 * channels and warning levels in Chinese, the warning level as a coloured badge, no internal
 * field (ids, chain fields, the raw row) among the columns or the filters, and the filters'
 * field names and enum choices in Chinese.
 */
import path from 'path';
import { browserSuite, loginAs as loginAsIn, type BrowserApp } from '../helpers/browser-app';
import type { TestApp } from '../helpers/strapi';
import { addDaysFromToday, driveTo, type World } from '../helpers/world';

let app: TestApp;
let w: World;
let base: string;
let b: BrowserApp;
const describeIf = browserSuite((started) => {
  b = started;
  ({ app, w, base } = started);
});

const LIST = '/admin/content-manager/collection-types/plugin::complaints.complaint';

describeIf('the complaint list in the Content Manager', () => {
  it('speaks Chinese: labels for states and warnings, a red badge, no internal field as column or filter', async () => {
    const late = await driveTo(w, 'rectifying', { ledgerNo: 'CM-LATE', deadline: addDaysFromToday(30) });
    await app.strapi.db.connection('complaints').where('id', late.id).update({ deadline: addDaysFromToday(-3) });
    await app.strapi.plugin('complaints').service('jobs').run('warnings', { now: new Date(), slot: `cm-${Date.now()}` });
    // Received at 16:30 UTC on 1 March: 00:30 on 2 March in the county (Shanghai), 08:30 on
    // 1 March in the browser's zone (Los Angeles).
    const assigned = await driveTo(w, 'assigned', { ledgerNo: 'CM-ASSIGNED', receivedAt: '2026-03-01T16:30:00.000Z' });

    const page = await loginAsIn(b, 'minyi-county-office', null, { timezoneId: 'America/Los_Angeles' });
    await page.goto(`${base}${LIST}?page=1&pageSize=10&sort=ledgerNo:ASC`);
    await page.getByText('CM-LATE').waitFor({ timeout: 90000 });
    // Strapi's own list chrome in Chinese too.
    await page.getByText('找到 2 条').waitFor({ timeout: 30000 });
    expect(await page.getByRole('link', { name: '创建新条目' }).or(page.getByRole('button', { name: '创建新条目' })).count()).toBe(1);
    for (const english of ['entries found', 'Create new entry', 'Content Manager']) expect([english, (await page.locator('body').innerText()).includes(english)]).toEqual([english, false]);
    const table = page.locator('table');
    const text = await table.innerText();
    for (const label of ['整改中', '已交办']) expect([label, text.includes(label)]).toEqual([label, true]);
    for (const raw of ['rectifying', 'assigned', 'visit', 'individual', 'chainHash', 'documentId']) expect([raw, text.includes(raw)]).toEqual([raw, false]);
    expect(await page.getByTestId('minyi-cm-warning').filter({ hasText: '红色预警（逾期）' }).count()).toBe(1);
    const red = page.getByTestId('minyi-cm-warning').filter({ hasText: '红色预警（逾期）' });
    expect(await red.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(253, 225, 222)');
    const headers = (await page.locator('thead th').allInnerTexts()).map((s) => s.trim()).filter(Boolean);
    for (const internal of ['id', 'ID', 'documentId', 'chainSeq', 'chainHash', 'responsibleUnitId']) expect([internal, headers.includes(internal)]).toEqual([internal, false]);
    // Times in the county's zone, not the browser's.
    const row = page.locator('tbody tr').filter({ hasText: 'CM-ASSIGNED' });
    expect(await row.getByTestId('minyi-cm-datetime').first().innerText()).toBe('2026年3月2日星期一 00:30');
    expect(text.includes('2026年3月1日星期日')).toBe(false);
    await page.screenshot({ path: path.join(__dirname, '..', 'artifacts', 'cm-complaint-list.png'), fullPage: true });

    // The filters: fields by their Chinese names, no internal one.
    await page.getByRole('button', { name: '筛选器' }).click();
    await page.getByRole('combobox').first().click();
    const fields = (await page.getByRole('option').allInnerTexts()).map((s) => s.trim());
    for (const name of ['诉求编号', '状态', '预警等级', '责任单位（编号）']) expect([name, fields.includes(name)]).toEqual([name, true]);
    for (const internal of ['id', 'documentId', 'chainSeq', 'chainHash', 'rawRow', '履历哈希', 'state', 'ledgerNo']) expect([internal, fields.includes(internal)]).toEqual([internal, false]);
    // An enum filter offers its values as labels.
    await page.getByRole('option', { name: '状态', exact: true }).click();
    const comboboxes = page.getByRole('combobox');
    await comboboxes.nth(2).click();
    const values = (await page.getByRole('option').allInnerTexts()).map((s) => s.trim());
    expect(values).toEqual(['请选择', '待甄别', '无效', '已分类', '已交办', '已受理', '措施审核中', '措施退回', '整改中', '验收中', '已办结']);

    // The edit form's date-time fields read the county's clock too, and say so.
    await page.goto(`${base}${LIST}/${assigned.documentId}`);
    const received = page.getByTestId('minyi-datetime-receivedAt');
    await received.first().waitFor({ timeout: 60000 });
    const form = await page.locator('main').innerText();
    expect(form.includes('县区时间（Asia/Shanghai）')).toBe(true);
    const timeValues = await page.locator('input').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(timeValues.includes('00:30')).toBe(true);
    expect(timeValues.includes('08:30')).toBe(false);
    await page.screenshot({ path: path.join(__dirname, '..', 'artifacts', 'cm-complaint-edit-times.png'), fullPage: true });
    await page.context().close();
  });
});
