/**
 * npm run bench:keyword [-- --db postgres|sqlite --rows 200000 --loop 20]
 *
 * Seeds N complaints with set-based SQL: about 60 characters of Chinese text each, three of
 * seven everyday phrases picked by a hash of the row, and planted words: 物业 in 15 % of the
 * rows (the common 2-character needle), 鸽哨 in 100 rows (a rare one), 消防栓 in 100 rows (a rare
 * 3-character one) and, in 100 more, 消防 and 防栓 apart (rows the bigrams alone would take for
 * 消防栓). PostgreSQL: the GIN indexes (bigrams, characters) are dropped for the seed and built after it (timed, with their
 * size); SQLite: the FTS5 table is fed by its triggers as the rows go in, as on every write.
 *
 * Then, for each needle, count(*) through keywordCondition (services/keyword.ts) L times, p50 and
 * p95; the baseline in the same run is a sequential scan, `content LIKE '%needle%'` (what a
 * plain "contains" filter does), its p50 over fewer runs, and the ratio.
 *
 * Nothing is printed as a figure before the result is checked: each count equals the number of
 * rows the seed planted (computed in Node from the same hash), and equals the scan's count; for
 * the rare words the ids are the scan's ids. The bench database is dropped at the end, also on
 * error.
 */
import { TABLE } from '../../plugins/complaints/server/src/constants';
import { PG_CHARS_INDEX, PG_INDEX, SQLITE_FTS } from '../../plugins/complaints/server/src/database/migrations/keyword-sql';
import { keywordCondition } from '../../plugins/complaints/server/src/services/keyword';
import { bootForTask } from '../lib/boot';
import { arg, fmt, useBenchDatabase } from '../lib/bench-db';

const FILLERS = [
  '楼道照明长期损坏，夜间出行不便。',
  '道路坑洼，雨天积水严重，请求修缮。',
  '垃圾清运不及时，气味难闻。',
  '广场舞音响太响，影响老人休息。',
  '公交站台缺少座椅和遮阳棚。',
  '自来水水压偏低，高层住户用水困难。',
  '路边摊占道经营，行人通行不便。',
];
const COMMON = '小区物业服务差，';
const RARE2 = '有人放鸽哨扰民，';
const RARE3 = '消防栓被撞坏，';
const BAIT = '消防通道被堵，附近防栓失灵，';
const COMMON_PERCENT = 15;
const PLANTED = 100;
const GOAL_MS = 100;

const hash = (g: number) => (g * 2654435761) % 4294967296; // exact below 2^53 for g ≤ 3.4M

const main = async () => {
  const kind = arg('db', 'postgres') as 'postgres' | 'sqlite';
  if (kind !== 'postgres' && kind !== 'sqlite') throw new Error(`--db must be postgres or sqlite, not ${kind}`);
  const isPg = kind === 'postgres';
  const N = Number(arg('rows', '200000'));
  const L = Number(arg('loop', '20'));
  if (!(Number.isInteger(N) && N >= 10 * PLANTED && N <= 3_000_000) || !(Number.isInteger(L) && L >= 5)) throw new Error('--rows must be from 1000 to 3000000 and --loop ≥ 5');
  const step = Math.floor(N / PLANTED);
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
  console.log(`bench:keyword on ${db.label}: ${fmt(N)} complaints, ${L} timed queries per needle`);
  let strapi: any = null;
  try {
    strapi = await bootForTask();
    const knex = strapi.db.connection;
    const rowsOf = (res: any): any[] => (Array.isArray(res) ? res : res?.rows ?? []);

    // ---- Seed ------------------------------------------------------------------------------
    const h = isPg ? `((g::bigint * 2654435761) % 4294967296)` : `((g * 2654435761) % 4294967296)`;
    const pick = (div: number) => `CASE (${h} / ${div}) % 7 ${FILLERS.map((f, i) => `WHEN ${i} THEN '${f}'`).join(' ')} END`;
    const content = [
      pick(1),
      `CASE WHEN (${h} / 343) % 100 < ${COMMON_PERCENT} THEN '${COMMON}' ELSE '' END`,
      `CASE WHEN g % ${step} = 1 THEN '${RARE2}' WHEN g % ${step} = 2 THEN '${RARE3}' WHEN g % ${step} = 3 THEN '${BAIT}' ELSE '' END`,
      pick(7),
      pick(49),
    ].join(' || ');
    const cols = 'document_id, ledger_no, received_at, channel, content, state, traceable, created_at, updated_at, published_at';
    const seedSql = (lo: number, hi: number) =>
      isPg
        ? `INSERT INTO ${TABLE.complaint} (${cols})
           SELECT substr(md5(g::text), 1, 16) || lpad(g::text, 8, '0'), 'KW' || lpad(g::text, 8, '0'), now(), 'visit', ${content}, 'received', true, now(), now(), now()
           FROM generate_series(${lo}, ${hi}) AS g`
        : `WITH RECURSIVE s(g) AS (SELECT ${lo} UNION ALL SELECT g + 1 FROM s WHERE g < ${hi})
           INSERT INTO ${TABLE.complaint} (${cols})
           SELECT lower(hex(randomblob(8))) || printf('%08d', g), 'KW' || printf('%08d', g), ${Date.now()}, 'visit', ${content}, 'received', 1, ${Date.now()}, ${Date.now()}, ${Date.now()}
           FROM s`;
    if (isPg) await knex.raw(`DROP INDEX ${PG_INDEX}; DROP INDEX ${PG_CHARS_INDEX}`);
    const t0 = Date.now();
    const chunk = isPg ? 250_000 : 50_000;
    for (let lo = 1; lo <= N; lo += chunk) {
      const hi = Math.min(N, lo + chunk - 1);
      await knex.raw(seedSql(lo, hi));
      if (process.stderr.isTTY) process.stderr.write(`\r  seeded ${fmt(hi)} complaints`);
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seedMs = Date.now() - t0;
    let buildMs = 0;
    let indexBytes = 0;
    if (isPg) {
      const tb = Date.now();
      await knex.transaction(async (trx: any) => {
        await trx.raw(`SET LOCAL maintenance_work_mem = '256MB'`);
        await trx.raw(`CREATE INDEX ${PG_INDEX} ON ${TABLE.complaint} USING gin (minyi_zh_bigrams(content))`);
        await trx.raw(`CREATE INDEX ${PG_CHARS_INDEX} ON ${TABLE.complaint} USING gin (minyi_zh_chars(content))`);
      });
      buildMs = Date.now() - tb;
      await knex.raw(`VACUUM (ANALYZE) ${TABLE.complaint}`);
      indexBytes = Number(rowsOf(await knex.raw(`SELECT pg_relation_size(?) + pg_relation_size(?) AS n`, [PG_INDEX, PG_CHARS_INDEX]))[0].n);
    } else {
      await knex.raw('ANALYZE');
      indexBytes = Number(rowsOf(await knex.raw(`SELECT sum(pgsize) AS n FROM dbstat WHERE name LIKE ?`, [`${SQLITE_FTS}%`]).catch(() => [{ n: 0 }]))[0]?.n ?? 0);
    }
    const textChars = Number(rowsOf(await knex.raw(`SELECT avg(length(content)) AS n FROM ${TABLE.complaint}`))[0].n);

    // ---- Expected, from the seed's own rule in Node -----------------------------------------
    let common = 0;
    for (let g = 1; g <= N; g += 1) if (Math.floor(hash(g) / 343) % 100 < COMMON_PERCENT) common += 1;
    const planted = (r: number) => Math.floor((N - r) / step) + 1;
    const needles = [
      { needle: '物业', what: 'common 2-character word', expected: common },
      { needle: '鸽哨', what: 'rare 2-character word', expected: planted(1) },
      { needle: '消防栓', what: 'rare 3-character word (bigrams also in 100 bait rows)', expected: planted(2) },
      { needle: '物业服务差', what: 'common 5-character phrase', expected: common },
      { needle: '鸽', what: isPg ? 'rare 1-character needle (no bigram: a scan)' : 'rare 1-character needle (the unigram column)', expected: planted(1) },
    ];

    // ---- Check every answer before timing -------------------------------------------------
    const viaIndex = (needle: string) => keywordCondition(knex(`${TABLE.complaint} as c`), 'c.content', needle);
    const countIndex = async (needle: string) => Number((await viaIndex(needle).count({ n: '*' }))[0].n);
    const scanQuery = (needle: string) => knex(TABLE.complaint).where('content', 'like', `%${needle}%`);
    const countScan = async (needle: string) => Number((await scanQuery(needle).count({ n: '*' }))[0].n);
    const problems: string[] = [];
    for (const n of needles) {
      const [a, b] = [await countIndex(n.needle), await countScan(n.needle)];
      if (a !== n.expected || b !== n.expected) problems.push(`${n.needle}: index ${a}, scan ${b}, planted ${n.expected}`);
      if (n.expected <= PLANTED + 1) {
        const ids = (await viaIndex(n.needle).select('c.id').orderBy('c.id')).map((r: any) => Number(r.id)).join(',');
        const scanIds = (await scanQuery(n.needle).select('id').orderBy('id')).map((r: any) => Number(r.id)).join(',');
        if (ids !== scanIds) problems.push(`${n.needle}: the index's rows are not the scan's`);
      }
    }
    const bait = await countIndex('附近防栓');
    if (bait !== planted(3)) problems.push(`bait rows: ${bait}, planted ${planted(3)}`);
    if (isPg) {
      const plan = rowsOf(await knex.raw(`EXPLAIN ${viaIndex('物业').count({ n: '*' }).toQuery()}`)).map((r: any) => r['QUERY PLAN']).join('\n');
      if (!plan.includes(PG_INDEX)) problems.push(`the plan for 物业 does not use ${PG_INDEX}:\n${plan}`);
    }
    if (problems.length) throw new Error(`benchmark result is wrong: ${problems.join('; ')}`);

    // ---- Timings ---------------------------------------------------------------------------
    const time = async (q: () => Promise<unknown>, runs: number) => {
      await q(); // warm
      const ms: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        const t = process.hrtime.bigint();
        await q();
        ms.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      ms.sort((a, b) => a - b);
      const at = (p: number) => ms[Math.min(ms.length - 1, Math.ceil(p * ms.length) - 1)];
      return { p50: at(0.5), p95: at(0.95) };
    };
    const lines: string[] = [];
    let worstP95 = 0;
    for (const n of needles) {
      const idx = await time(() => countIndex(n.needle), L);
      const scan = await time(() => countScan(n.needle), 5);
      if (n.needle.length >= 2) worstP95 = Math.max(worstP95, idx.p95);
      lines.push(
        `  ${n.needle.padEnd(6, '　')} ${n.what.padEnd(52)} ${fmt(n.expected).padStart(9)} hits  index p50 ${fmt(idx.p50, 2).padStart(8)} ms  p95 ${fmt(idx.p95, 2).padStart(8)} ms` +
          `   scan p50 ${fmt(scan.p50, 1).padStart(8)} ms   scan/index ${fmt(scan.p50 / idx.p50, 1)}×`
      );
    }

    // ---- Figures ---------------------------------------------------------------------------
    console.log(`\n  result check: every count equals the rows the seed planted and the scan's count; rare words: the same ids as the scan;`);
    console.log(`    the 100 bait rows (消防 and 防栓 apart) are not found for 消防栓${isPg ? `; the plan for 物业 uses ${PG_INDEX}` : ''}`);
    console.log(`  seed (set-based SQL${isPg ? '' : ', FTS5 fed by the triggers'})  ${fmt(seedMs / 1000, 1)} s  (${fmt(N)} rows, ${fmt(textChars, 1)} characters of content on average)`);
    if (isPg) console.log(`  GIN build (bigrams + characters) ${fmt(buildMs / 1000, 1)} s, ${fmt(indexBytes / 1048576, 1)} MB`);
    else if (indexBytes) console.log(`  FTS5 table                      ${fmt(indexBytes / 1048576, 1)} MB`);
    console.log(`  count(*) per needle (index: ${L} runs; scan: content LIKE '%needle%', 5 runs)`);
    for (const l of lines) console.log(l);
    console.log(`  goal p95 ≤ ${GOAL_MS} ms for needles of 2+ characters: ${worstP95 <= GOAL_MS ? 'met' : 'NOT met'} at ${fmt(N)} rows (worst ${fmt(worstP95, 2)} ms)`);
  } finally {
    if (strapi) await strapi.destroy().catch(() => undefined);
    await drop();
  }
  process.exit(0);
};

main().catch((e) => {
  console.error(`bench:keyword failed: ${(e as Error).message}`);
  process.exit(1);
});
