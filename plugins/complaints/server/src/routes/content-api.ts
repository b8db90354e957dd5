/**
 * Public routes, generated from PUBLIC_ROUTES (routes/access.ts): no login (`auth: false`), each
 * caller verified by what the table names (a Twilio signature, a survey link's token). None
 * exposes complaints, categories, units or events; a public route exists only as a row of that
 * table. They are mounted at the site root, not under Strapi's content API (`/api`): the survey
 * link in a message must be short (an SMS is paid by length), and Twilio is given the exact URL
 * it signs. Strapi's admin-type router is the one without a prefix, hence the type.
 */
import { PUBLIC_ROUTES } from './access';

/**
 * The page's routes (`mount: 'site'`), for strapi.server.routes from register(): on the root
 * router, they come before strapi::public's `GET /` redirect. Each calls the plugin's controller
 * when a request comes (controllers exist only after register).
 */
export const siteRoutes = (strapi: { plugin: (id: string) => { controller: (name: string) => Record<string, (ctx: unknown) => unknown> } }) =>
  PUBLIC_ROUTES.filter((r) => r.mount === 'site').map((r) => {
    const [controller, action] = r.handler.split('.');
    return {
      method: r.method,
      path: r.path,
      handler: (ctx: unknown) => strapi.plugin('complaints').controller(controller)[action](ctx),
      config: { auth: false as const },
    };
  });

export default {
  type: 'admin' as const,
  prefix: '',
  routes: PUBLIC_ROUTES.filter((r) => r.mount !== 'site').map((r) => ({
    method: r.method,
    path: r.path,
    handler: r.handler,
    config: { auth: false as const, policies: [] as string[] },
  })),
};
