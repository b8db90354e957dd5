import { randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import createError from 'http-errors';
import { PLUGIN_ID } from '../constants';
import type { PluginConfig } from '../config';
import { DomainError, isDomainError } from '../domain/errors';
import type { SERVICES } from '../services';

type Services = typeof SERVICES;
export type ServiceName = keyof Services;
export type ServiceOf<N extends ServiceName> = ReturnType<Services[N]>;

/** Typed access to this plugin's services. */
export const getService = <N extends ServiceName>(name: N, strapiInstance: Core.Strapi = strapi): ServiceOf<N> =>
  strapiInstance.plugin(PLUGIN_ID).service(name) as ServiceOf<N>;

export const getConfig = (strapiInstance: Core.Strapi = strapi): PluginConfig =>
  strapiInstance.config.get(`plugin::${PLUGIN_ID}`) as PluginConfig;

export const isPostgres = (strapiInstance: Core.Strapi = strapi): boolean =>
  strapiInstance.db.dialect.client === 'postgres';

/** Maps a domain error to the Strapi error class whose status matches its kind. */
export const toStrapiError = (e: DomainError): Error => {
  switch (e.kind) {
    case 'forbidden':
      // Strapi's auth wrapper turns any other ForbiddenError into a bare "Forbidden"; a
      // PolicyError (a ForbiddenError, 403) keeps its message and details.
      return new errors.PolicyError(e.message, e.details);
    case 'not_found':
      return new errors.NotFoundError(e.message, e.details);
    case 'conflict':
      // Strapi has no 409 class; its error middleware sends an http-errors error's status, name,
      // message and details as they are.
      return createError(409, e.message, { details: e.details });
    default:
      return new errors.ValidationError(e.message, e.details);
  }
};

/** Runs `fn`, rethrowing domain errors as Strapi errors (so HTTP callers get 4xx, not 500). */
export const mapDomainErrors = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (e) {
    if (isDomainError(e)) throw toStrapiError(e);
    throw e;
  }
};

/** 24 lowercase alphanumerics, the shape of Strapi 5 document ids, for rows inserted in bulk. */
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
// Random bytes are drawn 24 KiB at a time: bulk work makes hundreds of thousands of ids.
let idPool = Buffer.alloc(0);
let idPoolAt = 0;
export const newDocumentId = (): string => {
  if (idPoolAt + 24 > idPool.length) {
    idPool = randomBytes(24 * 1024);
    idPoolAt = 0;
  }
  let s = 'm';
  for (let i = 1; i < 24; i += 1) s += ID_ALPHABET[idPool[idPoolAt + i] % ID_ALPHABET.length];
  idPoolAt += 24;
  return s;
};

/**
 * knex puts the failing SQL, with its bound values, in front of a driver error's message, and
 * PostgreSQL adds the failing row in `detail`: both may hold a citizen's name or phone. This
 * keeps only the driver's own message and code, so the error can be logged and shown.
 */
export const safeDbError = (e: unknown, context: string): Error => {
  const err = (e ?? {}) as { message?: string; code?: string };
  const msg = String(err.message ?? e);
  const driverMessage = msg.includes(' - ') ? msg.slice(msg.lastIndexOf(' - ') + 3) : msg;
  const safe = new Error(`[complaints] ${context} failed: ${driverMessage.slice(0, 300)}`);
  (safe as Error & { code?: string }).code = err.code;
  return safe;
};

/** Runs `fn` in a database transaction (joining the current one if any); queries made through
 * strapi.db inside it use the transaction. */
export const inTransaction = <T>(strapiInstance: Core.Strapi, fn: (trx: any) => Promise<T>): Promise<T> =>
  strapiInstance.db.transaction(async ({ trx }) => fn(trx)) as unknown as Promise<T>;

/** Whether the admin user of the request holds a permission (its RBAC ability). */
export const can = (ctx: any, action: string): boolean => Boolean(ctx.state?.userAbility?.can?.(action));

/** Splits a list into consecutive parts of at most `size` items (for bounded `IN (...)` lists). */
export const chunks = <T>(list: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
};

/**
 * A request path as the router matches it: percent-escapes decoded and letters folded to lower
 * case (Koa's router is case-insensitive, so /CONTENT-MANAGER/… reaches the same handler). Every
 * check that decides by path compares against this, never against the raw `ctx.path`.
 */
export const routedPath = (raw: unknown): string => {
  let path = String(raw ?? '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // A malformed escape is the bad-input middleware's to answer.
  }
  return path.toLowerCase();
};
