/**
 * The public answers are kept for publicPage.cacheSeconds: a crowd asking the same question
 * costs one computation. Within the time the same figures (and ETag) come back although the
 * ledger changed; after it, the first call still gets the kept answer while the fresh one is
 * computed, and the calls after it get the new figures; with 0, every call is computed afresh
 * (the control); distinct questions are kept apart; the results page at `/` reads the same
 * answers.
 */
import { withWorld, type World } from '../helpers/world';
import type { TestApp } from '../helpers/strapi';

let app: TestApp;
let w: World;
withWorld((started) => ({ app, w } = started));

const setCache = (seconds: number) => {
  app.strapi.config.set('plugin::complaints.publicPage.cacheSeconds', seconds);
  app.strapi.plugin('complaints').service('public-results').clearCache();
};
const total = async (query = '') => {
  const res = await app.request().get(`/api/minyi/summary${query}`);
  expect(res.status).toBe(200);
  return { n: res.body.data.totals.complaints as number, etag: res.headers.etag as string };
};
const pageTotal = async () => {
  const res = await app.request().get('/');
  expect(res.status).toBe(200);
  return Number(/data-figure="totals.complaints">(\d+)</.exec(res.text)?.[1]);
};

describe('the public answers cache', () => {
  it('keeps an answer for cacheSeconds, then computes it afresh', async () => {
    setCache(2);
    await w.complaint({ town: '城关镇' });
    const first = await total();
    expect(first.n).toBe(1);
    expect(await pageTotal()).toBe(1);
    await w.complaint({ town: '城关镇' });
    // Within the two seconds: the kept answer, byte for byte.
    expect(await total()).toEqual(first);
    expect(await pageTotal()).toBe(1);
    // A question asked for the first time is computed now.
    expect((await total(`?town=${encodeURIComponent('城关镇')}`)).n).toBe(2);
    await new Promise((r) => setTimeout(r, 2100));
    // Past the two seconds: the kept answer once more, while the fresh one is computed…
    expect((await total()).n).toBe(1);
    // …and then the fresh one (it takes a few milliseconds here).
    let n = 1;
    for (let i = 0; i < 50 && n === 1; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      n = (await total()).n;
    }
    expect(n).toBe(2);
    expect(await pageTotal()).toBe(2);
  });

  it('control: with cacheSeconds 0 every call sees the ledger as it is', async () => {
    setCache(0);
    expect((await total()).n).toBe(2);
    await w.complaint({ town: '东坝镇' });
    expect((await total()).n).toBe(3);
    expect(await pageTotal()).toBe(3);
  });

  it('a cacheSeconds outside 0 … 3600 stops the start with a line naming it', async () => {
    const config = require('../../plugins/complaints/dist/server/index.js').config ?? require('../../plugins/complaints/dist/server/index.js').default.config;
    const base = app.strapi.config.get('plugin::complaints') as Record<string, any>;
    expect(() => config.validator({ ...base, publicPage: { ...base.publicPage, cacheSeconds: 3601 } })).toThrow('publicPage.cacheSeconds "3601" must be a whole number of seconds from 0 to 3600');
    expect(() => config.validator({ ...base, publicPage: { ...base.publicPage, cacheSeconds: 60 } })).not.toThrow();
  });
});
