/** 审核通过: the lead unit approves the measure; rectification starts against its deadline. */
import { invalid, optionalText, parseFields } from './input';
import { rectifyingLevel } from './rectifying-level';
import type { Verb } from './types';

const fields = { comment: optionalText('comment', { max: 2000 }) };

export const approveMeasure: Verb<{ comment: string | null }> = {
  action: 'approve_measure',
  input: (raw) => parseFields(raw, fields),
  plan(c, { comment }, facts) {
    const m = facts.reviewedMeasure;
    if (!m) throw invalid('invalid_input', '没有待审核的整改措施', 'There is no measure under review');
    const { deadline, mode } = m;
    return {
      patch: { deadline, mode, warningLevel: rectifyingLevel(mode, deadline, facts), completedAt: null },
      review: { version: c.measureVersion, decision: 'approved', comment },
      eventData: { version: c.measureVersion, deadline, mode },
    };
  },
};
