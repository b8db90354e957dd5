import type { Core } from '@strapi/strapi';
import { getService } from './utils';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  // After Strapi's schema sync: (re)create the ledger's triggers, which a SQLite table rebuild drops.
  await getService('triggers', strapi).ensure();
  await getService('admin-config', strapi).apply();
};

export default bootstrap;
