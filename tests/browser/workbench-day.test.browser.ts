/**
 * One demand from the phone call to 已办结, in Chromium, each step by its own role through
 * Minyi's screens (the browser tests 1 to 3, one walk):
 * 1. the county office registers a phone call on 登记诉求, classifies and assigns it in the
 *    workflow panel; the unit operator finds it in 我的待办 · 待受理, accepts it as common into a
 *    problem group made in the panel, and submits one measure for the whole group in one step;
 * 2. the lead unit finds it in 待我审核 and returns it; the operator finds it in 被退回, the form
 *    holds the returned measure's values, and resubmits; the lead unit approves; the operator
 *    sees it in 整改中 with its deadline;
 * 3. the operator adds evidence and completes; the three signers each find it in 待我签字 with
 *    whose turn it is, and sign; it reads 已办结. Another unit's operator never sees it, in any
 *    queue or by its number, and sees their own.
 */
import path from 'path';
import type { Page } from 'playwright-core';
import { browserSuite, loginAs as loginAsIn, type BrowserApp } from '../helpers/browser-app';
import type { TestApp } from '../helpers/strapi';
import { pngFile } from '../helpers/files';
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
const MEASURE = '更换东街社区 3 号楼全部楼道灯具，并建立每周巡查';
const RESUBMITTED = '更换东街社区 3 号楼全部楼道灯具（12 月 20 日前完工），并建立每周巡查';
/** The walk's complaint and its measure's deadline, carried from one step to the next. */
let walk: { id: number; documentId: string; deadline: string } | undefined;
const walked = () => {
  if (!walk) throw new Error('the first step of the walk did not finish');
  return walk;
};

/** The ledger numbers of a queue's rows, once the queue has answered (its heading shows). */
const queueRows = async (page: Page, queue: string): Promise<string[]> => {
  await page.goto(`${base}/admin/plugins/complaints/my-work?queue=${queue}`);
  await page.getByTestId('mywork-table').waitFor({ timeout: 90000 });
  return page.getByTestId('mywork-row-link').allInnerTexts();
};
/** Opens the walk's complaint from a queue row, as its user would. */
const openFromQueue = async (page: Page, queue: string) => {
  expect(await queueRows(page, queue)).toContain(LEDGER_NO);
  await page.getByTestId('mywork-row-link').filter({ hasText: LEDGER_NO }).click();
  const panel = page.getByTestId('minyi-workflow-panel');
  await panel.waitFor({ timeout: 90000 });
  return panel;
};
const stateOf = async () => (await knex()('complaints').where('id', walked().id).first('state')).state as string;

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
    await opPanel.locator('textarea').first().fill(MEASURE);
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
    walk = { id: Number(row.id), documentId: row.document_id, deadline };
  });

  it('returned once by the lead unit from 待我审核, resubmitted from the returned values, approved, and 整改中 with its deadline', async () => {
    const { deadline } = walked();
    const lead = await loginAsIn(b, 'minyi-lead-unit', w.units.l1.id);
    const leadPanel = await openFromQueue(lead, 'toReview');
    await lead.getByTestId('minyi-action-return_measure').click();
    await leadPanel.locator('textarea').first().fill('请写明完工日期');
    await lead.getByTestId('minyi-submit').click();
    await lead.getByTestId('minyi-state').filter({ hasText: '措施退回' }).waitFor({ timeout: 60000 });
    await lead.screenshot({ path: path.join(ARTIFACTS, 'workbench-4-returned.png'), fullPage: true });
    expect(await stateOf()).toBe('returned');
    expect(await queueRows(lead, 'toReview')).not.toContain(LEDGER_NO);

    // The operator finds it in 被退回; the form starts from the returned measure.
    const op = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    const opPanel = await openFromQueue(op, 'returned');
    expect(await opPanel.getByTestId('minyi-measure-review').innerText()).toContain('请写明完工日期');
    await op.getByTestId('minyi-action-resubmit_measure').click();
    expect(await opPanel.locator('textarea').first().inputValue()).toBe(MEASURE);
    expect(await opPanel.locator('input[type="text"]').first().inputValue()).toBe('孙站长');
    expect(await opPanel.locator('input[type="date"]').first().inputValue()).toBe(deadline);
    await opPanel.locator('textarea').first().fill(RESUBMITTED);
    await op.getByTestId('minyi-submit').click();
    await op.getByTestId('minyi-state').filter({ hasText: '措施审核中' }).waitFor({ timeout: 60000 });
    const versions = (await knex()('measures').where('complaint_id', walked().id).orderBy('version').select('version', 'text', 'responsible_person', 'review_state')) as any[];
    expect(versions.map((m) => [Number(m.version), m.text, m.responsible_person, m.review_state])).toEqual([
      [1, MEASURE, '孙站长', 'returned'],
      [2, RESUBMITTED, '孙站长', 'in_review'],
    ]);

    // The lead unit approves the resubmission.
    const leadAgain = await openFromQueue(lead, 'toReview');
    await lead.getByTestId('minyi-action-approve_measure').click();
    await leadAgain.locator('textarea').first().fill('同意');
    await lead.getByTestId('minyi-submit').click();
    await lead.getByTestId('minyi-state').filter({ hasText: '整改中' }).waitFor({ timeout: 60000 });
    await lead.context().close();

    // The operator sees it in 整改中, against the measure's deadline.
    expect(await queueRows(op, 'rectifying')).toContain(LEDGER_NO);
    const rowOf = op.getByTestId('mywork-row').filter({ hasText: LEDGER_NO });
    expect(await rowOf.getByTestId('mywork-row-deadline').innerText()).toBe(deadline);
    await op.screenshot({ path: path.join(ARTIFACTS, 'workbench-5-rectifying.png'), fullPage: true });
    await op.context().close();
    expect(await stateOf()).toBe('rectifying');
  });

  it('evidence and completion; each of three signers finds it in 待我签字 at their turn; 已办结; never in another unit\'s queues or search', async () => {
    const op = await loginAsIn(b, 'minyi-unit-operator', w.units.t1.id);
    const opPanel = await openFromQueue(op, 'rectifying');
    await choose(op, opPanel.getByRole('combobox', { name: '佐证方面' }), '设施设备');
    await opPanel.locator('textarea').last().fill('整改后楼道灯具照片');
    await op.getByTestId('minyi-evidence-files').setInputFiles({ name: 'after.png', mimeType: 'image/png', buffer: pngFile('after') });
    await opPanel.getByRole('button', { name: '上传佐证' }).click();
    await opPanel.getByRole('button', { name: 'after.png' }).waitFor({ timeout: 60000 });
    await op.getByTestId('minyi-action-complete').click();
    await op.getByTestId('minyi-submit').click();
    await op.getByTestId('minyi-state').filter({ hasText: '验收中' }).waitFor({ timeout: 60000 });
    await op.context().close();

    // Three signers, each at their own turn: the next one does not have it yet.
    const signers: Array<[string, number | null, string, string]> = [
      ['minyi-unit-head', w.units.t1.id, '待责任单位负责人签字', '下一位签字: 责任单位负责人'],
      ['minyi-lead-unit', w.units.l1.id, '待牵头单位负责人签字', '下一位签字: 牵头单位负责人'],
      ['minyi-county-leader', null, '待县领导签字', '下一位签字: 县领导'],
    ];
    const pages = [];
    for (const [role, unit] of signers) pages.push(await loginAsIn(b, role, unit));
    for (let i = 0; i < signers.length; i += 1) {
      const [, , step, next] = signers[i];
      // Those after this signer do not find it yet.
      for (const later of pages.slice(i + 1)) expect(await queueRows(later, 'toSign')).not.toContain(LEDGER_NO);
      const page = pages[i];
      expect(await queueRows(page, 'toSign')).toContain(LEDGER_NO);
      expect(await page.getByTestId('mywork-row').filter({ hasText: LEDGER_NO }).getByTestId('mywork-row-signstep').innerText()).toBe(step);
      const panel = await openFromQueue(page, 'toSign');
      expect(await panel.getByTestId('minyi-next-signer').innerText()).toBe(next);
      await page.getByTestId('minyi-action-sign').click();
      await panel.locator('textarea').first().fill(`第 ${i + 1} 级签字：同意办结`);
      await page.getByTestId('minyi-submit').click();
      await page.getByTestId('minyi-result').filter({ hasText: '验收签字' }).waitFor({ timeout: 60000 });
      expect(await panel.getByTestId('minyi-signoff').count()).toBe(i + 1);
      expect(await queueRows(page, 'toSign')).not.toContain(LEDGER_NO);
    }
    const done = pages[2];
    await done.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.complaint/${walked().documentId}`);
    await done.getByTestId('minyi-state').filter({ hasText: '已办结' }).waitFor({ timeout: 90000 });
    await done.screenshot({ path: path.join(ARTIFACTS, 'workbench-6-closed.png'), fullPage: true });
    expect(await stateOf()).toBe('closed');
    const signed = (await knex()('sign_offs').where('complaint_id', walked().id).orderBy('id').select('step', 'reason')) as any[];
    expect(signed.map((s) => [s.step, s.reason])).toEqual([
      ['unit_head', '第 1 级签字：同意办结'],
      ['lead_unit_head', '第 2 级签字：同意办结'],
      ['county_leader', '第 3 级签字：同意办结'],
    ]);
    for (const p of pages) await p.context().close();

    // Another unit's operator: not in any of their queues, not found by its number; their own is.
    const own = await driveTo(w, 'assigned', { unit: 't2', ledgerNo: 'WB-DONGBA-OWN' });
    const other = await loginAsIn(b, 'minyi-unit-operator', w.units.t2.id);
    for (const queue of ['toAccept', 'toMeasure', 'returned', 'rectifying']) expect([queue, (await queueRows(other, queue)).includes(LEDGER_NO)]).toEqual([queue, false]);
    expect(await queueRows(other, 'toAccept')).toEqual([own.ledgerNo]);
    for (const [ledgerNo, found] of [[LEDGER_NO, []], [own.ledgerNo, [own.ledgerNo]]] as const) {
      await other.goto(`${base}/admin/plugins/complaints/my-work?queue=toAccept&ledgerNo=${ledgerNo}`);
      await other.getByTestId('mywork-table').waitFor({ timeout: 90000 });
      expect([ledgerNo, await other.getByTestId('mywork-row-link').allInnerTexts()]).toEqual([ledgerNo, found]);
    }
    // The Content Manager's search answers the same way.
    for (const [ledgerNo, count] of [[LEDGER_NO, '0'], [own.ledgerNo, '1']] as const) {
      await other.goto(`${base}/admin/content-manager/collection-types/plugin::complaints.complaint?page=1&pageSize=10&_q=${ledgerNo}`);
      await other.getByText(/找到 \d+ 条/).waitFor({ timeout: 90000 });
      expect([ledgerNo, await other.getByText(/找到 \d+ 条/).innerText()]).toEqual([ledgerNo, `找到 ${count} 条`]);
    }
    await other.context().close();
  });
});
