/**
 * The rectification ledger export 整改台账 (issue 15): which complaints a month's ledger holds,
 * the columns of the workbook with their Chinese headers and widths, the labels of coded values,
 * the per-unit summary, and the request (a month and/or the 25 filters of domain/filters.ts).
 *
 * What a role sees of a row is the role projection's (domain/complaint-projection.ts
 * `projectForRole`), and every text cell goes through `escapeFormula`: the service applies both.
 */
import { STATE_LABELS, type ComplaintState } from './complaint-state';
import { DomainError } from './errors';
import { parseFilters, type Filters } from './filters';
import { CHANNEL_LABELS, type Channel } from './import-row';
import { isMonth, monthDays } from './rates';
import { FINDING_LABELS, RESULT_LABELS, type CheckResult, type Finding } from './spot-check';
import { escapeFormula } from './spreadsheet-safety';
import type { Aspect, Level, Mode, Nature } from './terms';
import type { WarningLevel } from './warning-level';

export const MODE_LABELS: Record<Mode, string> = { immediate: '立即整改', deadline: '限期整改', phased: '分期整改', policy_limited: '政策限制' };
export const ASPECT_LABELS: Record<Aspect, string> = {
  funds: '资金投入', policy: '政策制度', project: '项目建设', facility: '设施设备',
  staffing: '人员力量', mechanism: '工作机制', beneficiaries: '群众受益', other: '其他',
};
export const WARNING_LABELS: Record<WarningLevel, string> = { none: '无', yellow: '黄色预警', orange: '橙色预警', red: '红色预警（逾期）' };
export const LEVEL_LABELS: Record<Level, string> = { county: '县级集中整治', township: '乡镇部门级' };
export const NATURE_LABELS: Record<Nature, string> = { individual: '个性', common: '共性' };
export const SATISFACTION_LABELS: Record<string, string> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };

const label = <K extends string>(table: Record<K, string>, v: string | null | undefined): string | null =>
  v === null || v === undefined || v === '' ? null : (table[v as K] ?? v);

/** One column of the ledger sheet: its key in a row, its header, its width in characters. */
export interface LedgerColumn {
  key: keyof LedgerRow;
  header: string;
  width: number;
}

/** One complaint as the ledger sheet shows it, before the role projection. */
export interface LedgerRow {
  ledgerNo: string;
  receivedAt: string | null;
  channel: string | null;
  complainantName: string | null;
  phone: string | null;
  town: string | null;
  village: string | null;
  address: string | null;
  content: string | null;
  state: string;
  majorCategory: string | null;
  minorCategory: string | null;
  level: string | null;
  leadUnit: string | null;
  responsibleUnit: string | null;
  nature: string | null;
  problemGroup: string | null;
  mode: string | null;
  measure: string | null;
  responsiblePerson: string | null;
  deadline: string | null;
  warningLevel: string | null;
  evidenceAspects: string | null;
  unitHeadSign: string | null;
  leadUnitSign: string | null;
  countyLeaderSign: string | null;
  completedAt: string | null;
  closedAt: string | null;
  satisfaction: string | null;
  reopenCount: number;
  spotCheck: string | null;
}

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'ledgerNo', header: '诉求编号', width: 18 },
  { key: 'receivedAt', header: '反映时间', width: 17 },
  { key: 'channel', header: '来源渠道', width: 9 },
  { key: 'complainantName', header: '反映人', width: 10 },
  { key: 'phone', header: '联系电话', width: 14 },
  { key: 'town', header: '乡镇', width: 10 },
  { key: 'village', header: '村（社区）', width: 12 },
  { key: 'address', header: '详细地址', width: 24 },
  { key: 'content', header: '诉求内容', width: 48 },
  { key: 'state', header: '办理状态', width: 11 },
  { key: 'majorCategory', header: '诉求大类', width: 16 },
  { key: 'minorCategory', header: '诉求小类', width: 20 },
  { key: 'level', header: '解决层级', width: 13 },
  { key: 'leadUnit', header: '牵头单位', width: 20 },
  { key: 'responsibleUnit', header: '责任单位', width: 20 },
  { key: 'nature', header: '诉求性质', width: 9 },
  { key: 'problemGroup', header: '共性问题小类', width: 18 },
  { key: 'mode', header: '整改方式', width: 10 },
  { key: 'measure', header: '整改措施', width: 40 },
  { key: 'responsiblePerson', header: '整改责任人', width: 11 },
  { key: 'deadline', header: '整改期限', width: 11 },
  { key: 'warningLevel', header: '预警等级', width: 13 },
  { key: 'evidenceAspects', header: '成效佐证', width: 22 },
  { key: 'unitHeadSign', header: '责任单位负责人验收', width: 24 },
  { key: 'leadUnitSign', header: '牵头单位负责人验收', width: 24 },
  { key: 'countyLeaderSign', header: '责任县领导验收', width: 24 },
  { key: 'completedAt', header: '整改完成时间', width: 17 },
  { key: 'closedAt', header: '办结时间', width: 17 },
  { key: 'satisfaction', header: '满意度', width: 9 },
  { key: 'reopenCount', header: '重新整改次数', width: 8 },
  { key: 'spotCheck', header: '抽查结果', width: 22 },
];

const ASPECT_ORDER: readonly string[] = Object.keys(ASPECT_LABELS);

/** The complaint's coded values as the sheet shows them. */
export const labels = {
  state: (v: string) => STATE_LABELS[v as ComplaintState]?.zh ?? v,
  channel: (v: string | null) => label(CHANNEL_LABELS as Record<Channel, string>, v),
  level: (v: string | null) => label(LEVEL_LABELS, v),
  nature: (v: string | null) => label(NATURE_LABELS, v),
  mode: (v: string | null) => label(MODE_LABELS, v),
  warning: (v: string | null) => label(WARNING_LABELS, v),
  satisfaction: (v: string | null) => label(SATISFACTION_LABELS, v),
  /** Distinct aspects in the county's order of the eight. */
  aspects: (list: readonly string[]) => {
    if (list.length === 0) return null;
    if (list.length === 1) return ASPECT_LABELS[list[0] as Aspect] ?? list[0];
    const set = [...new Set(list)].sort((a, b) => ASPECT_ORDER.indexOf(a) - ASPECT_ORDER.indexOf(b));
    return set.map((a) => ASPECT_LABELS[a as Aspect] ?? a).join('、');
  },
  spotCheck: (month: string | null, result: string | null, finding: string | null) =>
    !month || !result ? null : `${month} ${RESULT_LABELS[result as CheckResult]?.zh ?? result}${finding ? `（${FINDING_LABELS[finding as Finding]?.zh ?? finding}）` : ''}`,
};

/** A sign-off cell: who signed (or rejected) and when, e.g. `张三 2026-11-03 10:00`. */
export const signCell = (s: { signerName: string | null; signedAt: string | null; decision: string } | undefined): string | null =>
  s ? `${s.decision === 'rejected' ? '不通过 ' : ''}${[s.signerName, s.signedAt].filter(Boolean).join(' ')}`.trim() || null : null;

/** A cell as written: text through `escapeFormula`, nothing for null. */
export const cellValue = (v: string | number | null | undefined): string | number | null => (v === null || v === undefined ? null : typeof v === 'string' ? (escapeFormula(v) as string) : v);

/**
 * The month's ledger: every valid complaint (screened in) received before the month ends and
 * not closed before it starts, i.e. active at some time in the month or closed in it. As
 * instants: [start, end) are the month's first and the next month's first local midnight.
 */
export interface MonthWindow {
  month: string;
  /** The first day of the month and of the next (YYYY-MM-DD, county calendar). */
  first: string;
  next: string;
}

export const monthWindow = (month: string): MonthWindow => ({ month, ...monthDays(month) });

export interface ExportRequest {
  month: string | null;
  filters: Filters;
}

/** `GET /export?month=2026-11&<filters>`: the month (optional) and the filters, both refused (400) when bad. */
export const parseExportRequest = (query: Record<string, unknown>): ExportRequest => {
  const filters = parseFilters(query ?? {}, ['month']);
  const raw = query?.month;
  if (raw === undefined || raw === '') return { month: null, filters };
  if (!isMonth(raw)) throw new DomainError('validation', 'bad_month', '月份（month）应为 YYYY-MM', 'month must be YYYY-MM', { filter: 'month' });
  return { month: raw, filters };
};

/** The file name of an export: the month's ledger, or a filtered list stamped with its day. */
export const exportFileName = (month: string | null, today: string): string =>
  month ? `整改台账-${month}.xlsx` : `诉求清单-${today}.xlsx`;

/** The per-unit summary sheet: one row per responsible unit, counted as the ledger rows stream by. */
export interface UnitSummary {
  unitId: number | null;
  unitName: string | null;
  total: number;
  closed: number;
  open: number;
  red: number;
  orange: number;
  yellow: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  reopened: number;
  spotCheckFailed: number;
}

export const SUMMARY_COLUMNS: ReadonlyArray<{ key: keyof UnitSummary; header: string; width: number }> = [
  { key: 'unitName', header: '责任单位', width: 24 },
  { key: 'total', header: '诉求总数', width: 10 },
  { key: 'closed', header: '已办结', width: 9 },
  { key: 'open', header: '办理中', width: 9 },
  { key: 'red', header: '红色预警（逾期）', width: 12 },
  { key: 'orange', header: '橙色预警', width: 10 },
  { key: 'yellow', header: '黄色预警', width: 10 },
  { key: 'satisfied', header: '满意', width: 8 },
  { key: 'basicallySatisfied', header: '基本满意', width: 10 },
  { key: 'dissatisfied', header: '不满意', width: 8 },
  { key: 'reopened', header: '重新整改过', width: 11 },
  { key: 'spotCheckFailed', header: '抽查不合格', width: 11 },
];

export interface SummaryFacts {
  unitId: number | null;
  state: string;
  warningLevel: string | null;
  satisfaction: string | null;
  reopenCount: number;
  spotCheckResult: string | null;
}

/** Counts one ledger row into its unit's summary line. */
export const addToSummary = (summary: Map<number | null, UnitSummary>, f: SummaryFacts, unitName: string | null): void => {
  let s = summary.get(f.unitId);
  if (!s) {
    s = { unitId: f.unitId, unitName, total: 0, closed: 0, open: 0, red: 0, orange: 0, yellow: 0, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0, reopened: 0, spotCheckFailed: 0 };
    summary.set(f.unitId, s);
  }
  s.total += 1;
  if (f.state === 'closed') s.closed += 1;
  else s.open += 1;
  if (f.warningLevel === 'red') s.red += 1;
  if (f.warningLevel === 'orange') s.orange += 1;
  if (f.warningLevel === 'yellow') s.yellow += 1;
  if (f.satisfaction === 'satisfied') s.satisfied += 1;
  if (f.satisfaction === 'basically_satisfied') s.basicallySatisfied += 1;
  if (f.satisfaction === 'dissatisfied') s.dissatisfied += 1;
  if (f.reopenCount > 0) s.reopened += 1;
  if (f.spotCheckResult === 'failed') s.spotCheckFailed += 1;
};

/** The summary lines in unit order (no unit last) and their total line. */
export const summaryLines = (summary: Map<number | null, UnitSummary>): UnitSummary[] => {
  const lines = [...summary.values()].sort((a, b) => (a.unitId === null ? 1 : b.unitId === null ? -1 : a.unitId - b.unitId));
  const total: UnitSummary = { unitId: null, unitName: '合计', total: 0, closed: 0, open: 0, red: 0, orange: 0, yellow: 0, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0, reopened: 0, spotCheckFailed: 0 };
  for (const l of lines) for (const k of SUMMARY_COLUMNS.map((c) => c.key)) if (typeof l[k] === 'number') (total as any)[k] += l[k];
  return [...lines.map((l) => ({ ...l, unitName: l.unitName ?? (l.unitId === null ? '（未分配单位）' : `#${l.unitId}`) })), total];
};

/**
 * A sheet appended after the ledger and the summary: the month close (issue 15, item 2) adds its
 * frozen figures and their hash this way, so the published figures travel with the rows they
 * were computed from.
 */
export interface AppendixSheet {
  name: string;
  columns: ReadonlyArray<{ header: string; width: number }>;
  rows: ReadonlyArray<ReadonlyArray<string | number | null>>;
}
