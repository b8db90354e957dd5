/**
 * One Strapi with the admin panel served on a free port, a small county (world.ts) and a
 * Chromium, for a browser test file; and logging in as a new admin user of a role and unit.
 */
import type { AddressInfo } from 'net';
import type { Browser, Page } from 'playwright-core';
import { createAdminUser } from './admin';
import { chromiumPath, launchChromium } from './browser';
import { setupStrapi, type TestApp } from './strapi';
import { buildWorld, type World } from './world';

export interface BrowserApp {
  app: TestApp;
  w: World;
  browser: Browser;
  base: string;
}

export const startBrowserApp = async (): Promise<BrowserApp> => {
  const app = await setupStrapi({ serveAdmin: true });
  const w = await buildWorld(app.strapi);
  await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(0, '127.0.0.1', () => resolve()));
  const base = `http://127.0.0.1:${(app.strapi.server.httpServer.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  return { app, w, browser, base };
};

export const stopBrowserApp = async (b: BrowserApp | undefined): Promise<void> => {
  await b?.browser?.close();
  await b?.app?.teardown();
};

/**
 * Registers a browser test file's app: started before its tests (handed to `onStart`) and
 * stopped after them. Returns the file's `describe`: skipped when Chromium is not installed,
 * which is a failure when CI is set.
 */
export const browserSuite = (onStart: (b: BrowserApp) => void): jest.Describe => {
  const available = Boolean(chromiumPath());
  if (!available && process.env.CI) throw new Error('Chromium is required when CI is set (apt-get install -y chromium)');
  // eslint-disable-next-line no-console -- a skipped suite must be visible in the test output
  if (!available) console.warn('SKIPPED: Chromium is not installed, browser tests did not run');
  let started: BrowserApp | undefined;
  beforeAll(async () => {
    if (!available) return;
    started = await startBrowserApp();
    onStart(started);
  });
  afterAll(async () => {
    await stopBrowserApp(started);
  });
  return available ? describe : describe.skip;
};

/** A new admin user of `roleCode` (member of `unitId`), logged in in a fresh browser context. */
export const loginAs = async (
  b: BrowserApp,
  roleCode: string,
  unitId: number | null,
  opts: { locale?: string; timezoneId?: string } = {}
): Promise<Page> => {
  const u = await createAdminUser(b.app.strapi, { roleCode, firstname: '浏览器', lastname: '测试' });
  if (unitId) {
    const units = b.app.strapi.db.query('plugin::complaints.unit');
    const unit = await units.findOne({ where: { id: unitId }, populate: ['members'] });
    await units.update({ where: { id: unitId }, data: { members: [...unit.members.map((m: any) => m.id), u.id] } });
  }
  return signIn(b, u, opts);
};

/** Who each page of `loginAs` is signed in as. */
const signedIn = new WeakMap<Page, { email: string; password: string }>();

const signIn = async (b: BrowserApp, u: { email: string; password: string }, opts: { locale?: string; timezoneId?: string }): Promise<Page> => {
  const context = await b.browser.newContext({ locale: opts.locale ?? 'zh-CN', timezoneId: opts.timezoneId, viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${b.base}/admin/auth/login`);
  await page.locator('input[name="email"]').fill(u.email);
  await page.locator('input[name="password"]').fill(u.password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(/\/admin(\/)?($|\?|#|\/(?!auth))/, { timeout: 60000 });
  signedIn.set(page, { email: u.email, password: u.password });
  return page;
};

/** The user of `page` (from `loginAs`), signed in again in a fresh browser context: another browser, with nothing of the first's storage. */
export const sameUserElsewhere = async (b: BrowserApp, page: Page, opts: { locale?: string; timezoneId?: string } = {}): Promise<Page> => {
  const u = signedIn.get(page);
  if (!u) throw new Error('sameUserElsewhere: the page was not signed in by loginAs');
  return signIn(b, u, opts);
};
