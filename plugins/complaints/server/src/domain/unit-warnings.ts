/**
 * The warnings overview per unit (预警统计): which complaints it counts, how units rank, the red
 * list and the totals. A complaint counts while its clock runs (warning-level.ts#warningClock)
 * and its level is yellow, orange or red; a red one adds the days it is past its clock's deadline.
 * The warning service counts in set-based SQL built from these facts and ranks with this module.
 */
import { overdueDays, warningClock, WARNING_LEVELS, type WarningLevel } from './warning-level';

/** The levels the overview counts, mildest first. */
export const COUNTED_LEVELS = WARNING_LEVELS.filter((l): l is Exclude<WarningLevel, 'none'> => l !== 'none');
export type CountedLevel = (typeof COUNTED_LEVELS)[number];

export interface UnitWarnings {
  unitId: number | null;
  code: string | null;
  name: string | null;
  yellow: number;
  orange: number;
  red: number;
  /** Sum over this unit's red complaints of the days past their deadline. */
  overdueDays: number;
}

export interface WarningTotals {
  yellow: number;
  orange: number;
  red: number;
  overdueDays: number;
}

/** The complaint fields the overview reads. */
export interface OverviewComplaint {
  state: string;
  mode?: string | null;
  warningLevel?: string | null;
  deadline?: string | null;
  responseDeadline?: string | null;
}

const isCounted = (level: unknown): level is CountedLevel => (COUNTED_LEVELS as readonly unknown[]).includes(level);

/**
 * What one complaint adds to its unit's line: nothing when its clock does not run (not assigned
 * or rectifying, or rectifying in `policy_limited` mode) or its level is none; otherwise one of
 * its level, and when red the days past its clock's deadline as seen on `today`.
 */
export const overviewShare = (
  c: OverviewComplaint,
  today: string
): { level: CountedLevel; overdueDays: number } | null => {
  const clock = warningClock(c);
  if (clock === null || !isCounted(c.warningLevel)) return null;
  const deadline = clock === 'response' ? c.responseDeadline : c.deadline;
  return { level: c.warningLevel, overdueDays: c.warningLevel === 'red' ? overdueDays(deadline, today) : 0 };
};

/**
 * Units rank by red complaints, then total overdue days, then orange, then yellow (all most
 * first), then by unit code.
 */
const UNIT_RANKING: ReadonlyArray<keyof Pick<UnitWarnings, 'red' | 'overdueDays' | 'orange' | 'yellow'>> = [
  'red',
  'overdueDays',
  'orange',
  'yellow',
];

const compareUnitWarnings = (a: UnitWarnings, b: UnitWarnings): number => {
  for (const key of UNIT_RANKING) if (b[key] !== a[key]) return b[key] - a[key];
  return String(a.code).localeCompare(String(b.code));
};

export const rankUnitWarnings = (units: readonly UnitWarnings[]): UnitWarnings[] => [...units].sort(compareUnitWarnings);

/** The red list: the ten units (at most) with the most red complaints, in rank order. */
const RED_LIST_SIZE = 10;

export const redList = (ranked: readonly UnitWarnings[]): UnitWarnings[] => ranked.filter((u) => u.red > 0).slice(0, RED_LIST_SIZE);

/** The user's own units first, each part in rank order. */
export const ownUnitsFirst = (ranked: readonly UnitWarnings[], ownUnitIds: readonly number[]): UnitWarnings[] => {
  const own = (u: UnitWarnings) => u.unitId !== null && ownUnitIds.includes(u.unitId);
  return [...ranked.filter(own), ...ranked.filter((u) => !own(u))];
};

export const warningTotals = (units: readonly UnitWarnings[]): WarningTotals =>
  units.reduce(
    (t, u) => ({ yellow: t.yellow + u.yellow, orange: t.orange + u.orange, red: t.red + u.red, overdueDays: t.overdueDays + u.overdueDays }),
    { yellow: 0, orange: 0, red: 0, overdueDays: 0 }
  );
