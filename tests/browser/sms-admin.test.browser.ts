/**
 * The SMS outbox page in Chromium: the county office opens it from the plugin's home page, finds
 * an `uncertain` message (its phone in full, the survey link's token hidden), and marks it sent
 * with a reason; the list shows the new status and the complaint's history records the decision.
 * The county leader sees the same page with the phone masked and no decision buttons.
 */
import os from 'os';
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

const loginAs = (roleCode: string): Promise<Page> => loginAsIn(b, roleCode, null);
const TOKEN = 'Pq7Ws2Ex9Rd4Tf6Yg1Uh3Ij8Ok5Lz0Ma';

/** A complaint with one outbound message left `uncertain` (the status is the fixture here). */
const uncertainMessage = async (phone: string) => {
  const c = await w.complaint({ phone });
  const key = `browser-${c.id}`;
  await app.strapi.plugin('complaints').service('sms').queue([{ complaintId: c.id, phone, template: 'closed_survey', body: `【民意服务站】您的诉求${c.ledgerNo}已办结，请评价：http://localhost/survey/${TOKEN}`, idempotencyKey: key }]);
  const m = await app.strapi.db.connection('sms_messages').where('idempotency_key', key).first('id');
  await app.strapi.db.connection('sms_messages').where('id', m.id).update({ status: 'uncertain', last_error: 'ambiguous: no answer from the provider' });
  return { id: Number(m.id), complaint: c };
};

/** Opens the outbox from the plugin's home page and narrows it to one ledger number. */
const openOutbox = async (page: Page, ledgerNo: string) => {
  await page.goto(`${base}/admin/plugins/complaints`);
  // The plugin's pages load on first use: wait for the home page's link, not for a time.
  const link = page.getByTestId('minyi-link-sms');
  await link.waitFor({ timeout: 90000 }).catch(async (e) => {
    await page.screenshot({ path: path.join(os.tmpdir(), 'minyi-sms-home.png') });
    throw e;
  });
  await link.click();
  await page.getByText('短信发件箱').first().waitFor({ timeout: 60000 });
  await page.locator('input[name="minyi-sms-ledgerNo"]').fill(ledgerNo);
  await page.getByTestId('minyi-sms-search').click();
};

describeIf('the SMS outbox page', () => {
  it('the county office marks an uncertain message sent, with a reason recorded in the history', async () => {
    const m = await uncertainMessage('13788880001');
    const page = await loginAs('minyi-county-office');
    await openOutbox(page, m.complaint.ledgerNo);
    const row = page.getByTestId(`minyi-sms-row-${m.id}`);
    await row.waitFor({ timeout: 60000 });
    await row.getByText('13788880001').waitFor();
    await row.getByText(`${m.complaint.ledgerNo}已办结，请评价：http://localhost/survey/[token]`, { exact: false }).waitFor();
    expect(await page.getByText(TOKEN, { exact: false }).count()).toBe(0);
    expect(await page.getByTestId(`minyi-sms-status-${m.id}`).innerText()).toBe('状态不明');

    await page.getByTestId(`minyi-sms-mark_sent-${m.id}`).click();
    const form = page.getByTestId('minyi-sms-decision');
    await form.waitFor();
    await form.locator('textarea[name="minyi-sms-reason"]').fill('已致电群众，确认收到办结短信');
    await page.getByTestId('minyi-sms-confirm').click();
    await page.getByTestId(`minyi-sms-status-${m.id}`).filter({ hasText: '已发送' }).waitFor({ timeout: 60000 });
    expect(await page.getByTestId(`minyi-sms-mark_sent-${m.id}`).count()).toBe(0);

    const stored = await app.strapi.db.connection('sms_messages').where('id', m.id).first('status');
    expect(stored.status).toBe('sent');
    const ev = await app.strapi.db.connection('complaint_events').where('complaint_id', m.complaint.id).orderBy('seq', 'desc').first('type', 'data', 'actor_name');
    expect([ev.type, typeof ev.data === 'string' ? JSON.parse(ev.data) : ev.data, ev.actor_name]).toEqual([
      'sms_resolved',
      { messageId: m.id, template: 'closed_survey', from: 'uncertain', decision: 'mark_sent', reason: '已致电群众，确认收到办结短信' },
      '浏览器 测试',
    ]);
    await page.context().close();
  });

  it('the county leader sees the phone masked and no decision (positive control above: the county office decides)', async () => {
    const m = await uncertainMessage('13788880002');
    const page = await loginAs('minyi-county-leader');
    await openOutbox(page, m.complaint.ledgerNo);
    const row = page.getByTestId(`minyi-sms-row-${m.id}`);
    await row.waitFor({ timeout: 60000 });
    await row.getByText('137****0002').waitFor();
    expect(await page.getByText('13788880002').count()).toBe(0);
    expect(await row.getByRole('button').count()).toBe(0);
    await page.context().close();
  });
});
