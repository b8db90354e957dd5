/**
 * The public REST routes under /api/minyi (routes/access.ts PUBLIC_ROUTES): no login, each call
 * counted against its per-IP limit first (429 with Retry-After). Reads answer with an ETag and
 * `Cache-Control: public, max-age=60` (304 to a matching If-None-Match); intake and tracking are
 * never cached. Query parameters are the route's own or a 400; no log line here holds a
 * citizen's words, phone or a tracking code.
 */
import { createHash, randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { isHoneypot, ledgerNoOf, readIntakeForm, readTrackForm, trackingCodeOf } from '../domain/intake';
import { calendarDay } from '../domain/calendar';
import { parsePublicQuery, type PublicRead } from '../domain/public-data';
import { getConfig, getService, mapDomainErrors } from '../utils';
import type { LimitName } from '../services/public-limits';

const bodyOf = (ctx: any): unknown => ctx.request.body;

export const limitOrRefuse = async (strapi: Core.Strapi, ctx: any, name: LimitName, key: string): Promise<void> => {
  const wait = await getService('public-limits', strapi).consume(name, key);
  if (wait === null) return;
  ctx.set('Retry-After', String(wait));
  throw new errors.RateLimitError(`请求过于频繁，请 ${wait} 秒后再试 / Too many requests: try again in ${wait} seconds`, { code: 'rate_limited', retryAfter: wait });
};

/** The bytes and ETag of each kept answer (the service's cache hands out the same object). */
const serialized = new WeakMap<object, { body: string; etag: string }>();

/**
 * `payload` with a strong ETag over its bytes; a 304 when the caller already holds it. `answer`
 * is the service's answer the payload wraps: its bytes are made once while it is kept.
 */
export const sendCached = (ctx: any, payload: unknown, answer?: object): void => {
  let made = answer ? serialized.get(answer) : undefined;
  if (!made) {
    const text = JSON.stringify(payload);
    made = { body: text, etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"` };
    if (answer) serialized.set(answer, made);
  }
  const { body, etag } = made;
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', 'public, max-age=60');
  ctx.set('Vary', 'Accept-Encoding');
  const match = String(ctx.get('If-None-Match') || '')
    .split(',')
    .map((s) => s.trim().replace(/^W\//, ''));
  if (match.includes(etag) || match.includes('*')) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  ctx.status = 200;
  ctx.type = 'application/json; charset=utf-8';
  ctx.body = body;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const results = () => getService('public-results', strapi);
  const intake = () => getService('intake', strapi);
  const read = async (ctx: any, route: PublicRead) => {
    await limitOrRefuse(strapi, ctx, 'read', ctx.request.ip);
    return mapDomainErrors(async () => parsePublicQuery(route, ctx.query ?? {}));
  };

  return {
    /** GET /api/minyi/summary?category=&town=&month= */
    async summary(ctx: any) {
      const q = await read(ctx, 'summary');
      const answer = await mapDomainErrors(() => results().summary(q));
      sendCached(ctx, { data: answer }, answer);
    },

    /** GET /api/minyi/results?category=&town=&month=&page=&pageSize= */
    async results(ctx: any) {
      const q = await read(ctx, 'results');
      const answer = await mapDomainErrors(() => results().results(q));
      sendCached(ctx, answer, answer);
    },

    /** GET /api/minyi/ranking?month= */
    async ranking(ctx: any) {
      const q = await read(ctx, 'ranking');
      const answer = await results().ranking(q);
      sendCached(ctx, { data: answer }, answer);
    },

    /** POST /api/minyi/requests { content, town, village, name?, mobile?, consent, website (honeypot) } */
    async intake(ctx: any) {
      await limitOrRefuse(strapi, ctx, 'intake', ctx.request.ip);
      ctx.set('Cache-Control', 'no-store');
      const body = bodyOf(ctx);
      if (isHoneypot(body)) {
        // Answered like a success, recorded nowhere: the robot learns nothing.
        const cfg = getConfig(strapi);
        const year = calendarDay(new Date(), cfg.timeZone).slice(0, 4);
        ctx.status = 201;
        ctx.body = { data: { ledgerNo: ledgerNoOf(cfg.publicPage.ledgerPrefix, year, 1 + (randomBytes(2).readUInt16BE(0) % 9000)), trackingCode: trackingCodeOf(randomBytes(10)) } };
        strapi.log.info('[complaints] public intake: a submission with the honeypot filled was dropped');
        return;
      }
      const towns = await intake().towns();
      const form = await mapDomainErrors(async () => readIntakeForm(body, towns));
      const created = await intake().submit(form);
      strapi.log.info(`[complaints] public intake: recorded ${created.ledgerNo}`);
      ctx.status = 201;
      ctx.body = { data: created };
    },

    /** POST /api/minyi/track { ledgerNo, code } or { ledgerNo, phoneTail } */
    async track(ctx: any) {
      await limitOrRefuse(strapi, ctx, 'track', ctx.request.ip);
      ctx.set('Cache-Control', 'no-store');
      const form = await mapDomainErrors(async () => readTrackForm(bodyOf(ctx)));
      await limitOrRefuse(strapi, ctx, 'trackPerLedger', form.ledgerNo);
      ctx.body = { data: await mapDomainErrors(() => intake().track(form.ledgerNo, form.secret)) };
    },
  };
};
