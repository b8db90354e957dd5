/**
 * Boots the compiled app once on the database named by MINYI_TEMPLATE_DB and
 * MINYI_TEMPLATE_LOCATION, then stops it: what is left is the template database of a test run
 * (template-db.ts). Files go to scratch folders that are removed afterwards.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { applyTestEnv } from './env';

const ROOT = path.resolve(__dirname, '..', '..');

const main = async () => {
  applyTestEnv();
  const location = process.env.MINYI_TEMPLATE_LOCATION as string;
  if (process.env.MINYI_TEMPLATE_DB === 'postgres') {
    process.env.DATABASE_CLIENT = 'postgres';
    process.env.DATABASE_URL = location;
  } else {
    process.env.DATABASE_CLIENT = 'sqlite';
    process.env.DATABASE_FILENAME = location;
    delete process.env.DATABASE_URL;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-template-files-'));
  const publicDir = path.join(scratch, 'public');
  fs.mkdirSync(path.join(publicDir, 'uploads'), { recursive: true });
  process.env.PUBLIC_DIR = publicDir;
  process.env.MINYI_PRIVATE_DIR = path.join(scratch, 'private');
  try {
    const { createStrapi } = require('@strapi/strapi');
    const strapi = (await createStrapi({ appDir: ROOT, distDir: path.join(ROOT, 'dist') }).load()) as Core.Strapi;
    await strapi.destroy();
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  process.stdout.write('template ready\n');
  process.exit(0);
};

main().catch((e) => {
  process.stderr.write(`template boot failed: ${(e as Error).stack ?? (e as Error).message}\n`);
  process.exit(1);
});
