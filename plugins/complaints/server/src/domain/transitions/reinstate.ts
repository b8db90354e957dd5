/** 恢复为待甄别: the county office takes an invalid demand back, saying why. */
import { parseFields, requiredText } from './input';
import type { Verb } from './types';

const fields = { note: requiredText('note', '恢复原因', { max: 1000 }) };

export const reinstate: Verb<{ note: string }> = {
  action: 'reinstate',
  input: (raw) => parseFields(raw, fields),
  plan: (_c, { note }) => ({ patch: { invalidReason: null, invalidNote: null, duplicateOf: null }, eventData: { note } }),
};
