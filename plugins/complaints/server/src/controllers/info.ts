import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { getConfig, getService } from '../utils';
import pkg from '../../../package.json';

/** GET /complaints/info: what is running (plugin, database, triggers, counts) and the county's time zone. No personal data. */
export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async index(ctx: any) {
    const [complaints, events, units, categories] = await Promise.all([
      strapi.db.query(UID.complaint as any).count({}),
      strapi.db.query(UID.event as any).count({}),
      strapi.db.query(UID.unit as any).count({}),
      strapi.db.query(UID.category as any).count({}),
    ]);
    ctx.body = {
      data: {
        plugin: 'complaints',
        version: pkg.version,
        database: strapi.db.dialect.client,
        timeZone: getConfig(strapi).timeZone,
        triggers: await getService('triggers', strapi).list(),
        counts: { complaints, events, units, categories },
      },
    };
  },
});
