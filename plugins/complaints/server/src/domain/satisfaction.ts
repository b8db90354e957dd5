/**
 * Satisfaction rate 满意率 = (satisfied + basically satisfied) ÷ answered surveys, counting only
 * the latest answer of each complaint (the Guangzhou rule: after re-handling, the second answer
 * is the one that counts). `no_response` and `superseded` surveys are not answers.
 */
import type { SurveyAnswer } from './survey-reply';

export type SurveyStatus = 'open' | 'answered' | 'no_response' | 'superseded';

export interface SurveyFact {
  complaintId: number;
  /** Survey round per complaint: 1 for the first closure, 2 after a reopen, … */
  round: number;
  status: SurveyStatus;
  answer: SurveyAnswer | null;
  answeredAt: Date | string | null;
  /** The survey's record id: the last tie-break between two answers of one round at one instant, as the SQL's. */
  id?: number;
}

export interface SatisfactionRate {
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  /** Complaints with at least one answer: the denominator. */
  answered: number;
  /** (satisfied + basically satisfied) ÷ answered; null when nobody answered. */
  rate: number | null;
}

const time = (v: Date | string | null): number => (v === null ? -Infinity : new Date(v).getTime());

/** The answer that counts for each complaint: the latest round that was answered. */
export const latestAnswers = (facts: readonly SurveyFact[]): Map<number, SurveyAnswer> => {
  const best = new Map<number, SurveyFact>();
  for (const f of facts) {
    if (f.status !== 'answered' || !f.answer) continue;
    const cur = best.get(f.complaintId);
    if (
      !cur ||
      f.round > cur.round ||
      (f.round === cur.round && time(f.answeredAt) > time(cur.answeredAt)) ||
      (f.round === cur.round && time(f.answeredAt) === time(cur.answeredAt) && (f.id ?? 0) > (cur.id ?? 0))
    ) {
      best.set(f.complaintId, f);
    }
  }
  return new Map([...best].map(([id, f]) => [id, f.answer as SurveyAnswer]));
};

/** The rate of counted latest answers (the rollup keeps the counts, services/rate-rollup.ts). */
export const satisfactionOfCounts = (satisfied: number, basicallySatisfied: number, dissatisfied: number): SatisfactionRate => {
  const answered = satisfied + basicallySatisfied + dissatisfied;
  return { satisfied, basicallySatisfied, dissatisfied, answered, rate: answered === 0 ? null : (satisfied + basicallySatisfied) / answered };
};

export const satisfactionRate = (facts: readonly SurveyFact[]): SatisfactionRate => {
  let satisfied = 0;
  let basicallySatisfied = 0;
  let dissatisfied = 0;
  for (const a of latestAnswers(facts).values()) {
    if (a === 'satisfied') satisfied += 1;
    else if (a === 'basically_satisfied') basicallySatisfied += 1;
    else dissatisfied += 1;
  }
  return satisfactionOfCounts(satisfied, basicallySatisfied, dissatisfied);
};
