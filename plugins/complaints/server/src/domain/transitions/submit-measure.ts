/** 提交整改措施: the unit submits its measure for the lead unit's review (a new version). */
import { UNDER_REVIEW } from '../terms';
import { measureInput, type MeasureInput } from './measure-input';
import type { PlanBody, Verb } from './types';

export const measurePlan = (c: { measureVersion: number }, m: MeasureInput): PlanBody => {
  const version = c.measureVersion + 1;
  return { patch: { mode: m.mode }, measure: { version, reviewState: UNDER_REVIEW, ...m }, eventData: { version, mode: m.mode, deadline: m.deadline, policyRef: m.policyRef } };
};

export const submitMeasure: Verb<MeasureInput> = {
  action: 'submit_measure',
  input: measureInput,
  plan: measurePlan,
};
