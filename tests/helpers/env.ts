import { randomBytes } from 'crypto';

/** Environment every test Strapi boots with: no cron, no admin bundle, no demo data. */
export const applyTestEnv = (): void => {
  const secret = () => randomBytes(16).toString('base64');
  process.env.NODE_ENV = 'test';
  process.env.APP_KEYS ??= [secret(), secret()].join(',');
  process.env.API_TOKEN_SALT ??= secret();
  process.env.ADMIN_JWT_SECRET ??= secret();
  process.env.TRANSFER_TOKEN_SALT ??= secret();
  process.env.JWT_SECRET ??= secret();
  process.env.ENCRYPTION_KEY ??= secret();
  process.env.SERVE_ADMIN_PANEL = 'false';
  process.env.MINYI_JOBS_ENABLED = 'false';
  process.env.MINYI_DEMO = 'false';
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  // Tests read the public figures right after changing the ledger; the cache has its own test.
  process.env.MINYI_PUBLIC_CACHE_SECONDS ??= '0';
  process.env.BROWSER = 'none';
  process.env.LOG_LEVEL ??= 'warn';
};

export type TestDb = 'sqlite' | 'postgres';

export const testDb = (): TestDb => (process.env.TEST_DB === 'postgres' ? 'postgres' : 'sqlite');

/** The PostgreSQL server used for tests: a maintenance database URL on it. */
export const pgAdminUrl = (): string => process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
