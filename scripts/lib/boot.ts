/**
 * Boots the Strapi app for a command-line task: no HTTP server, no admin bundle, no jobs, no
 * demo data. The database comes from the environment or .env, as for the app itself.
 */
import path from 'path';
import type { Core } from '@strapi/strapi';

export const ROOT = path.resolve(__dirname, '..', '..');

export const bootForTask = async (): Promise<Core.Strapi> => {
  process.env.SERVE_ADMIN_PANEL = 'false';
  process.env.MINYI_JOBS_ENABLED = 'false';
  process.env.MINYI_DEMO = 'false';
  process.env.LOG_LEVEL ??= 'warn';
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  // The test suite compiles once for all its processes; concurrent compiles would race on dist/.
  const distDir = process.env.MINYI_SKIP_COMPILE === '1' ? path.join(ROOT, 'dist') : (await compileStrapi({ appDir: ROOT })).distDir;
  return (await createStrapi({ appDir: ROOT, distDir }).load()) as Core.Strapi;
};
