/**
 * PostgreSQL: an index for the filter module's ledger-number prefix (`ledgerNo=ST2026*`, a LIKE
 * with a fixed prefix, services/complaint-query.ts). The unique index on `ledger_no` compares in
 * the database's collation, which a LIKE cannot use unless it is "C"; `varchar_pattern_ops`
 * compares byte by byte, which it can. Measured with `npm run bench:stats` at 1,000,000 rows:
 * the prefix questions read the index instead of the table.
 *
 * On a new database `complaints` does not exist yet (migrations run before Strapi's schema sync;
 * see the fillfactor migration): the column is created here as the sync creates a string
 * attribute (varchar(255)), and the sync finds it in place. SQLite's LIKE folds case and is
 * answered by a scan there; a county on SQLite has a county's rows, not a province's.
 */
import type { Knex } from 'knex';
import { isPostgres } from './dialect';

export const name = 'complaints::2026-12-06-ledger-no-prefix';

export const PREFIX_INDEX = 'minyi_complaints_ledger_no_prefix';

export const up = async (knex: Knex): Promise<void> => {
  if (!isPostgres(knex)) return;
  if (!(await knex.schema.hasTable('complaints'))) {
    await knex.schema.createTable('complaints', (t) => {
      t.increments('id', { primaryKey: true });
    });
  }
  if (!(await knex.schema.hasColumn('complaints', 'ledger_no'))) {
    await knex.schema.alterTable('complaints', (t) => {
      t.string('ledger_no');
    });
  }
  await knex.raw(`CREATE INDEX IF NOT EXISTS ${PREFIX_INDEX} ON complaints (ledger_no varchar_pattern_ops)`);
};

export const down = async (knex: Knex): Promise<void> => {
  if (isPostgres(knex)) await knex.raw(`DROP INDEX IF EXISTS ${PREFIX_INDEX}`);
};
