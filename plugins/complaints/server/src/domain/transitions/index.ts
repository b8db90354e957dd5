/**
 * The verbs of the handling workflow, one file each, and the one way to plan a transition:
 * the state allows the verb (complaint-state.ts), the actor takes it (takers.ts), the input
 * passes the verb's check, then the verb plans what to write. Pure: the service gathers the
 * facts and applies the plan in one transaction.
 */
import { assertTransition, isAction, type ComplaintState, type TransitionAction } from '../complaint-state';
import { DomainError } from '../errors';
import { accept } from './accept';
import { approveMeasure } from './approve-measure';
import { assign } from './assign';
import { classify } from './classify';
import { complete } from './complete';
import { confirmReopen } from './confirm-reopen';
import { reinstate } from './reinstate';
import { rejectReopen } from './reject-reopen';
import { rejectSignoff } from './reject-signoff';
import { reopen } from './reopen';
import { resubmitMeasure } from './resubmit-measure';
import { returnMeasure } from './return-measure';
import { screenInvalid } from './screen-invalid';
import { sendBack } from './send-back';
import { sign } from './sign';
import { submitMeasure } from './submit-measure';
import { mayTake, nextSignStep } from './takers';
import type { ActorContext, ComplaintView, TransitionFacts, TransitionPlan, Verb } from './types';

export const VERBS: Readonly<Record<TransitionAction, Verb<any>>> = {
  screen_invalid: screenInvalid,
  reinstate,
  classify,
  assign,
  send_back: sendBack,
  accept,
  submit_measure: submitMeasure,
  return_measure: returnMeasure,
  resubmit_measure: resubmitMeasure,
  approve_measure: approveMeasure,
  complete,
  sign,
  reject_signoff: rejectSignoff,
  reopen,
  confirm_reopen: confirmReopen,
  reject_reopen: rejectReopen,
};

/**
 * Plans one transition: checks the state, the actor's role and unit, and the inputs, and
 * returns what to write. Throws a DomainError (validation → 400, forbidden → 403).
 */
export const planTransition = (
  c: ComplaintView,
  action: string,
  input: Record<string, unknown>,
  actor: ActorContext,
  facts: TransitionFacts
): TransitionPlan => {
  const signStep = c.state === 'signing' ? nextSignStep(c) : undefined;
  const early = isAction(action) ? VERBS[action] : undefined;
  if (early?.precondition && mayTake(early.action, c, actor)) early.precondition(c, facts);
  const to = assertTransition(c.state, action, { signStep });
  const verb = VERBS[action as TransitionAction];
  if (!mayTake(verb.action, c, actor)) {
    throw new DomainError(
      'forbidden',
      'forbidden_transition',
      `您的角色或单位不能对诉求 ${c.ledgerNo} 执行此操作`,
      `Your role or unit may not take "${action}" on complaint ${c.ledgerNo}`,
      { action, ledgerNo: c.ledgerNo }
    );
  }
  const parsed = verb.input(input, { today: facts.today });
  return { action: verb.action, from: c.state, to, ...verb.plan(c, parsed, facts), citizenContact: citizenContactOn(c.state, to) };
};

/**
 * DOMAIN.md, "SMS": a demand accepted by its unit tells the citizen it is registered; a closed
 * one asks whether they are satisfied. Staying in a state (a classify again) sends nothing.
 */
export const citizenContactOn = (from: ComplaintState, to: ComplaintState): TransitionPlan['citizenContact'] => {
  if (from === to) return null;
  if (to === 'accepted') return 'registered_notice';
  if (to === 'closed') return 'survey';
  return null;
};

export { mayTake, nextSignStep, TAKERS, verbsOf, type Taker, type TakerScope } from './takers';
export type * from './types';
