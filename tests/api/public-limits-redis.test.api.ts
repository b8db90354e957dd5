/**
 * The public routes' per-IP limit shared in Redis (REDIS_URL), with real Strapi processes on one
 * database: this file's Strapi and a second one in a process of its own (tests/helpers/
 * public-instance.ts), both counting the same caller in the machine's Redis. Controls: the calls
 * under the limit succeed on both, and an instance without REDIS_URL counts alone. With Redis
 * unreachable an instance counts in its own memory, says so once naming host and port only, and
 * still answers 429 past the limit. Needs Redis (TEST_REDIS_URL, default 127.0.0.1:6379): with CI
 * set, a missing Redis is a failure.
 */
import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { Redis } from 'ioredis';
import { ROOT, setupStrapi, type TestApp } from '../helpers/strapi';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const PREFIX = `minyi-test-${process.pid}-${Date.now()}`;
const POINTS = 6;

interface Instance {
  child: ChildProcess;
  port: number;
  lines: string[];
}

let app: TestApp | undefined;
let redis: Redis | undefined;
let available = false;
const running: Instance[] = [];
const saved = { url: process.env.REDIS_URL, prefix: process.env.MINYI_REDIS_PREFIX };

const startInstance = (env: Record<string, string | undefined>): Promise<Instance> =>
  new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, PUBLIC_READ_POINTS: String(POINTS), LOG_LEVEL: 'info' };
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete childEnv[k];
      else childEnv[k] = v;
    }
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tests', 'helpers', 'public-instance.ts')], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buffer = '';
    let settled = false;
    const timer = setTimeout(() => !settled && reject(new Error(`the instance was not ready after 120 s:\n${lines.join('\n').slice(-3000)}`)), 120_000);
    child.stderr!.on('data', (d) => lines.push(String(d)));
    child.stdout!.on('data', (d) => {
      buffer += String(d);
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        lines.push(line);
        if (!settled && line.startsWith('{"ready":true')) {
          settled = true;
          clearTimeout(timer);
          const inst = { child, port: JSON.parse(line).port as number, lines };
          running.push(inst);
          resolve(inst);
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!settled) reject(new Error(`the instance exited with ${code} before it was ready:\n${lines.join('\n').slice(-3000)}`));
    });
  });
const stopInstance = async (inst: Instance) => {
  const exited = new Promise((r) => inst.child.once('exit', r));
  inst.child.kill('SIGTERM');
  await exited;
  running.splice(running.indexOf(inst), 1);
};

const summary = '/api/minyi/summary';
const callHere = () => app!.request().get(summary);
const callThere = (inst: Instance) => fetch(`http://127.0.0.1:${inst.port}${summary}`).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after') }));

beforeAll(async () => {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    available = (await probe.ping()) === 'PONG';
  } catch {
    available = false;
  } finally {
    probe.disconnect();
  }
  if (!available) {
    if (process.env.CI) throw new Error(`Redis is required when CI is set: none at ${REDIS_URL} (start redis-server)`);
    // eslint-disable-next-line no-console -- a skipped suite must be visible in the test output
    console.warn(`SKIPPED: no Redis at ${REDIS_URL}, the shared-limit tests did not run`);
    return;
  }
  redis = new Redis(REDIS_URL);
  process.env.REDIS_URL = REDIS_URL;
  process.env.MINYI_REDIS_PREFIX = PREFIX;
  app = await setupStrapi();
  app.strapi.config.set('plugin::complaints.publicPage.limits.read', { points: POINTS, duration: 60 });
});

afterAll(async () => {
  for (const inst of [...running]) await stopInstance(inst);
  await app?.teardown();
  if (redis) {
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
  for (const [k, v] of [['REDIS_URL', saved.url], ['MINYI_REDIS_PREFIX', saved.prefix]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const itIf = (name: string, fn: () => Promise<void>) => it(name, async () => {
  if (!available) return;
  await fn();
});

describe('public limits shared in Redis', () => {
  itIf('two instances with REDIS_URL count one caller together: 6 calls pass, the 7th and 8th get 429 on either', async () => {
    await app!.strapi.plugin('complaints').service('public-limits').reset();
    const other = await startInstance({});
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await callHere()).status);
    for (let i = 0; i < 3; i += 1) statuses.push((await callThere(other)).status);
    const here = await callHere();
    const there = await callThere(other);
    expect([...statuses, here.status, there.status]).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    expect(Number(here.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(there.retryAfter)).toBeGreaterThanOrEqual(1);
    // One count in Redis, under this deployment's prefix: all eight calls.
    const keys = await redis!.keys(`${PREFIX}:limit:read:${POINTS}:60:*`);
    expect(keys).toHaveLength(1);
    expect(await redis!.get(keys[0])).toBe('8');
    expect(other.lines.join('\n')).toContain("the public routes' limits are shared in Redis at 127.0.0.1:6379");
    await stopInstance(other);
  });

  itIf('control: an instance without REDIS_URL counts alone, so the same caller still passes there', async () => {
    // This file's instance is past the limit (the test above).
    expect((await callHere()).status).toBe(429);
    const alone = await startInstance({ REDIS_URL: undefined });
    const statuses: number[] = [];
    for (let i = 0; i < POINTS + 1; i += 1) statuses.push((await callThere(alone)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    await stopInstance(alone);
  });

  itIf('Redis unreachable: the instance counts in its own memory, says so once without the password, and still limits', async () => {
    const cut = await startInstance({ REDIS_URL: 'redis://minyi:redis-secret-pw@127.0.0.1:1' });
    const statuses: number[] = [];
    for (let i = 0; i < POINTS + 1; i += 1) statuses.push((await callThere(cut)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429]);
    const log = cut.lines.join('\n');
    expect(log.split('\n').filter((l) => l.includes('Redis at 127.0.0.1:1 cannot be reached'))).toHaveLength(1);
    expect(log).toContain("limits are counted in this instance's memory");
    expect(log).not.toContain('redis-secret-pw');
    await stopInstance(cut);
  });
});
