/**
 * The workflow panel's details, in Chromium: the operator accepts a complaint as common into a
 * problem group created from the panel itself; the message of an action survives the reload;
 * a returned measure's values fill the resubmission form, with the lead unit's comment shown;
 * in sign-off the panel says whose signature is next and lists each signature with its comment.
 */
import path from 'path';
import type { Page } from 'playwright-core';
import { browserSuite, loginAs as loginAsIn, type BrowserApp } from '../helpers/browser-app';
import type { TestApp } from '../helpers/strapi';
import { act, addDaysFromToday, driveTo, type World } from '../helpers/world';

let app: TestApp;
let w: World;
let base: string;
let b: BrowserApp;
const describeIf = browserSuite((started) => {
  b = started;
  ({ app, w, base } = started);
});

const ARTIFACTS = path.join(__dirname, '..', 'artifacts');
const knex = () => app.strapi.db.connection;
const openPanel = async (page: Page, documentId: string) => {
  await page.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.complaint/${documentId}`);
  const panel = page.getByTestId('minyi-workflow-panel');
  await panel.waitFor({ timeout: 90000 });
  return panel;
};
const ok = async (p: PromiseLike<{ status: number; body: any }>, status = 200) => {
  const res = await p;
  expect([res.status, res.body?.error?.message]).toEqual([status, undefined]);
};

describeIf('the workflow panel\'s details', () => {
  it('accept as common into a new group made in the panel; the result stays on screen after the reload', async () => {
    const c = await driveTo(w, 'assigned', { ledgerNo: 'WP-GROUP' });
    const page = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    const panel = await openPanel(page, c.documentId);
    await page.getByTestId('minyi-action-accept').click();
    await panel.getByRole('combobox').first().click();
    await page.getByRole('option', { name: '共性' }).click();
    await page.getByTestId('minyi-new-group-name').fill('城关镇楼道照明');
    await page.getByTestId('minyi-new-group-create').click();
    await page.getByTestId('minyi-result').filter({ hasText: '已新建共性问题小类' }).waitFor({ timeout: 30000 });
    const group = await knex()('problem_groups').where('name', '城关镇楼道照明').first('id', 'code', 'category_code', 'unit_id');
    expect([group.category_code, Number(group.unit_id), /^0101/.test(group.code)]).toEqual(['0101', w.units.t1.id, true]);
    // The new group is chosen in the form.
    expect(await panel.getByRole('combobox').nth(1).innerText()).toContain('城关镇楼道照明');
    await page.getByTestId('minyi-submit').click();
    await page.getByTestId('minyi-state').filter({ hasText: '已受理' }).waitFor({ timeout: 60000 });
    await page.getByTestId('minyi-result').filter({ hasText: '已办理: 受理 → 已受理' }).waitFor({ timeout: 30000 });
    expect(await knex()('complaints').where('id', c.id).first('state', 'nature', 'problem_group_id')).toEqual({ state: 'accepted', nature: 'common', problem_group_id: group.id });
    await page.screenshot({ path: path.join(ARTIFACTS, 'workflow-panel-accept-common.png'), fullPage: true });
    await page.context().close();
  });

  it('a returned measure fills the resubmission form, with the review comment shown', async () => {
    const deadline = addDaysFromToday(25);
    const c = await driveTo(w, 'accepted', { ledgerNo: 'WP-RESUBMIT' });
    await ok(act(w.users.op1, c.documentId, 'submit_measure', { mode: 'deadline', text: '更换楼道灯具并建立每周巡查', responsiblePerson: '孙站长', deadline }));
    await ok(act(w.users.lead1, c.documentId, 'return_measure', { comment: '措施不实，请补充具体工期' }));
    const page = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    const panel = await openPanel(page, c.documentId);
    expect(await panel.getByTestId('minyi-measure-review').innerText()).toContain('措施不实，请补充具体工期');
    expect(await panel.getByTestId('minyi-measure').innerText()).toContain('责任人 孙站长');
    await page.getByTestId('minyi-action-resubmit_measure').click();
    expect(await panel.locator('textarea').first().inputValue()).toBe('更换楼道灯具并建立每周巡查');
    expect(await panel.locator('input[type="text"]').first().inputValue()).toBe('孙站长');
    expect(await panel.locator('input[type="date"]').first().inputValue()).toBe(deadline);
    await panel.locator('textarea').first().fill('更换楼道灯具并建立每周巡查，10 个工作日内完工');
    await page.getByTestId('minyi-submit').click();
    await page.getByTestId('minyi-state').filter({ hasText: '措施审核中' }).waitFor({ timeout: 60000 });
    const versions = await knex()('measures').where('complaint_id', c.id).orderBy('version').select('version', 'text', 'responsible_person');
    expect(versions.map((m: any) => [Number(m.version), m.text, m.responsible_person])).toEqual([
      [1, '更换楼道灯具并建立每周巡查', '孙站长'],
      [2, '更换楼道灯具并建立每周巡查，10 个工作日内完工', '孙站长'],
    ]);
    await page.context().close();
  });

  it('in sign-off the panel says whose signature is next and lists each signature with its comment', async () => {
    const c = await driveTo(w, 'signing', { ledgerNo: 'WP-SIGN' });
    const page = await loginAsIn(b, 'minyi-unit-head', w.units.t1.id);
    const panel = await openPanel(page, c.documentId);
    expect(await panel.getByTestId('minyi-next-signer').innerText()).toBe('下一位签字: 责任单位负责人');
    await page.getByTestId('minyi-action-sign').click();
    await panel.locator('textarea').first().fill('已现场核实，灯具全部更换');
    await page.getByTestId('minyi-submit').click();
    await page.getByTestId('minyi-result').filter({ hasText: '已办理: 验收签字' }).waitFor({ timeout: 60000 });
    expect(await panel.getByTestId('minyi-next-signer').innerText()).toBe('下一位签字: 牵头单位负责人');
    const signed = await panel.getByTestId('minyi-signoff').innerText();
    expect(signed).toContain('责任单位负责人 · 浏览器');
    expect(signed).toContain('（城关镇人民政府） · 同意 · ');
    expect(signed).toContain('— 已现场核实，灯具全部更换');
    // The unit head has signed: no more action for them.
    expect(await panel.locator('[data-testid^="minyi-action-"]').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'workflow-panel-signing.png'), fullPage: true });
    await page.context().close();
  });

  it('an accepted complaint joins a problem group from its panel (归入共性问题小类)', async () => {
    const c = await driveTo(w, 'accepted', { ledgerNo: 'WP-JOIN' });
    const made = await w.users.op1.post('/complaints/problem-groups').send({ categoryCode: '0101', name: '城关镇雨水井' });
    expect(made.status).toBe(201);
    const page = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    const panel = await openPanel(page, c.documentId);
    await page.getByTestId('minyi-action-group').click();
    await panel.getByRole('combobox').first().click();
    await page.getByRole('option', { name: `${made.body.data.code} 城关镇雨水井`, exact: true }).click();
    await page.getByTestId('minyi-submit').click();
    await page.getByTestId('minyi-result').filter({ hasText: `已办理: 归入共性问题小类 → ${made.body.data.code}` }).waitFor({ timeout: 60000 });
    const group = await knex()('problem_groups').where('document_id', made.body.data.documentId).first('id');
    const row = await knex()('complaints').where('id', c.id).first('state', 'nature', 'problem_group_id');
    expect([row.state, row.nature, Number(row.problem_group_id)]).toEqual(['accepted', 'common', Number(group.id)]);
    // In a group now: the panel no longer offers to group it.
    expect(await page.getByTestId('minyi-action-group').count()).toBe(0);
    await page.context().close();
  });

  it('times are shown in the county\'s zone, not the browser\'s: the history of a reader in Los Angeles', async () => {
    const c = await driveTo(w, 'accepted', { ledgerNo: 'WP-ZONE' });
    const last = await knex()('complaint_events').where('complaint_id', c.id).orderBy('seq', 'desc').first('seq', 'at');
    const page = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id, { timezoneId: 'America/Los_Angeles' });
    await openPanel(page, c.documentId);
    const newest = page.getByTestId('minyi-history-event').first();
    await newest.waitFor({ timeout: 60000 });
    const shown = await newest.innerText();
    const at = new Date(last.at);
    const inZone = (timeZone: string) => new Intl.DateTimeFormat('zh-CN', { dateStyle: 'short', timeStyle: 'short', timeZone }).format(at);
    expect([shown.startsWith(`#${last.seq} `), shown.endsWith(inZone('Asia/Shanghai'))]).toEqual([true, true]);
    // The two zones are 15 or 16 hours apart: the browser's own would read otherwise.
    expect(inZone('Asia/Shanghai')).not.toBe(inZone('America/Los_Angeles'));
    await page.context().close();
  });
});
