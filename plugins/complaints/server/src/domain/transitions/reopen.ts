/** 重新整改: a closed demand is reopened with a reason and a new deadline (the citizen's dissatisfaction, a spot check). */
import { dayFromToday, parseFields, requiredText } from './input';
import { rectifyingLevel } from './rectifying-level';
import type { Verb } from './types';

const fields = (today: string) => ({
  reason: requiredText('reason', '重新整改原因', { min: 2, max: 2000 }),
  deadline: dayFromToday('deadline', '新的整改期限', today),
});

export const reopen: Verb<{ reason: string; deadline: string }> = {
  action: 'reopen',
  input: (raw, { today }) => parseFields(raw, fields(today)),
  plan(c, { reason, deadline }, facts) {
    const reopenCount = c.reopenCount + 1;
    return {
      patch: { reopenCount, deadline, closedAt: null, completedAt: null, signStep: null, warningLevel: rectifyingLevel(c.mode, deadline, facts), satisfaction: null },
      eventData: { reason, deadline, reopenCount },
    };
  },
};
