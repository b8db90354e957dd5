/**
 * 整改完成: the unit reports the fix done, with evidence covering every aspect its mode requires;
 * the clock stops (the level at completion is kept during sign-off) and sign-off begins.
 */
import { daysBetween } from '../calendar';
import { missingAspects } from '../terms';
import { invalid } from './input';
import type { Verb } from './types';

export const complete: Verb<Record<string, never>> = {
  action: 'complete',
  input: () => ({}),
  plan(c, _input, facts) {
    const aspects = facts.evidenceAspects ?? [];
    if (aspects.length === 0) throw invalid('missing_evidence', '请先上传至少一项成效佐证', 'Upload at least one evidence item first');
    const missing = missingAspects(aspects, facts.requiredAspects ?? []);
    if (missing.length > 0) throw invalid('missing_evidence', `缺少以下方面的成效佐证：${missing.join(', ')}`, `Evidence is missing for: ${missing.join(', ')}`, { missing });
    return {
      patch: { completedAt: facts.now, signStep: 'unit_head' },
      eventData: { evidenceCount: aspects.length, onTime: c.deadline ? daysBetween(facts.today, c.deadline) >= 0 : null },
    };
  },
};
