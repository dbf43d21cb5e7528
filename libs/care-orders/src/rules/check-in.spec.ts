import { assessCheckIn } from './check-in';

const home = { lat: 35.6929, lng: 105.0466 };
const planned = new Date('2026-12-01T09:00:00+08:00');
const minutes = (m: number) => new Date(planned.getTime() + m * 60_000);
// 0.001° of latitude ≈ 111 m
const north = (degrees: number) => ({ lat: home.lat + degrees, lng: home.lng });

describe('check-in flags (never a refusal)', () => {
  it('on time and at the door: no flags, distance in metres', () => {
    const a = assessCheckIn({ at: minutes(5), position: north(0.001), plannedStart: planned, home });
    expect(a.flags).toEqual([]);
    expect(a.distanceMeters).toBe(111);
    expect(a.minutesFromPlan).toBe(5);
  });

  it('early: more than 30 minutes before the planned start; late: more than 15 after', () => {
    expect(assessCheckIn({ at: minutes(-30), position: home, plannedStart: planned, home }).flags).toEqual([]);
    expect(assessCheckIn({ at: minutes(-31), position: home, plannedStart: planned, home }).flags).toEqual(['early']);
    expect(assessCheckIn({ at: minutes(15), position: home, plannedStart: planned, home }).flags).toEqual([]);
    expect(assessCheckIn({ at: minutes(16), position: home, plannedStart: planned, home }).flags).toEqual(['late']);
  });

  it('far: more than 500 m from the home', () => {
    expect(assessCheckIn({ at: planned, position: north(0.0044), plannedStart: planned, home }).flags).toEqual([]);
    const far = assessCheckIn({ at: minutes(40), position: north(0.01), plannedStart: planned, home });
    expect(far.flags).toEqual(['late', 'far']);
    expect(far.distanceMeters).toBe(1112);
  });

  it('without a position the check-in is kept and flagged no_location; without a known home, no distance', () => {
    expect(assessCheckIn({ at: planned, position: null, plannedStart: planned, home })).toMatchObject({
      flags: ['no_location'],
      distanceMeters: null,
    });
    expect(assessCheckIn({ at: planned, position: home, plannedStart: planned, home: null })).toMatchObject({
      flags: [],
      distanceMeters: null,
    });
  });

  it('takes the tolerance from the options', () => {
    expect(
      assessCheckIn(
        { at: minutes(10), position: home, plannedStart: planned, home },
        { earlyMinutes: 5, lateMinutes: 5, farMeters: 50 },
      ).flags,
    ).toEqual(['late']);
  });
});
