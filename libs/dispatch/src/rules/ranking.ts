import { DEFAULT_TRAVEL_MODEL } from './geo';
import {
  evaluateInsertion,
  type FeasibleInsertion,
  type InfeasibleInsertion,
  type InsertionOptions,
  prepareOrder,
} from './feasibility';
import { cmp } from './schedule';
import type { CandidateReason, CaregiverDay, DispatchCaregiver, DispatchOrder } from './types';

/** A feasible placement with what the objectives need to compare it. */
export interface RankedCandidate extends FeasibleInsertion {
  /** The caregiver served this resident in the last 90 days. */
  readonly continuity: boolean;
}

/** The objective that separated the chosen candidate from the runner-up. */
export type DecidedBy = 'only_candidate' | 'added_travel' | 'continuity' | 'workload' | 'tie_break';

export interface RankingExplanation {
  readonly decidedBy: DecidedBy;
  readonly summary: string;
  readonly runnerUp?: RankedCandidate;
}

export function hasContinuity(caregiver: Pick<DispatchCaregiver, 'recentResidentIds'>, residentId: string): boolean {
  return caregiver.recentResidentIds?.includes(residentId) ?? false;
}

/**
 * The objectives after "assign as many as possible", in order: least added travel; continuity (served this
 * resident in the last 90 days); even workload (fewer visits that day). Then, only to be deterministic: the earlier
 * start, the caregiver id, the date.
 */
export function compareCandidates(a: RankedCandidate, b: RankedCandidate): number {
  return (
    a.addedTravelMinutes - b.addedTravelMinutes ||
    Number(b.continuity) - Number(a.continuity) ||
    a.visitsThatDay - b.visitsThatDay ||
    a.plannedStart - b.plannedStart ||
    cmp(a.caregiverId, b.caregiverId) ||
    cmp(a.date, b.date)
  );
}

function decidedBy(best: RankedCandidate, next: RankedCandidate | undefined): DecidedBy {
  if (!next) return 'only_candidate';
  if (best.addedTravelMinutes !== next.addedTravelMinutes) return 'added_travel';
  if (best.continuity !== next.continuity) return 'continuity';
  if (best.visitsThatDay !== next.visitsThatDay) return 'workload';
  return 'tie_break';
}

const describe = (c: RankedCandidate): string =>
  `${c.caregiverId} (+${c.addedTravelMinutes} min travel, ${c.continuity ? 'served this resident recently' : 'no recent visit'}, ${c.visitsThatDay} visits that day)`;

export function explainRanking(ranked: readonly RankedCandidate[]): RankingExplanation {
  const [best, next] = ranked;
  const by = decidedBy(best, next);
  const reasons: Record<DecidedBy, string> = {
    only_candidate: 'the only caregiver who can take it',
    added_travel: 'least added travel',
    continuity: 'equal added travel; served this resident in the last 90 days',
    workload: 'equal added travel and continuity; fewer visits that day',
    tie_break: 'equal on every objective; earliest start, then caregiver id',
  };
  const summary = `chose ${describe(best)}: ${reasons[by]}${next ? `; runner-up ${describe(next)}` : ''}`;
  return { decidedBy: by, summary, runnerUp: next };
}

/** Sorts feasible candidates best first. */
export function rankCandidates(candidates: readonly RankedCandidate[]): RankedCandidate[] {
  return [...candidates].sort(compareCandidates);
}

/**
 * The reason an order stays unassigned, the most specific across all caregivers: nobody has the skills (or is
 * active) → NO_SKILLED_CAREGIVER; someone skilled but nobody skilled within the circle → OUT_OF_SERVICE_CIRCLE;
 * else NO_CAPACITY (declined, full days, no time slot). No caregivers at all → NO_SKILLED_CAREGIVER.
 */
export function aggregateUnassignedReason(rejections: readonly Pick<InfeasibleInsertion, 'reason'>[]): CandidateReason {
  if (rejections.some((r) => r.reason === 'NO_CAPACITY')) return 'NO_CAPACITY';
  if (rejections.some((r) => r.reason === 'OUT_OF_SERVICE_CIRCLE')) return 'OUT_OF_SERVICE_CIRCLE';
  return 'NO_SKILLED_CAREGIVER';
}

export type DispatchDecision =
  | {
      readonly ok: true;
      readonly choice: RankedCandidate;
      readonly ranked: readonly RankedCandidate[];
      readonly rejected: readonly InfeasibleInsertion[];
      readonly explanation: RankingExplanation;
    }
  | {
      readonly ok: false;
      readonly reason: CandidateReason;
      readonly rejected: readonly InfeasibleInsertion[];
      readonly explanation: { readonly summary: string };
    };

/**
 * Places one order: evaluates it on every caregiver-day given (a caregiver may appear with several dates when the
 * window spans days), ranks the feasible placements by the objectives and returns the best with an explanation, or
 * the aggregate reason why none is feasible.
 */
export function dispatchOrder(
  order: DispatchOrder,
  days: readonly CaregiverDay[],
  options: InsertionOptions = {},
): DispatchDecision {
  const prepared = prepareOrder(order, options.catalogue);
  const opts: InsertionOptions = { ...options, travel: options.travel ?? DEFAULT_TRAVEL_MODEL };
  const feasible: RankedCandidate[] = [];
  const rejected: InfeasibleInsertion[] = [];
  for (const day of days) {
    const result = evaluateInsertion(prepared, day, opts);
    if (result.ok) feasible.push({ ...result, continuity: hasContinuity(day.caregiver, order.residentId) });
    else rejected.push(result);
  }
  if (feasible.length === 0) {
    const reason = aggregateUnassignedReason(rejected);
    const counts = new Map<string, number>();
    for (const r of rejected) counts.set(r.detail, (counts.get(r.detail) ?? 0) + 1);
    const detail = [...counts].map(([d, n]) => `${d}×${n}`).join(', ');
    return { ok: false, reason, rejected, explanation: { summary: `${reason}: ${detail || 'no caregivers'}` } };
  }
  const ranked = rankCandidates(feasible);
  return { ok: true, choice: ranked[0], ranked, rejected, explanation: explainRanking(ranked) };
}
