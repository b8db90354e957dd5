import type { Core } from '@strapi/strapi';
import { ACTIONS } from './permissions/actions';
import { buildConditions } from './permissions/conditions';
import { subscribeLedgerBackstop } from './lifecycles/ledger-backstop';
import { subscribePermissionGuard } from './lifecycles/permission-guard';
import { scopeHomepageCounts } from './document-middlewares/read-scope';
import { addDays, calendarDay } from './domain/calendar';
import { getConfig, getService } from './utils';

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  const permissions = strapi.service('admin::permission') as any;
  await permissions.actionProvider.registerMany(ACTIONS);
  await permissions.conditionProvider.registerMany(buildConditions(strapi));

  // Second layer: query-engine lifecycles. Third layer: database triggers, (re)created after
  // Strapi's schema sync because a SQLite table rebuild drops them.
  subscribeLedgerBackstop(strapi);
  subscribePermissionGuard(strapi);
  scopeHomepageCounts(strapi);
  await getService('triggers', strapi).ensure();
  await getService('admin-config', strapi).apply();
  await getService('private-files', strapi).ensureStorage();
  await getService('intake', strapi).ensureStorage();
  getService('public-limits', strapi).announce();
  await getService('evidence', strapi).migrateLegacyFiles();
  await getService('import-batches', strapi).recover();

  // The SMS provider is built now: a missing credential stops the start with the setting named.
  const sms = getService('sms', strapi);
  await sms.ensureStorage();
  try {
    sms.init();
  } catch (e) {
    // eslint-disable-next-line no-console
    console.error(`\nMinyi cannot start: ${(e as Error).message}\n`);
    // A setting to fix, as the database check does: the line and nothing else, not Strapi's stack.
    if ((e as Error)?.name === 'SmsConfigError') process.exit(1);
    throw e;
  }

  // Settings edited at run time lie over config/plugins.ts from the start, and are read again
  // every minute and before each warning run, so every instance follows an edit.
  const settings = getService('settings', strapi);
  await settings.refresh();
  settings.startRefresh();

  const jobs = getService('jobs', strapi);
  jobs.define({
    name: 'warnings',
    rule: getConfig(strapi).jobs.warningRule,
    runOnBoot: true,
    run: async ({ now }) => {
      await settings.refresh();
      const result = await getService('warnings', strapi).run({ now });
      // The rates' rollup is rebuilt every slot (services/rate-rollup.ts). Should it fail, it
      // ages out and the rates are computed from the rows: the warnings are not held back.
      if (getConfig(strapi).statistics.rollup) {
        await getService('statistics', strapi)
          .refreshRollup({ now })
          .catch((e: Error) => strapi.log.error(`[complaints] the rates' rollup was not rebuilt: ${e.message}`));
      }
      return { changed: result.changed };
    },
  });
  jobs.define({
    name: 'ledger-digest',
    rule: getConfig(strapi).jobs.digestRule,
    // The digest of the county day before the slot's.
    run: async ({ now }) => {
      await getService('ledger', strapi).recordDigest(addDays(calendarDay(now, getConfig(strapi).timeZone), -1), { now, ifRecorded: 'keep' });
      return { changed: 1 };
    },
  });
  jobs.define({
    name: 'surveys',
    rule: getConfig(strapi).jobs.surveyRule,
    // Expiry first: a survey past its time is closed, not reminded.
    run: async ({ now }) => {
      const surveys = getService('surveys', strapi);
      const expired = await surveys.expire(now);
      const reminded = await surveys.remind(now);
      return { changed: expired + reminded };
    },
  });
  await jobs.start();
  // Each instance's statistics columns (services/stats-columns.ts) follow the jobs' switch.
  if (getConfig(strapi).jobs.enabled) getService('stats-columns', strapi).start();
  // Every instance pumps (claims are disjoint), so no slot is claimed for it.
  if (getConfig(strapi).jobs.enabled) sms.start();
};

export default bootstrap;
