/**
 * One township's coverage counts, tallied from the residents the statistics read (institution stays and eligible
 * elders at home), together with the first instant after `asOf` at which the clock alone changes them: an
 * assessment starting or running out, an elder turning 60, a stay starting or ending. Kept counts are recomputed
 * once that instant has passed (see freshness.ts). Pure: no Nest, no TypeORM.
 */
import { earliest, reachesAgeAt } from './freshness';
import { zeroCounts, type CoverageCounts } from './indicators';
import type { StatsPeriod } from './period';

/** What the counts need to know of a resident at the period's asOf. */
export interface ResidentFacts {
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  /** An assessment started on or before asOf and valid after it. */
  readonly hasValidAssessment: boolean;
  /** Any assessment on or before asOf. */
  readonly hasAssessment: boolean;
  /** The first instant after asOf at which one of the resident's assessments starts or runs out. */
  readonly assessmentChangesAt: Date | null;
}

/** A stay on an institution bed in service that has not ended by asOf (it may start after it). */
export interface InstitutionStay extends ResidentFacts {
  readonly admittedAt: Date;
  readonly dischargedAt: Date | null;
}

/** A destitute or economically disadvantaged resident living at home, of any age. */
export interface EligibleAtHome extends ResidentFacts {
  /** Visits completed from the month's start to asOf. */
  readonly completedVisits: number;
  /** Inside the service circle of a service point with an active caregiver. */
  readonly insideServiceCircle: boolean;
}

export interface TownshipFigures {
  readonly counts: CoverageCounts;
  /** The first instant after asOf at which the counts change without any write; null: never. */
  readonly changesAt: Date | null;
}

/** Visits a month that make an eligible elder covered (domain.md §5). */
export const VISITS_PER_MONTH = 3;

/** The counts of one township with nothing in it (no staff records yet: social workers are left out). */
export function emptyTownshipCounts(): CoverageCounts {
  return { ...zeroCounts(), townships: 1 };
}

export class TownshipTally {
  private readonly counts: { -readonly [K in keyof CoverageCounts]: CoverageCounts[K] } = emptyTownshipCounts();
  private changesAt: Date | null = null;

  constructor(private readonly period: Pick<StatsPeriod, 'asOf' | 'elderBornOnOrBefore'>) {}

  beds(inService: number, nursing: number): void {
    this.counts.bedsInService = inService;
    this.counts.nursingBeds = nursing;
  }

  comprehensive(): void {
    this.counts.townshipsWithComprehensive = 1;
  }

  /** An occupied bed from admission to discharge; its resident is assessable while 60 or older. */
  institutionStay(stay: InstitutionStay): void {
    if (stay.admittedAt.getTime() > this.period.asOf.getTime()) {
      this.later(stay.admittedAt);
      return;
    }
    if (stay.dischargedAt && stay.dischargedAt.getTime() <= this.period.asOf.getTime()) return;
    this.counts.occupiedBeds += 1;
    this.later(stay.dischargedAt);
    if (this.isElder(stay)) this.assessable(stay);
  }

  eligibleAtHome(elder: EligibleAtHome): void {
    if (!this.isElder(elder)) return;
    this.counts.eligibleElders += 1;
    if (elder.completedVisits >= VISITS_PER_MONTH) this.counts.eligibleWithThreeVisits += 1;
    if (elder.insideServiceCircle) this.counts.eligibleInsideServiceCircle += 1;
    this.assessable(elder);
  }

  figures(): TownshipFigures {
    return { counts: { ...this.counts }, changesAt: this.changesAt };
  }

  /** 60 or older on asOf's date; a younger resident changes the counts on the 60th birthday. */
  private isElder(resident: ResidentFacts): boolean {
    if (resident.birthDate <= this.period.elderBornOnOrBefore) return true;
    this.later(reachesAgeAt(resident.birthDate));
    return false;
  }

  private assessable(resident: ResidentFacts): void {
    this.counts.assessableElders += 1;
    if (resident.hasValidAssessment) this.counts.eldersWithValidAssessment += 1;
    else if (resident.hasAssessment) this.counts.eldersWithExpiredAssessment += 1;
    this.later(resident.assessmentChangesAt);
  }

  private later(at: Date | null): void {
    if (at && at.getTime() > this.period.asOf.getTime()) this.changesAt = earliest(this.changesAt, at);
  }
}
