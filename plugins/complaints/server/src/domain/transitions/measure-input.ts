/**
 * A rectification measure as the unit submits it (DOMAIN.md, "Measures"): how (the mode), what,
 * who is responsible, and by when; a policy-limited measure has a policy basis and no deadline,
 * a phased one has milestones within the deadline.
 */
import { daysBetween } from '../calendar';
import { MODES, type Mode } from '../terms';
import { dayFromToday, invalid, oneOf, parseField, parseFields, requiredText } from './input';
import type { InputContext, MeasurePlan } from './types';

export type MeasureInput = Omit<MeasurePlan, 'version' | 'reviewState'>;

const fields = {
  mode: oneOf('mode', '整改方式', MODES),
  text: requiredText('text', '整改措施', { min: 4, max: 4000 }),
  responsiblePerson: requiredText('responsiblePerson', '责任人', { max: 100 }),
};
const policyRef = requiredText('policyRef', '政策依据', { max: 255 });

export const measureInput = (raw: Record<string, unknown>, { today }: InputContext): MeasureInput => {
  const { mode, text, responsiblePerson } = parseFields(raw, fields) as { mode: Mode; text: string; responsiblePerson: string };
  let deadline: string | null = null;
  let ref: string | null = null;
  let milestones: MeasureInput['milestones'] = null;
  if (mode === 'policy_limited') {
    ref = parseField(raw.policyRef, policyRef);
    if (raw.deadline) throw invalid('invalid_input', '政策限制类措施没有整改期限', 'A policy_limited measure has no deadline', { field: 'deadline' });
  } else {
    deadline = parseField(raw.deadline, dayFromToday('deadline', '整改期限', today));
  }
  if (mode === 'phased') {
    const list = raw.milestones;
    if (!Array.isArray(list) || list.length === 0) throw invalid('missing_input', '分期整改需要阶段计划（milestones）', 'A phased measure needs milestones', { field: 'milestones' });
    const due = dayFromToday('milestones.due', '阶段期限', today);
    milestones = list.map((m, i) => {
      const title = typeof m?.title === 'string' ? m.title.trim() : '';
      if (!title) throw invalid('invalid_input', `第 ${i + 1} 个阶段缺少名称`, `Milestone ${i + 1} has no title`, { field: 'milestones' });
      const day = m?.due ? parseField(m.due, due) : null;
      if (day && deadline && daysBetween(day, deadline) < 0) throw invalid('invalid_input', `第 ${i + 1} 个阶段期限晚于整改期限`, `Milestone ${i + 1} is due after the deadline`, { field: 'milestones' });
      return { title, due: day };
    });
  }
  return { mode, text, responsiblePerson, deadline, policyRef: ref, milestones };
};
