import type { Core } from '@strapi/strapi';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  url: env('PUBLIC_URL', ''),
  // Where /uploads and the public page live; tests point each app at its own folder.
  dirs: { public: env('PUBLIC_DIR', './public') },
  app: {
    keys: env.array('APP_KEYS')!,
  },
  // Behind a reverse proxy that terminates HTTPS, MINYI_TRUST_PROXY=true makes Koa believe its
  // X-Forwarded-Proto/-Host/-For: cookies are then marked Secure and the client address is the
  // one the proxy saw. Only the nearest MINYI_PROXY_HOPS entries of X-Forwarded-For count, so a
  // client cannot choose its own address. Off by default: without a proxy the headers are forgeable.
  proxy: { koa: env.bool('MINYI_TRUST_PROXY', false), maxIpsCount: env.int('MINYI_PROXY_HOPS', 1) },
  // No update check: nothing may reach the network at run time.
  logger: { updates: { enabled: false } },
  // Strapi's own cron is not used: the plugin schedules its jobs with node-cron (see config/plugins.ts).
  cron: { enabled: false },
  webhooks: {
    populateRelations: env.bool('WEBHOOKS_POPULATE_RELATIONS', false),
  },
});

export default config;
