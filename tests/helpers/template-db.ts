/**
 * One database per test run on which Strapi has already booted once (schema made, the plugin's
 * roles, permissions and settings seeded). Each test file starts from a copy of it instead of
 * an empty database: a first boot builds the whole schema (about ten seconds), a boot on an
 * existing schema only checks it. The files that test the first boot itself ask for a fresh,
 * empty database (`setupStrapi({ fresh: true })`).
 *
 * SQLite: the template is a file, copied per test file. PostgreSQL: the template is a database,
 * and each test file's database is `CREATE DATABASE … TEMPLATE` of it.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Client } from 'pg';
import { pgAdminUrl, testDb, type TestDb } from './env';

const ROOT = path.resolve(__dirname, '..', '..');
const ENV_KEY: Record<TestDb, string> = { sqlite: 'MINYI_TEST_TEMPLATE_SQLITE', postgres: 'MINYI_TEST_TEMPLATE_POSTGRES' };
const TEMPLATE_PREFIX = 'minyi_tpl_';

export const pgUrlFor = (database: string): string => {
  const u = new URL(pgAdminUrl());
  u.pathname = `/${database}`;
  return u.toString();
};

const withAdmin = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
  const admin = new Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
};

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Drops the template databases of earlier runs whose process is gone (an interrupted run). */
const dropStaleTemplates = async (c: Client): Promise<void> => {
  const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${TEMPLATE_PREFIX}%`]);
  for (const { datname } of rows) {
    const pid = Number(datname.slice(TEMPLATE_PREFIX.length).split('_')[0]);
    if (!alive(pid)) {
      await c.query(`ALTER DATABASE ${datname} IS_TEMPLATE false`).catch(() => undefined);
      await c.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  }
};

/** The template of this run for the database under test, or undefined when there is none. */
export const templateLocation = (db: TestDb = testDb()): string | undefined => process.env[ENV_KEY[db]] || undefined;

/** Boots Strapi once, in a child process, on a new empty database that becomes the template. */
export const makeTemplate = async (): Promise<void> => {
  const db = testDb();
  let location: string;
  if (db === 'postgres') {
    const name = `${TEMPLATE_PREFIX}${process.pid}_${Date.now()}`;
    await withAdmin(async (c) => {
      await dropStaleTemplates(c);
      await c.query(`CREATE DATABASE ${name}`);
    });
    location = name;
  } else {
    location = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-template-')), 'template.db');
  }
  const booted = spawnSync('npx', ['tsx', path.join(__dirname, 'template-boot.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MINYI_TEMPLATE_DB: db, MINYI_TEMPLATE_LOCATION: db === 'postgres' ? pgUrlFor(location) : location },
  });
  if (booted.status !== 0 || !booted.stdout.includes('template ready')) {
    await removeTemplateAt(db, location);
    throw new Error(`The template database did not boot:\n${booted.stdout}\n${booted.stderr}`);
  }
  process.env[ENV_KEY[db]] = location;
};

const removeTemplateAt = async (db: TestDb, location: string): Promise<void> => {
  if (db === 'postgres') {
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${location} WITH (FORCE)`));
  } else {
    fs.rmSync(path.dirname(location), { recursive: true, force: true });
  }
};

export const removeTemplate = async (): Promise<void> => {
  const db = testDb();
  const location = templateLocation(db);
  if (!location) return;
  await removeTemplateAt(db, location);
  delete process.env[ENV_KEY[db]];
};

/** A copy of the SQLite template at `file`. */
export const copySqliteTemplate = (template: string, file: string): void => {
  fs.copyFileSync(template, file);
};

/**
 * `CREATE DATABASE name TEMPLATE template`. PostgreSQL refuses while another session is connected
 * to the template; none should be, but a retry covers a connection that is just closing.
 */
export const createPgFromTemplate = async (c: Client, name: string, template: string): Promise<void> => {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      return;
    } catch (e) {
      if (attempt >= 20 || !/being accessed by other users/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
};
