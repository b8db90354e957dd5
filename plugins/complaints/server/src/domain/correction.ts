/**
 * Corrections of original fields (更正): which fields may be corrected, what a valid corrected
 * value is, and the hash the public chain records instead of the value.
 */
import { DomainError } from './errors';
import { canonicalJson, sha256Hex } from './history-chain';
import { CHANNELS } from './import-row';
import { CORRECTABLE_FIELDS, type CorrectableField } from './original-fields';
import { parsePhone } from './phone';

export interface ValidCorrection {
  field: CorrectableField;
  value: string;
  reason: string;
}

const isCorrectable = (field: string): field is CorrectableField => (CORRECTABLE_FIELDS as readonly string[]).includes(field);

/**
 * A correction names a correctable field, gives a reason of at least two characters and a
 * non-empty value; a phone must be a valid mobile or landline (stored as digits), a time must
 * parse, a channel must be one of the ledger's channels. Returns the value to store.
 */
export const validateCorrection = (input: { field?: unknown; value?: unknown; reason?: unknown }): ValidCorrection => {
  const field = String(input.field ?? '');
  if (!isCorrectable(field)) {
    throw new DomainError('validation', 'correction_field', `不能更正字段「${field}」`, `Field "${field}" cannot be corrected`, { field, allowed: [...CORRECTABLE_FIELDS] });
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (reason.length < 2) throw new DomainError('validation', 'correction_reason', '请填写更正原因', 'A reason is required', { field });
  const value = typeof input.value === 'string' ? input.value.trim() : input.value === null || input.value === undefined ? '' : String(input.value);
  if (!value) throw new DomainError('validation', 'correction_value', '请填写更正后的值', 'The corrected value is required', { field });
  if (field === 'phone') {
    const p = parsePhone(value);
    if (p.kind !== 'mobile' && p.kind !== 'landline') throw new DomainError('validation', 'correction_phone', '更正后的电话号码无效', 'The corrected phone number is not valid', { field });
    return { field, value: p.normalized!, reason };
  }
  if (field === 'receivedAt' && Number.isNaN(new Date(value).getTime())) {
    throw new DomainError('validation', 'correction_date', '更正后的时间无效', 'The corrected time is not valid', { field });
  }
  if (field === 'channel' && !(CHANNELS as readonly string[]).includes(value)) {
    throw new DomainError('validation', 'correction_channel', `来源应为 ${CHANNELS.join('/')}`, `Channel must be one of ${CHANNELS.join(', ')}`, { field });
  }
  return { field, value, reason };
};

/** The hash of a correction, recorded in the public chain in place of the corrected value. */
export const correctionHash = (c: { ledgerNo: string; field: string; value: string; reason: string; byId: number | null; at: Date }): string =>
  sha256Hex(canonicalJson({ ledgerNo: c.ledgerNo, field: c.field, value: c.value, reason: c.reason, byId: c.byId, at: c.at.toISOString() }));
