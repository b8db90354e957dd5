/** 甄别为无效: the county office screens a received demand out, with a reason. */
import { INVALID_REASONS } from '../terms';
import { invalid, oneOf, optionalText, parseField, parseFields, requiredText } from './input';
import type { Verb } from './types';

const fields = {
  reason: oneOf('reason', '无效原因', INVALID_REASONS),
  note: optionalText('note', { max: 1000 }),
};
const duplicateOf = requiredText('duplicateOf', '重复的原诉求编号', { max: 64 });

export const screenInvalid: Verb<{ reason: (typeof INVALID_REASONS)[number]; note: string | null; duplicateOf: string | null }> = {
  action: 'screen_invalid',
  input(raw) {
    const { reason, note } = parseFields(raw, fields);
    if (reason === 'other' && !note) throw invalid('missing_input', '原因为「其他」时必须填写说明', 'A note is required when the reason is "other"', { field: 'note' });
    return { reason, note, duplicateOf: reason === 'duplicate' ? parseField(raw.duplicateOf, duplicateOf) : null };
  },
  plan(c, { reason, note, duplicateOf: original }, facts) {
    if (reason === 'duplicate') {
      if (original === c.ledgerNo) throw invalid('invalid_input', '不能与自身重复', 'A complaint cannot duplicate itself', { field: 'duplicateOf' });
      if (!facts.duplicateOfExists) throw invalid('invalid_input', `原诉求 ${original} 不存在`, `Original complaint ${original} does not exist`, { field: 'duplicateOf' });
    }
    return { patch: { invalidReason: reason, invalidNote: note, duplicateOf: original }, eventData: { reason, duplicateOf: original, note } };
  },
};
