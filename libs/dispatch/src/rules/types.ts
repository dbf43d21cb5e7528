import type { AreaKind, GeoPoint, TravelModelOptions } from './geo';
import type { ServiceCatalogue } from './catalogue';

/**
 * Inputs of the pure dispatch rules. Instants are epoch milliseconds; durations and travel are whole minutes;
 * shifts are county-local "HH:MM" (Asia/Shanghai, UTC+8). Nothing here knows about Nest, TypeORM or queues:
 * the dispatcher loads these shapes from MySQL, the tests and benchmarks build them by hand or generate them.
 */

/** The contract's `unassignedReason` values. `RESIDENT_NOT_AT_HOME` is decided before the rules run. */
export type UnassignedReason =
  'NO_SKILLED_CAREGIVER' | 'OUT_OF_SERVICE_CIRCLE' | 'NO_CAPACITY' | 'RESIDENT_NOT_AT_HOME';

/** Why one caregiver cannot take one order, as the contract words it. */
export type CandidateReason = Exclude<UnassignedReason, 'RESIDENT_NOT_AT_HOME'>;

/** The finer reason behind a {@link CandidateReason}, for logs and explanations. */
export type InfeasibilityDetail =
  | 'INACTIVE' // → NO_SKILLED_CAREGIVER (rule 1)
  | 'MISSING_SKILL' // → NO_SKILLED_CAREGIVER (rule 1)
  | 'OUT_OF_SERVICE_CIRCLE' // → OUT_OF_SERVICE_CIRCLE (rule 2)
  | 'DECLINED' // → NO_CAPACITY (rule 5, declined by this caregiver before)
  | 'MAX_DAILY_VISITS' // → NO_CAPACITY (rule 5)
  | 'OUTSIDE_SHIFT' // → NO_CAPACITY (rule 3: window ∩ shift, from notBefore on, shorter than the visit)
  | 'NO_TIME_SLOT'; // → NO_CAPACITY (rules 3–4: no gap in the day where the visit and its travel fit)

export type Priority = 'normal' | 'urgent';

export interface DispatchOrder {
  readonly id: string;
  readonly residentId: string;
  /** The resident's home. */
  readonly location: GeoPoint;
  /** The kind of the resident's township. */
  readonly kind: AreaKind;
  readonly services: readonly string[];
  readonly durationMinutes?: number | null;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly priority: Priority;
  /** Caregivers who declined this order: never offered it again. */
  readonly declinedBy?: readonly string[];
}

export interface DispatchCaregiver {
  readonly id: string;
  readonly active: boolean;
  readonly skills: readonly string[];
  readonly servicePoint: GeoPoint;
  /** County-local "HH:MM"; the shift must end after it starts (no overnight shifts). */
  readonly shiftStart: string;
  readonly shiftEnd: string;
  readonly maxDailyVisits: number;
  /** Residents this caregiver served in the last 90 days (the continuity objective). */
  readonly recentResidentIds?: readonly string[];
}

/** A visit already on a caregiver's day. */
export interface PlannedVisit {
  readonly orderId: string;
  readonly residentId: string;
  readonly location: GeoPoint;
  readonly kind: AreaKind;
  readonly plannedStart: number;
  readonly plannedEnd: number;
}

/** One caregiver on one county-local date, with the visits already planned that day (any order). */
export interface CaregiverDay {
  readonly caregiver: DispatchCaregiver;
  readonly date: string;
  readonly visits: readonly PlannedVisit[];
}

export interface RuleOptions {
  readonly catalogue?: ServiceCatalogue;
  readonly travel?: TravelModelOptions;
}
