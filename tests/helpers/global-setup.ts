import fs from 'fs';
import path from 'path';
import { applyTestEnv } from './env';
import { makeTemplate } from './template-db';

/**
 * Compiles the app's TypeScript (src, config) to dist once for the whole run, and refuses to
 * start when the plugin has not been built: Strapi would otherwise skip it without a word. Then
 * boots Strapi once on the run's template database (template-db.ts), which every test file's
 * own database copies.
 */
export default async function globalSetup(): Promise<void> {
  applyTestEnv();
  const root = path.resolve(__dirname, '..', '..');
  const pluginEntry = path.join(root, 'plugins', 'complaints', 'dist', 'server', 'index.js');
  if (!fs.existsSync(pluginEntry)) {
    throw new Error(`The complaints plugin is not built (${pluginEntry} is missing): run npm run build:plugin`);
  }
  const { compileStrapi } = require('@strapi/strapi');
  await compileStrapi({ appDir: root });
  await makeTemplate();
}
