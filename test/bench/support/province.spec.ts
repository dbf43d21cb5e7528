import { isInServiceCircle } from '@care/core';

import { hasValidIdCheck } from '@care/demo';
import {
  batchAt,
  caregivers,
  facilities,
  indexCount,
  regions,
  rows,
  SCALES,
  scaledDown,
  servicePoints,
  sizes,
  uuidAt,
  type ScaleBed,
  type ScaleResident,
} from './province';

describe('province-scale generator', () => {
  it('full and tenth: a million elders, 100,000 beds, 3 million visits; a tenth of each; one region tree', () => {
    expect(sizes(SCALES.full)).toMatchObject({
      residents: 1_000_000 + 83_000,
      beds: 100_000,
      visits: 3_000_000,
      servicePoints: 10_000,
    });
    expect(sizes(SCALES.tenth)).toMatchObject({
      residents: 100_000 + 8_300,
      beds: 10_000,
      visits: 300_000,
      servicePoints: 1_000,
    });
    expect(regions(SCALES.full)).toEqual(regions(SCALES.tenth));
    expect(regions(SCALES.full)).toHaveLength(100 + 1400);
  });

  // a small spec with the same shape: 1/100 of the tenth
  const spec = scaledDown(SCALES.tenth, 100); // 1,000 elders, 100 beds
  const all = <T extends 'beds' | 'residents' | 'stays' | 'assessments' | 'visits'>(t: T, size = 97) =>
    [...rows(spec, t, size)].flat();

  it('streams every row once, in batches no larger than asked', () => {
    let batches = 0;
    for (const batch of rows(spec, 'visits', 250)) {
      expect(batch.length).toBeLessThanOrEqual(250);
      batches += 1;
    }
    expect(batches).toBe(Math.ceil(sizes(spec).visits / 250));
    expect(all('residents')).toHaveLength(sizes(spec).residents);
    expect(all('beds')).toHaveLength(spec.beds);
    expect(new Set(all('visits').map((v) => v.id)).size).toBe(sizes(spec).visits);
  });

  it('a batch is a pure function of its range: produced alone it equals the streamed one', () => {
    const streamed = [...rows(spec, 'residents', 100)][3];
    expect(batchAt(spec, 'residents', 300, 400)).toEqual(streamed);
    expect(batchAt(spec, 'visits', 10, 20)).toEqual(batchAt(spec, 'visits', 10, 20));
    expect(uuidAt(1, 'bed', 5)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidAt(1, 'bed', 5)).not.toBe(uuidAt(1, 'bed', 6));
  });

  it('foreign keys resolve: stays to beds, facilities and residents; each bed and resident in one stay', () => {
    const beds = new Map(all('beds').map((b: ScaleBed) => [b.id, b]));
    const facilityIds = new Set(facilities(spec).map((f) => f.id));
    const residents = new Map(all('residents').map((r: ScaleResident) => [r.id, r]));
    const stays = all('stays');
    expect(stays).toHaveLength(sizes(spec).stays);
    expect(new Set(stays.map((s) => s.bedId)).size).toBe(stays.length);
    for (const s of stays) {
      expect(beds.get(s.bedId)?.status).toBe('occupied');
      expect(beds.get(s.bedId)?.facilityId).toBe(s.facilityId);
      expect(facilityIds.has(s.facilityId)).toBe(true);
      expect(residents.get(s.residentId)?.livingArrangement).toBe('institution');
    }
    expect([...beds.values()].filter((b) => b.status === 'occupied')).toHaveLength(stays.length);
    const caregiverIds = new Set(caregivers(spec).map((c) => c.id));
    for (const v of all('visits')) {
      expect(residents.get(v.residentId)?.livingArrangement).toBe('home');
      if (v.caregiverId) expect(caregiverIds.has(v.caregiverId)).toBe(true);
    }
  });

  it('ID numbers are valid and unique; elders born 1926–1959', () => {
    const people = all('residents');
    expect(new Set(people.map((r) => r.idNumber)).size).toBe(people.length);
    expect(
      people.filter((r) => !hasValidIdCheck(r.idNumber) || r.birthDate < '1926' || r.birthDate > '1959-12-31'),
    ).toEqual([]);
  });

  it('elders at home lie inside a circle of their own point, except the remote share which is outside all', () => {
    const points = servicePoints(spec);
    const kind = new Map(regions(spec).map((r) => [r.code, r.kind]));
    const home = all('residents').filter((r) => r.livingArrangement === 'home');
    const unassigned = new Set(
      all('visits')
        .filter((v) => v.status === 'unassigned')
        .map((v) => v.residentId),
    );
    const wrong = home.filter((r) => {
      const k = kind.get(r.regionCode) ?? 'rural';
      const inside = points.some((p) => isInServiceCircle(p, r, k));
      return inside === unassigned.has(r.id);
    });
    expect(wrong).toEqual([]);
    expect(unassigned.size).toBeGreaterThan(0);
  });

  it('assessments are addressed by resident: about the configured share, none for the never-assessed', () => {
    const a = all('assessments');
    expect(indexCount(spec, 'assessments')).toBe(sizes(spec).residents);
    expect(a.length).toBeGreaterThan(sizes(spec).residents * 0.9);
    expect(a.length).toBeLessThan(sizes(spec).residents);
    expect(a.every((x) => x.validUntil > x.assessedAt)).toBe(true);
  });
});
