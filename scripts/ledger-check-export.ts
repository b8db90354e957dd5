/**
 * npm run ledger:check-export -- events.jsonl --day 2026-11-27 --digest <hash> [--tz Asia/Shanghai]
 *
 * Standalone (no database, no Strapi): recomputes every chain in an export and the digest of
 * the chain heads as of the end of the day, and compares it with a published digest.
 * Exits 0 when every chain is intact and the digest matches.
 */
import fs from 'fs';
import readline from 'readline';
import { addDays, startOfDayUtc } from '../plugins/complaints/server/src/domain/calendar';
import { headsDigest, verifyChain } from '../plugins/complaints/server/src/domain/history-chain';

export interface ExportCheck {
  chains: number;
  events: number;
  broken: Array<{ ledgerNo: string; seq: number; kind: string }>;
  digest?: { day: string; count: number; hash: string; matches?: boolean };
}

export const checkExport = async (file: string, opts: { day?: string; digest?: string; tz?: string }): Promise<ExportCheck> => {
  const chains = new Map<string, Array<Record<string, any>>>();
  let events = 0;
  const rl = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const e = JSON.parse(line);
    events += 1;
    let list = chains.get(e.ledgerNo);
    if (!list) chains.set(e.ledgerNo, (list = []));
    list.push(e);
  }
  const result: ExportCheck = { chains: chains.size, events, broken: [] };
  for (const [ledgerNo, list] of chains) {
    list.sort((a, b) => a.seq - b.seq);
    const last = list[list.length - 1];
    const v = verifyChain(ledgerNo, list, { seq: last.seq, hash: last.hash });
    if (!v.ok) result.broken.push({ ledgerNo, seq: v.firstBreak!.seq, kind: v.firstBreak!.kind });
  }
  if (opts.day) {
    const until = startOfDayUtc(addDays(opts.day, 1), opts.tz ?? 'Asia/Shanghai').getTime();
    const heads: Array<{ ledgerNo: string; seq: number; hash: string }> = [];
    for (const [ledgerNo, list] of chains) {
      const before = list.filter((e) => new Date(e.at).getTime() < until);
      if (before.length) heads.push({ ledgerNo, seq: before[before.length - 1].seq, hash: before[before.length - 1].hash });
    }
    heads.sort((a, b) => (a.ledgerNo < b.ledgerNo ? -1 : a.ledgerNo > b.ledgerNo ? 1 : 0));
    const d = headsDigest(heads);
    result.digest = { day: opts.day, count: d.count, hash: d.hash, matches: opts.digest ? opts.digest === d.hash : undefined };
  }
  return result;
};

if (require.main === module) {
  const args = process.argv.slice(2);
  const val = (f: string) => (args.includes(f) ? args[args.indexOf(f) + 1] : undefined);
  const file = args[0];
  if (!file) {
    console.error('usage: npm run ledger:check-export -- <events.jsonl> [--day YYYY-MM-DD] [--digest HASH] [--tz ZONE]');
    process.exit(2);
  }
  checkExport(file, { day: val('--day'), digest: val('--digest'), tz: val('--tz') })
    .then((r) => {
      console.log(`chains ${r.chains}, events ${r.events}, broken ${r.broken.length}`);
      for (const b of r.broken) console.log(`  BROKEN ${b.ledgerNo} at seq ${b.seq} (${b.kind})`);
      if (r.digest) console.log(`digest of ${r.digest.day}: ${r.digest.hash} over ${r.digest.count} chains${r.digest.matches === undefined ? '' : r.digest.matches ? ' — MATCHES the published digest' : ' — DOES NOT MATCH the published digest'}`);
      process.exit(r.broken.length === 0 && r.digest?.matches !== false ? 0 : 1);
    })
    .catch((e) => {
      console.error(`check failed: ${(e as Error).message}`);
      process.exit(2);
    });
}
