/**
 * 确认重新整改申请: the lead unit confirms a citizen's reopen request (a dissatisfied survey
 * answer, the Guangzhou rule). The complaint is reopened exactly as `reopen` does, with a new
 * deadline; the request is marked confirmed in the same transaction.
 */
import { assertPendingReopenRequest } from '../survey-rules';
import { dayFromToday, optionalText, parseFields } from './input';
import { reopen } from './reopen';
import { refuseDecidedRequest } from './reject-reopen';
import type { Verb } from './types';

const fields = (today: string) => ({
  deadline: dayFromToday('deadline', '新的整改期限', today),
  comment: optionalText('comment', { max: 2000 }),
});

export const confirmReopen: Verb<{ deadline: string; comment: string | null }> = {
  action: 'confirm_reopen',
  precondition: refuseDecidedRequest,
  input: (raw, { today }) => parseFields(raw, fields(today)),
  plan(c, { deadline, comment }, facts) {
    const request = assertPendingReopenRequest(facts.reopenRequest, c.ledgerNo);
    const reopened = reopen.plan(c, { reason: comment ?? '', deadline }, facts);
    return {
      patch: reopened.patch,
      reopenDecision: { surveyId: request.surveyId, decision: 'confirmed' },
      eventData: { surveyId: request.surveyId, round: request.round, deadline, reopenCount: reopened.patch.reopenCount, comment },
    };
  },
};
