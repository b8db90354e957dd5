/**
 * npm run ledger:export-month -- 2026-11 [--out file.xlsx]
 *
 * Writes the month's rectification ledger 整改台账 as the county office sees it (every
 * complaint, full phones): the same workbook as the admin's export of that month.
 */
import fs from 'fs';
import { parseExportRequest } from '../plugins/complaints/server/src/domain/ledger-export';
import { isDomainError } from '../plugins/complaints/server/src/domain/errors';
import { bootForTask } from './lib/boot';

const main = async () => {
  const args = process.argv.slice(2);
  const month = args.find((a) => !a.startsWith('--'));
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1] : `minyi-ledger-${month}.xlsx`;
  let request;
  try {
    if (!month || (outAt >= 0 && !out)) throw new Error('usage');
    request = parseExportRequest({ month });
  } catch (e) {
    console.error(isDomainError(e) ? e.message : 'usage: npm run ledger:export-month -- <YYYY-MM> [--out file.xlsx]');
    process.exit(2);
  }
  const strapi = await bootForTask();
  try {
    const plan = await strapi.plugin('complaints').service('export').planForCounty(request);
    const t = Date.now();
    const file = fs.createWriteStream(out);
    const done = new Promise<void>((resolve, reject) => {
      file.on('finish', () => resolve());
      file.on('error', reject);
    });
    const rows = await plan.write(file, {
      onProgress: (n: number) => {
        if (process.stderr.isTTY) process.stderr.write(`\r  ${n.toLocaleString('en-US')} / ${plan.rows.toLocaleString('en-US')} rows`);
      },
    });
    await done;
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(`exported ${rows} complaints of ${month} to ${out} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  } finally {
    await strapi.destroy();
  }
  process.exit(0);
};

main().catch((e) => {
  console.error(`ledger:export-month failed: ${(e as Error).message}`);
  process.exit(1);
});
