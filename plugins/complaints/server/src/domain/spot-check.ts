/**
 * Spot checks 抽查 (DOMAIN.md, "Spot checks"): each month the county office draws a sample of
 * the complaints closed in that month, stratified by responsible unit, with a recorded seed, and
 * an inspector records pass or fail for each drawn complaint.
 *
 * The draw is a pure function of the month's closed complaints (their ledger numbers and units,
 * both in the ledger export), the seed, the percentage and the minimum per unit, so anyone can
 * repeat it outside Minyi:
 *
 *   1. For each closed complaint, key = lowercase hex SHA-256 of the UTF-8 text
 *      `<seed>\n<ledgerNo>` (seed, a line feed, the ledger number).
 *   2. Group the complaints by responsible unit; within a unit, sort by key ascending (ties,
 *      which need a SHA-256 collision, by ledger number in code-unit order).
 *   3. A unit of N closed complaints gives its first max(minimum, ceil(N × percent ÷ 100))
 *      complaints, never more than N.
 *
 * (In a shell: `printf '%s\n%s' "$SEED" "$LEDGER_NO" | sha256sum`.)
 */
import { createHash, randomBytes } from 'crypto';
import { DomainError } from './errors';

/** The county's finding categories of a failed check. */
export const FINDINGS = ['not_real', 'feedback_missing', 'low_satisfaction', 'other'] as const;
export type Finding = (typeof FINDINGS)[number];
export const FINDING_LABELS: Record<Finding, { zh: string; en: string }> = {
  not_real: { zh: '整改不实', en: 'Rectification not real' },
  feedback_missing: { zh: '反馈不到位', en: 'Feedback missing' },
  low_satisfaction: { zh: '满意度不高', en: 'Low satisfaction' },
  other: { zh: '其他', en: 'Other' },
};

export const CHECK_RESULTS = ['pending', 'passed', 'failed'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];
export const RESULT_LABELS: Record<CheckResult, { zh: string; en: string }> = {
  pending: { zh: '待抽查', en: 'Pending' },
  passed: { zh: '合格', en: 'Passed' },
  failed: { zh: '不合格', en: 'Failed' },
};

export const DEFAULT_PERCENT = 10;
export const DEFAULT_MIN_PER_UNIT = 1;
/** A seed: printable ASCII without spaces, so it can be typed, printed and passed to a shell. */
const SEED_RE = /^[\x21-\x7e]{1,64}$/;

/** The sample key of one complaint under a seed (step 1 above). */
export const sampleKey = (seed: string, ledgerNo: string): string => createHash('sha256').update(`${seed}\n${ledgerNo}`, 'utf8').digest('hex');

/** How many of a unit's `n` closed complaints are drawn (step 3 above), in whole numbers only. */
export const quota = (n: number, percent: number, minPerUnit: number): number => {
  if (n <= 0) return 0;
  const share = Math.floor((n * percent + 99) / 100);
  return Math.min(n, Math.max(minPerUnit, share));
};

export interface FrameMember {
  complaintId: number;
  ledgerNo: string;
  /** The responsible unit (null: a complaint closed without one, drawn as a stratum of its own). */
  unitId: number | null;
}

export interface DrawnMember extends FrameMember {
  key: string;
  /** 1-based position in its unit's order. */
  rank: number;
}

export interface DrawOptions {
  seed: string;
  percent: number;
  minPerUnit: number;
}

export interface UnitDraw {
  unitId: number | null;
  closed: number;
  drawn: number;
}

export interface Draw {
  members: DrawnMember[];
  units: UnitDraw[];
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The sample of a month's closed complaints: members ordered by unit (no unit last), then rank. */
export const drawSample = (frame: readonly FrameMember[], opts: DrawOptions): Draw => {
  const strata = new Map<number | null, Array<FrameMember & { key: string }>>();
  for (const m of frame) {
    const list = strata.get(m.unitId) ?? [];
    list.push({ ...m, key: sampleKey(opts.seed, m.ledgerNo) });
    strata.set(m.unitId, list);
  }
  const unitIds = [...strata.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
  const members: DrawnMember[] = [];
  const units: UnitDraw[] = [];
  for (const unitId of unitIds) {
    const list = strata.get(unitId)!.sort((a, b) => byCodeUnits(a.key, b.key) || byCodeUnits(a.ledgerNo, b.ledgerNo));
    const n = quota(list.length, opts.percent, opts.minPerUnit);
    list.slice(0, n).forEach((m, i) => members.push({ ...m, rank: i + 1 }));
    units.push({ unitId, closed: list.length, drawn: n });
  }
  return { members, units };
};

const bad = (field: string, zh: string, en: string) => new DomainError('validation', 'invalid_input', zh, en, { field });

const intIn = (raw: unknown, field: string, label: string, min: number, max: number, fallback: number): number => {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const s = typeof raw === 'number' ? String(raw) : raw;
  if (typeof s !== 'string' || !/^[0-9]{1,3}$/.test(s) || Number(s) < min || Number(s) > max) {
    throw bad(field, `${label}（${field}）应为 ${min} 到 ${max} 的整数`, `${field} must be a whole number from ${min} to ${max}`);
  }
  return Number(s);
};

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A month of the past: its closures are final, so its frame does not grow after the draw. */
export const parseDrawMonth = (raw: unknown, currentMonth: string): string => {
  if (typeof raw !== 'string' || !MONTH_RE.test(raw)) throw bad('month', '抽查月份（month）应为 YYYY-MM', 'month must be YYYY-MM');
  if (raw >= currentMonth) {
    throw new DomainError('validation', 'month_not_over', `只能抽查已结束的月份（${raw} 尚未结束）`, `Only a month that has ended can be drawn (${raw} has not)`, { field: 'month' });
  }
  return raw;
};

export interface DrawRequest extends DrawOptions {
  month: string;
  /** Whether the seed was chosen by the server (none was given). */
  generatedSeed: boolean;
}

/** The body of a draw: month, and optionally seed, percent (1–100, default 10), minimum per unit (1–100, default 1). */
export const parseDrawRequest = (raw: unknown, currentMonth: string, newSeed: () => string = () => randomBytes(8).toString('hex')): DrawRequest => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new DomainError('validation', 'invalid_body', '请求体应为 JSON 对象', 'The body must be a JSON object');
  const b = raw as Record<string, unknown>;
  const month = parseDrawMonth(b.month, currentMonth);
  let seed: string;
  let generatedSeed = false;
  if (b.seed === undefined || b.seed === null || b.seed === '') {
    seed = newSeed();
    generatedSeed = true;
  } else if (typeof b.seed !== 'string' || !SEED_RE.test(b.seed)) {
    throw bad('seed', '随机种子（seed）应为 1 到 64 个可见的英文字符、数字或符号，不含空格', 'seed must be 1 to 64 printable ASCII characters without spaces');
  } else seed = b.seed;
  const percent = intIn(b.percent, 'percent', '抽查比例', 1, 100, DEFAULT_PERCENT);
  const minPerUnit = intIn(b.minPerUnit, 'minPerUnit', '每单位最少抽查数', 1, 100, DEFAULT_MIN_PER_UNIT);
  return { month, seed, percent, minPerUnit, generatedSeed };
};

export interface CheckResultInput {
  result: 'passed' | 'failed';
  finding: Finding | null;
  note: string | null;
  /** A failed check: the reopened complaint's new deadline. */
  deadline: string | null;
}

/**
 * An inspector's record: passed, or failed with a finding (a note is required for `other`) and
 * the new deadline of the reopen. The deadline itself is checked by the reopen verb.
 */
export const parseCheckResult = (raw: unknown): CheckResultInput => {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new DomainError('validation', 'invalid_body', '请求体应为 JSON 对象', 'The body must be a JSON object');
  const b = raw as Record<string, unknown>;
  if (b.result !== 'passed' && b.result !== 'failed') throw bad('result', '抽查结果（result）应为 passed 或 failed', 'result must be passed or failed');
  let note: string | null = null;
  if (b.note !== undefined && b.note !== null && b.note !== '') {
    if (typeof b.note !== 'string' || [...b.note.trim()].length > 2000) throw bad('note', '抽查意见（note）应为不超过 2000 字的文字', 'note must be text of at most 2000 characters');
    note = b.note.trim() || null;
  }
  if (b.result === 'passed') {
    if (b.finding !== undefined && b.finding !== null && b.finding !== '') throw bad('finding', '合格的抽查不填写问题类别（finding）', 'A passed check has no finding');
    return { result: 'passed', finding: null, note, deadline: null };
  }
  if (typeof b.finding !== 'string' || !(FINDINGS as readonly string[]).includes(b.finding)) {
    throw bad('finding', `不合格须选择问题类别（finding）：${FINDINGS.map((f) => `${f} ${FINDING_LABELS[f].zh}`).join('、')}`, `A failed check needs a finding: one of ${FINDINGS.join(', ')}`);
  }
  const finding = b.finding as Finding;
  if (finding === 'other' && (note === null || [...note].length < 2)) throw bad('note', '问题类别为「其他」时须写明抽查意见（note）', 'A finding of "other" needs a note');
  if (typeof b.deadline !== 'string' || b.deadline === '') throw bad('deadline', '不合格将重新整改，须填写新的整改期限（deadline）', 'A failed check reopens the complaint: give its new deadline');
  return { result: 'failed', finding, note, deadline: b.deadline };
};

/** The reason the reopen records for a failed check (no personal data: the inspector's finding and note). */
export const reopenReason = (month: string, finding: Finding, note: string | null): string =>
  `${month} 抽查不合格：${FINDING_LABELS[finding].zh}${note ? `。${note}` : ''}`.slice(0, 2000);

export interface CheckFact {
  unitId: number | null;
  result: CheckResult;
  finding: Finding | null;
}

export interface UnitReportRow {
  unitId: number | null;
  drawn: number;
  checked: number;
  passed: number;
  failed: number;
  byFinding: Record<Finding, number>;
}

const emptyRow = (unitId: number | null): UnitReportRow => ({
  unitId, drawn: 0, checked: 0, passed: 0, failed: 0, byFinding: { not_real: 0, feedback_missing: 0, low_satisfaction: 0, other: 0 },
});

/** The month's report per unit: drawn, checked, passed, failed, failed by finding; units in id order (none last), then the total. */
export const spotCheckReport = (checks: readonly CheckFact[]): { units: UnitReportRow[]; total: UnitReportRow } => {
  const rows = new Map<number | null, UnitReportRow>();
  const total = emptyRow(null);
  for (const c of checks) {
    const row = rows.get(c.unitId) ?? emptyRow(c.unitId);
    rows.set(c.unitId, row);
    for (const r of [row, total]) {
      r.drawn += 1;
      if (c.result !== 'pending') r.checked += 1;
      if (c.result === 'passed') r.passed += 1;
      if (c.result === 'failed') {
        r.failed += 1;
        if (c.finding) r.byFinding[c.finding] += 1;
      }
    }
  }
  const units = [...rows.values()].sort((a, b) => (a.unitId === null ? 1 : b.unitId === null ? -1 : a.unitId - b.unitId));
  return { units, total };
};

export interface SpotCheckFact {
  complaintId: number;
  month: string;
  id: number;
  result: CheckResult;
}

/** A complaint's spot-check result is that of its latest check: the latest month, then the latest record. */
export const latestCheckResults = (facts: readonly SpotCheckFact[]): Map<number, CheckResult> => {
  const best = new Map<number, SpotCheckFact>();
  for (const f of facts) {
    const cur = best.get(f.complaintId);
    if (!cur || f.month > cur.month || (f.month === cur.month && f.id > cur.id)) best.set(f.complaintId, f);
  }
  return new Map([...best].map(([id, f]) => [id, f.result]));
};
