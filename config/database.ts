import path from 'path';
import type { Core } from '@strapi/strapi';

/**
 * SQLite is the embedded default (no settings at all); PostgreSQL is chosen with
 * DATABASE_CLIENT=postgres and DATABASE_URL (or the DATABASE_HOST/PORT/NAME/... settings).
 */
const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Database => {
  const client = env('DATABASE_CLIENT', 'sqlite') || 'sqlite';

  if (client === 'postgres') {
    const url = env('DATABASE_URL', '');
    // Strapi's types demand host/user/... even when a connection string carries them.
    return <Core.Config.Database>(<unknown>{
      connection: {
        client: 'postgres',
        connection: url
          ? { connectionString: url, ssl: env.bool('DATABASE_SSL', false) ? { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) } : false }
          : {
              host: env('DATABASE_HOST', '127.0.0.1'),
              port: env.int('DATABASE_PORT', 5432),
              database: env('DATABASE_NAME', 'minyi'),
              user: env('DATABASE_USERNAME', 'postgres'),
              password: env('DATABASE_PASSWORD', ''),
              ssl: env.bool('DATABASE_SSL', false) ? { rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true) } : false,
            },
        pool: { min: env.int('DATABASE_POOL_MIN', 0), max: env.int('DATABASE_POOL_MAX', 10) },
        acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 10000),
      },
    });
  }

  if (client !== 'sqlite') {
    // One clear line instead of a stack trace from Strapi's config loader.
    // eslint-disable-next-line no-console
    console.error(`\nMinyi cannot start: DATABASE_CLIENT="${client}" is not supported; use "sqlite" (default) or "postgres". 不支持的数据库类型\n`);
    process.exit(1);
  }

  // An empty DATABASE_FILENAME= (as some scaffolds write it) falls back to the default.
  const filename = env('DATABASE_FILENAME', '') || '.tmp/data.db';
  return {
    connection: {
      client: 'sqlite',
      connection: {
        filename: path.isAbsolute(filename) ? filename : path.join(__dirname, '..', '..', filename),
      },
      useNullAsDefault: true,
      acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 60000),
    },
  };
};

export default config;
