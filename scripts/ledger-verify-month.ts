/**
 * npm run ledger:verify-month -- 2026-11 [--json]
 * npm run ledger:verify-month -- 2026-11 --file minyi-ledger-2026-11.xlsx
 *
 * Recomputes the SHA-256 of every stored version of a closed month's snapshot and checks that
 * the versions form an unbroken chain (domain/month-close.ts `verifyCloses`). With --file, checks
 * a ledger export instead, without the database: the snapshot text its 封账快照 sheet carries,
 * joined, must have the SHA-256 the sheet states, and be the snapshot of that month. Exits 0 when
 * everything holds, 1 when anything does not (or the month is not closed), 2 on a bad argument.
 */
import ExcelJS from 'exceljs';
import { canonicalJson, sha256Hex } from '../plugins/complaints/server/src/domain/history-chain';
import { SNAPSHOT_TEXT_SHEET, isSnapshotTextHeader, snapshotFromSheetRows } from '../plugins/complaints/server/src/domain/month-close';
import { bootForTask } from './lib/boot';

/** The 封账快照 sheet of an export: its stated hash and its snapshot text (the pieces joined in order). */
const readExport = async (file: string): Promise<{ hash: string | null; text: string } | null> => {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore' });
  let found: { hash: string | null; text: string } | null = null;
  // A streamed workbook names its sheets only at its end, after their rows: the sheet is known
  // by its content (its header, its SHA-256 line), and only its two first columns are kept.
  for await (const ws of reader) {
    const rows: Array<[string, string]> = [];
    let ours = true;
    for await (const row of ws) {
      if (!ours) continue;
      const v = (row as ExcelJS.Row).values as unknown[];
      rows.push([String(v[1] ?? ''), String(v[2] ?? '')]);
      if (rows.length === 1 && !isSnapshotTextHeader(rows[0])) ours = false;
    }
    if (ours) found = snapshotFromSheetRows(rows) ?? found;
  }
  return found;
};

/**
 * The same, reading the whole workbook: for a file another program saved (its sheets named at
 * its start, which exceljs's streaming reader of 4.4 does not survive).
 */
const readWhole = async (file: string): Promise<{ hash: string | null; text: string } | null> => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet(SNAPSHOT_TEXT_SHEET);
  if (!ws) return null;
  const rows: Array<[string, string]> = [];
  ws.eachRow((r) => rows.push([String(r.getCell(1).value ?? ''), String(r.getCell(2).value ?? '')]));
  return snapshotFromSheetRows(rows);
};

const checkFile = async (month: string, file: string): Promise<boolean> => {
  const got = await readExport(file).catch(() => readWhole(file));
  if (!got) {
    console.log(`${file}: no ${SNAPSHOT_TEXT_SHEET} sheet (the month was not closed when it was exported)`);
    return false;
  }
  let snapshotMonth: unknown = null;
  let canonical = false;
  try {
    const parsed = JSON.parse(got.text) as { month?: unknown };
    snapshotMonth = parsed.month;
    canonical = canonicalJson(parsed) === got.text;
  } catch {
    // reported below
  }
  const recomputed = sha256Hex(got.text);
  const ok = got.hash === recomputed && snapshotMonth === month && canonical;
  console.log(`Month close ${month} in ${file} 导出文件校验: ${ok ? 'OK 通过' : 'BROKEN 发现篡改'}`);
  console.log(`  stated ${got.hash}, recomputed ${recomputed}${got.hash === recomputed ? '' : '  DIFFERS'}`);
  if (snapshotMonth !== month) console.log(`  the snapshot is of ${String(snapshotMonth)}, not ${month}`);
  if (!canonical) console.log('  the snapshot text is not canonical JSON');
  return ok;
};

const main = async () => {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const month = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--file');
  if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    console.error('usage: npm run ledger:verify-month -- YYYY-MM [--json]');
    process.exit(2);
  }
  const fileAt = args.indexOf('--file');
  if (fileAt >= 0) {
    const file = args[fileAt + 1];
    if (!file) {
      console.error('usage: npm run ledger:verify-month -- YYYY-MM --file EXPORT.xlsx');
      process.exit(2);
    }
    const ok = await checkFile(month, file).catch((e: Error) => {
      console.error(`ledger:verify-month failed: ${e.message}`);
      return false;
    });
    process.exit(ok ? 0 : 1);
  }
  const strapi = await bootForTask();
  let ok = false;
  try {
    const report = await strapi.plugin('complaints').service('month-closes').verify(month);
    ok = report.ok;
    if (json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      console.log(`Month close ${month} 封账校验: ${report.ok ? 'OK 通过' : 'BROKEN 发现篡改'}`);
      for (const v of report.versions) console.log(`  version ${v.version}: recorded ${v.hash}, recomputed ${v.recomputed}${v.hash === v.recomputed ? '' : '  DIFFERS'}`);
      for (const p of report.problems) console.log(`  version ${p.version}: ${p.zh} / ${p.en}`);
    }
  } catch (e) {
    console.error(`ledger:verify-month failed: ${(e as Error).message}`);
  } finally {
    await strapi.destroy();
  }
  process.exit(ok ? 0 : 1);
};

void main();
