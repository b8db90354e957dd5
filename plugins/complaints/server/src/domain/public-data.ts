/**
 * What the public may see of the ledger (公开数据), by construction: the query parameters a
 * public route takes (public dimensions only), the one projection of a closed complaint into a
 * public result (an explicit allow-list of columns; no entity is ever serialized), the public
 * state groups, and the public timeline (dates and steps, no names). Names, phones, addresses,
 * the citizen's content and the raw row never enter any of these.
 */
import { calendarDay } from './calendar';
import type { ComplaintState } from './complaint-state';
import { DomainError } from './errors';
import { isMonth } from './rates';
import type { ActorContext } from './transitions/types';

/**
 * The public reads aggregate figures over the whole county, as the county leader's read-only
 * view does; no public route returns a row of this actor's scope except the projection below.
 */
export const PUBLIC_ACTOR: ActorContext = Object.freeze({ userId: null, superAdmin: false, roles: ['countyLeader'], unitIds: [] }) as ActorContext;

/** The parameters each public read route takes; anything else is refused. */
export const PUBLIC_PARAMETERS = {
  summary: ['category', 'town', 'month'],
  results: ['category', 'town', 'month', 'page', 'pageSize'],
  ranking: ['month'],
} as const;
export type PublicRead = keyof typeof PUBLIC_PARAMETERS;

export const MAX_PAGE_SIZE = 50;
export const DEFAULT_PAGE_SIZE = 20;
/** Strapi's own query parameters: named in the refusal, since a caller may expect them to work. */
const STRAPI_PARAMETERS = ['populate', 'fields', 'filters', 'sort', 'pagination', 'publicationState', 'status', 'locale'];

export interface PublicQuery {
  /** A major (2 digits) or minor (4 digits) category code. */
  category: string | null;
  town: string | null;
  /** Month received, county time (YYYY-MM). */
  month: string | null;
  page: number;
  pageSize: number;
}

const refuse = (code: string, zh: string, en: string, details: Record<string, unknown>) => new DomainError('validation', code, zh, en, details);
const shown = (s: string) => s.slice(0, 40);

const one = (name: string, raw: unknown): string => {
  if (typeof raw !== 'string') throw refuse('bad_parameter', `参数 ${name} 只能出现一次，且应为文字`, `Parameter ${name} must appear once, as text`, { parameter: name });
  return raw.trim();
};

const positive = (name: string, raw: unknown, max: number): number => {
  const s = one(name, raw);
  if (!/^[1-9][0-9]{0,5}$/.test(s) || Number(s) > max) {
    throw refuse('bad_parameter', `参数 ${name} 应为 1 到 ${max} 的整数`, `Parameter ${name} must be a whole number from 1 to ${max}`, { parameter: name, max });
  }
  return Number(s);
};

/**
 * The query of a public read route. Only the route's own parameters are taken; `populate`,
 * `fields`, `filters`, `sort` and every other name are a 400 naming it (never dropped: a dropped
 * filter would answer a different question than the one asked).
 */
export const parsePublicQuery = (route: PublicRead, query: Record<string, unknown>): PublicQuery => {
  const allowed: readonly string[] = PUBLIC_PARAMETERS[route];
  for (const key of Object.keys(query ?? {})) {
    if (allowed.includes(key)) continue;
    if (STRAPI_PARAMETERS.includes(key)) {
      throw refuse('unsupported_parameter', `公开接口不支持参数 ${key}；可用参数：${allowed.join('、')}`, `Public routes do not take "${key}"; parameters: ${allowed.join(', ')}`, {
        parameter: key,
        allowed: [...allowed],
      });
    }
    throw refuse('unknown_parameter', `未知的查询参数：${shown(key)}；可用参数：${allowed.join('、')}`, `Unknown query parameter: ${shown(key)}; parameters: ${allowed.join(', ')}`, {
      parameter: shown(key),
      allowed: [...allowed],
    });
  }
  const q = query ?? {};
  const out: PublicQuery = { category: null, town: null, month: null, page: 1, pageSize: DEFAULT_PAGE_SIZE };
  if (q.category !== undefined) {
    const c = one('category', q.category);
    if (!/^[0-9]{2}([0-9]{2})?$/.test(c)) throw refuse('bad_parameter', 'category 应为 2 位大类或 4 位小类编码', 'category must be a 2-digit major or 4-digit minor category code', { parameter: 'category' });
    out.category = c;
  }
  if (q.town !== undefined) {
    const t = one('town', q.town);
    if (!t || [...t].length > 50) throw refuse('bad_parameter', 'town 应为 1 到 50 个字的乡镇名称', 'town must be a town name of 1 to 50 characters', { parameter: 'town' });
    out.town = t;
  }
  if (q.month !== undefined) {
    const m = one('month', q.month);
    if (!isMonth(m)) throw refuse('bad_parameter', 'month 应为 YYYY-MM 格式的月份', 'month must be a month as YYYY-MM', { parameter: 'month' });
    out.month = m;
  }
  if (q.page !== undefined) out.page = positive('page', q.page, 100_000);
  if (q.pageSize !== undefined) out.pageSize = positive('pageSize', q.pageSize, MAX_PAGE_SIZE);
  if (route === 'summary' && out.town && out.category) {
    throw refuse('one_breakdown', '概览一次只能按乡镇或类别之一筛选', 'The summary takes a town or a category, not both', { parameters: ['town', 'category'] });
  }
  return out;
};

/** The public state groups: what a citizen needs to know of where a demand stands. */
export const STATE_GROUPS = ['received', 'in_progress', 'closed', 'invalid'] as const;
export type StateGroup = (typeof STATE_GROUPS)[number];

export const STATE_GROUP_LABELS: Record<StateGroup, { zh: string; en: string }> = {
  received: { zh: '已登记', en: 'Received' },
  in_progress: { zh: '办理中', en: 'In progress' },
  closed: { zh: '已办结', en: 'Closed' },
  invalid: { zh: '不予受理', en: 'Not accepted' },
};

export const stateGroupOf = (state: string): StateGroup =>
  state === 'received' ? 'received' : state === 'closed' ? 'closed' : state === 'invalid' ? 'invalid' : 'in_progress';

/**
 * The columns of `complaints` a public result is built from. Nothing else is selected: not the
 * name, phone, address, village, content, raw row, units, notes or anything added later.
 */
export const PUBLIC_RESULT_COLUMNS = ['ledger_no', 'category_code', 'major_category_code', 'town', 'received_at', 'summary', 'closed_at', 'mode'] as const;
export type PublicResultRow = Record<(typeof PUBLIC_RESULT_COLUMNS)[number], unknown> & {
  /** Joined: the category names, and the approved measure's text when it may be shown. */
  major_name?: unknown;
  minor_name?: unknown;
  measure_text?: unknown;
  /** Joined: the answer of the complaint's latest answered survey (the one the satisfaction rate counts). */
  satisfaction?: unknown;
};

export interface PublicResult {
  ledgerNo: string;
  majorCategory: { code: string; name: string | null } | null;
  minorCategory: { code: string; name: string | null } | null;
  town: string | null;
  /** YYYY-MM, county time. */
  monthReceived: string | null;
  /** The county office's public summary (moderated on save), or null. */
  summary: string | null;
  measure: { mode: string | null; text: string | null };
  /** YYYY-MM-DD, county time. */
  closedOn: string | null;
  satisfaction: 'satisfied' | 'basically_satisfied' | 'dissatisfied' | null;
}

const toDate = (v: unknown): Date | null => {
  if (v === null || v === undefined || v === '') return null;
  const d = v instanceof Date ? v : new Date(typeof v === 'number' || /^\d+$/.test(String(v)) ? Number(v) : String(v));
  return Number.isNaN(d.getTime()) ? null : d;
};
/** The county day of a stored instant (a Date, ISO text or epoch milliseconds), or null. */
export const dayOf = (v: unknown, timeZone: string): string | null => {
  const d = toDate(v);
  return d ? calendarDay(d, timeZone) : null;
};
const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const ANSWERS = ['satisfied', 'basically_satisfied', 'dissatisfied'];

/**
 * One closed complaint as the public sees it. `measureText` is the approved measure's text only
 * when the caller checked it holds no personal data (else null): a unit writes it, not the citizen,
 * but it is held to the summary's rule all the same.
 */
export const publicResult = (row: PublicResultRow, timeZone: string): PublicResult => {
  const received = toDate(row.received_at);
  const closed = toDate(row.closed_at);
  const major = str(row.major_category_code);
  const minor = str(row.category_code);
  const answer = str(row.satisfaction);
  return {
    ledgerNo: String(row.ledger_no),
    majorCategory: major ? { code: major, name: str(row.major_name) } : null,
    minorCategory: minor ? { code: minor, name: str(row.minor_name) } : null,
    town: str(row.town),
    monthReceived: received ? calendarDay(received, timeZone).slice(0, 7) : null,
    summary: str(row.summary),
    measure: { mode: str(row.mode), text: str(row.measure_text) },
    closedOn: closed ? calendarDay(closed, timeZone) : null,
    satisfaction: answer && ANSWERS.includes(answer) ? (answer as PublicResult['satisfaction']) : null,
  };
};

/** One step of the public timeline: the day and the state reached. */
export interface TimelineStep {
  day: string;
  state: ComplaintState;
  group: StateGroup;
  label: { zh: string; en: string };
}

const STEP_LABELS: Record<ComplaintState, { zh: string; en: string }> = {
  received: { zh: '诉求已登记', en: 'Demand recorded' },
  invalid: { zh: '经甄别不予受理', en: 'Screened out' },
  classified: { zh: '已分类', en: 'Classified' },
  assigned: { zh: '已交办责任单位', en: 'Assigned to the responsible unit' },
  accepted: { zh: '责任单位已受理', en: 'Accepted by the responsible unit' },
  in_review: { zh: '整改措施审核中', en: 'Measure under review' },
  returned: { zh: '整改措施退回修改', en: 'Measure returned for revision' },
  rectifying: { zh: '整改中', en: 'Being rectified' },
  signing: { zh: '整改完成，验收中', en: 'Rectified, signing off' },
  closed: { zh: '已办结', en: 'Closed' },
};

/**
 * The public timeline of a complaint from its history events: each change of state, with its
 * county day. Who acted, their unit, the event's data and every event that changes no state
 * (edits, corrections, warnings) are left out.
 */
export const publicTimeline = (events: Array<{ at: unknown; fromState: unknown; toState: unknown }>, timeZone: string): TimelineStep[] => {
  const steps: TimelineStep[] = [];
  for (const e of events) {
    const to = str(e.toState) as ComplaintState | null;
    const at = toDate(e.at);
    if (!to || !at || !(to in STEP_LABELS) || str(e.fromState) === to) continue;
    steps.push({ day: calendarDay(at, timeZone), state: to, group: stateGroupOf(to), label: STEP_LABELS[to] });
  }
  return steps;
};
