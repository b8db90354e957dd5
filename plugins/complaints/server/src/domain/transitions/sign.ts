/** 验收签字: the signer whose turn it is signs; the county leader's signature closes the demand. */
import { SIGN_STEPS } from '../complaint-state';
import { optionalText, parseFields } from './input';
import { nextSignStep } from './takers';
import type { Verb } from './types';

const fields = { comment: optionalText('comment', { max: 1000 }) };

export const sign: Verb<{ comment: string | null }> = {
  action: 'sign',
  input: (raw) => parseFields(raw, fields),
  plan(c, { comment }, facts) {
    const step = nextSignStep(c);
    const next = SIGN_STEPS[SIGN_STEPS.indexOf(step) + 1] ?? null;
    const closes = step === 'county_leader';
    return {
      patch: closes ? { signStep: null, closedAt: facts.now } : { signStep: next },
      signOff: { round: c.signRound, step, decision: 'signed', reason: comment },
      eventData: { step, round: c.signRound },
    };
  },
};
