/**
 * Per-caller limits of the public routes (rate-limiter-flexible), in this instance's memory.
 * Several instances each keep their own count: a caller gets at most N times the limit behind
 * N instances. A shared limit (Redis) needs a Redis client package, which Minyi does not ship;
 * with REDIS_URL set the start says so once and the limits stay per instance.
 */
import type { Core } from '@strapi/strapi';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { PublicPageConfig, RateLimit } from '../config';
import { getConfig } from '../utils';

export type LimitName = keyof PublicPageConfig['limits'];

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const limiters = new Map<string, RateLimiterMemory>();
  let warned = false;

  const limiter = (name: LimitName): RateLimiterMemory => {
    const l: RateLimit = getConfig(strapi).publicPage.limits[name];
    // Keyed by the setting too: a changed setting starts a fresh count.
    const key = `${name}:${l.points}:${l.duration}`;
    let r = limiters.get(key);
    if (!r) {
      r = new RateLimiterMemory({ keyPrefix: key, points: l.points, duration: l.duration });
      limiters.set(key, r);
    }
    return r;
  };

  return {
    /** Warns once when a shared store was asked for and cannot be used. */
    announce(): void {
      if (warned || !process.env.REDIS_URL) return;
      warned = true;
      strapi.log.warn('[complaints] REDIS_URL is set, but no Redis client is installed: the public routes\' rate limits are kept per instance, in memory');
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

    /** Forgets every count (tests, and an operator after changing the limits at run time). */
    reset(): void {
      limiters.clear();
    },
  };
};
