/**
 * One resident's share of the coverage counts, from the facts its owner wrote to the outbox (`ResidentFacts` of
 * @care/core), counted by the same TownshipTally the whole township is counted with: the difference between the
 * facts after a change and before it is what the change did to the kept counts. Pure.
 */
import type { ResidentFacts } from '../outbox';
import { TownshipTally, type ResidentFacts as TallyFacts, type TownshipFigures } from './township-tally';
import type { StatsPeriod } from './period';
import type { CoverageCounts } from './indicators';

/** Whether a place is inside a service circle, for a township (its kind decides the circle's size). */
export type InsideCircle = (at: { lat: number; lng: number }, township: string) => boolean;

/** A yes/no of the facts as JSON gives it: MariaDB writes a comparison as true/false, an EXISTS as "1"/"0". */
function flag(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 'true';
}

/** True when the facts hold what the period needs: visits and stays from the period's start on. */
export function factsCover(facts: ResidentFacts, period: Pick<StatsPeriod, 'start'>): boolean {
  return facts.since <= period.start.getTime();
}

/** The resident's assessments as the tally reads them at the period's asOf (the SQL of CoverageRepository, in Node). */
function assessmentFacts(facts: ResidentFacts, asOf: number, birthDate: string): TallyFacts {
  let valid = false;
  let assessed = false;
  let next: number | null = null;
  for (const [at, until] of facts.assessments ?? []) {
    if (at <= asOf) assessed = true;
    if (at <= asOf && until !== null && until > asOf) valid = true;
    if (at > asOf || (until !== null && until > asOf)) {
      const change = at > asOf ? at : (until as number);
      next = next === null ? change : Math.min(next, change);
    }
  }
  return {
    birthDate,
    hasValidAssessment: valid,
    hasAssessment: assessed,
    assessmentChangesAt: next === null ? null : new Date(next),
  };
}

/** The resident's counts per township for the period (townships outside `townships` left out). */
export function residentContribution(
  facts: ResidentFacts,
  period: Pick<StatsPeriod, 'start' | 'asOf' | 'elderBornOnOrBefore'>,
  townships: ReadonlySet<string>,
  insideCircle: InsideCircle,
): Map<string, TownshipFigures> {
  const asOf = period.asOf.getTime();
  const tallies = new Map<string, TownshipTally>();
  const tally = (code: string) => {
    let t = tallies.get(code);
    if (!t) tallies.set(code, (t = new TownshipTally(period)));
    return t;
  };
  const base = assessmentFacts(facts, asOf, facts.birth);
  for (const [township, admitted, discharged] of facts.stays ?? []) {
    if (!townships.has(township)) continue;
    if (discharged !== null && discharged <= asOf) continue;
    tally(township).institutionStay({
      ...base,
      admittedAt: new Date(admitted),
      dischargedAt: discharged === null ? null : new Date(discharged),
    });
  }
  if (flag(facts.home) && flag(facts.eligible) && townships.has(facts.region)) {
    const start = period.start.getTime();
    const visits = (facts.visits ?? []).filter((at) => at >= start && at <= asOf).length;
    const at = facts.lat === null || facts.lng === null ? null : { lat: Number(facts.lat), lng: Number(facts.lng) };
    tally(facts.region).eligibleAtHome({
      ...base,
      completedVisits: visits,
      insideServiceCircle: at !== null && insideCircle(at, facts.region),
    });
  }
  return new Map([...tallies].map(([code, t]) => [code, t.figures()]));
}

const ADDED: readonly (keyof CoverageCounts)[] = [
  'occupiedBeds',
  'eligibleElders',
  'eligibleWithThreeVisits',
  'eligibleInsideServiceCircle',
  'assessableElders',
  'eldersWithValidAssessment',
  'eldersWithExpiredAssessment',
];

/** Counts plus `sign` × a resident's counts (the resident's share only: beds and townships are not theirs). */
export function addResident(counts: CoverageCounts, share: CoverageCounts, sign: 1 | -1): CoverageCounts {
  const out: { -readonly [K in keyof CoverageCounts]: CoverageCounts[K] } = { ...counts };
  for (const key of ADDED) (out[key] as number) = (counts[key] as number) + sign * (share[key] as number);
  return out;
}
