/**
 * npm run bench:stats [-- --db postgres|sqlite --rows 100000 --runs 30]
 *
 * Seeds N complaints with set-based SQL (generate_series on PostgreSQL, a recursive CTE on
 * SQLite) with a skew like a real county's: a few big towns, units and categories take most
 * demands; six months of intake; every state. Then times the statistics counts as the route
 * runs them (services/complaint-query.ts `countComplaints`: filters compiled to SQL under the
 * caller's scope), each over `--runs` queries with varied values, no result cache:
 *   - counts by unit under three filters (state, a month of receipt, a channel), county office;
 *   - counts by unit and month received under two filters, county office;
 *   - counts by state for one unit's operator (scope only);
 * and, as the baseline in the same run, a plain `SELECT count(*)` of the whole table.
 *
 * Before any figure is printed, every query's answer is checked against plain SQL written
 * independently here (conditions and month cuts by hand, in Beijing time as literal instants).
 * The bench database is dropped at the end, also on error.
 */
import { TABLE } from '../../plugins/complaints/server/src/constants';
import { actorContextOf } from '../../plugins/complaints/server/src/domain/actor';
import { parseCountsRequest } from '../../plugins/complaints/server/src/domain/filters';
import { ROLE_CODES } from '../../plugins/complaints/server/src/domain/roles';
import { countComplaints, type CountsResult } from '../../plugins/complaints/server/src/services/complaint-query';
import { bootForTask } from '../lib/boot';
import { arg, fmt, useBenchDatabase } from '../lib/bench-db';

const TOWNS = ['城关镇', '东坝镇', '西河镇', '南山乡', '北岭乡', '青石镇', '白马乡', '桃源镇'];
const CHANNELS = ['hotline', 'visit', 'web', 'letter', 'sms', 'meeting', 'other'];
const UNITS = 120;
/** Six months of intake, Beijing time: 2026-01 … 2026-06. */
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
/** The first instant of each month in Beijing (UTC+8, no daylight saving), and the end of June. */
const MONTH_STARTS = [...MONTHS, '2026-07'].map((m) => new Date(`${m}-01T00:00:00+08:00`));

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const main = async () => {
  const kind = arg('db', 'postgres') as 'postgres' | 'sqlite';
  if (kind !== 'postgres' && kind !== 'sqlite') throw new Error(`--db must be postgres or sqlite, not ${kind}`);
  const isPg = kind === 'postgres';
  const N = Number(arg('rows', '100000'));
  const RUNS = Number(arg('runs', '30'));
  if (!(Number.isInteger(N) && N >= 1000) || !(Number.isInteger(RUNS) && RUNS >= 20)) throw new Error('--rows must be ≥ 1000 and --runs ≥ 20');
  const db = await useBenchDatabase(kind);
  let dropped = false;
  const drop = async () => {
    if (dropped) return;
    dropped = true;
    await db.drop();
  };
  process.once('SIGINT', () => {
    void drop().finally(() => process.exit(130));
  });
  console.log(`bench:stats on ${db.label}: ${fmt(N)} complaints, ${RUNS} queries per line`);
  let strapi: any = null;
  try {
    strapi = await bootForTask();
    const knex = strapi.db.connection;
    const timeZone = (strapi.config.get('plugin::complaints') as { timeZone: string }).timeZone;
    if (timeZone !== 'Asia/Shanghai') throw new Error(`the bench cuts months in Beijing time; config.timeZone is ${timeZone}`);
    const rowsOf = (res: any): any[] => (Array.isArray(res) ? res : res?.rows ?? []);

    // ---- Seed ------------------------------------------------------------------------------
    // Row g: a hash h picks its state (b), its skewed town, unit and category (u), its channel and
    // its instant of receipt within six months (v). Skew: the square of a uniform number, so
    // low indexes (城关镇, unit 1, category 01) take most rows.
    const t0 = Date.now();
    const lo0 = MONTH_STARTS[0].getTime();
    const span = MONTH_STARTS[6].getTime() - lo0;
    const series = (lo: number, hi: number) =>
      isPg
        ? `SELECT g, h % 1000 AS b, (h / 1000) % 1000 AS u, (h / 1000000) % 1000 AS v, (h / 7) % 1000000 AS w
           FROM (SELECT g, (g::bigint * 2654435761) % 4294967296 AS h FROM generate_series(${lo}::bigint, ${hi}::bigint) AS s(g)) k`
        : `SELECT g, h % 1000 AS b, (h / 1000) % 1000 AS u, (h / 1000000) % 1000 AS v, (h / 7) % 1000000 AS w
           FROM (SELECT g, (g * 2654435761) % 4294967296 AS h FROM s) k`;
    const derived = (lo: number, hi: number) => `
      SELECT g, b, u, v, w,
        CASE WHEN b < 350 THEN 'rectifying' WHEN b < 450 THEN 'assigned' WHEN b < 500 THEN 'received' WHEN b < 550 THEN 'classified'
             WHEN b < 620 THEN 'accepted' WHEN b < 650 THEN 'in_review' WHEN b < 670 THEN 'returned' WHEN b < 720 THEN 'signing'
             WHEN b < 970 THEN 'closed' ELSE 'invalid' END AS st,
        (u * u) / 1000 AS sk
      FROM (${series(lo, hi)}) x`;
    const at = (msExpr: string) => (isPg ? `(TIMESTAMP '${new Date(lo0).toISOString().replace('T', ' ').replace('Z', '')}' + (${msExpr}) * INTERVAL '1 millisecond')` : `(${lo0} + (${msExpr}))`);
    // Instants are stored as Minyi stores them: a JS Date bound by the driver; on PostgreSQL that is
    // the process's local wall time in a timestamp column, so the seed uses UTC only when TZ=UTC.
    if (isPg && new Date().getTimezoneOffset() !== 0) throw new Error('run the PostgreSQL bench with TZ=UTC (npm run bench:stats sets it)');
    const receivedMs = `(w * ${Math.floor(span / 1_000_000)})`;
    const seedSql = (lo: number, hi: number) => `${isPg ? '' : `WITH RECURSIVE s(g) AS (SELECT ${lo} UNION ALL SELECT g + 1 FROM s WHERE g < ${hi}) `}
      INSERT INTO ${TABLE.complaint} (document_id, ledger_no, received_at, channel, town, village, content, state, traceable, level,
        category_code, major_category_code, responsible_unit_id, lead_unit_id, nature, mode, closed_at, warning_level,
        reopen_count, send_back_count, return_count, chain_seq, created_at, updated_at, published_at)
      SELECT
        ${isPg ? `substr(md5(g::text), 1, 16) || lpad(g::text, 8, '0')` : `lower(hex(randomblob(8))) || printf('%08d', g)`},
        ${isPg ? `'ST' || lpad(g::text, 8, '0')` : `'ST' || printf('%08d', g)`},
        ${at(receivedMs)},
        CASE v % 10 WHEN 0 THEN 'visit' WHEN 1 THEN 'web' WHEN 2 THEN 'letter' WHEN 3 THEN 'sms' WHEN 4 THEN 'meeting' WHEN 5 THEN 'other' ELSE 'hotline' END,
        CASE sk % 8 ${TOWNS.map((t, i) => `WHEN ${i} THEN '${t}'`).join(' ')} END,
        '第1村',
        '基准测试诉求：小区楼道照明损坏，夜间出行不便，请求尽快维修。',
        st,
        (v % 5 <> 0),
        CASE WHEN st IN ('received', 'invalid') THEN NULL WHEN u % 3 = 0 THEN 'county' ELSE 'township' END,
        CASE WHEN st IN ('received', 'invalid') THEN NULL ELSE ${isPg ? `lpad((1 + sk % 10)::text, 2, '0') || lpad((1 + v % 5)::text, 2, '0')` : `printf('%02d%02d', 1 + sk % 10, 1 + v % 5)`} END,
        CASE WHEN st IN ('received', 'invalid') THEN NULL ELSE ${isPg ? `lpad((1 + sk % 10)::text, 2, '0')` : `printf('%02d', 1 + sk % 10)`} END,
        CASE WHEN st IN ('received', 'invalid') THEN NULL ELSE 1 + sk % ${UNITS} END,
        CASE WHEN st IN ('received', 'invalid') THEN NULL ELSE ${UNITS + 1} + sk % 10 END,
        CASE WHEN st IN ('received', 'invalid', 'classified', 'assigned') THEN NULL WHEN v % 7 = 0 THEN 'common' ELSE 'individual' END,
        CASE WHEN st IN ('rectifying', 'signing', 'closed') THEN (CASE WHEN u < 50 THEN 'policy_limited' WHEN u < 250 THEN 'phased' ELSE 'deadline' END) ELSE NULL END,
        CASE WHEN st = 'closed' THEN ${at(`${receivedMs} + 20 * 86400000`)} ELSE NULL END,
        CASE WHEN st IN ('rectifying', 'assigned') THEN (CASE v % 6 WHEN 0 THEN 'red' WHEN 1 THEN 'orange' WHEN 2 THEN 'yellow' ELSE 'none' END) ELSE 'none' END,
        CASE WHEN st IN ('rectifying', 'closed') AND v % 20 = 0 THEN 1 ELSE 0 END, 0, 0, 0,
        ${at(receivedMs)}, ${at(receivedMs)}, ${at(receivedMs)}
      FROM (${derived(lo, hi)}) y`;
    const seedChunk = isPg ? 250_000 : 100_000;
    for (let lo = 1; lo <= N; lo += seedChunk) {
      await knex.raw(seedSql(lo, Math.min(N, lo + seedChunk - 1)));
      if (process.stderr.isTTY) process.stderr.write(`\r  seeded ${fmt(Math.min(N, lo + seedChunk - 1))} complaints`);
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
    await knex.raw(isPg ? `VACUUM (ANALYZE) ${TABLE.complaint}` : 'ANALYZE');
    const seedMs = Date.now() - t0;
    const seeded = Number(rowsOf(await knex.raw(`SELECT count(*) AS n FROM ${TABLE.complaint}`))[0].n);
    if (seeded !== N) throw new Error(`seeded ${seeded} complaints, expected ${N}`);

    // ---- The queries, and the same answers in plain SQL ----------------------------------
    const county = actorContextOf(1, [ROLE_CODES.countyOffice], []);
    const operatorOf = (unitId: number) => actorContextOf(2, [ROLE_CODES.unitOperator], [unitId]);
    const ctx = { timeZone };
    const bind = (d: Date) => (isPg ? d : d.getTime());
    const monthCase = `CASE ${MONTHS.map((m) => `WHEN received_at >= ? AND received_at < ? THEN '${m}'`).join(' ')} END`;
    const monthBindings = MONTHS.flatMap((_, i) => [bind(MONTH_STARTS[i]), bind(MONTH_STARTS[i + 1])]);
    const STATE_SETS = [['rectifying', 'accepted'], ['closed'], ['assigned', 'in_review', 'returned'], ['signing', 'closed', 'rectifying']];
    const UNIT_VISIBLE = ['assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'];
    type Line = { name: string; query: (i: number) => { qs: Record<string, string>; actor: ReturnType<typeof actorContextOf>; sql: string; bindings: unknown[] } };
    const LINES: Line[] = [
      {
        name: 'counts by unit, 3 filters (state, month, channel)',
        query: (i) => {
          const states = STATE_SETS[i % STATE_SETS.length];
          const m = i % 6;
          const channel = CHANNELS[i % CHANNELS.length];
          const last = new Date(MONTH_STARTS[m + 1].getTime() - 86_400_000);
          const day = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
          return {
            qs: { by: 'unit', state: states.join(','), receivedAt: `${day(MONTH_STARTS[m])}..${day(last)}`, channel },
            actor: county,
            sql: `SELECT responsible_unit_id AS k0, count(*) AS n FROM ${TABLE.complaint}
                  WHERE state IN (${states.map(() => '?').join(',')}) AND received_at >= ? AND received_at < ? AND channel = ? GROUP BY responsible_unit_id`,
            bindings: [...states, bind(MONTH_STARTS[m]), bind(MONTH_STARTS[m + 1]), channel],
          };
        },
      },
      {
        name: 'counts by unit × month received, 2 filters',
        query: (i) => {
          const major = String(1 + (i % 10)).padStart(2, '0');
          const traceable = i % 2 === 0;
          return {
            qs: { by: 'unit,monthReceived', majorCategory: major, traceable: String(traceable) },
            actor: county,
            sql: `SELECT responsible_unit_id AS k0, ${monthCase} AS k1, count(*) AS n FROM ${TABLE.complaint}
                  WHERE major_category_code = ? AND ${traceable ? 'traceable = ?' : '(traceable = ? OR traceable IS NULL)'} GROUP BY 1, 2`,
            bindings: [...monthBindings, major, isPg ? traceable : traceable ? 1 : 0],
          };
        },
      },
      {
        name: "counts by state, one unit's operator (scope)",
        query: (i) => {
          const unit = 1 + (i % 20);
          return {
            qs: { by: 'state' },
            actor: operatorOf(unit),
            sql: `SELECT state AS k0, count(*) AS n FROM ${TABLE.complaint} WHERE state IN (${UNIT_VISIBLE.map(() => '?').join(',')}) AND responsible_unit_id = ? GROUP BY state`,
            bindings: [...UNIT_VISIBLE, unit],
          };
        },
      },
    ];
    const key = (r: Record<string, unknown>) => JSON.stringify(Object.entries(r).filter(([k]) => k !== 'count' && k !== 'n').map(([, v]) => (v === null || v === undefined ? null : String(v))));
    const asMap = (pairs: Array<[string, number]>) => new Map(pairs.filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const check = async (line: Line, i: number, result: CountsResult) => {
      const q = line.query(i);
      const plain = rowsOf(await knex.raw(q.sql, q.bindings)).map((r: any): [string, number] => [key({ k0: r.k0, ...(r.k1 !== undefined ? { k1: r.k1 } : {}) }), Number(r.n)]);
      const got = result.data.map((r): [string, number] => [key(r), r.count]);
      const [a, b] = [JSON.stringify([...asMap(got)]), JSON.stringify([...asMap(plain)])];
      if (a !== b) throw new Error(`benchmark result is wrong: "${line.name}" query ${i} answered ${a.slice(0, 300)}, plain SQL says ${b.slice(0, 300)}`);
      const total = plain.reduce((t: number, [, n]: [string, number]) => t + n, 0);
      if (result.meta.total !== total) throw new Error(`benchmark result is wrong: "${line.name}" query ${i} total ${result.meta.total}, plain SQL ${total}`);
      return total;
    };

    const figures: Array<{ name: string; p50: number; p95: number; rows: number }> = [];
    for (const line of LINES) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i += 1) {
        const q = line.query(i);
        const request = parseCountsRequest(q.qs);
        const t = process.hrtime.bigint();
        const result = await countComplaints(knex, request, q.actor, ctx);
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
        rows += await check(line, i, result);
      }
      times.sort((a, b) => a - b);
      figures.push({ name: line.name, p50: pct(times, 50), p95: pct(times, 95), rows: rows / RUNS });
    }
    const base: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const t = process.hrtime.bigint();
      const n = Number(rowsOf(await knex.raw(`SELECT count(*) AS n FROM ${TABLE.complaint}`))[0].n);
      base.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (n !== N) throw new Error(`count(*) answered ${n}, expected ${N}`);
    }
    base.sort((a, b) => a - b);
    const b50 = pct(base, 50);
    const b95 = pct(base, 95);

    // ---- Figures ---------------------------------------------------------------------------
    console.log(`\n  result check: every query's groups and total equal plain SQL written apart (${RUNS} × ${LINES.length} queries)`);
    console.log(`  seed (set-based SQL, for the record)               ${fmt(seedMs / 1000, 1)} s`);
    console.log('  line                                               p50 ms   p95 ms   rows counted (mean)   p50 ÷ baseline');
    for (const f of figures) {
      console.log(`  ${f.name.padEnd(50)} ${fmt(f.p50, 1).padStart(6)}   ${fmt(f.p95, 1).padStart(6)}   ${fmt(f.rows).padStart(19)}   ${fmt(f.p50 / b50, 2).padStart(13)}×`);
    }
    console.log(`  baseline: SELECT count(*) of all ${fmt(N)} rows`.padEnd(52) + ` ${fmt(b50, 1).padStart(6)}   ${fmt(b95, 1).padStart(6)}`);
  } finally {
    if (strapi) await strapi.destroy().catch(() => undefined);
    await drop();
  }
  process.exit(0);
};

main().catch((e) => {
  console.error(`bench:stats failed: ${(e as Error).message}`);
  process.exit(1);
});
