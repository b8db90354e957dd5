/**
 * Where a classified demand goes (DOMAIN.md, "Classification and routing"): the taxonomy's
 * lead unit and the routing table's default responsible unit.
 */

/** The major category of a minor one: the first two digits of its code (0101 → 01). */
export const majorCodeOf = (code: string): string => code.slice(0, 2);

/** A minor category's lead unit: its own, or else its major category's. */
export const leadUnitOf = (
  category: { tier: string; leadUnitId: number | null },
  major: { leadUnitId: number | null } | null
): number | null => category.leadUnitId ?? (category.tier === 'minor' ? (major?.leadUnitId ?? null) : null);

export interface RoutingRule {
  /** Empty: the rule applies to every town. */
  town: string | null;
  unitId: number;
}

/**
 * The default responsible unit for a complaint of this town: a rule naming the town wins over
 * the rule for every town; no rule, no default.
 */
export const routeUnit = (rules: readonly RoutingRule[], town: string | null): number | null => {
  const rule = rules.find((r) => r.town && r.town === town) ?? rules.find((r) => !r.town);
  return rule ? rule.unitId : null;
};

export interface CategoryRef {
  code: string;
  tier: string;
}

export interface StoredRoutingRule {
  categoryCode: string;
  /** Empty: every town. */
  town: string | null;
}

/**
 * The minor categories a classification "by the routing table" (no unit chosen) cannot route,
 * with the towns it fails for: a minor is covered in a town when a rule names the town or a
 * rule applies to every town. In the table's order of categories; towns in the given order.
 */
export const uncoveredMinorCategories = (
  categories: readonly CategoryRef[],
  rules: readonly StoredRoutingRule[],
  towns: readonly string[]
): Array<{ code: string; towns: string[] }> => {
  const everyTown = new Set<string>();
  const byTown = new Map<string, Set<string>>();
  for (const r of rules) {
    if (!r.town) everyTown.add(r.categoryCode);
    else {
      if (!byTown.has(r.categoryCode)) byTown.set(r.categoryCode, new Set());
      byTown.get(r.categoryCode)!.add(r.town);
    }
  }
  const out: Array<{ code: string; towns: string[] }> = [];
  for (const c of categories) {
    if (c.tier !== 'minor' || everyTown.has(c.code)) continue;
    const covered = byTown.get(c.code) ?? new Set<string>();
    const missing = towns.filter((t) => !covered.has(t));
    if (missing.length > 0) out.push({ code: c.code, towns: missing });
  }
  return out;
};
