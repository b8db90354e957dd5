import { DomainError } from '../../../plugins/complaints/server/src/domain/errors';
import {
  excerpt, parseQueuePage, queueClauses, queueFor, queuesFor, shownSuggestion, QUEUES, type QueueClause,
} from '../../../plugins/complaints/server/src/domain/queues';
import { mayTake, type ActorContext, type ComplaintView } from '../../../plugins/complaints/server/src/domain/workflow';
import { SIGN_STEPS, STATES, transitionRule, type SignStep } from '../../../plugins/complaints/server/src/domain/complaint-state';

const OWN = 10;
const LEAD = 20;
const OTHER = 99;
const actor = (roles: ActorContext['roles'], unitIds: number[] = [], superAdmin = false): ActorContext => ({ userId: 7, roles, unitIds, superAdmin });

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? `${e.kind}:${e.code}` : `other:${(e as Error).message}`;
  }
  return 'ok';
};

describe('each role has the queues of the verbs it takes (issue 17, My work)', () => {
  it.each([
    ['county office', actor(['countyOffice']), ['toScreen', 'toClassify', 'toAssign']],
    ['unit operator', actor(['unitOperator'], [OWN]), ['toAccept', 'toMeasure', 'returned', 'rectifying']],
    ['lead unit', actor(['leadUnit'], [LEAD]), ['toReview', 'toSign', 'reopenRequests']],
    ['unit head', actor(['unitHead'], [OWN]), ['toSign']],
    ['county leader', actor(['countyLeader']), ['toSign']],
    ['operator with no unit', actor(['unitOperator']), ['toAccept', 'toMeasure', 'returned', 'rectifying']],
    ['no Minyi role (Editor)', actor([]), []],
    ['Super Admin', actor([], [], true), ['toScreen', 'toClassify', 'toAssign', 'toAccept', 'toMeasure', 'returned', 'rectifying', 'toReview', 'toSign', 'reopenRequests']],
  ])('%s', (_name, a, keys) => {
    expect(queuesFor(a).map((q) => q.key)).toEqual(keys);
  });

  it('labels every queue in Chinese as the issue names them', () => {
    expect(QUEUES.map((q) => q.label.zh)).toEqual(['待甄别', '待分类', '待交办', '待受理', '待报措施', '被退回', '整改中', '待我审核', '待我签字', '重开申请']);
  });
});

describe('a queue\'s clauses', () => {
  const def = (key: string) => QUEUES.find((q) => q.key === key)!;
  it.each([
    ['toAccept', actor(['unitOperator'], [OWN]), [{ states: ['assigned'], unit: 'responsible', unitIds: [OWN], signStep: null, signStepUnset: false }]],
    ['toReview', actor(['leadUnit'], [LEAD]), [{ states: ['in_review'], unit: 'lead', unitIds: [LEAD], signStep: null, signStepUnset: false }]],
    ['toSign', actor(['unitHead'], [OWN]), [{ states: ['signing'], unit: 'responsible', unitIds: [OWN], signStep: 'unit_head', signStepUnset: true }]],
    ['toSign', actor(['leadUnit'], [LEAD]), [{ states: ['signing'], unit: 'lead', unitIds: [LEAD], signStep: 'lead_unit_head', signStepUnset: false }]],
    ['toSign', actor(['countyLeader']), [{ states: ['signing'], unit: null, unitIds: [], signStep: 'county_leader', signStepUnset: false }]],
    // A user with two roles has both ways in.
    ['toSign', actor(['unitHead', 'leadUnit'], [OWN]), [
      { states: ['signing'], unit: 'responsible', unitIds: [OWN], signStep: 'unit_head', signStepUnset: true },
      { states: ['signing'], unit: 'lead', unitIds: [OWN], signStep: 'lead_unit_head', signStepUnset: false },
    ]],
    ['toClassify', actor(['countyOffice']), [{ states: ['received'], unit: null, unitIds: [], signStep: null, signStepUnset: false }]],
    ['reopenRequests', actor(['leadUnit'], [LEAD]), [{ states: ['closed'], unit: 'lead', unitIds: [LEAD], signStep: null, signStepUnset: false }]],
    ['toSign', actor(['unitOperator'], [OWN]), null],
  ])('%s for %j', (key, a, clauses) => {
    expect(queueClauses(def(key), a)).toEqual(clauses);
  });
});

/** A clause read as the SQL of services/queues.ts reads it. */
const inClause = (c: QueueClause, v: Pick<ComplaintView, 'state' | 'responsibleUnitId' | 'leadUnitId' | 'signStep'>): boolean => {
  if (!c.states.includes(v.state)) return false;
  if (c.unit === 'responsible' && !(v.responsibleUnitId !== null && c.unitIds.includes(v.responsibleUnitId))) return false;
  if (c.unit === 'lead' && !(v.leadUnitId !== null && c.unitIds.includes(v.leadUnitId))) return false;
  if (c.signStep && (v.signStep === null ? !c.signStepUnset : v.signStep !== c.signStep)) return false;
  return true;
};

describe('a complaint is in a queue exactly when the workflow lets its user take the queue\'s verb', () => {
  const actors: Array<[string, ActorContext, number]> = [
    // The hand count over the 13 complaints below (10 states, signing at each of its 4 steps):
    ['county office', actor(['countyOffice']), 3], // received twice (screen, classify), classified once (assign)
    ['operator', actor(['unitOperator'], [OWN]), 4], // assigned, accepted, returned, rectifying
    ['other operator', actor(['unitOperator'], [OTHER]), 0],
    ['lead unit', actor(['leadUnit'], [LEAD]), 3], // in_review, signing at the lead step, closed (reopen request)
    ['unit head', actor(['unitHead'], [OWN]), 2], // signing with no step yet, and at the unit head's step
    ['county leader', actor(['countyLeader']), 1], // signing at the county leader's step
  ];
  const views: ComplaintView[] = [];
  for (const state of STATES) {
    for (const signStep of [null, ...SIGN_STEPS] as Array<SignStep | null>) {
      if (signStep !== null && state !== 'signing') continue;
      views.push({
        id: views.length + 1, ledgerNo: `Q-${views.length + 1}`, state, town: '城关镇', categoryCode: '0101', responsibleUnitId: OWN, leadUnitId: LEAD,
        problemGroupId: null, nature: null, mode: null, deadline: null, signStep, reopenCount: 0, sendBackCount: 0, returnCount: 0, measureVersion: 1, signRound: 1,
      });
    }
  }
  it.each(actors)('%s', (_name, a, expected) => {
    const disagreements: string[] = [];
    let queued = 0;
    for (const q of QUEUES) {
      const clauses = queueClauses(q, a) ?? [];
      for (const v of views) {
        const inQueue = clauses.some((c) => inClause(c, v));
        const mayNow = (q.states ?? transitionRule(q.verb).from).includes(v.state) && mayTake(q.verb, v, a);
        if (inQueue !== mayNow) disagreements.push(`${q.key} ${v.state}/${v.signStep}: queue ${inQueue}, workflow ${mayNow}`);
        if (inQueue) queued += 1;
      }
    }
    expect(disagreements).toEqual([]);
    expect(queued).toBe(expected);
  });

  it('the signer whose turn it is has it; the next signer does not yet', () => {
    const signing = (signStep: SignStep | null) => views.find((v) => v.state === 'signing' && v.signStep === signStep)!;
    const toSign = QUEUES.find((q) => q.key === 'toSign')!;
    const has = (a: ActorContext, v: ComplaintView) => (queueClauses(toSign, a) ?? []).some((c) => inClause(c, v));
    const [head, lead, leader] = [actor(['unitHead'], [OWN]), actor(['leadUnit'], [LEAD]), actor(['countyLeader'])];
    expect([has(head, signing(null)), has(lead, signing(null)), has(leader, signing(null))]).toEqual([true, false, false]);
    expect([has(head, signing('lead_unit_head')), has(lead, signing('lead_unit_head')), has(leader, signing('lead_unit_head'))]).toEqual([false, true, false]);
    expect([has(head, signing('county_leader')), has(lead, signing('county_leader')), has(leader, signing('county_leader'))]).toEqual([false, false, true]);
  });
});

describe('asking for a queue', () => {
  it.each([
    ['toAccept', actor(['unitOperator'], [OWN]), 'ok'],
    ['toAccept', actor(['countyOffice']), 'forbidden:queue_not_yours'],
    ['toSign', actor(['unitOperator'], [OWN]), 'forbidden:queue_not_yours'],
    ['nope', actor(['countyOffice']), 'not_found:queue_not_found'],
    [['toAccept'], actor(['unitOperator'], [OWN]), 'not_found:queue_not_found'],
    ['constructor', actor(['countyOffice']), 'not_found:queue_not_found'],
  ])('%j → %s', (key, a, code) => {
    expect(codeOf(() => queueFor(key, a))).toBe(code);
  });
});

describe('page and excerpt', () => {
  it.each([
    [{}, { page: 1, pageSize: 20 }],
    [{ page: '3', pageSize: '100' }, { page: 3, pageSize: 100 }],
  ])('%j → %j', (q, out) => expect(parseQueuePage(q)).toEqual(out));
  it.each([[{ page: '0' }], [{ page: '-1' }], [{ pageSize: '101' }], [{ page: '1.5' }], [{ page: ['1', '2'] }], [{ pageSize: 'x' }]])('%j is refused', (q) => {
    expect(codeOf(() => parseQueuePage(q))).toBe('validation:invalid_page');
  });
  it.each([
    ['  路灯\n不亮  ', '路灯 不亮'],
    ['一二三四五六七八九十'.repeat(7), `${'一二三四五六七八九十'.repeat(6)}…`],
    [null, ''],
  ])('%j → %j', (content, out) => expect(excerpt(content)).toBe(out));
});

describe('what a queue row says of a screening suggestion', () => {
  const row = (over: Partial<{ content: string | null; traceable: boolean; town: string | null; village: string | null; address: string | null }> = {}) => ({
    content: '小区楼道照明长期损坏，物业推诿', traceable: true, town: '城关镇', village: null, address: null, ...over,
  });
  it.each([
    ['none', null, null, row(), null],
    ['too short: the rule\'s message', 'likely_invalid', null, row({ content: '路灯坏' }),
      { kind: 'likely_invalid', ref: null, zh: '疑似无效：诉求内容过短，表述不清', en: 'Likely invalid: the content is too short to be understood' }],
    ['no contact and no place', 'likely_invalid', null, row({ traceable: false, town: null }),
      { kind: 'likely_invalid', ref: null, zh: '疑似无效：无有效联系电话，且未写明乡镇、村(社区)或地址', en: 'Likely invalid: no valid phone and no town, village or address' }],
    ['a rule that no longer holds: the kind', 'likely_invalid', null, row(), { kind: 'likely_invalid', ref: null, zh: '疑似无效', en: 'Likely invalid' }],
    ['a duplicate, with its original', 'likely_duplicate', 'GZ2026000007', row(),
      { kind: 'likely_duplicate', ref: 'GZ2026000007', zh: '疑似重复：疑似与 GZ2026000007 重复', en: 'Likely duplicate: may repeat GZ2026000007' }],
  ])('%s', (_name, kind, ref, r, shown) => {
    expect(shownSuggestion(kind, ref, r)).toEqual(shown);
  });
});
