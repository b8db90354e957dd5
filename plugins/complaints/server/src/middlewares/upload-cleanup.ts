import fs from 'fs';

/**
 * Uploaded files are personal data (ledgers, evidence photos). koa-body writes each multipart
 * file to a temporary file before the route's policies run. Strapi's body middleware removes
 * them only when the request gets through without an error, and then without waiting, so a
 * refused request (not logged in, no permission, a refused type) leaves them behind and even an
 * accepted one still has them on disk when the response is sent. This outermost middleware
 * records every temporary file as the body parser attaches it, and removes them all before the
 * response leaves, whatever the route and the outcome. Files a route keeps (an import, evidence)
 * have been copied or moved to their own private place by then.
 */
const pathsOf = (files: unknown): string[] =>
  files && typeof files === 'object'
    ? Object.values(files as Record<string, unknown>)
        .flatMap((f) => (Array.isArray(f) ? f : [f]))
        .map((f) => (f as { filepath?: string; path?: string } | null)?.filepath ?? (f as { path?: string } | null)?.path)
        .filter((p): p is string => typeof p === 'string' && p.length > 0)
    : [];

export const uploadCleanup = async (ctx: any, next: () => Promise<unknown>) => {
  const seen = new Set<string>();
  let files: unknown = ctx.request.files;
  // The body parser assigns ctx.request.files; Strapi deletes it again. Watch the assignment.
  Object.defineProperty(ctx.request, 'files', {
    configurable: true,
    enumerable: true,
    get: () => files,
    set: (value: unknown) => {
      files = value;
      for (const p of pathsOf(value)) seen.add(p);
    },
  });
  try {
    await next();
  } finally {
    for (const p of pathsOf(files)) seen.add(p);
    await Promise.all([...seen].map((p) => fs.promises.rm(p, { force: true }).catch(() => undefined)));
  }
};
