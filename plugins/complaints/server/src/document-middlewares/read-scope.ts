/**
 * Document Service middleware on reads made for an admin request:
 *
 * - Sorting, filtering or searching on a field the role cannot see (the phone, the raw row) is
 *   a 400: Strapi would otherwise order or filter the rows by it silently, which reveals it.
 * - Strapi's homepage widgets read every permitted type without its RBAC conditions: for
 *   roles limited to a unit they show no Minyi document at all.
 *
 * Minyi's own services (utils/ledger-writer.ts) decide what they show themselves.
 */
import type { Core } from '@strapi/strapi';
import { hiddenFieldQueryError, hiddenFieldsQueried, seesFullPhones, seesWholeCounty } from '../domain/complaint-projection';
import { adminRoleCodes } from '../middlewares/role-projection';
import { isLedgerWriter } from '../utils/ledger-writer';
import { routedPath, toStrapiError } from '../utils';

const READS = ['findMany', 'findOne', 'findFirst', 'count'];

export const createReadScope = (strapi: Core.Strapi) => async (ctx: any, next: () => Promise<unknown>) => {
  if (!READS.includes(ctx.action) || !String(ctx.uid).startsWith('plugin::complaints.') || isLedgerWriter()) return next();
  const request = strapi.requestContext.get() as any;
  const codes = request ? adminRoleCodes(request) : null;
  if (!codes) return next();
  if (routedPath(request.path).startsWith('/content-manager/homepage/') && !seesWholeCounty(codes)) {
    return ctx.action === 'count' ? 0 : ctx.action === 'findMany' ? [] : null;
  }
  const fullPhones = seesFullPhones(codes);
  const attributes = ((strapi.contentType(ctx.uid) as any)?.attributes ?? {}) as Record<string, unknown>;
  const searchesPhone = 'phone' in attributes;
  const hidden = [
    ...hiddenFieldsQueried(ctx.params ?? {}, fullPhones, { searchesPhone }),
    // The raw query too: a hidden field the Content Manager dropped from params still says
    // what the caller asked for.
    ...hiddenFieldsQueried(request.query ?? {}, fullPhones, { searchesPhone }),
  ];
  if (hidden.length > 0) throw toStrapiError(hiddenFieldQueryError([...new Set(hidden)]));
  return next();
};

/**
 * The homepage's document counts read every permitted table with raw SQL, unscoped. For roles
 * limited to a unit, Minyi's types are taken out of the totals (they have no drafts, so each
 * counts as published).
 */
export const scopeHomepageCounts = (strapi: Core.Strapi): void => {
  const homepage = strapi.plugin('content-manager')?.service('homepage') as any;
  if (!homepage?.getCountDocuments) return;
  const original = homepage.getCountDocuments;
  homepage.getCountDocuments = async function scoped(this: unknown, ...args: unknown[]) {
    const counts = await original.apply(this, args);
    const request = strapi.requestContext.get() as any;
    const codes = request ? adminRoleCodes(request) : null;
    if (!codes || seesWholeCounty(codes)) return counts;
    const ability = request.state?.userAbility;
    let minyi = 0;
    for (const [uid, ct] of Object.entries(strapi.contentTypes)) {
      if (!uid.startsWith('plugin::complaints.') || !ability?.can?.('plugin::content-manager.explorer.read', uid)) continue;
      const table = (ct as any).collectionName;
      const row = (await strapi.db.connection(table).countDistinct('document_id as count').first()) as { count?: number | string } | undefined;
      minyi += Number(row?.count) || 0;
    }
    return { ...counts, published: Math.max(0, Number(counts.published) - minyi) };
  };
};
