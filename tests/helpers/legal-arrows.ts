/**
 * The legal arrows as [from, action], copied from DOMAIN.md, plus re-classification of a
 * classified complaint before assignment, which the county office needs to fix a mistake.
 * Everything else is illegal. Pure data: the unit tests check the domain's table against it,
 * the API tests drive every illegal pair through the route.
 */
export const LEGAL = new Set([
  'received:screen_invalid', 'invalid:reinstate', 'received:classify', 'classified:classify', 'classified:assign',
  'assigned:send_back', 'assigned:accept', 'accepted:submit_measure', 'in_review:return_measure',
  'returned:resubmit_measure', 'in_review:approve_measure', 'rectifying:complete', 'signing:sign',
  'signing:reject_signoff', 'closed:reopen', 'closed:confirm_reopen', 'closed:reject_reopen',
]);
export const STATES = ['received', 'invalid', 'classified', 'assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'];
export const ACTIONS = ['screen_invalid', 'reinstate', 'classify', 'assign', 'send_back', 'accept', 'submit_measure', 'return_measure', 'resubmit_measure', 'approve_measure', 'complete', 'sign', 'reject_signoff', 'reopen', 'confirm_reopen', 'reject_reopen'];
