/** 交办: the county office hands a classified demand to its unit; the response clock starts. */
import { addDays } from '../calendar';
import { warningLevel } from '../warning-level';
import { invalid } from './input';
import type { Verb } from './types';

export const assign: Verb<Record<string, never>> = {
  action: 'assign',
  input: () => ({}),
  plan(c, _input, facts) {
    if (!c.responsibleUnitId || !c.categoryCode) throw invalid('invalid_input', '请先分类并指定责任单位', 'Classify the complaint and choose a responsible unit first');
    if (facts.responseDays === undefined) throw new Error('assign: the response days of the category were not looked up');
    const responseDeadline = addDays(facts.today, facts.responseDays);
    return {
      patch: { assignedAt: facts.now, responseDeadline, acceptedAt: null, warningLevel: warningLevel(responseDeadline, facts.today, facts.responseThresholds) },
      eventData: { responsibleUnitId: c.responsibleUnitId, responseDeadline },
    };
  },
};
