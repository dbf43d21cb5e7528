import fc from 'fast-check';
import { generateCountyDay } from '../../test/support/county-day.generator';
import { greedyNearestFeasible, planDay, planMetrics } from './planner';
import { verifyHardRules } from './verify';

/** Random county days: seed, number of orders, number of caregivers. */
const countyDays = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  orders: fc.integer({ min: 5, max: 160 }),
  caregivers: fc.integer({ min: 1, max: 45 }),
});

describe('planDay on generated county days (property)', () => {
  it('never breaks a hard rule, places every order exactly once or gives a reason, and places at least as many as greedy', () => {
    fc.assert(
      fc.property(countyDays, (params) => {
        const day = generateCountyDay(params);
        const plan = planDay(day.orders, day.caregivers, day.catalogue);
        const greedy = greedyNearestFeasible(day.orders, day.caregivers, day.catalogue);
        expect(verifyHardRules(plan)).toEqual([]);
        expect(verifyHardRules(greedy)).toEqual([]);
        expect(plan.assignments.length + plan.unassigned.length).toBe(day.orders.length);
        expect(plan.assignments.length).toBeGreaterThanOrEqual(greedy.assignments.length);
      }),
      { numRuns: 40 },
    );
  });

  it('without the baseline guard or repair, the insertion pass alone is still sound', () => {
    fc.assert(
      fc.property(countyDays, (params) => {
        const day = generateCountyDay(params);
        const plan = planDay(day.orders, day.caregivers, day.catalogue, { repair: false, baselineGuard: false });
        expect(verifyHardRules(plan)).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('on the default county day places more orders, and more urgent ones, than greedy', () => {
    const day = generateCountyDay();
    const ours = planMetrics(planDay(day.orders, day.caregivers, day.catalogue));
    const greedy = planMetrics(greedyNearestFeasible(day.orders, day.caregivers, day.catalogue));
    expect(ours.assigned).toBeGreaterThan(greedy.assigned);
    expect(ours.urgentAssigned).toBeGreaterThanOrEqual(greedy.urgentAssigned);
  });
});
