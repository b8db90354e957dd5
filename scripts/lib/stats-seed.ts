/**
 * The ledger of the statistics and public-page benchmarks, seeded with set-based SQL on
 * PostgreSQL (generate_series), with a skew like a real county's: a few big towns, units and
 * categories take most demands; six months of intake (2026-01 … 2026-06, Beijing time); every
 * state; content with a common 2-character word (物业, 15 % of rows) and a rare 3-character one
 * (消防栓, 100 rows); and beside them the rows the rates read: one `assign` event per assignment
 * (and a send-back for some), measures (some returned), answered surveys (some re-answered) and
 * spot checks. The keyword indexes are dropped for the seed and built after it, as an upgrade
 * would. Complaints and units carry `published_at`, as every row the app writes does (Strapi 5
 * sets it on types without drafts), so the admin bench can open them in the Content Manager.
 * The constants are exported for the benchmarks' own plain-SQL checks.
 */
import { TABLE } from '../../plugins/complaints/server/src/constants';
import { PG_CHARS_INDEX, PG_INDEX } from '../../plugins/complaints/server/src/database/migrations/keyword-sql';
import { fmt } from './bench-db';

export const TOWNS = ['城关镇', '东坝镇', '西河镇', '南山乡', '北岭乡', '青石镇', '白马乡', '桃源镇'];
export const CHANNELS = ['hotline', 'visit', 'web', 'letter', 'sms', 'meeting', 'other'];
export const STATES = ['received', 'invalid', 'classified', 'assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'];
export const REASONS = ['unclear_content', 'unclear_subject', 'no_contact', 'duplicate', 'out_of_scope', 'other'];
export const MODES = ['immediate', 'deadline', 'phased', 'policy_limited'];
export const WARNINGS = ['none', 'yellow', 'orange', 'red'];
export const ANSWERS = ['satisfied', 'basically_satisfied', 'dissatisfied'];
export const UNITS = 120;
export const GROUPS = 200;
export const BATCHES = 12;
export const VILLAGES = 40;
/** Six months of intake, Beijing time: 2026-01 … 2026-06; closures run into July and August. */
export const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08'];
export const MONTH_STARTS = [...MONTHS, '2026-09'].map((m) => new Date(`${m}-01T00:00:00+08:00`));
export const NOW = new Date('2026-07-15T04:00:00Z');
export const FILLERS = ['楼道照明长期损坏，夜间出行不便。', '道路坑洼，雨天积水严重。', '垃圾清运不及时，气味难闻。', '广场舞音响太响，影响休息。', '公交站台缺少座椅。', '自来水水压偏低。', '路边摊占道经营。'];
export const COMMON = '小区物业服务差，';
export const RARE = '消防栓被撞坏，';
export const RARE1 = '有人放鸽哨扰民，';
export const GOAL_MS = 100;

export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
/** A Beijing calendar day as an instant's literal for PostgreSQL (the bench runs with TZ=UTC). */
export const ts = (d: Date) => `TIMESTAMP '${d.toISOString().replace('T', ' ').replace('Z', '')}'`;
export const bj = (day: string) => new Date(`${day}T00:00:00+08:00`);
export const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
export const q = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Seeds `N` complaints (and what the rates read beside them); checks the count. */
export const seedLedger = async (knex: any, N: number, progress: (s: string) => void): Promise<{ seedMs: number; indexMs: number }> => {
  const rowsOf = (res: any): any[] => (Array.isArray(res) ? res : res?.rows ?? []);
  const one = async (sql: string, b: unknown[] = []) => rowsOf(await knex.raw(sql, b));
  // ---- Seed ------------------------------------------------------------------------------
  // Row g: a hash h picks its state (b), its skewed town, unit and category (sk, the square of
  // a uniform number, so low indexes take most rows), its channel and the rest (v), its
  // instant of receipt within six months (w).
  const t0 = Date.now();
  const lo0 = MONTH_STARTS[0].getTime();
  const span = MONTH_STARTS[6].getTime() - lo0;
  const at = (days: string) => `(${ts(new Date(lo0))} + w * ${Math.floor(span / 1_000_000)} * INTERVAL '1 millisecond' + (${days}) * INTERVAL '1 day')`;
  const C = TABLE.complaint;
  const after = (s: string) => `st IN (${STATES.slice(STATES.indexOf(s)).map(q).join(', ')})`;
  const derived = (lo: number, hi: number) => `
    SELECT g, h, b, u, v, w, (u * u) / 1000 AS sk,
      CASE WHEN b < 350 THEN 'rectifying' WHEN b < 450 THEN 'assigned' WHEN b < 500 THEN 'received' WHEN b < 550 THEN 'classified'
           WHEN b < 620 THEN 'accepted' WHEN b < 650 THEN 'in_review' WHEN b < 670 THEN 'returned' WHEN b < 720 THEN 'signing'
           WHEN b < 970 THEN 'closed' ELSE 'invalid' END AS st
    FROM (SELECT g, h, h % 1000 AS b, (h / 1000) % 1000 AS u, (h / 1000000) % 1000 AS v, (h / 7) % 1000000 AS w
          FROM (SELECT g, (g::bigint * 2654435761) % 4294967296 AS h FROM generate_series(${lo}::bigint, ${hi}::bigint) AS s(g)) k) x`;
  const pick = (div: number) => `CASE (h / ${div}) % 7 ${FILLERS.map((f, i) => `WHEN ${i} THEN ${q(f)}`).join(' ')} END`;
  const step = Math.floor(N / 100);
  const content = `${pick(1)} || CASE WHEN (h / 343) % 100 < 15 THEN ${q(COMMON)} ELSE '' END || CASE WHEN g % ${step} = 1 THEN ${q(RARE)} WHEN g % ${step} = 2 THEN ${q(RARE1)} ELSE '' END || ${pick(7)}`;
  const deadlineMode = `(CASE WHEN u < 50 THEN 'policy_limited' WHEN u < 250 THEN 'phased' WHEN u < 400 THEN 'immediate' ELSE 'deadline' END)`;
  const seedSql = (lo: number, hi: number) => `
    INSERT INTO ${C} (document_id, ledger_no, received_at, channel, town, village, import_batch, content, state, traceable, invalid_reason, level,
      category_code, major_category_code, responsible_unit_id, lead_unit_id, nature, problem_group_id, mode,
      assigned_at, response_deadline, accepted_at, deadline, completed_at, closed_at, warning_level,
      reopen_count, send_back_count, return_count, chain_seq, created_at, updated_at, published_at)
    SELECT substr(md5(g::text), 1, 16) || lpad(g::text, 8, '0'), 'ST' || lpad(g::text, 8, '0'), ${at('0')},
      CASE v % 10 WHEN 0 THEN 'visit' WHEN 1 THEN 'web' WHEN 2 THEN 'letter' WHEN 3 THEN 'sms' WHEN 4 THEN 'meeting' WHEN 5 THEN 'other' ELSE 'hotline' END,
      CASE sk % 8 ${TOWNS.map((t, i) => `WHEN ${i} THEN ${q(t)}`).join(' ')} END,
      '第' || (1 + (h / 13) % ${VILLAGES}) || '村',
      CASE WHEN v % 3 = 0 THEN NULL ELSE 'IMP-2026-' || lpad((1 + (h / 17) % ${BATCHES})::text, 2, '0') END,
      ${content}, st, (v % 5 <> 0),
      CASE WHEN st = 'invalid' THEN (CASE (h / 11) % 6 ${REASONS.map((r, i) => `WHEN ${i} THEN ${q(r)}`).join(' ')} END) ELSE NULL END,
      CASE WHEN st IN ('received', 'invalid') THEN NULL WHEN u % 3 = 0 THEN 'county' ELSE 'township' END,
      CASE WHEN st IN ('received', 'invalid') THEN NULL ELSE lpad((1 + sk % 10)::text, 2, '0') || lpad((1 + v % 5)::text, 2, '0') END,
      CASE WHEN st IN ('received', 'invalid') THEN NULL ELSE lpad((1 + sk % 10)::text, 2, '0') END,
      CASE WHEN st IN ('received', 'invalid') THEN NULL ELSE 1 + sk % ${UNITS} END,
      CASE WHEN st IN ('received', 'invalid') THEN NULL ELSE ${UNITS + 1} + sk % 10 END,
      CASE WHEN ${after('accepted')} THEN (CASE WHEN v % 7 = 0 THEN 'common' ELSE 'individual' END) ELSE NULL END,
      CASE WHEN ${after('accepted')} AND v % 7 = 0 THEN 1 + (h / 19) % ${GROUPS} ELSE NULL END,
      CASE WHEN ${after('in_review')} THEN ${deadlineMode} ELSE NULL END,
      CASE WHEN ${after('assigned')} THEN ${at('1')} ELSE NULL END,
      CASE WHEN ${after('assigned')} THEN CAST(${at('4')} AS date) ELSE NULL END,
      CASE WHEN ${after('accepted')} THEN ${at('1 + v % 5')} ELSE NULL END,
      CASE WHEN ${after('rectifying')} AND ${deadlineMode} <> 'policy_limited' THEN CAST(${at('30')} AS date) ELSE NULL END,
      CASE WHEN ${after('signing')} THEN ${at('20 + v % 15')} ELSE NULL END,
      CASE WHEN st = 'closed' THEN ${at('22 + v % 15')} ELSE NULL END,
      CASE WHEN st IN ('rectifying', 'assigned') THEN (CASE v % 6 WHEN 0 THEN 'red' WHEN 1 THEN 'orange' WHEN 2 THEN 'yellow' ELSE 'none' END) ELSE 'none' END,
      CASE WHEN st IN ('rectifying', 'signing', 'closed') AND v % 20 = 0 THEN 1 ELSE 0 END, 0, 0, 0,
      ${at('0')}, ${at('0')}, ${at('0')}
    FROM (${derived(lo, hi)}) y`;
  await knex.raw(`INSERT INTO ${TABLE.unit} (id, document_id, code, name, kind, is_lead, is_responsible, created_at, updated_at, published_at)
    SELECT i, 'benchunit' || i, 'U' || lpad(i::text, 3, '0'), '单位' || i, CASE WHEN i > ${UNITS} THEN 'department' ELSE 'township' END, i > ${UNITS}, i <= ${UNITS}, now(), now(), now()
    FROM generate_series(1, ${UNITS + 10}) AS i`);
  await knex.raw(`DROP INDEX ${PG_INDEX}`);
  await knex.raw(`DROP INDEX ${PG_CHARS_INDEX}`);
  for (let lo = 1; lo <= N; lo += 250_000) {
    await knex.raw(seedSql(lo, Math.min(N, lo + 249_999)));
    progress(`seeded ${fmt(Math.min(N, lo + 249_999))} complaints`);
  }
  // What the rates read beside the complaint row, derived from it in SQL.
  const E = TABLE.event;
  const eventCols = `complaint_id, ledger_no, seq, type, actor_kind, at, from_state, to_state, data, hash, created_at, updated_at`;
  const AFTER_ASSIGNED = STATES.slice(STATES.indexOf('assigned')).map(q).join(', ');
  await knex.raw(`INSERT INTO ${E} (${eventCols})
    SELECT id, ledger_no, 1, 'assign', 'admin', assigned_at, 'classified', 'assigned', json_build_object('responsibleUnitId', responsible_unit_id)::jsonb, md5(id::text), assigned_at, assigned_at
    FROM ${C} WHERE state IN (${AFTER_ASSIGNED})`);
  // One assignment in 40 was first made to the next unit, which sent it back.
  await knex.raw(`INSERT INTO ${E} (${eventCols})
    SELECT id, ledger_no, s.seq, s.type, 'admin', assigned_at - INTERVAL '1 hour' * (4 - s.seq), 'classified', 'assigned',
      json_build_object('responsibleUnitId', 1 + responsible_unit_id % ${UNITS})::jsonb, md5(id::text || s.type), assigned_at, assigned_at
    FROM ${C}, (VALUES (2, 'assign'), (3, 'send_back')) AS s(seq, type) WHERE state IN (${AFTER_ASSIGNED}) AND id % 40 = 0`);
  const measureCols = `complaint_id, version, mode, text, review_state, submitted_at, created_at, updated_at`;
  await knex.raw(`INSERT INTO measures (${measureCols})
    SELECT id, 1, mode, '整改措施', CASE WHEN state = 'returned' OR id % 10 = 0 THEN 'returned' WHEN state = 'in_review' THEN 'pending' ELSE 'approved' END, accepted_at, accepted_at, accepted_at
    FROM ${C} WHERE mode IS NOT NULL`);
  await knex.raw(`INSERT INTO measures (${measureCols})
    SELECT id, 2, mode, '整改措施（修改）', CASE WHEN state = 'in_review' THEN 'pending' ELSE 'approved' END, accepted_at, accepted_at, accepted_at
    FROM ${C} WHERE mode IS NOT NULL AND id % 10 = 0 AND state <> 'returned'`);
  const surveyCols = `complaint_id, round, status, answer, answered_at, created_at, updated_at`;
  const answer = (expr: string) => `CASE (${expr}) % 10 WHEN 0 THEN 'dissatisfied' WHEN 1 THEN 'basically_satisfied' WHEN 2 THEN 'basically_satisfied' ELSE 'satisfied' END`;
  await knex.raw(`INSERT INTO surveys (${surveyCols})
    SELECT id, 1, 'answered', ${answer('id / 3')}, closed_at + INTERVAL '2 days', closed_at, closed_at FROM ${C} WHERE state = 'closed'`);
  // Re-answered after a reopen (round 2): the second answer counts.
  await knex.raw(`INSERT INTO surveys (${surveyCols})
    SELECT id, 2, 'answered', ${answer('id / 7')}, closed_at + INTERVAL '9 days', closed_at, closed_at FROM ${C} WHERE state = 'closed' AND reopen_count > 0`);
  await knex.raw(`INSERT INTO spot_checks (month, seed, complaint_id, unit_id, result, created_at, updated_at)
    SELECT to_char(closed_at + INTERVAL '8 hours', 'YYYY-MM'), 'bench', id, responsible_unit_id, CASE id % 7 WHEN 0 THEN 'failed' WHEN 1 THEN 'pending' ELSE 'passed' END, closed_at, closed_at
    FROM ${C} WHERE state = 'closed' AND id % 10 < 2`);
  progress('building the keyword index');
  const tIdx = Date.now();
  await knex.transaction(async (trx: any) => {
    await trx.raw(`SET LOCAL maintenance_work_mem = '512MB'`);
    await trx.raw(`CREATE INDEX ${PG_INDEX} ON ${C} USING gin (minyi_zh_bigrams(content))`);
    await trx.raw(`CREATE INDEX ${PG_CHARS_INDEX} ON ${C} USING gin (minyi_zh_chars(content))`);
  });
  const indexMs = Date.now() - tIdx;
  for (const t of [C, E, 'measures', 'surveys', 'spot_checks']) await knex.raw(`VACUUM (ANALYZE) ${t}`);
  if (process.stderr.isTTY) process.stderr.write('\n');
  const seedMs = Date.now() - t0;
  const seeded = Number((await one(`SELECT count(*) AS n FROM ${C}`))[0].n);
  if (seeded !== N) throw new Error(`seeded ${seeded} complaints, expected ${N}`);
  return { seedMs, indexMs };
};
