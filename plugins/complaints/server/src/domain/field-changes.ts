/**
 * Which fields a write really changes. Values are compared in one normal form per attribute
 * type, because drivers store and return them differently (SQLite: epoch milliseconds and 0/1;
 * PostgreSQL: Date objects and booleans; the Content Manager: ISO strings).
 */
export type AttributeType = 'string' | 'text' | 'enumeration' | 'datetime' | 'date' | 'boolean' | 'integer' | 'decimal' | 'biginteger' | 'json' | 'relation' | 'media' | string;

const stable = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stable(o[k])}`).join(',')}}`;
};

export const normalizeValue = (type: AttributeType, value: unknown): string | number | boolean | null => {
  if (value === undefined || value === null || value === '') return null;
  switch (type) {
    case 'datetime': {
      let d: Date;
      if (value instanceof Date) d = value;
      else if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) d = new Date(Number(value));
      else {
        const s = String(value);
        d = new Date(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(s) && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? `${s.replace(' ', 'T')}Z` : s);
      }
      return Number.isNaN(d.getTime()) ? String(value) : d.toISOString();
    }
    case 'date':
      return value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10);
    case 'boolean':
      return value === true || value === 1 || value === '1' || value === 'true';
    case 'integer':
    case 'decimal':
    case 'biginteger': {
      const n = Number(value);
      return Number.isNaN(n) ? String(value) : n;
    }
    case 'json':
      if (typeof value === 'string') {
        try {
          return stable(JSON.parse(value));
        } catch {
          return stable(value);
        }
      }
      return stable(value);
    default:
      return String(value);
  }
};

/** A relation in a write: does it connect, disconnect or set anything? */
export const relationWriteIsEmpty = (value: unknown): boolean => {
  if (value === undefined) return true;
  if (value === null) return false;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v);
  if (keys.length === 0) return true;
  // `{ count: n }` is how the Content Manager reads a relation back; sending it changes nothing.
  if (keys.length === 1 && keys[0] === 'count') return true;
  return keys.every((k) => ['connect', 'disconnect'].includes(k) && Array.isArray(v[k]) && (v[k] as unknown[]).length === 0);
};

export interface FieldChange {
  from: string | number | boolean | null;
  to: string | number | boolean | null;
}

/** The scalar fields of `patch` whose normalised value differs from `before`. */
export const scalarChanges = (
  types: Record<string, AttributeType>,
  before: Record<string, unknown>,
  patch: Record<string, unknown>
): Record<string, FieldChange> => {
  const out: Record<string, FieldChange> = {};
  for (const [field, value] of Object.entries(patch)) {
    const type = types[field];
    if (!type || type === 'relation' || type === 'media') continue;
    const from = normalizeValue(type, before[field]);
    const to = normalizeValue(type, value);
    if (from !== to) out[field] = { from, to };
  }
  return out;
};
