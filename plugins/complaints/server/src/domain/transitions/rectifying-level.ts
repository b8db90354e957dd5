import { CLOCK_STATES, jobWarningLevel } from '../warning-level';
import type { TransitionFacts } from './types';

/** The level a complaint starts `rectifying` with: the warning job's rule, as of today. */
export const rectifyingLevel = (mode: string | null | undefined, deadline: string | null, facts: TransitionFacts) =>
  jobWarningLevel({ state: CLOCK_STATES.measure, mode, deadline }, facts.today, {
    measure: facts.measureThresholds,
    response: facts.responseThresholds,
  }) ?? 'none';
