import {
  ACTIONS,
  STATES,
  assertTransition,
  type ComplaintState,
} from '../../../plugins/complaints/server/src/domain/complaint-state';
import { DomainError } from '../../../plugins/complaints/server/src/domain/errors';

/**
 * The legal arrows, copied by hand from DOMAIN.md ("The complaint's life"), not derived from
 * the code's table. Format: [from, action, to].
 */
const LEGAL: Array<[ComplaintState, string, ComplaintState]> = [
  ['received', 'screen_invalid', 'invalid'],
  ['invalid', 'reinstate', 'received'],
  ['received', 'classify', 'classified'],
  ['classified', 'classify', 'classified'], // re-classification after a send-back
  ['classified', 'assign', 'assigned'],
  ['assigned', 'send_back', 'classified'],
  ['assigned', 'accept', 'accepted'],
  ['accepted', 'submit_measure', 'in_review'],
  ['in_review', 'return_measure', 'returned'],
  ['returned', 'resubmit_measure', 'in_review'],
  ['in_review', 'approve_measure', 'rectifying'],
  ['rectifying', 'complete', 'signing'],
  ['signing', 'sign', 'signing'],
  ['signing', 'reject_signoff', 'rectifying'],
  ['closed', 'reopen', 'rectifying'],
  // DOMAIN.md, roles: the lead unit decides reopen requests. A confirmed request is the reopen
  // arrow ("after a confirmed dissatisfied answer"); a rejected one leaves the complaint closed.
  ['closed', 'confirm_reopen', 'rectifying'],
  ['closed', 'reject_reopen', 'closed'],
];

describe('complaint state machine', () => {
  it('lists the ten states of DOMAIN.md', () => {
    expect([...STATES]).toEqual([
      'received', 'invalid', 'classified', 'assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed',
    ]);
  });

  it.each(LEGAL)('%s --%s--> %s is allowed', (from, action, to) => {
    expect(assertTransition(from, action)).toBe(to);
  });

  it('the county leader\'s signature closes the complaint', () => {
    expect(assertTransition('signing', 'sign', { signStep: 'county_leader' })).toBe('closed');
    expect(assertTransition('signing', 'sign', { signStep: 'unit_head' })).toBe('signing');
    expect(assertTransition('signing', 'sign', { signStep: 'lead_unit_head' })).toBe('signing');
  });

  const legalKeys = new Set(LEGAL.map(([from, action]) => `${from}:${action}`));
  const illegal: Array<[ComplaintState, string]> = [];
  for (const s of STATES) for (const a of ACTIONS) if (!legalKeys.has(`${s}:${a}`)) illegal.push([s, a]);

  it('covers every (state, action) pair', () => {
    expect(illegal.length + LEGAL.length).toBe(10 * 16);
  });

  it.each(illegal)('%s --%s--> is refused with a bilingual 400-kind error', (from, action) => {
    let caught: unknown;
    try {
      assertTransition(from, action);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const err = caught as DomainError;
    expect(err.kind).toBe('validation');
    expect(err.code).toBe('illegal_transition');
    expect(err.message).toMatch(/不能执行/);
    expect(err.message).toMatch(/is not allowed from state/);
  });

  it('refuses an unknown action', () => {
    expect(() => assertTransition('received', 'delete')).toThrow(/未知操作.*Unknown action/);
  });
});
