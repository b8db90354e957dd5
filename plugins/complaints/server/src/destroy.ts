import type { Core } from '@strapi/strapi';
import { getService } from './utils';

const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  await getService('jobs', strapi).stop();
  getService('sms', strapi).stop();
  getService('settings', strapi).stopRefresh();
  await getService('stats-columns', strapi).stop();
  // A running import finishes (or fails cleanly) before the database closes.
  await getService('importer', strapi).shutdown();
  await getService('public-limits', strapi).close();
};

export default destroy;
