/**
 * One Strapi process for multi-instance tests: boots the compiled app on the database in the
 * environment, with the scheduler on, and prints one JSON line when ready. SIGTERM stops it
 * cleanly; tests also kill it with SIGKILL to stand for a crashed server.
 */
import path from 'path';
import type { Core } from '@strapi/strapi';
import { applyTestEnv } from './env';

const ROOT = path.resolve(__dirname, '..', '..');

const main = async () => {
  applyTestEnv();
  process.env.MINYI_JOBS_ENABLED = 'true';
  const { createStrapi } = require('@strapi/strapi');
  const strapi = (await createStrapi({ appDir: ROOT, distDir: path.join(ROOT, 'dist') }).load()) as Core.Strapi;
  const instance = strapi.plugin('complaints').service('jobs').instanceId as string;
  process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid, instance })}\n`);
  process.on('SIGTERM', () => {
    strapi
      .destroy()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  });
};

main().catch((e) => {
  process.stderr.write(`instance failed to start: ${(e as Error).message}\n`);
  process.exit(1);
});
