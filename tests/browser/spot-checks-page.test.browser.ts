/**
 * The spot-check page 抽查 in Chromium: the county office opens it from the plugin's home page,
 * previews and draws October 2026 with a seed of its own, records one pass and one fail (which
 * reopens its complaint) and reads the report per unit and its xlsx; the county leader sees the
 * same draw and report with no draw button and no result form.
 *
 * October 2026's frame: PAGE-A1, A2, A3 closed for t1, PAGE-B1, B2 for t2 (closings backdated
 * into October); PAGE-A4 closed for t1 in September. Sample keys by hand (python hashlib,
 * SHA-256 of "page-check", a line feed, the ledger number): A1 fdc5…, A2 2bfe…, A3 bede…,
 * B1 dcb7…, B2 91eb… (A4 36b8… would sort second in t1 were it in the frame). At 50% and at
 * least one per unit: t1 gives ⌈3 × 0.5⌉ = 2, A2 and A3; t2 gives ⌈2 × 0.5⌉ = 1, B2.
 *
 * The office's browser runs in Los Angeles: the times shown must still be Beijing time.
 */
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
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

const knex = () => app.strapi.db.connection;
const PHONE = '13900007777';
type Ref = { id: number; documentId: string; ledgerNo: string };
const c: Record<string, Ref> = {};

/** A complaint driven through the workflow to closed, its closing moved to `closedAt`. */
const close = async (ledgerNo: string, unit: 't1' | 't2', closedAt: string) => {
  const r: Ref = await driveTo(w, 'closed', { unit, ledgerNo, receivedAt: '2026-09-01T02:00:00.000Z', phone: PHONE });
  await knex()('complaints').where('id', r.id).update({ closed_at: new Date(closedAt) });
  return (c[ledgerNo] = r);
};

const spotRows = async () => (await knex()('spot_checks').where('month', '2026-10').orderBy('id').select('id', 'complaint_id', 'result', 'finding', 'note')) as any[];
const ledgerOf = (complaintId: unknown) => Object.values(c).find((r) => r.id === Number(complaintId))?.ledgerNo;

/** Opens the spot-check page from the plugin's home page and shows October 2026. */
const openPage = async (page: Page) => {
  await page.goto(`${base}/admin/plugins/complaints`);
  // The plugin's pages load on first use: wait for the home page's link, not for a time.
  const link = page.getByTestId('minyi-link-spot-checks');
  await link.waitFor({ timeout: 90000 });
  await link.click();
  await page.getByRole('heading', { name: '抽查', exact: true }).waitFor({ timeout: 60000 });
  await page.locator('input[name="minyi-spot-month"]').fill('2026-10');
};

/** The drawn rows as the page shows them: [check id, ledger number, unit, closed, result]. */
const shownRows = (page: Page) =>
  page.locator('[data-testid^="minyi-spot-row-"]').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = Array.from(tr.querySelectorAll('td'), (td) => (td as HTMLElement).innerText.trim());
      return [Number(tr.getAttribute('data-testid')!.replace('minyi-spot-row-', '')), cells[0], cells[1], cells[2], cells[4].split('\n')[0]];
    })
  );

const reportRow = (page: Page, key: string) => page.getByTestId(`minyi-spot-report-${key}`).locator('td').allInnerTexts();

/** The report reloads after a result is recorded: wait until its total row reads `expected`. */
const reportTotalReads = async (page: Page, expected: string[]) => {
  const until = Date.now() + 60000;
  let last: string[] = [];
  while (Date.now() < until) {
    last = await reportRow(page, 'total').catch(() => []);
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await page.waitForTimeout(200);
  }
  expect(last).toEqual(expected);
};

describeIf('the spot-check page', () => {
  beforeAll(async () => {
    await close('PAGE-A1', 't1', '2026-10-03T02:00:00.000Z');
    await close('PAGE-A2', 't1', '2026-10-15T02:00:00.000Z');
    // 2026-10-31 23:30 in Beijing: still October (and 08:30 in Los Angeles).
    await close('PAGE-A3', 't1', '2026-10-31T15:30:00.000Z');
    await close('PAGE-B1', 't2', '2026-10-08T02:00:00.000Z');
    await close('PAGE-B2', 't2', '2026-10-09T02:00:00.000Z');
    await close('PAGE-A4', 't1', '2026-09-20T02:00:00.000Z');
  });

  it('the county office previews, draws, records a pass and a fail, and reads the report', async () => {
    const page = await loginAsIn(b, 'minyi-county-office', null, { timezoneId: 'America/Los_Angeles' });
    await openPage(page);
    await page.getByTestId('minyi-spot-not-drawn').waitFor({ timeout: 60000 });
    // The seed is prefilled as <yyyymmdd>-<user> (the e-mail's local part: admin names are Chinese).
    expect(await page.locator('input[name="minyi-spot-seed"]').inputValue()).toMatch(/^20\d{6}-[0-9a-f]{8}$/);
    expect([await page.locator('input[name="minyi-spot-percent"]').inputValue(), await page.locator('input[name="minyi-spot-min"]').inputValue()]).toEqual(['10', '1']);

    // A month that has not ended: the server's own message.
    await page.locator('input[name="minyi-spot-month"]').fill(addDaysFromToday(0).slice(0, 7));
    await page.locator('input[name="minyi-spot-seed"]').fill('page-check');
    await page.getByTestId('minyi-spot-preview').click();
    await page.getByTestId('minyi-spot-error').filter({ hasText: `只能抽查已结束的月份（${addDaysFromToday(0).slice(0, 7)} 尚未结束）` }).waitFor({ timeout: 60000 });

    await page.locator('input[name="minyi-spot-month"]').fill('2026-10');
    await page.getByTestId('minyi-spot-not-drawn').waitFor({ timeout: 60000 });
    await page.locator('input[name="minyi-spot-percent"]').fill('50');
    await page.getByTestId('minyi-spot-preview').click();
    await page.getByTestId('minyi-spot-preview-result').waitFor({ timeout: 60000 });
    const previewed = await page.getByTestId('minyi-spot-preview-row').evaluateAll((trs) => trs.map((tr) => (tr.querySelector('td') as HTMLElement).innerText.trim()));
    expect(previewed).toEqual(['PAGE-A2', 'PAGE-A3', 'PAGE-B2']);
    expect(await spotRows()).toEqual([]);

    await page.getByTestId('minyi-spot-draw').click();
    await page.getByTestId('minyi-spot-draw-info').filter({ hasText: '随机种子 page-check · 比例 50% · 每单位至少 1 件' }).waitFor({ timeout: 60000 });
    await page.getByText('城关镇人民政府：办结 3 件，抽取 2 件；东坝镇人民政府：办结 2 件，抽取 1 件').waitFor();
    const rows = await spotRows();
    expect(rows.map((r) => [ledgerOf(r.complaint_id), r.result])).toEqual([['PAGE-A2', 'pending'], ['PAGE-A3', 'pending'], ['PAGE-B2', 'pending']]);
    // The sample shown is the recorded one, row by row, in Beijing time.
    expect(await shownRows(page)).toEqual([
      [Number(rows[0].id), 'PAGE-A2', '城关镇人民政府', '2026-10-15 10:00', '待抽查'],
      [Number(rows[1].id), 'PAGE-A3', '城关镇人民政府', '2026-10-31 23:30', '待抽查'],
      [Number(rows[2].id), 'PAGE-B2', '东坝镇人民政府', '2026-10-09 10:00', '待抽查'],
    ]);
    const [a2, a3, b2] = rows.map((r) => Number(r.id));
    expect(await page.locator('[data-testid^="minyi-spot-pass-"]').count()).toBe(3);
    expect(await page.getByText(PHONE, { exact: false }).count()).toBe(0);

    // Another setting for a drawn month: the server refuses (409) and says what was drawn.
    await page.locator('input[name="minyi-spot-percent"]').fill('10');
    await page.getByTestId('minyi-spot-draw').click();
    await page.getByTestId('minyi-spot-error').filter({ hasText: '2026-10 已抽查（随机种子 page-check，比例 50%，每单位至少 1 件），不能重新抽取' }).waitFor({ timeout: 60000 });
    expect((await spotRows()).length).toBe(3);

    await page.getByTestId(`minyi-spot-pass-${a2}`).click();
    await page.getByTestId('minyi-spot-form').locator('textarea[name="minyi-spot-note"]').fill('回访核实属实');
    await page.getByTestId('minyi-spot-confirm').click();
    await page.getByTestId(`minyi-spot-result-${a2}`).filter({ hasText: '合格' }).waitFor({ timeout: 60000 });

    const deadline = addDaysFromToday(20);
    await page.getByTestId(`minyi-spot-fail-${b2}`).click();
    const form = page.getByTestId('minyi-spot-form');
    await form.getByRole('radio', { name: '反馈不到位' }).click();
    await form.locator('textarea[name="minyi-spot-note"]').fill('未向群众反馈办理结果');
    await form.locator('input[name="minyi-spot-deadline"]').fill(deadline);
    await page.getByTestId('minyi-spot-confirm').click();
    await page.getByTestId(`minyi-spot-result-${b2}`).filter({ hasText: '不合格：反馈不到位' }).waitFor({ timeout: 60000 });
    await page.getByTestId(`minyi-spot-row-${b2}`).getByText('整改中').waitFor({ timeout: 60000 });
    // A recorded result has no buttons any more; the pending one keeps its own.
    expect([await page.getByTestId(`minyi-spot-pass-${a2}`).count(), await page.getByTestId(`minyi-spot-fail-${b2}`).count(), await page.getByTestId(`minyi-spot-pass-${a3}`).count()]).toEqual([0, 0, 1]);

    expect((await spotRows()).map((r) => [ledgerOf(r.complaint_id), r.result, r.finding ?? null, r.note ?? null])).toEqual([
      ['PAGE-A2', 'passed', null, '回访核实属实'],
      ['PAGE-A3', 'pending', null, null],
      ['PAGE-B2', 'failed', 'feedback_missing', '未向群众反馈办理结果'],
    ]);
    const states = await knex()('complaints').whereIn('id', [c['PAGE-A2'].id, c['PAGE-B2'].id]).orderBy('ledger_no').select('ledger_no', 'state');
    expect(states.map((r: any) => [r.ledger_no, r.state])).toEqual([['PAGE-A2', 'closed'], ['PAGE-B2', 'rectifying']]);

    // The report, by hand: t1 drew 2 (1 passed, 1 pending), t2 drew 1 (failed: feedback missing).
    await reportTotalReads(page, ['合计', '3', '2', '1', '1', '0', '1', '0', '0']);
    expect(await reportRow(page, String(w.units.t1.id))).toEqual(['城关镇人民政府', '2', '1', '1', '0', '0', '0', '0', '0']);
    expect(await reportRow(page, String(w.units.t2.id))).toEqual(['东坝镇人民政府', '1', '1', '0', '1', '0', '1', '0', '0']);

    // After a reload the results are still there: they are the server's.
    await page.reload();
    await page.locator('input[name="minyi-spot-month"]').fill('2026-10');
    await page.getByTestId(`minyi-spot-result-${b2}`).filter({ hasText: '不合格：反馈不到位' }).waitFor({ timeout: 60000 });
    expect(await shownRows(page)).toEqual([
      [a2, 'PAGE-A2', '城关镇人民政府', '2026-10-15 10:00', '合格'],
      [a3, 'PAGE-A3', '城关镇人民政府', '2026-10-31 23:30', '待抽查'],
      [b2, 'PAGE-B2', '东坝镇人民政府', '2026-10-09 10:00', '不合格：反馈不到位'],
    ]);

    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.getByTestId('minyi-spot-download').click()]);
    expect(download.suggestedFilename()).toBe('抽查报告-2026-10.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const lines: unknown[][] = [];
    wb.getWorksheet('抽查情况')!.eachRow((r) => lines.push((r.values as unknown[]).slice(1)));
    expect(lines.slice(1)).toEqual([
      ['城关镇人民政府', 2, 1, 1, 0, 0, 0, 0, 0],
      ['东坝镇人民政府', 1, 1, 0, 1, 0, 1, 0, 0],
      ['合计', 3, 2, 1, 1, 0, 1, 0, 0],
    ]);
    await page.context().close();
  });

  it('the county leader sees the draw and the report, no draw button and no result form (positive control above)', async () => {
    const page = await loginAsIn(b, 'minyi-county-leader', null);
    await openPage(page);
    await page.getByTestId('minyi-spot-draw-info').filter({ hasText: '随机种子 page-check · 比例 50% · 每单位至少 1 件' }).waitFor({ timeout: 60000 });
    expect((await shownRows(page)).map((r) => [r[1], r[4]])).toEqual([['PAGE-A2', '合格'], ['PAGE-A3', '待抽查'], ['PAGE-B2', '不合格：反馈不到位']]);
    await reportTotalReads(page, ['合计', '3', '2', '1', '1', '0', '1', '0', '0']);
    expect(await page.getByTestId('minyi-spot-preview').count()).toBe(1);
    expect([
      await page.getByTestId('minyi-spot-draw').count(),
      await page.locator('[data-testid^="minyi-spot-pass-"], [data-testid^="minyi-spot-fail-"]').count(),
      await page.getByTestId('minyi-spot-form').count(),
    ]).toEqual([0, 0, 0]);
    expect(await page.getByText(PHONE, { exact: false }).count()).toBe(0);
    await page.context().close();
  });
});
