import { evaluateInsertion, type FeasibleInsertion, type InsertionResult } from './feasibility';
import { at, caregiver, DATE, northKm, order, visit } from './fixtures.spec-helper';
import type { CaregiverDay, DispatchCaregiver, PlannedVisit } from './types';

const day = (visits: PlannedVisit[] = [], c: Partial<DispatchCaregiver> = {}): CaregiverDay => ({
  caregiver: caregiver(c),
  date: DATE,
  visits,
});

function ok(result: InsertionResult): FeasibleInsertion {
  if (!result.ok) throw new Error(`expected a placement, got ${result.reason}/${result.detail}`);
  return result;
}

describe('evaluateInsertion — an empty day', () => {
  it('places the visit at the window start when travel from the service point fits before it', () => {
    // 5 km rural = 10 min; shift 08:00, window 09:00 → start 09:00, end 09:30 (companionship 30 min)
    const r = ok(evaluateInsertion(order(), day()));
    expect([r.plannedStart, r.plannedEnd]).toEqual([at('09:00'), at('09:30')]);
    expect(r).toMatchObject({
      position: 0,
      travelMinutesFromPrevious: 10,
      travelMinutesToNext: 10,
      addedTravelMinutes: 20,
      visitsThatDay: 0,
    });
  });

  it('uses durationMinutes, else the sum of the services’ minutes', () => {
    const monthly = ok(
      evaluateInsertion(order({ services: ['health_check', 'safety_check', 'home_cleaning'] }), day()),
    );
    expect(monthly.plannedEnd - monthly.plannedStart).toBe(90 * 60_000);
    const given = ok(evaluateInsertion(order({ services: ['bathing'], durationMinutes: 40 }), day()));
    expect(given.plannedEnd - given.plannedStart).toBe(40 * 60_000);
  });
});

describe('hard rule 1: skills and active', () => {
  it('refuses an inactive caregiver', () => {
    expect(evaluateInsertion(order(), day([], { active: false }))).toMatchObject({
      ok: false,
      reason: 'NO_SKILLED_CAREGIVER',
      detail: 'INACTIVE',
    });
  });

  it('needs every skill of every service', () => {
    const monthly = order({ services: ['health_check', 'safety_check', 'laundry'] }); // health + housekeeping
    expect(evaluateInsertion(monthly, day([], { skills: ['housekeeping'] }))).toMatchObject({
      ok: false,
      reason: 'NO_SKILLED_CAREGIVER',
      detail: 'MISSING_SKILL',
    });
    expect(evaluateInsertion(monthly, day([], { skills: ['housekeeping', 'health'] })).ok).toBe(true);
  });

  it('services without a skill need none', () => {
    expect(evaluateInsertion(order({ services: ['companionship', 'errand'] }), day([], { skills: [] })).ok).toBe(true);
  });
});

describe('hard rule 2: service circle (from the service point, resident’s township kind)', () => {
  it('rural: 15 km (30 min) is inside, 16 km (32 min) is outside', () => {
    expect(evaluateInsertion(order({ location: northKm(15) }), day()).ok).toBe(true);
    expect(evaluateInsertion(order({ location: northKm(16) }), day())).toMatchObject({
      ok: false,
      reason: 'OUT_OF_SERVICE_CIRCLE',
    });
  });

  it('urban: 5 km (15 min) is inside, 5.5 km (16.5 → 17 min) is outside', () => {
    expect(evaluateInsertion(order({ location: northKm(5), kind: 'urban' }), day()).ok).toBe(true);
    expect(evaluateInsertion(order({ location: northKm(5.5), kind: 'urban' }), day())).toMatchObject({
      ok: false,
      reason: 'OUT_OF_SERVICE_CIRCLE',
    });
  });
});

describe('hard rule 3: inside the window and the shift', () => {
  it('never starts before the window, even when the caregiver is free earlier', () => {
    const r = ok(evaluateInsertion(order({ windowStart: at('10:00'), windowEnd: at('12:00') }), day()));
    expect(r.plannedStart).toBe(at('10:00'));
  });

  it('never ends after the window', () => {
    // the day's only gap is after a visit ending 11:45 (+10 min travel: 11:55), window ends 12:00
    const busy = [visit('x', 5, '09:00', '11:45')];
    expect(evaluateInsertion(order({ windowEnd: at('12:00') }), day(busy))).toMatchObject({
      ok: false,
      reason: 'NO_CAPACITY',
    });
  });

  it('refuses a window shorter than the visit', () => {
    expect(evaluateInsertion(order({ windowStart: at('09:00'), windowEnd: at('09:20') }), day())).toMatchObject({
      ok: false,
      detail: 'OUTSIDE_SHIFT',
    });
  });

  it('refuses a window outside the shift, and keeps to the shift where they overlap', () => {
    expect(evaluateInsertion(order(), day([], { shiftStart: '07:00', shiftEnd: '08:30' }))).toMatchObject({
      ok: false,
      detail: 'OUTSIDE_SHIFT',
    });
    // shift 13:00–17:00, window 09:00–17:00 → 13:00 + 10 min travel
    const r = ok(evaluateInsertion(order(), day([], { shiftStart: '13:00' })));
    expect(r.plannedStart).toBe(at('13:10'));
  });
});

describe('hard rule 4: no overlap, and travel fits', () => {
  it('shift start + travel from the service point ≤ first start', () => {
    // shift 08:00, window opens 08:00, travel 10 min → 08:10 (08:00 if the travel were ignored)
    const r = ok(evaluateInsertion(order({ windowStart: at('08:00') }), day()));
    expect(r.plannedStart).toBe(at('08:10'));
  });

  it('end of the last visit + travel back ≤ shift end', () => {
    // window 16:25–17:00, 30 min → ends 16:55, +10 min back = 17:05 > 17:00
    expect(evaluateInsertion(order({ windowStart: at('16:25') }), day())).toMatchObject({
      ok: false,
      reason: 'NO_CAPACITY',
      detail: 'NO_TIME_SLOT',
    });
    // window 16:20 → ends 16:50, back at 17:00: fits exactly
    expect(ok(evaluateInsertion(order({ windowStart: at('16:20') }), day())).plannedStart).toBe(at('16:20'));
  });

  it('end of a visit + travel to the next ≤ next start', () => {
    // existing visit 5 km north 09:00–10:00; new visit 10 km north (20 min from the service point, 10 from there)
    const existing = [visit('x', 5, '09:00', '10:00')];
    const r = ok(evaluateInsertion(order({ location: northKm(10) }), day(existing)));
    expect([r.position, r.plannedStart, r.travelMinutesFromPrevious]).toEqual([1, at('10:10'), 10]);
  });

  it('inserting before a visit must leave the travel to that visit (the following visit is re-checked)', () => {
    // before x: 08:20–08:50 + 10 min to x = 09:00 fits when x starts 09:00 …
    const fits = ok(
      evaluateInsertion(
        order({ location: northKm(10), windowStart: at('08:00') }),
        day([visit('x', 5, '09:00', '09:30')]),
      ),
    );
    expect([fits.position, fits.plannedStart]).toEqual([0, at('08:20')]);
    // … but not when x starts 08:55: the visit still fits in time (08:20–08:50), the travel to x does not
    const after = ok(
      evaluateInsertion(
        order({ location: northKm(10), windowStart: at('08:00') }),
        day([visit('x', 5, '08:55', '09:25')]),
      ),
    );
    expect([after.position, after.plannedStart]).toEqual([1, at('09:35')]);
  });

  it('never overlaps a visit', () => {
    const busy = [visit('x', 5, '09:00', '16:00')];
    expect(evaluateInsertion(order({ windowEnd: at('12:00') }), day(busy))).toMatchObject({
      ok: false,
      detail: 'NO_TIME_SLOT',
    });
    // a visit at the same place (0 min travel between) still may not overlap: it goes right after
    const r = ok(evaluateInsertion(order(), day([visit('x', 5, '09:00', '10:00')])));
    expect(r.plannedStart).toBe(at('10:00'));
  });

  it('re-checks the whole day: a day already unsound (shift cut short) takes nothing', () => {
    const cut = [visit('x', 5, '16:30', '17:00')]; // no time to get back by 17:00
    expect(evaluateInsertion(order({ windowEnd: at('12:00') }), day(cut))).toMatchObject({
      ok: false,
      detail: 'NO_TIME_SLOT',
    });
  });
});

describe('hard rule 5: maxDailyVisits and declines', () => {
  it('refuses a caregiver whose day is full', () => {
    const one = [visit('x', 5, '14:00', '14:30')];
    expect(evaluateInsertion(order(), day(one, { maxDailyVisits: 1 }))).toMatchObject({
      ok: false,
      reason: 'NO_CAPACITY',
      detail: 'MAX_DAILY_VISITS',
    });
    expect(evaluateInsertion(order(), day(one, { maxDailyVisits: 2 })).ok).toBe(true);
  });

  it('never offers an order to a caregiver who declined it', () => {
    expect(evaluateInsertion(order({ declinedBy: ['cg-a'] }), day())).toMatchObject({
      ok: false,
      reason: 'NO_CAPACITY',
      detail: 'DECLINED',
    });
    expect(evaluateInsertion(order({ declinedBy: ['cg-b'] }), day()).ok).toBe(true);
  });
});

describe('cheapest insertion', () => {
  // x: 5 km north 09:00–09:30; y: 5 km south 13:00–13:30. New visit 6 km north, 30 min.
  const visits = [visit('x', 5, '09:00', '09:30'), visit('y', -5, '13:00', '13:30')];

  it('picks the position adding the least travel, the earlier start on a tie', () => {
    // before x: 12 + 2 − 10 = 4; between: 2 + 22 − 20 = 4; after y: 22 + 12 − 10 = 24
    const r = ok(evaluateInsertion(order({ location: northKm(6), windowStart: at('08:00') }), day(visits)));
    expect(r).toMatchObject({
      position: 0,
      addedTravelMinutes: 4,
      travelMinutesFromPrevious: 12,
      travelMinutesToNext: 2,
      visitsThatDay: 2,
    });
    expect(r.plannedStart).toBe(at('08:12'));
    // a window opening at 09:00 rules out "before x": the gap between x and y, not the end of the day
    const later = ok(evaluateInsertion(order({ location: northKm(6) }), day(visits)));
    expect([later.position, later.addedTravelMinutes, later.plannedStart]).toEqual([1, 4, at('09:32')]);
  });

  it('accepts the visits in any order', () => {
    const r = ok(evaluateInsertion(order({ location: northKm(6) }), day([...visits].reverse())));
    expect(r.position).toBe(1);
  });

  it('positions: append only considers the end of the day', () => {
    const r = ok(evaluateInsertion(order({ location: northKm(6) }), day(visits), { positions: 'append' }));
    expect([r.position, r.addedTravelMinutes, r.plannedStart]).toEqual([2, 24, at('13:52')]);
  });

  it('notBefore: nothing is planned before it (the dispatcher passes now)', () => {
    // the caregiver sets off from the service point now (11:07 and 5 ms), 10 min of travel: 11:17.005 → 11:18
    const r = ok(evaluateInsertion(order(), day(), { notBefore: at('11:07') + 5 }));
    expect(r.plannedStart).toBe(at('11:18'));
    expect(r.travelMinutesFromPrevious).toBe(10);
    expect(evaluateInsertion(order({ windowEnd: at('12:00') }), day(), { notBefore: at('11:45') })).toMatchObject({
      ok: false,
      detail: 'OUTSIDE_SHIFT',
    });
  });

  it('plans on whole minutes', () => {
    const r = ok(evaluateInsertion(order({ windowStart: at('09:00') + 1234 }), day()));
    expect(r.plannedStart).toBe(at('09:01'));
  });
});
