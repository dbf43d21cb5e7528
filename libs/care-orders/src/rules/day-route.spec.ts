import { dayRouteView } from './day-route';

const sp = { lat: 35.6929, lng: 105.0466 };
const north = (d: number) => ({ lat: sp.lat + d, lng: sp.lng });
const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00+08:00`);
const visit = (
  orderId: string,
  start: string,
  end: string,
  location: { lat: number; lng: number } | null,
  kind: 'urban' | 'rural' = 'rural',
) => ({
  orderId,
  plannedStart: at(start),
  plannedEnd: at(end),
  location,
  kind,
});

describe('a caregiver’s day route', () => {
  it('orders the visits and gives travel into each and back (0.01° north = 1.4455 km by road: 3 min rural, 5 urban)', () => {
    const route = dayRouteView(sp, at('08:00'), [
      visit('b', '10:00', '11:00', north(0.02)),
      visit('a', '09:00', '09:30', north(0.01)),
    ]);
    expect(route.legs.map((l) => l.visit.orderId)).toEqual(['a', 'b']);
    expect(route.legs.map((l) => l.travelMinutes)).toEqual([3, 3]);
    // 0.02° back = 2.891 km → 5.78 → 6 min rural
    expect(route.returnTravelMinutes).toBe(6);
    expect(route.totalTravelMinutes).toBe(12);
    // 08:00 → 09:00 is 60 min, 3 of travel: 57 spare; 09:30 → 10:00 is 30, 3 of travel: 27
    expect(route.legs.map((l) => l.slackMinutes)).toEqual([57, 27]);
  });

  it('uses the kind of the home travelled to', () => {
    const route = dayRouteView(sp, at('08:00'), [visit('a', '09:00', '09:30', north(0.01), 'urban')]);
    expect(route.legs[0].travelMinutes).toBe(5);
    expect(route.returnTravelMinutes).toBe(5);
  });

  it('a home without coordinates has no travel into or out of it', () => {
    const route = dayRouteView(sp, at('08:00'), [
      visit('a', '09:00', '09:30', null),
      visit('b', '10:00', '10:30', north(0.01)),
    ]);
    expect(route.legs.map((l) => l.travelMinutes)).toEqual([null, null]);
    expect(route.returnTravelMinutes).toBe(3);
    expect(route.totalTravelMinutes).toBeNull();
  });

  it('an empty day', () => {
    expect(dayRouteView(sp, at('08:00'), [])).toEqual({ legs: [], returnTravelMinutes: null, totalTravelMinutes: 0 });
  });
});
