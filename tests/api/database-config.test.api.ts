/**
 * A misconfigured database stops the app with one clear line naming the setting, and no
 * password or stack trace. Each case boots the real app in its own process.
 */
import { spawnSync } from 'child_process';
import path from 'path';
import { ROOT } from '../helpers/strapi';

const boot = (env: Record<string, string>) => {
  const script = `require('@strapi/strapi').createStrapi({ appDir: ${JSON.stringify(ROOT)}, distDir: ${JSON.stringify(path.join(ROOT, 'dist'))} }).load().then(() => { console.log('BOOTED'); process.exit(0); })`;
  const res = spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'error', NODE_ENV: 'test', ...env },
    encoding: 'utf8',
    timeout: 60000,
  });
  return { code: res.status, out: `${res.stdout}\n${res.stderr}` };
};

describe('database misconfiguration', () => {
  it('an unreachable PostgreSQL fails with one line naming DATABASE_URL, password redacted', () => {
    const r = boot({ DATABASE_CLIENT: 'postgres', DATABASE_URL: 'postgres://minyi:s3cret-pw@127.0.0.1:1/minyi' });
    expect(r.code).toBe(1);
    const lines = r.out.split('\n').filter((l) => l.includes('Minyi cannot start'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PostgreSQL is not reachable at DATABASE_URL=postgres://minyi:***@127.0.0.1:1/minyi');
    expect(r.out).not.toContain('s3cret-pw');
    expect(r.out).not.toMatch(/^\s+at /m);
  });

  it('an unknown DATABASE_CLIENT fails with one line naming it', () => {
    const r = boot({ DATABASE_CLIENT: 'oracle' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('Minyi cannot start: DATABASE_CLIENT="oracle" is not supported');
    expect(r.out).not.toMatch(/^\s+at /m);
  });

  it('positive control: the same boot with a working SQLite file starts', () => {
    const dir = require('fs').mkdtempSync(path.join(require('os').tmpdir(), 'minyi-boot-'));
    const r = boot({ DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(dir, 'data.db') });
    expect(r.out).toContain('BOOTED');
    expect(r.code).toBe(0);
  });
});
