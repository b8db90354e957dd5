/**
 * Public (content API) routes. None expose complaints, categories, units or events: the
 * public routes built for citizens are added here on purpose, one by one.
 */
export default {
  type: 'content-api' as const,
  routes: [] as Array<Record<string, unknown>>,
};
