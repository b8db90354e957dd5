/** 验收不通过: the signer whose turn it is rejects, saying why; rectification resumes. */
import { parseFields, requiredText } from './input';
import { nextSignStep } from './takers';
import type { Verb } from './types';

const fields = { reason: requiredText('reason', '验收不通过原因', { min: 2, max: 2000 }) };

export const rejectSignoff: Verb<{ reason: string }> = {
  action: 'reject_signoff',
  input: (raw) => parseFields(raw, fields),
  plan(c, { reason }) {
    const step = nextSignStep(c);
    return {
      patch: { signStep: null, completedAt: null },
      signOff: { round: c.signRound, step, decision: 'rejected', reason },
      eventData: { step, round: c.signRound, reason },
    };
  },
};
