/**
 * Formula injection: a cell that starts with =, +, -, @ (or a tab or carriage return) is run as
 * a formula by spreadsheet programs. Minyi stores such cells as text, and every file it writes
 * (CSV, xlsx) escapes them with a leading apostrophe, which spreadsheets show as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export const looksLikeFormula = (value: unknown): boolean => typeof value === 'string' && FORMULA_START.test(value);

export const escapeFormula = <T>(value: T): T | string => (typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value);
