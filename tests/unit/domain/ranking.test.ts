import { composite, DEFAULT_RANKING, rankUnits, validateRanking, type RankingEntry } from '../../../plugins/complaints/server/src/domain/ranking';
import { ratio } from '../../../plugins/complaints/server/src/domain/rates';

type R = [number, number];
const unit = (unitId: number, code: string, response: R, resolution: R, satisfaction: R): RankingEntry => ({
  unitId, code, name: `单位${code}`,
  rates: { response: ratio(...response), resolution: ratio(...resolution), satisfaction: ratio(...satisfaction) },
});

describe('the composite: Σ weight × rate ÷ Σ weight', () => {
  const table: Array<[string, RankingEntry, Record<'response' | 'resolution' | 'satisfaction', number>, number | null, string[]]> = [
    ['equal weights', unit(1, 'A', [3, 4], [1, 2], [1, 1]), { response: 1, resolution: 1, satisfaction: 1 }, 0.75, []],
    ['weights 2 : 1 : 1', unit(1, 'A', [3, 4], [1, 2], [1, 1]), { response: 2, resolution: 1, satisfaction: 1 }, 0.75, []],
    ['weights 1 : 2 : 1', unit(1, 'A', [3, 4], [1, 2], [1, 1]), { response: 1, resolution: 2, satisfaction: 1 }, 0.6875, []],
    ['a weight of 0 ignores that rate, even without a denominator', unit(1, 'A', [1, 4], [1, 2], [0, 0]), { response: 1, resolution: 1, satisfaction: 0 }, 0.375, []],
    ['no surveys answered: not ranked', unit(1, 'A', [1, 4], [1, 2], [0, 0]), DEFAULT_RANKING.weights, null, ['satisfaction']],
    ['nothing assigned: not ranked', unit(1, 'A', [0, 0], [0, 0], [0, 0]), DEFAULT_RANKING.weights, null, ['response', 'resolution', 'satisfaction']],
  ];
  it.each(table)('%s', (_name, u, weights, value, missing) => {
    const c = composite(u.rates, weights);
    expect(c.missing).toEqual(missing);
    if (value === null) expect(c.value).toBeNull();
    else expect(c.value).toBeCloseTo(value, 12);
  });
});

describe('ranking, red list (best N) and black list (worst N)', () => {
  // Composites by hand (equal weights): A (1 + 1 + 1)/3 = 1; B (1/2 + 1/2 + 1/2)/3 = 0.5;
  // C (1 + 0 + 1/2)/3 = 0.5, tied with B, but its response rate is higher, so C before B;
  // D (1/4 + 1/4 + 1/4)/3 = 0.25; E 0; F has no survey answer; G had nothing assigned.
  const units = [
    unit(7, 'G', [0, 0], [0, 0], [0, 0]),
    unit(2, 'B', [1, 2], [2, 4], [1, 2]),
    unit(4, 'D', [1, 4], [1, 4], [1, 4]),
    unit(1, 'A', [2, 2], [3, 3], [1, 1]),
    unit(6, 'F', [1, 1], [1, 1], [0, 0]),
    unit(3, 'C', [2, 2], [0, 5], [1, 2]),
    unit(5, 'E', [0, 3], [0, 3], [0, 1]),
  ];
  const table: Array<[number, string[], string[], string[]]> = [
    // [N, order of every unit shown, red list, black list (worst first)]
    [2, ['A', 'C', 'B', 'D', 'E', 'F', 'G'], ['A', 'C'], ['E', 'D']],
    [1, ['A', 'C', 'B', 'D', 'E', 'F', 'G'], ['A'], ['E']],
    // Five ranked units: the lists hold at most two each (half of five), never the same unit.
    [5, ['A', 'C', 'B', 'D', 'E', 'F', 'G'], ['A', 'C'], ['E', 'D']],
  ];
  it.each(table)('N = %i', (listSize, order, red, black) => {
    const r = rankUnits(units, { weights: DEFAULT_RANKING.weights, listSize });
    expect(r.units.map((u) => u.unit.code)).toEqual(order);
    expect(r.units.map((u) => u.rank)).toEqual([1, 2, 3, 4, 5, null, null]);
    expect(r.redList.map((u) => u.unit.code)).toEqual(red);
    expect(r.blackList.map((u) => u.unit.code)).toEqual(black);
    expect(r.units.find((u) => u.unit.code === 'F')?.missing).toEqual(['satisfaction']);
  });

  it('is the same whatever order the units come in', () => {
    const a = rankUnits(units, DEFAULT_RANKING).units.map((u) => u.unit.code);
    const b = rankUnits([...units].reverse(), DEFAULT_RANKING).units.map((u) => u.unit.code);
    expect(b).toEqual(a);
  });

  it('equal figures everywhere: the unit code decides, then the id', () => {
    const same = [unit(9, 'Y', [1, 2], [1, 2], [1, 2]), unit(8, 'X', [2, 4], [2, 4], [2, 4]), unit(3, 'X', [1, 2], [1, 2], [1, 2])];
    expect(rankUnits(same, DEFAULT_RANKING).units.map((u) => [u.unit.code, u.unit.unitId, u.rank])).toEqual([['X', 3, 1], ['X', 8, 2], ['Y', 9, 3]]);
  });

  it('composites equal but for rounding tie (0.1 + 0.2 vs 0.3)', () => {
    // (1/10 + 2/10 + 0) / 3 and (3/10 + 0 + 0) / 3 differ only in floating point; the response rate decides.
    const u1 = unit(1, 'P', [1, 10], [2, 10], [0, 1]);
    const u2 = unit(2, 'Q', [3, 10], [0, 10], [0, 1]);
    expect(rankUnits([u1, u2], DEFAULT_RANKING).units.map((u) => u.unit.code)).toEqual(['Q', 'P']);
  });

  it('one ranked unit is on neither list', () => {
    const r = rankUnits([unit(1, 'A', [1, 1], [1, 1], [1, 1])], DEFAULT_RANKING);
    expect([r.units[0].rank, r.redList, r.blackList]).toEqual([1, [], []]);
  });
});

describe('ranking configuration', () => {
  it('accepts the default and other weights', () => {
    expect(validateRanking(DEFAULT_RANKING)).toBe(DEFAULT_RANKING);
    expect(() => validateRanking({ weights: { response: 0.5, resolution: 0.3, satisfaction: 0 }, listSize: 10 })).not.toThrow();
  });
  const refusals: Array<[string, unknown, string]> = [
    ['an unknown rate', { weights: { response: 1, resolution: 1, satisfaction: 1, speed: 1 }, listSize: 5 }, 'unknown rate "speed"'],
    ['a negative weight', { weights: { response: -1, resolution: 1, satisfaction: 1 }, listSize: 5 }, 'weight response must be a number ≥ 0'],
    ['a weight as text', { weights: { response: '1', resolution: 1, satisfaction: 1 }, listSize: 5 }, 'weight response must be a number ≥ 0'],
    ['a missing weight', { weights: { response: 1, resolution: 1 }, listSize: 5 }, 'weight satisfaction must be a number ≥ 0'],
    ['all weights 0', { weights: { response: 0, resolution: 0, satisfaction: 0 }, listSize: 5 }, 'at least one weight must be above 0'],
    ['list size 0', { weights: DEFAULT_RANKING.weights, listSize: 0 }, 'listSize must be a positive integer'],
    ['list size 2.5', { weights: DEFAULT_RANKING.weights, listSize: 2.5 }, 'listSize must be a positive integer'],
  ];
  it.each(refusals)('refuses %s', (_what, cfg, message) => {
    expect(() => validateRanking(cfg as any)).toThrow(message);
  });
});
