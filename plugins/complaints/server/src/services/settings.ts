/**
 * Settings 系统设置: what the county's configuration says, as the county office and the county
 * leader need to see it, and the routing table's check (which minor categories a classification
 * "by the routing table" cannot route, and in which towns). Nothing secret: the SMS provider's
 * name and whether its webhooks have a public address, never its credentials.
 *
 * The settings that are safe to change while Minyi runs (domain/settings-edit.ts: the warning
 * thresholds and the ranking) can be edited by the county office. An edit is kept in the plugin
 * store with who made it and when, and laid over config/plugins.ts in the running configuration,
 * where every reader reads it afresh. Every instance reads the store again at boot, before each
 * warning-job run it claims and every minute, so another instance follows within a minute and the
 * warning job never runs on old thresholds. The rest of the configuration takes effect on restart.
 */
import type { Core } from '@strapi/strapi';
import { PLUGIN_ID, TABLE } from '../constants';
import { MODES } from '../domain/terms';
import { uncoveredMinorCategories } from '../domain/routing';
import { DEFAULT_TEMPLATES } from '../domain/sms-templates';
import { applySettingsEdit, EDITABLE_PATHS, editableOf, type EditableSettings, type SettingChange } from '../domain/settings-edit';
import { getConfig, getService } from '../utils';
import type { AdminUserLike } from './access';

/** What the store keeps: the edited settings, and the last edits with who made them. */
interface StoredSettings {
  values: EditableSettings;
  edits: Array<{ at: string; by: string; changes: SettingChange[] }>;
}
const STORE_KEY = 'runtime-settings';
const KEPT_EDITS = 50;
const REFRESH_MS = 60_000;

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID });
  /** The file's values, before any edit was laid over them (taken once, at the first apply). */
  let configured: EditableSettings | null = null;
  let timer: NodeJS.Timeout | null = null;

  const read = async (): Promise<StoredSettings | null> => {
    const v = (await store().get({ key: STORE_KEY })) as StoredSettings | null | undefined;
    return v && typeof v === 'object' && v.values ? v : null;
  };
  const lay = (values: EditableSettings) => {
    const c = getConfig(strapi);
    if (!configured) configured = editableOf(c);
    strapi.config.set(`plugin::${PLUGIN_ID}.warnings`, { measure: { ...values.warnings.measure }, response: { ...values.warnings.response } });
    strapi.config.set(`plugin::${PLUGIN_ID}.ranking`, { weights: { ...values.ranking.weights }, listSize: values.ranking.listSize });
  };

  const service = {
    /** Lays the stored edits over the configuration (boot, the warning job, the minute timer). */
    async refresh(): Promise<void> {
      const stored = await read();
      if (stored) lay(stored.values);
    },

    startRefresh(): void {
      if (timer) return;
      timer = setInterval(() => {
        service.refresh().catch((e) => strapi.log.warn(`[complaints] settings refresh failed: ${(e as Error).message}`));
      }, REFRESH_MS);
      timer.unref();
    },

    stopRefresh(): void {
      if (timer) clearInterval(timer);
      timer = null;
    },

    /** Applies an edit (the county office): checked whole, kept with its author, in force at once. */
    async update(raw: unknown, user: AdminUserLike) {
      await service.refresh();
      const current = editableOf(getConfig(strapi));
      const { next, changes } = applySettingsEdit(current, raw);
      if (changes.length > 0) {
        const actor = await getService('access', strapi).actor(user);
        const stored = await read();
        const edits = [{ at: new Date().toISOString(), by: actor.name ?? `admin#${user.id}`, changes }, ...(stored?.edits ?? [])].slice(0, KEPT_EDITS);
        await store().set({ key: STORE_KEY, value: { values: next, edits } satisfies StoredSettings });
        lay(next);
      }
      return { changes, settings: await service.overview() };
    },

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
        ranking: c.ranking,
        // What config/plugins.ts says of the editable settings, and the edits laid over it.
        editable: { paths: EDITABLE_PATHS, configured: configured ?? editableOf(c), edits: ((await read())?.edits ?? []).slice(0, 10) },
        routing: {
          rules: rules.length,
          towns,
          minorCategories: categories.filter((x) => x.tier === 'minor').length,
          uncovered,
        },
      };
    },
  };
  return service;
};
