/**
 * Admin routes, mounted under /complaints, generated from the access table (routes/access.ts).
 * Every route requires an authenticated admin.
 */
import { PLUGIN_ROUTES } from './access';

const auth = (actions: string[]) => ({
  policies: ['admin::isAuthenticatedAdmin', ...(actions.length ? [{ name: 'admin::hasPermissions', config: { actions } }] : [])],
});

export default {
  type: 'admin' as const,
  routes: PLUGIN_ROUTES.map(({ method, path, handler, actions }) => ({ method, path, handler, config: auth(actions) })),
};
