/**
 * npm run bench:admin [-- --rows 100000,1000000 --runs 5 --no-build --keep]
 *
 * The admin panel at scale, in Chromium, on PostgreSQL (the ledger is the statistics bench's,
 * scripts/lib/stats-seed.ts, seeded with generate_series; SQLite is not offered: its seed is a
 * PostgreSQL one, and a county of a million demands runs on PostgreSQL).
 *
 *   1. Builds the plugin and the admin panel for production (`strapi build`, NODE_ENV=production),
 *      once (`--no-build` reuses dist/ as it is, for a second run).
 *   2. For each size, in a database of its own: a child process seeds the ledger, the categories
 *      and two admin users (the county office; a unit operator, member of the unit with the most
 *      complaints in rectification) and exits; then the server is `strapi start` with
 *      NODE_ENV=production (the built admin, HTTP on 127.0.0.1; no jobs, no demo data).
 *   3. The baseline: the server's own answer to the API calls each page waits for
 *      (GET /complaints/queues, /complaints/queues/:key, the Content Manager's document and the
 *      workflow panel's /complaints/complaints/:documentId/workflow), over HTTP with the user's
 *      token, median of `--runs` after one call not counted.
 *   4. In Chromium (playwright-core, Debian's /usr/bin/chromium), for each role, median of `--runs`:
 *      - first rows: from the navigation to My work (`?queue=` the role's queue: 整改中 for the
 *        operator, 待分类 for the county office) until the first queue row is in the page;
 *        cold = a new browser context (empty cache; the session of a login made once), warm = a
 *        reload in the same context;
 *      - complaint page: from the navigation to a complaint's edit view (Content Manager, a
 *        complaint of the queue) until the workflow panel shows its state and every action button
 *        the server offers, cold and warm;
 *      - filter change: from the click on a value in a filter's list (warning level 红色 for the
 *        operator, a town for the county office) until the table's count says the filtered total.
 *      Times are the page's own clock (performance.now()), read in the page when the condition
 *      first holds (checked every animation frame), so Playwright's round trips are not in them.
 *   Before a figure is printed, what the page showed is checked against plain SQL written here:
 *   the queue's total in the table's heading and on the queue's button, the number of rows
 *   (a page of 20), the first row's ledger number in the queue's order, the filtered total and
 *   every filtered row's badge, and the ledger number in the complaint's edit view.
 * The bench databases are dropped at the end (also on error) unless `--keep` is given.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import http from 'http';
import os from 'os';
import path from 'path';
import { randomBytes } from 'crypto';
import { Client } from 'pg';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Core } from '@strapi/strapi';
import { TABLE, UID } from '../../plugins/complaints/server/src/constants';
import { ROLE_CODES } from '../../plugins/complaints/server/src/domain/roles';
import { launchChromium } from '../../tests/helpers/browser';
import { bootForTask, ROOT } from '../lib/boot';
import { arg, fmt, pgAdminUrl, useBenchDatabase } from '../lib/bench-db';
import { seedLedger, TOWNS } from '../lib/stats-seed';
import { freePort } from '../lib/free-port';

const GOAL_MS = 2000;

/** A database kept by an earlier run (--keep), used as it is: the seed is skipped, and it is kept again. */
const reuseDatabase = async (name: string): Promise<{ drop: () => Promise<void>; label: string }> => {
  const db = await useBenchDatabase('sqlite'); // the app's secrets and a scratch directory
  await db.drop();
  const u = new URL(pgAdminUrl());
  u.pathname = `/${name}`;
  process.env.DATABASE_CLIENT = 'postgres';
  process.env.DATABASE_URL = u.toString();
  return { label: `PostgreSQL (${name}, reused)`, drop: async () => undefined };
};
const PAGE_SIZE = 20;
const CM_EDIT = '/admin/content-manager/collection-types/plugin::complaints.complaint';

interface Login {
  email: string;
  password: string;
}
interface Seeded {
  county: Login;
  operator: Login;
  unitId: number;
  seedMs: number;
}

/** The child: seeds N complaints, the categories, and the two users the browser logs in as. */
const seed = async (strapi: Core.Strapi, N: number): Promise<Seeded> => {
  const knex = strapi.db.connection;
  const t0 = Date.now();
  // N = 0: a kept database (--reuse), seeded already; only new users are made.
  if (N > 0) {
    await seedLedger(knex, N, () => undefined);
    // The categories the seed's codes name (10 major, 5 minor each), so the queue shows names.
    const now = new Date();
    const codes = Array.from({ length: 10 }, (_, m) => [String(m + 1).padStart(2, '0'), ...Array.from({ length: 5 }, (_, n) => `${String(m + 1).padStart(2, '0')}${String(n + 1).padStart(2, '0')}`)]).flat();
    await knex.batchInsert(TABLE.category, codes.map((code, i) => ({
      document_id: `benchcat${String(i).padStart(16, '0')}`, code, name: code.length === 2 ? `第${code}大类` : `第${code}小类`, tier: code.length === 2 ? 'major' : 'minor',
      response_days: 3, created_at: now, updated_at: now, published_at: now,
    })), 100);
  }
  const seedMs = Date.now() - t0;
  const rowsOf = (res: any): any[] => (Array.isArray(res) ? res : res?.rows ?? []);
  const [big] = rowsOf(await knex.raw(`SELECT responsible_unit_id AS u FROM ${TABLE.complaint} WHERE state = 'rectifying' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`));
  const unitId = Number(big.u);
  const user = async (code: string, name: string): Promise<Login & { id: number }> => {
    const role = await strapi.db.query('admin::role').findOne({ where: { code } });
    if (!role) throw new Error(`no role ${code}`);
    const email = `bench-admin-${name}-${randomBytes(3).toString('hex')}@minyi.invalid`;
    const password = `${randomBytes(12).toString('base64url')}Aa1`;
    const u = await (strapi.service('admin::user') as any).create({ email, firstname: '基准', lastname: name, password, isActive: true, registrationToken: null, roles: [role.id] });
    return { id: u.id, email, password };
  };
  const county = await user(ROLE_CODES.countyOffice, 'county');
  const operator = await user(ROLE_CODES.unitOperator, 'operator');
  await strapi.db.query(UID.unit as any).update({ where: { id: unitId }, data: { members: [operator.id] } });
  return { county: { email: county.email, password: county.password }, operator: { email: operator.email, password: operator.password }, unitId, seedMs };
};

const request = (port: number, method: string, urlPath: string, headers: Record<string, string>, body?: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c as Buffer));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    }).once('error', reject);
    req.end(body);
  });

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** What a role is measured on: its queue, the filter it changes, and the plain SQL of both. */
interface Role {
  name: string;
  login: Login;
  queue: string;
  queueLabel: string;
  /** Plain SQL: the queue's WHERE, written apart from services/queues.ts. */
  where: string;
  /** The queue's order, as the page promises it (most urgent first). */
  order: string;
  filter: { testId: string; option: string; param: string; value: string; where: string; rowCheck?: (badges: string[]) => boolean };
}

interface Figure {
  role: string;
  what: string;
  cold: number | null;
  warm: number | null;
  api: number;
  apiWhat: string;
}

const main = async () => {
  if (process.argv[2] === '--child-seed') {
    process.env.MINYI_SKIP_COMPILE = '1';
    const strapi = await bootForTask();
    const seeded = await seed(strapi, Number(process.argv[3]));
    await strapi.destroy();
    process.stdout.write(`\n${JSON.stringify(seeded)}\n`);
    process.exit(0);
  }
  const kind = arg('db', 'postgres');
  if (kind !== 'postgres') throw new Error('bench:admin runs on PostgreSQL only (its seed is generate_series SQL)');
  const sizes = arg('rows', '100000,1000000').split(',').map(Number);
  const RUNS = Number(arg('runs', '5'));
  if (!sizes.every((n) => Number.isInteger(n) && n >= 10_000) || !(Number.isInteger(RUNS) && RUNS >= 1)) throw new Error('--rows must be sizes ≥ 10000 (comma-separated), --runs ≥ 1');
  if (new Date().getTimezoneOffset() !== 0) throw new Error('run the bench with TZ=UTC (npm run bench:admin sets it)');
  const reuse = arg('reuse', '');
  if (reuse && !/^minyi_bench_[0-9a-f]{8}$/.test(reuse)) throw new Error('--reuse takes the name of a database a run with --keep printed');
  if (reuse && sizes.length !== 1) throw new Error('--reuse takes one size (--rows N, the kept database\'s)');
  const keep = process.argv.includes('--keep') || Boolean(reuse);
  const WATERFALL = process.argv.includes('--waterfall');
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const tAll = Date.now();

  // ---- 1. Build for production, once ---------------------------------------------------------
  let buildMs = 0;
  if (!process.argv.includes('--no-build')) {
    const t = Date.now();
    for (const [cmd, args] of [['npm', ['run', '-s', 'build:plugin']], [path.join(ROOT, 'node_modules', '.bin', 'strapi'), ['build']]] as const) {
      const r = spawnSync(cmd, [...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' }, maxBuffer: 64 * 1024 * 1024 });
      if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed: ${(r.stderr || r.stdout).slice(-2000)}`);
    }
    buildMs = Date.now() - t;
    console.log(`bench:admin: plugin and admin built for production in ${fmt(buildMs / 1000, 1)} s`);
  }

  const browser: Browser = await launchChromium();
  const all: Array<{ N: number; figures: Figure[]; shells: Array<{ role: string; rowsShell: number; cmShell: number; panelAsked: number }>; seedMs: number; load: number[] }> = [];
  try {
    for (const N of sizes) {
      const db = reuse ? await reuseDatabase(reuse) : await useBenchDatabase('postgres');
      let server: ChildProcess | null = null;
      let pg: Client | null = null;
      const stop = async () => {
        if (server && server.exitCode === null) {
          const exited = new Promise((resolve) => server!.once('exit', resolve));
          server.kill('SIGTERM');
          await exited;
        }
        await pg?.end().catch(() => undefined);
        if (keep) console.log(`  kept the database: ${db.label}`);
        else await db.drop();
      };
      const onInt = () => void stop().finally(() => process.exit(130));
      process.once('SIGINT', onInt);
      console.log(`\nbench:admin on ${db.label}: ${fmt(N)} complaints, ${RUNS} runs per figure`);
      try {
        // ---- 2. Seed (a child), then the server ------------------------------------------------
        const seeding = spawnSync(tsx, [__filename, '--child-seed', String(reuse ? 0 : N)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TZ: 'UTC' } });
        if (seeding.status !== 0) throw new Error(`seed failed: ${seeding.stderr.slice(-2000)}`);
        const seeded = JSON.parse(seeding.stdout.trim().split('\n').pop()!) as Seeded;
        console.log(`  seeded in ${fmt(seeded.seedMs / 1000, 1)} s; the operator belongs to unit ${seeded.unitId}`);
        pg = new Client({ connectionString: process.env.DATABASE_URL });
        await pg.connect();
        const sql = async (text: string): Promise<any[]> => (await pg!.query(text)).rows;
        const count = async (where: string) => Number((await sql(`SELECT count(*) AS n FROM ${TABLE.complaint} WHERE ${where}`))[0].n);

        const port = await freePort();
        const base = `http://127.0.0.1:${port}`;
        let serverLog = '';
        server = spawn(process.execPath, [path.join(ROOT, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'start'], {
          cwd: ROOT,
          env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), SERVE_ADMIN_PANEL: 'true', MINYI_JOBS_ENABLED: 'false', MINYI_DEMO: 'false', LOG_LEVEL: 'warn', STRAPI_TELEMETRY_DISABLED: 'true' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        server.stdout!.on('data', (d) => (serverLog = (serverLog + String(d)).slice(-4000)));
        server.stderr!.on('data', (d) => (serverLog = (serverLog + String(d)).slice(-4000)));
        for (let tries = 0; ; tries += 1) {
          if (server.exitCode !== null) throw new Error(`the server exited: ${serverLog}`);
          const up = await request(port, 'GET', '/_health', {}).then((r) => r.status, () => 0);
          if (up === 204) break;
          if (tries > 600) throw new Error(`the server did not start: ${serverLog}`);
          await new Promise((r) => setTimeout(r, 200));
        }

        const U = seeded.unitId;
        const roles: Role[] = [
          {
            name: 'unit operator',
            login: seeded.operator,
            queue: 'rectifying',
            queueLabel: '整改中',
            where: `state = 'rectifying' AND responsible_unit_id = ${U}`,
            order: `deadline ASC NULLS LAST, received_at ASC, id ASC`,
            filter: { testId: 'mywork-filter-warningLevel', option: '红色预警（逾期）', param: 'warningLevel', value: 'red', where: `warning_level = 'red'`, rowCheck: (b) => b.every((x) => x.startsWith('红色预警')) },
          },
          {
            name: 'county office',
            login: seeded.county,
            queue: 'toClassify',
            queueLabel: '待分类',
            where: `state = 'received' AND suggestion IS NULL`,
            order: `received_at ASC, id ASC`,
            filter: { testId: 'mywork-filter-town', option: TOWNS[1], param: 'town', value: TOWNS[1], where: `town = '${TOWNS[1]}'` },
          },
        ];

        const figures: Figure[] = [];
        const shells: Array<{ role: string; rowsShell: number; cmShell: number; panelAsked: number }> = [];
        for (const role of roles) {
          // ---- 3. The server's own answers: the baseline ----------------------------------------
          const login = await request(port, 'POST', '/admin/login', { 'Content-Type': 'application/json' }, JSON.stringify(role.login));
          if (login.status !== 200) throw new Error(`admin login of the ${role.name} failed: ${login.status} ${login.body.slice(0, 300)}`);
          const token = JSON.parse(login.body).data.token as string;
          const api = async (p: string) => {
            const times: number[] = [];
            let last: any = null;
            for (let i = 0; i <= RUNS; i += 1) {
              const t = process.hrtime.bigint();
              const r = await request(port, 'GET', p, { Authorization: `Bearer ${token}` });
              const ms = Number(process.hrtime.bigint() - t) / 1e6;
              if (r.status !== 200) throw new Error(`GET ${p} answered ${r.status}: ${r.body.slice(0, 300)}`);
              if (i > 0) times.push(ms);
              last = JSON.parse(r.body);
            }
            return { ms: median(times), body: last };
          };
          const qs = `page=1&pageSize=${PAGE_SIZE}`;
          const filterQs = `${role.filter.param}=${encodeURIComponent(role.filter.value)}`;
          const list = await api('/complaints/queues');
          const rowsApi = await api(`/complaints/queues/${role.queue}?${qs}`);
          const listF = await api(`/complaints/queues?${filterQs}`);
          const rowsF = await api(`/complaints/queues/${role.queue}?${filterQs}&${qs}`);
          const opened: Array<{ documentId: string; ledgerNo: string }> = rowsApi.body.data.rows.slice(0, RUNS);
          const cmMs: number[] = [];
          const wfMs: number[] = [];
          const available = new Map<string, string[]>();
          for (const c of opened) {
            cmMs.push((await api(`/content-manager/collection-types/plugin::complaints.complaint/${c.documentId}`)).ms);
            const wf = await api(`/complaints/complaints/${c.documentId}/workflow`);
            wfMs.push(wf.ms);
            available.set(c.documentId, wf.body.data.available);
          }

          // ---- What the page must show, from plain SQL ------------------------------------------
          const total = await count(role.where);
          const totalF = await count(`${role.where} AND ${role.filter.where}`);
          const [first] = await sql(`SELECT ledger_no FROM ${TABLE.complaint} WHERE ${role.where} ORDER BY ${role.order} LIMIT 1`);
          if (total < PAGE_SIZE || totalF < 1) throw new Error(`the ${role.name}'s queue holds ${total} complaints (${totalF} filtered): too few to measure`);
          const apiCount = list.body.data.queues.find((q: { key: string }) => q.key === role.queue)?.count;
          if (apiCount !== total || rowsApi.body.data.total !== total || rowsF.body.data.total !== totalF) {
            throw new Error(`the API's count of ${role.queue} is ${apiCount} / ${rowsApi.body.data.total} (filtered ${rowsF.body.data.total}), plain SQL says ${total} (${totalF})`);
          }

          // ---- 4. In Chromium ------------------------------------------------------------------
          const loginCtx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 } });
          const lp = await loginCtx.newPage();
          await lp.goto(`${base}/admin/auth/login`);
          await lp.locator('input[name="email"]').fill(role.login.email);
          await lp.locator('input[name="password"]').fill(role.login.password);
          await lp.locator('button[type="submit"]').click();
          await lp.waitForURL(/\/admin(\/)?($|\?|#|\/(?!auth))/, { timeout: 120000 });
          const session = await loginCtx.storageState();
          await loginCtx.close();
          const fresh = async (): Promise<{ ctx: BrowserContext; page: Page }> => {
            const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 1000 }, storageState: session });
            // The Strapi admin loads some hundred chunks: keep every resource's timing for the waterfall.
            await ctx.addInitScript(() => performance.setResourceTimingBufferSize(5000));
            return { ctx, page: await ctx.newPage() };
          };
          const digits = (s: string) => Number(s.replace(/[^0-9]/g, ''));
          /** The page's clock, since its navigation began, when the first queue row is in the page. */
          /** A wait that timed out says what the page showed and asked for. */
          const explain = (page: Page, what: string) => async (e: unknown): Promise<never> => {
            const seen = await page.evaluate(() => ({
              url: location.href,
              errors: Array.from(document.querySelectorAll('[data-testid="mywork-error"], [role="alert"]')).map((x) => x.textContent).join(' | '),
              requests: performance.getEntriesByType('resource').filter((r) => /\/(complaints|content-manager)\//.test(r.name)).map((r) => `${new URL(r.name).pathname} ${Math.round(r.startTime)}→${Math.round((r as PerformanceResourceTiming).responseEnd)}`),
            })).catch(() => null);
            throw new Error(`${what}: ${(e as Error).message}; the page (${seen?.url}) shows errors: ${seen?.errors || 'none'}; its requests: ${seen?.requests.join(', ')}`);
          };
          const untilRows = (page: Page) =>
            page
              .waitForFunction(() => (document.querySelector('[data-testid="mywork-row"]') ? performance.now() : null), undefined, { polling: 'raf', timeout: 120000 })
              .then((h) => h.jsonValue() as Promise<number>)
              .catch(explain(page, 'the first rows'));
          /** When the page first asked for a URL containing `part`, on its own clock (the admin shell's time before it). */
          const askedAt = (page: Page, part: string) =>
            page.evaluate((p) => performance.getEntriesByType('resource').find((e) => e.name.includes(p))?.startTime ?? NaN, part);
          /** The page's requests on its own clock: the API calls one by one, the scripts summed up. */
          const waterfall = async (page: Page, what: string, until: number) => {
            if (!WATERFALL) return;
            const entries = await page.evaluate(() =>
              performance.getEntriesByType('resource').map((e) => {
                const r = e as PerformanceResourceTiming;
                return { name: r.name, type: r.initiatorType, start: r.startTime, end: r.responseEnd, bytes: r.transferSize };
              })
            );
            const scripts = entries.filter((e) => e.type === 'script' || e.type === 'link' || e.name.endsWith('.js'));
            console.log(`    waterfall, ${role.name}, ${what} (usable at ${fmt(until)} ms): ${scripts.length} scripts and styles, ${fmt(scripts.reduce((t, e) => t + e.bytes, 0) / 1024)} kB sent, the last done at ${fmt(Math.max(0, ...scripts.map((e) => e.end)))} ms`);
            for (const e of entries.filter((x) => !scripts.includes(x))) {
              const u = new URL(e.name);
              console.log(`      ${fmt(e.start).padStart(6)} → ${fmt(e.end).padStart(6)} ms  ${(u.pathname + u.search).slice(0, 110)}`);
            }
          };
          const checkQueue = async (page: Page, want: number, firstNo: string | null, where: string) => {
            const heading = await page.getByTestId('mywork-table').locator('h2').innerText();
            const button = await page.getByTestId(`mywork-queue-${role.queue}`).innerText();
            const rows = await page.getByTestId('mywork-row').count();
            const nos = await page.getByTestId('mywork-row-link').allInnerTexts();
            const shown = digits(heading.split('共')[1] ?? '');
            if (!heading.startsWith(role.queueLabel) || shown !== want) throw new Error(`${where}: the table says "${heading}", plain SQL counts ${want}`);
            if (digits(button.replace(role.queueLabel, '')) !== want) throw new Error(`${where}: the queue's button says "${button}", plain SQL counts ${want}`);
            if (rows !== Math.min(PAGE_SIZE, want)) throw new Error(`${where}: ${rows} rows in the table, expected ${Math.min(PAGE_SIZE, want)}`);
            if (firstNo && nos[0]?.trim() !== firstNo) throw new Error(`${where}: the first row is ${nos[0]}, plain SQL's first is ${firstNo}`);
          };

          const queueUrl = `${base}/admin/plugins/complaints/my-work?queue=${role.queue}`;
          const rowsCold: number[] = [];
          const rowsWarm: number[] = [];
          const cmCold: number[] = [];
          const cmWarm: number[] = [];
          const cpCold: number[] = [];
          const cpWarm: number[] = [];
          const filterMs: number[] = [];
          const countsMs: number[] = [];
          const rowsShell: number[] = [];
          const cmShell: number[] = [];
          const panelAsked: number[] = [];
          const [firstF] = await sql(`SELECT ledger_no FROM ${TABLE.complaint} WHERE ${role.where} AND ${role.filter.where} ORDER BY ${role.order} LIMIT 1`);
          for (let i = 0; i < RUNS; i += 1) {
            // First rows, cold then warm.
            const { ctx, page } = await fresh();
            await page.goto(queueUrl, { waitUntil: 'commit' });
            rowsCold.push(await untilRows(page));
            rowsShell.push(await askedAt(page, '/complaints/'));
            if (i === RUNS - 1) await waterfall(page, 'first rows, cold', rowsCold[i]);
            await checkQueue(page, total, first.ledger_no, `run ${i + 1} cold, unfiltered`);
            await page.reload({ waitUntil: 'commit' });
            rowsWarm.push(await untilRows(page));
            await checkQueue(page, total, first.ledger_no, `run ${i + 1} warm, unfiltered`);

            // A filter change, from the click on the value to the filtered total in the table.
            const select = page.getByTestId(role.filter.testId).getByRole('combobox');
            await select.click();
            const option = page.getByRole('option', { name: role.filter.option, exact: true });
            await option.waitFor({ timeout: 60000 });
            await page.evaluate(() => {
              (window as any).__minyiClick = null;
              document.addEventListener('pointerdown', () => ((window as any).__minyiClick ??= performance.now()), { capture: true, once: true });
            });
            await option.click();
            const changed = await page
              .waitForFunction(
                (want) => {
                  const h = document.querySelector('[data-testid="mywork-table"] h2');
                  const t0 = (window as any).__minyiClick as number | null;
                  const shown = Number((h?.textContent ?? '').split('共')[1]?.replace(/[^0-9]/g, '') ?? NaN);
                  return t0 !== null && shown === want && document.querySelector('[data-testid="mywork-row"]') ? performance.now() - t0 : null;
                },
                totalF,
                { polling: 'raf', timeout: 120000 }
              )
              .then((h) => h.jsonValue() as Promise<number>)
              .catch(explain(page, 'the filtered rows'));
            filterMs.push(changed);
            // The queues' counts come in a request of their own: the figure is the rows; the counts are checked when they arrive.
            countsMs.push(
              await page
                .waitForFunction(
                  ({ key, want }) => {
                    const b = document.querySelector(`[data-testid="mywork-queue-${key}"]`);
                    return b && Number((b.textContent ?? '').replace(/[^0-9]/g, '')) === want ? performance.now() - ((window as any).__minyiClick as number) : null;
                  },
                  { key: role.queue, want: totalF },
                  { polling: 'raf', timeout: 120000 }
                )
                .then((h) => h.jsonValue() as Promise<number>)
                .catch(explain(page, 'the filtered counts'))
            );
            if (!page.url().includes(`${role.filter.param}=`)) throw new Error(`run ${i + 1}: the filter is not in the address (${page.url()})`);
            await checkQueue(page, totalF, firstF.ledger_no, `run ${i + 1}, filtered by ${role.filter.param}`);
            if (role.filter.rowCheck && !role.filter.rowCheck(await page.getByTestId('mywork-row-warning').allInnerTexts())) throw new Error(`run ${i + 1}: a filtered row lacks the ${role.filter.value} badge`);
            if (role.filter.rowCheck && (await page.getByTestId('mywork-row-warning').count()) !== Math.min(PAGE_SIZE, totalF)) throw new Error(`run ${i + 1}: not every filtered row has its badge`);
            await ctx.close();

            // The complaint page, cold then warm: its state and every action the server offers.
            const c = opened[i % opened.length];
            const want = available.get(c.documentId)!;
            const usable = (p: Page) =>
              p
                .waitForFunction(
                  (n) => {
                    const panel = document.querySelector('[data-testid="minyi-workflow-panel"]');
                    return panel && panel.querySelector('[data-testid="minyi-state"]') && panel.querySelectorAll('[data-testid^="minyi-action-"]').length === n ? performance.now() : null;
                  },
                  want.length,
                  { polling: 'raf', timeout: 120000 }
                )
                .then((h) => h.jsonValue() as Promise<number>)
                .catch(explain(p, 'the complaint page'));
            const checkComplaint = async (p: Page, where: string) => {
              const no = await p.locator('input[name="ledgerNo"]').inputValue();
              if (no !== c.ledgerNo) throw new Error(`${where}: the complaint page shows ledger number ${no}, the queue's row was ${c.ledgerNo}`);
              const actions = await p.getByTestId('minyi-workflow-panel').locator('[data-testid^="minyi-action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('minyi-action-'.length)));
              if (JSON.stringify(actions) !== JSON.stringify(want)) throw new Error(`${where}: the panel offers ${actions.join(', ')}, the server ${want.join(', ')}`);
            };
            const two = await fresh();
            await two.page.goto(`${base}${CM_EDIT}/${c.documentId}`, { waitUntil: 'commit' });
            cmCold.push(await usable(two.page));
            cmShell.push(await askedAt(two.page, '/content-manager/'));
            panelAsked.push(await askedAt(two.page, '/workflow'));
            if (i === RUNS - 1) await waterfall(two.page, 'complaint page, cold', cmCold[i]);
            await checkComplaint(two.page, `run ${i + 1} cold`);
            await two.page.reload({ waitUntil: 'commit' });
            cmWarm.push(await usable(two.page));
            await checkComplaint(two.page, `run ${i + 1} warm`);
            await two.ctx.close();

            // Minyi's own complaint page (the queue's rows open it): the same panel, nothing else to wait for.
            const checkPage = async (p: Page, where: string) => {
              const no = await p.getByTestId('minyi-complaint-ledgerNo').innerText();
              if (no !== c.ledgerNo) throw new Error(`${where}: Minyi's complaint page shows ledger number ${no}, the queue's row was ${c.ledgerNo}`);
              const actions = await p.getByTestId('minyi-workflow-panel').locator('[data-testid^="minyi-action-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('minyi-action-'.length)));
              if (JSON.stringify(actions) !== JSON.stringify(want)) throw new Error(`${where}: Minyi's complaint page offers ${actions.join(', ')}, the server ${want.join(', ')}`);
            };
            const three = await fresh();
            await three.page.goto(`${base}/admin/plugins/complaints/complaints/${c.documentId}`, { waitUntil: 'commit' });
            cpCold.push(await usable(three.page));
            await three.page.getByTestId('minyi-complaint-ledgerNo').filter({ hasText: c.ledgerNo }).waitFor({ timeout: 60000 });
            await checkPage(three.page, `run ${i + 1} cold`);
            await three.page.reload({ waitUntil: 'commit' });
            cpWarm.push(await usable(three.page));
            await three.page.getByTestId('minyi-complaint-ledgerNo').filter({ hasText: c.ledgerNo }).waitFor({ timeout: 60000 });
            await checkPage(three.page, `run ${i + 1} warm`);
            await three.ctx.close();
          }
          const figure = (what: string, cold: number[] | null, warm: number[] | null, apiMs: number, apiWhat: string) => {
            const f = { role: role.name, what, cold: cold && median(cold), warm: warm && median(warm), api: apiMs, apiWhat };
            figures.push(f);
            console.log(`  checked: ${role.name}, ${what}: cold ${f.cold === null ? '—' : fmt(f.cold)} ms, warm ${f.warm === null ? '—' : fmt(f.warm)} ms (runs: ${[...(cold ?? []), ...(warm ?? [])].map((x) => fmt(x)).join(' ')})`);
          };
          figure(`first rows of ${role.queueLabel} (${fmt(total)})`, rowsCold, rowsWarm, list.ms + rowsApi.ms, 'GET /queues + /queues/:key');
          figure('complaint page (Minyi\'s, from the queue), panel usable', cpCold, cpWarm, median(wfMs), 'GET /workflow');
          figure('complaint in the Content Manager, panel usable', cmCold, cmWarm, median(cmMs) + median(wfMs), 'GET CM document + /workflow');
          figure(`filter change (${role.filter.param}, ${fmt(totalF)})`, null, filterMs, listF.ms + rowsF.ms, 'GET /queues + /queues/:key, filtered');
          console.log(`  filter change: the queues' counts agreed ${fmt(median(countsMs))} ms after the click (median; runs ${countsMs.map((x) => fmt(x)).join(' ')})`);
          console.log(`  cold loads: the admin shell (until My work's first request) ${fmt(median(rowsShell))} ms of ${fmt(median(rowsCold))}; on the complaint page, the Content Manager's first request at ${fmt(median(cmShell))} ms, the panel's own request at ${fmt(median(panelAsked))} ms of ${fmt(median(cmCold))}`);
          shells.push({ role: role.name, rowsShell: median(rowsShell), cmShell: median(cmShell), panelAsked: median(panelAsked) });
          console.log(`  API medians: /queues ${fmt(list.ms, 1)} ms, /queues/${role.queue} ${fmt(rowsApi.ms, 1)} ms, filtered ${fmt(listF.ms, 1)} + ${fmt(rowsF.ms, 1)} ms, CM document ${fmt(median(cmMs), 1)} ms, /workflow ${fmt(median(wfMs), 1)} ms`);
        }
        all.push({ N, figures, shells, seedMs: seeded.seedMs, load: os.loadavg() });
      } finally {
        process.removeListener('SIGINT', onInt);
        await stop();
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
  }

  // ---- Figures ---------------------------------------------------------------------------------
  console.log(`\n  result check: every page showed what plain SQL says (queue totals in the table and on the queue button, ${PAGE_SIZE} rows, the first row in the queue's order, the filtered total and badges, the complaint's ledger number and the panel's actions)`);
  console.log(`  medians of ${RUNS}, ms; cold = new browser context (empty cache), warm = reload; goal ≤ ${GOAL_MS} ms`);
  console.log(`  ${'complaints'.padEnd(11)} ${'role'.padEnd(14)} ${'what'.padEnd(36)} ${'cold'.padStart(6)} ${'warm'.padStart(6)}  ${'API'.padStart(6)}  page÷API  goal`);
  for (const r of all) {
    for (const f of r.figures) {
      const worst = Math.max(f.cold ?? 0, f.warm ?? 0);
      console.log(
        `  ${fmt(r.N).padEnd(11)} ${f.role.padEnd(14)} ${f.what.padEnd(36)} ${(f.cold === null ? '—' : fmt(f.cold)).padStart(6)} ${(f.warm === null ? '—' : fmt(f.warm)).padStart(6)}  ${fmt(f.api).padStart(6)}  ${fmt(worst / f.api, 1).padStart(7)}×  ${worst <= GOAL_MS ? 'met' : 'NOT met'}`
      );
    }
    for (const x of r.shells) console.log(`  ${fmt(r.N)}, ${x.role}, cold: the admin shell before My work's first request ${fmt(x.rowsShell)} ms; complaint page: the Content Manager's first request at ${fmt(x.cmShell)} ms, the panel's at ${fmt(x.panelAsked)} ms`);
    console.log(`  ${fmt(r.N)}: seed ${fmt(r.seedMs / 1000, 1)} s; load average at the end ${r.load.map((l) => fmt(l, 1)).join(' ')}`);
  }
  console.log(`  API = the server's own answer to the calls the page waits for (${all[0]?.figures.map((f) => f.apiWhat).filter((x, i, a) => a.indexOf(x) === i).join('; ')}), median of ${RUNS}`);
  console.log(`  end to end ${fmt((Date.now() - tAll) / 1000)} s${buildMs ? `, of which the build ${fmt(buildMs / 1000)} s` : ''}`);
  process.exit(0);
};

main().catch((e) => {
  console.error(`bench:admin failed: ${(e as Error).message}`);
  process.exit(1);
});
