/**
 * The dashboard's filter bar as data, and the two things it becomes: the query parameters of the
 * statistics routes (the filter module's names and syntax, server/src/domain/filters.ts), and the
 * Content Manager list URL that shows exactly the complaints a figure counts. Pure: no React, no
 * fetch, so tests/unit/dashboard checks it against the server's filter module.
 */
import { instantOfWall } from '../../utils/zone-wall';

/** The values the filter module accepts (server/src/domain): a unit test keeps them equal. */
export const STATES = ['received', 'invalid', 'classified', 'assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing', 'closed'] as const;
export const VALIDITIES = ['valid', 'invalid', 'unscreened'] as const;
export const CHANNELS = ['visit', 'hotline', 'letter', 'web', 'sms', 'meeting', 'other'] as const;
export const WARNING_LEVELS = ['none', 'yellow', 'orange', 'red'] as const;
export const MODES = ['immediate', 'deadline', 'phased', 'policy_limited'] as const;
export const NATURES = ['individual', 'common'] as const;
export const LEVELS = ['county', 'township'] as const;
export const INVALID_REASONS = ['unclear_content', 'unclear_subject', 'no_contact', 'duplicate', 'out_of_scope', 'other'] as const;
export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'dissatisfied', 'unanswered'] as const;
export const SPOT_CHECKS = ['pending', 'passed', 'failed'] as const;
export const BOOLS = ['true', 'false'] as const;

/** States after screening: a valid complaint (DOMAIN.md, "validity is not a separate field"). */
export const VALID_STATES: readonly string[] = STATES.filter((s) => s !== 'received' && s !== 'invalid');
/** Handed to a unit and not yet closed: 办理中. */
export const IN_PROGRESS_STATES: readonly string[] = ['assigned', 'accepted', 'in_review', 'returned', 'rectifying', 'signing'];
/** The states whose clock runs (server/src/domain/warning-level.ts CLOCK_STATES): the current warnings. */
export const CLOCK_STATES: readonly string[] = ['assigned', 'rectifying'];
export const WARNING_COUNTED: readonly string[] = ['yellow', 'orange', 'red'];

/**
 * The filters of the bar. `month` is the month received (the filter module's `receivedAt` range
 * over that month, and the `month` of the rates); the others are the filter module's own names.
 * `options` says where the choices come from: a list, a source of the page, `text` (typed; a
 * ledger number ending in `*` is a prefix) or `range` (calendar days `from..to`, either end open).
 */
export const BAR_FILTERS = [
  { name: 'month', options: 'months', multi: false },
  { name: 'town', options: 'towns', multi: true },
  { name: 'responsibleUnit', options: 'units', multi: true },
  { name: 'leadUnit', options: 'leadUnits', multi: true },
  { name: 'majorCategory', options: 'majors', multi: true },
  { name: 'minorCategory', options: 'minors', multi: true },
  { name: 'state', options: STATES, multi: true },
  { name: 'validity', options: VALIDITIES, multi: true },
  { name: 'channel', options: CHANNELS, multi: true },
  { name: 'warningLevel', options: WARNING_LEVELS, multi: true },
  { name: 'mode', options: MODES, multi: true },
  { name: 'nature', options: NATURES, multi: true },
  { name: 'level', options: LEVELS, multi: true },
  { name: 'invalidReason', options: INVALID_REASONS, multi: true },
  { name: 'traceable', options: BOOLS, multi: false },
  { name: 'reopened', options: BOOLS, multi: false },
  { name: 'satisfaction', options: SATISFACTIONS, multi: true },
  { name: 'spotCheck', options: SPOT_CHECKS, multi: true },
  { name: 'keyword', options: 'text', multi: false },
  { name: 'ledgerNo', options: 'text', multi: false },
  { name: 'village', options: 'text', multi: false },
  { name: 'importBatch', options: 'text', multi: false },
  { name: 'problemGroup', options: 'groups', multi: true },
  { name: 'deadline', options: 'range', multi: false },
  { name: 'closedAt', options: 'range', multi: false },
] as const;

export type BarFilterName = (typeof BAR_FILTERS)[number]['name'];
export const BAR_FILTER_NAMES: readonly BarFilterName[] = BAR_FILTERS.map((f) => f.name);

/** The chosen values of each filter (a single-valued filter holds one). */
export type BarFilters = Partial<Record<BarFilterName, string[]>>;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY = '\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])';
/** `from..to` of calendar days, either end open, not both. */
export const RANGE_RE = new RegExp(`^(${DAY})?\\.\\.(${DAY})?$`);

/** The two ends of a range value (`from..to`), empty for an open end. */
export const rangeEnds = (value: string | undefined): { from: string; to: string } => {
  const m = RANGE_RE.exec(value ?? '');
  return { from: m?.[1] ?? '', to: m?.[2] ?? '' };
};
/** A range value of two ends, or null when both are open. */
export const rangeValue = (from: string, to: string): string | null => (from || to ? `${from}..${to}` : null);

/** The last day of a month (YYYY-MM-DD). */
export const lastDayOf = (month: string): string => {
  const m = MONTH_RE.exec(month);
  if (!m) throw new Error(`not a month: ${month}`);
  const days = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, '0')}`;
};

/** The filters of a URL's search part (the bar keeps its state in the address, so a view can be shared). */
export const filtersFromSearch = (search: URLSearchParams): BarFilters => {
  const out: BarFilters = {};
  for (const f of BAR_FILTERS) {
    const raw = search.get(f.name);
    if (raw === null || raw === '') continue;
    const values = f.options === 'text' || f.options === 'range' ? [raw] : raw.split(',').filter(Boolean);
    if (f.name === 'month' && !MONTH_RE.test(values[0] ?? '')) continue;
    if (f.options === 'range' && (!RANGE_RE.test(values[0]) || values[0] === '..')) continue;
    if (values.length) out[f.name] = f.multi ? values : values.slice(0, 1);
  }
  return out;
};

export const filtersToSearch = (filters: BarFilters): URLSearchParams => {
  const s = new URLSearchParams();
  for (const f of BAR_FILTERS) {
    const v = filters[f.name];
    if (v && v.length) s.set(f.name, v.join(','));
  }
  return s;
};

/**
 * The statistics routes' query parameters for the filters, with `extra` (a figure's own
 * conditions) narrowing them: a value list of `extra` is intersected with the bar's list of the
 * same filter. Returns null when the intersection is empty: nothing can match, ask nothing.
 */
export const apiParams = (filters: BarFilters, extra: Partial<Record<string, readonly string[]>> = {}): Record<string, string> | null => {
  const out: Record<string, string> = {};
  for (const f of BAR_FILTERS) {
    const v = filters[f.name];
    if (!v || !v.length) continue;
    if (f.name === 'month') out.receivedAt = `${v[0]}-01..${lastDayOf(v[0])}`;
    else out[f.name] = v.join(',');
  }
  for (const [name, values] of Object.entries(extra)) {
    if (!values) continue;
    const mine = out[name] ? out[name].split(',') : null;
    const both = mine ? values.filter((x) => mine.includes(x)) : [...values];
    if (both.length === 0) return null;
    out[name] = both.join(',');
  }
  return out;
};

export const queryString = (params: Record<string, string>): string => {
  const s = new URLSearchParams(params).toString();
  return s ? `?${s}` : '';
};

/** The first instant of a calendar day in a time zone (server/src/domain/calendar.ts startOfDayUtc). */
export const startOfDayUtc = (day: string, timeZone: string): Date => instantOfWall(Date.parse(`${day}T00:00:00Z`), timeZone);

const nextMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** One condition of a Content Manager list filter: `{ field: { $op: value } }`, or an `$or` of them. */
type CmCondition = Record<string, unknown>;

/** The complaint's own fields of each filter (content type `complaint`). */
const CM_FIELD: Partial<Record<BarFilterName, string>> = {
  town: 'town', responsibleUnit: 'responsibleUnitId', leadUnit: 'leadUnitId', majorCategory: 'majorCategoryCode',
  minorCategory: 'categoryCode', state: 'state', channel: 'channel', mode: 'mode', nature: 'nature', level: 'level',
  invalidReason: 'invalidReason', warningLevel: 'warningLevel', village: 'village', importBatch: 'importBatch',
  problemGroup: 'problemGroupId',
};
const NUMERIC_FIELDS = ['responsibleUnitId', 'leadUnitId', 'problemGroupId'];

const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Filters the Content Manager cannot express the way the filter module counts them: the keyword
 * goes through the bigram index over the private `content`, the satisfaction is the latest
 * answer of the complaint's surveys, the spot-check result that of its latest check. A figure
 * under one of them opens no list (a list that shows other rows than the figure would mislead).
 */
export const NOT_IN_LIST: readonly BarFilterName[] = ['keyword', 'satisfaction', 'spotCheck'];

const anyOf = (field: string, values: readonly string[]): CmCondition => {
  const typed = NUMERIC_FIELDS.includes(field) ? values.map(Number) : [...values];
  return typed.length === 1 ? { [field]: { $eq: typed[0] } } : { [field]: { $in: typed } };
};

/**
 * The Content Manager list conditions of the filters, or null when one of them has no
 * equivalent there (NOT_IN_LIST). `extra` narrows as in apiParams.
 */
export const cmConditions = (
  filters: BarFilters,
  extra: Partial<Record<string, readonly string[]>>,
  timeZone: string
): CmCondition[] | null => {
  const merged: Record<string, string[]> = {};
  for (const f of BAR_FILTERS) {
    const v = filters[f.name];
    if (v && v.length) merged[f.name] = [...v];
  }
  for (const [name, values] of Object.entries(extra)) {
    if (!values) continue;
    merged[name] = merged[name] ? values.filter((x) => merged[name].includes(x)) : [...values];
  }
  const out: CmCondition[] = [];
  for (const [name, values] of Object.entries(merged)) {
    if ((NOT_IN_LIST as readonly string[]).includes(name)) return null;
    if (values.length === 0) return null;
    switch (name) {
      case 'month':
        out.push({ receivedAt: { $gte: startOfDayUtc(`${values[0]}-01`, timeZone).toISOString() } });
        out.push({ receivedAt: { $lt: startOfDayUtc(`${nextMonth(values[0])}-01`, timeZone).toISOString() } });
        break;
      case 'validity': {
        const states = new Set<string>();
        for (const v of values) {
          if (v === 'valid') VALID_STATES.forEach((s) => states.add(s));
          if (v === 'invalid') states.add('invalid');
          if (v === 'unscreened') states.add('received');
        }
        out.push(anyOf('state', STATES.filter((s) => states.has(s))));
        break;
      }
      case 'ledgerNo': {
        const v = values[0];
        out.push(v.endsWith('*') ? { ledgerNo: { $startsWith: v.slice(0, -1) } } : { ledgerNo: { $eq: v } });
        break;
      }
      case 'deadline': {
        // A calendar-day column: compared as days.
        const { from, to } = rangeEnds(values[0]);
        if (from) out.push({ deadline: { $gte: from } });
        if (to) out.push({ deadline: { $lte: to } });
        break;
      }
      case 'closedAt': {
        // An instant: the county's days, as the filter module cuts them.
        const { from, to } = rangeEnds(values[0]);
        if (from) out.push({ closedAt: { $gte: startOfDayUtc(from, timeZone).toISOString() } });
        if (to) out.push({ closedAt: { $lt: startOfDayUtc(nextDay(to), timeZone).toISOString() } });
        break;
      }
      case 'traceable':
        out.push(values[0] === 'true' ? { traceable: { $eq: true } } : { $or: [{ traceable: { $eq: false } }, { traceable: { $null: true } }] });
        break;
      case 'reopened':
        out.push(values[0] === 'true' ? { reopenCount: { $gt: 0 } } : { $or: [{ reopenCount: { $eq: 0 } }, { reopenCount: { $null: true } }] });
        break;
      default: {
        const field = CM_FIELD[name as BarFilterName];
        if (!field) return null;
        out.push(anyOf(field, values));
      }
    }
  }
  return out;
};

/** `filters[$and][0][state][$in][0]=closed&…`: the Content Manager's qs syntax. */
const encodeCm = (prefix: string, v: unknown, into: string[]): void => {
  if (Array.isArray(v)) v.forEach((x, i) => encodeCm(`${prefix}[${i}]`, x, into));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) encodeCm(`${prefix}[${k}]`, x, into);
  else into.push(`${encodeURIComponent(prefix)}=${encodeURIComponent(String(v))}`);
};

export const COMPLAINT_LIST = '/content-manager/collection-types/plugin::complaints.complaint';

/** The Content Manager list of the complaints of a figure, or null when it cannot show them. */
export const cmListHref = (filters: BarFilters, extra: Partial<Record<string, readonly string[]>>, timeZone: string, pageSize = 100): string | null => {
  const conditions = cmConditions(filters, extra, timeZone);
  if (!conditions) return null;
  const parts = [`page=1`, `pageSize=${pageSize}`, `sort=${encodeURIComponent('ledgerNo:ASC')}`];
  conditions.forEach((c, i) => encodeCm(`filters[$and][${i}]`, c, parts));
  return `${COMPLAINT_LIST}?${parts.join('&')}`;
};
