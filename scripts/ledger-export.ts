/**
 * npm run ledger:export -- events.jsonl
 *
 * Writes every history event (no personal data) as JSON lines, for a third party to check a
 * published digest with `npm run ledger:check-export`.
 */
import fs from 'fs';
import { bootForTask } from './lib/boot';

const main = async () => {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: npm run ledger:export -- <file.jsonl>');
    process.exit(2);
  }
  const strapi = await bootForTask();
  const stream = fs.createWriteStream(out);
  try {
    const n = await strapi.plugin('complaints').service('ledger').exportEvents((line: string) => {
      stream.write(`${line}\n`);
    });
    await new Promise<void>((resolve) => stream.end(resolve));
    console.log(`exported ${n} events to ${out}`);
  } finally {
    await strapi.destroy();
  }
  process.exit(0);
};

void main();
