/**
 * A demand's first day, in Chromium, each step by its own role through Minyi's screens: the
 * county office registers a phone call on 登记诉求, classifies and assigns it in the workflow
 * panel; the unit operator finds it in 我的待办 · 待受理, accepts it as common into a problem group
 * made in the panel, and submits one measure for the whole group (two complaints) in one step.
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
/** The registration series numbers by the county's calendar year; this file's database has none yet. */
const YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
const LEDGER_NO = `REG${YEAR}000001`;
const CONTENT = '东街社区 3 号楼楼道照明坏了一个月，老人夜里上下楼摔过一次';

const choose = async (page: Page, combobox: ReturnType<Page['getByRole']>, option: string) => {
  await combobox.click();
  await page.getByRole('option', { name: option, exact: true }).click();
};

describeIf('a demand from the phone call to its group measure', () => {
  it('registered, classified and assigned by the county office; accepted into a new group and measured for the group by the operator', async () => {
    // The county office takes the call.
    const county = await loginAsIn(b, 'minyi-county-office', null);
    await county.goto(`${base}/admin/plugins/complaints/register`);
    await county.getByRole('heading', { name: '登记诉求' }).waitFor({ timeout: 90000 });
    await choose(county, county.getByRole('combobox', { name: /来源/ }), '热线（电话）');
    await county.locator('textarea[name="minyi-register-content"]').fill(CONTENT);
    await choose(county, county.getByRole('combobox', { name: /乡镇/ }), '城关镇');
    await county.locator('input[name="minyi-register-phone"]').fill('13912345678');
    await county.getByTestId('minyi-register-submit').click();
    await county.getByTestId('minyi-register-done').filter({ hasText: LEDGER_NO }).waitFor({ timeout: 60000 });
    await county.screenshot({ path: path.join(ARTIFACTS, 'workbench-1-registered.png'), fullPage: true });
    const row = await knex()('complaints').where('ledger_no', LEDGER_NO).first('id', 'document_id', 'state', 'channel');
    expect([row.state, row.channel]).toEqual(['received', 'hotline']);

    // …classifies it and assigns it from the workflow panel.
    await county.getByTestId('minyi-register-open').click();
    const panel = county.getByTestId('minyi-workflow-panel');
    await panel.waitFor({ timeout: 90000 });
    await county.getByTestId('minyi-action-classify').click();
    await choose(county, panel.getByRole('combobox').nth(0), '0101 老旧小区改造');
    await choose(county, panel.getByRole('combobox').nth(1), '乡镇部门级');
    await choose(county, panel.getByRole('combobox').nth(2), '城关镇人民政府');
    await county.getByTestId('minyi-submit').click();
    await county.getByTestId('minyi-state').filter({ hasText: '已分类' }).waitFor({ timeout: 60000 });
    await county.getByTestId('minyi-action-assign').click();
    await county.getByTestId('minyi-submit').click();
    await county.getByTestId('minyi-state').filter({ hasText: '已交办' }).waitFor({ timeout: 60000 });
    await county.getByTestId('minyi-result').filter({ hasText: '交办 → 已交办' }).waitFor({ timeout: 30000 });
    await county.context().close();

    // The operator finds it in 待受理.
    const op = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    await op.goto(`${base}/admin/plugins/complaints/my-work?queue=toAccept`);
    await op.getByTestId('mywork-row').first().waitFor({ timeout: 90000 });
    expect(await op.getByTestId('mywork-row-link').allInnerTexts()).toEqual([LEDGER_NO]);
    expect(await op.getByTestId('mywork-row-excerpt').innerText()).toBe(CONTENT);
    await op.screenshot({ path: path.join(ARTIFACTS, 'workbench-2-to-accept.png'), fullPage: true });
    await op.getByTestId('mywork-row-link').click();
    const opPanel = op.getByTestId('minyi-workflow-panel');
    await opPanel.waitFor({ timeout: 90000 });

    // …accepts it as common, into a group made on the spot.
    await op.getByTestId('minyi-action-accept').click();
    await choose(op, opPanel.getByRole('combobox').first(), '共性');
    await op.getByTestId('minyi-new-group-name').fill('东街社区楼道照明');
    await op.getByTestId('minyi-new-group-create').click();
    await op.getByTestId('minyi-result').filter({ hasText: '已新建共性问题小类' }).waitFor({ timeout: 30000 });
    await op.getByTestId('minyi-submit').click();
    await op.getByTestId('minyi-state').filter({ hasText: '已受理' }).waitFor({ timeout: 60000 });
    const group = await knex()('problem_groups').where('name', '东街社区楼道照明').first('id', 'document_id');
    expect((await knex()('complaints').where('id', row.id).first('nature', 'problem_group_id'))).toEqual({ nature: 'common', problem_group_id: group.id });

    // A neighbour's call about the same lights joins the group.
    const neighbour = await driveTo(w, 'assigned', { ledgerNo: 'WB-NEIGHBOUR' });
    expect((await act(w.users.op1, neighbour.documentId, 'accept', { nature: 'common', problemGroup: group.document_id })).status).toBe(200);

    // One measure for the whole group, in one step.
    const deadline = addDaysFromToday(20);
    await op.reload();
    await opPanel.waitFor({ timeout: 90000 });
    await op.getByTestId('minyi-action-submit_measure').click();
    await choose(op, opPanel.getByRole('combobox').first(), '限期整改');
    await opPanel.locator('textarea').first().fill('更换东街社区 3 号楼全部楼道灯具，并建立每周巡查');
    await opPanel.locator('input[type="text"]').first().fill('孙站长');
    await opPanel.locator('input[type="date"]').first().fill(deadline);
    await op.getByTestId('minyi-whole-group').click();
    await op.getByTestId('minyi-submit').click();
    await op.getByTestId('minyi-result').filter({ hasText: '已办理 2 件: 提交整改措施 → 措施审核中' }).waitFor({ timeout: 60000 });
    await op.screenshot({ path: path.join(ARTIFACTS, 'workbench-3-group-measure.png'), fullPage: true });
    const measures = (await knex()('measures').whereIn('complaint_id', [row.id, neighbour.id]).orderBy('complaint_id').select('complaint_id', 'version', 'text', 'responsible_person')) as any[];
    expect(measures.map((m) => [Number(m.complaint_id), Number(m.version), m.text, m.responsible_person])).toEqual([
      [row.id, 1, '更换东街社区 3 号楼全部楼道灯具，并建立每周巡查', '孙站长'],
      [neighbour.id, 1, '更换东街社区 3 号楼全部楼道灯具，并建立每周巡查', '孙站长'],
    ].sort((a, c) => Number(a[0]) - Number(c[0])));
    expect(await knex()('complaints').whereIn('id', [row.id, neighbour.id]).pluck('state')).toEqual(['in_review', 'in_review']);
    await op.context().close();
  });
});
