/** 退回措施: the lead unit returns the measure under review, with its comment. */
import { parseFields, requiredText } from './input';
import type { Verb } from './types';

const fields = { comment: requiredText('comment', '退回意见', { min: 2, max: 2000 }) };

export const returnMeasure: Verb<{ comment: string }> = {
  action: 'return_measure',
  input: (raw) => parseFields(raw, fields),
  plan: (c, { comment }) => ({
    patch: { returnCount: c.returnCount + 1 },
    review: { version: c.measureVersion, decision: 'returned', comment },
    eventData: { version: c.measureVersion, comment },
  }),
};
