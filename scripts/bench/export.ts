/**
 * npm run bench:export [-- --db postgres|sqlite --rows 100000]
 *
 * Three processes, so that the figure is the memory of the process that serves the export and
 * nothing else:
 *   - the seed (a child: `--child-seed`): boots the app, seeds N complaints with set-based SQL
 *     (generate_series on PostgreSQL, a recursive CTE on SQLite), with their personal fields, 130
 *     units, categories, a measure for every complaint in rectification or later, evidence and
 *     three sign-offs for every closed one, and a county-office admin; then exits;
 *   - the server (a child): `strapi start`, as a county runs it (plain Node, the built app, HTTP
 *     on 127.0.0.1; no admin panel, jobs or demo data);
 *   - this process, the client: logs in as the county office and downloads
 *     `GET /complaints/export` (every complaint) to a file. The server's peak resident set during
 *     the download is the kernel's own high-water mark (VmHWM in /proc/<pid>/status, reset to
 *     the current RSS just before the request by writing 5 to /proc/<pid>/clear_refs), so it
 *     is not a sampled figure; its RSS before the request (booted, idle) is printed beside it.
 * Then the baseline, in this process: a bare exceljs streaming write (WorkbookWriter, no styles)
 * of the same rows, read back from the exported file, to another file.
 * Before any figure is printed the downloaded file is read back (the plugin's streaming reader)
 * and every ledger row is checked against what the seed wrote for it: N rows after the header,
 * each ledger number once and in order, phone in full, content (formula-looking ones escaped),
 * state, measure, evidence aspect and the three sign-offs present exactly where they were seeded;
 * the summary's total line and the 说明 sheet's row count must say N.
 * The bench database, the server and the files are removed at the end, also on error.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import { randomBytes } from 'crypto';
import ExcelJS from 'exceljs';
import { TABLE } from '../../plugins/complaints/server/src/constants';
import { ASPECT_LABELS, LEDGER_COLUMNS, labels } from '../../plugins/complaints/server/src/domain/ledger-export';
import { ROLE_CODES } from '../../plugins/complaints/server/src/domain/roles';
import { sniffLedgerFile } from '../../plugins/complaints/server/src/import/file-type';
import { openLedgerReader } from '../../plugins/complaints/server/src/import/readers';
import type { Core } from '@strapi/strapi';
import { bootForTask, ROOT } from '../lib/boot';
import { arg, fmt, useBenchDatabase } from '../lib/bench-db';
import { freePort } from '../lib/free-port';

const mb = (bytes: number) => bytes / 1024 / 1024;
const TOWNS = ['城关镇', '东坝镇', '西河镇', '南山乡', '北岭乡', '青石镇', '白马乡', '桃源镇'];
const UNITS = 120;

/** What the seed writes for complaint number g (EXP + g): the SQL's hash, in Node. */
const seeded = (g: number) => {
  const h = (g * 2654435761) % 4294967296;
  const b = h % 1000;
  const state = b < 300 ? 'rectifying' : b < 400 ? 'assigned' : b < 450 ? 'accepted' : b < 500 ? 'signing' : 'closed';
  return { state, measure: ['rectifying', 'signing', 'closed'].includes(state), evidence: ['signing', 'closed'].includes(state), signed: state === 'closed' };
};

/** Seeds the bench database and makes the county-office admin the client logs in as. */
const seed = async (strapi: Core.Strapi, N: number, isPg: boolean): Promise<{ email: string; password: string }> => {
  const knex = strapi.db.connection;
  // ---- Seed ------------------------------------------------------------------------------
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
    SELECT ${docOf('id')}, id, CASE CAST(substr(ledger_no, 4) AS integer) % 3 WHEN 0 THEN 'facility' WHEN 1 THEN 'funds' ELSE 'mechanism' END, '整改后现场照片', ${nowSql}, ${nowSql}, ${nowSql}
    FROM ${TABLE.complaint} WHERE state IN ('signing', 'closed')`);
  for (const step of ['unit_head', 'lead_unit_head', 'county_leader']) {
    await knex.raw(`INSERT INTO ${TABLE.signOff} (document_id, complaint_id, round, step, decision, signer_name, signed_at, created_at, updated_at, published_at)
      SELECT ${docOf('id')}, id, 1, '${step}', 'approved', '验收人${step.length}', closed_at, ${nowSql}, ${nowSql}, ${nowSql} FROM ${TABLE.complaint} WHERE state = 'closed'`);
  }
  await knex.raw(isPg ? `VACUUM (ANALYZE)` : 'ANALYZE');
  await knex.raw(isPg ? `VACUUM (ANALYZE)` : 'ANALYZE');
  const rowsOf = (res: any): any[] => (Array.isArray(res) ? res : res?.rows ?? []);
  const count = Number(rowsOf(await knex.raw(`SELECT count(*) AS n FROM ${TABLE.complaint}`))[0].n);
  if (count !== N) throw new Error(`seeded ${count} complaints, expected ${N}`);
  const role = await strapi.db.query('admin::role').findOne({ where: { code: ROLE_CODES.countyOffice } });
  if (!role) throw new Error('no county-office role');
  const email = 'bench-export@minyi.invalid';
  const password = `${randomBytes(12).toString('base64url')}Aa1`;
  await (strapi.service('admin::user') as any).create({ email, firstname: '基准', lastname: '测试', password, isActive: true, registrationToken: null, roles: [role.id] });
  return { email, password };
};

/** VmRSS and VmHWM (kB → bytes) of a process, from the kernel. */
const memoryOf = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
};

const request = (port: number, method: string, urlPath: string, headers: Record<string, string>, body?: string) =>
  new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, resolve).once('error', reject);
    req.end(body);
  });
const text = async (res: http.IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

const main = async () => {
  if (process.argv[2] === '--child-compile') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await require('@strapi/strapi').compileStrapi({ appDir: ROOT });
    process.exit(0);
  }
  if (process.argv[2] === '--child-seed') {
    process.env.MINYI_SKIP_COMPILE = '1';
    const strapi = await bootForTask();
    const t0 = Date.now();
    const login = await seed(strapi, Number(process.argv[3]), process.argv[4] === 'postgres');
    const seedMs = Date.now() - t0;
    await strapi.destroy();
    process.stdout.write(`\n${JSON.stringify({ ...login, seedMs })}\n`);
    process.exit(0);
  }
  const kind = arg('db', 'postgres') as 'postgres' | 'sqlite';
  if (kind !== 'postgres' && kind !== 'sqlite') throw new Error(`--db must be postgres or sqlite, not ${kind}`);
  const N = Number(arg('rows', '100000'));
  if (!(Number.isInteger(N) && N >= 1000)) throw new Error('--rows must be a whole number ≥ 1000');
  const db = await useBenchDatabase(kind);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-bench-export-'));
  let server: ChildProcess | null = null;
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    await db.drop();
  };
  process.once('SIGINT', () => {
    void drop().finally(() => process.exit(130));
  });
  console.log(`bench:export on ${db.label}: ${fmt(N)} complaints`);
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  try {
    // ---- Compile and seed, each in a process of its own ------------------------------------
    const compiled = spawnSync(tsx, [__filename, '--child-compile'], { encoding: 'utf8' });
    if (compiled.status !== 0) throw new Error(`compile failed: ${compiled.stderr}`);
    const seeding = spawnSync(tsx, [__filename, '--child-seed', String(N), kind], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (seeding.status !== 0) throw new Error(`seed failed: ${seeding.stderr.slice(-2000)}`);
    const { email, password, seedMs } = JSON.parse(seeding.stdout.trim().split('\n').pop()!) as { email: string; password: string; seedMs: number };

    // ---- The server: strapi start, plain Node ----------------------------------------------
    const port = await freePort();
    let serverLog = '';
    server = spawn(process.execPath, [path.join(ROOT, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'start'], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), SERVE_ADMIN_PANEL: 'false', MINYI_JOBS_ENABLED: 'false', MINYI_DEMO: 'false', LOG_LEVEL: 'warn', STRAPI_TELEMETRY_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (d) => (serverLog = (serverLog + String(d)).slice(-4000)));
    server.stderr!.on('data', (d) => (serverLog = (serverLog + String(d)).slice(-4000)));
    const pid = server.pid!;
    for (let tries = 0; ; tries += 1) {
      if (server.exitCode !== null) throw new Error(`the server exited: ${serverLog}`);
      const up = await request(port, 'GET', '/_health', {}).then((r) => (r.resume(), r.statusCode), () => 0);
      if (up === 204) break;
      if (tries > 600) throw new Error(`the server did not start: ${serverLog}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const loginRes = await request(port, 'POST', '/admin/login', { 'Content-Type': 'application/json' }, JSON.stringify({ email, password }));
    const loginBody = await text(loginRes);
    if (loginRes.statusCode !== 200) throw new Error(`admin login failed: ${loginRes.statusCode} ${loginBody.slice(0, 300)}`);
    const token = JSON.parse(loginBody).data.token as string;

    // ---- The export over HTTP, the server's memory from the kernel --------------------------
    const exported = path.join(dir, 'export.xlsx');
    await new Promise((r) => setTimeout(r, 1000));
    const idle = memoryOf(pid);
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    const reset = memoryOf(pid);
    if (!(reset.hwm <= Math.max(idle.rss, reset.rss) + 4 * 1024 * 1024)) throw new Error(`the server's VmHWM was not reset (${fmt(mb(reset.hwm))} MB, RSS ${fmt(mb(reset.rss))} MB)`);
    const t1 = process.hrtime.bigint();
    const res = await request(port, 'GET', '/complaints/export', { Authorization: `Bearer ${token}` });
    if (res.statusCode !== 200) throw new Error(`the export answered ${res.statusCode}: ${(await text(res)).slice(0, 300)}`);
    const file = fs.createWriteStream(exported);
    const closed = new Promise<void>((resolve, reject) => file.on('close', () => resolve()).on('error', reject));
    let complete = false;
    res.on('end', () => (complete = res.complete));
    res.pipe(file);
    await closed;
    const exportMs = Number(process.hrtime.bigint() - t1) / 1e6;
    const after = memoryOf(pid);
    if (!complete) throw new Error('the download ended unfinished');
    if (res.headers['x-export-rows'] !== String(N)) throw new Error(`X-Export-Rows is ${String(res.headers['x-export-rows'])}, expected ${N}`);

    // ---- Read back and check every row, keeping them for the baseline ------------------------
    const reader = openLedgerReader(exported, await sniffLedgerFile(exported));
    const rows: unknown[][] = [];
    let header: unknown[] = [];
    let totalLine: unknown[] = [];
    const about = new Map<unknown, unknown>();
    for await (const r of reader.rows()) {
      if (r.sheet === 1) {
        if (r.rowNo === 1) header = r.cells;
        else rows.push(r.cells);
      } else if (r.sheet === 2) totalLine = r.cells;
      else if (r.sheet === 3) about.set(r.cells[0], r.cells[1]);
    }
    reader.close();
    if (rows.length !== N) throw new Error(`the exported file holds ${rows.length} ledger rows, expected ${N}`);
    if (JSON.stringify(header) !== JSON.stringify(LEDGER_COLUMNS.map((c) => c.header))) throw new Error('the exported header is not the ledger header');
    const col = (h: string) => LEDGER_COLUMNS.findIndex((c) => c.header === h);
    const [NO, PHONE, CONTENT, STATE, MEASURE, PERSON, ASPECTS, SIGNS] = ['诉求编号', '联系电话', '诉求内容', '办理状态', '整改措施', '整改责任人', '成效佐证', '责任单位负责人验收'].map(col);
    const aspectOf = ['facility', 'funds', 'mechanism'] as const;
    let closedRows = 0;
    rows.forEach((cells, i) => {
      const g = i + 1;
      const e = seeded(g);
      const want = (ok: boolean, what: string) => {
        if (!ok) throw new Error(`row ${g} (${String(cells[NO])}): ${what} is not as seeded`);
      };
      want(cells[NO] === `EXP${String(g).padStart(8, '0')}`, 'the ledger number (each once, in order)');
      want(cells[PHONE] === `139${String(g).padStart(8, '0')}`, 'the phone');
      want(cells[CONTENT] === (g % 1000 === 0 ? `'=HYPERLINK("http://example.invalid")` : `小区楼道照明损坏，夜间出行不便，请求尽快维修并建立巡查制度。编号${g}`), 'the content');
      want(cells[STATE] === labels.state(e.state), 'the state');
      want(e.measure ? cells[MEASURE] === '更换楼道灯具，安排专人每周巡查，建立长效管理机制' && cells[PERSON] === '李工' : cells[MEASURE] == null && cells[PERSON] == null, 'the measure');
      want(e.evidence ? cells[ASPECTS] === ASPECT_LABELS[aspectOf[g % 3]] : cells[ASPECTS] == null, 'the evidence');
      const signs = [0, 1, 2].map((k) => cells[SIGNS + k]);
      want(e.signed ? ['验收人9 ', '验收人14 ', '验收人13 '].every((p, k) => String(signs[k]).startsWith(p)) : signs.every((v) => v == null), 'the sign-offs');
      if (e.state === 'closed') closedRows += 1;
    });
    if (totalLine[0] !== '合计' || Number(totalLine[1]) !== N || Number(totalLine[2]) !== closedRows) throw new Error(`the summary's total line is ${JSON.stringify(totalLine.slice(0, 3))}, expected 合计 ${N} ${closedRows}`);
    if (Number(about.get('行数')) !== N) throw new Error(`the 说明 sheet says ${String(about.get('行数'))} rows, expected ${N}`);
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
    console.log(`\n  result check: the file read back holds ${fmt(N)} ledger rows after its header, every one as seeded (ledger number once and in order, phone, content, state, measure, evidence, sign-offs); summary total ${fmt(N)} (${fmt(closedRows)} closed), 说明 ${fmt(N)} rows`);
    console.log(`  seed (set-based SQL, for the record)   ${fmt(seedMs / 1000, 1)} s`);
    console.log(`  export over HTTP (${fmt(N)} rows, ${LEDGER_COLUMNS.length} columns, 3 sheets)  ${fmt(exportMs / 1000, 2)} s  (${fmt(N / (exportMs / 1000))} rows/s, ${fmt(mb(bytes), 1)} MB)`);
    console.log(`  baseline: bare exceljs streaming write  ${fmt(bareMs / 1000, 2)} s  (${fmt(N / (bareMs / 1000))} rows/s)`);
    console.log(`  export ÷ baseline                       ${fmt(exportMs / bareMs, 2)}×  (goal ≤ 2×: ${exportMs <= 2 * bareMs ? 'met' : 'NOT met'})`);
    console.log(`  server (strapi start, pid ${pid}) RSS booted, idle, before the export   ${fmt(mb(idle.rss))} MB (the seed ran in another process)`);
    console.log(`  server peak RSS during the export (VmHWM)  ${fmt(mb(after.hwm))} MB (+${fmt(mb(after.hwm - reset.rss))} MB over its RSS at the request; ${fmt(mb(after.rss))} MB after it); goal ≤ 300 MB: ${mb(after.hwm) <= 300 ? 'met' : 'NOT met'}`);
  } finally {
    await drop();
  }
  process.exit(0);
};

main().catch((e) => {
  console.error(`bench:export failed: ${(e as Error).message}`);
  process.exit(1);
});
