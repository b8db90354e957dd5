/**
 * One Strapi process serving HTTP, for the tests of limits shared between instances: boots the
 * compiled app on the database in the environment (no jobs), sets the public read limit to
 * PUBLIC_READ_POINTS per 60 s, listens on a free loopback port and prints one JSON line
 * `{ ready, port }`. SIGTERM stops it cleanly.
 */
import type { AddressInfo } from 'net';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { applyTestEnv } from './env';

const ROOT = path.resolve(__dirname, '..', '..');

const main = async () => {
  applyTestEnv();
  const { createStrapi } = require('@strapi/strapi');
  const strapi = (await createStrapi({ appDir: ROOT, distDir: path.join(ROOT, 'dist') }).load()) as Core.Strapi;
  const points = Number(process.env.PUBLIC_READ_POINTS || 120);
  strapi.config.set('plugin::complaints.publicPage.limits.read', { points, duration: 60 });
  strapi.server.mount();
  await new Promise<void>((resolve) => strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
  const { port } = strapi.server.httpServer.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ ready: true, port })}\n`);
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
