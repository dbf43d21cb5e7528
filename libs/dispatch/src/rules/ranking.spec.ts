import { at, caregiver, DATE, northKm, order, visit } from './fixtures.spec-helper';
import { aggregateUnassignedReason, compareCandidates, dispatchOrder, type RankedCandidate } from './ranking';
import type { CaregiverDay, DispatchCaregiver, PlannedVisit } from './types';

const day = (c: Partial<DispatchCaregiver>, visits: PlannedVisit[] = []): CaregiverDay => ({
  caregiver: caregiver(c),
  date: DATE,
  visits,
});

function chosen(decision: ReturnType<typeof dispatchOrder>): RankedCandidate {
  if (!decision.ok) throw new Error(`expected a choice, got ${decision.reason}`);
  return decision.choice;
}

describe('objective: least added travel', () => {
  it('beats continuity and workload', () => {
    // resident 5 km north: from the seat +20 min; from 3 km south +32 min (that caregiver served the resident and is idle)
    const near = day({ id: 'cg-near' }, [visit('x', 0, '14:00', '15:00')]);
    const far = day({ id: 'cg-far', servicePoint: northKm(-3), recentResidentIds: ['r-1'] });
    const decision = dispatchOrder(order({ windowEnd: at('12:00') }), [far, near]);
    expect(chosen(decision)).toMatchObject({ caregiverId: 'cg-near', addedTravelMinutes: 20 });
    expect(decision.ok && decision.explanation.decidedBy).toBe('added_travel');
  });
});

describe('objective: continuity (served this resident in the last 90 days)', () => {
  it('decides between equal added travel', () => {
    // ids: cg-a would win the final tie-break; cg-b served the resident
    const decision = dispatchOrder(order(), [day({ id: 'cg-a' }), day({ id: 'cg-b', recentResidentIds: ['r-1'] })]);
    expect(chosen(decision)).toMatchObject({ caregiverId: 'cg-b', continuity: true });
    expect(decision.ok && decision.explanation.decidedBy).toBe('continuity');
  });

  it('beats workload', () => {
    const busyButKnown = day({ id: 'cg-b', recentResidentIds: ['r-1'] }, [visit('x', 0, '14:00', '15:00')]);
    const decision = dispatchOrder(order({ windowEnd: at('12:00') }), [day({ id: 'cg-a' }), busyButKnown]);
    expect(chosen(decision).caregiverId).toBe('cg-b');
  });
});

describe('objective: even workload', () => {
  it('decides between equal added travel and continuity: fewer visits that day', () => {
    // cg-a has one visit at the service point itself (0 min travel either way), so its added travel is the same 20 min
    const busy = day({ id: 'cg-a' }, [visit('x', 0, '14:00', '15:00')]);
    const decision = dispatchOrder(order({ windowEnd: at('12:00') }), [busy, day({ id: 'cg-b' })]);
    expect(chosen(decision)).toMatchObject({ caregiverId: 'cg-b', visitsThatDay: 0, addedTravelMinutes: 20 });
    expect(decision.ok && decision.explanation.decidedBy).toBe('workload');
  });
});

describe('ranking', () => {
  it('is deterministic when everything is equal (earliest start, then caregiver id)', () => {
    const decision = dispatchOrder(order(), [day({ id: 'cg-b' }), day({ id: 'cg-a' })]);
    expect(chosen(decision).caregiverId).toBe('cg-a');
    expect(decision.ok && decision.explanation.decidedBy).toBe('tie_break');
  });

  it('returns every feasible candidate best first, and the rejected ones with their reasons', () => {
    const decision = dispatchOrder(order(), [
      day({ id: 'cg-c', active: false }),
      day({ id: 'cg-b', recentResidentIds: ['r-1'] }),
      day({ id: 'cg-a' }),
    ]);
    if (!decision.ok) throw new Error('expected a choice');
    expect(decision.ranked.map((c) => c.caregiverId)).toEqual(['cg-b', 'cg-a']);
    expect(decision.rejected).toEqual([
      expect.objectContaining({ caregiverId: 'cg-c', reason: 'NO_SKILLED_CAREGIVER', detail: 'INACTIVE' }),
    ]);
    expect(decision.explanation.summary).toContain('cg-b');
    expect(decision.explanation.summary).toContain('runner-up cg-a');
    expect(decision.explanation.runnerUp?.caregiverId).toBe('cg-a');
  });

  it('explains a sole candidate', () => {
    const decision = dispatchOrder(order(), [day({ id: 'cg-a' })]);
    expect(decision.ok && decision.explanation.decidedBy).toBe('only_candidate');
  });

  it('compareCandidates orders by travel, then continuity, then workload', () => {
    const base = {
      ok: true as const,
      caregiverId: 'x',
      date: DATE,
      plannedStart: 0,
      plannedEnd: 1,
      travelMinutesFromPrevious: 0,
      travelMinutesToNext: 0,
      position: 0,
    };
    const a: RankedCandidate = { ...base, addedTravelMinutes: 10, continuity: false, visitsThatDay: 5 };
    const b: RankedCandidate = { ...base, addedTravelMinutes: 11, continuity: true, visitsThatDay: 0 };
    const c: RankedCandidate = { ...base, addedTravelMinutes: 10, continuity: true, visitsThatDay: 6 };
    expect([a, b, c].sort(compareCandidates)).toEqual([c, a, b]);
  });
});

describe('why unassigned', () => {
  it('NO_SKILLED_CAREGIVER when nobody has the skills (or nobody is there)', () => {
    const decision = dispatchOrder(order({ services: ['rehab_care'] }), [
      day({ id: 'cg-a', skills: ['housekeeping'] }),
      day({ id: 'cg-b', active: false }),
    ]);
    expect(decision).toMatchObject({ ok: false, reason: 'NO_SKILLED_CAREGIVER' });
    expect(dispatchOrder(order(), [])).toMatchObject({ ok: false, reason: 'NO_SKILLED_CAREGIVER' });
  });

  it('OUT_OF_SERVICE_CIRCLE when the skilled ones are all too far', () => {
    const decision = dispatchOrder(order({ services: ['rehab_care'], location: northKm(20) }), [
      day({ id: 'cg-a', skills: ['housekeeping'], servicePoint: northKm(20) }),
      day({ id: 'cg-b', skills: ['nursing'] }),
    ]);
    expect(decision).toMatchObject({ ok: false, reason: 'OUT_OF_SERVICE_CIRCLE' });
  });

  it('NO_CAPACITY when a skilled caregiver within the circle is full, has no time or declined', () => {
    const full = day({ id: 'cg-a', maxDailyVisits: 0 });
    const far = day({ id: 'cg-b', servicePoint: northKm(40) });
    expect(dispatchOrder(order(), [full, far])).toMatchObject({ ok: false, reason: 'NO_CAPACITY' });
    expect(dispatchOrder(order({ declinedBy: ['cg-a'] }), [day({ id: 'cg-a' })])).toMatchObject({
      ok: false,
      reason: 'NO_CAPACITY',
    });
  });

  it('aggregateUnassignedReason takes the most specific reason across candidates', () => {
    expect(aggregateUnassignedReason([])).toBe('NO_SKILLED_CAREGIVER');
    expect(aggregateUnassignedReason([{ reason: 'NO_SKILLED_CAREGIVER' }, { reason: 'OUT_OF_SERVICE_CIRCLE' }])).toBe(
      'OUT_OF_SERVICE_CIRCLE',
    );
    expect(
      aggregateUnassignedReason([
        { reason: 'OUT_OF_SERVICE_CIRCLE' },
        { reason: 'NO_CAPACITY' },
        { reason: 'NO_SKILLED_CAREGIVER' },
      ]),
    ).toBe('NO_CAPACITY');
  });
});
