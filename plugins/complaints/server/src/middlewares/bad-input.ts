import type { Core } from '@strapi/strapi';
import { badIdFilter, inputRefusalFor, REFUSALS, urlHasNul, valueHasNul, type InputRefusal } from '../domain/bad-input';

const refuse = (ctx: any, refusal: InputRefusal) => {
  ctx.status = refusal.status;
  ctx.body = {
    data: null,
    error: { status: refusal.status, name: refusal.status === 413 ? 'PayloadTooLargeError' : 'ValidationError', message: refusal.message, details: { code: refusal.code } },
  };
};

/**
 * A driver error made in another JavaScript realm (a native module under a test sandbox) is not
 * `instanceof Error` here, and the logger would then copy only its enumerable fields: the line
 * would lose its message and stack. Rethrown as a local Error, the 500 is logged in full.
 */
const sameRealm = (error: unknown): unknown => {
  if (error instanceof Error || !error || typeof error !== 'object') return error;
  const e = error as { message?: unknown; stack?: unknown; name?: unknown; code?: unknown };
  if (typeof e.message !== 'string') return error;
  const local = new Error(e.message, { cause: error });
  if (typeof e.name === 'string') local.name = e.name;
  if (typeof e.stack === 'string') local.stack = e.stack;
  return Object.assign(local, e.code === undefined ? {} : { code: e.code });
};

/**
 * Placed just inside `strapi::errors`, before the body parser, for every route (the plugin's,
 * the Content Manager's, Strapi's own): a NUL byte in the URL is refused before anything reads
 * it, and a failure caused by the input (a value the database cannot hold, a body the parser
 * cannot read) becomes a 4xx with a clear message instead of a 500. Any other error passes on
 * untouched: it is a server fault and must stay visible. The database's message is not echoed:
 * it may quote the value sent.
 */
export const badInput = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: any, next: () => Promise<unknown>) => {
    if (urlHasNul(String(ctx.url ?? ''))) {
      refuse(ctx, REFUSALS.nul);
      return;
    }
    try {
      await next();
    } catch (error) {
      const refusal = inputRefusalFor(error);
      if (!refusal) throw sameRealm(error);
      const code = (error as { code?: unknown }).code ?? (error as { name?: unknown }).name;
      strapi.log.warn(`[complaints] refused bad input on ${ctx.method} ${ctx.path}: ${refusal.code} (${String(code)})`);
      refuse(ctx, refusal);
    }
  };
};

/**
 * Placed right after `strapi::body` (and `strapi::query`): a NUL byte anywhere in the parsed
 * body or form fields, and a filter on `id` with a value no id column can hold.
 */
export const badInputBody = () => {
  return async (ctx: any, next: () => Promise<unknown>) => {
    if (valueHasNul(ctx.request?.body)) {
      refuse(ctx, REFUSALS.nul);
      return;
    }
    if (badIdFilter(ctx.query?.filters)) {
      refuse(ctx, REFUSALS.idFilter);
      return;
    }
    await next();
  };
};
