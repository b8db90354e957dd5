/**
 * 驳回重新整改申请: the lead unit rejects a citizen's reopen request with a reason. The
 * complaint stays closed; the request is marked rejected in the same transaction.
 */
import { assertPendingReopenRequest } from '../survey-rules';
import { parseFields, requiredText } from './input';
import type { ComplaintView, TransitionFacts, Verb } from './types';

const fields = { reason: requiredText('reason', '驳回理由', { min: 2, max: 2000 }) };

/**
 * A request already decided is refused before the state is looked at: after a confirmation the
 * complaint is no longer closed, and a second decision must still read as the conflict it is.
 */
export const refuseDecidedRequest = (c: ComplaintView, facts: TransitionFacts): void => {
  if (facts.reopenRequest && facts.reopenRequest.state !== 'pending') assertPendingReopenRequest(facts.reopenRequest, c.ledgerNo);
};

export const rejectReopen: Verb<{ reason: string }> = {
  action: 'reject_reopen',
  precondition: refuseDecidedRequest,
  input: (raw) => parseFields(raw, fields),
  plan(c, { reason }, facts) {
    const request = assertPendingReopenRequest(facts.reopenRequest, c.ledgerNo);
    return {
      patch: {},
      reopenDecision: { surveyId: request.surveyId, decision: 'rejected' },
      eventData: { surveyId: request.surveyId, round: request.round, reason },
    };
  },
};
