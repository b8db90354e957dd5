/**
 * System fields: identity, timestamps, the chain head and counters. Set by Strapi or by the
 * workflow, never by a request. The Content Manager sends them back unchanged on save, which
 * must succeed; a different value is refused, naming the field.
 */
import { DomainError } from './errors';
import { normalizeValue, type AttributeType } from './field-changes';

/** Fields Strapi owns on every document (the workflow's own ones are domain/workflow-fields.ts). */
export const SYSTEM_FIELDS: Record<string, AttributeType> = {
  id: 'integer',
  documentId: 'string',
  createdAt: 'datetime',
  updatedAt: 'datetime',
  publishedAt: 'datetime',
  locale: 'string',
};

export const findSystemFieldChanges = (
  before: Record<string, unknown>,
  patch: Record<string, unknown>
): { changed: string[]; unchanged: string[] } => {
  const changed: string[] = [];
  const unchanged: string[] = [];
  for (const [field, type] of Object.entries(SYSTEM_FIELDS)) {
    if (!Object.prototype.hasOwnProperty.call(patch, field)) continue;
    // An absent value (undefined / null) sets nothing; Strapi keeps its own.
    if (patch[field] === undefined || patch[field] === null || normalizeValue(type, before[field]) === normalizeValue(type, patch[field])) unchanged.push(field);
    else changed.push(field);
  }
  return { changed, unchanged };
};

/** On create, a system field may only be absent: Strapi assigns them. */
export const systemFieldsOnCreate = (data: Record<string, unknown>): string[] =>
  Object.keys(SYSTEM_FIELDS).filter((f) => data[f] !== undefined && data[f] !== null);

export const systemFieldsReadonlyError = (fields: readonly string[]) =>
  new DomainError(
    'validation',
    'system_fields_readonly',
    `以下系统字段不可修改：${fields.join(', ')}`,
    `These system fields cannot be written: ${fields.join(', ')}`,
    { fields: [...fields] }
  );
