import {
  DEFAULT_TRAVEL_MODEL,
  type GeoPoint,
  haversineKm,
  isInServiceCircle,
  legKind,
  legMinutes,
  roadDistanceKm,
  serviceCircleMinutes,
  serviceCircleRadiusKm,
  travelMinutes,
  travelModel,
} from './travel-time';

// Hand computations used below. On a sphere of radius R, a difference of Δ degrees of latitude along a
// meridian is an arc of R·Δ·π/180: 1° = 6371 × 0.0174532925 = 111.19493 km.
const KM_PER_DEGREE_LAT = (6371 * Math.PI) / 180; // 111.194926…
const seat: GeoPoint = { lat: 35.6929, lng: 105.0466 }; // 会师镇, the county seat
const north = (degrees: number): GeoPoint => ({ lat: seat.lat + degrees, lng: seat.lng });
/** The point due north of the seat whose modelled road distance (×1.3) is exactly `km`. */
const northByRoadKm = (km: number): GeoPoint => north(km / 1.3 / KM_PER_DEGREE_LAT);

describe('haversineKm', () => {
  it('is 0 for the same point', () => {
    expect(haversineKm(seat, seat)).toBe(0);
  });

  it('gives 111.195 km for one degree of latitude (R·π/180)', () => {
    expect(haversineKm(seat, north(1))).toBeCloseTo(111.19493, 4);
  });

  it('shrinks longitude by cos(latitude): 0.1° east of the seat ≈ 11.1195 × cos 35.69° ≈ 9.031 km', () => {
    // small-angle check: 11.119493 × cos(35.6929°) = 11.119493 × 0.812054 = 9.0296; haversine adds the
    // curvature term, 9.03076 km.
    expect(haversineKm(seat, { lat: seat.lat, lng: seat.lng + 0.1 })).toBeCloseTo(9.0308, 3);
  });

  it('is symmetric and honours the radius', () => {
    const a = { lat: 35.4, lng: 104.4833 };
    const b = { lat: 36.4333, lng: 105.5167 };
    expect(haversineKm(a, b)).toBeCloseTo(haversineKm(b, a), 9);
    expect(haversineKm(a, b, 6371 * 2)).toBeCloseTo(haversineKm(a, b) * 2, 9);
  });
});

describe('roadDistanceKm', () => {
  it('applies the 1.3 detour: one degree of latitude is 144.553 km by road', () => {
    expect(roadDistanceKm(seat, north(1))).toBeCloseTo(144.5534, 4);
  });
});

describe('travelMinutes', () => {
  it('one degree of latitude: 144.553 km at 30 km/h = 289.1 → 290 min rural; at 20 km/h = 433.7 → 434 min urban', () => {
    expect(travelMinutes(seat, north(1), 'rural')).toBe(290);
    expect(travelMinutes(seat, north(1), 'urban')).toBe(434);
  });

  it('0.01° of latitude: 1.4455 km → 2.89 → 3 min rural, 4.34 → 5 min urban', () => {
    expect(travelMinutes(seat, north(0.01), 'rural')).toBe(3);
    expect(travelMinutes(seat, north(0.01), 'urban')).toBe(5);
  });

  it('0.1° east of the seat: 9.0308 × 1.3 = 11.740 km → 23.48 → 24 min rural, 35.22 → 36 min urban', () => {
    const east = { lat: seat.lat, lng: seat.lng + 0.1 };
    expect(travelMinutes(seat, east, 'rural')).toBe(24);
    expect(travelMinutes(seat, east, 'urban')).toBe(36);
  });

  it('is 0 minutes for the same place', () => {
    expect(travelMinutes(seat, seat, 'urban')).toBe(0);
  });

  it('rounds up: a road distance of exactly 10 km is 30 min urban (not 31), 10.01 km is 31', () => {
    expect(roadDistanceKm(seat, northByRoadKm(10))).toBeCloseTo(10, 9);
    expect(travelMinutes(seat, northByRoadKm(10), 'urban')).toBe(30);
    expect(travelMinutes(seat, northByRoadKm(10.01), 'urban')).toBe(31);
    expect(travelMinutes(seat, northByRoadKm(10), 'rural')).toBe(20);
    expect(travelMinutes(seat, northByRoadKm(10.01), 'rural')).toBe(21);
  });

  it('takes its figures from the options', () => {
    const noDetour = travelModel({ detourFactor: 1 });
    // 111.195 km at 30 km/h = 222.39 → 223
    expect(travelMinutes(seat, north(1), 'rural', noDetour)).toBe(223);
    const fast = travelModel({ urbanSpeedKmh: 40 });
    // 144.553 km at 40 km/h = 216.83 → 217
    expect(travelMinutes(seat, north(1), 'urban', fast)).toBe(217);
  });
});

describe('travelModel', () => {
  it('defaults to the figures of domain.md §5', () => {
    expect(travelModel()).toEqual({
      earthRadiusKm: 6371,
      detourFactor: 1.3,
      urbanSpeedKmh: 20,
      ruralSpeedKmh: 30,
      urbanServiceCircleMinutes: 15,
      ruralServiceCircleMinutes: 30,
    });
    expect(DEFAULT_TRAVEL_MODEL).toEqual(travelModel());
  });

  it('rejects a zero or negative speed and a negative circle', () => {
    expect(() => travelModel({ ruralSpeedKmh: 0 })).toThrow(RangeError);
    expect(() => travelModel({ detourFactor: -1 })).toThrow(RangeError);
    expect(() => travelModel({ urbanServiceCircleMinutes: -5 })).toThrow(RangeError);
  });
});

describe('which township sets the speed', () => {
  const sp = { type: 'service_point' as const, location: seat };
  const urbanHome = { type: 'resident' as const, location: north(0.01), kind: 'urban' as const };
  const ruralHome = { type: 'resident' as const, location: north(0.02), kind: 'rural' as const };

  it('service point ↔ resident: the resident’s, either way', () => {
    expect(legKind(sp, urbanHome)).toBe('urban');
    expect(legKind(urbanHome, sp)).toBe('urban');
    expect(legKind(sp, ruralHome)).toBe('rural');
    expect(legKind(ruralHome, sp)).toBe('rural');
  });

  it('resident → resident: the one travelled to', () => {
    expect(legKind(urbanHome, ruralHome)).toBe('rural');
    expect(legKind(ruralHome, urbanHome)).toBe('urban');
    // 0.01° = 1.4455 km by road: to the urban home at 20 km/h → 4.34 → 5; to the rural one at 30 → 2.89 → 3
    expect(legMinutes(ruralHome, urbanHome)).toBe(5);
    expect(legMinutes(urbanHome, ruralHome)).toBe(3);
  });
});

describe('service circle', () => {
  it('is 15 minutes urban and 30 rural by default', () => {
    expect(serviceCircleMinutes('urban')).toBe(15);
    expect(serviceCircleMinutes('rural')).toBe(30);
  });

  it('urban: 5 km by road is exactly 15 min (inside); 5.01 km is 16 min (outside)', () => {
    expect(isInServiceCircle(seat, northByRoadKm(5), 'urban')).toBe(true);
    expect(isInServiceCircle(seat, northByRoadKm(5.01), 'urban')).toBe(false);
  });

  it('rural: 15 km by road is exactly 30 min (inside); 0.11° north (15.90 km → 32 min) is outside', () => {
    expect(isInServiceCircle(seat, northByRoadKm(15), 'rural')).toBe(true);
    expect(isInServiceCircle(seat, north(0.1), 'rural')).toBe(true); // 14.455 km → 29 min
    expect(isInServiceCircle(seat, north(0.11), 'rural')).toBe(false);
  });

  it('uses the resident’s kind: 0.03° north (4.34 km) is 14 min urban (inside), 0.05° (7.23 km) is 22 min urban (outside) but 15 min rural (inside)', () => {
    expect(isInServiceCircle(seat, north(0.03), 'urban')).toBe(true);
    expect(isInServiceCircle(seat, north(0.05), 'urban')).toBe(false);
    expect(isInServiceCircle(seat, north(0.05), 'rural')).toBe(true);
  });

  it('draws as a great-circle radius: 5 km / 1.3 urban, 15 km / 1.3 rural; its edge is inside the circle', () => {
    expect(serviceCircleRadiusKm('urban')).toBeCloseTo(5 / 1.3, 9);
    expect(serviceCircleRadiusKm('rural')).toBeCloseTo(15 / 1.3, 9);
    expect(isInServiceCircle(seat, north((serviceCircleRadiusKm('rural') - 1e-6) / KM_PER_DEGREE_LAT), 'rural')).toBe(
      true,
    );
    expect(serviceCircleRadiusKm('urban', travelModel({ urbanServiceCircleMinutes: 30 }))).toBeCloseTo(10 / 1.3, 9);
  });

  it('takes the radius from the options', () => {
    const wide = travelModel({ urbanServiceCircleMinutes: 25 });
    expect(isInServiceCircle(seat, north(0.05), 'urban', wide)).toBe(true);
  });
});
