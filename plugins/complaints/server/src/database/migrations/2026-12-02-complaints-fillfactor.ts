/**
 * PostgreSQL only: inserts fill 80 % of each page of `complaints`; the rest is room for the new
 * versions of rows whose warning level changes, so those updates (warning_level, chain_seq,
 * chain_hash, warning_changed_at: no index covers them) stay HOT, on the row's own page
 * (services/warnings.ts). A run changes a few rows per page (11 to 17 % of them in the
 * benchmark); at 80 there is room for three or four new versions.
 *
 * Strapi 5.54 runs migrations before its schema sync (database/src/schema/index.ts, `sync`),
 * so on a new database `complaints` does not exist yet when this runs. The table is then created
 * here with its id column exactly as Strapi creates it (`increments`, the primary key) and the
 * storage parameter; the sync finds the table and adds the content type's columns and indexes to
 * it, as it does for any table it already knows (a storage parameter survives ALTER TABLE). On an
 * existing database the parameter applies to pages written from now on; the whole table gets it
 * at its next rewrite (`VACUUM FULL complaints`).
 */
import type { Knex } from 'knex';
import { isPostgres } from './dialect';

export const name = 'complaints::2026-12-02-complaints-fillfactor';

const FILLFACTOR = 80;

export const up = async (knex: Knex): Promise<void> => {
  if (!isPostgres(knex)) return;
  if (!(await knex.schema.hasTable('complaints'))) {
    await knex.schema.createTable('complaints', (t) => {
      t.increments('id', { primaryKey: true });
    });
  }
  await knex.raw(`ALTER TABLE complaints SET (fillfactor = ${FILLFACTOR})`);
};

export const down = async (knex: Knex): Promise<void> => {
  if (!isPostgres(knex)) return;
  if (await knex.schema.hasTable('complaints')) await knex.raw('ALTER TABLE complaints RESET (fillfactor)');
};
