import { DomainError } from '../../../plugins/complaints/server/src/domain/errors';
import {
  availableActions,
  mayAddEvidence,
  maySee,
  mayTake,
  planTransition,
  seesFullPhone,
  type ActorContext,
  type ComplaintView,
  type TransitionFacts,
} from '../../../plugins/complaints/server/src/domain/workflow';
import { ACTIONS } from '../../../plugins/complaints/server/src/domain/complaint-state';

const OWN = 10; // responsible unit
const LEAD = 20; // lead unit
const OTHER = 99;

const complaint = (over: Partial<ComplaintView> = {}): ComplaintView => ({
  id: 1, ledgerNo: 'A-1', state: 'assigned', town: '城关镇', categoryCode: '0101', responsibleUnitId: OWN, leadUnitId: LEAD,
  problemGroupId: null, nature: null, mode: null, deadline: null, signStep: null, reopenCount: 0, sendBackCount: 0,
  returnCount: 0, measureVersion: 0, signRound: 1, ...over,
});

const actor = (roles: ActorContext['roles'], unitIds: number[] = [], superAdmin = false): ActorContext => ({ userId: 7, roles, unitIds, superAdmin });

const facts = (over: Partial<TransitionFacts> = {}): TransitionFacts => ({
  now: new Date('2026-03-01T02:00:00Z'), today: '2026-03-01',
  measureThresholds: { yellowDays: 20, orangeDays: 10 }, responseThresholds: { yellowDays: 1, orangeDays: 1 }, ...over,
});

describe('who may take which step (DOMAIN.md roles table)', () => {
  const county = actor(['countyOffice']);
  const op = actor(['unitOperator'], [OWN]);
  const otherOp = actor(['unitOperator'], [OTHER]);
  const head = actor(['unitHead'], [OWN]);
  const lead = actor(['leadUnit'], [LEAD]);
  const otherLead = actor(['leadUnit'], [OTHER]);
  const leader = actor(['countyLeader']);

  // [action, signStep, who may, who may not]
  const table: Array<[string, ComplaintView['signStep'], ActorContext[], ActorContext[]]> = [
    ['classify', null, [county], [op, head, lead, leader]],
    ['assign', null, [county], [op, lead]],
    ['screen_invalid', null, [county], [op, lead, leader]],
    ['accept', null, [op], [otherOp, county, head, lead, leader]],
    ['send_back', null, [op], [otherOp, county]],
    ['submit_measure', null, [op], [otherOp, lead]],
    ['approve_measure', null, [lead], [otherLead, op, county]],
    ['return_measure', null, [lead], [otherLead, op]],
    ['complete', null, [op], [otherOp, head]],
    ['sign', 'unit_head', [head], [lead, leader, op, actor(['unitHead'], [OTHER])]],
    ['sign', 'lead_unit_head', [lead], [head, leader, otherLead]],
    ['sign', 'county_leader', [leader], [head, lead, county]],
    ['reject_signoff', 'lead_unit_head', [lead], [head, leader]],
    ['reopen', null, [county, lead], [otherLead, op, leader]],
    ['confirm_reopen', null, [lead], [otherLead, county, op, head, leader]],
    ['reject_reopen', null, [lead], [otherLead, county, op, head, leader]],
  ];

  it.each(table)('%s (step %s)', (action, signStep, may, mayNot) => {
    const c = complaint({ signStep });
    for (const a of may) expect([a.roles, mayTake(action as any, c, a)]).toEqual([a.roles, true]);
    for (const a of mayNot) expect([a.roles, a.unitIds, mayTake(action as any, c, a)]).toEqual([a.roles, a.unitIds, false]);
  });

  it('Super Admin may take any step', () => {
    for (const a of ACTIONS) expect(mayTake(a, complaint(), actor([], [], true))).toBe(true);
  });

  it.each([
    [county, true], [leader, true], [op, true], [head, true], [lead, true],
    [otherOp, false], [otherLead, false], [actor(['unitOperator'], []), false], [actor([]), false],
  ])('visibility: %j sees it → %s', (a, expected) => {
    expect(maySee(complaint(), a)).toBe(expected);
  });

  it.each([
    ['received', false], ['invalid', false], ['classified', false], ['assigned', true], ['accepted', true],
    ['in_review', true], ['returned', true], ['rectifying', true], ['signing', true], ['closed', true],
  ])('a unit sees its complaint in state %s → %s; the county office always does', (state, expected) => {
    expect(maySee(complaint({ state: state as any }), op)).toBe(expected);
    expect(maySee(complaint({ state: state as any }), lead)).toBe(expected);
    expect(maySee(complaint({ state: state as any }), county)).toBe(true);
  });

  it.each([[county, true], [op, true], [head, false], [lead, false], [leader, false]])('full phone for %j → %s', (a, expected) => {
    expect(seesFullPhone(a)).toBe(expected);
  });

  it('lists the steps available now for each role', () => {
    expect(availableActions(complaint({ state: 'assigned' }), op, ACTIONS)).toEqual(['send_back', 'accept']);
    expect(availableActions(complaint({ state: 'assigned' }), county, ACTIONS)).toEqual([]);
    expect(availableActions(complaint({ state: 'received' }), county, ACTIONS)).toEqual(['screen_invalid', 'classify']);
    expect(availableActions(complaint({ state: 'signing', signStep: 'lead_unit_head' }), lead, ACTIONS)).toEqual(['sign', 'reject_signoff']);
    // The panel offers the two decisions only while a request is pending (services/panel.ts).
    expect(availableActions(complaint({ state: 'closed' }), lead, ACTIONS)).toEqual(['reopen', 'confirm_reopen', 'reject_reopen']);
    expect(availableActions(complaint({ state: 'closed' }), county, ACTIONS)).toEqual(['reopen']);
  });
});

describe('plans', () => {
  const op = actor(['unitOperator'], [OWN]);
  const county = actor(['countyOffice']);

  const refused = (fn: () => unknown): { code: string; field?: unknown; kind: string } => {
    try {
      fn();
    } catch (e) {
      const d = e as DomainError;
      return { code: d.code, field: d.details.field, kind: d.kind };
    }
    throw new Error('expected a refusal');
  };

  it.each([
    [{ mode: 'deadline', text: '更换灯具', responsiblePerson: '张' }, 'missing_input', 'deadline'],
    [{ mode: 'deadline', text: '更换灯具', responsiblePerson: '张', deadline: '2026-02-28' }, 'invalid_input', 'deadline'],
    [{ mode: 'deadline', text: '更换灯具', responsiblePerson: '张', deadline: '2026-02-30' }, 'invalid_input', 'deadline'],
    [{ mode: 'soon', text: '更换灯具', responsiblePerson: '张', deadline: '2026-03-09' }, 'invalid_input', 'mode'],
    [{ mode: 'deadline', text: '灯', responsiblePerson: '张', deadline: '2026-03-09' }, 'invalid_input', 'text'],
    [{ mode: 'deadline', text: '更换灯具', deadline: '2026-03-09' }, 'missing_input', 'responsiblePerson'],
    [{ mode: 'policy_limited', text: '政策限制', responsiblePerson: '张' }, 'missing_input', 'policyRef'],
    [{ mode: 'phased', text: '分期整改', responsiblePerson: '张', deadline: '2026-06-01', milestones: [] }, 'missing_input', 'milestones'],
    [{ mode: 'phased', text: '分期整改', responsiblePerson: '张', deadline: '2026-06-01', milestones: [{ title: '一期', due: '2026-07-01' }] }, 'invalid_input', 'milestones'],
  ])('submit_measure %j is refused: %s %s', (input, code, field) => {
    expect(refused(() => planTransition(complaint({ state: 'accepted' }), 'submit_measure', input, op, facts()))).toEqual({ code, field, kind: 'validation' });
  });

  it('submit_measure accepts a phased measure whose milestones fall before its deadline (positive control)', () => {
    const input = { mode: 'phased', text: '分期整改', responsiblePerson: '张', deadline: '2026-06-01', milestones: [{ title: '一期', due: '2026-04-01' }] };
    expect(planTransition(complaint({ state: 'accepted' }), 'submit_measure', input, op, facts()).to).toBe('in_review');
  });

  it('plans a measure as the next version, and keeps deadline for today', () => {
    const plan = planTransition(complaint({ state: 'returned', measureVersion: 1 }), 'resubmit_measure', { mode: 'deadline', text: '更换灯具', responsiblePerson: '张', deadline: '2026-03-01' }, op, facts());
    expect(plan.to).toBe('in_review');
    expect(plan.measure).toMatchObject({ version: 2, mode: 'deadline', deadline: '2026-03-01' });
  });

  it('assign sets the response deadline from the category and its warning level', () => {
    const plan = planTransition(complaint({ state: 'classified' }), 'assign', {}, county, facts({ responseDays: 3 }));
    expect(plan.patch).toMatchObject({ responseDeadline: '2026-03-04', warningLevel: 'none' });
    const sameDay = planTransition(complaint({ state: 'classified' }), 'assign', {}, county, facts({ responseDays: 0 }));
    expect(sameDay.patch.warningLevel).toBe('orange');
  });

  it('approve sets the deadline of the measure under review and its level', () => {
    const lead = actor(['leadUnit'], [LEAD]);
    const plan = planTransition(complaint({ state: 'in_review', measureVersion: 2 }), 'approve_measure', {}, lead, facts({ reviewedMeasure: { version: 2, mode: 'deadline', deadline: '2026-03-15' } }));
    expect(plan.patch).toMatchObject({ deadline: '2026-03-15', warningLevel: 'yellow' });
    const policy = planTransition(complaint({ state: 'in_review', measureVersion: 1 }), 'approve_measure', {}, lead, facts({ reviewedMeasure: { version: 1, mode: 'policy_limited', deadline: null } }));
    expect(policy.patch).toMatchObject({ deadline: null, warningLevel: 'none' });
  });

  // [mode kept from the measure, new deadline (today is 2026-03-01), level]: a reopened
  // policy-limited complaint has no clock, as in the warning job.
  it.each([
    ['deadline', '2026-03-15', 'yellow'],
    ['deadline', '2026-03-05', 'orange'],
    ['policy_limited', '2026-03-05', 'none'],
  ])('reopen with mode %s and deadline %s starts at %s', (mode, deadline, level) => {
    const plan = planTransition(complaint({ state: 'closed', mode }), 'reopen', { reason: '群众不满意', deadline }, county, facts());
    expect(plan.patch).toMatchObject({ deadline, warningLevel: level });
  });

  describe('the lead unit decides a reopen request', () => {
    const lead = actor(['leadUnit'], [LEAD]);
    const pending = { surveyId: 41, round: 1, state: 'pending' as const };
    const kindOf = (fn: () => unknown) => refused(fn).kind;

    it('confirm reopens with the new deadline as reopen does, and marks the request confirmed', () => {
      const plan = planTransition(complaint({ state: 'closed', mode: 'deadline', reopenCount: 0 }), 'confirm_reopen', { deadline: '2026-03-15', comment: '群众反映路灯仍不亮' }, lead, facts({ reopenRequest: pending }));
      expect([plan.from, plan.to]).toEqual(['closed', 'rectifying']);
      expect(plan.patch).toEqual({ reopenCount: 1, deadline: '2026-03-15', closedAt: null, completedAt: null, signStep: null, warningLevel: 'yellow', satisfaction: null });
      expect(plan.reopenDecision).toEqual({ surveyId: 41, decision: 'confirmed' });
      expect(plan.eventData).toEqual({ surveyId: 41, round: 1, deadline: '2026-03-15', reopenCount: 1, comment: '群众反映路灯仍不亮' });
      expect(plan.citizenContact).toBeNull();
    });

    it('reject keeps the complaint closed and needs a reason', () => {
      const plan = planTransition(complaint({ state: 'closed' }), 'reject_reopen', { reason: '已按标准整改到位' }, lead, facts({ reopenRequest: pending }));
      expect([plan.from, plan.to, plan.patch, plan.reopenDecision, plan.eventData]).toEqual(['closed', 'closed', {}, { surveyId: 41, decision: 'rejected' }, { surveyId: 41, round: 1, reason: '已按标准整改到位' }]);
      expect(refused(() => planTransition(complaint({ state: 'closed' }), 'reject_reopen', {}, lead, facts({ reopenRequest: pending })))).toEqual({ code: 'missing_input', field: 'reason', kind: 'validation' });
      expect(refused(() => planTransition(complaint({ state: 'closed' }), 'confirm_reopen', {}, lead, facts({ reopenRequest: pending })))).toEqual({ code: 'missing_input', field: 'deadline', kind: 'validation' });
    });

    // [request, state, expected refusal code, kind]
    it.each([
      [null, 'closed', 'no_reopen_request', 'validation'],
      [{ surveyId: 41, round: 1, state: 'rejected' }, 'closed', 'reopen_request_decided', 'conflict'],
      // After a confirmation the complaint is rectifying: a second decision is still the conflict.
      [{ surveyId: 41, round: 1, state: 'confirmed' }, 'rectifying', 'reopen_request_decided', 'conflict'],
      [null, 'rectifying', 'illegal_transition', 'validation'],
    ] as const)('request %j on a %s complaint → %s', (request, state, code, kind) => {
      for (const action of ['confirm_reopen', 'reject_reopen']) {
        const run = () => planTransition(complaint({ state }), action, { deadline: '2026-03-15', reason: '已按标准整改到位' }, lead, facts({ reopenRequest: request as any }));
        expect([action, refused(run).code, kindOf(run)]).toEqual([action, code, kind]);
      }
    });

    it('a caller who may not decide learns nothing about the request: 403, not 409', () => {
      const county = actor(['countyOffice']);
      const decided = { surveyId: 41, round: 1, state: 'confirmed' as const };
      expect(refused(() => planTransition(complaint({ state: 'closed' }), 'reject_reopen', { reason: '已按标准整改到位' }, county, facts({ reopenRequest: decided }))).code).toBe('forbidden_transition');
      expect(refused(() => planTransition(complaint({ state: 'closed' }), 'reject_reopen', { reason: '已按标准整改到位' }, actor(['leadUnit'], [OTHER]), facts({ reopenRequest: pending }))).code).toBe('forbidden_transition');
    });
  });

  it.each([
    [[], [], 'missing_evidence'],
    [['other'], ['funds'], 'missing_evidence'],
    [['funds', 'other'], ['funds'], null],
  ])('complete with evidence %j, required %j → %s', (aspects, required, code) => {
    const c = complaint({ state: 'rectifying', deadline: '2026-03-10' });
    const run = () => planTransition(c, 'complete', {}, op, facts({ evidenceAspects: aspects, requiredAspects: required }));
    if (code) expect(refused(run).code).toBe(code);
    else expect(run().patch).toMatchObject({ signStep: 'unit_head' });
  });

  it('signs in order and the county leader closes', () => {
    const head = actor(['unitHead'], [OWN]);
    const p1 = planTransition(complaint({ state: 'signing', signStep: 'unit_head' }), 'sign', {}, head, facts());
    expect([p1.to, p1.patch.signStep]).toEqual(['signing', 'lead_unit_head']);
    const p3 = planTransition(complaint({ state: 'signing', signStep: 'county_leader' }), 'sign', {}, actor(['countyLeader']), facts());
    expect([p3.to, p3.patch.signStep, p3.patch.closedAt]).toEqual(['closed', null, new Date('2026-03-01T02:00:00Z')]);
  });

  it('refuses the wrong unit with a forbidden (403) error naming the complaint', () => {
    const e = refused(() => planTransition(complaint(), 'accept', { nature: 'individual' }, actor(['unitOperator'], [OTHER]), facts()));
    expect(e).toEqual({ code: 'forbidden_transition', field: undefined, kind: 'forbidden' });
  });

  it('a common complaint needs a group of its own unit and category', () => {
    const group = (unitId: number, categoryCode: string) => facts({ problemGroup: { id: 5, unitId, categoryCode } });
    expect(refused(() => planTransition(complaint(), 'accept', { nature: 'common' }, op, facts())).field).toBe('problemGroup');
    expect(refused(() => planTransition(complaint(), 'accept', { nature: 'common', problemGroup: 'g' }, op, group(OTHER, '0101'))).field).toBe('problemGroup');
    expect(refused(() => planTransition(complaint(), 'accept', { nature: 'common', problemGroup: 'g' }, op, group(OWN, '0201'))).field).toBe('problemGroup');
    expect(planTransition(complaint(), 'accept', { nature: 'common', problemGroup: 'g' }, op, group(OWN, '0101')).patch.problemGroupId).toBe(5);
  });
});

describe('who may add evidence', () => {
  // [state, actor, may]: the responsible unit's operator, while the complaint is rectified.
  it.each([
    ['rectifying', actor(['unitOperator'], [OWN]), true],
    ['accepted', actor(['unitOperator'], [OWN]), false],
    ['signing', actor(['unitOperator'], [OWN]), false],
    ['rectifying', actor(['unitOperator'], [OTHER]), false],
    ['rectifying', actor(['unitHead'], [OWN]), false],
  ] as const)('%s, %o → %s', (state, a, may) => {
    expect(mayAddEvidence(complaint({ state }), a)).toBe(may);
  });
});
