import { COUNTY_EXTENT, generateCountyDay, mulberry32, SEAT_TOWNSHIP, TOWNSHIP_CODES } from './county-day.generator';
import { localDateOf } from '../../src/rules/time';

describe('generateCountyDay', () => {
  const day = generateCountyDay({ seed: 7 });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateCountyDay({ seed: 7 })).toEqual(day);
    expect(generateCountyDay({ seed: 8 }).orders).not.toEqual(day.orders);
    expect(mulberry32(1)()).toBe(mulberry32(1)());
  });

  it('has a few hundred orders and dozens of caregivers by default', () => {
    expect(day.orders).toHaveLength(300);
    expect(day.caregivers).toHaveLength(60);
    expect(day.townships.map((t) => t.code)).toEqual(TOWNSHIP_CODES);
    expect(TOWNSHIP_CODES).toHaveLength(28);
    expect(new Set(day.orders.map((o) => o.id)).size).toBe(300);
  });

  it('keeps everything inside the county extent; only the seat is urban', () => {
    const points = [...day.servicePoints.map((p) => p.location), ...day.orders.map((o) => o.location)];
    for (const p of points) {
      expect(p.lat).toBeGreaterThanOrEqual(COUNTY_EXTENT.latMin);
      expect(p.lat).toBeLessThanOrEqual(COUNTY_EXTENT.latMax);
      expect(p.lng).toBeGreaterThanOrEqual(COUNTY_EXTENT.lngMin);
      expect(p.lng).toBeLessThanOrEqual(COUNTY_EXTENT.lngMax);
    }
    for (const o of day.orders) expect(o.kind).toBe(o.regionCode === SEAT_TOWNSHIP ? 'urban' : 'rural');
    expect(day.orders.some((o) => o.kind === 'urban')).toBe(true);
  });

  it('puts every window on the day, with urgent orders and declines among them', () => {
    for (const o of day.orders) {
      expect(localDateOf(o.windowStart)).toBe(day.date);
      expect(o.windowEnd).toBeGreaterThan(o.windowStart);
    }
    expect(day.orders.filter((o) => o.priority === 'urgent').length).toBeGreaterThan(10);
    expect(day.orders.some((o) => (o.declinedBy ?? []).length > 0)).toBe(true);
    expect(day.caregivers.some((c) => (c.recentResidentIds ?? []).length > 0)).toBe(true);
  });
});
