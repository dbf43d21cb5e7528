/**
 * Check-in flags (api-contract: an early, late or far-away check-in is flagged for the dispatcher, never
 * refused — a caregiver in a village without signal must not lose the record).
 */
import { haversineKm, type GeoPoint } from '@care/core/geo';

/**
 * early/late/far/no_location come from the check-in itself (assessCheckIn); proxy (checked in or out by someone
 * other than the assigned caregiver) and clock (the phone's recordedAt more than 24 hours old or in the future)
 * from who sent the action and when (rules/offline-action).
 */
export const VISIT_FLAGS = ['early', 'late', 'far', 'no_location', 'proxy', 'clock'] as const;
export type VisitFlag = (typeof VISIT_FLAGS)[number];

export interface CheckInTolerance {
  /** Checking in more than this many minutes before the planned start is early. */
  readonly earlyMinutes: number;
  /** Checking in more than this many minutes after the planned start is late. */
  readonly lateMinutes: number;
  /** Farther than this from the resident's home is far away (GPS in villages is rough). */
  readonly farMeters: number;
}

export const DEFAULT_CHECK_IN_TOLERANCE: CheckInTolerance = Object.freeze({
  earlyMinutes: 30,
  lateMinutes: 15,
  farMeters: 500,
});

export interface CheckInFacts {
  readonly at: Date;
  /** Where the caregiver checked in; null when the device had no position. */
  readonly position: GeoPoint | null;
  /** The planned start, or the window start when the order has no plan. */
  readonly plannedStart: Date;
  /** The resident's home; null when unknown. */
  readonly home: GeoPoint | null;
}

export interface CheckInAssessment {
  readonly flags: VisitFlag[];
  /** Metres between the check-in and the home, when both are known. */
  readonly distanceMeters: number | null;
  /** Minutes after the planned start (negative: before). */
  readonly minutesFromPlan: number;
}

export function assessCheckIn(
  facts: CheckInFacts,
  tolerance: CheckInTolerance = DEFAULT_CHECK_IN_TOLERANCE,
): CheckInAssessment {
  const flags: VisitFlag[] = [];
  const minutesFromPlan = Math.round((facts.at.getTime() - facts.plannedStart.getTime()) / 60_000);
  if (minutesFromPlan < -tolerance.earlyMinutes) flags.push('early');
  if (minutesFromPlan > tolerance.lateMinutes) flags.push('late');
  let distanceMeters: number | null = null;
  if (!facts.position) flags.push('no_location');
  else if (facts.home) {
    distanceMeters = Math.round(haversineKm(facts.position, facts.home) * 1000);
    if (distanceMeters > tolerance.farMeters) flags.push('far');
  }
  return { flags, distanceMeters, minutesFromPlan };
}
