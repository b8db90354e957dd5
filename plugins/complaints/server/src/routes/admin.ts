/** Admin routes, mounted under /complaints. Every route requires an authenticated admin. */
export default {
  type: 'admin' as const,
  routes: [
    {
      method: 'GET',
      path: '/info',
      handler: 'info.index',
      config: { policies: ['admin::isAuthenticatedAdmin'] },
    },
  ],
};
