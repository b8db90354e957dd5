import type { Core } from '@strapi/strapi';

/**
 * Origins allowed to call the API with credentials: CORS_ORIGINS (comma list) when set, else the
 * public URL's origin, or, without one, the server's own local origin (where the admin is served).
 * Strapi's default reflects any origin, which lets any site use a logged-in browser's session.
 */
const corsOrigins = (env: Core.Config.Shared.ConfigParams['env']): string[] => {
  const listed = env.array('CORS_ORIGINS', []).map((o: string) => o.trim()).filter(Boolean);
  if (listed.length) return listed;
  const publicUrl = env('PUBLIC_URL', '');
  if (publicUrl) {
    try {
      return [new URL(publicUrl).origin];
    } catch {
      // An unparsable PUBLIC_URL allows no cross-origin caller.
    }
    return [];
  }
  const port = env.int('PORT', 1337);
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
};

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => [
  'strapi::logger',
  'strapi::errors',
  // Turns a refusal by the ledger's database triggers into a 409 with a clear message.
  'plugin::complaints.integrity-errors',
  // NUL bytes in the URL, and failures caused by input (a value the database cannot hold, a body
  // that cannot be parsed), become a 4xx; it wraps the body parser to see its errors.
  'plugin::complaints.bad-input',
  // Two Content Manager paths where Strapi core throws on Minyi's types: 403 / 405 instead of 500.
  'plugin::complaints.content-manager-faults',
  'strapi::security',
  { name: 'strapi::cors', config: { origin: corsOrigins(env), credentials: true } },
  // No strapi::poweredBy: the X-Powered-By header only tells an attacker what to try.
  'strapi::query',
  'strapi::body',
  'plugin::complaints.bad-input-body',
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];

export default config;
