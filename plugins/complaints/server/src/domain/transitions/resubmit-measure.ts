/** 重新提交措施: after a return, the unit submits a revised measure (the old versions are kept). */
import { measureInput, type MeasureInput } from './measure-input';
import { measurePlan } from './submit-measure';
import type { Verb } from './types';

export const resubmitMeasure: Verb<MeasureInput> = {
  action: 'resubmit_measure',
  input: measureInput,
  plan: measurePlan,
};
