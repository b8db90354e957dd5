/**
 * Demo data for `npm run develop` on an empty database: the taxonomy, the units, about 3,000
 * complaints in every state with their full, verifiable history, and one admin account per
 * role with a random password printed once. Never runs in test or production.
 */
import { createHash, randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import { ADMIN_USER_UID, UID } from '../constants';
import { addDays, calendarDay } from '../domain/calendar';
import { assertTransition, type ComplaintState, type SignStep, type TransitionAction } from '../domain/complaint-state';
import type { NewEvent, Actor } from '../domain/history-chain';
import { CITIZEN_ACTOR, SYSTEM_ACTOR } from '../domain/history-chain';
import { renderMessage } from '../domain/sms-templates';
import { screenBatch, type ScreeningRow } from '../domain/screening';
import type { SurveyAnswer } from '../domain/survey-reply';
import { ASPECTS, INVALID_REASONS } from '../domain/workflow';
import { ROLE_DEFINITIONS, type RoleKey } from '../domain/roles';
import { CLOCK_STATES, jobWarningLevel, NO_CLOCK_MODE } from '../domain/warning-level';
import { DEMO_AGAIN, DEMO_PLACES, DEMO_ROADS, DEMO_TEXTS, DEMO_UNCLEAR_TEXTS, demoName, demoPhone, demoVillages } from '../demo/content';
import { DEMO_TAXONOMY } from '../demo/taxonomy';
import { DEMO_TOWNS, DEMO_UNITS } from '../demo/units';
import { getConfig, getService, inTransaction } from '../utils';
import type { RoleRow } from './roles';

/** A small deterministic PRNG so the demo looks the same on every fresh clone. */
const mulberry32 = (seed: number) => () => {
  let t = (seed += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const DAY = 86_400_000;

/** Share of demo complaints in each state (sums to 1). */
const STATE_MIX: Array<[ComplaintState, number]> = [
  ['received', 0.12],
  ['invalid', 0.05],
  ['classified', 0.07],
  ['assigned', 0.08],
  ['accepted', 0.07],
  ['in_review', 0.06],
  ['returned', 0.02],
  ['rectifying', 0.25],
  ['signing', 0.06],
  ['closed', 0.22],
];

const CHANNEL_MIX = ['visit', 'visit', 'visit', 'hotline', 'hotline', 'letter', 'web', 'web', 'sms', 'meeting', 'other'];

const demoPassword = (): string => `${randomBytes(12).toString('base64url')}Aa1`;

/** The demo's lead-unit reviewer account belongs to this unit: its pending reopen request is the one to decide. */
const DEMO_LEAD_UNIT = 'D001';
const DISSATISFIED_COMMENTS = ['问题没有彻底解决，过几天又出现了', '整改只做了一半，希望再来看看', '处理太慢，反映了很久才有人管'];
const OTHER_COMMENTS = [null, null, null, '处理及时，感谢', '基本解决了，希望以后多巡查'];

/** A closed, traceable demo complaint's survey, as the workflow and the survey job would have left it. */
interface DemoSurvey {
  status: 'open' | 'answered' | 'no_response';
  answer: SurveyAnswer | null;
  answeredVia: 'link' | 'phone_visit' | null;
  sentAt: Date;
  expiresAt: Date;
  answeredAt: Date | null;
  comment: string | null;
  reopenRequest: 'pending' | 'rejected' | null;
  token: string;
  /** The closed notice in the outbox: delivered long ago, or still queued. */
  message: 'delivered' | 'queued';
}

interface DemoAccount {
  role: RoleKey;
  email: string;
  firstname: string;
  lastname: string;
  unitCode?: string;
}

const DEMO_ACCOUNTS: DemoAccount[] = [
  { role: 'countyOffice', email: 'county-office@minyi.demo', firstname: '整治办', lastname: '管理员' },
  { role: 'leadUnit', email: 'lead-unit@minyi.demo', firstname: '住建局', lastname: '审核员', unitCode: 'D001' },
  { role: 'unitOperator', email: 'unit-operator@minyi.demo', firstname: '城关镇', lastname: '操作员', unitCode: 'T001' },
  { role: 'unitHead', email: 'unit-head@minyi.demo', firstname: '城关镇', lastname: '负责人', unitCode: 'T001' },
  { role: 'countyLeader', email: 'county-leader@minyi.demo', firstname: '县领导', lastname: '审阅' },
];

/** Survey links of the last seed's open surveys (ledger number → link), per app, printed with the accounts. */
const demoLinks = new WeakMap<Core.Strapi, Array<{ ledgerNo: string; url: string }>>();

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async isDatabaseEmpty(): Promise<boolean> {
    const [c, u, k] = await Promise.all([
      strapi.db.query(UID.complaint as any).count({}),
      strapi.db.query(UID.unit as any).count({}),
      strapi.db.query(UID.category as any).count({}),
    ]);
    return c === 0 && u === 0 && k === 0;
  },

  /** Seeds everything when the database is empty; returns false when it did nothing. */
  async seedIfEmpty(roles: Record<RoleKey, RoleRow>, opts: { complaints?: number; now?: Date; print?: boolean } = {}): Promise<boolean> {
    if (!(await this.isDatabaseEmpty())) return false;
    const started = Date.now();
    const count = opts.complaints ?? getConfig(strapi).demo.complaints;
    strapi.log.info(`[complaints] empty database: creating demo data (${count} complaints) 正在生成演示数据`);
    // One transaction: a seed that fails half-way leaves the database empty, so the next start
    // seeds again instead of finding data without the accounts to sign in with.
    const accounts = await inTransaction(strapi, () => this.seed(roles, { complaints: count, now: opts.now ?? new Date() }));
    strapi.log.info(`[complaints] demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (opts.print !== false) this.printAccounts(accounts);
    return true;
  },

  /** The links of the demo's open surveys, to answer one as a citizen would (the closed notice carries it). */
  demoSurveyLinks(): Array<{ ledgerNo: string; url: string }> {
    return [...(demoLinks.get(strapi) ?? [])];
  },

  printAccounts(accounts: Array<{ email: string; password: string; role: string }>) {
    const lines = [
      '',
      '┌──────────────────────────────────────────────────────────────────────────────┐',
      '│ Minyi demo accounts 演示账号 (shown once; passwords are random 密码仅显示一次) │',
      '└──────────────────────────────────────────────────────────────────────────────┘',
      ...accounts.map((a) => `  ${a.role.padEnd(34)} ${a.email.padEnd(28)} ${a.password}`),
      '',
      ...(this.demoSurveyLinks().slice(0, 1).flatMap((l) => [`  回访链接 A survey link to answer as the citizen (${l.ledgerNo}): ${l.url}`, ''])),
    ];
    // eslint-disable-next-line no-console
    console.log(lines.join('\n'));
  },

  async seed(roles: Record<RoleKey, RoleRow>, opts: { complaints: number; now: Date }) {
    const bulk = getService('bulk', strapi);
    const history = getService('history', strapi);
    const cfg = getConfig(strapi);
    const rnd = mulberry32(20261127);
    const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rnd() * arr.length)];
    const between = (a: number, b: number) => a + rnd() * (b - a);
    const now = opts.now;
    const today = calendarDay(now, cfg.timeZone);

    // Units
    const unitIds = await bulk.insert(
      UID.unit,
      DEMO_UNITS.map((u) => ({ code: u.code, name: u.name, kind: u.kind, isLead: u.isLead, isResponsible: true, town: u.town ?? null }))
    );
    const unitByName = new Map(DEMO_UNITS.map((u, i) => [u.name, { ...u, id: unitIds[i] }]));
    const unitByCode = new Map(DEMO_UNITS.map((u, i) => [u.code, { ...u, id: unitIds[i] }]));
    const townUnit = new Map(DEMO_TOWNS.map((t) => [t, unitByName.get(`${t}人民政府`)!]));

    // Categories: majors, then minors
    const majorIds = await bulk.insert(
      UID.category,
      DEMO_TAXONOMY.map((m, i) => ({
        code: m.code,
        name: m.name,
        tier: 'major',
        leadUnitId: unitByName.get(m.lead)!.id,
        responseDays: cfg.defaultResponseDays,
        sortOrder: i + 1,
      }))
    );
    const minors: Array<{ code: string; name: string; majorIdx: number; lead: string }> = [];
    DEMO_TAXONOMY.forEach((m, mi) =>
      m.minors.forEach((x, j) => {
        const [name, lead] = Array.isArray(x) ? x : [x, m.lead];
        minors.push({ code: `${m.code}${String(j + 1).padStart(2, '0')}`, name, majorIdx: mi, lead });
      })
    );
    const minorIds = await bulk.insert(
      UID.category,
      minors.map((c, i) => ({
        code: c.code,
        name: c.name,
        tier: 'minor',
        leadUnitId: unitByName.get(c.lead)!.id,
        responseDays: cfg.defaultResponseDays,
        sortOrder: i + 1,
      }))
    );
    await bulk.link(UID.category, 'parent', minors.map((c, i) => [minorIds[i], majorIds[c.majorIdx]]));
    await bulk.link(UID.category, 'leadUnit', [
      ...DEMO_TAXONOMY.map((m, i): [number, number] => [majorIds[i], unitByName.get(m.lead)!.id]),
      ...minors.map((c, i): [number, number] => [minorIds[i], unitByName.get(c.lead)!.id]),
    ]);

    // Routing table: township matters go to the township government of the complaint's town;
    // every other minor category, in every town, to the county department that leads it. So a
    // classification "by the routing table" finds a unit for every minor category.
    const TOWNSHIP_MAJORS = ['01', '02', '04', '05', '13', '17', '20'];
    type Rule = { categoryCode: string; town: string | null; unitId: number };
    const routing = minors.flatMap((m): Rule[] =>
      TOWNSHIP_MAJORS.includes(m.code.slice(0, 2))
        ? DEMO_TOWNS.map((town) => ({ categoryCode: m.code, town, unitId: townUnit.get(town)!.id }))
        : [{ categoryCode: m.code, town: null, unitId: unitByName.get(m.lead)!.id }]
    );
    const ruleIds = await bulk.insert(UID.routingRule, routing.map(({ categoryCode, town }) => ({ categoryCode, town })));
    await bulk.link(UID.routingRule, 'unit', ruleIds.map((id, i): [number, number] => [id, routing[i].unitId]));

    // Complaints
    const villagesByTown = new Map(DEMO_TOWNS.map((t, i) => [t, demoVillages(i)]));
    const stateList: ComplaintState[] = [];
    for (const [state, share] of STATE_MIX) for (let i = 0; i < Math.round(share * opts.complaints); i += 1) stateList.push(state);
    while (stateList.length < opts.complaints) stateList.push('rectifying');
    stateList.length = opts.complaints;

    type Plan = {
      row: Record<string, unknown>;
      events: NewEvent[];
      categoryId?: number;
      respId?: number;
      leadId?: number;
      measures: Array<Record<string, unknown>>;
      evidence: Array<Record<string, unknown>>;
      signOffs: Array<Record<string, unknown>>;
      survey?: DemoSurvey;
    };
    const operator = (unitId: number, unitName: string): Actor => ({ kind: 'admin', id: null, name: '演示操作员', unitId, unitName });
    const office: Actor = { kind: 'admin', id: null, name: '县整治办（演示）', unitId: null, unitName: '县整治办' };
    const expiryMs = cfg.survey.expiryDays * DAY;
    let pendingRequests = 0;

    const plans: Plan[] = stateList.map((state, n) => {
      const town = DEMO_TOWNS[n % 7 === 0 ? 0 : Math.floor(rnd() * DEMO_TOWNS.length)];
      const village = pick(villagesByTown.get(town)!);
      const minorIdx = Math.floor(rnd() * minors.length);
      const minor = minors[minorIdx];
      const major = DEMO_TAXONOMY[minor.majorIdx];
      const text = pick(DEMO_TEXTS[major.code])
        .replace('{town}', town)
        .replace('{village}', village)
        .replace('{road}', pick(DEMO_ROADS))
        .replace('{place}', pick(DEMO_PLACES))
        .replace('{n}', String(1 + Math.floor(rnd() * 9)));
      const hasPhone = rnd() > 0.12;
      const ledgerNo = `MY2026-${String(n + 1).padStart(5, '0')}`;

      // Walk the timeline backwards from the last step so every instant is in the past.
      const stepsAfterReceipt: Record<ComplaintState, number> = {
        received: 0, invalid: 1, classified: 1, assigned: 2, accepted: 3, in_review: 4, returned: 5, rectifying: 5, signing: 6, closed: 7,
      };
      const lastAt = now.getTime() - between(0.1, state === 'closed' ? 120 : state === 'rectifying' ? 60 : 12) * DAY;
      const steps = stepsAfterReceipt[state];
      const gaps = Array.from({ length: steps }, () => between(0.2, 4) * DAY);
      const receivedAt = new Date(lastAt - gaps.reduce((a, b) => a + b, 0) - between(0, 3) * DAY);
      let t = receivedAt.getTime();
      const nextAt = (i: number) => new Date((t += gaps[i] ?? 0));

      const row: Record<string, unknown> = {
        ledgerNo,
        receivedAt,
        channel: pick(CHANNEL_MIX),
        complainantName: demoName(n),
        phone: hasPhone ? demoPhone(n) : null,
        town,
        village,
        address: `${town}${village}${1 + Math.floor(rnd() * 12)}组${1 + Math.floor(rnd() * 60)}号`,
        content: text,
        importBatch: 'DEMO',
        rawRow: null,
        state,
        traceable: hasPhone,
        warningLevel: 'none',
        reopenCount: 0,
        sendBackCount: 0,
        returnCount: 0,
        chainSeq: 0,
      };
      let current = 'received' as ComplaintState;
      const events: NewEvent[] = [{ type: 'created', actor: SYSTEM_ACTOR, at: receivedAt, toState: current, data: { importBatch: 'DEMO' } }];
      // Each step of the history follows the transition table, as the workflow's would.
      const move = (type: TransitionAction, actor: Actor, at: Date, data: Record<string, unknown>, signStep?: SignStep) => {
        const to = assertTransition(current, type, { signStep });
        events.push({ type, actor, at, fromState: current, toState: to, data });
        current = to;
      };
      const plan: Plan = { row, events, measures: [], evidence: [], signOffs: [] };
      if (state === 'received') {
        // A draw once spent on a random suggestion, kept so every later demo complaint stays as it was;
        // the suggestions come from the screening rules below.
        rnd();
        return plan;
      }
      if (state === 'invalid') {
        const reason = pick(INVALID_REASONS);
        row.invalidReason = reason;
        row.invalidNote = reason === 'other' ? '经核实不属于本次诉求征集范围' : null;
        if (reason === 'duplicate') row.duplicateOf = `MY2026-${String(Math.max(1, n - 3)).padStart(5, '0')}`;
        move('screen_invalid', office, nextAt(0), { invalidReason: reason });
        return plan;
      }

      const level = rnd() < 0.6 ? 'township' : 'county';
      const resp = level === 'township' ? townUnit.get(town)! : unitByName.get(minor.lead)!;
      const lead = unitByName.get(minor.lead)!;
      plan.categoryId = minorIds[minorIdx];
      plan.respId = resp.id;
      plan.leadId = lead.id;
      Object.assign(row, {
        categoryCode: minor.code,
        majorCategoryCode: major.code,
        level,
        responsibleUnitId: resp.id,
        leadUnitId: lead.id,
        summary: `${town}${village}：${minor.name}`,
      });
      const classifiedAt = nextAt(0);
      move('classify', office, classifiedAt, { categoryCode: minor.code, level, responsibleUnitId: resp.id, leadUnitId: lead.id });
      if (state === 'classified') return plan;

      const assignedAt = nextAt(1);
      const responseDeadline = addDays(calendarDay(assignedAt, cfg.timeZone), cfg.defaultResponseDays);
      Object.assign(row, { assignedAt, responseDeadline });
      move('assign', office, assignedAt, { responseDeadline });
      if (state === 'assigned') {
        row.warningLevel = jobWarningLevel({ state: CLOCK_STATES.response, responseDeadline }, today, cfg.warnings);
        return plan;
      }

      const op = operator(resp.id, resp.name);
      const acceptedAt = nextAt(2);
      const nature = rnd() < 0.3 ? 'common' : 'individual';
      Object.assign(row, { acceptedAt, nature });
      move('accept', op, acceptedAt, { nature });
      if (state === 'accepted') return plan;

      const mode = rnd() < 0.06 ? NO_CLOCK_MODE : pick(['immediate', 'deadline', 'deadline', 'phased'] as const);
      const submittedAt = nextAt(3);
      const deadline = mode === NO_CLOCK_MODE ? null : addDays(today, Math.round(between(-25, 75)));
      const measureBase = {
        mode,
        text: mode === NO_CLOCK_MODE ? '受现行政策限制，暂无法解决，已向群众解释说明' : `制定${minor.name}整改方案，明确责任人和完成时限，逐项销号`,
        responsiblePerson: `${resp.name.replace(/人民政府$/, '')}分管负责人`,
        deadline,
        policyRef: mode === NO_CLOCK_MODE ? '《县级财政专项资金管理办法》第十二条' : null,
        milestones: mode === 'phased' ? [{ title: '第一阶段：摸底排查', due: deadline ? addDays(deadline, -30) : null }, { title: '第二阶段：集中整改', due: deadline }] : null,
        submittedByName: '演示操作员',
        submittedAt,
      };
      row.mode = mode;
      move('submit_measure', op, submittedAt, { version: 1, mode, deadline });
      if (state === 'in_review') {
        plan.measures.push({ ...measureBase, version: 1, reviewState: 'in_review' });
        return plan;
      }
      const reviewer: Actor = { kind: 'admin', id: null, name: '牵头单位审核员', unitId: lead.id, unitName: lead.name };
      const reviewedAt = nextAt(4);
      if (state === 'returned') {
        plan.measures.push({ ...measureBase, version: 1, reviewState: 'returned', reviewComment: '措施不实，请细化责任人和时间节点', reviewedByName: reviewer.name, reviewedAt });
        row.returnCount = 1;
        move('return_measure', reviewer, reviewedAt, { version: 1 });
        return plan;
      }
      plan.measures.push({ ...measureBase, version: 1, reviewState: 'approved', reviewedByName: reviewer.name, reviewedAt });
      row.deadline = deadline;
      move('approve_measure', reviewer, reviewedAt, { version: 1, deadline });
      if (state === 'rectifying') {
        row.warningLevel = jobWarningLevel({ state: CLOCK_STATES.measure, mode, deadline }, today, cfg.warnings);
        return plan;
      }

      const completedAt = nextAt(5);
      const completedDay = calendarDay(completedAt, cfg.timeZone);
      row.completedAt = completedAt;
      // Completed: the level the last warning run on the day of completion left it with.
      row.warningLevel = jobWarningLevel({ state: CLOCK_STATES.measure, mode, deadline }, completedDay, cfg.warnings);
      const aspect = pick(ASPECTS);
      plan.evidence.push({
        aspect,
        text: aspect === 'funds' ? '投入专项资金完成整改' : '已按措施完成整改，现场照片及验收记录见附件',
        amount: aspect === 'funds' ? Math.round(between(2, 80)) * 1000 : null,
        uploadedByName: '演示操作员',
        uploadedAt: completedAt,
      });
      // Its evidenceId is filled in once the evidence row exists (below).
      events.push({ type: 'evidence_added', actor: op, at: completedAt, fromState: current, toState: current, data: { evidenceId: null, aspect, amount: plan.evidence[0].amount, files: 0 } });
      move('complete', op, completedAt, { evidenceCount: 1 });
      const signers: Array<[SignStep, Actor]> = [
        ['unit_head', { kind: 'admin', id: null, name: '责任单位负责人', unitId: resp.id, unitName: resp.name }],
        ['lead_unit_head', { kind: 'admin', id: null, name: '牵头单位负责人', unitId: lead.id, unitName: lead.name }],
        ['county_leader', { kind: 'admin', id: null, name: '责任县领导', unitId: null, unitName: '县人民政府' }],
      ];
      const signedSteps = state === 'closed' ? 3 : Math.floor(rnd() * 3);
      for (let i = 0; i < signedSteps; i += 1) {
        const at = new Date(Math.min(i === 0 ? nextAt(6).getTime() : (t += between(0.1, 2) * DAY), now.getTime() - 60_000));
        const [step, who] = signers[i];
        plan.signOffs.push({ round: 1, step, decision: 'signed', signerName: who.name, signerUnitName: who.unitName, signedAt: at });
        move('sign', who, at, { step, round: 1 }, step);
        if (current === 'closed') row.closedAt = at;
      }
      row.signStep = state === 'closed' ? null : signers[signedSteps][0];
      if (state === 'closed' && row.traceable) {
        // The last signature opened the survey (a link: the console provider carries links).
        const sentAt = row.closedAt as Date;
        const expiresAt = new Date(sentAt.getTime() + expiryMs);
        const token = randomBytes(24).toString('base64url');
        const survey: DemoSurvey = { status: 'open', answer: null, answeredVia: null, sentAt, expiresAt, answeredAt: null, comment: null, reopenRequest: null, token, message: 'delivered' };
        plan.survey = survey;
        events.push({ type: 'survey_opened', actor: SYSTEM_ACTOR, at: sentAt, fromState: current, toState: current, data: { surveyId: null, round: 1, way: 'link' } });
        if (expiresAt.getTime() > now.getTime()) {
          // Still open: the citizen has not answered yet.
          row.satisfaction = null;
          return plan;
        }
        // The demo lead-unit reviewer has at least one request to decide.
        const mustRequest = lead.code === DEMO_LEAD_UNIT && pendingRequests === 0;
        const outcome = mustRequest
          ? 'dissatisfied'
          : pick(['satisfied', 'satisfied', 'satisfied', 'basically_satisfied', 'basically_satisfied', 'dissatisfied', 'no_response'] as const);
        row.satisfaction = outcome;
        if (outcome === 'no_response') {
          survey.status = 'no_response';
          events.push({ type: 'survey_expired', actor: SYSTEM_ACTOR, at: expiresAt, fromState: current, toState: current, data: { surveyId: null, round: 1 } });
          return plan;
        }
        const byPhone = rnd() < 0.2;
        const answeredAt = new Date(sentAt.getTime() + between(0.1, cfg.survey.expiryDays - 1) * DAY);
        const who = byPhone ? office : CITIZEN_ACTOR;
        Object.assign(survey, {
          status: 'answered',
          answer: outcome,
          answeredVia: byPhone ? 'phone_visit' : 'link',
          answeredAt,
          comment: outcome === 'dissatisfied' ? pick(DISSATISFIED_COMMENTS) : pick(OTHER_COMMENTS),
        });
        events.push({ type: 'survey_answered', actor: who, at: answeredAt, fromState: current, toState: current, data: { surveyId: null, round: 1, answer: outcome, via: survey.answeredVia } });
        if (outcome !== 'dissatisfied') return plan;
        events.push({ type: 'reopen_requested', actor: who, at: answeredAt, fromState: current, toState: current, data: { surveyId: null, round: 1 } });
        if (lead.code === DEMO_LEAD_UNIT) {
          // Left for the demo's lead unit to decide.
          survey.reopenRequest = 'pending';
          pendingRequests += 1;
          return plan;
        }
        // The other lead units decided theirs: rejected with a reason (a confirmed one would be rectifying again).
        const reason = '经现场核实已按措施整改到位，已向群众解释说明';
        const decidedAt = new Date(Math.min(answeredAt.getTime() + between(0.2, 2) * DAY, now.getTime() - 30_000));
        survey.reopenRequest = 'rejected';
        move('reject_reopen', reviewer, decidedAt, { surveyId: null, round: 1, reason });
      }
      return plan;
    });

    // Demands not yet screened, as a ledger holds them: some too short to be understood, some
    // with neither a phone nor a place, some a citizen's second call about a demand already
    // recorded. Their screening suggestions come from the import's rules (domain/screening.ts),
    // against the rest of the ledger, so a suggestion always names a rule the demand fails.
    const srnd = mulberry32(20261203);
    const unscreened = plans.filter((p) => p.row.state === 'received');
    const ledger = plans.filter((p) => p.row.state !== 'received');
    const withPhone = ledger.filter((p) => p.row.phone);
    for (const p of unscreened) {
      const r = srnd();
      if (r < 0.06) p.row.content = DEMO_UNCLEAR_TEXTS[Math.floor(srnd() * DEMO_UNCLEAR_TEXTS.length)];
      else if (r < 0.1) Object.assign(p.row, { phone: null, traceable: false, town: null, village: null, address: null });
      else if (r < 0.16) {
        const o = withPhone[Math.floor(srnd() * withPhone.length)].row;
        Object.assign(p.row, { content: `${String(o.content)}${DEMO_AGAIN}`, phone: o.phone, traceable: true, complainantName: o.complainantName, town: o.town, village: o.village });
      }
    }
    const screeningRow = (p: Plan, rowNo: number | null): ScreeningRow => ({
      rowNo,
      ledgerNo: String(p.row.ledgerNo),
      phone: p.row.traceable ? (p.row.phone as string) : null,
      town: (p.row.town as string | null) ?? null,
      village: (p.row.village as string | null) ?? null,
      address: (p.row.address as string | null) ?? null,
      receivedAt: (p.row.receivedAt as Date).getTime(),
      content: String(p.row.content),
      traceable: Boolean(p.row.traceable),
    });
    const suggestions = screenBatch(unscreened.map((p, i) => screeningRow(p, i + 1)), ledger.map((p) => screeningRow(p, null)));
    unscreened.forEach((p, i) => {
      const sug = suggestions.get(i + 1);
      if (sug) Object.assign(p.row, { suggestion: sug.kind, suggestionRef: sug.ref });
    });

    const complaintIds = await bulk.insert(UID.complaint, plans.map((p) => p.row));
    await bulk.link(UID.complaint, 'category', plans.flatMap((p, i): Array<[number, number]> => (p.categoryId ? [[complaintIds[i], p.categoryId]] : [])));
    await bulk.link(UID.complaint, 'responsibleUnit', plans.flatMap((p, i): Array<[number, number]> => (p.respId ? [[complaintIds[i], p.respId]] : [])));
    await bulk.link(UID.complaint, 'leadUnit', plans.flatMap((p, i): Array<[number, number]> => (p.leadId ? [[complaintIds[i], p.leadId]] : [])));

    const children = async (uid: string, key: 'measures' | 'evidence' | 'signOffs') => {
      const rows: Array<Record<string, unknown>> = [];
      const owners: number[] = [];
      plans.forEach((p, i) => p[key].forEach((r) => { rows.push({ ...r, complaintId: complaintIds[i] }); owners.push(complaintIds[i]); }));
      const ids = await bulk.insert(uid, rows);
      await bulk.link(uid, 'complaint', ids.map((id, i): [number, number] => [id, owners[i]]));
      return ids;
    };
    await children(UID.measure, 'measures');
    const evidenceIds = await children(UID.evidence, 'evidence');
    await children(UID.signOff, 'signOffs');
    // Each evidence row is recorded by its evidence_added event (ledger:verify checks it); rows
    // were inserted in plan order, one per plan that has evidence.
    let nextEvidence = 0;
    for (const p of plans) {
      for (const e of p.events) if (e.type === 'evidence_added') e.data = { ...e.data, evidenceId: evidenceIds[nextEvidence++] };
    }

    // Surveys of the closed traceable complaints, with their closed notices in the outbox (the
    // newest open survey's notice still queued, for the pump to send), then their ids in the events.
    const surveyed = plans.map((p, i) => ({ p, complaintId: complaintIds[i] })).filter((x) => x.p.survey);
    const newestOpen = surveyed.filter((x) => x.p.survey!.status === 'open').sort((a, b) => b.p.survey!.sentAt.getTime() - a.p.survey!.sentAt.getTime())[0];
    if (newestOpen) newestOpen.p.survey!.message = 'queued';
    const surveyIds = await bulk.insert(
      UID.survey,
      surveyed.map(({ p, complaintId }) => {
        const sv = p.survey!;
        return {
          complaintId,
          phone: p.row.phone,
          tokenHash: createHash('sha256').update(sv.token, 'utf8').digest('hex'),
          round: 1,
          status: sv.status,
          way: 'link',
          answer: sv.answer,
          answeredVia: sv.answeredVia,
          sentAt: sv.sentAt,
          expiresAt: sv.expiresAt,
          answeredAt: sv.answeredAt,
          comment: sv.comment,
          reopenRequest: sv.reopenRequest,
        };
      })
    );
    await bulk.link(UID.survey, 'complaint', surveyIds.map((id, k): [number, number] => [id, surveyed[k].complaintId]));
    const base = String(strapi.config.get('server.url') || `http://localhost:${strapi.config.get('server.port', 1337)}`).replace(/\/$/, '');
    const links: Array<{ ledgerNo: string; url: string }> = [];
    await bulk.insert(
      UID.smsMessage,
      surveyed.map(({ p, complaintId }, k) => {
        const sv = p.survey!;
        const url = `${base}/survey/${sv.token}`;
        if (sv.status === 'open') links.push({ ledgerNo: String(p.row.ledgerNo), url });
        const queued = sv.message === 'queued';
        return {
          direction: 'outbound',
          phone: p.row.phone,
          template: 'closed_survey',
          body: renderMessage('closed_survey', 'link', { county: cfg.sms.signature, ledgerNo: String(p.row.ledgerNo), surveyUrl: url }, cfg.sms.templates),
          idempotencyKey: `survey:${surveyIds[k]}`,
          complaintId,
          status: queued ? 'queued' : 'delivered',
          attempts: queued ? 0 : 1,
          nextAttemptAt: queued ? now : null,
          provider: 'console',
          providerMessageId: queued ? null : `console-demo-${surveyIds[k]}`,
          sentAt: queued ? null : sv.sentAt,
        };
      })
    );
    // The queued notice's link first: it is the one a demo visitor answers.
    links.sort((a, b) => (a.ledgerNo === String(newestOpen?.p.row.ledgerNo) ? -1 : b.ledgerNo === String(newestOpen?.p.row.ledgerNo) ? 1 : 0));
    demoLinks.set(strapi, links);
    surveyed.forEach(({ p }, k) => {
      for (const e of p.events) if (e.data && 'surveyId' in e.data) e.data = { ...e.data, surveyId: surveyIds[k] };
    });

    await history.appendToNew(plans.map((p, i) => ({ complaintId: complaintIds[i], ledgerNo: String(p.row.ledgerNo), events: p.events })));

    // Demo accounts. Written with the query engine, not admin::user.create: that one starts a
    // telemetry count it does not wait for, which would run inside this transaction after it ends.
    const auth = strapi.service('admin::auth') as any;
    const accounts: Array<{ email: string; password: string; role: string }> = [];
    const createAccount = async (acc: { email: string; firstname: string; lastname: string; roleId: number }, password: string) =>
      strapi.db.query(ADMIN_USER_UID).create({
        data: {
          email: acc.email,
          firstname: acc.firstname,
          lastname: acc.lastname,
          password: await auth.hashPassword(password),
          isActive: true,
          blocked: false,
          registrationToken: null,
          roles: [acc.roleId],
          preferedLanguage: 'zh-Hans',
        },
      });
    for (const acc of DEMO_ACCOUNTS) {
      const existing = await strapi.db.query(ADMIN_USER_UID).findOne({ where: { email: acc.email } });
      if (existing) continue;
      const password = demoPassword();
      const user = await createAccount({ ...acc, roleId: roles[acc.role].id }, password);
      if (acc.unitCode) await bulk.link(UID.unit, 'members', [[unitByCode.get(acc.unitCode)!.id, user.id]]);
      accounts.push({ email: acc.email, password, role: ROLE_DEFINITIONS.find((d) => d.key === acc.role)!.name });
    }
    const superAdminRole = await (strapi.service('admin::role') as any).getSuperAdmin();
    if (superAdminRole && !(await strapi.db.query(ADMIN_USER_UID).findOne({ where: { email: 'admin@minyi.demo' } }))) {
      const password = demoPassword();
      await createAccount({ email: 'admin@minyi.demo', firstname: '系统', lastname: '管理员', roleId: superAdminRole.id }, password);
      accounts.unshift({ email: 'admin@minyi.demo', password, role: 'Super Admin 超级管理员' });
    }
    return accounts;
  },
});
