/**
 * The monthly ranking of units (DOMAIN.md, "Rates"): a composite of the response, resolution
 * and satisfaction rates with the weights the county configures (equal by default), a red list
 * (the best N) and a black list (the worst N).
 *
 * - composite = Σ weight × rate ÷ Σ weight, over the three rates.
 * - A unit is ranked only when every rate with a weight above 0 has a denominator: a unit
 *   nobody assigned anything to, or whose citizens answered no survey, cannot be compared
 *   fairly. It is still shown, with the rates it has and `rank: null`.
 * - Ties are broken in a fixed order, so the same figures always give the same ranking: the
 *   composite, then the response, resolution and satisfaction rates, each higher first, then
 *   the unit code and the unit id, ascending.
 * - The red and black lists never share a unit: each holds at most N units and at most half of
 *   the ranked ones (a county with three ranked units names one best and one worst).
 */
import { DomainError } from './errors';
import type { Rate } from './rates';

export const RANKED_RATES = ['response', 'resolution', 'satisfaction'] as const;
export type RankedRate = (typeof RANKED_RATES)[number];

export type RankingWeights = Record<RankedRate, number>;

export interface RankingConfig {
  weights: RankingWeights;
  /** N: how many units each of the red and black lists names. */
  listSize: number;
}

export const DEFAULT_RANKING: RankingConfig = { weights: { response: 1, resolution: 1, satisfaction: 1 }, listSize: 5 };

const invalidRanking = (zh: string, en: string, name: string) =>
  new DomainError('validation', 'invalid_ranking', `排名配置 ${name} 无效：${zh}`, `Ranking configuration "${name}" is invalid: ${en}`, { name });

/** Checks a ranking configuration: known rates only, weights ≥ 0 with a positive sum, a positive whole list size. */
export const validateRanking = (cfg: RankingConfig, name = 'ranking'): RankingConfig => {
  const weights = (cfg?.weights ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(weights)) {
    if (!(RANKED_RATES as readonly string[]).includes(key)) {
      throw invalidRanking(`未知的比率「${key}」，可用：${RANKED_RATES.join('、')}`, `unknown rate "${key}"; known: ${RANKED_RATES.join(', ')}`, `${name}.weights`);
    }
  }
  for (const key of RANKED_RATES) {
    const w = weights[key];
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw invalidRanking(`权重 ${key} 应为不小于 0 的数`, `weight ${key} must be a number ≥ 0`, `${name}.weights`);
    }
  }
  if (RANKED_RATES.every((k) => weights[k] === 0)) {
    throw invalidRanking('至少一项权重应大于 0', 'at least one weight must be above 0', `${name}.weights`);
  }
  if (!Number.isInteger(cfg.listSize) || cfg.listSize < 1) {
    throw invalidRanking('红黑榜名额应为正整数', 'listSize must be a positive integer', `${name}.listSize`);
  }
  return cfg;
};

export interface RankingEntry {
  unitId: number;
  code: string;
  name: string;
  rates: Record<RankedRate, Rate>;
}

export interface RankedEntry<E extends RankingEntry = RankingEntry> {
  unit: E;
  /** The weighted composite, or null when a weighted rate has no denominator. */
  composite: number | null;
  /** 1 for the best; null for a unit that is not ranked. */
  rank: number | null;
  /** The weighted rates that have no denominator (why a unit is not ranked). */
  missing: RankedRate[];
}

export interface Ranking<E extends RankingEntry = RankingEntry> {
  /** Ranked units best first, then the unranked ones by code. */
  units: RankedEntry<E>[];
  redList: RankedEntry<E>[];
  /** Worst first. */
  blackList: RankedEntry<E>[];
}

/** Composites closer than this are equal: the same figures reached by different sums tie. */
const EPSILON = 1e-9;

/** The weighted composite of one unit's rates, with the weighted rates it lacks. */
export const composite = (rates: Record<RankedRate, Rate>, weights: RankingWeights): { value: number | null; missing: RankedRate[] } => {
  const missing = RANKED_RATES.filter((k) => weights[k] > 0 && rates[k].rate === null);
  if (missing.length > 0) return { value: null, missing };
  let sum = 0;
  let total = 0;
  for (const k of RANKED_RATES) {
    if (weights[k] === 0) continue;
    sum += weights[k] * (rates[k].rate as number);
    total += weights[k];
  }
  return { value: sum / total, missing };
};

const higherFirst = (a: number | null, b: number | null): number => {
  const d = (b ?? -1) - (a ?? -1);
  return Math.abs(d) < EPSILON ? 0 : d;
};

const byCode = (a: RankingEntry, b: RankingEntry): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.unitId - b.unitId);

export const rankUnits = <E extends RankingEntry>(entries: readonly E[], cfg: RankingConfig): Ranking<E> => {
  const scored = entries.map((unit) => {
    const { value, missing } = composite(unit.rates, cfg.weights);
    return { unit, composite: value, rank: null as number | null, missing };
  });
  const ranked = scored
    .filter((s) => s.composite !== null)
    .sort(
      (a, b) =>
        higherFirst(a.composite, b.composite) ||
        RANKED_RATES.reduce((d, k) => d || higherFirst(a.unit.rates[k].rate, b.unit.rates[k].rate), 0) ||
        byCode(a.unit, b.unit)
    );
  ranked.forEach((s, i) => {
    s.rank = i + 1;
  });
  const unranked = scored.filter((s) => s.composite === null).sort((a, b) => byCode(a.unit, b.unit));
  const n = Math.min(cfg.listSize, Math.floor(ranked.length / 2));
  return {
    units: [...ranked, ...unranked],
    redList: ranked.slice(0, n),
    blackList: ranked.slice(ranked.length - n).reverse(),
  };
};
