/**
 * `npm run docs:dashboard`: the screenshot of the statistics dashboard in the README
 * (docs/dashboard.png). Boots Minyi on a fresh temporary SQLite database with the demo county of
 * `npm run develop` (same seed, so the same figures on every clone, apart from the day it runs),
 * runs the warning job, signs in as the county office in Debian's Chromium (playwright-core,
 * /usr/bin/chromium) and photographs the page once every figure has loaded.
 *
 *   npm run build:plugin && npm run docs:dashboard [-- --out docs/dashboard.png --complaints 3000]
 */
import type { AddressInfo } from 'net';
import fs from 'fs';
import path from 'path';
import { compileStrapi } from '@strapi/strapi';
import { ensureAdminBuild, launchChromium } from '../tests/helpers/browser';
import { setupStrapi, ROOT } from '../tests/helpers/strapi';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};

const main = async () => {
  const out = path.resolve(ROOT, arg('out', 'docs/dashboard.png'));
  const complaints = Number(arg('complaints', '3000'));
  process.env.TEST_DB = 'sqlite';
  await compileStrapi({ appDir: ROOT });
  ensureAdminBuild();
  const app = await setupStrapi({ serveAdmin: true });
  const browser = await launchChromium();
  try {
    const plugin = app.strapi.plugin('complaints');
    const roles = await plugin.service('roles').setup();
    const demo = plugin.service('demo');
    // The accounts' random passwords: kept from the seed, never printed.
    let accounts: Array<{ email: string; password: string }> = [];
    const seed = demo.seed.bind(demo);
    demo.seed = async (...args: unknown[]) => (accounts = await seed(...args));
    await demo.seedIfEmpty(roles, { complaints, print: false });
    const now = new Date();
    await plugin.service('jobs').run('warnings', { now, slot: `screenshot-${now.getTime()}` });
    const county = accounts.find((a) => a.email === 'county-office@minyi.demo');
    if (!county) throw new Error('the demo has no county office account');

    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
    // English interface: Debian's Chromium here has no CJK font, and the English labels stay legible.
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 1900 }, deviceScaleFactor: 1 });
    await context.addInitScript(() => (globalThis as any).localStorage.setItem('strapi-admin-language', 'en'));
    const page = await context.newPage();
    await page.goto(`${base}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(county.email);
    await page.locator('input[name="password"]').fill(county.password);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/admin(\/)?($|\?|#|\/(?!auth))/, { timeout: 120000 });
    await page.goto(`${base}/admin/plugins/complaints/dashboard`);
    await page.getByRole('heading', { name: /Dashboard/i }).waitFor({ timeout: 120000 });
    // Strapi's own announcement banner, when it shows, is not part of the page.
    const banner = page.getByRole('button', { name: /close/i }).first();
    if (await banner.isVisible().catch(() => false)) await banner.click().catch(() => undefined);
    for (const id of ['dashboard-total-box', 'dashboard-warnings-box', 'dashboard-trend', 'dashboard-by-category', 'dashboard-by-unit', 'dashboard-by-town', 'dashboard-warnings-units', 'dashboard-ranking']) {
      await page.locator(`[data-testid="${id}"][aria-busy="false"]`).waitFor({ timeout: 120000 });
    }
    await page.locator('[data-testid="dashboard-trend"] svg .recharts-line').first().waitFor({ state: 'attached', timeout: 120000 });
    // The figures and charts, without the ranking's long table of every unit.
    const ranking = await page.getByTestId('dashboard-ranking-units').boundingBox();
    const height = Math.min(ranking ? Math.ceil(ranking.y) + 8 : 1800, 2000);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, clip: { x: 0, y: 0, width: 1440, height } });
    // eslint-disable-next-line no-console -- the script's one line of output
    console.log(`${path.relative(ROOT, out)}: ${Math.round(fs.statSync(out).size / 1024)} KB`);
    await context.close();
  } finally {
    await browser.close();
    await app.teardown();
  }
};

main().then(
  () => process.exit(0),
  (e) => {
    // eslint-disable-next-line no-console
    console.error(e);
    process.exit(1);
  }
);
