/**
 * npm run bench:export [-- --db postgres|sqlite --rows 100000]
 *
 * Seeds N complaints with set-based SQL (generate_series on PostgreSQL, a recursive CTE on
 * SQLite), with their personal fields, 130 units, categories, a measure for every complaint in
 * rectification or later, evidence and three sign-offs for every closed one. Then, in one run:
 *   - the export: every complaint as the county office exports it (services/export.ts
 *     `planExport`: filter module, pages of 2,000 with measures, evidence, sign-offs, surveys and
 *     spot checks, the role projection, formula escaping, summary sheet), to a file, with the
 *     process's RSS sampled every 20 ms while it runs;
 *   - the baseline: a bare exceljs streaming write (WorkbookWriter, no styles) of the same rows,
 *     read back from the exported file, to another file.
 * Before any figure is printed the exported file is read back (the plugin's streaming reader)
 * and its ledger sheet must hold exactly N rows after its header, the first one the lowest
 * ledger number with its phone in full, and a formula-looking content escaped.
 * The bench database and the files are removed at the end, also on error.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import ExcelJS from 'exceljs';
import { TABLE } from '../../plugins/complaints/server/src/constants';
import { actorContextOf } from '../../plugins/complaints/server/src/domain/actor';
import { LEDGER_COLUMNS, parseExportRequest } from '../../plugins/complaints/server/src/domain/ledger-export';
import { ROLE_CODES } from '../../plugins/complaints/server/src/domain/roles';
import { sniffLedgerFile } from '../../plugins/complaints/server/src/import/file-type';
import { openLedgerReader } from '../../plugins/complaints/server/src/import/readers';
import { planExport } from '../../plugins/complaints/server/src/services/export';
import { bootForTask, ROOT } from '../lib/boot';
import { arg, fmt, useBenchDatabase } from '../lib/bench-db';

const mb = (bytes: number) => bytes / 1024 / 1024;
const TOWNS = ['城关镇', '东坝镇', '西河镇', '南山乡', '北岭乡', '青石镇', '白马乡', '桃源镇'];
const UNITS = 120;

const main = async () => {
  if (process.argv[2] === '--child-compile') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await require('@strapi/strapi').compileStrapi({ appDir: ROOT });
    process.exit(0);
  }
  const kind = arg('db', 'postgres') as 'postgres' | 'sqlite';
  if (kind !== 'postgres' && kind !== 'sqlite') throw new Error(`--db must be postgres or sqlite, not ${kind}`);
  const isPg = kind === 'postgres';
  const N = Number(arg('rows', '100000'));
  if (!(Number.isInteger(N) && N >= 1000)) throw new Error('--rows must be a whole number ≥ 1000');
  const db = await useBenchDatabase(kind);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-bench-export-'));
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    fs.rmSync(dir, { recursive: true, force: true });
    await db.drop();
  };
  process.once('SIGINT', () => {
    void drop().finally(() => process.exit(130));
  });
  console.log(`bench:export on ${db.label}: ${fmt(N)} complaints`);
  let strapi: any = null;
  try {
    // The app is compiled in another process: the compiler's memory is not the export's.
    const compiled = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [__filename, '--child-compile'], { encoding: 'utf8' });
    if (compiled.status !== 0) throw new Error(`compile failed: ${compiled.stderr}`);
    process.env.MINYI_SKIP_COMPILE = '1';
    strapi = await bootForTask();
    const knex = strapi.db.connection;
    const timeZone = (strapi.config.get('plugin::complaints') as { timeZone: string }).timeZone;

    // ---- Seed ------------------------------------------------------------------------------
    const t0 = Date.now();
    const now = Date.now();
    const nowSql = isPg ? `TIMESTAMP '${new Date(now).toISOString().replace('T', ' ').replace('Z', '')}'` : String(now);
    const ago = (msExpr: string) => (isPg ? `(${nowSql} - (${msExpr}) * INTERVAL '1 millisecond')` : `(${now} - (${msExpr}))`);
    const docId = (expr: string) => (isPg ? `substr(md5(${expr}::text), 1, 16) || lpad(${expr}::text, 8, '0')` : `lower(hex(randomblob(8))) || printf('%08d', ${expr})`);
    const pad = (expr: string, n: number) => (isPg ? `lpad((${expr})::text, ${n}, '0')` : `printf('%0${n}d', ${expr})`);
    const units = Array.from({ length: UNITS + 10 }, (_, i) => i + 1);
    await knex.batchInsert(TABLE.unit, units.map((i) => ({
      id: i, document_id: `benchunit${String(i).padStart(15, '0')}`, code: `U${i}`, name: i <= UNITS ? `${TOWNS[i % 8]}第${i}责任单位` : `县第${i - UNITS}牵头局`,
      kind: i <= UNITS ? 'township' : 'department', is_lead: i > UNITS, is_responsible: i <= UNITS, created_at: new Date(now), updated_at: new Date(now), published_at: new Date(now),
    })), 200);
    const cats = Array.from({ length: 10 }, (_, m) => [`${String(m + 1).padStart(2, '0')}`, ...Array.from({ length: 5 }, (_, n) => `${String(m + 1).padStart(2, '0')}${String(n + 1).padStart(2, '0')}`)]).flat();
    await knex.batchInsert(TABLE.category, cats.map((code, i) => ({
      document_id: `benchcat${String(i).padStart(16, '0')}`, code, name: code.length === 2 ? `第${code}大类` : `第${code}小类`, tier: code.length === 2 ? 'major' : 'minor',
      response_days: 3, created_at: new Date(now), updated_at: new Date(now), published_at: new Date(now),
    })), 200);
    if (isPg) await knex.raw(`SELECT setval(pg_get_serial_sequence('${TABLE.unit}', 'id'), ${UNITS + 10})`);

    const series = (lo: number, hi: number) =>
      isPg
        ? `SELECT g, h % 1000 AS b, (h / 1000) % 1000 AS u, (h / 1000000) % 1000 AS v FROM (SELECT g, (g::bigint * 2654435761) % 4294967296 AS h FROM generate_series(${lo}::bigint, ${hi}::bigint) AS s(g)) k`
        : `SELECT g, h % 1000 AS b, (h / 1000) % 1000 AS u, (h / 1000000) % 1000 AS v FROM (SELECT g, (g * 2654435761) % 4294967296 AS h FROM s) k`;
    const derived = (lo: number, hi: number) => `
      SELECT g, b, u, v,
        CASE WHEN b < 300 THEN 'rectifying' WHEN b < 400 THEN 'assigned' WHEN b < 450 THEN 'accepted' WHEN b < 500 THEN 'signing' ELSE 'closed' END AS st,
        (u * u) / 1000 AS sk
      FROM (${series(lo, hi)}) x`;
    const seedSql = (lo: number, hi: number) => `${isPg ? '' : `WITH RECURSIVE s(g) AS (SELECT ${lo} UNION ALL SELECT g + 1 FROM s WHERE g < ${hi}) `}
      INSERT INTO ${TABLE.complaint} (document_id, ledger_no, received_at, channel, complainant_name, phone, town, village, address, content, state, traceable, level,
        category_code, major_category_code, responsible_unit_id, lead_unit_id, nature, mode, deadline, completed_at, closed_at, warning_level,
        reopen_count, send_back_count, return_count, chain_seq, created_at, updated_at, published_at)
      SELECT ${docId('g')}, 'EXP' || ${pad('g', 8)}, ${ago('(g % 180) * 86400000 + 3600000')},
        CASE v % 4 WHEN 0 THEN 'visit' WHEN 1 THEN 'web' WHEN 2 THEN 'letter' ELSE 'hotline' END,
        '测试' || ${pad('g % 1000', 3)}, '139' || ${pad('g', 8)},
        CASE sk % 8 ${TOWNS.map((t, i) => `WHEN ${i} THEN '${t}'`).join(' ')} END, '第' || (1 + v % 20) || '村', '幸福路' || (g % 500) || '号',
        CASE WHEN g % 1000 = 0 THEN '=HYPERLINK("http://example.invalid")' ELSE '小区楼道照明损坏，夜间出行不便，请求尽快维修并建立巡查制度。编号' || g END,
        st, true, CASE WHEN u % 3 = 0 THEN 'county' ELSE 'township' END,
        ${pad('1 + sk % 10', 2)} || ${pad('1 + v % 5', 2)}, ${pad('1 + sk % 10', 2)},
        1 + sk % ${UNITS}, ${UNITS + 1} + sk % 10, CASE WHEN v % 7 = 0 THEN 'common' ELSE 'individual' END,
        CASE WHEN st IN ('rectifying', 'signing', 'closed') THEN (CASE WHEN u < 250 THEN 'phased' ELSE 'deadline' END) ELSE NULL END,
        CASE WHEN st IN ('rectifying', 'signing', 'closed') THEN ${isPg ? `(CURRENT_DATE + ((g % 60) - 20)::int)` : `date('now', '+' || (g % 60 - 20) || ' days')`} ELSE NULL END,
        CASE WHEN st IN ('signing', 'closed') THEN ${ago('(g % 90) * 86400000')} ELSE NULL END,
        CASE WHEN st = 'closed' THEN ${ago('(g % 90) * 86400000 - 3600000')} ELSE NULL END,
        CASE WHEN st = 'rectifying' THEN (CASE v % 4 WHEN 0 THEN 'red' WHEN 1 THEN 'orange' WHEN 2 THEN 'yellow' ELSE 'none' END) ELSE 'none' END,
        0, 0, 0, 0, ${nowSql}, ${nowSql}, ${nowSql}
      FROM (${derived(lo, hi)}) y`;
    const chunk = isPg ? 250_000 : 100_000;
    for (let lo = 1; lo <= N; lo += chunk) await knex.raw(seedSql(lo, Math.min(N, lo + chunk - 1)));
    const docOf = (expr: string) => (isPg ? `md5(random()::text || ${expr}::text)` : `lower(hex(randomblob(12)))`);
    await knex.raw(`INSERT INTO ${TABLE.measure} (document_id, complaint_id, version, mode, text, responsible_person, deadline, review_state, created_at, updated_at, published_at)
      SELECT ${docOf('id')}, id, 1, mode, '更换楼道灯具，安排专人每周巡查，建立长效管理机制', '李工', deadline, 'approved', ${nowSql}, ${nowSql}, ${nowSql}
      FROM ${TABLE.complaint} WHERE state IN ('rectifying', 'signing', 'closed')`);
    await knex.raw(`INSERT INTO ${TABLE.evidence} (document_id, complaint_id, aspect, text, created_at, updated_at, published_at)
      SELECT ${docOf('id')}, id, CASE id % 3 WHEN 0 THEN 'facility' WHEN 1 THEN 'funds' ELSE 'mechanism' END, '整改后现场照片', ${nowSql}, ${nowSql}, ${nowSql}
      FROM ${TABLE.complaint} WHERE state IN ('signing', 'closed')`);
    for (const step of ['unit_head', 'lead_unit_head', 'county_leader']) {
      await knex.raw(`INSERT INTO ${TABLE.signOff} (document_id, complaint_id, round, step, decision, signer_name, signed_at, created_at, updated_at, published_at)
        SELECT ${docOf('id')}, id, 1, '${step}', 'approved', '验收人${step.length}', closed_at, ${nowSql}, ${nowSql}, ${nowSql} FROM ${TABLE.complaint} WHERE state = 'closed'`);
    }
    await knex.raw(isPg ? `VACUUM (ANALYZE)` : 'ANALYZE');
    const seedMs = Date.now() - t0;
    const rowsOf = (res: any): any[] => (Array.isArray(res) ? res : res?.rows ?? []);
    const seeded = Number(rowsOf(await knex.raw(`SELECT count(*) AS n FROM ${TABLE.complaint}`))[0].n);
    if (seeded !== N) throw new Error(`seeded ${seeded} complaints, expected ${N}`);

    // ---- The export, RSS sampled --------------------------------------------------------------
    const exported = path.join(dir, 'export.xlsx');
    const county = actorContextOf(1, [ROLE_CODES.countyOffice], []);
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const t1 = process.hrtime.bigint();
    const plan = await planExport(knex, parseExportRequest({}), county, { timeZone }, { audience: '县整治办（基准测试）' });
    const file = fs.createWriteStream(exported);
    const closed = new Promise<void>((resolve, reject) => file.on('close', () => resolve()).on('error', reject));
    const written = await plan.write(file);
    await closed;
    const exportMs = Number(process.hrtime.bigint() - t1) / 1e6;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (written !== N || plan.rows !== N) throw new Error(`the export wrote ${written} rows (counted ${plan.rows}), expected ${N}`);

    // ---- Read back and check, keeping the rows for the baseline --------------------------------
    const reader = openLedgerReader(exported, await sniffLedgerFile(exported));
    const rows: unknown[][] = [];
    let header: unknown[] = [];
    for await (const r of reader.rows()) {
      if (r.sheet !== 1) continue;
      if (r.rowNo === 1) header = r.cells;
      else rows.push(r.cells);
    }
    reader.close();
    if (rows.length !== N) throw new Error(`the exported file holds ${rows.length} ledger rows, expected ${N}`);
    if (JSON.stringify(header) !== JSON.stringify(LEDGER_COLUMNS.map((c) => c.header))) throw new Error('the exported header is not the ledger header');
    const col = (h: string) => LEDGER_COLUMNS.findIndex((c) => c.header === h);
    if (rows[0][col('诉求编号')] !== 'EXP00000001' || rows[0][col('联系电话')] !== '13900000001') throw new Error(`the first row is ${JSON.stringify(rows[0].slice(0, 5))}`);
    if (rows[999][col('诉求内容')] !== `'=HYPERLINK("http://example.invalid")`) throw new Error(`row 1000's content is not escaped: ${String(rows[999][col('诉求内容')])}`);
    const bytes = fs.statSync(exported).size;

    // ---- Baseline: a bare exceljs streaming write of the same rows -----------------------------
    const bare = path.join(dir, 'bare.xlsx');
    const t2 = process.hrtime.bigint();
    const out = fs.createWriteStream(bare);
    const bareClosed = new Promise<void>((resolve, reject) => out.on('close', () => resolve()).on('error', reject));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('sheet');
    ws.addRow(header).commit();
    for (const r of rows) ws.addRow(r).commit();
    ws.commit();
    await wb.commit();
    await bareClosed;
    const bareMs = Number(process.hrtime.bigint() - t2) / 1e6;

    // ---- Figures ---------------------------------------------------------------------------
    console.log(`\n  result check: the file read back holds ${fmt(N)} ledger rows after its header; first row, phone and an escaped formula as seeded`);
    console.log(`  seed (set-based SQL, for the record)   ${fmt(seedMs / 1000, 1)} s`);
    console.log(`  export (${fmt(N)} rows, ${LEDGER_COLUMNS.length} columns, 3 sheets)    ${fmt(exportMs / 1000, 2)} s  (${fmt(N / (exportMs / 1000))} rows/s, ${fmt(mb(bytes), 1)} MB)`);
    console.log(`  baseline: bare exceljs streaming write  ${fmt(bareMs / 1000, 2)} s  (${fmt(N / (bareMs / 1000))} rows/s)`);
    console.log(`  export ÷ baseline                       ${fmt(exportMs / bareMs, 2)}×  (goal ≤ 2×: ${exportMs <= 2 * bareMs ? 'met' : 'NOT met'})`);
    console.log(`  export peak RSS                         ${fmt(mb(peakRss))} MB (process after boot and seed ${fmt(mb(baseRss))} MB, so +${fmt(mb(peakRss - baseRss))} MB for the export; goal ≤ 300 MB: ${mb(peakRss) <= 300 ? 'met' : 'NOT met'})`);
  } finally {
    if (strapi) await strapi.destroy().catch(() => undefined);
    await drop();
  }
  process.exit(0);
};

main().catch((e) => {
  console.error(`bench:export failed: ${(e as Error).message}`);
  process.exit(1);
});
