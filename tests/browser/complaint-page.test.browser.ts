/**
 * Minyi's complaint page (诉求详情), in Chromium: opened from a row of 我的待办, it shows the
 * originals read-only as the role's projection says (the unit head sees the phone and name
 * masked, the operator in full), the classification by name with 责任单位 and 牵头单位, the
 * workflow with the actions of this user, and the history with the chain's verdict; times in the
 * county's zone for a reader in Los Angeles. Another unit's operator gets no complaint from it
 * (positive control: the same page for their own).
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

const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
/** 2026-11-20 09:30 in Shanghai: 2026-11-19 17:30 in Los Angeles. */
const RECEIVED = '2026-11-20T01:30:00.000Z';

describeIf('the complaint page', () => {
  it('the operator opens it from 整改中: the originals in full, the classification by name, the workflow and the history', async () => {
    const c = await driveTo(w, 'rectifying', { ledgerNo: 'CP-RECT', deadline: addDaysFromToday(12), receivedAt: RECEIVED, content: '东街社区路灯三盏不亮，夜间出行不便' });
    const page = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id, { timezoneId: 'America/Los_Angeles' });
    await page.goto(`${base}/admin/plugins/complaints/my-work?queue=rectifying`);
    await page.getByTestId('mywork-row-link').filter({ hasText: 'CP-RECT' }).click();
    await page.waitForURL(new RegExp(`/admin/plugins/complaints/complaints/${c.documentId}$`), { timeout: 60000 });
    await page.getByTestId('minyi-state').filter({ hasText: '整改中' }).waitFor({ timeout: 60000 });
    const text = (id: string) => page.getByTestId(id).innerText();
    expect(await text('minyi-complaint-ledgerNo')).toBe('CP-RECT');
    expect(await text('minyi-complaint-receivedAt')).toBe('2026/11/20 09:30');
    expect(await text('minyi-complaint-channel')).toBe('走访');
    expect(await text('minyi-complaint-name')).toBe('测试丙');
    expect(await text('minyi-complaint-phone')).toBe('19900001234');
    expect(await text('minyi-complaint-content')).toBe('东街社区路灯三盏不亮，夜间出行不便');
    expect(await text('minyi-complaint-category')).toBe('0101 老旧小区改造');
    expect(await text('minyi-complaint-responsibleUnit')).toBe('城关镇人民政府');
    expect(await text('minyi-complaint-leadUnit')).toBe('县住房和城乡建设局');
    // The workflow: this user's action now, and the approved measure.
    expect(await page.getByTestId('minyi-action-complete').count()).toBe(1);
    expect(await page.getByTestId('minyi-measure').innerText()).toContain('维修楼道照明并更换灯具');
    // The history, its chain verified.
    const history = await text('minyi-complaint-history');
    expect(history).toContain('履历链完整');
    expect(await page.getByTestId('minyi-history-event').count()).toBeGreaterThanOrEqual(5);
    // No raw codes on the page.
    const all = await page.locator('main').innerText();
    for (const raw of ['rectifying', 'visit', 'township', 'deadline', 'individual']) expect([raw, all.includes(raw)]).toEqual([raw, false]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'complaint-page.png'), fullPage: true });
    await page.context().close();
  });

  it('the unit head sees the phone and the name masked; another unit\'s operator gets nothing, and their own complaint in full', async () => {
    const c = await driveTo(w, 'signing', { ledgerNo: 'CP-SIGN' });
    const head = await loginAsIn(b, 'minyi-unit-head', w.units.t1.id);
    await head.goto(`${base}/admin/plugins/complaints/complaints/${c.documentId}`);
    await head.getByTestId('minyi-state').filter({ hasText: '验收中' }).waitFor({ timeout: 60000 });
    expect(await head.getByTestId('minyi-complaint-phone').innerText()).toBe('199****1234');
    expect(await head.getByTestId('minyi-complaint-name').innerText()).toBe('测某');
    expect(await head.getByTestId('minyi-action-sign').count()).toBe(1);
    expect(await head.locator('main').innerText()).not.toContain('19900001234');
    await head.context().close();

    const own = await driveTo(w, 'assigned', { unit: 't2', ledgerNo: 'CP-OWN' });
    const other = await loginAsIn(b, 'minyi-unit-operator', w.units.t2.id);
    await other.goto(`${base}/admin/plugins/complaints/complaints/${c.documentId}`);
    await other.getByText('不在您的办理范围内').waitFor({ timeout: 60000 });
    const shown = await other.locator('main').innerText();
    for (const secret of ['CP-SIGN', '19900001234', '小区楼道照明长期损坏', '城关镇人民政府']) expect([secret, shown.includes(secret)]).toEqual([secret, false]);
    // Positive control: their own complaint on the same page.
    await other.goto(`${base}/admin/plugins/complaints/complaints/${own.documentId}`);
    await other.getByTestId('minyi-state').filter({ hasText: '已交办' }).waitFor({ timeout: 60000 });
    expect(await other.getByTestId('minyi-complaint-ledgerNo').innerText()).toBe('CP-OWN');
    expect(await other.getByTestId('minyi-action-accept').count()).toBe(1);
    expect(await app.strapi.db.connection('complaints').where('id', own.id).first('state')).toEqual({ state: 'assigned' });
    await other.context().close();
  });
});
