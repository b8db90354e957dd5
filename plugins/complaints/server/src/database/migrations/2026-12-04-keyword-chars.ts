/**
 * One-character keywords on PostgreSQL: a GIN index on the expression `minyi_zh_chars(content)`,
 * the normalised content's characters as `text[]` (keyword-sql.ts has the SQL; services/keyword.ts
 * queries it). A character has no bigram, so the bigram index (2026-12-03-keyword-index.ts) cannot
 * serve it, and without this index a 1-character keyword normalised and scanned every content
 * (about 0.5 s per 200,000 complaints). SQLite's FTS5 table already holds the characters
 * (its `unigrams` column): nothing to do there.
 *
 * On a database with complaints, building the index takes a while (about a minute per million
 * short contents) and holds back writes to complaints meanwhile: run the upgrade in a quiet hour.
 */
import type { Knex } from 'knex';
import { isPostgres } from './dialect';
import { PG_CHARS_INDEX, pgCharsFunctionStatement } from './keyword-sql';

export const name = 'complaints::2026-12-04-keyword-chars';

export const up = async (knex: Knex): Promise<void> => {
  if (!isPostgres(knex)) return;
  await knex.raw(pgCharsFunctionStatement());
  // The keyword index migration made the table and its content column on a new database.
  await knex.raw(`SET LOCAL maintenance_work_mem = '256MB'`);
  await knex.raw(`CREATE INDEX IF NOT EXISTS ${PG_CHARS_INDEX} ON complaints USING gin (minyi_zh_chars(content))`);
};

export const down = async (knex: Knex): Promise<void> => {
  if (!isPostgres(knex)) return;
  await knex.raw(`DROP INDEX IF EXISTS ${PG_CHARS_INDEX}`);
  await knex.raw('DROP FUNCTION IF EXISTS minyi_zh_chars(text)');
};
