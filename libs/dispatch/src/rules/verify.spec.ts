import { at, caregiver, DATE, northKm, order } from './fixtures.spec-helper';
import { type Assignment, type Plan, planDay } from './planner';
import { DEFAULT_CATALOGUE } from './catalogue';
import { DEFAULT_TRAVEL_MODEL } from './geo';
import { verifyHardRules, type ViolationCode } from './verify';
import type { DispatchCaregiver, DispatchOrder } from './types';

// A sound plan: cg-a visits o-1 (5 km north) 09:00–09:30 and o-2 (10 km north) 10:00–10:30.
const orders: DispatchOrder[] = [
  order({ id: 'o-1' }),
  order({ id: 'o-2', residentId: 'r-2', location: northKm(10), services: ['health_check', 'safety_check'] }),
];
const cg = caregiver({ id: 'cg-a', skills: ['housekeeping', 'health'] });
const good: Assignment[] = [
  { orderId: 'o-1', caregiverId: 'cg-a', date: DATE, plannedStart: at('09:00'), plannedEnd: at('09:30') },
  { orderId: 'o-2', caregiverId: 'cg-a', date: DATE, plannedStart: at('10:00'), plannedEnd: at('10:30') },
];

function plan(
  assignments: Assignment[] = good,
  caregivers: DispatchCaregiver[] = [cg],
  os: DispatchOrder[] = orders,
  unassigned: Plan['unassigned'] = [],
): Plan {
  return {
    orders: os,
    caregivers,
    catalogue: DEFAULT_CATALOGUE,
    travel: DEFAULT_TRAVEL_MODEL,
    assignments,
    unassigned,
  };
}

const codes = (p: Plan): ViolationCode[] => verifyHardRules(p).map((v) => v.code);
const move = (i: number, from: string, to: string): Assignment[] =>
  good.map((a, j) => (j === i ? { ...a, plannedStart: at(from), plannedEnd: at(to) } : a));

describe('verifyHardRules', () => {
  it('finds nothing wrong in a sound plan', () => {
    expect(verifyHardRules(plan())).toEqual([]);
  });

  it('rule 1: inactive caregiver, missing skill', () => {
    expect(verifyHardRules(plan(good, [{ ...cg, active: false }]))).toEqual([
      expect.objectContaining({ rule: 1, code: 'CAREGIVER_INACTIVE', caregiverId: 'cg-a', orderId: 'o-1' }),
      expect.objectContaining({ rule: 1, code: 'CAREGIVER_INACTIVE', caregiverId: 'cg-a', orderId: 'o-2' }),
    ]);
    expect(verifyHardRules(plan(good, [{ ...cg, skills: ['housekeeping'] }]))).toEqual([
      expect.objectContaining({ rule: 1, code: 'MISSING_SKILL', orderId: 'o-2' }),
    ]);
  });

  it('rule 2: outside the service circle', () => {
    expect(verifyHardRules(plan(good, [{ ...cg, servicePoint: northKm(-10) }]))).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule: 2, code: 'OUT_OF_SERVICE_CIRCLE', orderId: 'o-2' })]),
    );
  });

  it('rule 3: duration, window, shift, date', () => {
    expect(codes(plan(move(0, '09:00', '09:20')))).toEqual(['WRONG_DURATION']);
    expect(codes(plan(move(0, '08:30', '09:00')))).toEqual(['OUTSIDE_WINDOW']);
    expect(codes(plan(good, [{ ...cg, shiftEnd: '10:20' }]))).toEqual(expect.arrayContaining(['OUTSIDE_SHIFT']));
    expect(codes(plan(good.map((a) => ({ ...a, date: '2026-12-02' }))))).toEqual(['WRONG_DATE', 'WRONG_DATE']);
  });

  it('rule 4: travel from the service point, overlap, travel between, travel back', () => {
    const early = plan(good, [{ ...cg, shiftStart: '08:55' }]); // 08:55 + 10 min > 09:00
    expect(codes(early)).toEqual(['TRAVEL_FROM_SERVICE_POINT']);
    expect(codes(plan(move(1, '09:20', '09:50')))).toEqual(['OVERLAP']);
    expect(codes(plan(move(1, '09:35', '10:05')))).toEqual(['TRAVEL_BETWEEN_VISITS']); // 09:30 + 10 min > 09:35
    expect(codes(plan(good, [{ ...cg, shiftEnd: '10:45' }]))).toEqual(['TRAVEL_BACK']); // 10:30 + 20 min > 10:45
  });

  it('rule 5: too many visits, declined before', () => {
    expect(codes(plan(good, [{ ...cg, maxDailyVisits: 1 }]))).toEqual(['MAX_DAILY_VISITS']);
    const declined = orders.map((o) => (o.id === 'o-1' ? { ...o, declinedBy: ['cg-a'] } : o));
    expect(verifyHardRules(plan(good, [cg], declined))).toEqual([
      expect.objectContaining({ rule: 5, code: 'DECLINED_BEFORE', orderId: 'o-1' }),
    ]);
  });

  it('rule 6: an order on two caregivers, or both assigned and unassigned', () => {
    const other = { ...cg, id: 'cg-b' };
    const twice = [...good, { ...good[0], caregiverId: 'cg-b' }];
    expect(verifyHardRules(plan(twice, [cg, other]))).toEqual([
      expect.objectContaining({ rule: 6, code: 'DOUBLE_BOOKED', orderId: 'o-1' }),
    ]);
    expect(codes(plan(good, [cg], orders, [{ orderId: 'o-2', reason: 'NO_CAPACITY' }]))).toEqual([
      'ASSIGNED_AND_UNASSIGNED',
    ]);
  });

  it('reports unknown orders, caregivers and services', () => {
    expect(codes(plan([{ ...good[0], orderId: 'nope' }]))).toEqual(['UNKNOWN_ORDER']);
    expect(codes(plan([{ ...good[0], caregiverId: 'nope' }]))).toEqual(['UNKNOWN_CAREGIVER']);
    expect(
      codes(
        plan(
          good,
          [cg],
          orders.map((o) => ({ ...o, services: ['massage'] })),
        ),
      ),
    ).toEqual(['UNKNOWN_SERVICE', 'UNKNOWN_SERVICE']);
  });

  it('agrees with planDay on a small day', () => {
    const planned = planDay(orders, [cg]);
    expect(planned.assignments).toHaveLength(2);
    expect(verifyHardRules(planned)).toEqual([]);
  });
});
