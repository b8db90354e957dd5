/**
 * SQL of the keyword index (domain/keyword.ts says the rule), shared by its migration and by the
 * SQLite triggers that keep it in sync (services/triggers.ts).
 *
 * PostgreSQL: `minyi_zh_norm(text)` is the normalisation (NFKC, ASCII lower case under the "C"
 * collation so the database's locale plays no part, whitespace dropped); `minyi_zh_bigrams(text)`
 * the normalised text's 2-character pieces as `text[]`, under a GIN index. PostgreSQL keeps an
 * expression index up to date itself.
 *
 * SQLite: a contentless FTS5 table whose rowid is the complaint's id, with two columns of terms
 * (each character as its code point in hex, each bigram as two of them joined by `x`): `bigrams`
 * in text order, for phrase queries, and `unigrams`, for 1-character needles. SQLite has no NFKC,
 * so the text is folded character by character through `minyi_keyword_folds` (filled from the
 * domain rule). Triggers cannot use WITH, so the character positions come from `json_each` over
 * an array of L zeros built from `zeroblob(L)`.
 */
export const PG_INDEX = 'minyi_complaints_keyword_gin';
/** The characters' index, for 1-character keywords (2026-12-04-keyword-chars.ts). */
export const PG_CHARS_INDEX = 'minyi_complaints_keyword_chars_gin';
export const SQLITE_FTS = 'minyi_complaints_keyword';
export const SQLITE_FOLDS = 'minyi_keyword_folds';

export const pgFunctionStatements = (): string[] => [
  // JavaScript's \s after NFKC: the ASCII spaces and U+1680, U+2028, U+2029, U+FEFF.
  `CREATE OR REPLACE FUNCTION minyi_zh_norm(t text) RETURNS text
   LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
   AS $fn$ SELECT regexp_replace(lower(normalize(t, NFKC) COLLATE "C"), E'[\\\\t\\\\n\\\\v\\\\f\\\\r \\\\u1680\\\\u2028\\\\u2029\\\\ufeff]+', '', 'g') $fn$`,
  // GIN keeps each key once per row, so no DISTINCT is needed. The high cost tells the planner
  // that computing it row by row (a sequential scan) is far dearer than reading the index.
  `CREATE OR REPLACE FUNCTION minyi_zh_bigrams(t text) RETURNS text[]
   LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
   AS $fn$ SELECT ARRAY(SELECT substr(s.n, i, 2) FROM (SELECT minyi_zh_norm(t) AS n) s, generate_series(1, length(s.n) - 1) AS i) $fn$`,
];

/** The normalised text's characters as `text[]`, for the 1-character keyword index (GIN keeps each once per row). */
export const pgCharsFunctionStatement = (): string =>
  `CREATE OR REPLACE FUNCTION minyi_zh_chars(t text) RETURNS text[]
   LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000
   AS $fn$ SELECT string_to_array(minyi_zh_norm(t), NULL) $fn$`;

/** Positions 0 … L − 1 as the `key` column of json_each (none when L ≤ 0). */
const positions = (length: string): string => `json_each('[' || rtrim(replace(hex(zeroblob(${length})), '00', '0,'), ',') || ']')`;

/** The normalised text of a content expression, folded character by character. */
export const sqliteNormExpr = (content: string): string =>
  `coalesce((SELECT group_concat(coalesce(f.folded, c.ch), '' ORDER BY c.i)
     FROM (SELECT p.key AS i, substr(${content}, p.key + 1, 1) AS ch FROM ${positions(`length(${content})`)} p) c
     LEFT JOIN ${SQLITE_FOLDS} f ON f.ch = c.ch), '')`;

/** The `bigrams` column's terms of a normalised text expression. */
export const sqliteBigramTerms = (norm: string): string =>
  `(SELECT group_concat(printf('%xx%x', unicode(substr(${norm}, p.key + 1, 1)), unicode(substr(${norm}, p.key + 2, 1))), ' ' ORDER BY p.key)
     FROM ${positions(`length(${norm}) - 1`)} p)`;

/** The `unigrams` column's terms of a normalised text expression. */
export const sqliteCharTerms = (norm: string): string =>
  `(SELECT group_concat(printf('%x', unicode(substr(${norm}, p.key + 1, 1))), ' ' ORDER BY p.key)
     FROM ${positions(`length(${norm})`)} p)`;

/** Indexes one complaint (inside a trigger: `id` and `content` are NEW.id and NEW.content). */
export const sqliteIndexRow = (id: string, content: string): string =>
  `INSERT INTO ${SQLITE_FTS}(rowid, bigrams, unigrams)
   SELECT ${id}, ${sqliteBigramTerms('t.n')}, ${sqliteCharTerms('t.n')} FROM (SELECT ${sqliteNormExpr(content)} AS n) t`;

/** Indexes every complaint with a content that the index does not hold yet. */
export const sqliteIndexMissing = (table: string): string =>
  `INSERT INTO ${SQLITE_FTS}(rowid, bigrams, unigrams)
   SELECT t.id, ${sqliteBigramTerms('t.n')}, ${sqliteCharTerms('t.n')}
   FROM (SELECT x.id, ${sqliteNormExpr('x.content')} AS n FROM ${table} x
         WHERE x.content IS NOT NULL AND x.id NOT IN (SELECT rowid FROM ${SQLITE_FTS})) t`;
