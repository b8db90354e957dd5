import fs from 'fs';
import path from 'path';

const redact = (url: string): string => url.replace(/\/\/([^:/@]+):([^@]*)@/, '//$1:***@');

/**
 * Returns one line describing why the configured database cannot be used, or null when it can.
 * The line names the setting to fix and never contains a password.
 */
export const checkDatabase = async (connection: { client: string; connection: any }): Promise<string | null> => {
  if (!connection) return 'no database configuration (config/database.ts)';
  if (connection.client === 'sqlite') {
    const file: string = connection.connection?.filename;
    if (!file) return 'DATABASE_FILENAME is empty; unset it to use .tmp/data.db';
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.accessSync(path.dirname(file), fs.constants.W_OK);
    } catch {
      return `DATABASE_FILENAME points to ${file}, whose folder is not writable`;
    }
    return null;
  }
  if (connection.client === 'postgres') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require('pg');
    const c = connection.connection ?? {};
    const where = c.connectionString
      ? `DATABASE_URL=${redact(c.connectionString)}`
      : `DATABASE_HOST=${c.host} DATABASE_PORT=${c.port} DATABASE_NAME=${c.database} DATABASE_USERNAME=${c.user}`;
    const client = new Client({ ...c, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (e) {
      const err = e as { code?: string; message?: string };
      return `PostgreSQL is not reachable at ${where} (${err.code ?? ''} ${String(err.message ?? '').split('\n')[0]}). Check DATABASE_URL, or unset DATABASE_CLIENT to use SQLite.`;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return `DATABASE_CLIENT="${connection.client}" is not supported; use sqlite or postgres`;
};
