/**
 * The admin as people use it, in Chromium: the county office sees categories, units and
 * complaints; a unit operator opens a complaint and accepts it through the workflow side panel,
 * which offers exactly the transitions allowed now.
 */
import type { Page } from 'playwright-core';
import { browserSuite, loginAs as loginAsIn, type BrowserApp } from '../helpers/browser-app';
import type { TestApp } from '../helpers/strapi';
import type { World } from '../helpers/world';
import { pngFile } from '../helpers/files';


let app: TestApp;
let w: World;
let base: string;
let b: BrowserApp;
const describeIf = browserSuite((started) => {
  b = started;
  ({ app, w, base } = started);
});

const loginAs = (roleCode: string, unitId: number | null): Promise<Page> => loginAsIn(b, roleCode, unitId);

describeIf('admin in the browser', () => {
  it('the county office sees categories, units and complaints in the Content Manager', async () => {
    await w.complaint();
    const page = await loginAs('minyi-county-office', null);
    // The admin opens in Chinese by default.
    expect(await page.evaluate(() => (globalThis as any).localStorage.getItem('strapi-admin-language'))).toBe('zh-Hans');
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.category`);
    // Strapi's own zh-Hans strings (返回 = Back) show the Chinese interface is active.
    await page.getByText('返回').first().waitFor({ timeout: 60000 });
    await page.getByText('老旧小区改造').waitFor({ timeout: 60000 });
    expect(await page.getByText('0101', { exact: true }).count()).toBeGreaterThan(0);
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.unit`);
    await page.getByText('城关镇人民政府').waitFor();
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.complaint`);
    await page.getByText(/^W-/).first().waitFor();
    await page.context().close();
  });

  it('a unit operator accepts an assigned complaint through the workflow panel', async () => {
    const c = await w.complaint();
    await w.users.county.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'classify', categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    await w.users.county.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'assign' });

    const page = await loginAs('minyi-unit-operator', w.units.t1.id);
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.complaint/${c.documentId}`);
    const panel = page.getByTestId('minyi-workflow-panel');
    await panel.waitFor({ timeout: 60000 });
    const actions = await panel.locator('[data-testid^="minyi-action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(actions).toEqual(['minyi-action-send_back', 'minyi-action-accept']);

    await page.getByTestId('minyi-action-accept').click();
    await panel.getByRole('combobox').first().click();
    await page.getByRole('option', { name: '个性' }).click();
    await page.getByTestId('minyi-submit').click();
    await page.getByTestId('minyi-state').filter({ hasText: '已受理' }).waitFor({ timeout: 60000 });

    const row = await app.strapi.db.connection('complaints').where('id', c.id).first('state', 'nature');
    expect(row).toEqual({ state: 'accepted', nature: 'individual' });
    // Now the operator may submit a measure or put the complaint into a problem group, and nothing else.
    const after = await panel.locator('[data-testid^="minyi-action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(after).toEqual(['minyi-action-submit_measure', 'minyi-action-group']);
    await page.screenshot({ path: require('path').join(require('os').tmpdir(), 'minyi-workflow-panel.png') });
    await page.context().close();
  });

  it('another unit\'s operator does not see the complaint (positive control: its own unit\'s operator does)', async () => {
    const assignTo = async (unit: 't1' | 't2') => {
      const c = await w.complaint({ town: unit === 't1' ? '城关镇' : '东坝镇' });
      await w.users.county.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'classify', categoryCode: unit === 't1' ? '0101' : '0201', level: 'township', responsibleUnitId: w.units[unit].id });
      const res = await w.users.county.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'assign' });
      expect(res.body.data.to).toBe('assigned');
      return c;
    };
    const ofT1 = await assignTo('t1');
    const ofT2 = await assignTo('t2');
    const list = `${base}/admin/content-manager/collection-types/plugin::complaints.complaint?page=1&pageSize=100`;

    // The t2 operator's list shows their own complaint (the page has loaded) and not t1's.
    const page = await loginAs('minyi-unit-operator', w.units.t2.id);
    await page.goto(list);
    await page.getByText(ofT2.ledgerNo).waitFor({ timeout: 60000 });
    expect(await page.getByText(ofT1.ledgerNo).count()).toBe(0);
    // Opening t1's complaint directly shows no panel and no ledger number; their own shows both.
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.complaint/${ofT2.documentId}`);
    await page.getByTestId('minyi-workflow-panel').waitFor({ timeout: 60000 });
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.complaint/${ofT1.documentId}`);
    // The Content Manager renders its refusal (Strapi's generic error page for a 403) first.
    await page.getByText('发生了一些问题').waitFor({ timeout: 60000 });
    expect(await page.getByTestId('minyi-workflow-panel').count()).toBe(0);
    expect(await page.getByText(ofT1.ledgerNo).count()).toBe(0);
    await page.context().close();

    // The t1 operator sees the t1 complaint in the same list.
    const own = await loginAs('minyi-unit-operator', w.units.t1.id);
    await own.goto(list);
    await own.getByText(ofT1.ledgerNo).waitFor({ timeout: 60000 });
    expect(await own.getByText(ofT2.ledgerNo).count()).toBe(0);
    await own.context().close();
  });

  it('the county office assigns a filtered selection in one click (交办 in the list)', async () => {
    const made = [];
    for (let i = 0; i < 3; i += 1) {
      const c = await w.complaint({ town: '南山镇' });
      const res = await w.users.county.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'classify', categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
      expect(res.body.data.to).toBe('classified');
      made.push(c);
    }
    // A fourth complaint of the same town stays received: the filter leaves it out.
    const received = await w.complaint({ town: '南山镇' });
    const page = await loginAs('minyi-county-office', null);
    const filtered = `${base}/admin/content-manager/collection-types/plugin::complaints.complaint?page=1&pageSize=100&filters[$and][0][state][$eq]=classified&filters[$and][1][town][$eq]=${encodeURIComponent('南山镇')}`;
    await page.goto(filtered);
    for (const c of made) await page.getByText(c.ledgerNo).waitFor({ timeout: 60000 });
    expect(await page.getByText(received.ledgerNo).count()).toBe(0);
    // The list can render once more after its rows appear, which drops a selection made in
    // between; a selection that shows no bulk action is cleared and made again.
    const selectAll = page.locator('thead [role="checkbox"]').first();
    const assign = page.getByRole('button', { name: '交办（3）' });
    for (let attempt = 0; attempt < 8 && !(await assign.isVisible()); attempt += 1) {
      if (attempt === 4) {
        // The list never showed its selection bar: load it afresh and select again.
        await page.reload();
        for (const c of made) await page.getByText(c.ledgerNo).waitFor({ timeout: 60000 });
      }
      if (attempt > 0 && (await selectAll.getAttribute('aria-checked')) === 'true') await selectAll.click();
      if ((await selectAll.getAttribute('aria-checked')) !== 'true') await selectAll.click();
      await assign.waitFor({ timeout: 5000 }).catch(() => undefined);
    }
    if (!(await assign.isVisible())) {
      // What the page offers instead, for the failure report.
      const offered = await page.getByRole('button').allInnerTexts();
      const main = (await page.locator('main').innerText()).slice(0, 1500);
      throw new Error(`交办（3） is not offered; selection ${await selectAll.getAttribute('aria-checked')}, buttons: ${JSON.stringify(offered)}, url ${page.url()}, main: ${main}`);
    }
    // The selection bar speaks Chinese too (Strapi's own string, through src/admin/app.tsx).
    expect(await page.getByText('已选择 3 条').count()).toBe(1);
    await assign.click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('将 3 件已分类诉求交办给各自的责任单位。').waitFor();
    await dialog.getByRole('button', { name: '交办', exact: true }).click();
    await page.getByText('已交办 3 件').waitFor({ timeout: 60000 });
    const rows = await app.strapi.db.connection('complaints').whereIn('id', [...made.map((c) => c.id), received.id]).orderBy('id').select('state');
    expect(rows.map((r: any) => r.state)).toEqual(['assigned', 'assigned', 'assigned', 'received']);
    await page.context().close();
  });

  it('a unit operator is not offered 交办 in the list (positive control above: the county office is)', async () => {
    const c = await w.complaint();
    await w.users.county.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'classify', categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    await w.users.county.post(`/complaints/complaints/${c.documentId}/transitions`).send({ action: 'assign' });
    const page = await loginAs('minyi-unit-operator', w.units.t1.id);
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.complaint?page=1&pageSize=100`);
    await page.getByText(c.ledgerNo).waitFor({ timeout: 60000 });
    await page.locator('thead [role="checkbox"]').first().click();
    // The selection bar is shown (it names the selection) but offers no 交办.
    await page.getByText(/已选择|selected/).first().waitFor({ timeout: 30000 });
    expect(await page.getByRole('button', { name: /^交办/ }).count()).toBe(0);
    await page.context().close();
  });

  it('the county office records a correction in the history panel; the original stays as received', async () => {
    const c = await w.complaint({ phone: '19900001234' });
    const page = await loginAs('minyi-county-office', null);
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.complaint/${c.documentId}`);
    await page.getByText('履历链完整').waitFor({ timeout: 60000 });
    await page.getByText('共 1 条履历').waitFor();
    // The field list defaults to 联系电话 (phone).
    await page.locator('input[name="minyi-correction-value"]').fill('19900005678');
    await page.locator('input[name="minyi-correction-reason"]').fill('来电人更正了联系电话');
    await page.getByRole('button', { name: '记录更正' }).click();
    await page.getByText('已记录更正，原始记录保持不变').waitFor({ timeout: 60000 });
    await page.getByText('联系电话 → 19900005678').waitFor({ timeout: 60000 });
    await page.getByText('共 2 条履历').waitFor({ timeout: 60000 });
    const row = await app.strapi.db.connection('complaints').where('id', c.id).first('phone');
    expect(row.phone).toBe('19900001234');
    const corrections = await app.strapi.db.connection('complaint_corrections').where('complaint_id', c.id).select('field', 'value', 'reason');
    expect(corrections).toEqual([{ field: 'phone', value: '19900005678', reason: '来电人更正了联系电话' }]);
    await page.context().close();
  });
  it('the lead unit sees a citizen\'s reopen request with the answer and comment, and rejects it with a reason', async () => {
    const c = await w.complaint({ phone: '13922229999' });
    const step = async (s: typeof w.users.county, body: Record<string, unknown>) => {
      const res = await s.post(`/complaints/complaints/${c.documentId}/transitions`).send(body);
      expect([res.status, res.body.error]).toEqual([200, undefined]);
    };
    await step(w.users.county, { action: 'classify', categoryCode: '0101', level: 'township', responsibleUnitId: w.units.t1.id });
    await step(w.users.county, { action: 'assign' });
    await step(w.users.op1, { action: 'accept', nature: 'individual' });
    await step(w.users.op1, { action: 'submit_measure', mode: 'immediate', text: '更换楼道灯具', responsiblePerson: '孙站长', deadline: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10) });
    await step(w.users.lead1, { action: 'approve_measure' });
    const ev = await w.users.op1.post(`/complaints/complaints/${c.documentId}/evidence`).field('aspect', 'facility').field('text', '整改后现场照片').attach('files', pngFile('lamp'), { filename: 'lamp.png', contentType: 'image/png' });
    expect(ev.status).toBe(201);
    await step(w.users.op1, { action: 'complete' });
    for (const s of [w.users.head1, w.users.lead1, w.users.leader]) await step(s, { action: 'sign' });
    const knex = app.strapi.db.connection;
    const notice = await knex('sms_messages').where({ complaint_id: c.id, template: 'closed_survey' }).first('body');
    const token = /\/survey\/([A-Za-z0-9_-]+)/.exec(notice.body)![1];
    expect(await app.strapi.plugin('complaints').service('surveys').answerByToken(token, 'dissatisfied', '灯还是不亮')).toBe('answered');

    const page = await loginAs('minyi-lead-unit', w.units.l1.id);
    await page.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.complaint/${c.documentId}`);
    const request = page.getByTestId('minyi-reopen-request');
    await request.waitFor({ timeout: 60000 });
    expect(await page.getByTestId('minyi-reopen-request-state').textContent()).toBe('待牵头单位决定');
    expect(await request.textContent()).toContain('群众评价: 不满意 · 通过回访链接');
    expect(await page.getByTestId('minyi-reopen-request-comment').textContent()).toBe('群众意见: 灯还是不亮');
    const actions = await page.getByTestId('minyi-workflow-panel').locator('[data-testid^="minyi-action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(actions).toEqual(['minyi-action-reopen', 'minyi-action-confirm_reopen', 'minyi-action-reject_reopen']);

    await page.getByTestId('minyi-action-reject_reopen').click();
    await page.getByTestId('minyi-workflow-panel').locator('textarea').first().fill('经现场核实灯具已更换，系线路临时故障');
    await page.getByTestId('minyi-submit').click();
    await page.getByTestId('minyi-reopen-request-state').filter({ hasText: '已驳回' }).waitFor({ timeout: 60000 });
    const after = await page.getByTestId('minyi-workflow-panel').locator('[data-testid^="minyi-action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(after).toEqual(['minyi-action-reopen']);
    const survey = await knex('surveys').where('complaint_id', c.id).first('reopen_request');
    expect(survey.reopen_request).toBe('rejected');
    expect((await knex('complaints').where('id', c.id).first('state')).state).toBe('closed');
    await page.context().close();
  });
});
