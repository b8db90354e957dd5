/**
 * Month close 月度封账 (DOMAIN.md "Rates": a month's figures are frozen as a snapshot, so later
 * edits cannot change a published rate silently; the live figure and the frozen one can be
 * compared).
 *
 * A snapshot holds, for the complaints received in the month (the month of the statistics: the
 * county's calendar), every count behind every rate (domain/rates.ts `RateCounts`) and the
 * satisfaction counts, per responsible unit, lead unit, category and town, and over the whole
 * month. Rates are not stored: each is its numerator ÷ its denominator, so a reader recomputes
 * them and a snapshot holds only whole numbers and names.
 *
 * Its hash is SHA-256 over its canonical JSON (the history chain's `canonicalJson`: sorted keys,
 * no whitespace), and the stored text IS that canonical JSON, so anyone holding the text can
 * check the hash with `sha256sum`. Versions of a month form a chain: version n+1 names version
 * n's hash (`previous`) inside its own hashed text, and carries the reason for the correction.
 */
import { canonicalJson, sha256Hex } from './history-chain';
import { DomainError } from './errors';
import { COUNT_KEYS, isMonth, monthDays, type RateCounts } from './rates';

export const SNAPSHOT_DIMENSIONS = ['unit', 'leadUnit', 'category', 'town'] as const;
export type SnapshotDimension = (typeof SNAPSHOT_DIMENSIONS)[number];

export const SATISFACTION_KEYS = ['answered', 'satisfied', 'basicallySatisfied', 'dissatisfied'] as const;
export type SatisfactionCounts = Record<(typeof SATISFACTION_KEYS)[number], number>;

export interface SnapshotGroup {
  /** A unit's code, a category's code, a town; null for complaints without one. */
  key: string | null;
  name: string | null;
  counts: RateCounts;
  satisfaction: SatisfactionCounts;
}

export interface MonthSnapshot {
  /** The format of this object; a reader that does not know it refuses to verify. */
  format: 'minyi-month-close/1';
  month: string;
  version: number;
  timeZone: string;
  /** The county day the figures were computed on (deadlines are judged against it). */
  asOf: string;
  /** ISO instant of the close. */
  closedAt: string;
  closedBy: string | null;
  /** The correction's reason (null for the first version). */
  reason: string | null;
  /** The version this one corrects, and its hash (null for the first). */
  previous: { version: number; hash: string } | null;
  totals: Omit<SnapshotGroup, 'key' | 'name'>;
  groups: Record<SnapshotDimension, SnapshotGroup[]>;
}

export const SNAPSHOT_FORMAT = 'minyi-month-close/1' as const;

const bad = (code: string, zh: string, en: string, details: Record<string, unknown> = {}) => new DomainError('validation', code, zh, en, details);

/** A month that may be closed: YYYY-MM, and over (its last day is before `today`, a county day). */
export const parseClosableMonth = (raw: unknown, today: string): string => {
  if (!isMonth(raw)) throw bad('invalid_input', '封账月份（month）应为 YYYY-MM', 'month must be YYYY-MM', { field: 'month' });
  if (monthDays(raw).next > today) {
    throw bad('month_not_over', `只能封账已结束的月份（${raw} 尚未结束）`, `Only a month that has ended can be closed (${raw} has not)`, { field: 'month' });
  }
  return raw;
};

/** A month to read: YYYY-MM. */
export const parseMonth = (raw: unknown): string => {
  if (!isMonth(raw)) throw bad('invalid_input', '月份（month）应为 YYYY-MM', 'month must be YYYY-MM', { field: 'month' });
  return raw;
};

export const MIN_REASON = 4;
export const MAX_REASON = 500;

/** The reason a correction must give (4 to 500 characters after trimming). */
export const parseCorrectionReason = (raw: unknown): string => {
  const reason = typeof raw === 'string' ? raw.trim() : '';
  if (reason.length < MIN_REASON || reason.length > MAX_REASON) {
    throw bad('invalid_input', `更正须说明理由（${MIN_REASON} 到 ${MAX_REASON} 个字）`, `A correction needs a reason (${MIN_REASON} to ${MAX_REASON} characters)`, { field: 'reason' });
  }
  return reason;
};

/** The stored text of a snapshot: its canonical JSON. */
export const snapshotText = (s: MonthSnapshot): string => canonicalJson(s);

/** SHA-256 (hex) of the snapshot's canonical JSON. */
export const snapshotHash = (s: MonthSnapshot): string => sha256Hex(snapshotText(s));

/** A stored version as verification reads it. */
export interface StoredClose {
  month: string;
  version: number;
  snapshot: string;
  hash: string;
  previousHash: string | null;
}

export type CloseProblem =
  | { version: number; kind: 'not_json' | 'not_canonical' | 'hash' | 'format' | 'header' | 'chain' | 'gap' | 'no_reason' };

/**
 * Checks a month's stored versions: each text is canonical JSON of a snapshot of this month and
 * version, its SHA-256 is the stored hash, versions run 1, 2, 3, … and each names the hash of the
 * one before it (a correction also names its reason). Empty when everything holds.
 */
export const verifyCloses = (month: string, rows: readonly StoredClose[]): CloseProblem[] => {
  const problems: CloseProblem[] = [];
  const sorted = [...rows].sort((a, b) => a.version - b.version);
  let prevHash: string | null = null;
  sorted.forEach((row, i) => {
    const v = row.version;
    if (v !== i + 1) problems.push({ version: v, kind: 'gap' });
    let s: MonthSnapshot;
    try {
      s = JSON.parse(row.snapshot) as MonthSnapshot;
    } catch {
      problems.push({ version: v, kind: 'not_json' });
      prevHash = row.hash;
      return;
    }
    if (canonicalJson(s) !== row.snapshot) problems.push({ version: v, kind: 'not_canonical' });
    if (sha256Hex(row.snapshot) !== row.hash) problems.push({ version: v, kind: 'hash' });
    if (s.format !== SNAPSHOT_FORMAT) problems.push({ version: v, kind: 'format' });
    if (s.month !== month || row.month !== month || s.version !== v) problems.push({ version: v, kind: 'header' });
    const expectedPrev: string | null = i === 0 ? null : prevHash;
    const named = s.previous ? s.previous.hash : null;
    if (named !== expectedPrev || row.previousHash !== expectedPrev || (s.previous !== null && s.previous.version !== v - 1)) {
      problems.push({ version: v, kind: 'chain' });
    }
    if (v > 1 && !(typeof s.reason === 'string' && s.reason.trim().length >= MIN_REASON)) problems.push({ version: v, kind: 'no_reason' });
    prevHash = row.hash;
  });
  return problems;
};

export const PROBLEM_LABELS: Record<CloseProblem['kind'], { zh: string; en: string }> = {
  not_json: { zh: '快照不是 JSON', en: 'the snapshot is not JSON' },
  not_canonical: { zh: '快照文本不是规范 JSON（被改写过）', en: 'the snapshot text is not canonical JSON (it was rewritten)' },
  hash: { zh: '快照的 SHA-256 与记录的不符', en: "the snapshot's SHA-256 differs from the recorded hash" },
  format: { zh: '快照格式未知', en: 'unknown snapshot format' },
  header: { zh: '快照的月份或版本与记录不符', en: "the snapshot's month or version differs from its record" },
  chain: { zh: '与上一版本的链接断开', en: 'the link to the previous version is broken' },
  gap: { zh: '版本号不连续', en: 'the versions are not consecutive' },
  no_reason: { zh: '更正版本没有理由', en: 'a correction without a reason' },
};

/** One figure that differs between the frozen snapshot and the live figures. */
export interface FigureDifference {
  /** 'total' for the month's totals. */
  dimension: SnapshotDimension | 'total';
  key: string | null;
  name: string | null;
  /** A count of RateCounts, or `satisfaction.<key>`. */
  field: string;
  frozen: number;
  live: number;
}

const groupKey = (g: { key: string | null }) => (g.key === null ? '\u0000' : g.key);

const diffGroup = (dimension: FigureDifference['dimension'], key: string | null, name: string | null, frozen: Omit<SnapshotGroup, 'key' | 'name'> | null, live: Omit<SnapshotGroup, 'key' | 'name'> | null): FigureDifference[] => {
  const out: FigureDifference[] = [];
  for (const f of COUNT_KEYS) {
    const a = frozen ? frozen.counts[f] : 0;
    const b = live ? live.counts[f] : 0;
    if (a !== b) out.push({ dimension, key, name, field: f, frozen: a, live: b });
  }
  for (const f of SATISFACTION_KEYS) {
    const a = frozen ? frozen.satisfaction[f] : 0;
    const b = live ? live.satisfaction[f] : 0;
    if (a !== b) out.push({ dimension, key, name, field: `satisfaction.${f}`, frozen: a, live: b });
  }
  return out;
};

/**
 * Every figure that differs between a frozen snapshot and the same month computed now: per
 * group of each dimension (a group missing on one side counts as zeros there) and the totals.
 */
export const compareSnapshots = (frozen: Pick<MonthSnapshot, 'totals' | 'groups'>, live: Pick<MonthSnapshot, 'totals' | 'groups'>): FigureDifference[] => {
  const out = diffGroup('total', null, null, frozen.totals, live.totals);
  for (const dim of SNAPSHOT_DIMENSIONS) {
    const a = new Map(frozen.groups[dim].map((g) => [groupKey(g), g]));
    const b = new Map(live.groups[dim].map((g) => [groupKey(g), g]));
    const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
    for (const k of keys) {
      const fa = a.get(k) ?? null;
      const lb = b.get(k) ?? null;
      out.push(...diffGroup(dim, (fa ?? lb)!.key, (fa ?? lb)!.name, fa, lb));
    }
  }
  return out;
};

/**
 * History events that cannot change a month's figures: warnings (the level is not a figure),
 * SMS traffic, survey invitations and reminders (only answers count), a citizen's reopen request
 * (its decision may change a figure, the request does not), evidence files and spot check draws. Every other event after a close may have changed a figure, and its complaint is
 * listed as a cause of the differences.
 */
const NO_FIGURE_EVENTS: ReadonlySet<string> = new Set([
  'warning_changed', 'sms', 'sms_reply', 'sms_resolved', 'sms_opted_in', 'sms_opted_out',
  'survey_opened', 'survey_reminded', 'survey_superseded', 'survey_expired', 'reopen_requested', 'evidence_added', 'spot_check_drawn',
]);

export const eventMayChangeFigures = (type: string): boolean => !NO_FIGURE_EVENTS.has(type);

/** The field's label, for the admin and the report (the counts of domain/rates.ts). */
export const FIELD_LABELS: Record<string, { zh: string; en: string }> = {
  valid: { zh: '有效诉求', en: 'valid' },
  resolved: { zh: '已解决', en: 'resolved' },
  policyLimited: { zh: '政策限制', en: 'policy limited' },
  traceableValid: { zh: '可追溯有效', en: 'traceable valid' },
  traceableResolved: { zh: '可追溯已解决', en: 'traceable resolved' },
  traceablePolicyLimited: { zh: '可追溯政策限制', en: 'traceable policy limited' },
  responseDue: { zh: '应响应', en: 'response due' },
  acceptedInTime: { zh: '按时受理', en: 'accepted in time' },
  responsePending: { zh: '响应期内未受理', en: 'response pending' },
  completionDue: { zh: '应按期完成', en: 'completion due' },
  completedOnTime: { zh: '按期完成', en: 'completed on time' },
  measuresSubmitted: { zh: '提交措施', en: 'measures submitted' },
  measuresReturned: { zh: '退回措施', en: 'measures returned' },
  closedEver: { zh: '曾办结', en: 'closed at least once' },
  reopened: { zh: '重新整改', en: 'reopened' },
  assignments: { zh: '交办次数', en: 'assignments' },
  sentBack: { zh: '退回交办', en: 'sent back' },
  commonDemands: { zh: '共性诉求', en: 'common demands' },
  commonDemandsResolved: { zh: '共性诉求已解决', en: 'common demands resolved' },
  commonGroups: { zh: '共性问题组', en: 'problem groups' },
  commonGroupsResolved: { zh: '问题组已解决', en: 'problem groups resolved' },
  'satisfaction.answered': { zh: '回访已答', en: 'surveys answered' },
  'satisfaction.satisfied': { zh: '满意', en: 'satisfied' },
  'satisfaction.basicallySatisfied': { zh: '基本满意', en: 'basically satisfied' },
  'satisfaction.dissatisfied': { zh: '不满意', en: 'dissatisfied' },
};

/** Characters a spreadsheet would read as the start of a formula (domain/spreadsheet-safety.ts escapes them). */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * The snapshot text cut into pieces of about `size` characters (a spreadsheet cell holds
 * 32,767), none starting with a formula character, so no piece is escaped and the pieces,
 * joined in order, are the text exactly.
 */
export const textPieces = (text: string, size = 30000): string[] => {
  if (size < 2) throw new Error('[complaints] piece size must be at least 2');
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    const limit = Math.min(text.length, at + size);
    let end = limit;
    while (end < text.length && end > at + 1 && FORMULA_START.has(text[end])) end -= 1;
    // A run of such characters as long as a piece: the piece takes the run (a cell holds 32,767).
    if (end < text.length && FORMULA_START.has(text[end])) for (end = limit; end < text.length && FORMULA_START.has(text[end]); end += 1);
    out.push(text.slice(at, end));
    at = end;
  }
  return out;
};

export const SNAPSHOT_SHEET = '封账数据';
export const SNAPSHOT_TEXT_SHEET = '封账快照';

const TEXT_SHEET_HEADER = ['项目', '内容'] as const;
const HASH_LABEL = 'SHA-256';
const PIECE_LABEL = '快照 ';

/** Whether a sheet's first row (its first two cells) is the header of the 封账快照 sheet. */
export const isSnapshotTextHeader = (first: readonly [string, string]): boolean => first[0] === TEXT_SHEET_HEADER[0] && first[1] === TEXT_SHEET_HEADER[1];

/**
 * What the 封账快照 sheet states, read back from its rows (first two cells of each): the hash it
 * states and the snapshot text (its pieces joined in order); null when the rows are not that sheet's.
 */
export const snapshotFromSheetRows = (rows: ReadonlyArray<readonly [string, string]>): { hash: string | null; text: string } | null => {
  if (rows.length === 0 || !isSnapshotTextHeader(rows[0]) || !rows.some(([k]) => k === HASH_LABEL)) return null;
  return {
    hash: rows.find(([k]) => k === HASH_LABEL)?.[1] ?? null,
    text: rows.filter(([k]) => k.startsWith(PIECE_LABEL)).map(([, t]) => t).join(''),
  };
};

const DIMENSION_LABELS: Record<SnapshotDimension | 'total', string> = { total: '全月合计', unit: '责任单位', leadUnit: '牵头单位', category: '类别', town: '乡镇' };

/**
 * The two sheets a closed month adds to its ledger export: the frozen counts, one line per group
 * (each rate's numerator and denominator among them), and the snapshot's text with its SHA-256,
 * so whoever has the file can check the published figures (`sha256sum` of the joined pieces).
 */
export const snapshotSheets = (s: MonthSnapshot, text: string, hash: string) => {
  const fields = [...COUNT_KEYS, ...SATISFACTION_KEYS.map((k) => `satisfaction.${k}`)];
  const value = (g: Omit<SnapshotGroup, 'key' | 'name'>, f: string) => (f.startsWith('satisfaction.') ? g.satisfaction[f.slice(13) as keyof SatisfactionCounts] : g.counts[f as keyof RateCounts]);
  const lines: Array<Array<string | number | null>> = [[DIMENSION_LABELS.total, null, null, ...fields.map((f) => value(s.totals, f))]];
  for (const dim of SNAPSHOT_DIMENSIONS) for (const g of s.groups[dim]) lines.push([DIMENSION_LABELS[dim], g.key, g.name, ...fields.map((f) => value(g, f))]);
  const figures = {
    name: SNAPSHOT_SHEET,
    columns: [{ header: '维度', width: 10 }, { header: '代码', width: 12 }, { header: '名称', width: 24 }, ...fields.map((f) => ({ header: FIELD_LABELS[f]?.zh ?? f, width: 12 }))],
    rows: lines,
  };
  const pieces = textPieces(text);
  const about = {
    name: SNAPSHOT_TEXT_SHEET,
    columns: [{ header: TEXT_SHEET_HEADER[0], width: 14 }, { header: TEXT_SHEET_HEADER[1], width: 120 }],
    rows: [
      ['月份', s.month],
      ['版本', s.version],
      ['封账时间', s.closedAt],
      [HASH_LABEL, hash],
      ['校验方法', `将下方“快照”各行按顺序连接成一段文本（共 ${text.length} 个字符），其 SHA-256 应等于上面的值；npm run ledger:verify-month -- ${s.month} --file 本文件 可自动校验`],
      ...pieces.map((p, i) => [`${PIECE_LABEL}${i + 1}/${pieces.length}`, p]),
    ] as Array<Array<string | number | null>>,
  };
  return [figures, about];
};
