/**
 * Formula injection: a cell that starts with =, +, -, @ (or a tab or carriage return) is run as
 * a formula by spreadsheet programs. Minyi stores such cells as text, and every file it writes
 * (CSV, xlsx) escapes them with a leading apostrophe, which spreadsheets show as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export const escapeFormula = <T>(value: T): T | string => (typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value);

/**
 * One CSV cell (RFC 4180): empty for null, formula-looking text escaped as above, and quoted
 * (inner quotes doubled) when it holds a quote, a comma or a line break.
 */
export const csvCell = (value: unknown): string => {
  const s = String(escapeFormula(value === null || value === undefined ? '' : String(value)));
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
