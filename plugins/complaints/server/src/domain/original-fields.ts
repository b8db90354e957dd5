/**
 * The original ledger fields (原始台账字段): what the citizen said, as first recorded.
 * Frozen once the complaint exists. Every guard (document middleware, database lifecycle,
 * database trigger) works from this one list.
 */
import { DomainError } from './errors';

export const ORIGINAL_FIELDS = [
  'ledgerNo',
  'receivedAt',
  'channel',
  'complainantName',
  'phone',
  'town',
  'village',
  'address',
  'content',
  'importBatch',
  'rawRow',
] as const;
export type OriginalField = (typeof ORIGINAL_FIELDS)[number];

/** Database column of each original field (Strapi snake-cases attribute names). */
export const ORIGINAL_COLUMNS: Record<OriginalField, string> = {
  ledgerNo: 'ledger_no',
  receivedAt: 'received_at',
  channel: 'channel',
  complainantName: 'complainant_name',
  phone: 'phone',
  town: 'town',
  village: 'village',
  address: 'address',
  content: 'content',
  importBatch: 'import_batch',
  rawRow: 'raw_row',
};

/** Fields that hold personal data: never in a public response, a log line or an error. */
export const PERSONAL_FIELDS = ['complainantName', 'phone', 'address', 'content', 'rawRow'] as const;

export const isOriginalField = (key: string): key is OriginalField =>
  (ORIGINAL_FIELDS as readonly string[]).includes(key);

const DATETIME_FIELDS: readonly OriginalField[] = ['receivedAt'];
const JSON_FIELDS: readonly OriginalField[] = ['rawRow'];

const stableJson = (value: unknown): string => {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`)
    .join(',')}}`;
};

/**
 * Brings a stored or submitted value to one comparable form. Databases return datetimes as
 * Date objects, ISO strings or epoch milliseconds depending on the driver, and JSON as text or
 * objects; the same instant or document must compare equal.
 */
export const normalizeOriginalValue = (field: OriginalField, value: unknown): string | null => {
  if (value === undefined || value === null || value === '') return null;
  if (DATETIME_FIELDS.includes(field)) {
    let d: Date;
    if (value instanceof Date) d = value;
    else if (typeof value === 'number') d = new Date(value);
    else if (typeof value === 'string' && /^\d+$/.test(value)) d = new Date(Number(value));
    else if (typeof value === 'string') {
      // SQLite may hand back "2024-05-06 02:30:00" (UTC, no zone marker).
      const s = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(value) && !/[zZ]|[+-]\d{2}:?\d{2}$/.test(value)
        ? `${value.replace(' ', 'T')}Z`
        : value;
      d = new Date(s);
    } else return stableJson(value);
    return Number.isNaN(d.getTime()) ? String(value) : d.toISOString();
  }
  if (JSON_FIELDS.includes(field)) {
    if (typeof value === 'string') {
      try {
        return stableJson(JSON.parse(value));
      } catch {
        return stableJson(value);
      }
    }
    return stableJson(value);
  }
  return String(value);
};

export interface OriginalFieldChanges {
  /** Original fields whose value would change: the write must be refused. */
  changed: OriginalField[];
  /** Original fields present in the patch with the stored value: safe to strip. */
  unchanged: OriginalField[];
}

/**
 * Compares values, not key presence: the Content Manager sends the whole document on save,
 * unchanged originals included, and that must succeed.
 */
export const findOriginalFieldChanges = (
  before: Record<string, unknown>,
  patch: Record<string, unknown>
): OriginalFieldChanges => {
  const changed: OriginalField[] = [];
  const unchanged: OriginalField[] = [];
  for (const field of ORIGINAL_FIELDS) {
    if (!Object.prototype.hasOwnProperty.call(patch, field)) continue;
    if (normalizeOriginalValue(field, before[field]) === normalizeOriginalValue(field, patch[field])) {
      unchanged.push(field);
    } else {
      changed.push(field);
    }
  }
  return { changed, unchanged };
};

/** Returns the patch without the unchanged originals; throws if any original would change. */
export const assertOriginalsUnchanged = (
  before: Record<string, unknown>,
  patch: Record<string, unknown>
): Record<string, unknown> => {
  const { changed, unchanged } = findOriginalFieldChanges(before, patch);
  if (changed.length > 0) {
    throw originalFieldsFrozenError(changed);
  }
  if (unchanged.length === 0) return patch;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(patch)) if (!unchanged.includes(k as OriginalField)) rest[k] = v;
  return rest;
};

export const originalFieldsFrozenError = (fields: readonly string[]) =>
  new DomainError(
    'validation',
    'original_fields_frozen',
    `原始台账字段不可修改：${fields.join(', ')}。如需更正，请添加更正记录`,
    `Original ledger fields cannot be changed: ${fields.join(', ')}. Add a correction instead`,
    { fields: [...fields] }
  );

export const deleteForbiddenError = () =>
  new DomainError(
    'validation',
    'complaint_delete_forbidden',
    '诉求不能删除；无效诉求请甄别为「无效」',
    'Complaints are never deleted; screen an invalid one out instead',
    {}
  );
