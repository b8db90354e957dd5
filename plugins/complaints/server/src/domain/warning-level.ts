/**
 * Warning levels (预警). DOMAIN.md: daysLeft = deadline − today; red if daysLeft < 0,
 * orange if < 10, yellow if < 20, else none. The response deadline (from assignment until
 * acceptance) has its own thresholds: orange when less than one day is left, red when overdue.
 */
import { addDays, daysBetween } from './calendar';
import { canonicalTemplate, nextEvent, SYSTEM_ACTOR, type NewEvent, type TemplatePart } from './history-chain';
import { DomainError } from './errors';

export const WARNING_LEVELS = ['none', 'yellow', 'orange', 'red'] as const;
export type WarningLevel = (typeof WARNING_LEVELS)[number];

export interface WarningThresholds {
  /** yellow when fewer than this many days are left */
  yellowDays: number;
  /** orange when fewer than this many days are left */
  orangeDays: number;
}

export const DEFAULT_MEASURE_THRESHOLDS: WarningThresholds = { yellowDays: 20, orangeDays: 10 };
/** yellowDays = orangeDays: the response clock has no yellow stage. */
export const DEFAULT_RESPONSE_THRESHOLDS: WarningThresholds = { yellowDays: 1, orangeDays: 1 };

export const validateThresholds = (t: WarningThresholds, name: string): WarningThresholds => {
  const ok =
    Number.isInteger(t.yellowDays) && Number.isInteger(t.orangeDays) && t.orangeDays >= 0 && t.yellowDays >= t.orangeDays;
  if (!ok) {
    throw new DomainError(
      'validation',
      'invalid_thresholds',
      `预警阈值 ${name} 无效：需要 黄色天数 ≥ 橙色天数 ≥ 0 的整数`,
      `Warning thresholds "${name}" are invalid: need integers with yellowDays ≥ orangeDays ≥ 0`,
      { name }
    );
  }
  return t;
};

/** The level for a deadline seen from `today` (both calendar days in the county's zone). */
export const warningLevel = (
  deadline: string | null | undefined,
  today: string,
  thresholds: WarningThresholds = DEFAULT_MEASURE_THRESHOLDS
): WarningLevel => {
  if (!deadline) return 'none';
  const daysLeft = daysBetween(today, deadline);
  if (daysLeft < 0) return 'red';
  if (daysLeft < thresholds.orangeDays) return 'orange';
  if (daysLeft < thresholds.yellowDays) return 'yellow';
  return 'none';
};

/** Overdue days (0 when not overdue). */
export const overdueDays = (deadline: string | null | undefined, today: string): number => {
  if (!deadline) return 0;
  const d = daysBetween(deadline, today);
  return d > 0 ? d : 0;
};

/**
 * Which clock a complaint is on. Assigned but not accepted: the response deadline. Rectifying:
 * the measure deadline, except in `policy_limited` mode, which has no clock. Every other state
 * has no running clock: the level is left as the last transition set it (a complaint awaiting
 * sign-off keeps the level it had when it was completed).
 */
export type WarningClock = 'response' | 'measure';

export const CLOCK_STATES: Record<WarningClock, string> = { response: 'assigned', measure: 'rectifying' };
/** The measure mode that has no clock. */
export const NO_CLOCK_MODE = 'policy_limited';

export const warningClock = (c: { state: string; mode?: string | null }): WarningClock | null => {
  if (c.state === CLOCK_STATES.response) return 'response';
  if (c.state === CLOCK_STATES.measure) return c.mode === NO_CLOCK_MODE ? null : 'measure';
  return null;
};

/**
 * The level a warning run gives a complaint, or `undefined` when no clock runs (the level is
 * kept). Rectifying in `policy_limited` mode has no clock and no warning: `none`.
 */
export const jobWarningLevel = (
  c: { state: string; mode?: string | null; deadline?: string | null; responseDeadline?: string | null },
  today: string,
  thresholds: { measure: WarningThresholds; response: WarningThresholds }
): WarningLevel | undefined => {
  const clock = warningClock(c);
  if (clock === 'response') return warningLevel(c.responseDeadline ?? null, today, thresholds.response);
  if (clock === 'measure') return warningLevel(c.deadline ?? null, today, thresholds.measure);
  return c.state === CLOCK_STATES.measure ? 'none' : undefined;
};

/**
 * The same rule as cut-off days, for set-based SQL: a deadline before `red` is red, before
 * `orange` is orange, before `yellow` is yellow, otherwise none. Comparing stored dates with
 * three constants keeps the query free of per-dialect date arithmetic.
 */
export interface WarningCutoffs {
  red: string;
  orange: string;
  yellow: string;
}

export const warningCutoffs = (today: string, t: WarningThresholds): WarningCutoffs => ({
  red: today,
  orange: addDays(today, t.orangeDays),
  yellow: addDays(today, t.yellowDays),
});

export const levelFromCutoffs = (deadline: string | null | undefined, c: WarningCutoffs): WarningLevel => {
  if (!deadline) return 'none';
  if (deadline < c.red) return 'red';
  if (deadline < c.orange) return 'orange';
  if (deadline < c.yellow) return 'yellow';
  return 'none';
};

/**
 * The `warning_changed` history event of a complaint whose level the warning run changes: the
 * levels, the clock it follows, that clock's deadline, the days left and the county day.
 */
export const warningChangedEvent = (
  c: { state: string; mode?: string | null; deadline?: string | null; responseDeadline?: string | null },
  change: { from: WarningLevel; to: WarningLevel },
  today: string,
  at: Date
): NewEvent => {
  const clock = warningClock(c);
  const deadline = (clock === 'response' ? c.responseDeadline : clock === 'measure' ? c.deadline : null) ?? null;
  return {
    type: 'warning_changed',
    actor: SYSTEM_ACTOR,
    at,
    fromState: c.state,
    toState: c.state,
    data: { warningLevel: change, clock, deadline, daysLeft: deadline ? daysBetween(today, deadline) : null, today },
  };
};

/** The values that differ between the `warning_changed` events of one run. */
export const WARNING_EVENT_SLOTS = ['ledgerNo', 'seq', 'state', 'clock', 'deadline', 'daysLeft', 'from', 'to'] as const;
export type WarningEventSlot = (typeof WARNING_EVENT_SLOTS)[number];

/**
 * The canonical text of every `warning_changed` event of a run (at `at`, on `today`), with
 * slots for the values that differ per complaint: the shape comes from warningChangedEvent and
 * nextEvent, so a set-based run that fills the slots in SQL hashes exactly what they would.
 * Slot values: `state` is both fromState and toState; `clock` is warningClock (null without a
 * clock); `deadline` is the clock's deadline (null without one); `daysLeft` is
 * daysBetween(today, deadline) (null without a deadline).
 */
export const warningEventTemplate = (today: string, at: Date): TemplatePart[] => {
  const S = { ledgerNo: '@@minyi:ledgerNo@@', seq: 7_300_000_001, state: '@@minyi:state@@', clock: '@@minyi:clock@@', deadline: '@@minyi:deadline@@', daysLeft: 7_300_000_002, from: '@@minyi:from@@', to: '@@minyi:to@@' };
  const sample = warningChangedEvent({ state: CLOCK_STATES.measure, mode: null, deadline: today }, { from: 'none', to: 'orange' }, today, at);
  const event = nextEvent(S.ledgerNo, S.seq - 1, null, {
    ...sample,
    fromState: S.state,
    toState: S.state,
    data: {
      ...sample.data,
      warningLevel: { from: S.from, to: S.to },
      clock: S.clock,
      deadline: S.deadline,
      daysLeft: S.daysLeft,
    },
  });
  const keys = Object.keys(sample.data ?? {}).sort().join(',');
  if (keys !== 'clock,daysLeft,deadline,today,warningLevel') throw new Error(`[complaints] warningEventTemplate does not know the event data ${keys}`);
  return canonicalTemplate(event, S);
};
