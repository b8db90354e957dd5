import type { Core } from '@strapi/strapi';
import { getService } from '../utils';

/**
 * Strapi serves /uploads/* to anyone. Evidence files live in a private upload folder: a GET of
 * their public URL (or of a resized format) answers 404, and they are served only by the
 * authenticated route GET /complaints/evidence-files/:id, which checks the complaint's scope.
 */
const privateFiles = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: any, next: () => Promise<unknown>) => {
    if ((ctx.method === 'GET' || ctx.method === 'HEAD') && typeof ctx.path === 'string' && ctx.path.startsWith('/uploads/')) {
      let name = '';
      try {
        name = decodeURIComponent(ctx.path.slice('/uploads/'.length));
      } catch {
        // A malformed escape names no file; Strapi's static server answers it (400).
      }
      if (name && !name.includes('/') && (await getService('evidence', strapi).isPrivateUpload(name))) {
        ctx.status = 404;
        ctx.body = { data: null, error: { status: 404, name: 'NotFoundError', message: 'Not Found' } };
        return;
      }
    }
    await next();
  };
};

export default privateFiles;
