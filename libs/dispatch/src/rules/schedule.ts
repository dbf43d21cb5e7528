import { DEFAULT_TRAVEL_MODEL, legMinutes, type TravelModelOptions, type TravelStop } from './geo';
import { localInstant, MINUTE_MS } from './time';
import type { DispatchCaregiver, PlannedVisit } from './types';

export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** The caregiver's shift on a county-local date as instants. A shift that does not end after it starts is empty. */
export function shiftBounds(caregiver: Pick<DispatchCaregiver, 'shiftStart' | 'shiftEnd'>, date: string): Interval {
  const start = localInstant(date, caregiver.shiftStart);
  const end = localInstant(date, caregiver.shiftEnd);
  return { start, end: Math.max(start, end) };
}

export function servicePointStop(caregiver: Pick<DispatchCaregiver, 'servicePoint'>): TravelStop {
  return { type: 'service_point', location: caregiver.servicePoint };
}

export function visitStop(visit: Pick<PlannedVisit, 'location' | 'kind'>): TravelStop {
  return { type: 'resident', location: visit.location, kind: visit.kind };
}

export function sortVisits<V extends PlannedVisit>(visits: readonly V[]): V[] {
  return [...visits].sort(
    (a, b) => a.plannedStart - b.plannedStart || a.plannedEnd - b.plannedEnd || cmp(a.orderId, b.orderId),
  );
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export type DayViolationCode =
  | 'OUTSIDE_SHIFT' // rule 3: a visit starts before the shift or ends after it
  | 'OVERLAP' // rule 4: two visits overlap
  | 'TRAVEL_FROM_SERVICE_POINT' // rule 4: shift start + travel from the service point > first start
  | 'TRAVEL_BETWEEN_VISITS' // rule 4: end + travel to the next > next start
  | 'TRAVEL_BACK' // rule 4: end of the last + travel back > shift end
  | 'MAX_DAILY_VISITS'; // rule 5

export interface DayViolation {
  readonly code: DayViolationCode;
  readonly orderId: string;
  /** The other visit, for OVERLAP and TRAVEL_BETWEEN_VISITS. */
  readonly otherOrderId?: string;
  readonly message: string;
}

/** Travel minutes along one day's route: service point → each visit in time order → service point. */
export interface DayRoute {
  readonly visits: PlannedVisit[];
  /** legs[i] is the travel into visits[i]; legs[visits.length] is the travel back. */
  readonly legs: number[];
  readonly totalTravelMinutes: number;
}

export function dayRoute(
  caregiver: Pick<DispatchCaregiver, 'servicePoint'>,
  visits: readonly PlannedVisit[],
  travel: TravelModelOptions = DEFAULT_TRAVEL_MODEL,
): DayRoute {
  const ordered = sortVisits(visits);
  if (ordered.length === 0) return { visits: ordered, legs: [], totalTravelMinutes: 0 };
  const stops: TravelStop[] = [servicePointStop(caregiver), ...ordered.map(visitStop), servicePointStop(caregiver)];
  const legs: number[] = [];
  for (let i = 1; i < stops.length; i++) legs.push(legMinutes(stops[i - 1], stops[i], travel));
  return { visits: ordered, legs, totalTravelMinutes: legs.reduce((a, b) => a + b, 0) };
}

/**
 * Every breach of hard rules 3 (shift part), 4 and 5 (count) on one caregiver's day. The visits may be given
 * in any order; they are checked in time order. An empty list means the day is sound.
 */
export function dayViolations(
  caregiver: Pick<DispatchCaregiver, 'servicePoint' | 'shiftStart' | 'shiftEnd' | 'maxDailyVisits'>,
  date: string,
  visits: readonly PlannedVisit[],
  travel: TravelModelOptions = DEFAULT_TRAVEL_MODEL,
): DayViolation[] {
  const out: DayViolation[] = [];
  const shift = shiftBounds(caregiver, date);
  const route = dayRoute(caregiver, visits, travel);
  const v = route.visits;
  if (v.length > caregiver.maxDailyVisits) {
    out.push({
      code: 'MAX_DAILY_VISITS',
      orderId: v[v.length - 1].orderId,
      message: `${v.length} visits on ${date}, at most ${caregiver.maxDailyVisits} allowed`,
    });
  }
  for (const visit of v) {
    if (visit.plannedStart < shift.start || visit.plannedEnd > shift.end) {
      out.push({
        code: 'OUTSIDE_SHIFT',
        orderId: visit.orderId,
        message: `visit ${visit.orderId} lies outside the shift`,
      });
    }
  }
  if (v.length === 0) return out;
  if (shift.start + route.legs[0] * MINUTE_MS > v[0].plannedStart) {
    out.push({
      code: 'TRAVEL_FROM_SERVICE_POINT',
      orderId: v[0].orderId,
      message: `first visit ${v[0].orderId} starts before shift start + ${route.legs[0]} min travel from the service point`,
    });
  }
  for (let i = 1; i < v.length; i++) {
    const prev = v[i - 1];
    const next = v[i];
    if (prev.plannedEnd > next.plannedStart) {
      out.push({
        code: 'OVERLAP',
        orderId: next.orderId,
        otherOrderId: prev.orderId,
        message: `visits ${prev.orderId} and ${next.orderId} overlap`,
      });
    } else if (prev.plannedEnd + route.legs[i] * MINUTE_MS > next.plannedStart) {
      out.push({
        code: 'TRAVEL_BETWEEN_VISITS',
        orderId: next.orderId,
        otherOrderId: prev.orderId,
        message: `${route.legs[i]} min travel from ${prev.orderId} does not fit before ${next.orderId}`,
      });
    }
  }
  const last = v[v.length - 1];
  if (last.plannedEnd + route.legs[v.length] * MINUTE_MS > shift.end) {
    out.push({
      code: 'TRAVEL_BACK',
      orderId: last.orderId,
      message: `last visit ${last.orderId} + ${route.legs[v.length]} min travel back ends after the shift`,
    });
  }
  return out;
}
