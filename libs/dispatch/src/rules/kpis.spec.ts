import { generateCountyDay } from '../../test/support/county-day.generator';
import { dispatchKpis, kpiOrdersOfPlan, percentile, type KpiOrder } from './kpis';
import { greedyNearestFeasible, planDay, planMetrics } from './planner';

const base: KpiOrder = {
  id: 'o1',
  residentId: 'r1',
  priority: 'normal',
  status: 'assigned',
  caregiverId: 'c1',
  location: { lat: 35.7, lng: 105.05 },
  kind: 'urban',
  plannedStart: Date.parse('2026-12-08T01:00:00Z'),
  plannedEnd: Date.parse('2026-12-08T01:30:00Z'),
  unassignedReason: null,
  createdAt: Date.parse('2026-12-07T00:00:00Z'),
  assignedAt: Date.parse('2026-12-07T00:00:02Z'),
  continuity: true,
};
const caregivers = [
  { id: 'c1', active: true, servicePoint: { lat: 35.6929, lng: 105.0466 } },
  { id: 'c2', active: true, servicePoint: { lat: 35.6929, lng: 105.0466 } },
];

describe('dispatchKpis', () => {
  it('counts, reasons, continuity, spread and time to assign over the day', () => {
    const k = dispatchKpis(
      [
        base,
        {
          ...base,
          id: 'o2',
          priority: 'urgent',
          assignedAt: base.createdAt! + 10_000,
          continuity: false,
          plannedStart: base.plannedStart! + 3600_000,
          plannedEnd: base.plannedEnd! + 3600_000,
        },
        {
          ...base,
          id: 'o3',
          priority: 'urgent',
          status: 'unassigned',
          caregiverId: null,
          plannedStart: null,
          plannedEnd: null,
          unassignedReason: 'NO_CAPACITY',
        },
        {
          ...base,
          id: 'o4',
          status: 'unassigned',
          caregiverId: null,
          plannedStart: null,
          plannedEnd: null,
          unassignedReason: 'OUT_OF_SERVICE_CIRCLE',
        },
        { ...base, id: 'o5', status: 'cancelled' },
      ],
      caregivers,
    );
    expect(k).toMatchObject({
      orders: 4,
      assigned: 2,
      urgentOrders: 2,
      urgentAssigned: 1,
      unassignedByReason: { NO_CAPACITY: 1, OUT_OF_SERVICE_CIRCLE: 1 },
      continuityShare: 0.5,
      // c1 has 2 visits, c2 none: mean 1, sd 1
      visitsPerCaregiverSd: 1,
      assignSecondsP50: 2,
      assignSecondsP95: 10,
    });
    expect(k.travelMinutesPerVisit).toBeGreaterThan(0);
  });

  it('gives nulls, not NaN, for an empty day', () => {
    expect(dispatchKpis([], [])).toEqual({
      orders: 0,
      assigned: 0,
      urgentOrders: 0,
      urgentAssigned: 0,
      unassignedByReason: {},
      travelMinutesPerVisit: null,
      continuityShare: null,
      visitsPerCaregiverSd: null,
      assignSecondsP50: null,
      assignSecondsP95: null,
    });
  });

  it('agrees with planMetrics on a generated county day (the bench feeds plans through it)', () => {
    const day = generateCountyDay({ seed: 5, orders: 120, caregivers: 18 });
    for (const plan of [
      planDay(day.orders, day.caregivers, day.catalogue),
      greedyNearestFeasible(day.orders, day.caregivers, day.catalogue),
    ]) {
      const m = planMetrics(plan);
      const k = dispatchKpis(kpiOrdersOfPlan(plan), plan.caregivers, plan.travel);
      expect(k.orders).toBe(m.orders);
      expect(k.assigned).toBe(m.assigned);
      expect(k.urgentOrders).toBe(m.urgentOrders);
      expect(k.urgentAssigned).toBe(m.urgentAssigned);
      expect(k.unassignedByReason).toEqual(m.unassignedByReason);
      expect(k.travelMinutesPerVisit).toBeCloseTo(m.travelMinutesPerVisit, 1);
      expect(k.visitsPerCaregiverSd).toBeCloseTo(m.visitsPerCaregiverStdDev, 2);
    }
  });

  it('percentile is nearest rank', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
    expect(percentile([], 50)).toBeNull();
  });
});
