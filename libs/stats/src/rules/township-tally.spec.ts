import { reachesAgeAt } from './freshness';
import { statsPeriod } from './period';
import { TownshipTally, type EligibleAtHome, type InstitutionStay } from './township-tally';

describe('TownshipTally: one township’s counts and when the clock next changes them', () => {
  const period = statsPeriod('2026-11', new Date('2026-11-15T02:00:00Z')); // asOf 10:00 county time, 15 Nov
  const asOf = period.asOf;
  const later = (ms: number) => new Date(asOf.getTime() + ms);
  const elder = { birthDate: '1950-03-01', hasValidAssessment: true, hasAssessment: true, assessmentChangesAt: null };
  const stay = (over: Partial<InstitutionStay> = {}): InstitutionStay => ({
    ...elder,
    admittedAt: new Date('2026-01-01T00:00:00Z'),
    dischargedAt: null,
    ...over,
  });
  const atHome = (over: Partial<EligibleAtHome> = {}): EligibleAtHome => ({
    ...elder,
    completedVisits: 3,
    insideServiceCircle: true,
    ...over,
  });

  it('counts beds, stays, eligible elders, visits, circles and assessments', () => {
    const t = new TownshipTally(period);
    t.beds(10, 6);
    t.comprehensive();
    t.institutionStay(stay());
    t.institutionStay(stay({ hasValidAssessment: false })); // expired
    t.institutionStay(stay({ birthDate: '1970-01-01' })); // occupies a bed, not an elder
    t.eligibleAtHome(atHome());
    t.eligibleAtHome(
      atHome({ completedVisits: 2, insideServiceCircle: false, hasValidAssessment: false, hasAssessment: false }),
    );
    expect(t.figures().counts).toEqual({
      bedsInService: 10,
      nursingBeds: 6,
      occupiedBeds: 3,
      townships: 1,
      townshipsWithComprehensive: 1,
      eligibleElders: 2,
      eligibleWithThreeVisits: 1,
      eligibleInsideServiceCircle: 1,
      assessableElders: 4,
      eldersWithValidAssessment: 2,
      eldersWithExpiredAssessment: 1,
      socialWorkers: null,
    });
  });

  it('no future event: the counts never change by the clock', () => {
    const t = new TownshipTally(period);
    t.institutionStay(stay());
    t.eligibleAtHome(atHome());
    expect(t.figures().changesAt).toBeNull();
  });

  it('the earliest of: an assessment running out, a 60th birthday, a stay starting or ending', () => {
    const t = new TownshipTally(period);
    t.eligibleAtHome(atHome({ assessmentChangesAt: later(5 * 86_400_000) }));
    t.eligibleAtHome(atHome({ birthDate: '1966-11-20' })); // 60 on 20 Nov: not counted yet
    expect(t.figures().counts.eligibleElders).toBe(1);
    expect(t.figures().changesAt).toEqual(reachesAgeAt('1966-11-20'));
    t.institutionStay(stay({ admittedAt: later(60_000) })); // admitted a minute after asOf: not yet
    expect(t.figures().counts.occupiedBeds).toBe(0);
    expect(t.figures().changesAt).toEqual(later(60_000));
    t.institutionStay(stay({ dischargedAt: later(1000) })); // still here at asOf
    expect(t.figures().counts.occupiedBeds).toBe(1);
    expect(t.figures().changesAt).toEqual(later(1000));
  });

  it('instants at or before asOf are not future events; a stay ended by asOf is not counted', () => {
    const t = new TownshipTally(period);
    t.eligibleAtHome(atHome({ assessmentChangesAt: asOf }));
    t.institutionStay(stay({ dischargedAt: asOf }));
    expect(t.figures()).toMatchObject({ changesAt: null, counts: { occupiedBeds: 0, eligibleElders: 1 } });
  });
});
