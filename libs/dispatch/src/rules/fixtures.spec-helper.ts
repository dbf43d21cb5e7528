/**
 * Hand-made fixtures for the rules' unit tests. Geometry: everything lies on the meridian through the county seat,
 * so travel is exact arithmetic — a point `km` road-kilometres north of the seat (great-circle × 1.3 = km) is
 * 2 minutes per km away at the rural 30 km/h and 3 minutes per km at the urban 20 km/h.
 */
import type { AreaKind, GeoPoint } from './geo';
import { localInstant, MINUTE_MS } from './time';
import type { DispatchCaregiver, DispatchOrder, PlannedVisit } from './types';

export const DATE = '2026-12-01';
export const SEAT: GeoPoint = { lat: 35.6929, lng: 105.0466 };
const KM_PER_DEGREE_LAT = (6371 * Math.PI) / 180;

/** The point `roadKm` road-kilometres north (negative: south) of the seat. */
export const northKm = (roadKm: number): GeoPoint => ({
  lat: SEAT.lat + roadKm / 1.3 / KM_PER_DEGREE_LAT,
  lng: SEAT.lng,
});

/** An instant on the test date, county time. */
export const at = (hhmm: string, date = DATE): number => localInstant(date, hhmm);
export const minutes = (n: number): number => n * MINUTE_MS;

export function caregiver(overrides: Partial<DispatchCaregiver> = {}): DispatchCaregiver {
  return {
    id: 'cg-a',
    active: true,
    skills: ['housekeeping', 'personal_care', 'health', 'escort', 'nursing'],
    servicePoint: SEAT,
    shiftStart: '08:00',
    shiftEnd: '17:00',
    maxDailyVisits: 8,
    recentResidentIds: [],
    ...overrides,
  };
}

/** By default: a companionship visit (30 min, no skill) to a rural home 5 km north (10 min), window 09:00–17:00. */
export function order(overrides: Partial<DispatchOrder> = {}): DispatchOrder {
  return {
    id: 'o-1',
    residentId: 'r-1',
    location: northKm(5),
    kind: 'rural',
    services: ['companionship'],
    durationMinutes: null,
    windowStart: at('09:00'),
    windowEnd: at('17:00'),
    priority: 'normal',
    declinedBy: [],
    ...overrides,
  };
}

export function visit(
  orderId: string,
  roadKm: number,
  from: string,
  to: string,
  kind: AreaKind = 'rural',
): PlannedVisit {
  return {
    orderId,
    residentId: `r-${orderId}`,
    location: northKm(roadKm),
    kind,
    plannedStart: at(from),
    plannedEnd: at(to),
  };
}
