/**
 * The complaint's life cycle (DOMAIN.md, "The complaint's life"). The field is `state`:
 * Strapi's Content Manager reserves `status` for draft/publish.
 */
import { DomainError } from './errors';

export const STATES = [
  'received',
  'invalid',
  'classified',
  'assigned',
  'accepted',
  'in_review',
  'returned',
  'rectifying',
  'signing',
  'closed',
] as const;
export type ComplaintState = (typeof STATES)[number];

export const STATE_LABELS: Record<ComplaintState, { zh: string; en: string }> = {
  received: { zh: '待甄别', en: 'Received' },
  invalid: { zh: '无效', en: 'Invalid' },
  classified: { zh: '已分类', en: 'Classified' },
  assigned: { zh: '已交办', en: 'Assigned' },
  accepted: { zh: '已受理', en: 'Accepted' },
  in_review: { zh: '措施审核中', en: 'Measure in review' },
  returned: { zh: '措施退回', en: 'Measure returned' },
  rectifying: { zh: '整改中', en: 'Rectifying' },
  signing: { zh: '验收中', en: 'Signing off' },
  closed: { zh: '已办结', en: 'Closed' },
};

/** Where every demand starts: received, waiting to be screened. */
export const INITIAL_STATE: ComplaintState = 'received';
/** Where a demand ends: closed by the last signature (a survey asks the citizen). */
export const CLOSED_STATE: ComplaintState = 'closed';
/** The state in which the fix is carried out and evidence is added. */
export const RECTIFYING_STATE: ComplaintState = 'rectifying';

/** Sign-off steps, in the only order allowed. */
export const SIGN_STEPS = ['unit_head', 'lead_unit_head', 'county_leader'] as const;
export type SignStep = (typeof SIGN_STEPS)[number];

export const ACTIONS = [
  'screen_invalid',
  'reinstate',
  'classify',
  'assign',
  'send_back',
  'accept',
  'submit_measure',
  'return_measure',
  'resubmit_measure',
  'approve_measure',
  'complete',
  'sign',
  'reject_signoff',
  'reopen',
  'confirm_reopen',
  'reject_reopen',
] as const;
export type TransitionAction = (typeof ACTIONS)[number];

export interface TransitionRule {
  action: TransitionAction;
  from: readonly ComplaintState[];
  /** `signing` for a sign that is not the last one; the last sign closes. */
  to: ComplaintState;
  label: { zh: string; en: string };
}

/** The transition table. Each row is one arrow of the diagram in DOMAIN.md. */
export const TRANSITIONS: readonly TransitionRule[] = [
  { action: 'screen_invalid', from: ['received'], to: 'invalid', label: { zh: '甄别为无效', en: 'Screen out as invalid' } },
  { action: 'reinstate', from: ['invalid'], to: 'received', label: { zh: '恢复为待甄别', en: 'Reinstate' } },
  { action: 'classify', from: ['received', 'classified'], to: 'classified', label: { zh: '分类', en: 'Classify' } },
  { action: 'assign', from: ['classified'], to: 'assigned', label: { zh: '交办', en: 'Assign' } },
  { action: 'send_back', from: ['assigned'], to: 'classified', label: { zh: '退回交办', en: 'Send back' } },
  { action: 'accept', from: ['assigned'], to: 'accepted', label: { zh: '受理', en: 'Accept' } },
  { action: 'submit_measure', from: ['accepted'], to: 'in_review', label: { zh: '提交整改措施', en: 'Submit measure' } },
  { action: 'return_measure', from: ['in_review'], to: 'returned', label: { zh: '退回措施', en: 'Return measure' } },
  { action: 'resubmit_measure', from: ['returned'], to: 'in_review', label: { zh: '重新提交措施', en: 'Resubmit measure' } },
  { action: 'approve_measure', from: ['in_review'], to: 'rectifying', label: { zh: '审核通过', en: 'Approve measure' } },
  { action: 'complete', from: ['rectifying'], to: 'signing', label: { zh: '整改完成', en: 'Complete' } },
  { action: 'sign', from: ['signing'], to: 'signing', label: { zh: '验收签字', en: 'Sign off' } },
  { action: 'reject_signoff', from: ['signing'], to: 'rectifying', label: { zh: '验收不通过', en: 'Reject sign-off' } },
  { action: 'reopen', from: ['closed'], to: 'rectifying', label: { zh: '重新整改', en: 'Reopen' } },
  // The lead unit's decision on a citizen's reopen request (a dissatisfied survey answer).
  { action: 'confirm_reopen', from: ['closed'], to: 'rectifying', label: { zh: '确认重新整改申请', en: 'Confirm reopen request' } },
  { action: 'reject_reopen', from: ['closed'], to: 'closed', label: { zh: '驳回重新整改申请', en: 'Reject reopen request' } },
];

const byAction = new Map<TransitionAction, TransitionRule>(TRANSITIONS.map((t) => [t.action, t]));

export const isState = (value: unknown): value is ComplaintState =>
  typeof value === 'string' && (STATES as readonly string[]).includes(value);

export const isAction = (value: unknown): value is TransitionAction =>
  typeof value === 'string' && (ACTIONS as readonly string[]).includes(value);

export const transitionRule = (action: TransitionAction): TransitionRule => {
  const rule = byAction.get(action);
  if (!rule) throw new DomainError('validation', 'unknown_action', `未知操作 ${action}`, `Unknown action ${action}`);
  return rule;
};

/** Actions that may be taken from a state, in table order. */
export const actionsFrom = (state: ComplaintState): TransitionAction[] =>
  TRANSITIONS.filter((t) => t.from.includes(state)).map((t) => t.action);

/**
 * Checks that `action` may be taken from `state` and returns the state it leads to.
 * `sign` leads to `closed` when it is the last step (the county leader's).
 */
export const assertTransition = (
  state: ComplaintState,
  action: string,
  opts: { signStep?: SignStep } = {}
): ComplaintState => {
  if (!isAction(action)) {
    throw new DomainError('validation', 'unknown_action', `未知操作「${action}」`, `Unknown action "${action}"`, { action });
  }
  const rule = transitionRule(action);
  if (!rule.from.includes(state)) {
    const from = STATE_LABELS[state] ?? { zh: state, en: state };
    throw new DomainError(
      'validation',
      'illegal_transition',
      `当前状态「${from.zh}」不能执行「${rule.label.zh}」`,
      `"${rule.label.en}" is not allowed from state "${from.en}"`,
      { state, action, allowed: actionsFrom(state) }
    );
  }
  if (action === 'sign' && opts.signStep === 'county_leader') return 'closed';
  return rule.to;
};
