/**
 * My work (我的待办) in Chromium. A unit operator of 城关镇 opens the admin: the homepage widget
 * lists their queues with counts; 整改中 opens the queue page with its two complaints, the nearest
 * deadline first with an orange badge; a town chosen from the list shows as a chip; a ledger
 * number of another unit finds nothing; clearing the chip brings the rows back; a saved view
 * comes back after a reload. The operator of 东坝镇 never sees 城关镇's complaint (positive
 * control: their own), and the unit head finds the complaint in sign-off with whose turn it is.
 * From the queues the operator accepts a selection as common into a new problem group, and adds
 * accepted complaints to it; a selection of two categories is stopped before anything is sent.
 */
import path from 'path';
import type { Page } from 'playwright-core';
import { browserSuite, loginAs as loginAsIn, sameUserElsewhere, type BrowserApp } from '../helpers/browser-app';
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
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `my-work-${name}.png`), fullPage: true });
const WIDGET = '[data-strapi-widget-id="plugin::complaints.my-work"]';
const texts = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluateAll((els) => els.map((e) => String((e as { innerText?: string }).innerText ?? '').trim()));
const rowLedgerNos = (page: Page) => texts(page, 'mywork-row-link');

describeIf('My work 我的待办', () => {
  beforeAll(async () => {
    await driveTo(w, 'rectifying', { ledgerNo: 'MW-LATE', deadline: addDaysFromToday(40) });
    await driveTo(w, 'rectifying', { ledgerNo: 'MW-SOON', deadline: addDaysFromToday(5) });
    await driveTo(w, 'assigned', { ledgerNo: 'MW-ACCEPT' });
    await driveTo(w, 'assigned', { unit: 't2', ledgerNo: 'MW-OTHER' });
    await driveTo(w, 'signing', { ledgerNo: 'MW-SIGN' });
  });

  it('the operator goes from the homepage widget to 整改中, filters, clears, and saves a view', async () => {
    const page = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    const widget = page.locator(WIDGET);
    await widget.getByTestId('minyi-mywork-widget').waitFor({ timeout: 90000 });
    expect(await texts(page, 'minyi-mywork-widget-toAccept')).toEqual(['待受理\n1']);
    expect((await texts(page, 'minyi-mywork-widget-rectifying'))[0].replace(/\s+/g, ' ')).toBe('整改中 2');
    await shot(page, 'homepage');

    await widget.getByRole('link', { name: '整改中' }).click();
    await page.waitForURL(/\/plugins\/complaints\/my-work\?queue=rectifying/, { timeout: 60000 });
    await page.getByTestId('mywork-row').first().waitFor({ timeout: 60000 });
    expect(await rowLedgerNos(page)).toEqual(['MW-SOON', 'MW-LATE']);
    expect(await texts(page, 'mywork-row-deadline')).toEqual([addDaysFromToday(5), addDaysFromToday(40)]);
    expect(await texts(page, 'mywork-row-warning')).toEqual(['橙色预警']);
    expect((await texts(page, 'mywork-row-excerpt'))[0]).toBe('小区楼道照明长期损坏，物业推诿');
    // Every queue of the role, with its count; the one shown is marked.
    expect((await texts(page, 'mywork-queues'))[0].split('\n').map((s) => s.trim()).filter(Boolean)).toEqual(['待受理 1', '待报措施 0', '被退回 0', '整改中 2']);
    expect(await page.getByTestId('mywork-queue-rectifying').getAttribute('aria-pressed')).toBe('true');
    // Strapi's news banner is not shown to the county's staff.
    expect(await page.getByText('Introducing the new Media Library').count()).toBe(0);
    // Names, not codes: no raw state or warning value on the page.
    const body = await page.locator('main').innerText();
    for (const raw of ['rectifying', 'orange', 'responsibleUnitId', 'undefined']) expect([raw, body.includes(raw)]).toEqual([raw, false]);
    await shot(page, 'rectifying');

    // A town chosen from the list: a chip says so.
    await page.getByTestId('mywork-filter-town').getByRole('combobox').click();
    await page.getByRole('option', { name: '城关镇' }).click();
    await page.getByTestId('mywork-chip-town').waitFor({ timeout: 30000 });
    expect(await texts(page, 'mywork-chip-town')).toEqual(['乡镇: 城关镇']);
    expect(page.url()).toContain('town=');
    expect(await rowLedgerNos(page)).toEqual(['MW-SOON', 'MW-LATE']);

    // Another unit's ledger number finds nothing here.
    await page.getByTestId('mywork-filter-ledgerNo').fill('MW-OTHER');
    await page.getByTestId('mywork-filter-ledgerNo').press('Enter');
    await page.getByTestId('mywork-empty').waitFor({ timeout: 30000 });
    expect(await texts(page, 'mywork-chip-ledgerNo')).toEqual(['诉求编号: MW-OTHER']);
    await page.getByTestId('mywork-chip-ledgerNo').click();
    await page.getByTestId('mywork-row').first().waitFor({ timeout: 30000 });
    expect(await rowLedgerNos(page)).toEqual(['MW-SOON', 'MW-LATE']);

    // Save the view, leave, come back through it.
    await page.getByTestId('mywork-view-name').fill('城关整改');
    await page.getByTestId('mywork-view-save').click();
    await page.goto(`${base}/admin/plugins/complaints/my-work`);
    await page.getByTestId('mywork-view').first().waitFor({ timeout: 60000 });
    // Nothing is remembered silently: a fresh visit has no filter.
    expect(await page.getByTestId('mywork-chips').count()).toBe(0);
    await page.getByTestId('mywork-view').getByRole('button', { name: '城关整改', exact: true }).click();
    await page.getByTestId('mywork-chip-town').waitFor({ timeout: 30000 });
    expect(await page.getByTestId('mywork-queue-rectifying').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('mywork-clear-all').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="mywork-chips"]'), undefined, { timeout: 30000 });

    // The view is the user's, not the browser's: in another browser (nothing in its storage)
    // the same user finds it, and it opens the same queue and filter.
    const elsewhere = await sameUserElsewhere(b, page);
    expect(await elsewhere.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith('minyi.myWork.views')))).toEqual([]);
    await elsewhere.goto(`${base}/admin/plugins/complaints/my-work`);
    await elsewhere.getByTestId('mywork-view').getByRole('button', { name: '城关整改', exact: true }).click();
    await elsewhere.getByTestId('mywork-chip-town').waitFor({ timeout: 60000 });
    expect(await elsewhere.getByTestId('mywork-queue-rectifying').getAttribute('aria-pressed')).toBe('true');
    expect(await rowLedgerNos(elsewhere)).toEqual(['MW-SOON', 'MW-LATE']);
    await elsewhere.context().close();
    // Another operator of the same unit has views of their own: none.
    const colleague = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    const answered = colleague.waitForResponse((r) => r.url().includes('/complaints/my-work/views') && r.request().method() === 'GET', { timeout: 90000 });
    await colleague.goto(`${base}/admin/plugins/complaints/my-work`);
    expect((await (await answered).json()).data.views).toEqual([]);
    await colleague.getByTestId('mywork-queue-rectifying').waitFor({ timeout: 60000 });
    expect(await colleague.getByTestId('mywork-view').count()).toBe(0);
    await colleague.context().close();
    await page.context().close();
  });

  it('another unit\'s operator never sees it, even by number; their own they do', async () => {
    const page = await loginAsIn(b, 'minyi-unit-operator', w.units.t2.id);
    await page.goto(`${base}/admin/plugins/complaints/my-work?queue=toAccept`);
    await page.getByTestId('mywork-row').first().waitFor({ timeout: 90000 });
    expect(await rowLedgerNos(page)).toEqual(['MW-OTHER']);
    await page.goto(`${base}/admin/plugins/complaints/my-work?queue=toAccept&ledgerNo=MW-ACCEPT`);
    await page.getByTestId('mywork-empty').waitFor({ timeout: 60000 });
    expect(await page.getByText('MW-ACCEPT', { exact: true }).count()).toBe(0);
    await page.context().close();
  });

  it('the county office assigns a selection in one step, with progress and a result per complaint', async () => {
    const cs = [];
    for (const n of [1, 2, 3]) cs.push(await driveTo(w, 'classified', { ledgerNo: `MW-B${n}` }));
    const page = await loginAsIn(b, 'minyi-county-office', null);
    await page.goto(`${base}/admin/plugins/complaints/my-work?queue=toAssign`);
    await page.getByTestId('mywork-row').first().waitFor({ timeout: 90000 });
    expect(await rowLedgerNos(page)).toEqual(['MW-B1', 'MW-B2', 'MW-B3']);
    await page.getByTestId('mywork-select-all').click();
    expect(await texts(page, 'mywork-batch')).toEqual(['交办所选（3）']);
    // Meanwhile a colleague assigns one of them.
    expect((await act(w.users.county, cs[1].documentId, 'assign')).status).toBe(200);
    await page.getByTestId('mywork-batch').click();
    await page.getByTestId('mywork-batch-progress').filter({ hasText: '已办理 3 / 3' }).waitFor({ timeout: 60000 });
    const results = await texts(page, 'mywork-batch-result');
    expect(results.slice(0, 1).concat(results.slice(2))).toEqual(['✓ MW-B1: 交办 → 已交办', '✓ MW-B3: 交办 → 已交办']);
    expect(results[1].startsWith('✗ MW-B2: ')).toBe(true);
    expect(results[1]).toContain('交办');
    await page.getByTestId('mywork-empty').waitFor({ timeout: 60000 });
    expect((await texts(page, 'mywork-queue-toAssign'))[0].replace(/\s+/g, ' ')).toBe('待交办 0');
    expect(await app.strapi.db.connection('complaints').whereIn('id', cs.map((c) => c.id)).orderBy('ledger_no').pluck('state')).toEqual(['assigned', 'assigned', 'assigned']);
    await shot(page, 'batch-assign');
    await page.context().close();
  });

  it('the unit head finds the complaint in 待我签字 with whose turn it is', async () => {
    const page = await loginAsIn(b, 'minyi-unit-head', w.units.t1.id);
    await page.goto(`${base}/admin/plugins/complaints/my-work`);
    await page.getByTestId('mywork-row').first().waitFor({ timeout: 90000 });
    expect(await rowLedgerNos(page)).toEqual(['MW-SIGN']);
    expect(await texts(page, 'mywork-row-signstep')).toEqual(['待责任单位负责人签字']);
    await shot(page, 'to-sign');
    await page.context().close();
  });

  it('the operator accepts a selection as common into a group made in the queue, and adds accepted ones to it from 待报措施; a mixed selection is stopped', async () => {
    const knex = () => app.strapi.db.connection;
    const fresh = [await driveTo(w, 'assigned', { ledgerNo: 'MW-C1' }), await driveTo(w, 'assigned', { ledgerNo: 'MW-C2' })];
    const page = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    const select = (ledgerNo: string) => page.getByRole('checkbox', { name: `选择 ${ledgerNo}` }).click();

    // 待受理: 受理 as 共性, into a group made here.
    await page.goto(`${base}/admin/plugins/complaints/my-work?queue=toAccept`);
    await page.getByTestId('mywork-row').first().waitFor({ timeout: 90000 });
    await page.getByTestId('mywork-batch-common').click();
    await select('MW-C1');
    await select('MW-C2');
    await page.getByTestId('mywork-new-group-name').fill('城关镇路灯');
    await page.getByTestId('mywork-new-group-create').click();
    await page.getByTestId('mywork-group-note').filter({ hasText: '已新建共性问题小类' }).waitFor({ timeout: 30000 });
    const group = await knex()('problem_groups').where('name', '城关镇路灯').first('id', 'code', 'category_code', 'unit_id');
    expect([group.category_code, Number(group.unit_id)]).toEqual(['0101', w.units.t1.id]);
    expect(await page.getByTestId('mywork-group-picker').getByRole('combobox').innerText()).toContain('城关镇路灯');
    expect(await texts(page, 'mywork-batch')).toEqual(['受理所选为共性诉求并归入小类（2）']);
    await page.getByTestId('mywork-batch').click();
    await page.getByTestId('mywork-batch-progress').filter({ hasText: '已办理 2 / 2' }).waitFor({ timeout: 60000 });
    expect(await texts(page, 'mywork-batch-result')).toEqual(['✓ MW-C1: 受理 → 已受理', '✓ MW-C2: 受理 → 已受理']);
    const accepted = (await knex()('complaints').whereIn('id', fresh.map((c) => c.id)).orderBy('ledger_no').select('state', 'nature', 'problem_group_id')) as any[];
    expect(accepted.map((r) => [r.state, r.nature, Number(r.problem_group_id)])).toEqual([['accepted', 'common', group.id], ['accepted', 'common', group.id]]);
    await shot(page, 'batch-accept-common');

    // 待报措施: two accepted individual complaints join the same group; one of another category cannot.
    const g1 = await driveTo(w, 'accepted', { ledgerNo: 'MW-G1' });
    const g2 = await driveTo(w, 'accepted', { ledgerNo: 'MW-G2' });
    const g3 = await w.complaint({ ledgerNo: 'MW-G3' });
    expect((await act(w.users.county, g3.documentId, 'classify', { categoryCode: '0102', level: 'township', responsibleUnitId: w.units.t1.id })).status).toBe(200);
    expect((await act(w.users.county, g3.documentId, 'assign')).status).toBe(200);
    expect((await act(w.users.op1, g3.documentId, 'accept', { nature: 'individual' })).status).toBe(200);
    await page.goto(`${base}/admin/plugins/complaints/my-work?queue=toMeasure`);
    await page.getByTestId('mywork-row').first().waitFor({ timeout: 90000 });
    await select('MW-G1');
    await select('MW-G3');
    await page.getByTestId('mywork-batch-group-mixed').waitFor({ timeout: 30000 });
    expect(await page.getByTestId('mywork-batch').isDisabled()).toBe(true);
    // Positive control: the same two of one category.
    await select('MW-G3');
    await select('MW-G2');
    const picker = page.getByTestId('mywork-group-picker').getByRole('combobox');
    await picker.click();
    await page.getByRole('option', { name: `${group.code} 城关镇路灯`, exact: true }).click();
    expect(await texts(page, 'mywork-batch')).toEqual(['将所选归入共性问题小类（2）']);
    await page.getByTestId('mywork-batch').click();
    await page.getByTestId('mywork-batch-progress').filter({ hasText: '已办理 2 / 2' }).waitFor({ timeout: 60000 });
    expect(await texts(page, 'mywork-batch-result')).toEqual([`✓ MW-G1: 归入共性问题小类 → ${group.code}`, `✓ MW-G2: 归入共性问题小类 → ${group.code}`]);
    const grouped = (await knex()('complaints').whereIn('id', [g1.id, g2.id, g3.id]).orderBy('ledger_no').select('ledger_no', 'nature', 'problem_group_id')) as any[];
    expect(grouped.map((r) => [r.ledger_no, r.nature, r.problem_group_id === null ? null : Number(r.problem_group_id)])).toEqual([
      ['MW-G1', 'common', group.id],
      ['MW-G2', 'common', group.id],
      ['MW-G3', 'individual', null],
    ]);
    expect(Number((await knex()('complaint_events').whereIn('complaint_id', [g1.id, g2.id]).where('type', 'grouped').count({ n: '*' }))[0].n)).toBe(2);
    await shot(page, 'batch-group');
    await page.context().close();
  });

  it('the operator submits one measure for each of a selection in 待报措施, each with its result', async () => {
    const knex = () => app.strapi.db.connection;
    const cs = [await driveTo(w, 'accepted', { ledgerNo: 'MW-M1' }), await driveTo(w, 'accepted', { ledgerNo: 'MW-M2' })];
    const deadline = addDaysFromToday(15);
    const page = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    await page.goto(`${base}/admin/plugins/complaints/my-work?queue=toMeasure`);
    await page.getByTestId('mywork-row').first().waitFor({ timeout: 90000 });
    await page.getByTestId('mywork-measure-mode-measure').click();
    for (const c of cs) await page.getByRole('checkbox', { name: `选择 ${c.ledgerNo}` }).click();
    const form = page.getByTestId('mywork-batch-measure');
    await form.getByRole('combobox').first().click();
    await page.getByRole('option', { name: '限期整改', exact: true }).click();
    await form.locator('textarea').first().fill('疏通东街社区雨水管网，更换破损井盖');
    await form.locator('input[type="text"]').first().fill('王站长');
    await form.locator('input[type="date"]').first().fill(deadline);
    expect(await texts(page, 'mywork-batch')).toEqual(['为所选各提交此措施（2）']);
    await page.getByTestId('mywork-batch').click();
    await page.getByTestId('mywork-batch-progress').filter({ hasText: '已办理 2 / 2' }).waitFor({ timeout: 60000 });
    expect(await texts(page, 'mywork-batch-result')).toEqual(['✓ MW-M1: 提交整改措施 → 措施审核中', '✓ MW-M2: 提交整改措施 → 措施审核中']);
    const measures = (await knex()('measures').whereIn('complaint_id', cs.map((c) => c.id)).orderBy('complaint_id').select('version', 'mode', 'text', 'responsible_person', 'deadline')) as any[];
    expect(measures.map((m) => [Number(m.version), m.mode, m.text, m.responsible_person, m.deadline instanceof Date ? m.deadline.toISOString().slice(0, 10) : String(m.deadline).slice(0, 10)])).toEqual([
      [1, 'deadline', '疏通东街社区雨水管网，更换破损井盖', '王站长', deadline],
      [1, 'deadline', '疏通东街社区雨水管网，更换破损井盖', '王站长', deadline],
    ]);
    expect(await knex()('complaints').whereIn('id', cs.map((c) => c.id)).pluck('state')).toEqual(['in_review', 'in_review']);
    await shot(page, 'batch-measure');
    await page.context().close();
  });
});
