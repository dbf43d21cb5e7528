import {
  COUNTY_EXTENT,
  type CountyDay,
  type GeneratedOrder,
  generateCountyDay,
  mulberry32,
  ROTATION,
  SINGLE_SERVICES,
  type Township,
} from './county-day.generator';
import type { GeoPoint } from '../../src/rules/geo';
import { localDateOf, localInstant, MINUTE_MS } from '../../src/rules/time';

/**
 * A deterministic "county week" for the dispatch benchmark: the county of {@link generateCountyDay} (same townships,
 * service points and caregivers for the same seed and caregiver count) with thousands of orders spread over
 * consecutive days, the load of a county's visit plan. Orders come in day order, each for an elder of its own, with
 * the day generator's mix (30 % in the seat, 10 % urgent, half the windows 09:00–17:00, 5 % declined by a caregiver
 * nearby, 30 % served recently by one). The shape is a CountyDay's (its `date` is the first day), so
 * `seedCountyDay` writes it as it is.
 */
export interface CountyWeek extends CountyDay {
  /** The county-local dates of the week, in order (`date` is the first). */
  readonly dates: readonly string[];
}

export interface CountyWeekOptions {
  readonly seed?: number;
  /** County-local date of the first day, YYYY-MM-DD. */
  readonly startDate?: string;
  readonly days?: number;
  readonly orders?: number;
  readonly caregivers?: number;
}

const DAY_MS = 24 * 3600_000;

/** Generates a county week. Defaults: seed 1, from 2026-12-07, 7 days, 5,000 orders, 600 caregivers. */
export function generateCountyWeek(options: CountyWeekOptions = {}): CountyWeek {
  const seed = options.seed ?? 1;
  const startDate = options.startDate ?? '2026-12-07';
  const dayCount = options.days ?? 7;
  const orderCount = options.orders ?? 5000;
  if (!Number.isInteger(dayCount) || dayCount < 1)
    throw new RangeError(`days must be a positive integer, got ${dayCount}`);
  if (!Number.isInteger(orderCount) || orderCount < 0)
    throw new RangeError(`orders must be a whole number, got ${orderCount}`);
  // The county itself (townships, service points, caregivers) comes from the day generator, so a week and a day of
  // the same seed share it; the orders come from a stream of their own.
  const county = generateCountyDay({ seed, date: startDate, orders: 0, caregivers: options.caregivers ?? 600 });
  const first = localInstant(startDate, '12:00');
  const dates = Array.from({ length: dayCount }, (_, d) => localDateOf(first + d * DAY_MS));
  const next = mulberry32((seed * 0x9e3779b1) ^ 0x5eed);
  const float = (min = 0, max = 1) => min + (max - min) * next();
  const int = (min: number, max: number) => Math.floor(float(min, max + 1));
  const chance = (p: number) => next() < p;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const near = (centre: GeoPoint, radiusKm: number): GeoPoint => {
    const r = radiusKm * Math.sqrt(next());
    const theta = float(0, 2 * Math.PI);
    const lat = centre.lat + (r * Math.cos(theta)) / 111.195;
    const lng = centre.lng + (r * Math.sin(theta)) / (111.195 * Math.cos((centre.lat * Math.PI) / 180));
    return {
      lat: round6(clamp(lat, COUNTY_EXTENT.latMin, COUNTY_EXTENT.latMax)),
      lng: round6(clamp(lng, COUNTY_EXTENT.lngMin, COUNTY_EXTENT.lngMax)),
    };
  };

  const seat = county.townships[0] as Township;
  const nearbyOf = new Map<string, string[]>();
  for (const c of county.caregivers) nearbyOf.set(c.regionCode, [...(nearbyOf.get(c.regionCode) ?? []), c.id]);
  const recent = new Map<string, string[]>(county.caregivers.map((c) => [c.id, []]));
  const orders: GeneratedOrder[] = [];
  for (let i = 0; i < orderCount; i++) {
    // Day d gets orders [d·n/days, (d+1)·n/days): in day order, so the first order is on the first day.
    const date = dates[Math.min(dayCount - 1, Math.floor((i * dayCount) / Math.max(1, orderCount)))];
    const township = chance(0.3) ? seat : pick(county.townships);
    const location = near(township.centre, township.kind === 'urban' ? 3.5 : 11);
    const residentId = `w-r-${pad(i + 1, 5)}`;
    const services: string[] = chance(0.5)
      ? ['health_check', 'safety_check', ROTATION[i % ROTATION.length]]
      : [pick(SINGLE_SERVICES)];
    const urgent = chance(0.1);
    const kindOfWindow = next();
    let windowStart: number;
    let windowEnd: number;
    if (urgent) {
      windowStart = localInstant(date, '00:00') + int(8 * 4, 14 * 4) * 15 * MINUTE_MS; // quarter hours 08:00–14:00
      windowEnd = windowStart + int(2, 4) * 60 * MINUTE_MS;
    } else if (kindOfWindow < 0.6) {
      windowStart = localInstant(date, '09:00');
      windowEnd = localInstant(date, '17:00');
    } else {
      windowStart = localInstant(date, '00:00') + int(8 * 2, 15 * 2) * 30 * MINUTE_MS; // half hours 08:00–15:00
      windowEnd = windowStart + int(2, 3) * 60 * MINUTE_MS;
    }
    const nearby = nearbyOf.get(township.code) ?? [];
    const declinedBy = nearby.length > 0 && chance(0.05) ? [pick(nearby)] : [];
    if (nearby.length > 0 && chance(0.3)) recent.get(pick(nearby))?.push(residentId);
    orders.push({
      id: `w-o-${pad(i + 1, 5)}`,
      residentId,
      regionCode: township.code,
      location,
      kind: township.kind,
      services,
      durationMinutes: chance(0.1) ? int(2, 8) * 15 : null,
      windowStart,
      windowEnd,
      priority: urgent ? 'urgent' : 'normal',
      declinedBy,
    });
  }
  const caregivers = county.caregivers.map((c) => ({ ...c, recentResidentIds: recent.get(c.id) ?? [] }));
  return { ...county, seed, date: startDate, dates, caregivers, orders };
}

const clamp = (x: number, min: number, max: number): number => Math.min(max, Math.max(min, x));
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
