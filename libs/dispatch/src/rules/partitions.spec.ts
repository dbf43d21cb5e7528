import { generateCountyDay } from '../../test/support/county-day.generator';
import { DEFAULT_TRAVEL_MODEL, isInServiceCircle } from './geo';
import { partitionOf, serviceCircleRadiusKm, servicePointPartitions } from './partitions';

describe('dispatch partitions', () => {
  const r = serviceCircleRadiusKm();

  it('groups service points whose circles overlap, and names a group by its smallest id', () => {
    const points = [
      { id: 'b', location: { lat: 35.7, lng: 105.0 } },
      { id: 'a', location: { lat: 35.7 + (1.5 * r) / 111, lng: 105.0 } },
      { id: 'c', location: { lat: 35.7 + (5 * r) / 111, lng: 105.0 } },
    ];
    const parts = servicePointPartitions(points, r);
    expect(parts.get('a')).toBe('a');
    expect(parts.get('b')).toBe('a');
    expect(parts.get('c')).toBe('c');
    expect(partitionOf({ lat: 35.7 + (5 * r) / 111, lng: 105.001 }, points, parts, r)).toBe('c');
    expect(partitionOf({ lat: 40, lng: 110 }, points, parts, r)).toBeNull();
  });

  it('a wider circle (emergency) merges more', () => {
    const points = [
      { id: 'a', location: { lat: 35.7, lng: 105.0 } },
      { id: 'b', location: { lat: 35.7 + (3 * r) / 111, lng: 105.0 } },
    ];
    expect(new Set(servicePointPartitions(points, r).values()).size).toBe(2);
    expect(new Set(servicePointPartitions(points, serviceCircleRadiusKm(DEFAULT_TRAVEL_MODEL, 2)).values()).size).toBe(
      1,
    );
  });

  it('on a generated county: every home inside a circle has one partition, the same as all service points serving it', () => {
    const day = generateCountyDay({ seed: 9, orders: 300, caregivers: 40 });
    const points = day.servicePoints.map((sp) => ({ id: sp.id, location: sp.location }));
    const parts = servicePointPartitions(points, r);
    for (const order of day.orders) {
      const serving = points.filter((p) => isInServiceCircle(p.location, order.location, order.kind));
      const own = partitionOf(order.location, points, parts, r);
      for (const p of serving) expect(parts.get(p.id)).toBe(own);
    }
  });
});
