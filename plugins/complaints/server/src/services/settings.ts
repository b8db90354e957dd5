/**
 * Settings 系统设置 (read-only): what the county's configuration says, as the county office and
 * the county leader need to see it, and the routing table's check (which minor categories a
 * classification "by the routing table" cannot route, and in which towns). Nothing secret: the
 * SMS provider's name and whether its webhooks have a public address, never its credentials.
 * Configuration is changed in config/plugins.ts and takes effect on the next start.
 */
import type { Core } from '@strapi/strapi';
import { TABLE } from '../constants';
import { MODES } from '../domain/terms';
import { uncoveredMinorCategories } from '../domain/routing';
import { DEFAULT_TEMPLATES } from '../domain/sms-templates';
import { getConfig, getService } from '../utils';

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async overview() {
    const c = getConfig(strapi);
    const knex = strapi.db.connection;
    const categories = (await knex(TABLE.category).orderBy('code').select('code', 'name', 'tier')) as Array<{ code: string; name: string; tier: string }>;
    const rules = ((await knex(TABLE.routingRule).select('category_code', 'town')) as Array<{ category_code: string; town: string | null }>).map((r) => ({
      categoryCode: r.category_code,
      town: r.town || null,
    }));
    const towns = await getService('intake', strapi).towns();
    const names = new Map(categories.map((x) => [x.code, x.name]));
    const uncovered = uncoveredMinorCategories(categories, rules, towns).map((u) => ({ ...u, name: names.get(u.code) ?? null }));
    return {
      timeZone: c.timeZone,
      warnings: c.warnings,
      defaultResponseDays: c.defaultResponseDays,
      jobs: { enabled: c.jobs.enabled, warningRule: c.jobs.warningRule, digestRule: c.jobs.digestRule, surveyRule: c.jobs.surveyRule },
      survey: c.survey,
      sms: {
        provider: c.sms.provider,
        signature: c.sms.signature,
        quietHours: c.sms.quietHours,
        perNumberCap: c.sms.perNumberCap,
        webhooksConfigured: Boolean(c.sms.webhookBaseUrl),
        templates: Object.keys(DEFAULT_TEMPLATES).map((key) => ({ key, text: c.sms.templates[key] ?? DEFAULT_TEMPLATES[key], overridden: key in c.sms.templates })),
      },
      evidence: { requiredAspects: MODES.map((mode) => ({ mode, aspects: c.evidence.requiredAspects[mode] ?? [] })) },
      routing: {
        rules: rules.length,
        towns,
        minorCategories: categories.filter((x) => x.tier === 'minor').length,
        uncovered,
      },
    };
  },
});
