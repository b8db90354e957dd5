/**
 * The import's staging table (services/import-store.ts): checked rows wait here until their
 * batch commits. A plain table, not a content type, so Strapi's schema sync leaves it alone;
 * unlogged on PostgreSQL (its rows are scratch data, deleted when the batch ends).
 */
import type { Knex } from 'knex';
import { isPostgres } from './dialect';

export const name = 'complaints::2026-12-01-import-staging-table';

export const up = async (knex: Knex): Promise<void> => {
  if (isPostgres(knex)) {
    await knex.raw(`CREATE UNLOGGED TABLE IF NOT EXISTS complaint_import_rows (
      batch_id integer NOT NULL,
      row_no integer NOT NULL,
      status varchar(16) NOT NULL DEFAULT 'new',
      ledger_no varchar(64) NOT NULL,
      received_at timestamp(6) NOT NULL,
      channel varchar(255) NOT NULL,
      complainant_name varchar(255),
      phone varchar(255),
      town varchar(255),
      village varchar(255),
      address varchar(255),
      content text NOT NULL,
      raw_row jsonb,
      traceable boolean NOT NULL DEFAULT false,
      PRIMARY KEY (batch_id, row_no)
    )`);
    return;
  }
  await knex.raw(`CREATE TABLE IF NOT EXISTS complaint_import_rows (
    batch_id integer NOT NULL,
    row_no integer NOT NULL,
    status varchar(16) NOT NULL DEFAULT 'new',
    ledger_no varchar(64) NOT NULL,
    received_at datetime NOT NULL,
    channel varchar(255) NOT NULL,
    complainant_name varchar(255),
    phone varchar(255),
    town varchar(255),
    village varchar(255),
    address varchar(255),
    content text NOT NULL,
    raw_row text,
    traceable boolean NOT NULL DEFAULT 0,
    PRIMARY KEY (batch_id, row_no)
  )`);
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.raw('DROP TABLE IF EXISTS complaint_import_rows');
};
