/**
 * The ledger's 25 filters (issue 14), as data, and the one parser every reader of complaints uses
 * (statistics, export, workbench, public page). A filter is a query parameter: `state=assigned,accepted`,
 * `receivedAt=2026-01-01..2026-03-31`, `ledgerNo=GZ2026*`. An unknown filter, a bad value, an
 * inverted range or too many values is refused (400, in Chinese and English, `details.filter`),
 * never dropped: a dropped filter would count more rows than the caller asked for.
 * Messages name the filter, never the value (a value may be a citizen's words).
 */
import { isCalendarDay } from './calendar';
import { STATES, type ComplaintState } from './complaint-state';
import { DomainError } from './errors';
import { CHANNELS } from './import-row';
import { INVALID_REASONS, LEVELS, MODES, NATURES } from './terms';
import { WARNING_LEVELS } from './warning-level';
import { MAX_ID } from './bad-input';

export type FilterKind = 'exact' | 'prefix' | 'enum' | 'day-range' | 'id' | 'bool' | 'text';

export interface FilterDef {
  name: string;
  kind: FilterKind;
  label: { zh: string; en: string };
  /** enum: the allowed values. */
  values?: readonly string[];
  /** exact, prefix, text: the longest value. */
  maxLength?: number;
  /** exact: the shape of one value. */
  pattern?: RegExp;
  /** exact, enum, id: several values (comma-separated or repeated), any of which matches. */
  multi?: boolean;
}

/** Validity is not a field (DOMAIN.md): `received` is unscreened, `invalid` screened out, every later state valid. */
export const VALIDITIES = ['valid', 'invalid', 'unscreened'] as const;
/** The latest answer of the complaint's surveys (domain/satisfaction.ts), or none yet. */
export const SATISFACTION_FILTER_VALUES = ['satisfied', 'basically_satisfied', 'dissatisfied', 'unanswered'] as const;
/** The result of the complaint's latest spot check (content type spot-check). */
export const SPOT_CHECK_RESULTS = ['pending', 'passed', 'failed'] as const;

export const FILTERS = [
  // identity and intake
  { name: 'ledgerNo', kind: 'prefix', label: { zh: '诉求编号', en: 'Ledger number' }, maxLength: 64 },
  { name: 'keyword', kind: 'text', label: { zh: '关键词', en: 'Keyword' }, maxLength: 100 },
  { name: 'channel', kind: 'enum', label: { zh: '来源渠道', en: 'Channel' }, values: CHANNELS, multi: true },
  { name: 'receivedAt', kind: 'day-range', label: { zh: '反映时间', en: 'Received' } },
  { name: 'town', kind: 'exact', label: { zh: '乡镇', en: 'Town' }, maxLength: 50, multi: true },
  { name: 'village', kind: 'exact', label: { zh: '村（社区）', en: 'Village' }, maxLength: 100, multi: true },
  { name: 'importBatch', kind: 'exact', label: { zh: '导入批次', en: 'Import batch' }, maxLength: 64, multi: true },
  { name: 'traceable', kind: 'bool', label: { zh: '可追溯', en: 'Traceable' } },
  // screening and classification
  { name: 'validity', kind: 'enum', label: { zh: '有效性', en: 'Validity' }, values: VALIDITIES, multi: true },
  { name: 'invalidReason', kind: 'enum', label: { zh: '无效原因', en: 'Invalid reason' }, values: INVALID_REASONS, multi: true },
  { name: 'majorCategory', kind: 'exact', label: { zh: '大类', en: 'Major category' }, pattern: /^[0-9]{2}$/, multi: true },
  { name: 'minorCategory', kind: 'exact', label: { zh: '小类', en: 'Minor category' }, pattern: /^[0-9]{4}$/, multi: true },
  { name: 'level', kind: 'enum', label: { zh: '办理层级', en: 'Level' }, values: LEVELS, multi: true },
  { name: 'leadUnit', kind: 'id', label: { zh: '牵头单位', en: 'Lead unit' }, multi: true },
  { name: 'responsibleUnit', kind: 'id', label: { zh: '责任单位', en: 'Responsible unit' }, multi: true },
  // handling
  { name: 'nature', kind: 'enum', label: { zh: '诉求性质', en: 'Nature' }, values: NATURES, multi: true },
  { name: 'problemGroup', kind: 'id', label: { zh: '共性问题小类', en: 'Problem group' }, multi: true },
  { name: 'mode', kind: 'enum', label: { zh: '整改方式', en: 'Mode' }, values: MODES, multi: true },
  { name: 'state', kind: 'enum', label: { zh: '状态', en: 'State' }, values: STATES, multi: true },
  { name: 'warningLevel', kind: 'enum', label: { zh: '预警等级', en: 'Warning level' }, values: WARNING_LEVELS, multi: true },
  { name: 'deadline', kind: 'day-range', label: { zh: '整改期限', en: 'Deadline' } },
  { name: 'closedAt', kind: 'day-range', label: { zh: '办结时间', en: 'Closed' } },
  // outcome
  { name: 'satisfaction', kind: 'enum', label: { zh: '满意度', en: 'Satisfaction' }, values: SATISFACTION_FILTER_VALUES, multi: true },
  // and two more
  { name: 'reopened', kind: 'bool', label: { zh: '重新整改过', en: 'Reopened' } },
  { name: 'spotCheck', kind: 'enum', label: { zh: '抽查结果', en: 'Spot-check result' }, values: SPOT_CHECK_RESULTS, multi: true },
] as const satisfies readonly FilterDef[];

export type FilterName = (typeof FILTERS)[number]['name'];
export const FILTER_NAMES: readonly FilterName[] = FILTERS.map((f) => f.name);

/** At most this many values in one filter (a list of units, towns, states). */
export const MAX_VALUES = 50;

/** Personal fields: never a filter, and saying so plainly (DOMAIN.md, "Citizens' personal data"). */
export const PRIVATE_FIELDS = ['complainantName', 'phone', 'address', 'content', 'rawRow'] as const;

export type ParsedFilter =
  | { name: FilterName; kind: 'exact' | 'enum'; values: string[] }
  | { name: FilterName; kind: 'id'; values: number[] }
  | { name: FilterName; kind: 'prefix'; value: string; prefix: boolean }
  | { name: FilterName; kind: 'text'; value: string }
  | { name: FilterName; kind: 'bool'; value: boolean }
  | { name: FilterName; kind: 'day-range'; from: string | null; to: string | null };

/** The states of a validity (DOMAIN.md: validity is read from the state). */
export const statesOfValidity = (v: string): ComplaintState[] =>
  v === 'unscreened' ? ['received'] : v === 'invalid' ? ['invalid'] : STATES.filter((s) => s !== 'received' && s !== 'invalid');

/** The parsed filters by name; a name appears at most once. */
export type Filters = Partial<Record<FilterName, ParsedFilter>>;

const byName = new Map<string, FilterDef>(FILTERS.map((f) => [f.name, f]));

/** A name or value typed by the caller, cut short for a message. */
const shown = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

const refuse = (code: string, zh: string, en: string, filter: string, extra: Record<string, unknown> = {}) =>
  new DomainError('validation', code, zh, en, { filter, ...extra });

const unknownFilter = (name: string) =>
  refuse('unknown_filter', `未知的筛选条件：${shown(name)}`, `Unknown filter: ${shown(name)}`, shown(name), { known: [...FILTER_NAMES] });

const privateField = (name: string) =>
  refuse('private_filter', `不能按个人信息筛选：${name}`, `Personal fields cannot be filtered on: ${name}`, name);

const badValue = (def: FilterDef, hint: { zh: string; en: string }) =>
  refuse('bad_filter_value', `筛选条件「${def.label.zh}」（${def.name}）的值无效：${hint.zh}`, `Bad value for filter "${def.label.en}" (${def.name}): ${hint.en}`, def.name);

const tooMany = (def: FilterDef) =>
  refuse('too_many_values', `筛选条件「${def.label.zh}」（${def.name}）最多 ${MAX_VALUES} 个值`, `Filter "${def.label.en}" (${def.name}) takes at most ${MAX_VALUES} values`, def.name, { max: MAX_VALUES });

const inverted = (def: FilterDef) =>
  refuse('inverted_range', `筛选条件「${def.label.zh}」（${def.name}）的开始日期晚于结束日期`, `Filter "${def.label.en}" (${def.name}) starts after it ends`, def.name);

const HINT = {
  oneValue: { zh: '只能有一个值', en: 'takes one value' },
  text: { zh: '应为文字', en: 'expected text' },
  empty: { zh: '不能为空', en: 'must not be empty' },
  tooLong: (n: number) => ({ zh: `最长 ${n} 个字符`, en: `at most ${n} characters` }),
  shape: { zh: '格式不对', en: 'wrong format' },
  oneOf: (values: readonly string[]) => ({ zh: `应为 ${values.join('、')} 之一`, en: `expected one of ${values.join(', ')}` }),
  id: { zh: '应为正整数编号', en: 'expected a positive whole-number id' },
  bool: { zh: '应为 true 或 false', en: 'expected true or false' },
  range: { zh: '应为 YYYY-MM-DD..YYYY-MM-DD（可省略一端）', en: 'expected YYYY-MM-DD..YYYY-MM-DD (either end may be left out)' },
};

/** The raw strings of one parameter: a repeated parameter arrives as an array, a nested one (`a[b]=1`) as an object. */
const rawStrings = (def: FilterDef, raw: unknown): string[] => {
  const list = Array.isArray(raw) ? raw : [raw];
  if (!list.every((v): v is string => typeof v === 'string')) throw badValue(def, HINT.text);
  if (!def.multi && list.length > 1) throw badValue(def, HINT.oneValue);
  return list;
};

/** Several values: comma-separated, repeated, or both; each one present. */
const valuesOf = (def: FilterDef, raw: unknown): string[] => {
  const parts = rawStrings(def, raw).flatMap((s) => s.split(','));
  if (parts.length > MAX_VALUES) throw tooMany(def);
  const values = parts.map((p) => p.trim());
  if (values.some((v) => v === '')) throw badValue(def, HINT.empty);
  return Array.from(new Set(values));
};

const single = (def: FilterDef, raw: unknown): string => {
  const [s] = rawStrings(def, raw);
  const v = s.trim();
  if (v === '') throw badValue(def, HINT.empty);
  if (def.maxLength && [...v].length > def.maxLength) throw badValue(def, HINT.tooLong(def.maxLength));
  return v;
};

const parseOne = (def: FilterDef, raw: unknown): ParsedFilter => {
  const name = def.name as FilterName;
  switch (def.kind) {
    case 'enum': {
      const values = valuesOf(def, raw);
      const allowed = def.values ?? [];
      if (values.some((v) => !allowed.includes(v))) throw badValue(def, HINT.oneOf(allowed));
      return { name, kind: 'enum', values };
    }
    case 'exact': {
      const values = valuesOf(def, raw);
      for (const v of values) {
        if (def.maxLength && [...v].length > def.maxLength) throw badValue(def, HINT.tooLong(def.maxLength));
        if (def.pattern && !def.pattern.test(v)) throw badValue(def, HINT.shape);
      }
      return { name, kind: 'exact', values };
    }
    case 'id': {
      const values = valuesOf(def, raw).map((v) => (/^[1-9][0-9]{0,9}$/.test(v) && Number(v) <= MAX_ID ? Number(v) : null));
      if (values.some((v) => v === null)) throw badValue(def, HINT.id);
      return { name, kind: 'id', values: values as number[] };
    }
    case 'prefix': {
      const v = single(def, raw);
      const prefix = v.endsWith('*');
      const value = prefix ? v.slice(0, -1) : v;
      if (value === '' || value.includes('*')) throw badValue(def, HINT.shape);
      return { name, kind: 'prefix', value, prefix };
    }
    case 'text':
      return { name, kind: 'text', value: single(def, raw) };
    case 'bool': {
      const v = single(def, raw);
      if (v !== 'true' && v !== 'false') throw badValue(def, HINT.bool);
      return { name, kind: 'bool', value: v === 'true' };
    }
    case 'day-range': {
      const v = single(def, raw);
      const [from, to, ...rest] = v.includes('..') ? v.split('..') : [v, v];
      const day = (s: string | undefined) => (s === undefined || s === '' ? null : s);
      const f = day(from);
      const t = day(to);
      if (rest.length || (f === null && t === null) || (f !== null && !isCalendarDay(f)) || (t !== null && !isCalendarDay(t))) throw badValue(def, HINT.range);
      if (f !== null && t !== null && f > t) throw inverted(def);
      return { name, kind: 'day-range', from: f, to: t };
    }
  }
};

/**
 * The filters of a request's query. `reserved` names the other parameters of the route (`by`
 * of the counts), which are not filters and are left to the route.
 */
export const parseFilters = (query: Record<string, unknown>, reserved: readonly string[] = []): Filters => {
  const out: Filters = {};
  for (const [key, raw] of Object.entries(query ?? {})) {
    if (reserved.includes(key)) continue;
    const def = byName.get(key);
    if (!def) {
      if ((PRIVATE_FIELDS as readonly string[]).includes(key)) throw privateField(key);
      throw unknownFilter(key);
    }
    out[def.name as FilterName] = parseOne(def, raw);
  }
  return out;
};

/**
 * The dimensions a count may be grouped by (issue 14, item 3): one or two of them. Months are
 * calendar months in the county's time zone.
 */
export const DIMENSIONS = [
  'unit', 'leadUnit', 'majorCategory', 'minorCategory', 'town', 'monthReceived', 'monthClosed',
  'state', 'mode', 'warningLevel', 'channel', 'nature',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const MAX_DIMENSIONS = 2;

const dimensionRefusal = (code: string, zh: string, en: string, extra: Record<string, unknown> = {}) =>
  new DomainError('validation', code, zh, en, { filter: 'by', known: [...DIMENSIONS], ...extra });

/** `by=unit` or `by=unit,monthReceived`: one or two distinct known dimensions. */
export const parseDimensions = (raw: unknown): Dimension[] => {
  if (raw === undefined || raw === '') throw dimensionRefusal('missing_dimension', '请指定分组维度（by）', 'Choose what to count by (by)');
  if (typeof raw !== 'string') throw dimensionRefusal('bad_dimension', '分组维度（by）只能写一次，用逗号分隔', 'Give "by" once, its dimensions separated by commas');
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length > MAX_DIMENSIONS) throw dimensionRefusal('too_many_dimensions', `最多按 ${MAX_DIMENSIONS} 个维度分组`, `Count by at most ${MAX_DIMENSIONS} dimensions`);
  for (const p of parts) {
    if (!(DIMENSIONS as readonly string[]).includes(p)) throw dimensionRefusal('unknown_dimension', `未知的分组维度：${shown(p)}`, `Unknown dimension: ${shown(p)}`);
  }
  if (new Set(parts).size !== parts.length) throw dimensionRefusal('bad_dimension', '分组维度不能重复', 'A dimension appears twice');
  return parts as Dimension[];
};

export interface CountsRequest {
  by: Dimension[];
  filters: Filters;
}

/** GET /stats/counts: the dimensions and the filters. */
export const parseCountsRequest = (query: Record<string, unknown>): CountsRequest => {
  const filters = parseFilters(query, ['by']);
  return { by: parseDimensions(query?.by), filters };
};
