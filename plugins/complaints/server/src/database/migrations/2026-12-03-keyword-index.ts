/**
 * The keyword index over complaints' content (services/keyword.ts queries it; keyword-sql.ts has
 * its SQL). pg_trgm cannot index needles shorter than 3 characters, and 2-character words are the
 * common Chinese keyword, so the index is built on bigrams.
 *
 * PostgreSQL: a GIN index on the expression `minyi_zh_bigrams(content)`. On a new database
 * `complaints` does not exist yet (migrations run before Strapi's schema sync; see the fillfactor
 * migration, which creates the table with its id column): the `content` column is created here
 * exactly as the sync creates a `text` attribute (nullable `text`), and the sync finds it in place.
 * On a database with complaints, building the index takes a while (about 5 minutes at 1M rows)
 * and holds back writes to complaints meanwhile: run the upgrade in a quiet hour.
 *
 * SQLite: the character folds and the FTS5 table are created here, and the complaints already
 * stored are indexed. The triggers that index each new complaint are made at boot with the
 * ledger's other triggers (services/triggers.ts), since SQLite's schema sync drops a table's
 * triggers when it rebuilds the table, and on a new database the table is not there yet.
 */
import type { Knex } from 'knex';
import { characterFolds } from '../../domain/keyword';
import { isPostgres } from './dialect';
import { PG_INDEX, SQLITE_FOLDS, SQLITE_FTS, pgFunctionStatements, sqliteIndexMissing } from './keyword-sql';

export const name = 'complaints::2026-12-03-keyword-index';

export const up = async (knex: Knex): Promise<void> => {
  if (isPostgres(knex)) {
    for (const sql of pgFunctionStatements()) await knex.raw(sql);
    if (!(await knex.schema.hasTable('complaints'))) {
      await knex.schema.createTable('complaints', (t) => {
        t.increments('id', { primaryKey: true });
      });
    }
    if (!(await knex.schema.hasColumn('complaints', 'content'))) {
      await knex.schema.alterTable('complaints', (t) => {
        t.text('content');
      });
    }
    await knex.raw(`SET LOCAL maintenance_work_mem = '256MB'`);
    await knex.raw(`CREATE INDEX IF NOT EXISTS ${PG_INDEX} ON complaints USING gin (minyi_zh_bigrams(content))`);
    return;
  }
  await knex.raw(`CREATE TABLE IF NOT EXISTS ${SQLITE_FOLDS} (ch TEXT PRIMARY KEY, folded TEXT NOT NULL) WITHOUT ROWID`);
  await knex.raw(`DELETE FROM ${SQLITE_FOLDS}`);
  const folds = characterFolds();
  for (let i = 0; i < folds.length; i += 400) {
    const part = folds.slice(i, i + 400);
    await knex.raw(`INSERT INTO ${SQLITE_FOLDS} (ch, folded) VALUES ${part.map(() => '(?, ?)').join(', ')}`, part.flat());
  }
  await knex.raw(`CREATE VIRTUAL TABLE IF NOT EXISTS ${SQLITE_FTS} USING fts5(bigrams, unigrams, content='', contentless_delete=1)`);
  if (await knex.schema.hasTable('complaints')) await knex.raw(sqliteIndexMissing('complaints'));
};

export const down = async (knex: Knex): Promise<void> => {
  if (isPostgres(knex)) {
    await knex.raw(`DROP INDEX IF EXISTS ${PG_INDEX}`);
    await knex.raw('DROP FUNCTION IF EXISTS minyi_zh_bigrams(text)');
    await knex.raw('DROP FUNCTION IF EXISTS minyi_zh_norm(text)');
    return;
  }
  await knex.raw(`DROP TABLE IF EXISTS ${SQLITE_FTS}`);
  await knex.raw(`DROP TABLE IF EXISTS ${SQLITE_FOLDS}`);
};
