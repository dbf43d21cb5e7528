/**
 * Offering a freed bed to the waitlist: the best-placed entry (by the waitlist order) whose resident fits the bed
 * (bed-fit rules: gender restriction, nursing-type bed from the policy's level) and has no active stay.
 * Every better-placed entry that was passed over is returned with the reasons, so the manager sees why.
 *
 * Pure: no Nest, no TypeORM.
 */
import {
  bedFitReason,
  DEFAULT_ADMISSION_POLICY,
  evaluateBedFit,
  type AdmissionPolicy,
  type BedFitReason,
  type FitBed,
  type FitGender,
} from './bed-fit';
import { rankWaitlist, type RankedWaitlistEntry, type WaitlistCandidate } from './waitlist-priority';

export interface OfferCandidate extends WaitlistCandidate {
  readonly gender: FitGender | null;
  /** The resident already has an active stay somewhere. */
  readonly hasActiveStay: boolean;
}

export interface OfferSkip<T extends OfferCandidate> {
  readonly entry: T;
  readonly position: number;
  readonly reasons: readonly BedFitReason[];
}

export interface OfferChoice<T extends OfferCandidate> {
  /** The entry the bed goes to, with its tier and reasons; null when no entry fits. */
  readonly chosen: RankedWaitlistEntry<T> | null;
  /** The fit reasons of the chosen entry's resident for this bed. */
  readonly fitReasons: readonly BedFitReason[];
  /** Better-placed entries passed over, in waitlist order. */
  readonly skipped: ReadonlyArray<OfferSkip<T>>;
}

const ALREADY_ADMITTED = bedFitReason('RESIDENT_ALREADY_ADMITTED');

export function chooseOffer<T extends OfferCandidate>(
  bed: FitBed,
  candidates: readonly T[],
  policy: AdmissionPolicy = DEFAULT_ADMISSION_POLICY,
): OfferChoice<T> {
  const skipped: OfferSkip<T>[] = [];
  for (const ranked of rankWaitlist(candidates)) {
    const c = ranked.entry;
    if (c.hasActiveStay) {
      skipped.push({ entry: c, position: ranked.position, reasons: [ALREADY_ADMITTED] });
      continue;
    }
    const fit = evaluateBedFit({ gender: c.gender, level: c.level }, bed, policy);
    if (fit.fits) return { chosen: ranked, fitReasons: fit.reasons, skipped };
    skipped.push({ entry: c, position: ranked.position, reasons: fit.reasons });
  }
  return { chosen: null, fitReasons: [], skipped };
}
