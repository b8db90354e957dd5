/**
 * 受理: the unit accepts a demand as individual or common; a common one joins one of the unit's
 * problem groups of the same category. The response clock stops.
 */
import { NATURES, type Nature } from '../terms';
import { invalid, oneOf, parseFields } from './input';
import type { Verb } from './types';

const fields = { nature: oneOf('nature', '个性/共性', NATURES) };

export const accept: Verb<{ nature: Nature }> = {
  action: 'accept',
  input(raw) {
    const parsed = parseFields(raw, fields);
    if (parsed.nature === 'common' && (raw.problemGroup === undefined || raw.problemGroup === null || raw.problemGroup === '')) {
      throw invalid('missing_input', '共性问题需要选择共性问题小类（problemGroup）', 'A common complaint needs its problem group', { field: 'problemGroup' });
    }
    return parsed;
  },
  plan(c, { nature }, facts) {
    let problemGroupId: number | null = null;
    if (nature === 'common') {
      const g = facts.problemGroup;
      // Another unit's group answers as an unknown one: its existence is not revealed.
      if (!g || g.unitId !== c.responsibleUnitId) throw invalid('invalid_input', '共性问题小类不存在或不属于本单位', 'No such problem group in your unit', { field: 'problemGroup' });
      if (g.categoryCode && c.categoryCode && g.categoryCode !== c.categoryCode) {
        throw invalid('invalid_input', `共性问题小类属于类别 ${g.categoryCode}，诉求属于 ${c.categoryCode}`, `The problem group is in category ${g.categoryCode}, the complaint in ${c.categoryCode}`, { field: 'problemGroup' });
      }
      problemGroupId = g.id;
    }
    return {
      patch: { nature, acceptedAt: facts.now, problemGroupId, warningLevel: 'none' },
      relations: { problemGroup: problemGroupId },
      eventData: { nature, problemGroupId },
    };
  },
};
