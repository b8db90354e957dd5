/**
 * The coded values of the handling workflow (DOMAIN.md): why a demand is invalid, the level
 * that resolves it, its nature, how it is rectified, and the aspects evidence covers.
 */
export const INVALID_REASONS = ['unclear_content', 'unclear_subject', 'no_contact', 'duplicate', 'out_of_scope', 'other'] as const;
export const LEVELS = ['county', 'township'] as const;
export const NATURES = ['individual', 'common'] as const;
export const MODES = ['immediate', 'deadline', 'phased', 'policy_limited'] as const;
export const ASPECTS = ['funds', 'policy', 'project', 'facility', 'staffing', 'mechanism', 'beneficiaries', 'other'] as const;
export type InvalidReason = (typeof INVALID_REASONS)[number];
export type Level = (typeof LEVELS)[number];
export type Nature = (typeof NATURES)[number];
export type Mode = (typeof MODES)[number];
export type Aspect = (typeof ASPECTS)[number];

/** The evidence aspects a mode requires before the unit may complete (configuration, per mode). */
export const requiredAspectsFor = (mode: string | null, required: Partial<Record<Mode, readonly string[]>>): string[] =>
  [...((mode && (required as Record<string, readonly string[] | undefined>)[mode]) || [])];

/** The aspects of `required` that the recorded evidence does not cover yet. */
export const missingAspects = (recorded: readonly string[], required: readonly string[]): string[] =>
  required.filter((a) => !recorded.includes(a));

/** A measure's review: under review by the lead unit, then approved or returned. */
export const MEASURE_REVIEW_STATES = ['in_review', 'approved', 'returned'] as const;
export type MeasureReviewState = (typeof MEASURE_REVIEW_STATES)[number];
export const UNDER_REVIEW: MeasureReviewState = 'in_review';
