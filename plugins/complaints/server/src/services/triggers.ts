/**
 * Database triggers: the last layer of the ledger's integrity guard. They stop raw SQL that
 * bypasses both the Document Service middleware and the query-engine lifecycle.
 *
 * They are (re)created idempotently on every boot, after Strapi's schema sync: Strapi 5.54 runs
 * database/migrations before the sync (so the tables may not exist yet), and SQLite's sync
 * rebuilds a table when an attribute changes, which drops its triggers.
 */
import type { Core } from '@strapi/strapi';
import { ORIGINAL_COLUMNS, ORIGINAL_FIELDS } from '../domain/original-fields';
import { TABLE } from '../constants';
import { SQLITE_FTS, sqliteIndexMissing, sqliteIndexRow } from '../database/migrations/keyword-sql';
import { isPostgres } from '../utils';

/** Every message raised by our triggers starts with this marker. */
export const TRIGGER_MARKER = 'minyi:';
/** SQLSTATE raised on PostgreSQL (check_violation). */
export const PG_TRIGGER_SQLSTATE = '23514';

const MSG = {
  frozen: `${TRIGGER_MARKER} 原始台账字段不可修改 / original ledger fields are frozen`,
  noDelete: `${TRIGGER_MARKER} 诉求不能删除 / complaints cannot be deleted`,
  noTruncate: `${TRIGGER_MARKER} 诉求台账不能清空 / the complaint ledger cannot be truncated`,
  history: `${TRIGGER_MARKER} 履历只能追加，不能修改或删除 / history is append-only`,
  record: `${TRIGGER_MARKER} 台账记录只能追加，不能修改或删除 / ledger records are append-only`,
};

/**
 * Append-only ledger records, by table: no row is deleted, and an update may change only the
 * listed columns (a measure's review, written by the lead unit's decision; nothing else).
 */
export const APPEND_ONLY_TABLES: Record<string, { prefix: string; mutable: string[] }> = {
  sign_offs: { prefix: 'minyi_sign_offs', mutable: [] },
  evidences: { prefix: 'minyi_evidences', mutable: [] },
  month_closes: { prefix: 'minyi_month_closes', mutable: [] },
  measures: {
    prefix: 'minyi_measures',
    mutable: ['review_state', 'review_comment', 'reviewed_by_id', 'reviewed_by_name', 'reviewed_at', 'updated_at'],
  },
};
const RECORD_TABLES = Object.keys(APPEND_ONLY_TABLES);

export const isTriggerRefusal = (error: unknown): boolean => {
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof message !== 'string' || !message.includes(TRIGGER_MARKER)) return false;
  return code === 'SQLITE_CONSTRAINT_TRIGGER' || code === PG_TRIGGER_SQLSTATE;
};

const originalColumns = ORIGINAL_FIELDS.map((f) => ORIGINAL_COLUMNS[f]);

export const SQLITE_TRIGGER_NAMES = [
  ...originalColumns.map((c) => `minyi_complaints_frozen_${c}`),
  'minyi_complaints_no_delete',
  'minyi_events_no_update',
  'minyi_events_no_delete',
  ...Object.values(APPEND_ONLY_TABLES).flatMap((t) => [`${t.prefix}_no_update`, `${t.prefix}_no_delete`]),
  'minyi_complaints_keyword_insert',
  'minyi_complaints_keyword_update',
  'minyi_complaints_keyword_delete',
];

/**
 * SQLite: the keyword index (FTS5, database/migrations/2026-12-03-keyword-index.ts) follows every
 * write of a complaint's content. Content is an original field, so only the INSERT trigger has
 * work in normal operation; the other two keep the index right on the paths the guard allows
 * only with its triggers removed (a repair by the database owner).
 */
const sqliteKeywordStatements = (): string[] => [
  'DROP TRIGGER IF EXISTS minyi_complaints_keyword_insert',
  `CREATE TRIGGER minyi_complaints_keyword_insert AFTER INSERT ON ${TABLE.complaint} FOR EACH ROW WHEN NEW.content IS NOT NULL ` +
    `BEGIN ${sqliteIndexRow('NEW.id', 'NEW.content')}; END`,
  'DROP TRIGGER IF EXISTS minyi_complaints_keyword_update',
  `CREATE TRIGGER minyi_complaints_keyword_update AFTER UPDATE OF content ON ${TABLE.complaint} FOR EACH ROW WHEN NEW.content IS NOT OLD.content ` +
    `BEGIN DELETE FROM ${SQLITE_FTS} WHERE rowid = OLD.id; ${sqliteIndexRow('NEW.id', 'NEW.content')} WHERE NEW.content IS NOT NULL; END`,
  'DROP TRIGGER IF EXISTS minyi_complaints_keyword_delete',
  `CREATE TRIGGER minyi_complaints_keyword_delete AFTER DELETE ON ${TABLE.complaint} FOR EACH ROW ` +
    `BEGIN DELETE FROM ${SQLITE_FTS} WHERE rowid = OLD.id; END`,
  // Complaints written while the triggers were gone (a table rebuild drops them) are indexed now.
  sqliteIndexMissing(TABLE.complaint),
];

/** `columns`: each append-only table's columns, read from the database (SQLite names them in the trigger). */
const sqliteStatements = (columns: Record<string, string[]>): string[] => {
  const stmts: string[] = [];
  for (const [table, { prefix, mutable }] of Object.entries(APPEND_ONLY_TABLES)) {
    const frozen = (columns[table] ?? []).filter((c) => !mutable.includes(c));
    stmts.push(`DROP TRIGGER IF EXISTS ${prefix}_no_update`);
    if (frozen.length > 0) {
      stmts.push(
        `CREATE TRIGGER ${prefix}_no_update BEFORE UPDATE ON ${table} FOR EACH ROW ` +
          `WHEN ${frozen.map((c) => `NEW."${c}" IS NOT OLD."${c}"`).join(' OR ')} ` +
          `BEGIN SELECT RAISE(ABORT, '${MSG.record}: ${table}'); END`
      );
    }
    stmts.push(`DROP TRIGGER IF EXISTS ${prefix}_no_delete`);
    stmts.push(`CREATE TRIGGER ${prefix}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${MSG.record}: ${table}'); END`);
  }
  for (const col of originalColumns) {
    const name = `minyi_complaints_frozen_${col}`;
    stmts.push(`DROP TRIGGER IF EXISTS ${name}`);
    // IS NOT compares raw stored values, so unchanged originals must not be rewritten in another
    // form; the upper layers strip them from every update.
    stmts.push(
      `CREATE TRIGGER ${name} BEFORE UPDATE OF ${col} ON ${TABLE.complaint} FOR EACH ROW ` +
        `WHEN NEW.${col} IS NOT OLD.${col} ` +
        `BEGIN SELECT RAISE(ABORT, '${MSG.frozen}: ${col}'); END`
    );
  }
  stmts.push('DROP TRIGGER IF EXISTS minyi_complaints_no_delete');
  stmts.push(
    `CREATE TRIGGER minyi_complaints_no_delete BEFORE DELETE ON ${TABLE.complaint} ` +
      `BEGIN SELECT RAISE(ABORT, '${MSG.noDelete}'); END`
  );
  stmts.push('DROP TRIGGER IF EXISTS minyi_events_no_update');
  stmts.push(
    `CREATE TRIGGER minyi_events_no_update BEFORE UPDATE ON ${TABLE.event} ` +
      `BEGIN SELECT RAISE(ABORT, '${MSG.history}'); END`
  );
  stmts.push('DROP TRIGGER IF EXISTS minyi_events_no_delete');
  stmts.push(
    `CREATE TRIGGER minyi_events_no_delete BEFORE DELETE ON ${TABLE.event} ` +
      `BEGIN SELECT RAISE(ABORT, '${MSG.history}'); END`
  );
  return stmts;
};

export const PG_TRIGGER_NAMES = [
  'minyi_complaints_guard_row',
  'minyi_complaints_guard_truncate',
  'minyi_events_guard_row',
  'minyi_events_guard_truncate',
  ...Object.values(APPEND_ONLY_TABLES).flatMap((t) => [`${t.prefix}_guard_row`, `${t.prefix}_guard_truncate`]),
];

const pgRecordStatements = (): string[] =>
  Object.entries(APPEND_ONLY_TABLES).flatMap(([table, { prefix, mutable }]) => [
    // Row images compared without the mutable columns: a new column is frozen by default.
    `CREATE OR REPLACE FUNCTION ${prefix}_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - ARRAY[${mutable.map((c) => `'${c}'`).join(', ')}]::text[]) = (to_jsonb(OLD) - ARRAY[${mutable.map((c) => `'${c}'`).join(', ')}]::text[]) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '${MSG.record}: ${table}' USING ERRCODE = '${PG_TRIGGER_SQLSTATE}';
END
$fn$`,
    `DROP TRIGGER IF EXISTS ${prefix}_guard_row ON ${table}`,
    `CREATE TRIGGER ${prefix}_guard_row BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ${prefix}_guard()`,
    `DROP TRIGGER IF EXISTS ${prefix}_guard_truncate ON ${table}`,
    `CREATE TRIGGER ${prefix}_guard_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${prefix}_guard()`,
  ]);

const pgStatements = (): string[] => {
  const changedChecks = originalColumns
    .map((c) => `    IF NEW.${c} IS DISTINCT FROM OLD.${c} THEN changed := array_append(changed, '${c}'); END IF;`)
    .join('\n');
  return [
    `CREATE OR REPLACE FUNCTION minyi_complaints_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  changed text[] := ARRAY[]::text[];
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION '${MSG.noTruncate}' USING ERRCODE = '${PG_TRIGGER_SQLSTATE}';
  ELSIF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '${MSG.noDelete}' USING ERRCODE = '${PG_TRIGGER_SQLSTATE}';
  ELSE
${changedChecks}
    IF array_length(changed, 1) > 0 THEN
      RAISE EXCEPTION '${MSG.frozen}: %', array_to_string(changed, ', ') USING ERRCODE = '${PG_TRIGGER_SQLSTATE}';
    END IF;
    RETURN NEW;
  END IF;
END
$fn$`,
    `CREATE OR REPLACE FUNCTION minyi_events_guard() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '${MSG.history}' USING ERRCODE = '${PG_TRIGGER_SQLSTATE}';
END
$fn$`,
    `DROP TRIGGER IF EXISTS minyi_complaints_guard_row ON ${TABLE.complaint}`,
    `CREATE TRIGGER minyi_complaints_guard_row BEFORE UPDATE OR DELETE ON ${TABLE.complaint} FOR EACH ROW EXECUTE FUNCTION minyi_complaints_guard()`,
    `DROP TRIGGER IF EXISTS minyi_complaints_guard_truncate ON ${TABLE.complaint}`,
    `CREATE TRIGGER minyi_complaints_guard_truncate BEFORE TRUNCATE ON ${TABLE.complaint} FOR EACH STATEMENT EXECUTE FUNCTION minyi_complaints_guard()`,
    `DROP TRIGGER IF EXISTS minyi_events_guard_row ON ${TABLE.event}`,
    `CREATE TRIGGER minyi_events_guard_row BEFORE UPDATE OR DELETE ON ${TABLE.event} FOR EACH ROW EXECUTE FUNCTION minyi_events_guard()`,
    `DROP TRIGGER IF EXISTS minyi_events_guard_truncate ON ${TABLE.event}`,
    `CREATE TRIGGER minyi_events_guard_truncate BEFORE TRUNCATE ON ${TABLE.event} FOR EACH STATEMENT EXECUTE FUNCTION minyi_events_guard()`,
  ];
};

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Creates (or re-creates) every trigger. Safe to run on every boot, by several instances. */
  async ensure(): Promise<void> {
    const knex = strapi.db.connection;
    if (isPostgres(strapi)) {
      await knex.transaction(async (trx) => {
        // Several instances may boot at once; one at a time replaces the triggers.
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', ['minyi:triggers']);
        for (const sql of [...pgStatements(), ...pgRecordStatements()]) await trx.raw(sql);
      });
      return;
    }
    const columns: Record<string, string[]> = {};
    for (const table of RECORD_TABLES) {
      columns[table] = ((await knex.raw(`PRAGMA table_info(${table})`)) as Array<{ name: string }>).map((c) => c.name);
    }
    await knex.transaction(async (trx) => {
      for (const sql of [...sqliteStatements(columns), ...sqliteKeywordStatements()]) await trx.raw(sql);
    });
  },

  /** Names of the ledger's triggers that exist now (used by tests and `ledger:verify`). */
  async list(): Promise<string[]> {
    const knex = strapi.db.connection;
    if (isPostgres(strapi)) {
      const res = await knex.raw(
        `SELECT t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         WHERE NOT t.tgisinternal AND c.relname IN (${[TABLE.complaint, TABLE.event, ...RECORD_TABLES].map(() => '?').join(', ')}) AND t.tgname LIKE 'minyi_%' ORDER BY 1`,
        [TABLE.complaint, TABLE.event, ...RECORD_TABLES]
      );
      return (res.rows as { name: string }[]).map((r) => r.name);
    }
    const rows = (await knex.raw(
      `SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'minyi_%' ORDER BY name`
    )) as { name: string }[];
    return rows.map((r) => r.name);
  },

  expected(): string[] {
    return [...(isPostgres(strapi) ? PG_TRIGGER_NAMES : SQLITE_TRIGGER_NAMES)].sort();
  },
});
