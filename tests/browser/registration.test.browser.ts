/**
 * The registration page in Chromium: the county office opens 登记诉求 from the plugin's home
 * page and registers a phone call. A bad phone is refused under its field first (nothing
 * written); with the number corrected the page shows the new ledger number with a link to the
 * complaint, keeps showing it, and clears the form for the next call. The unit operator has
 * neither the button nor the page. A screenshot goes to tests/artifacts/ (not kept in git).
 */
import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
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

const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const knex = () => app.strapi.db.connection;
const complaintCount = async () => Number((await knex()('complaints').count({ n: '*' }))[0].n);
/** The registration series numbers by the county's calendar year. */
const YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
const CONTENT = '城关镇东街路灯连续一周不亮，夜间出行不便';

const openHome = async (page: Page) => {
  await page.goto(`${base}/admin/plugins/complaints`);
  await page.getByText('群众诉求台账').first().waitFor({ timeout: 90000 });
};

describeIf('the registration page', () => {
  it('the county office registers a phone call and sees its ledger number', async () => {
    // The series so far this year: number 6.
    await app.strapi.documents('plugin::complaints.complaint').create({
      data: { ledgerNo: `REG${YEAR}000006`, receivedAt: '2026-01-05T02:00:00.000Z', channel: 'visit', town: '城关镇', content: '既有登记诉求' } as any,
    });
    const page = await loginAsIn(b, 'minyi-county-office', null);
    await openHome(page);
    const link = page.getByTestId('minyi-link-register');
    await link.waitFor({ timeout: 60000 });
    await link.click();
    await page.getByRole('heading', { name: '登记诉求' }).waitFor({ timeout: 60000 });

    // 来源: the phone channel (热线) is the default; the town is chosen from the county's list.
    await page.getByRole('combobox', { name: /来源/ }).click();
    await page.getByRole('option', { name: '热线（电话）' }).click();
    await page.locator('textarea[name="minyi-register-content"]').fill(CONTENT);
    await page.getByRole('combobox', { name: /乡镇/ }).click();
    expect((await page.getByRole('option').allInnerTexts()).map((s) => s.trim())).toEqual(['东坝镇', '城关镇']);
    await page.getByRole('option', { name: '城关镇' }).click();
    await page.locator('input[name="minyi-register-village"]').fill('东街社区');
    await page.locator('input[name="minyi-register-complainantName"]').fill('浏览器来电人');
    await page.locator('input[name="minyi-register-phone"]').fill('1391234');

    const before = await complaintCount();
    await page.getByTestId('minyi-register-submit').click();
    // The refusal is shown under the phone field, and nothing is written.
    await page.getByText('「联系电话」格式不对：请填写 11 位手机号码或带区号的固定电话，或留空').first().waitFor({ timeout: 60000 });
    expect(await page.locator('input[name="minyi-register-phone"]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('input[name="minyi-register-village"]').getAttribute('aria-invalid')).not.toBe('true');
    expect(await complaintCount()).toBe(before);
    expect(await page.getByTestId('minyi-register-done').count()).toBe(0);

    await page.locator('input[name="minyi-register-phone"]').fill('139 1234 5678');
    await page.getByTestId('minyi-register-submit').click();
    const done = page.getByTestId('minyi-register-done');
    await done.filter({ hasText: `已登记：诉求编号 REG${YEAR}000007` }).waitFor({ timeout: 60000 });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'registration.png'), fullPage: true });

    const row = await knex()('complaints').where('ledger_no', `REG${YEAR}000007`).first('document_id', 'state', 'channel', 'town', 'village', 'phone', 'content');
    expect(row).toEqual({ document_id: row.document_id, state: 'received', channel: 'hotline', town: '城关镇', village: '东街社区', phone: '13912345678', content: CONTENT });
    expect(await page.getByTestId('minyi-register-open').getAttribute('href')).toBe(`/admin/plugins/complaints/complaints/${row.document_id}`);
    // The form is cleared for the next call; the message stays.
    expect(await page.locator('textarea[name="minyi-register-content"]').inputValue()).toBe('');
    expect(await page.locator('input[name="minyi-register-phone"]').inputValue()).toBe('');
    expect(await done.innerText()).toContain(`REG${YEAR}000007`);

    // The link opens the complaint in the Content Manager.
    await page.getByTestId('minyi-register-open').click();
    await page.getByText(`REG${YEAR}000007`).first().waitFor({ timeout: 60000 });
    await page.context().close();
  });

  it('the unit operator has no registration button and the page is refused (positive control: the county office had both)', async () => {
    const page = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    await openHome(page);
    await page.getByTestId('minyi-link-visits').waitFor({ timeout: 60000 });
    expect(await page.getByTestId('minyi-link-register').count()).toBe(0);
    await page.goto(`${base}/admin/plugins/complaints/register`);
    await page.getByText(/您没有权限访问该内容|You don't have the permissions/).first().waitFor({ timeout: 60000 });
    expect(await page.getByTestId('minyi-register-form').count()).toBe(0);
    await page.context().close();
  });
});
