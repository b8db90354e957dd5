import fs from 'fs';

/**
 * An uploaded ledger is personal data. koa-body writes each upload to a temporary file before
 * the route's policies run; when a request is refused (not logged in, no permission, a
 * refused file) nothing else removes it. This outermost middleware does, for the import route.
 * (An accepted upload has already been moved to the import's own private file.)
 */
export const IMPORT_ROUTE_PREFIX = '/complaints/imports';

export const uploadCleanup = async (ctx: any, next: () => Promise<unknown>) => {
  try {
    await next();
  } finally {
    if (typeof ctx.path === 'string' && ctx.path.startsWith(IMPORT_ROUTE_PREFIX) && ctx.request?.files) {
      const files = Object.values(ctx.request.files as Record<string, unknown>).flatMap((f) => (Array.isArray(f) ? f : [f]));
      await Promise.all(
        files.map((f) => {
          const p = (f as { filepath?: string } | null)?.filepath;
          return p ? fs.promises.rm(p, { force: true }).catch(() => undefined) : undefined;
        })
      );
    }
  }
};
