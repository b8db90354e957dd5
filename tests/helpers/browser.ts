/**
 * Browser tests drive Debian's Chromium with playwright-core (no browser download). The admin
 * bundle is built once (`strapi build`) when it is missing or older than the admin sources.
 */
import { execFileSync, spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import type { Browser } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');

export const chromiumPath = (): string | null => {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (p && fs.existsSync(p)) return p;
  return null;
};

const newestMtime = (dir: string): number => {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
};

/** Builds the admin bundle into dist/build unless it is up to date. */
export const ensureAdminBuild = (): void => {
  const index = path.join(ROOT, 'dist', 'build', 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(newestMtime(path.join(ROOT, 'plugins', 'complaints', 'admin', 'src')), newestMtime(path.join(ROOT, 'src', 'admin')));
  if (built > sources) return;
  const r = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'strapi'), ['build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error('strapi build failed');
  void execFileSync;
};

export const launchChromium = async (): Promise<Browser> => {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is not installed (apt-get install -y chromium)');
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
};
