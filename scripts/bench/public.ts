/**
 * npm run bench:public [-- --rows 1000000 --seconds 10 --connections 10 --keep]
 *
 * The public routes under load, on PostgreSQL: seeds N complaints (scripts/lib/stats-seed.ts,
 * the statistics bench's ledger), starts the app's HTTP server on loopback and drives, one after
 * the other with autocannon, `/_health` (Strapi's own bare route: the baseline of the same run),
 * `GET /api/minyi/summary` and `GET /api/minyi/results`, each for `--seconds` with
 * `--connections` connections. The per-IP read limit is raised for the run (the limiter still
 * counts every call); the answers cache is on as shipped (publicPage.cacheSeconds, 60 s).
 *
 * Before any figure is printed, the answers are checked against plain SQL written apart here:
 * the summary's total, closed and state-group counts, and the results' total; and every call of
 * each run must have answered 200 (no 429, no error). Printed: requests per second, p50 / p99
 * latency, the ratio to `/_health`, and the first (uncached) computation of each route.
 * Goal: summary ≥ 60 % of `/_health`'s requests per second, p99 ≤ 25 ms.
 */
import type { AddressInfo } from 'net';
import { spawn } from 'child_process';
import os from 'os';
import path from 'path';
import { TABLE } from '../../plugins/complaints/server/src/constants';
import { bootForTask, ROOT } from '../lib/boot';
import { arg, benchDatabase, fmt } from '../lib/bench-db';
import { seedLedger } from '../lib/stats-seed';

/** autocannon in a process of its own (the server keeps its event loop), its JSON report parsed. */
const autocannon = (url: string, connections: number, seconds: number): Promise<any> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'autocannon', 'autocannon.js'), '-j', '-c', String(connections), '-d', String(seconds), url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (err += String(d)));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`autocannon failed: ${err.slice(-2000)}`))));
  });

interface Run {
  path: string;
  rps: number;
  p50: number;
  p99: number;
  total: number;
}

const main = async () => {
  const N = Number(arg('rows', '1000000'));
  const SECONDS = Number(arg('seconds', '10'));
  const CONNECTIONS = Number(arg('connections', '10'));
  const keep = process.argv.includes('--keep');
  if (!(Number.isInteger(N) && N >= 10_000) || !(SECONDS >= 1) || !(CONNECTIONS >= 1)) throw new Error('--rows must be ≥ 10000, --seconds ≥ 1, --connections ≥ 1');
  if (new Date().getTimezoneOffset() !== 0) throw new Error('run the bench with TZ=UTC (npm run bench:public sets it)');
  const db = await benchDatabase('postgres', keep);
  const { drop } = db;
  console.log(`bench:public on ${db.label}: ${fmt(N)} complaints, ${SECONDS} s per route, ${CONNECTIONS} connections`);
  let strapi: any = null;
  try {
    strapi = await bootForTask();
    const knex = strapi.db.connection;
    const progress = (s: string) => process.stderr.isTTY && process.stderr.write(`\r  ${s}`.padEnd(60));
    const { seedMs } = await seedLedger(knex, N, progress);
    if (process.stderr.isTTY) process.stderr.write('\n');
    strapi.config.set('plugin::complaints.publicPage.limits.read', { points: 1_000_000_000, duration: 60 });
    const cacheSeconds = (strapi.config.get('plugin::complaints') as any).publicPage.cacheSeconds as number;
    strapi.server.mount();
    await new Promise<void>((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(strapi.server.httpServer.address() as AddressInfo).port}`;

    // ---- Check the answers against plain SQL -------------------------------------------------
    const rowsOf = (res: any): any[] => (Array.isArray(res) ? res : res?.rows ?? []);
    const C = TABLE.complaint;
    const byState = rowsOf(await knex.raw(`SELECT state, count(*) AS n FROM ${C} GROUP BY state`));
    const n = (states: string[]) => byState.filter((r) => states.includes(r.state)).reduce((t, r) => t + Number(r.n), 0);
    const all = n(byState.map((r) => r.state));
    const closed = n(['closed']);
    const received = n(['received']);
    const invalid = n(['invalid']);
    const firstCall = async (path: string) => {
      const t = Date.now();
      const res = await fetch(base + path);
      const ms = Date.now() - t;
      if (res.status !== 200) throw new Error(`benchmark result is wrong: ${path} answered ${res.status}`);
      return { body: (await res.json()) as any, ms };
    };
    const summary = await firstCall('/api/minyi/summary');
    const t = summary.body.data.totals;
    const want = { complaints: N, closed, received, invalid, inProgress: all - closed - received - invalid };
    const got = { complaints: t.complaints, closed: t.closed, received: t.byStateGroup.received, invalid: t.byStateGroup.invalid, inProgress: t.byStateGroup.in_progress };
    if (all !== N || JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`benchmark result is wrong: the summary says ${JSON.stringify(got)}, plain SQL ${JSON.stringify(want)}`);
    const results = await firstCall('/api/minyi/results');
    if (results.body.meta.total !== closed || results.body.data.length !== 20) throw new Error(`benchmark result is wrong: results list ${results.body.meta.total} closed (${results.body.data.length} on the page), plain SQL ${closed}`);

    // ---- Load ------------------------------------------------------------------------------------
    const load = async (path: string): Promise<Run> => {
      const r = await autocannon(base + path, CONNECTIONS, SECONDS);
      if (r.errors || r.timeouts || r.non2xx || r['2xx'] !== r.requests.total) throw new Error(`benchmark result is wrong: ${path} had ${r.non2xx} non-2xx answers, ${r.errors} errors, ${r.timeouts} timeouts of ${r.requests.total}`);
      if (r.requests.total < 100) throw new Error(`benchmark result is wrong: ${path} answered only ${r.requests.total} calls`);
      return { path, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total };
    };
    const health = await load('/_health');
    const runs = [await load('/api/minyi/summary'), await load('/api/minyi/results')];
    const line = (r: Run) => `  ${r.path.padEnd(20)} ${fmt(r.rps).padStart(7)} req/s  p50 ${fmt(r.p50, 1).padStart(5)} ms  p99 ${fmt(r.p99, 1).padStart(5)} ms  (${fmt(r.total)} calls)`;
    console.log(line(health));
    for (const r of runs) console.log(`${line(r)}  ${fmt((r.rps / health.rps) * 100, 0)} % of /_health`);
    const s = runs[0];
    console.log(`  first (uncached) computation at ${fmt(N)} rows: summary ${fmt(summary.ms)} ms, results ${fmt(results.ms)} ms; answers kept ${cacheSeconds} s`);
    console.log(`  goal: summary ≥ 60 % of /_health and p99 ≤ 25 ms: ${s.rps / health.rps >= 0.6 && s.p99 <= 25 ? 'met' : 'NOT met'}`);
    console.log(`  seed ${fmt(seedMs / 1000, 1)} s; load average ${os.loadavg().map((l: number) => fmt(l, 1)).join(' ')}`);
  } finally {
    if (strapi) await strapi.destroy().catch(() => undefined);
    await drop();
    if (keep) console.log(`  kept ${db.label}`);
  }
};

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
