/**
 * npm run ledger:verify-month -- 2026-11 [--json]
 *
 * Recomputes the SHA-256 of every stored version of a closed month's snapshot and checks that
 * the versions form an unbroken chain (domain/month-close.ts `verifyCloses`). Exits 0 when
 * everything holds, 1 when anything does not (or the month is not closed), 2 on a bad argument.
 */
import { bootForTask } from './lib/boot';

const main = async () => {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const month = args.find((a) => !a.startsWith('--'));
  if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    console.error('usage: npm run ledger:verify-month -- YYYY-MM [--json]');
    process.exit(2);
  }
  const strapi = await bootForTask();
  let ok = false;
  try {
    const report = await strapi.plugin('complaints').service('month-closes').verify(month);
    ok = report.ok;
    if (json) {
      console.log(JSON.stringify(report, null, 2));
    } else {
      console.log(`Month close ${month} 封账校验: ${report.ok ? 'OK 通过' : 'BROKEN 发现篡改'}`);
      for (const v of report.versions) console.log(`  version ${v.version}: recorded ${v.hash}, recomputed ${v.recomputed}${v.hash === v.recomputed ? '' : '  DIFFERS'}`);
      for (const p of report.problems) console.log(`  version ${p.version}: ${p.zh} / ${p.en}`);
    }
  } catch (e) {
    console.error(`ledger:verify-month failed: ${(e as Error).message}`);
  } finally {
    await strapi.destroy();
  }
  process.exit(ok ? 0 : 1);
};

void main();
