/**
 * Per-caller limits of the public routes (rate-limiter-flexible).
 *
 * - Without `REDIS_URL`, each instance counts in its own memory: behind N instances a caller gets
 *   at most N times the limit.
 * - With `REDIS_URL`, every instance counts in that Redis, so they share one limit. While Redis
 *   cannot be reached, each instance counts in its own memory instead (the insurance limiter):
 *   the routes keep answering and keep a limit; the log says so once, naming the host and port
 *   (never the password), and once more when Redis is back.
 */
import type { Core } from '@strapi/strapi';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { PublicPageConfig, RateLimit } from '../config';
import { getConfig } from '../utils';

export type LimitName = keyof PublicPageConfig['limits'];

/** `host:port` of a Redis URL: what the log may name (no user, no password). */
export const redisWhere = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'an unparsable REDIS_URL';
  }
};

/** Keys of one deployment in a shared Redis: `<prefix>:limit:<name>:<points>:<duration>:<caller>`. */
const keyPrefix = (name: LimitName, l: RateLimit): string => `${process.env.MINYI_REDIS_PREFIX || 'minyi'}:limit:${name}:${l.points}:${l.duration}`;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const limiters = new Map<string, RateLimiterAbstract>();
  let client: Redis | null = null;
  let unreachable = false;

  const redis = (): Redis | null => {
    const url = process.env.REDIS_URL;
    if (!url) return null;
    if (!client) {
      // No offline queue: while Redis is away a call fails at once and the memory limiter answers.
      client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: false });
      client.on('error', (e: NodeJS.ErrnoException) => {
        if (unreachable) return;
        unreachable = true;
        strapi.log.warn(`[complaints] Redis at ${redisWhere(url)} cannot be reached (${e.code ?? e.name}): the public routes' limits are counted in this instance's memory until it can`);
      });
      client.on('ready', () => {
        if (!unreachable) return;
        unreachable = false;
        strapi.log.info(`[complaints] Redis at ${redisWhere(url)} is reachable again: the public routes' limits are shared`);
      });
    }
    return client;
  };

  const limiter = (name: LimitName): RateLimiterAbstract => {
    const l: RateLimit = getConfig(strapi).publicPage.limits[name];
    // Keyed by the setting too: a changed setting starts a fresh count.
    const prefix = keyPrefix(name, l);
    let r = limiters.get(prefix);
    if (!r) {
      const memory = new RateLimiterMemory({ keyPrefix: prefix, points: l.points, duration: l.duration });
      const store = redis();
      r = store
        ? new RateLimiterRedis({ storeClient: store, keyPrefix: prefix, points: l.points, duration: l.duration, rejectIfRedisNotReady: true, insuranceLimiter: memory })
        : memory;
      limiters.set(prefix, r);
    }
    return r;
  };

  return {
    /** Says at start where the limits are counted, and connects to Redis when there is one. */
    announce(): void {
      const url = process.env.REDIS_URL;
      if (!url) return;
      redis();
      strapi.log.info(`[complaints] the public routes' limits are shared in Redis at ${redisWhere(url)}`);
    },

    /** Counts one call of `key` against the limit; the seconds to wait when it is over, else null. */
    async consume(name: LimitName, key: string): Promise<number | null> {
      try {
        await limiter(name).consume(key);
        return null;
      } catch (e) {
        if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        throw e;
      }
    },

    /**
     * Forgets every count (tests, and an operator after changing the limits at run time): this
     * instance's, and in Redis this deployment's keys.
     */
    async reset(): Promise<void> {
      limiters.clear();
      const store = redis();
      if (!store || store.status !== 'ready') return;
      const pattern = `${process.env.MINYI_REDIS_PREFIX || 'minyi'}:limit:*`;
      let cursor = '0';
      do {
        const [next, keys] = await store.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
        if (keys.length) await store.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    },

    /** Closes the Redis connection (the plugin's destroy). */
    async close(): Promise<void> {
      const store = client;
      client = null;
      limiters.clear();
      if (store) await store.quit().catch(() => store.disconnect());
    },
  };
};
