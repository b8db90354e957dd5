/**
 * The plugin's database migrations, one file per change, in order. They are registered with
 * Strapi's internal migration provider (register.ts), so they travel with the plugin, run on
 * every database whatever the app's `runMigrations` setting, are recorded once each in
 * `strapi_migrations_internal`, and run before Strapi's schema sync, each in its own transaction.
 */
import type { Knex } from 'knex';
import * as stagingTable from './2026-12-01-import-staging-table';
import * as complaintsFillfactor from './2026-12-02-complaints-fillfactor';
import * as keywordIndex from './2026-12-03-keyword-index';
import * as keywordChars from './2026-12-04-keyword-chars';
import * as rateRollups from './2026-12-05-rate-rollups';
import * as ledgerNoPrefix from './2026-12-06-ledger-no-prefix';

export interface PluginMigration {
  name: string;
  up: (knex: Knex) => Promise<void>;
  down: (knex: Knex) => Promise<void>;
}

export const MIGRATIONS: PluginMigration[] = [stagingTable, complaintsFillfactor, keywordIndex, keywordChars, rateRollups, ledgerNoPrefix];
