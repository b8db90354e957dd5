import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { readBuild } from '../services/rate-rollup';
import { getConfig, getService } from '../utils';
import pkg from '../../../package.json';

/**
 * GET /complaints/info: what is running (plugin, database, triggers, counts), the county's time
 * zone, and how fresh the statistics are (the rates' rollup's last build, this instance's
 * statistics columns). No personal data.
 */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async index(ctx: any) {
    const [complaints, events, units, categories] = await Promise.all([
      strapi.db.query(UID.complaint as any).count({}),
      strapi.db.query(UID.event as any).count({}),
      strapi.db.query(UID.unit as any).count({}),
      strapi.db.query(UID.category as any).count({}),
    ]);
    const rollup = await readBuild(strapi.db.connection);
    ctx.body = {
      data: {
        plugin: 'complaints',
        version: pkg.version,
        database: strapi.db.dialect.client,
        timeZone: getConfig(strapi).timeZone,
        triggers: await getService('triggers', strapi).list(),
        counts: { complaints, events, units, categories },
        statistics: {
          rollup: rollup ? { builtAt: rollup.builtAt.toISOString(), today: rollup.today, rows: rollup.rows, tookMs: rollup.tookMs } : null,
          columns: getService('stats-columns', strapi).status(),
        },
      },
    };
  },
});
