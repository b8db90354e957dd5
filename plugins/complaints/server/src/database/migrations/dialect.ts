import type { Knex } from 'knex';

/** Migrations get Strapi's knex transaction; PostgreSQL's knex dialect is `postgresql` (SQLite: `sqlite3`). */
export const isPostgres = (knex: Knex): boolean => (knex.client as { dialect?: string }).dialect === 'postgresql';
