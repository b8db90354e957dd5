/**
 * Spreadsheet cell values as exceljs's streaming reader hands them over (strings, numbers,
 * booleans, rich text, formulas with their cached result, hyperlinks, errors), brought to plain
 * values. Formulas are never evaluated: the cached result is used, or the formula as text.
 */
export type PlainCell = string | number | boolean | Date | null;

/** NUL characters cannot be stored in PostgreSQL text; they never carry meaning in a ledger. */
// eslint-disable-next-line no-control-regex -- NUL is exactly the character removed
export const withoutNul = (s: string): string => (s.indexOf('\u0000') >= 0 ? s.replace(/\u0000/g, '') : s);

export const plainCell = (v: unknown): PlainCell => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return withoutNul(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as Array<{ text?: string }>).map((r) => r.text ?? '').join('');
    if ('formula' in o || 'sharedFormula' in o) {
      const result = o.result;
      if (result !== undefined && result !== null && typeof result !== 'object') return result as PlainCell;
      if (result && typeof result === 'object' && 'error' in (result as object)) return String((result as { error: unknown }).error);
      return `=${String(o.formula ?? o.sharedFormula ?? '')}`;
    }
    if ('text' in o) return plainCell(o.text);
    if ('error' in o) return String(o.error);
  }
  return String(v);
};

/** The text of a plain cell (numbers without exponent), as used for header names. */
export const cellString = (v: PlainCell): string | null => {
  if (v === null) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v).toString();
  return String(v);
};

/** A plain cell as stored verbatim in rawRow (JSON). */
export const rawCell = (v: PlainCell): string | number | boolean | null => (v instanceof Date ? v.toISOString() : v);
