/**
 * The public page (`/`, `/submit`, `/track`) and its two files. The results page is rendered
 * from the same services as /api/minyi/*, so it shows the same numbers; it counts against the
 * same per-IP read limit. Pages take `lang=en`; the results page also the API's filters.
 */
import fs from 'fs';
import path from 'path';
import { createHash } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { PAGE_CSS } from '../domain/page-style';
import { isDomainError } from '../domain/errors';
import { parsePublicQuery } from '../domain/public-data';
import { PAGE_HEADERS, renderBadQuery, renderHome, renderSubmit, renderTrack, type Lang, type PageContext } from '../public-page/render';
import { TABLE } from '../constants';
import { getConfig, getService } from '../utils';
import { limitOrRefuse } from './public-api';

/** The browser script, compiled from page/app.ts by the plugin's build (dist/page/app.js). */
const scriptFile = (): string | null => {
  for (const p of [path.resolve(__dirname, '../page/app.js'), path.resolve(__dirname, '../../dist/page/app.js')]) if (fs.existsSync(p)) return p;
  return null;
};

export default ({ strapi }: { strapi: Core.Strapi }) => {
  let script: string | null = null;
  const scriptText = (): string => {
    if (script === null) {
      const f = scriptFile();
      script = f ? fs.readFileSync(f, 'utf8') : '';
    }
    return script;
  };
  const version = () => createHash('sha256').update(PAGE_CSS).update(scriptText()).digest('hex').slice(0, 12);

  const contextOf = (ctx: any): PageContext => {
    const cfg = getConfig(strapi).publicPage;
    return { lang: (ctx.query?.lang === 'en' ? 'en' : 'zh') as Lang, countyName: cfg.countyName, countyNameEn: cfg.countyNameEn, logoPath: cfg.logoPath, assetVersion: version() };
  };
  const send = (ctx: any, status: number, html: string) => {
    ctx.status = status;
    ctx.set(PAGE_HEADERS);
    ctx.body = html;
  };

  return {
    /** GET / : the results page. */
    async home(ctx: any) {
      await limitOrRefuse(strapi, ctx, 'read', ctx.request.ip);
      const c = contextOf(ctx);
      const { lang: _lang, ...query } = (ctx.query ?? {}) as Record<string, unknown>;
      const results = getService('public-results', strapi);
      let q;
      try {
        q = parsePublicQuery('results', query);
      } catch (e) {
        if (!isDomainError(e)) throw e;
        return send(ctx, 400, renderBadQuery(c, { zh: e.zh, en: e.en }));
      }
      const filters = { category: q.category, town: q.town, month: q.month };
      // The summary takes one breakdown filter: with both, the town narrows the results only.
      const summary = await results.summary({ ...q, ...(q.town && q.category ? { category: null } : {}) });
      const categories = (await strapi.db.connection(TABLE.category).where('tier', 'major').orderBy('code').select('code', 'name')) as Array<{ code: string; name: string }>;
      send(ctx, 200, renderHome(c, {
        summary,
        results: await results.results(q),
        ranking: await results.ranking({ month: null }),
        query: { ...filters, page: q.page },
        categories,
        towns: await getService('intake', strapi).towns(),
      }));
    },

    /** GET /submit : the intake form. */
    async submit(ctx: any) {
      await limitOrRefuse(strapi, ctx, 'read', ctx.request.ip);
      send(ctx, 200, renderSubmit(contextOf(ctx), await getService('intake', strapi).towns()));
    },

    /** GET /track : the tracking form. */
    async track(ctx: any) {
      await limitOrRefuse(strapi, ctx, 'read', ctx.request.ip);
      send(ctx, 200, renderTrack(contextOf(ctx)));
    },

    /** GET /assets/minyi/app.css | app.js */
    async asset(ctx: any) {
      const file = String(ctx.params.file ?? '');
      let body: string;
      if (file === 'app.css') {
        ctx.type = 'text/css; charset=utf-8';
        body = PAGE_CSS;
      } else if (file === 'app.js' && scriptText()) {
        ctx.type = 'application/javascript; charset=utf-8';
        body = scriptText();
      } else {
        throw new errors.NotFoundError('文件不存在 / Not found');
      }
      ctx.set('Cache-Control', 'public, max-age=3600');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.body = body;
    },
  };
};
