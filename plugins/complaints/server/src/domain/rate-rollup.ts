/**
 * When the rates' rollup may answer (services/rate-rollup.ts). The rollup holds the counts of
 * domain/rates.ts summed per county month received, responsible unit, lead unit, category, town
 * and state, as of its build: the warning job rebuilds it every slot. It answers a rates or
 * ranking question only when its answer is the live one as of the build:
 *   - the caller did not ask for the live figures (a month close records them: `exact`);
 *   - it was built for the county's current zone and for the caller's county day (the
 *     response and completion clocks compare deadlines with that day);
 *   - it is no older than `maxAgeMs` (one slot and the time a run takes), and not from after
 *     `now` (a question about an earlier moment);
 *   - every filter is a column of its key. The others (a state, a keyword, traceable, ...)
 *     select complaints the key cannot tell apart, so those questions are answered live.
 * Otherwise the figures are computed from the rows, as they always are without a rollup.
 */
import { columnsAnswer } from './column-counts';
import type { FilterName, Filters } from './filters';

/** The filters the rollup's key answers: each is a column of the key, compared by value. */
export const ROLLUP_FILTERS: readonly FilterName[] = ['responsibleUnit', 'leadUnit', 'majorCategory', 'minorCategory', 'town'];

export interface RollupBuild {
  builtAt: Date;
  /** The county day the build counted the clocks against (YYYY-MM-DD). */
  today: string;
  timeZone: string;
}

export type LiveReason = 'disabled' | 'exact' | 'none' | 'zone' | 'day' | 'age' | 'filter';

export interface RollupQuestion {
  enabled: boolean;
  exact: boolean;
  build: RollupBuild | null;
  filters: Filters;
  now: Date;
  /** The county day of `now`. */
  today: string;
  timeZone: string;
  maxAgeMs: number;
}

/** Why the rollup may not answer, or null when it may. */
export const liveReason = (q: RollupQuestion): LiveReason | null => {
  if (!q.enabled) return 'disabled';
  if (q.exact) return 'exact';
  if (!q.build) return 'none';
  if (q.build.timeZone !== q.timeZone) return 'zone';
  if (q.build.today !== q.today) return 'day';
  const age = q.now.getTime() - q.build.builtAt.getTime();
  if (age < 0 || age > q.maxAgeMs) return 'age';
  for (const [name, f] of Object.entries(q.filters)) if (f && !ROLLUP_FILTERS.includes(name as FilterName)) return 'filter';
  return null;
};

export interface ColumnsQuestion {
  enabled: boolean;
  loaded: { loadedAt: Date; timeZone: string } | null;
  filters: Filters;
  now: Date;
  timeZone: string;
  maxAgeMs: number;
  /** The common pieces the columns hold a flag for (a keyword among them is answered by the columns). */
  keywords?: ReadonlySet<string> | ReadonlyMap<string, unknown>;
}

/**
 * Why the statistics columns in memory (services/stats-columns.ts) may not answer a count, or
 * null when they may: the same age and zone as the rollup's; every filter but a ledger-number
 * prefix is a column of theirs, and a keyword when it is one of the common pieces they hold.
 * A count does not depend on the day asked.
 */
export const columnsLiveReason = (q: ColumnsQuestion): LiveReason | null => {
  if (!q.enabled) return 'disabled';
  if (!q.loaded) return 'none';
  if (q.loaded.timeZone !== q.timeZone) return 'zone';
  const age = q.now.getTime() - q.loaded.loadedAt.getTime();
  if (age < 0 || age > q.maxAgeMs) return 'age';
  if (!columnsAnswer(q.filters, q.keywords)) return 'filter';
  return null;
};
