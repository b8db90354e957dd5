/** A throwaway database for a benchmark: a new PostgreSQL database, or a temporary SQLite file. */
import { randomBytes } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Client } from 'pg';

export const pgAdminUrl = (): string => process.env.BENCH_PG_URL || process.env.TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export const useBenchDatabase = async (kind: 'postgres' | 'sqlite'): Promise<{ drop: () => Promise<void>; label: string }> => {
  const secret = () => randomBytes(16).toString('base64');
  for (const k of ['APP_KEYS', 'API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'JWT_SECRET', 'ENCRYPTION_KEY']) process.env[k] ??= k === 'APP_KEYS' ? `${secret()},${secret()}` : secret();
  process.env.NODE_ENV = 'test';
  if (kind === 'postgres') {
    const name = `minyi_bench_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: pgAdminUrl() });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(pgAdminUrl());
    u.pathname = `/${name}`;
    process.env.DATABASE_CLIENT = 'postgres';
    process.env.DATABASE_URL = u.toString();
    return {
      label: `PostgreSQL (${name})`,
      drop: async () => {
        const c = new Client({ connectionString: pgAdminUrl() });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minyi-bench-'));
  process.env.DATABASE_CLIENT = 'sqlite';
  process.env.DATABASE_FILENAME = path.join(dir, 'bench.db');
  return { label: `SQLite (${dir})`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
};

export const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * The bench's database, dropped once by `drop()` (also on Ctrl-C), unless `keep` is set (then
 * the bench prints its name, for EXPLAIN).
 */
export const benchDatabase = async (kind: 'postgres' | 'sqlite', keep: boolean): Promise<{ drop: () => Promise<void>; label: string }> => {
  const db = await useBenchDatabase(kind);
  let dropped = false;
  const drop = async () => {
    if (dropped || keep) return;
    dropped = true;
    await db.drop();
  };
  process.once('SIGINT', () => {
    void drop().finally(() => process.exit(130));
  });
  return { label: db.label, drop };
};
