import { at, caregiver, northKm, order, visit } from './fixtures.spec-helper';
import { dispatchSequence, greedyNearestFeasible, planDay, planMetrics } from './planner';
import { verifyHardRules } from './verify';

const assignedIds = (plan: ReturnType<typeof planDay>): string[] => plan.assignments.map((a) => a.orderId).sort();

describe('dispatchSequence', () => {
  it('urgent first, then the tightest window, then the earliest window, then id', () => {
    const loose = order({ id: 'loose' });
    const tight = order({ id: 'tight', windowStart: at('10:00'), windowEnd: at('11:00') }); // 30 min slack
    const tighter = order({ id: 'tighter', windowStart: at('15:00'), windowEnd: at('15:40') }); // 10 min slack
    const urgent = order({ id: 'urgent', priority: 'urgent' });
    const early = order({ id: 'early', windowStart: at('08:00'), windowEnd: at('16:00') }); // same slack as loose
    expect(dispatchSequence([loose, tight, tighter, urgent, early]).map((o) => o.id)).toEqual([
      'urgent',
      'tighter',
      'tight',
      'early',
      'loose',
    ]);
  });
});

describe('planDay', () => {
  it('places urgent orders first when they compete for the last slot', () => {
    const only = [caregiver({ maxDailyVisits: 1 })];
    const plan = planDay(
      [order({ id: 'normal' }), order({ id: 'urgent', residentId: 'r-2', priority: 'urgent' })],
      only,
    );
    expect(assignedIds(plan)).toEqual(['urgent']);
    expect(plan.unassigned).toEqual([{ orderId: 'normal', reason: 'NO_CAPACITY' }]);
  });

  it('places the tight window before the loose one, and inserts anywhere in the day (greedy appends and loses one)', () => {
    const one = [caregiver({ shiftStart: '09:00' })];
    const loose = order({ id: 'loose' });
    const tight = order({ id: 'tight', residentId: 'r-2', windowStart: at('09:10'), windowEnd: at('09:40') });
    const plan = planDay([loose, tight], one, undefined, { baselineGuard: false, repair: false });
    expect(assignedIds(plan)).toEqual(['loose', 'tight']);
    expect(plan.assignments.find((a) => a.orderId === 'tight')?.plannedStart).toBe(at('09:10'));
    const greedy = greedyNearestFeasible([loose, tight], one);
    expect(assignedIds(greedy)).toEqual(['loose']);
    expect(verifyHardRules(plan)).toEqual([]);
    expect(verifyHardRules(greedy)).toEqual([]);
  });

  it('repairs by ejection: moves a visit to another caregiver to make room for an order only the first can serve', () => {
    // o-house (safety check, housekeeping) is the tighter, placed first, on cg-a by the id tie-break; o-health needs cg-a.
    const a = caregiver({ id: 'cg-a', skills: ['housekeeping', 'health'], maxDailyVisits: 1 });
    const b = caregiver({ id: 'cg-b', skills: ['housekeeping'], maxDailyVisits: 1 });
    const house = order({
      id: 'o-house',
      services: ['safety_check'],
      windowStart: at('09:00'),
      windowEnd: at('10:00'),
    });
    const health = order({ id: 'o-health', residentId: 'r-2', services: ['health_check'] });
    const plain = planDay([house, health], [a, b], undefined, { repair: false, baselineGuard: false });
    expect(assignedIds(plain)).toEqual(['o-house']);
    const repaired = planDay([house, health], [a, b], undefined, { baselineGuard: false });
    expect(assignedIds(repaired)).toEqual(['o-health', 'o-house']);
    expect(repaired.assignments.find((x) => x.orderId === 'o-health')?.caregiverId).toBe('cg-a');
    expect(repaired.notes?.repaired).toBe(1);
    expect(verifyHardRules(repaired)).toEqual([]);
  });

  it('baseline guard: never places fewer orders than greedy', () => {
    // one slot; the urgent order is long, two short normal orders would both fit in its place
    const only = [caregiver({ shiftStart: '09:00', shiftEnd: '11:00' })];
    const short1 = order({ id: 's1', windowStart: at('09:10'), windowEnd: at('10:00') });
    const short2 = order({ id: 's2', residentId: 'r-2', windowStart: at('09:40'), windowEnd: at('10:40') });
    const long = order({
      id: 'urgent',
      residentId: 'r-3',
      priority: 'urgent',
      durationMinutes: 90,
      windowStart: at('09:00'),
      windowEnd: at('11:00'),
    });
    const unguarded = planDay([short1, short2, long], only, undefined, { baselineGuard: false });
    expect(assignedIds(unguarded)).toEqual(['urgent']);
    const guarded = planDay([short1, short2, long], only);
    expect(assignedIds(guarded)).toEqual(['s1', 's2']);
    expect(guarded.notes?.startedFromBaseline).toBe(true);
    expect(verifyHardRules(guarded)).toEqual([]);
  });

  it('records the final travel from the previous stop on each assignment', () => {
    // 5 km (10 min) then 10 km north (another 10 min)
    const plan = planDay(
      [order({ id: 'near' }), order({ id: 'far', residentId: 'r-2', location: northKm(10), windowStart: at('10:00') })],
      [caregiver()],
    );
    expect(plan.assignments.map((a) => [a.orderId, a.travelMinutesFromPrevious])).toEqual(
      expect.arrayContaining([
        ['near', 10],
        ['far', 10],
      ]),
    );
  });

  it('gives the reason of each unassigned order', () => {
    const plan = planDay(
      [
        order({ id: 'rehab', services: ['rehab_care'] }),
        order({ id: 'far', location: northKm(40) }),
        order({ id: 'late', windowStart: at('18:00'), windowEnd: at('19:00') }),
      ],
      [caregiver({ skills: ['housekeeping'] })],
    );
    expect(plan.unassigned).toEqual(
      expect.arrayContaining([
        { orderId: 'rehab', reason: 'NO_SKILLED_CAREGIVER' },
        { orderId: 'far', reason: 'OUT_OF_SERVICE_CIRCLE' },
        { orderId: 'late', reason: 'NO_CAPACITY' },
      ]),
    );
  });
});

describe('greedyNearestFeasible', () => {
  it('takes orders in input order, nearest feasible caregiver, appended at the end of the day', () => {
    const near = caregiver({ id: 'cg-near', servicePoint: northKm(4), maxDailyVisits: 1 });
    const far = caregiver({ id: 'cg-far', servicePoint: northKm(-4) });
    const plan = greedyNearestFeasible([order({ id: 'o-1' }), order({ id: 'o-2', residentId: 'r-2' })], [far, near]);
    expect(plan.assignments.map((a) => [a.orderId, a.caregiverId])).toEqual([
      ['o-1', 'cg-near'],
      ['o-2', 'cg-far'],
    ]);
    expect(plan.notes?.planner).toBe('greedyNearestFeasible');
  });
});

describe('planMetrics', () => {
  it('counts assignments, urgency, continuity and the whole route’s travel', () => {
    const c = caregiver({ recentResidentIds: ['r-1'] });
    const plan = planDay(
      [
        order({ id: 'o-1' }),
        order({ id: 'o-2', residentId: 'r-2', priority: 'urgent', location: northKm(10) }),
        order({ id: 'o-3', services: ['rehab_care'] }),
      ],
      [{ ...c, skills: ['housekeeping'] }],
    );
    const m = planMetrics(plan);
    expect(m).toMatchObject({
      orders: 3,
      assigned: 2,
      urgentOrders: 1,
      urgentAssigned: 1,
      continuityAssigned: 1,
      unassignedByReason: { NO_SKILLED_CAREGIVER: 1 },
    });
    // seat → 5 km → 10 km → seat (or the reverse): 10 + 10 + 20 minutes
    expect(m.totalTravelMinutes).toBe(40);
    expect(m.travelMinutesPerVisit).toBe(20);
  });
});

describe('planDay around visits already placed (the live rounds)', () => {
  it('keeps existing visits where they are, never ejects them, and counts them against the cap', () => {
    const one = [caregiver({ maxDailyVisits: 3 })];
    const existing = new Map([
      ['cg-a|2026-12-01', [visit('old-1', 5, '09:00', '09:30'), visit('old-2', 5, '10:00', '10:30')]],
    ]);
    const plan = planDay(
      [order({ id: 'n1' }), order({ id: 'n2', residentId: 'r-2', priority: 'urgent' })],
      one,
      undefined,
      { existing },
    );
    expect(assignedIds(plan)).toEqual(['n2']);
    expect(plan.unassigned).toEqual([{ orderId: 'n1', reason: 'NO_CAPACITY' }]);
    const placed = plan.assignments[0];
    // not on top of an existing visit
    for (const v of existing.get('cg-a|2026-12-01') ?? []) {
      expect(placed.plannedEnd <= v.plannedStart || placed.plannedStart >= v.plannedEnd).toBe(true);
    }
    // greedy (the baseline guard) sees them too
    expect(
      greedyNearestFeasible([order({ id: 'n1' }), order({ id: 'n2', residentId: 'r-2' })], one, undefined, { existing })
        .assignments,
    ).toHaveLength(1);
  });

  it('plans nothing before notBefore', () => {
    const plan = planDay([order()], [caregiver()], undefined, { notBefore: at('13:02') });
    expect(plan.assignments[0].plannedStart).toBeGreaterThanOrEqual(at('13:02'));
  });
});
