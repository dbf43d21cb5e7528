/**
 * When a caregiver's terms change (deactivated, moved to another service point, skills, shift, daily cap),
 * visits already on its days may no longer keep the hard rules. The ones that break a rule the change
 * touched go back to dispatch. Only visits not yet started are considered (the caller selects them).
 * Travel at the shift's edges is left to dispatch's own checks of the whole day when it places orders again.
 */
import { countyClock, countyDate, minutesOfDay } from '@care/core/time';

export interface CaregiverTerms {
  readonly active: boolean;
  readonly servicePointId: string;
  readonly skills: readonly string[];
  readonly shiftStart: string;
  readonly shiftEnd: string;
  readonly maxDailyVisits: number;
}

export interface HeldVisit {
  readonly orderId: string;
  readonly plannedStart: Date;
  readonly plannedEnd: Date;
  readonly requiredSkills: readonly string[];
}

export type ReleaseReason =
  'CAREGIVER_INACTIVE' | 'SERVICE_POINT_CHANGED' | 'MISSING_SKILL' | 'OUTSIDE_SHIFT' | 'OVER_DAILY_CAP';

export interface Release {
  readonly orderId: string;
  readonly reason: ReleaseReason;
}

/**
 * `fixedPerDay`: visits per county date that stay whatever happens (already started or done), which count
 * against the daily cap before the movable ones.
 */
export function visitsToRelease(
  before: CaregiverTerms,
  after: CaregiverTerms,
  visits: readonly HeldVisit[],
  fixedPerDay: ReadonlyMap<string, number> = new Map(),
): Release[] {
  if (!after.active) return visits.map((v) => ({ orderId: v.orderId, reason: 'CAREGIVER_INACTIVE' }));
  if (after.servicePointId !== before.servicePointId) {
    return visits.map((v) => ({ orderId: v.orderId, reason: 'SERVICE_POINT_CHANGED' }));
  }
  const released = new Map<string, ReleaseReason>();
  const skills = new Set(after.skills);
  const shiftStart = minutesOfDay(after.shiftStart);
  const shiftEnd = minutesOfDay(after.shiftEnd);
  for (const v of visits) {
    if (v.requiredSkills.some((skill) => !skills.has(skill))) {
      released.set(v.orderId, 'MISSING_SKILL');
      continue;
    }
    const start = minutesOfDay(countyClock(v.plannedStart));
    const sameDay = countyDate(v.plannedStart) === countyDate(new Date(v.plannedEnd.getTime() - 1));
    const end = sameDay ? minutesOfDay(countyClock(v.plannedEnd)) || 24 * 60 : Number.POSITIVE_INFINITY;
    if (start < shiftStart || end > shiftEnd) released.set(v.orderId, 'OUTSIDE_SHIFT');
  }
  // the daily cap: keep the earliest visits of each day, release the rest
  const byDay = new Map<string, HeldVisit[]>();
  for (const v of visits) {
    if (released.has(v.orderId)) continue;
    const day = countyDate(v.plannedStart);
    byDay.set(day, [...(byDay.get(day) ?? []), v]);
  }
  for (const [day, dayVisits] of byDay) {
    const ordered = [...dayVisits].sort((a, b) => a.plannedStart.getTime() - b.plannedStart.getTime());
    const room = Math.max(0, after.maxDailyVisits - (fixedPerDay.get(day) ?? 0));
    for (const v of ordered.slice(room)) released.set(v.orderId, 'OVER_DAILY_CAP');
  }
  return visits
    .filter((v) => released.has(v.orderId))
    .map((v) => ({ orderId: v.orderId, reason: released.get(v.orderId)! }));
}
