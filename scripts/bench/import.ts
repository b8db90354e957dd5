/**
 * npm run bench:import [-- --rows 100000 --per-row 2000 --db postgres|sqlite --gc on|off]
 *
 * Generates a messy ledger workbook (scripts/lib/messy-ledger.ts) and measures, in one run:
 *   - the floor: a bare streaming read of the file (exceljs, every cell touched, in a separate
 *     process) plus a bare PostgreSQL COPY of the same rows into a scratch table (psql \copy);
 *   - the import end to end (parse, check, stage, screen, commit with triggers and history on),
 *     with its peak RSS sampled while it runs (--gc off: without the import's explicit garbage
 *     collections, setting import.explicitGc);
 *   - the file's first rows created one by one with the Document Service (its middleware writes
 *     the `created` event), for the ratio.
 * The figures are printed only after the result is checked: every row imported, one `imported`
 * event each, and ledger verification passing.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import ExcelJS from 'exceljs';
import { plainCell } from '../../plugins/complaints/server/src/import/cells';
import { bootForTask, ROOT } from '../lib/boot';
import { arg, fmt, useBenchDatabase } from '../lib/bench-db';
import { MESSY_HEADERS, writeMessyLedger } from '../lib/messy-ledger';

const UID = 'plugin::complaints.complaint';
const mb = (bytes: number) => bytes / 1024 / 1024;

/** Runs this file in a child process for one step, so its memory does not count against the import. */
const child = (step: string, ...args: string[]): Record<string, number> => {
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [__filename, '--child', step, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${step} failed: ${r.stderr || r.stdout}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string);
};

const childMain = async (step: string, args: string[]) => {
  if (step === 'generate') {
    const [xlsx, csv, rows] = args;
    const t = Date.now();
    const res = await writeMessyLedger(xlsx, Number(rows), { csvPath: csv });
    console.log(JSON.stringify({ rows: res.rows, ms: Date.now() - t }));
    return;
  }
  if (step === 'compile') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { compileStrapi } = require('@strapi/strapi');
    await compileStrapi({ appDir: ROOT });
    console.log(JSON.stringify({ ok: 1 }));
    return;
  }
  if (step === 'read') {
    const [xlsx] = args;
    const t = Date.now();
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(xlsx, { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' } as any);
    let rows = 0;
    let cells = 0;
    for await (const ws of reader as any) {
      for await (const row of ws) {
        const values = row.values as unknown[];
        for (let i = 1; i < values.length; i += 1) if (plainCell(values[i]) !== null) cells += 1;
        rows += 1;
      }
    }
    console.log(JSON.stringify({ rows, cells, ms: Date.now() - t, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  }
};

const main = async () => {
  const kind = arg('db', 'postgres') as 'postgres' | 'sqlite';
  const N = Number(arg('rows', '100000'));
  const perRow = Math.min(N, Number(arg('per-row', '2000')));
  const gc = arg('gc', 'on');
  if (gc !== 'on' && gc !== 'off') throw new Error(`--gc is on or off, not ${gc}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-bench-import-'));
  const xlsx = path.join(dir, 'ledger.xlsx');
  const csv = path.join(dir, 'ledger.csv');
  const db = await useBenchDatabase(kind);
  console.log(`bench:import on ${db.label}: ${fmt(N)} messy rows × ${MESSY_HEADERS.length} columns, explicit GC ${gc}`);
  let strapi: any = null;
  try {
    const gen = child('generate', xlsx, csv, String(N));
    console.log(`  generated ${path.basename(xlsx)} (${fmt(mb(fs.statSync(xlsx).size), 1)} MB) in ${fmt(gen.ms / 1000, 1)} s`);

    // Floor 1: a bare streaming read of the same file.
    const read = child('read', xlsx);

    // Boot, with the app compiled beforehand in another process (its memory is not the import's).
    child('compile');
    process.env.MINYI_SKIP_COMPILE = '1';
    strapi = await bootForTask();
    const knex = strapi.db.connection;

    // Floor 2: a bare COPY of the same rows into a scratch table (PostgreSQL only).
    let copyMs: number | null = null;
    if (kind === 'postgres') {
      await knex.raw(`CREATE TABLE bench_copy_scratch (${MESSY_HEADERS.map((_, i) => `c${i} text`).join(', ')})`);
      const url = process.env.DATABASE_URL as string;
      const t = Date.now();
      const r = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy bench_copy_scratch FROM '${csv}' WITH (FORMAT csv)`], { encoding: 'utf8' });
      copyMs = Date.now() - t;
      if (r.status !== 0) throw new Error(`psql \\copy failed: ${r.stderr}`);
      const copied = Number((await knex('bench_copy_scratch').count({ n: '*' }))[0].n);
      if (copied !== N) throw new Error(`COPY loaded ${copied} rows, expected ${N}`);
      await knex.raw('DROP TABLE bench_copy_scratch');
    }

    // The measured import, RSS sampled while it runs.
    strapi.config.set('plugin::complaints.import.explicitGc', gc === 'on');
    const importer = strapi.plugin('complaints').service('importer');
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const t0 = Date.now();
    const status = await importer.run({ filePath: xlsx, fileName: 'ledger.xlsx', actor: { kind: 'system', name: 'system' }, importedByName: 'bench:import', deleteFile: false });
    const importMs = Date.now() - t0;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    // Per-row Document Service create of the file's first rows (parsing not timed), on the
    // same database with the import's rows present, under other ledger numbers.
    const sample = (await knex('complaints').where('import_batch', status.code).orderBy('id').limit(perRow)
      .select('ledger_no', 'received_at', 'channel', 'complainant_name', 'phone', 'town', 'village', 'address', 'content', 'raw_row')) as Array<Record<string, any>>;
    const t1 = Date.now();
    for (const r of sample) {
      await strapi.documents(UID).create({
        data: {
          ledgerNo: `P-${r.ledger_no}`,
          receivedAt: new Date(typeof r.received_at === 'number' ? r.received_at : r.received_at),
          channel: r.channel,
          complainantName: r.complainant_name,
          phone: r.phone,
          town: r.town,
          village: r.village,
          address: r.address,
          content: r.content,
          importBatch: 'PER-ROW',
          rawRow: typeof r.raw_row === 'string' ? JSON.parse(r.raw_row) : r.raw_row,
        },
      });
    }
    const perRowMs = Date.now() - t1;

    // The benchmark checks its own result before printing a figure.
    const problems: string[] = [];
    const count = async (q: any) => Number((await q.count({ n: '*' }))[0].n);
    const complaints = await count(knex('complaints').where('import_batch', status.code));
    const events = await count(knex('complaint_events as e').join('complaints as c', 'c.id', 'e.complaint_id').where({ 'c.import_batch': status.code, 'e.type': 'imported', 'e.seq': 1 }));
    if (status.status !== 'done') problems.push(`import ${status.status}: ${status.failure}`);
    if (status.importedCount !== N || complaints !== N) problems.push(`imported ${status.importedCount} (${complaints} stored), expected ${N}`);
    if (events !== N) problems.push(`${events} imported events, expected ${N}`);
    if (sample.length !== perRow) problems.push(`per-row sample of ${sample.length}, expected ${perRow}`);
    if (read.rows < N) problems.push(`the bare read saw ${read.rows} rows, expected at least ${N}`);
    const report = await strapi.plugin('complaints').service('ledger').verify();
    if (!report.ok || report.complaints !== N + perRow || report.events !== N + perRow) {
      problems.push(`ledger verify: ok=${report.ok}, ${report.complaints} complaints, ${report.events} events`);
    }
    if (problems.length) throw new Error(`benchmark result is wrong: ${problems.join('; ')}`);

    const importRate = N / (importMs / 1000);
    const perRowRate = perRow / (perRowMs / 1000);
    const floorMs = read.ms + (copyMs ?? 0);
    console.log(`\n  result check: ${fmt(complaints)} complaints and ${fmt(events)} imported events; ledger verification OK over ${fmt(report.complaints)} complaints`);
    console.log(`  suggestions: ${fmt(status.suggestionCount)} (of ${fmt(N)} rows)`);
    console.log(`  floor: bare streaming read            ${fmt(read.ms / 1000, 1)} s  (${fmt(N / (read.ms / 1000))} rows/s, ${fmt(read.maxRssMb)} MB peak RSS in its own process)`);
    if (copyMs !== null) console.log(`  floor: bare COPY of the same rows       ${fmt(copyMs / 1000, 1)} s  (${fmt(N / (copyMs / 1000))} rows/s)`);
    console.log(`  floor: ${copyMs !== null ? 'read + COPY                    ' : 'read only (COPY: PostgreSQL)   '} ${fmt(floorMs / 1000, 1)} s`);
    console.log(`  import, end to end                     ${fmt(importMs / 1000, 1)} s  (${fmt(importRate)} rows/s)`);
    console.log(`  import peak RSS                        ${fmt(mb(peakRss))} MB (process after boot ${fmt(mb(baseRss))} MB, so +${fmt(mb(peakRss - baseRss))} MB for the import)`);
    console.log(`  per-row Document Service create        ${fmt(perRowMs / 1000, 1)} s for ${fmt(perRow)} rows  (${fmt(perRowRate, 1)} rows/s)`);
    console.log(`  ratio import / floor                   ${fmt(importMs / floorMs, 2)}× (goal ≤ 2×)`);
    console.log(`  ratio import / per-row create speed    ${fmt(importRate / perRowRate, 0)}× faster (goal ≥ 40×)`);
  } finally {
    if (strapi) await strapi.destroy();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
};

if (process.argv[2] === '--child') {
  childMain(process.argv[3], process.argv.slice(4)).catch((e) => {
    console.error((e as Error).message);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(`bench:import failed: ${(e as Error).message}`);
    process.exit(1);
  });
}
