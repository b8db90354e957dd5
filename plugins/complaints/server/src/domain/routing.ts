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
