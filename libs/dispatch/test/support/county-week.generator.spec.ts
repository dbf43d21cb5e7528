import { COUNTY_EXTENT, generateCountyDay, SEAT_TOWNSHIP } from './county-day.generator';
import { generateCountyWeek } from './county-week.generator';
import { localDateOf } from '../../src/rules/time';

describe('generateCountyWeek', () => {
  const week = generateCountyWeek({ seed: 7, orders: 700, caregivers: 80 });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateCountyWeek({ seed: 7, orders: 700, caregivers: 80 })).toEqual(week);
    expect(generateCountyWeek({ seed: 8, orders: 700, caregivers: 80 }).orders).not.toEqual(week.orders);
  });

  it('defaults to the benchmark size: 5,000 orders and 600 caregivers over 7 days', () => {
    const full = generateCountyWeek();
    expect(full.orders).toHaveLength(5000);
    expect(full.caregivers).toHaveLength(600);
    expect(full.dates).toEqual([
      '2026-12-07',
      '2026-12-08',
      '2026-12-09',
      '2026-12-10',
      '2026-12-11',
      '2026-12-12',
      '2026-12-13',
    ]);
    expect(full.date).toBe(full.dates[0]);
  });

  it('shares the county of the day generator with the same seed and caregiver count', () => {
    const day = generateCountyDay({ seed: 7, caregivers: 80 });
    expect(week.townships).toEqual(day.townships);
    expect(week.servicePoints).toEqual(day.servicePoints);
    expect(week.caregivers.map(({ recentResidentIds: _, ...c }) => c)).toEqual(
      day.caregivers.map(({ recentResidentIds: _, ...c }) => c),
    );
  });

  it('spreads the orders over every day of the week, in day order, each window inside its day', () => {
    const dates = week.orders.map((o) => localDateOf(o.windowStart));
    expect(new Set(dates)).toEqual(new Set(week.dates));
    expect([...dates].sort()).toEqual(dates);
    for (const o of week.orders) {
      expect(localDateOf(o.windowEnd - 1)).toBe(localDateOf(o.windowStart));
      expect(o.windowEnd).toBeGreaterThan(o.windowStart);
    }
    for (const date of week.dates) expect(dates.filter((d) => d === date).length).toBe(100);
  });

  it('gives every order an elder of its own and unique ids (seedCountyDay writes one resident per order)', () => {
    expect(new Set(week.orders.map((o) => o.id)).size).toBe(700);
    expect(new Set(week.orders.map((o) => o.residentId)).size).toBe(700);
  });

  it('keeps homes inside the county, only the seat urban, with urgent orders, declines and continuity among them', () => {
    for (const o of week.orders) {
      expect(o.location.lat).toBeGreaterThanOrEqual(COUNTY_EXTENT.latMin);
      expect(o.location.lat).toBeLessThanOrEqual(COUNTY_EXTENT.latMax);
      expect(o.location.lng).toBeGreaterThanOrEqual(COUNTY_EXTENT.lngMin);
      expect(o.location.lng).toBeLessThanOrEqual(COUNTY_EXTENT.lngMax);
      expect(o.kind).toBe(o.regionCode === SEAT_TOWNSHIP ? 'urban' : 'rural');
    }
    const urgent = week.orders.filter((o) => o.priority === 'urgent').length;
    expect(urgent).toBeGreaterThan(40);
    expect(urgent).toBeLessThan(110);
    expect(week.orders.some((o) => (o.declinedBy ?? []).length > 0)).toBe(true);
    const known = new Set(week.orders.map((o) => o.residentId));
    const recent = week.caregivers.flatMap((c) => c.recentResidentIds ?? []);
    expect(recent.length).toBeGreaterThan(0);
    for (const r of recent) expect(known.has(r)).toBe(true);
  });

  it('refuses a week without days', () => {
    expect(() => generateCountyWeek({ days: 0 })).toThrow(RangeError);
  });
});
