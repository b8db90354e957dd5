/**
 * Bad input at the edge of every route: what is refused before a handler runs (NUL bytes),
 * which failures further in are the client's fault (a value the database cannot store, a body
 * that cannot be parsed), and the positive ids and finite numbers the plugin's own routes take.
 * A failure not recognised here is a server fault and stays a 500.
 */

export interface InputRefusal {
  status: number;
  code: string;
  message: string;
}

export const REFUSALS = {
  nul: { status: 400, code: 'nul_byte', message: '请求中含有空字符（NUL） / The request contains a NUL byte' },
  idFilter: { status: 400, code: 'invalid_id_filter', message: '按 id 筛选的值须为整数编号 / A filter on id needs whole-number ids' },
  value: { status: 400, code: 'invalid_value', message: '请求中的值类型错误或超出范围 / A value in the request has the wrong type or is out of range' },
  body: { status: 400, code: 'malformed_body', message: '请求体无法解析（JSON 或表单格式错误） / The request body could not be parsed (malformed JSON or form data)' },
  tooLarge: { status: 413, code: 'body_too_large', message: '请求体过大 / The request body is too large' },
} as const satisfies Record<string, InputRefusal>;

const NUL = '\u0000';
const MAX_DEPTH = 64;

/** Whether a URL (raw, as sent) carries a NUL byte, literally or percent-encoded. */
export const urlHasNul = (url: string): boolean => url.includes(NUL) || /%00/i.test(url);

/** Whether a parsed body (or any value) holds a NUL byte in a string or a key. Too deep counts as bad. */
export const valueHasNul = (value: unknown, depth = 0): boolean => {
  if (typeof value === 'string') return value.includes(NUL);
  if (value === null || typeof value !== 'object') return false;
  if (depth > MAX_DEPTH) return true;
  if (Array.isArray(value)) return value.some((v) => valueHasNul(v, depth + 1));
  if (Buffer.isBuffer(value)) return false;
  return Object.entries(value as Record<string, unknown>).some(([k, v]) => k.includes(NUL) || valueHasNul(v, depth + 1));
};

/**
 * PostgreSQL SQLSTATE class 22 is "data exception" (invalid text representation, numeric value
 * out of range, datetime field overflow, string too long, NUL in text): the value sent cannot be
 * stored. 54000 is a value too large for an index row.
 */
const PG_DATA_EXCEPTION = /^22[0-9A-Z]{3}$/;
const PG_INPUT_LIMITS = new Set(['54000']);
const SQLITE_INPUT = new Set(['SQLITE_MISMATCH', 'SQLITE_TOOBIG']);
/** Strapi's database layer refuses these values before any SQL runs. */
const STRAPI_DB_INPUT = new Set(['InvalidDateFormat', 'InvalidDatetimeFormat', 'InvalidTimeFormat', 'InvalidRelationFormat']);

interface ErrorLike {
  code?: unknown;
  name?: unknown;
  status?: unknown;
  statusCode?: unknown;
  httpCode?: unknown;
  type?: unknown;
}

const clientStatus = (v: unknown): number | null => (typeof v === 'number' && v >= 400 && v < 500 ? v : null);

/** The refusal for an error caused by the request's input, or null for any other error. */
export const inputRefusalFor = (error: unknown): InputRefusal | null => {
  if (!error || typeof error !== 'object') return null;
  const e = error as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  if (PG_DATA_EXCEPTION.test(code) || PG_INPUT_LIMITS.has(code) || SQLITE_INPUT.has(code)) return REFUSALS.value;
  if (typeof e.name === 'string' && STRAPI_DB_INPUT.has(e.name)) return REFUSALS.value;
  // The body parsers mark their own refusals with a 4xx: co-body (JSON) sets `status`,
  // raw-body adds a `type`, formidable (multipart) sets `httpCode`.
  const parserStatus =
    clientStatus(e.httpCode) ?? (error instanceof SyntaxError || typeof e.type === 'string' ? clientStatus(e.status ?? e.statusCode) : null);
  if (parserStatus === 413) return REFUSALS.tooLarge;
  if (parserStatus !== null) return { ...REFUSALS.body, status: parserStatus };
  return null;
};

/** Row ids are 32-bit integer columns in every database Strapi supports. */
export const MAX_ID = 2_147_483_647;

/** A row id: a positive integer within the id column's range, as a number or decimal digits; else null. */
export const parsePositiveId = (value: unknown): number | null => {
  if (typeof value === 'number') return Number.isInteger(value) && value > 0 && value <= MAX_ID ? value : null;
  if (typeof value !== 'string' || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const n = Number(value);
  return n <= MAX_ID ? n : null;
};

const ID_OPERAND = /^-?\d{1,10}$/;
const idOperandOk = (v: unknown): boolean =>
  (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= MAX_ID) || (typeof v === 'string' && ID_OPERAND.test(v) && Math.abs(Number(v)) <= MAX_ID);
const NULL_OPERATORS = new Set(['$null', '$notNull']);

/**
 * Whether a `filters` query compares `id` (at any depth: $and, $or, relations) with a value an
 * id column cannot hold. PostgreSQL refuses it, SQLite compares it anyway: both get a 400.
 */
export const badIdFilter = (filters: unknown, depth = 0): boolean => {
  if (filters === null || typeof filters !== 'object' || depth > MAX_DEPTH) return false;
  return Object.entries(filters as Record<string, unknown>).some(([key, value]) => {
    if (key !== 'id') return badIdFilter(value, depth + 1);
    if (value === null || typeof value !== 'object') return !idOperandOk(value);
    if (Array.isArray(value)) return !value.every(idOperandOk);
    return Object.entries(value as Record<string, unknown>).some(([op, operand]) => {
      if (NULL_OPERATORS.has(op)) return !['true', 'false', true, false].includes(operand as string | boolean);
      if (op === '$not') return badIdFilter({ id: operand }, depth + 1);
      const list = Array.isArray(operand) ? operand : [operand];
      return !list.every(idOperandOk);
    });
  });
};

/** The largest amount of yuan an evidence item may state: Strapi's decimal column is decimal(10,2). */
export const MAX_AMOUNT = 99_999_999.99;
