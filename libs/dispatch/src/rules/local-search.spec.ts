import { at, caregiver, northKm, order } from './fixtures.spec-helper';
import { generateCountyDay } from '../../test/support/county-day.generator';
import { improvePlan, scheduleRoute } from './local-search';
import { greedyNearestFeasible, planDay, planMetrics } from './planner';
import { prepareOrder } from './feasibility';
import { verifyHardRules } from './verify';

describe('improvePlan', () => {
  it.each([1, 2, 3])(
    'on a generated county day (seed %i): never fewer orders or urgent ones, less or equal travel, no rule broken',
    (seed) => {
      const day = generateCountyDay({ seed, orders: 300, caregivers: 60 });
      const planned = planDay(day.orders, day.caregivers, day.catalogue);
      const improved = improvePlan(planned, { budgetMs: 5_000 });
      const before = planMetrics(planned);
      const after = planMetrics(improved);
      expect(verifyHardRules(improved)).toEqual([]);
      expect(after.assigned).toBeGreaterThanOrEqual(before.assigned);
      expect(after.urgentAssigned).toBeGreaterThanOrEqual(before.urgentAssigned);
      // the search only takes moves that shorten a route; inserting left-over orders adds travel, so compare per visit
      expect(after.travelMinutesPerVisit).toBeLessThanOrEqual(before.travelMinutesPerVisit + 1e-9);
      const greedy = planMetrics(greedyNearestFeasible(day.orders, day.caregivers, day.catalogue));
      expect(after.assigned).toBeGreaterThanOrEqual(greedy.assigned);
      expect(improved.notes?.localSearch?.travelSavedMinutes).toBeGreaterThan(0);
    },
  );

  it('moves a visit to the caregiver it is nearer to (relocate), keeping every order placed', () => {
    // the home is 5 km north of the seat: 2 km from cg-near's service point, 5 km from cg-far's
    const near = caregiver({ id: 'cg-near', servicePoint: northKm(3) });
    const far = caregiver({ id: 'cg-far' });
    const o = order({ id: 'o-1' });
    const plan = planDay([o], [near, far], undefined, { baselineGuard: false });
    // force the plan onto the far caregiver, as an earlier greedy step could have
    const forced = { ...plan, assignments: [{ ...plan.assignments[0], caregiverId: 'cg-far' }] };
    const placed = scheduleRoute(far, plan.assignments[0].date, [{ kind: 'order', order: prepareOrder(o) }])!.timed[0];
    const improved = improvePlan(
      {
        ...forced,
        assignments: [{ ...forced.assignments[0], plannedStart: placed.plannedStart, plannedEnd: placed.plannedEnd }],
      },
      { budgetMs: 1_000 },
    );
    expect(improved.assignments).toHaveLength(1);
    expect(improved.assignments[0].caregiverId).toBe('cg-near');
    expect(verifyHardRules(improved)).toEqual([]);
  });

  it('counts the first leg of the day from notBefore: a caregiver on shift already sets off now', () => {
    const c = caregiver({ shiftStart: '08:00' });
    const o = prepareOrder(order({ windowStart: at('08:00'), windowEnd: at('12:00') }));
    const notBefore = at('10:00');
    const s = scheduleRoute(c, '2026-12-01', [{ kind: 'order', order: o }], undefined, notBefore);
    expect(s).not.toBeNull();
    expect(s!.timed[0].plannedStart).toBeGreaterThan(notBefore);
  });

  it('stops at once with a spent budget and returns a plan as good as it was given', () => {
    const day = generateCountyDay({ seed: 4, orders: 120, caregivers: 30 });
    const planned = planDay(day.orders, day.caregivers, day.catalogue);
    let t = 0;
    const improved = improvePlan(planned, { budgetMs: 0, clock: () => (t += 10) });
    expect(improved.assignments.length).toBeGreaterThanOrEqual(planned.assignments.length);
    expect(verifyHardRules(improved)).toEqual([]);
  });
});
