/**
 * Boots one Strapi per test file against a database of its own: a temporary SQLite file, or a
 * new PostgreSQL database created on the local server and dropped afterwards. The new database
 * is a copy of the run's template (template-db.ts: one on which Strapi already booted once),
 * unless the file asks for a fresh, empty one to test the first boot itself.
 */
import { randomBytes } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Core } from '@strapi/strapi';
import { Client } from 'pg';
import supertest from 'supertest';
import { applyTestEnv, pgAdminUrl, testDb, type TestDb } from './env';
import { copySqliteTemplate, createPgFromTemplate, pgUrlFor, templateLocation } from './template-db';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface TestApp {
  strapi: Core.Strapi;
  request: () => supertest.Agent;
  db: TestDb;
  /** SQLite file or PostgreSQL URL of this file's database (to reboot on the same data). */
  location: string;
  teardown: () => Promise<void>;
  /** Removes this file's database (teardown calls it after stopping Strapi). */
  cleanup: () => Promise<void>;
  /** With `captureLog`: every line the server's log transports wrote since boot, as written. */
  logLines: string[];
}

const MESSAGE = Symbol.for('message');

/** Keeps a copy of each formatted line the app's own transports write (after their formats ran). */
const captureLog = (strapi: Core.Strapi, into: string[]): void => {
  for (const transport of (strapi.log as any).transports as Array<{ log: (info: any, cb: () => void) => unknown }>) {
    const write = transport.log.bind(transport);
    transport.log = (info, cb) => {
      into.push(String(info[MESSAGE] ?? info.message));
      return write(info, cb);
    };
  }
};

/** A new database on the test server: empty, or a copy of `template` (a database name). */
export const createPgDatabase = async (template?: string): Promise<{ name: string; url: string }> => {
  const name = `minyi_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  try {
    if (template) await createPgFromTemplate(admin, name, template);
    else await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return { name, url: pgUrlFor(name) };
};

export const dropPgDatabase = async (name: string): Promise<void> => {
  const admin = new Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
};

/** Points the process environment at a database; returns its location. */
const useDatabase = async (db: TestDb, existing?: string, fresh = false): Promise<{ location: string; cleanup: () => Promise<void> }> => {
  const template = fresh ? undefined : templateLocation(db);
  if (db === 'postgres') {
    if (existing) {
      process.env.DATABASE_CLIENT = 'postgres';
      process.env.DATABASE_URL = existing;
      return { location: existing, cleanup: async () => undefined };
    }
    const { name, url } = await createPgDatabase(template);
    process.env.DATABASE_CLIENT = 'postgres';
    process.env.DATABASE_URL = url;
    return { location: url, cleanup: () => dropPgDatabase(name) };
  }
  const file = existing ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-test-')), 'data.db');
  if (!existing && template) copySqliteTemplate(template, file);
  process.env.DATABASE_CLIENT = 'sqlite';
  process.env.DATABASE_FILENAME = file;
  delete process.env.DATABASE_URL;
  return {
    location: file,
    cleanup: async () => {
      if (!existing) fs.rmSync(path.dirname(file), { recursive: true, force: true });
    },
  };
};

export const bootStrapi = async (): Promise<Core.Strapi> => {
  const { createStrapi } = require('@strapi/strapi');
  const instance = (await createStrapi({ appDir: ROOT, distDir: path.join(ROOT, 'dist') }).load()) as Core.Strapi;
  instance.server.mount();
  return instance;
};

/**
 * Starts Strapi on a new database of its own: a copy of the run's template, or an empty one with
 * `fresh`. `reuse` reboots on the database of an earlier app (its `location`) without creating
 * or dropping it.
 */
export const setupStrapi = async (
  opts: { reuse?: string; fresh?: boolean; serveAdmin?: boolean; captureLog?: boolean } = {},
): Promise<TestApp> => {
  applyTestEnv();
  if (opts.serveAdmin) process.env.SERVE_ADMIN_PANEL = 'true';
  const db = testDb();
  const { location, cleanup } = await useDatabase(db, opts.reuse, opts.fresh);
  // Each test file writes its uploads (evidence files) into its own public folder, never the repository's.
  const publicDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-public-'));
  fs.mkdirSync(path.join(publicDir, 'uploads'));
  fs.copyFileSync(path.join(ROOT, 'public', 'index.html'), path.join(publicDir, 'index.html'));
  process.env.PUBLIC_DIR = publicDir;
  // And its private files (evidence) into a private folder of its own, outside the public one.
  const privateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-private-'));
  process.env.MINYI_PRIVATE_DIR = privateDir;
  const strapi = await bootStrapi();
  const logLines: string[] = [];
  if (opts.captureLog) captureLog(strapi, logLines);
  const removeAll = async () => {
    await cleanup();
    fs.rmSync(publicDir, { recursive: true, force: true });
    fs.rmSync(privateDir, { recursive: true, force: true });
  };
  return {
    strapi,
    db,
    location,
    logLines,
    request: () => supertest.agent(strapi.server.httpServer),
    cleanup: removeAll,
    teardown: async () => {
      await strapi.destroy();
      await removeAll();
    },
  };
};

/** Stops a Strapi without removing its database (to boot again on the same data). */
export const stopStrapi = async (strapi: Core.Strapi): Promise<void> => {
  await strapi.destroy();
};
