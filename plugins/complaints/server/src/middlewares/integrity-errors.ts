import type { Core } from '@strapi/strapi';
import { TRIGGER_MARKER, isTriggerRefusal } from '../services/triggers';

/**
 * Koa middleware placed just inside `strapi::errors`: when a database trigger refuses a write
 * (an original field, a delete, an event edit), the client gets a 409 with a clear message
 * instead of a 500. The trigger message is ours and holds no personal data.
 */
const integrityErrors = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: any, next: () => Promise<unknown>) => {
    try {
      await next();
    } catch (error) {
      if (!isTriggerRefusal(error)) throw error;
      const raw = String((error as Error).message ?? '');
      const message = raw.slice(raw.indexOf(TRIGGER_MARKER) + TRIGGER_MARKER.length).trim();
      strapi.log.warn(`[complaints] database trigger refused a write on ${ctx.method} ${ctx.path}: ${message}`);
      ctx.status = 409;
      ctx.body = {
        data: null,
        error: {
          status: 409,
          name: 'ConflictError',
          message: message || '数据库拒绝了此次写入 / The database refused this write',
          details: { code: 'ledger_write_refused', layer: 'database-trigger' },
        },
      };
    }
  };
};

export default integrityErrors;
