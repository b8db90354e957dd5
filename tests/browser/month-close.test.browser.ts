/**
 * The month close page in Chromium: the county office opens it from the plugin's home page and
 * closes October 2026 (one complaint received then, not yet screened: no valid complaint). The
 * complaint is then classified, which makes it valid: the page flags 有效诉求 frozen 0, live 1,
 * names the complaint, and marks the month's resolution figure as differing. A correction with a
 * reason records version 2, after which frozen and live agree. The county leader reads the same
 * page with no close form and no correction form.
 */
import os from 'os';
import path from 'path';
import { createHash } from 'crypto';
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
const knex = () => app.strapi.db.connection;

const openPage = async (page: Page) => {
  await page.goto(`${base}/admin/plugins/complaints`);
  const link = page.getByTestId('minyi-link-month-close');
  await link.waitFor({ timeout: 90000 }).catch(async (e) => {
    await page.screenshot({ path: path.join(os.tmpdir(), 'minyi-month-close-home.png') });
    throw e;
  });
  await link.click();
  await page.getByText('月度封账').first().waitFor({ timeout: 60000 });
};

describeIf('the month close page', () => {
  let ledgerNo = '';
  let documentId = '';

  it('the county office closes October, sees a later change flagged with its complaint, and records a correction', async () => {
    const doc = await app.strapi.documents('plugin::complaints.complaint').create({
      data: { ledgerNo: 'MCB-001', receivedAt: '2026-10-05T02:00:00.000Z', channel: 'hotline', complainantName: '测试辛', phone: '13900005555', town: '城关镇', village: '东街社区', content: '路灯损坏' } as any,
    });
    ledgerNo = 'MCB-001';
    documentId = doc.documentId as string;
    const page = await loginAs('minyi-county-office');
    await openPage(page);
    const form = page.getByTestId('minyi-close-form');
    await form.waitFor({ timeout: 60000 });
    await form.getByRole('combobox').click();
    await page.getByRole('option', { name: '2026-10' }).click();
    await form.getByRole('button', { name: '封账' }).click();
    const done = page.getByTestId('minyi-close-done');
    await done.filter({ hasText: '2026-10 已封账：第 1 版' }).waitFor({ timeout: 60000 });
    const rows = (await knex()('month_closes').orderBy('version').select('version', 'snapshot', 'hash')) as any[];
    expect(rows.map((r) => r.version)).toEqual([1]);
    expect(createHash('sha256').update(rows[0].snapshot, 'utf8').digest('hex')).toBe(rows[0].hash);
    expect(await done.innerText()).toContain(rows[0].hash);
    // Right after the close, nothing differs.
    await page.getByTestId('minyi-close-same').waitFor({ timeout: 60000 });

    // Classifying the complaint makes it valid: October's valid count moves from 0 to 1.
    const cls = await w.users.county.post(`/complaints/complaints/${documentId}/transitions`).send({ action: 'classify', categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    expect(cls.status).toBe(200);
    await page.reload();
    await page.getByRole('button', { name: '对比' }).first().click();
    const diff = page.getByTestId('minyi-close-difference').filter({ hasText: '全月合计' }).filter({ hasText: '有效诉求' });
    await diff.waitFor({ timeout: 60000 });
    expect((await diff.locator('td').allInnerTexts()).map((s) => s.trim())).toEqual(['全月合计', '有效诉求', '0', '1', ledgerNo]);
    // The month's resolution figure is flagged in the frozen-against-live table.
    expect(await page.locator('[data-differs="true"]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('minyi-close-month').getByText('0 / 1 · 0.0% ≠').count()).toBeGreaterThan(0);
    // The snapshot is as it was closed.
    const after = (await knex()('month_closes').where('version', 1).first('snapshot', 'hash')) as any;
    expect([after.snapshot, after.hash]).toEqual([rows[0].snapshot, rows[0].hash]);

    await page.locator('textarea[name="minyi-close-reason"]').fill('补录十月漏甄别的诉求');
    await page.getByRole('button', { name: '记录更正' }).click();
    await done.filter({ hasText: '2026-10：已记录第 2 版' }).waitFor({ timeout: 60000 });
    await page.getByTestId('minyi-close-same').waitFor({ timeout: 60000 });
    const versions = (await knex()('month_closes').orderBy('version').select('version', 'reason', 'previous_hash')) as any[];
    expect(versions.map((v) => [v.version, v.reason, v.previous_hash])).toEqual([[1, null, null], [2, '补录十月漏甄别的诉求', rows[0].hash]]);
    await page.context().close();
  });

  it('the county leader reads the closed month but has no close or correction form (positive control: the county office had both)', async () => {
    const page = await loginAs('minyi-county-leader');
    await openPage(page);
    await page.getByRole('button', { name: '对比' }).first().click();
    await page.getByTestId('minyi-close-month').getByText('第 2 版', { exact: false }).first().waitFor({ timeout: 60000 });
    expect(await page.getByTestId('minyi-close-form').count()).toBe(0);
    expect(await page.getByTestId('minyi-close-correct').count()).toBe(0);
    expect(await page.getByText(ledgerNo).count()).toBe(0);
    await page.context().close();
  });
});
