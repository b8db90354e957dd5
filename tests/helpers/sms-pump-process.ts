/**
 * One SMS pump in a process of its own, for the crash and two-pump tests: boots the compiled
 * app (the built plugin) on the database in the environment, with the Twilio provider pointed
 * at a local imitation of its API (FAKE_TWILIO_URL), and runs the outbox as a server would.
 * The tests kill it with SIGKILL to stand for a crashed server.
 *
 *   SMS_PUMP_MODE=pump         waits for a line on stdin, then pumps until nothing is due
 *   SMS_PUMP_MODE=hold-before-send
 *                              pumps, and stops for good after the first claim is committed,
 *                              right before its provider call (the pump's own beforeSend hook)
 *   SMS_PUMP_MODE=restart      reconciles what a dead pump left in `sending`, then pumps
 *
 * SMS_LEASE_MS sets sms.sendingLeaseMs (how old a `sending` row must be to be reconciled). Each
 * step prints one JSON line on stdout; the app's own log lines go there too.
 */
import path from 'path';
import type { Core } from '@strapi/strapi';
import { applyTestEnv } from './env';
import { FAKE_ACCOUNT_SID, FAKE_MESSAGING_SERVICE_SID, localRequestClient } from './fake-twilio';
import { createSmsProvider } from '../../plugins/complaints/server/src/providers/sms';

const ROOT = path.resolve(__dirname, '..', '..');

const say = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const nextLine = () => new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

const main = async () => {
  applyTestEnv();
  const mode = process.env.SMS_PUMP_MODE ?? 'pump';
  const { createStrapi } = require('@strapi/strapi');
  const strapi = (await createStrapi({ appDir: ROOT, distDir: path.join(ROOT, 'dist') }).load()) as Core.Strapi;
  if (process.env.SMS_LEASE_MS) strapi.config.set('plugin::complaints.sms.sendingLeaseMs', Number(process.env.SMS_LEASE_MS));
  const sms = strapi.plugin('complaints').service('sms');
  sms.useProvider(
    createSmsProvider(
      'twilio',
      { accountSid: FAKE_ACCOUNT_SID, authToken: 'fake-token', messagingServiceSid: FAKE_MESSAGING_SERVICE_SID, requestClient: localRequestClient(String(process.env.FAKE_TWILIO_URL)) },
      { log: (line) => strapi.log.info(line) }
    )
  );
  const instance = strapi.plugin('complaints').service('jobs').instanceId as string;
  say({ ready: true, pid: process.pid, instance });

  if (mode === 'hold-before-send') {
    await sms.pump({
      beforeSend: async (id: number) => {
        say({ beforeSend: id });
        await new Promise(() => undefined);
      },
    });
    return;
  }

  const claimedIds: number[] = [];
  const totals = { claimed: 0, sent: 0, retried: 0, failed: 0, uncertain: 0, deferred: 0 };
  let reconciled = null;
  if (mode === 'pump') await nextLine();
  if (mode === 'restart') reconciled = await sms.reconcile();
  let refused = 0;
  for (;;) {
    let r;
    try {
      r = await sms.pump({
        limit: Number(process.env.SMS_PUMP_LIMIT ?? 100),
        beforeSend: async (id: number) => {
          claimedIds.push(id);
        },
      });
    } catch (e) {
      // As the server's own timer does: a round that failed (on SQLite, a claim refused with
      // "database is locked" while the other process writes) is tried again a little later.
      refused += 1;
      if (refused > 200) throw e;
      say({ pumpFailed: String((e as Error)?.message ?? e).slice(0, 80) });
      await new Promise((res) => setTimeout(res, 50));
      continue;
    }
    for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += r[k];
    if (r.claimed === 0) break;
  }
  say({ done: true, reconciled, ...totals, claimedIds, refused });
  await strapi.destroy();
  process.exit(0);
};

main().catch((e) => {
  process.stderr.write(`sms pump process failed: ${String((e as Error)?.stack ?? e).slice(0, 2000)}\n`);
  process.exit(1);
});
