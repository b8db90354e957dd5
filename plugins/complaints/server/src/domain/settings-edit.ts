/**
 * Settings edited at run time (系统设置 · 修改): the settings it is safe to change while Minyi
 * runs, because every reader reads them afresh when it needs them: the warning thresholds (the
 * warning job's next run and each transition's immediate level) and the monthly ranking's
 * weights and list size (the next ranking asked for; a closed month keeps its frozen figures).
 * The time zone, the jobs' schedules and the SMS provider are not among them: changing those
 * under running jobs and existing deadlines would move calendar days or lose a schedule, so they
 * stay in config/plugins.ts and take effect on restart.
 *
 * An edit names only what it changes; the result is checked whole with the same rules as the
 * configuration file (validateThresholds, validateRanking), and an unknown key is refused, never
 * dropped.
 */
import { DomainError } from './errors';
import { RANKED_RATES, validateRanking, type RankingConfig } from './ranking';
import { validateThresholds, type WarningThresholds } from './warning-level';

export interface EditableSettings {
  warnings: { measure: WarningThresholds; response: WarningThresholds };
  ranking: RankingConfig;
}

/** One changed value: its dotted path, as the configuration file spells it. */
export interface SettingChange {
  path: string;
  from: number;
  to: number;
}

/** Every editable leaf, by its dotted path. */
export const EDITABLE_PATHS: readonly string[] = [
  'warnings.measure.yellowDays',
  'warnings.measure.orangeDays',
  'warnings.response.yellowDays',
  'warnings.response.orangeDays',
  ...RANKED_RATES.map((r) => `ranking.weights.${r}`),
  'ranking.listSize',
];

const refuse = (code: string, zh: string, en: string, details: Record<string, unknown> = {}) => new DomainError('validation', code, zh, en, details);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** The edit's leaves as [path, value], refusing any key that is not an editable setting. */
const leaves = (raw: Record<string, unknown>, prefix = ''): Array<[string, unknown]> => {
  const out: Array<[string, unknown]> = [];
  for (const key of Object.keys(raw)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const v = raw[key];
    if (EDITABLE_PATHS.includes(path)) {
      out.push([path, v]);
    } else if (EDITABLE_PATHS.some((p) => p.startsWith(`${path}.`)) && isPlainObject(v)) {
      out.push(...leaves(v, path));
    } else {
      throw refuse(
        'unknown_setting',
        `「${path}」不是可在运行时修改的设置；可修改：${EDITABLE_PATHS.join('、')}`,
        `"${path}" is not a setting that can be changed at run time; these can: ${EDITABLE_PATHS.join(', ')}`,
        { field: path }
      );
    }
  }
  return out;
};

/**
 * Bounds a typed form needs and the configuration file does not check: a threshold beyond a year
 * would colour every complaint; weights beyond 1,000 gain nothing over smaller ones and could
 * overflow the composite's sums; no county has more than 1,000 units to list.
 */
const upperBound = (path: string): number => (path.startsWith('warnings.') ? 365 : 1000);

const read = (s: EditableSettings, path: string): number => path.split('.').reduce<any>((o, k) => o?.[k], s) as number;

const write = (s: EditableSettings, path: string, value: number): void => {
  const keys = path.split('.');
  let o: any = s;
  for (const k of keys.slice(0, -1)) o = o[k];
  o[keys[keys.length - 1]] = value;
};

const copy = (s: EditableSettings): EditableSettings => ({
  warnings: { measure: { ...s.warnings.measure }, response: { ...s.warnings.response } },
  ranking: { weights: { ...s.ranking.weights }, listSize: s.ranking.listSize },
});

/**
 * Applies an edit to the current settings: the new settings and what changed. Refuses a body
 * that is not an object, an empty edit, an unknown key, a value that is not a number, and a
 * result the configuration's own rules refuse. Changes nothing on refusal.
 */
export const applySettingsEdit = (current: EditableSettings, raw: unknown): { next: EditableSettings; changes: SettingChange[] } => {
  if (!isPlainObject(raw)) {
    throw refuse('invalid_input', '修改内容应为一个对象，例如 {"warnings":{"measure":{"yellowDays":15}}}', 'The edit must be an object, such as {"warnings":{"measure":{"yellowDays":15}}}');
  }
  const edits = leaves(raw);
  if (edits.length === 0) throw refuse('invalid_input', '没有要修改的设置', 'Nothing to change');
  const next = copy(current);
  for (const [path, value] of edits) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw refuse('invalid_input', `「${path}」应为数字`, `"${path}" must be a number`, { field: path });
    }
    const max = upperBound(path);
    if (value > max) {
      throw refuse('invalid_input', `「${path}」不能大于 ${max}`, `"${path}" cannot be above ${max}`, { field: path });
    }
    write(next, path, value);
  }
  validateThresholds(next.warnings.measure, 'warnings.measure');
  validateThresholds(next.warnings.response, 'warnings.response');
  validateRanking(next.ranking, 'ranking');
  const changes = EDITABLE_PATHS.filter((p) => read(current, p) !== read(next, p)).map((p) => ({ path: p, from: read(current, p), to: read(next, p) }));
  return { next, changes };
};

/** The editable part of a configuration. */
export const editableOf = (c: EditableSettings): EditableSettings => copy(c);
