/**
 * The original ledger fields (原始台账字段): what the citizen said, as first recorded.
 * Frozen once the complaint exists. Every guard (document middleware, database lifecycle,
 * database trigger) works from this one list.
 */
import { DomainError } from './errors';
import { normalizeValue, type AttributeType } from './field-changes';

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

/**
 * What the citizen said and when: the originals a correction (更正) may change, and the ones an
 * import compares to tell a row already present from a conflict (domain/import-match.ts). Not the
 * ledger number (the key), nor what an import itself records (its batch, the raw row).
 */
export const CORRECTABLE_FIELDS = ['receivedAt', 'channel', 'complainantName', 'phone', 'town', 'village', 'address', 'content'] as const satisfies readonly OriginalField[];
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

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

const TYPES: Record<OriginalField, AttributeType> = {
  ledgerNo: 'string',
  receivedAt: 'datetime',
  channel: 'enumeration',
  complainantName: 'string',
  phone: 'string',
  town: 'string',
  village: 'string',
  address: 'string',
  content: 'text',
  importBatch: 'string',
  rawRow: 'json',
};

/**
 * Brings a stored or submitted value to one comparable form. Databases return datetimes as
 * Date objects, ISO strings or epoch milliseconds depending on the driver, and JSON as text or
 * objects; the same instant or document must compare equal.
 */
export const normalizeOriginalValue = (field: OriginalField, value: unknown): string | number | boolean | null =>
  normalizeValue(TYPES[field], value);

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
