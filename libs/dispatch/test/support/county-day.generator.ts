import { mulberry32 } from '@care/demo';
import { DEFAULT_CATALOGUE, type ServiceCatalogue, type Skill } from '../../src/rules/catalogue';
import type { AreaKind, GeoPoint } from '../../src/rules/geo';
import { localInstant, MINUTE_MS } from '../../src/rules/time';
import type { DispatchCaregiver, DispatchOrder } from '../../src/rules/types';

/**
 * A deterministic "county day" for tests and benchmarks: service points, caregivers and a few hundred orders in
 * Huining county (会宁县 620422). Township coordinates are not published, so township centres are generated inside
 * the county extent (the seat 会师镇 sits at its approximate real position); only the seat is urban. Same seed,
 * same day.
 */

export const COUNTY_EXTENT = { latMin: 35.4, latMax: 36.4333, lngMin: 104.4833, lngMax: 105.5167 } as const;
export const SEAT_TOWNSHIP = '620422100';
export const SEAT_LOCATION: GeoPoint = { lat: 35.6929, lng: 105.0466 };

/** The county's 28 townships (regions-620422.json); only the seat is urban. */
export const TOWNSHIP_CODES: readonly string[] = [
  ...Array.from({ length: 24 }, (_, i) => `620422${100 + i}`),
  '620422202',
  '620422204',
  '620422213',
  '620422225',
];

export const townshipKind = (code: string): AreaKind => (code === SEAT_TOWNSHIP ? 'urban' : 'rural');

export { mulberry32 };

class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }
  int(min: number, max: number): number {
    return Math.floor(this.float(min, max + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** A point at most `radiusKm` from `centre` (uniform over the disc), clamped to the county extent. */
  near(centre: GeoPoint, radiusKm: number): GeoPoint {
    const r = radiusKm * Math.sqrt(this.next());
    const theta = this.float(0, 2 * Math.PI);
    const dLat = (r * Math.cos(theta)) / 111.195;
    const dLng = (r * Math.sin(theta)) / (111.195 * Math.cos((centre.lat * Math.PI) / 180));
    return {
      lat: round6(clamp(centre.lat + dLat, COUNTY_EXTENT.latMin, COUNTY_EXTENT.latMax)),
      lng: round6(clamp(centre.lng + dLng, COUNTY_EXTENT.lngMin, COUNTY_EXTENT.lngMax)),
    };
  }
}

const clamp = (x: number, min: number, max: number): number => Math.min(max, Math.max(min, x));
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export interface Township {
  readonly code: string;
  readonly kind: AreaKind;
  readonly centre: GeoPoint;
}

export interface ServicePoint {
  readonly id: string;
  readonly regionCode: string;
  readonly location: GeoPoint;
}

export interface GeneratedCaregiver extends DispatchCaregiver {
  readonly servicePointId: string;
  readonly regionCode: string;
}

export interface GeneratedOrder extends DispatchOrder {
  readonly regionCode: string;
}

export interface CountyDay {
  readonly seed: number;
  readonly date: string;
  readonly townships: readonly Township[];
  readonly servicePoints: readonly ServicePoint[];
  readonly caregivers: readonly GeneratedCaregiver[];
  readonly orders: readonly GeneratedOrder[];
  readonly catalogue: ServiceCatalogue;
}

export interface CountyDayOptions {
  readonly seed?: number;
  /** County-local date, YYYY-MM-DD. */
  readonly date?: string;
  readonly orders?: number;
  readonly caregivers?: number;
  /** Extra service points in the seat, besides one per township. */
  readonly extraSeatServicePoints?: number;
}

const SHIFTS: readonly (readonly [string, string])[] = [
  ['08:00', '17:00'],
  ['08:00', '17:00'],
  ['09:00', '18:00'],
  ['08:30', '16:30'],
  ['07:30', '12:30'],
  ['13:00', '18:00'],
];

/** The services the generators draw (shared by the day and week generators). */
export const ROTATION = ['home_cleaning', 'personal_hygiene', 'laundry'] as const;
export const SINGLE_SERVICES = [
  'home_cleaning',
  'personal_hygiene',
  'laundry',
  'health_check',
  'safety_check',
  'meal_assist',
  'bathing',
  'medical_escort',
  'rehab_care',
  'companionship',
  'errand',
] as const;

/** Generates a county day. Defaults: seed 1, 2026-12-01, 300 orders, 60 caregivers. */
export function generateCountyDay(options: CountyDayOptions = {}): CountyDay {
  const seed = options.seed ?? 1;
  const date = options.date ?? '2026-12-01';
  const orderCount = options.orders ?? 300;
  const caregiverCount = options.caregivers ?? 60;
  const rnd = new Random(seed);

  const margin = 0.05;
  const townships: Township[] = TOWNSHIP_CODES.map((code) => ({
    code,
    kind: townshipKind(code),
    centre:
      code === SEAT_TOWNSHIP
        ? SEAT_LOCATION
        : {
            lat: round6(rnd.float(COUNTY_EXTENT.latMin + margin, COUNTY_EXTENT.latMax - margin)),
            lng: round6(rnd.float(COUNTY_EXTENT.lngMin + margin, COUNTY_EXTENT.lngMax - margin)),
          },
  }));
  const seat = townships[0];

  const servicePoints: ServicePoint[] = [];
  for (const t of townships) {
    servicePoints.push({
      id: `sp-${t.code}`,
      regionCode: t.code,
      location: t.kind === 'urban' ? t.centre : rnd.near(t.centre, 2),
    });
  }
  for (let i = 0; i < (options.extraSeatServicePoints ?? 2); i++) {
    servicePoints.push({ id: `sp-${seat.code}-${i + 2}`, regionCode: seat.code, location: rnd.near(seat.centre, 2.5) });
  }

  const caregivers: GeneratedCaregiver[] = [];
  for (let i = 0; i < caregiverCount; i++) {
    // Every service point first, then the seat's points and random ones.
    const sp =
      i < servicePoints.length
        ? servicePoints[i]
        : rnd.chance(0.4)
          ? rnd.pick(servicePoints.filter((p) => p.regionCode === seat.code))
          : rnd.pick(servicePoints);
    const skills: Skill[] = [];
    if (rnd.chance(0.85)) skills.push('housekeeping');
    if (rnd.chance(0.5)) skills.push('personal_care');
    if (rnd.chance(0.6)) skills.push('health');
    if (rnd.chance(0.15)) skills.push('escort');
    if (rnd.chance(0.15)) skills.push('nursing');
    if (skills.length === 0) skills.push('housekeeping');
    const [shiftStart, shiftEnd] = rnd.pick(SHIFTS);
    caregivers.push({
      id: `cg-${pad(i + 1, 3)}`,
      active: rnd.chance(0.95),
      skills,
      servicePoint: sp.location,
      servicePointId: sp.id,
      regionCode: sp.regionCode,
      shiftStart,
      shiftEnd,
      maxDailyVisits: rnd.int(4, 8),
      recentResidentIds: [],
    });
  }

  const orders: GeneratedOrder[] = [];
  const recent = new Map<string, string[]>(caregivers.map((c) => [c.id, []]));
  for (let i = 0; i < orderCount; i++) {
    const township = rnd.chance(0.3) ? seat : rnd.pick(townships);
    // Urban homes within 3.5 km of the seat; rural homes up to 11 km out, a few beyond the 30-minute circle.
    const location = rnd.near(township.centre, township.kind === 'urban' ? 3.5 : 11);
    const residentId = `r-${pad(i + 1, 4)}`;
    let services: string[];
    if (rnd.chance(0.5)) services = ['health_check', 'safety_check', ROTATION[i % ROTATION.length]];
    else services = [rnd.pick(SINGLE_SERVICES)];
    const urgent = rnd.chance(0.1);
    let windowStart: number;
    let windowEnd: number;
    const kindOfWindow = rnd.float();
    if (urgent) {
      const from = rnd.int(8 * 4, 14 * 4) * 15; // quarter hours 08:00–14:00
      windowStart = localInstant(date, '00:00') + from * MINUTE_MS;
      windowEnd = windowStart + rnd.int(2, 4) * 60 * MINUTE_MS;
    } else if (kindOfWindow < 0.6) {
      windowStart = localInstant(date, '09:00');
      windowEnd = localInstant(date, '17:00');
    } else {
      const from = rnd.int(8 * 2, 15 * 2) * 30; // half hours 08:00–15:00
      windowStart = localInstant(date, '00:00') + from * MINUTE_MS;
      windowEnd = windowStart + rnd.int(2, 3) * 60 * MINUTE_MS;
    }
    const nearby = caregivers.filter((c) => c.regionCode === township.code);
    const declinedBy = nearby.length > 0 && rnd.chance(0.05) ? [rnd.pick(nearby).id] : [];
    if (nearby.length > 0 && rnd.chance(0.3)) recent.get(rnd.pick(nearby).id)?.push(residentId);
    orders.push({
      id: `o-${pad(i + 1, 4)}`,
      residentId,
      regionCode: township.code,
      location,
      kind: township.kind,
      services,
      durationMinutes: rnd.chance(0.1) ? rnd.int(2, 8) * 15 : null,
      windowStart,
      windowEnd,
      priority: urgent ? 'urgent' : 'normal',
      declinedBy,
    });
  }
  const withHistory = caregivers.map((c) => ({ ...c, recentResidentIds: recent.get(c.id) ?? [] }));
  return { seed, date, townships, servicePoints, caregivers: withHistory, orders, catalogue: DEFAULT_CATALOGUE };
}
