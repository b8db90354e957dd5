/**
 * Keyword search in complaints' content, through the keyword index
 * (database/migrations/2026-12-03-keyword-index.ts; the rule is domain/keyword.ts). The filter
 * module calls `keywordCondition`; nothing else here touches the needle, and it reaches the
 * database only as a bound parameter (never in SQL text, never in a log line).
 */
import type { Knex } from 'knex';
import { containsPattern, keywordQuery } from '../domain/keyword';
import { SQLITE_FTS } from '../database/migrations/keyword-sql';

const isPostgresClient = (qb: Knex.QueryBuilder): boolean => ((qb as unknown as { client?: { dialect?: string } }).client?.dialect ?? '') === 'postgresql';

/** `c.content` → `c.id`, `content` → `id`: the complaint's id beside its content column. */
const idColumnBeside = (column: string): string => {
  const dot = column.lastIndexOf('.');
  return dot < 0 ? 'id' : `${column.slice(0, dot)}.id`;
};

/**
 * Adds to `qb` the condition "the complaint's content contains `needle`" (normalised as the
 * domain says: NFKC, ASCII case, whitespace dropped), on the complaints' content `column`
 * ('c.content' or 'content'). A needle that is empty once normalised adds no condition.
 *
 * PostgreSQL: `minyi_zh_bigrams(content) @> minyi_zh_bigrams(needle)` through the GIN index; a
 * needle of 3 or more characters is then checked as a substring of the content as written or,
 * failing that, of the normalised content (its bigrams may stand apart); a 1-character needle is
 * looked up in the GIN index of the content's characters, `minyi_zh_chars(content) @> ARRAY[c]`
 * (database/migrations/2026-12-04-keyword-chars.ts).
 * SQLite: the complaint's id among the FTS5 matches of the needle's phrase of bigram terms (or of
 * its one character), exact as it stands.
 */
export const keywordCondition = (qb: Knex.QueryBuilder, column: string, needle: string): Knex.QueryBuilder => {
  const q = keywordQuery(needle);
  if (q.kind === 'all') return qb;
  if (!isPostgresClient(qb)) {
    return qb.whereRaw(`?? IN (SELECT rowid FROM ${SQLITE_FTS} WHERE ${SQLITE_FTS} MATCH ?)`, [idColumnBeside(column), q.fts]);
  }
  if (q.kind === 'char') return qb.whereRaw('minyi_zh_chars(??) @> ARRAY[?]::text[]', [column, q.needle]);
  if ([...q.needle].length === 2) return qb.whereRaw('minyi_zh_bigrams(??) @> minyi_zh_bigrams(?)', [column, q.needle]);
  // The raw content is tried first: most candidates hold the needle as written, and normalising
  // each candidate costs more than the whole index lookup for a common phrase.
  const pattern = containsPattern(q.needle);
  return qb.whereRaw(`(minyi_zh_bigrams(??) @> minyi_zh_bigrams(?) AND (?? LIKE ? ESCAPE '\\' OR minyi_zh_norm(??) LIKE ? ESCAPE '\\'))`, [
    column,
    q.needle,
    column,
    pattern,
    column,
    pattern,
  ]);
};
