/**
 * npm run bench:verify [-- --db postgres|sqlite --complaints 100000 --events 10]
 *
 * Seeds N complaints with E chained events each (valid hashes, bulk inserts), then times
 * `ledger:verify` over all of them. Baselines measured in the same run: a bare read of the same
 * event pages without hashing, and hashing the same events in memory without the database.
 * The figures are printed only after the verifier's own result is checked (counts, ok).
 */
import { TABLE } from '../../plugins/complaints/server/src/constants';
import { nextEvent, verifyChain, type HashedEvent } from '../../plugins/complaints/server/src/domain/history-chain';
import { bootForTask } from '../lib/boot';
import { arg, fmt, useBenchDatabase } from '../lib/bench-db';

const main = async () => {
  const kind = arg('db', 'postgres') as 'postgres' | 'sqlite';
  const N = Number(arg('complaints', '100000'));
  const E = Number(arg('events', '10'));
  const db = await useBenchDatabase(kind);
  console.log(`bench:verify on ${db.label}: ${fmt(N)} complaints × ${E} events`);
  const strapi = await bootForTask();
  try {
    const knex = strapi.db.connection;
    const bulk = strapi.plugin('complaints').service('bulk');

    // Seed: complaints, then their events with real chains.
    const t0 = Date.now();
    const chunk = 5000;
    const base = Date.parse('2026-01-01T00:00:00Z');
    let inMemory: HashedEvent[][] = [];
    const sample: HashedEvent[][] = [];
    for (let start = 0; start < N; start += chunk) {
      const n = Math.min(chunk, N - start);
      const rows = Array.from({ length: n }, (_, i) => ({
        ledgerNo: `B${String(start + i + 1).padStart(7, '0')}`,
        receivedAt: new Date(base + (start + i) * 1000),
        channel: 'visit',
        content: '基准测试诉求内容，用于校验履历链的速度。',
        town: '城关镇',
        state: 'rectifying',
        chainSeq: 0,
      }));
      const ids: number[] = await bulk.insert('plugin::complaints.complaint', rows);
      inMemory = ids.map((id, i) => {
        const chain: HashedEvent[] = [];
        let seq = 0;
        let hash: string | null = null;
        for (let k = 0; k < E; k += 1) {
          const e = nextEvent(rows[i].ledgerNo, seq, hash, {
            type: k === 0 ? 'created' : 'warning_changed',
            actor: { kind: 'system', name: 'system' },
            at: new Date(base + (start + i) * 1000 + k * 60_000),
            fromState: k === 0 ? null : 'rectifying',
            toState: 'rectifying',
            data: k === 0 ? { channel: 'visit' } : { warningLevel: { from: 'none', to: 'yellow' }, k },
          });
          chain.push(e);
          seq = e.seq;
          hash = e.hash;
        }
        return chain;
      });
      if (sample.length < 2000) sample.push(...inMemory.slice(0, 2000 - sample.length));
      await strapi.db.transaction(async ({ trx }) => {
        const now = new Date();
        const evRows = inMemory.flatMap((chain, i) =>
          chain.map((e) => ({
            document_id: `b${String(ids[i]).padStart(12, '0')}${String(e.seq).padStart(11, '0')}`,
            created_at: now, updated_at: now, published_at: now,
            complaint_id: ids[i], ledger_no: e.ledgerNo, seq: e.seq, type: e.type, actor_kind: e.actorKind, actor_id: null,
            actor_name: e.actorName, actor_unit_id: null, actor_unit_name: null, at: new Date(e.at), from_state: e.fromState,
            to_state: e.toState, data: JSON.stringify(e.data), prev_hash: e.prevHash, hash: e.hash,
          }))
        );
        const size = kind === 'postgres' ? 3000 : 500;
        for (let j = 0; j < evRows.length; j += size) await (trx as any)(TABLE.event).insert(evRows.slice(j, j + size));
        for (let j = 0; j < ids.length; j += 1) {
          const last = inMemory[j][E - 1];
          await (trx as any)(TABLE.complaint).where('id', ids[j]).update({ chain_seq: last.seq, chain_hash: last.hash });
        }
      });
      if (process.stderr.isTTY) process.stderr.write(`\r  seeded ${fmt(start + n)} complaints`);
    }
    if (process.stderr.isTTY) process.stderr.write('\n');
    const seedMs = Date.now() - t0;
    if (kind === 'postgres') await knex.raw('ANALYZE complaints; ANALYZE complaint_events');

    // Baseline 1: a bare read of the same event pages (no hashing).
    const t1 = Date.now();
    let scanned = 0;
    let lastId = 0;
    for (;;) {
      const heads = await knex(TABLE.complaint).select('id').where('id', '>', lastId).orderBy('id').limit(2000);
      if (heads.length === 0) break;
      const first = Number(heads[0].id);
      lastId = Number(heads[heads.length - 1].id);
      const rows = await knex(TABLE.event).select('*').whereBetween('complaint_id', [first, lastId]).orderBy([{ column: 'complaint_id' }, { column: 'seq' }]);
      scanned += rows.length;
    }
    const scanMs = Date.now() - t1;

    // Baseline 2: hashing the same number of events in memory, no database.
    const t2 = Date.now();
    let hashed = 0;
    const reps = Math.ceil(N / sample.length);
    for (let r = 0; r < reps && hashed < N * E; r += 1) {
      for (const chain of sample) {
        verifyChain(chain[0].ledgerNo, chain as any, { seq: E, hash: chain[E - 1].hash });
        hashed += E;
        if (hashed >= N * E) break;
      }
    }
    const hashMs = Date.now() - t2;

    // The measured run.
    const t3 = Date.now();
    const report = await strapi.plugin('complaints').service('ledger').verify();
    const verifyMs = Date.now() - t3;

    // The benchmark checks its own result before printing a figure.
    const problems: string[] = [];
    if (report.complaints !== N) problems.push(`verified ${report.complaints} complaints, expected ${N}`);
    if (report.events !== N * E) problems.push(`verified ${report.events} events, expected ${N * E}`);
    if (!report.ok) problems.push(`ledger reported broken: ${JSON.stringify(report.broken.slice(0, 3))}`);
    if (scanned !== N * E) problems.push(`baseline scanned ${scanned} events, expected ${N * E}`);
    if (problems.length) throw new Error(`benchmark result is wrong: ${problems.join('; ')}`);

    // The guard's cost: reads of the complaints table during one Document Service update.
    const doc = await strapi.db.query('plugin::complaints.complaint').findOne({ where: { ledgerNo: 'B0000001' }, select: ['documentId'] });
    const reads: string[] = [];
    const onQuery = (q: { sql: string; method?: string }) => {
      if (/^select/i.test(q.sql) && /from ["`]complaints["`]/i.test(q.sql) && !/chain_seq/.test(q.sql)) reads.push(q.sql);
    };
    knex.on('query', onQuery);
    await strapi.documents('plugin::complaints.complaint').update({ documentId: doc.documentId, data: { summary: '基准' } as any });
    knex.off('query', onQuery);
    const guardReads = reads.filter((s) => /document_id/.test(s)).length;

    console.log(`\n  result check: ${fmt(report.complaints)} complaints, ${fmt(report.events)} events, all chains intact, triggers ${report.triggers.ok ? 'present' : 'MISSING'}`);
    console.log(`  seed (bulk insert, for the record)      ${fmt(seedMs / 1000, 1)} s`);
    console.log(`  baseline: bare read of the same pages   ${fmt(scanMs / 1000, 1)} s  (${fmt((N * E) / (scanMs / 1000))} events/s)`);
    console.log(`  baseline: hashing in memory, no DB      ${fmt(hashMs / 1000, 1)} s  (${fmt((N * E) / (hashMs / 1000))} events/s)`);
    console.log(`  ledger:verify                           ${fmt(verifyMs / 1000, 1)} s  (${fmt((N * E) / (verifyMs / 1000))} events/s)`);
    console.log(`  ratio verify / (read + hash)            ${fmt(verifyMs / (scanMs + hashMs), 2)}×`);
    console.log(`  goal: ${fmt(N)}×${E} under 60 s → ${verifyMs < 60_000 ? 'met' : 'NOT met'}`);
    console.log(`  integrity guard on a Document Service update: ${guardReads} indexed read(s) of complaints by document_id`);
  } finally {
    await strapi.destroy();
    await db.drop();
  }
  process.exit(0);
};

main().catch((e) => {
  console.error(`bench:verify failed: ${(e as Error).message}`);
  process.exit(1);
});
