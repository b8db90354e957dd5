/**
 * npm run ledger:verify [-- --json] [-- --digest YYYY-MM-DD]
 *
 * Recomputes every complaint's hash chain and reports the first broken link of each. With
 * --digest, also recomputes that day's stored digest. Exits 1 when anything is broken.
 */
import { bootForTask } from './lib/boot';

const main = async () => {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const digestDay = args.includes('--digest') ? args[args.indexOf('--digest') + 1] : undefined;
  const strapi = await bootForTask();
  let failed = false;
  try {
    const ledger = strapi.plugin('complaints').service('ledger');
    const report = await ledger.verify({
      onProgress: (n: number) => {
        if (!json && process.stderr.isTTY) process.stderr.write(`\r  verified ${n} complaints`);
      },
    });
    if (!json && process.stderr.isTTY) process.stderr.write('\n');
    failed = !report.ok;
    let digest: unknown = null;
    if (digestDay) {
      digest = await ledger.checkDigest(digestDay);
      if (!(digest as { ok: boolean }).ok) failed = true;
    }
    if (json) {
      console.log(JSON.stringify({ ...report, digest }, null, 2));
    } else {
      console.log(`Ledger verification 台账校验: ${report.ok ? 'OK 通过' : 'BROKEN 发现篡改'}`);
      console.log(`  complaints ${report.complaints}, events ${report.events}, ${(report.durationMs / 1000).toFixed(1)} s`);
      console.log(`  triggers ${report.triggers.ok ? 'present' : `MISSING: ${report.triggers.expected.filter((t: string) => !report.triggers.present.includes(t)).join(', ')}`}`);
      if (report.orphanEvents > 0) console.log(`  events without a complaint: ${report.orphanEvents}`);
      if (report.orphanRecords > 0) console.log(`  measures, evidence or sign-offs without a complaint: ${report.orphanRecords}`);
      for (const u of report.unrecorded) {
        console.log(`  UNRECORDED ${u.kind} ${u.id} of ${u.ledgerNo} (complaint ${u.complaintId}): no history event records it`);
      }
      for (const b of report.broken) {
        console.log(`  BROKEN ${b.ledgerNo} (complaint ${b.complaintId}): first broken link at seq ${b.firstBreak.seq} (${b.firstBreak.kind})`);
      }
      if (digest) {
        const d = digest as { day: string; stored: string; recomputed: string; ok: boolean };
        console.log(`  digest ${d.day}: ${d.ok ? 'matches' : 'DOES NOT MATCH'} (stored ${d.stored}, recomputed ${d.recomputed})`);
      }
    }
  } catch (e) {
    console.error(`ledger:verify failed: ${(e as Error).message}`);
    failed = true;
  } finally {
    await strapi.destroy();
  }
  process.exit(failed ? 1 : 0);
};

void main();
