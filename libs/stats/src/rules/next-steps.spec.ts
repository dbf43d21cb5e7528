import fc from 'fast-check';

import type { CoverageCounts } from './indicators';
import { nextSteps, nursingBedGap } from './next-steps';

describe('nursingBedGap', () => {
  it('2020 county, 67 of 142: convert 12 ordinary beds (79/142 = 0.556) or add 25 nursing beds (92/167 = 0.551)', () => {
    const gap = nursingBedGap({ nursingBeds: 67, bedsInService: 142 });
    expect(gap).toMatchObject({ target: 0.55, toConvert: 12, toAdd: 25, plannedMustBeNursing: null });
    // one fewer does not reach the target
    expect(78 / 142).toBeLessThan(0.55);
    expect(79 / 142).toBeGreaterThanOrEqual(0.55);
    expect(91 / 166).toBeLessThan(0.55);
    expect(92 / 167).toBeGreaterThanOrEqual(0.55);
  });

  it("with the plan's 978 new beds, 549 of them must be nursing-type: (67 + 549) / 1120 = 0.55", () => {
    // 200 + 200 + 200 + 100 + 200 + 78 (Hepan upgrade) = 978
    const gap = nursingBedGap({ nursingBeds: 67, bedsInService: 142, plannedBeds: 978 });
    expect(gap.plannedMustBeNursing).toBe(549);
    expect((67 + 549) / 1120).toBe(0.55);
    expect((67 + 548) / 1120).toBeLessThan(0.55);
  });

  it('Hepan, 22 ordinary beds and no nursing ones: convert 13 (13/22 = 0.591) or add 27 (27/49 = 0.551)', () => {
    expect(nursingBedGap({ nursingBeds: 0, bedsInService: 22 })).toMatchObject({ toConvert: 13, toAdd: 27 });
    expect(12 / 22).toBeLessThan(0.55);
    expect(26 / 48).toBeLessThan(0.55);
  });

  it('a met target needs nothing', () => {
    expect(nursingBedGap({ nursingBeds: 67, bedsInService: 81 })).toMatchObject({
      toConvert: 0,
      toAdd: 0,
      plannedMustBeNursing: 0,
    });
    expect(nursingBedGap({ nursingBeds: 11, bedsInService: 20 })).toMatchObject({ toConvert: 0, toAdd: 0 });
  });

  it('a township without beds in service: nothing to convert, share undefined', () => {
    expect(nursingBedGap({ nursingBeds: 0, bedsInService: 0 })).toMatchObject({
      toConvert: null,
      toAdd: null,
      plannedMustBeNursing: null,
    });
    // a planned 100-bed home there: 55 of its beds must be nursing-type
    expect(nursingBedGap({ nursingBeds: 0, bedsInService: 0, plannedBeds: 100 }).plannedMustBeNursing).toBe(55);
  });

  it('a target of 1 cannot be reached by adding beds while ordinary ones remain', () => {
    expect(nursingBedGap({ nursingBeds: 5, bedsInService: 10 }, 1)).toMatchObject({ toConvert: 5, toAdd: null });
  });

  it('planned beds too few to close the gap: null (conversion needed as well)', () => {
    expect(nursingBedGap({ nursingBeds: 0, bedsInService: 100, plannedBeds: 10 }).plannedMustBeNursing).toBeNull();
  });

  it('rejects inconsistent counts and odd targets', () => {
    expect(() => nursingBedGap({ nursingBeds: 5, bedsInService: 4 })).toThrow(RangeError);
    expect(() => nursingBedGap({ nursingBeds: 1, bedsInService: 4 }, 1.2)).toThrow(RangeError);
    expect(() => nursingBedGap({ nursingBeds: -1, bedsInService: 4 })).toThrow(RangeError);
  });

  it('matches a brute-force search for the smallest conversion and addition', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 9999 }), // target in 10⁻⁴ units, below 1
        (total, nursingFraction, targetUnits) => {
          const T = total;
          const N = Math.floor(T * nursingFraction);
          const target = targetUnits / 10_000;
          const meets = (n: number, t: number) => n * 10_000 >= targetUnits * t;
          let c = 0;
          while (!meets(N + c, T)) c += 1;
          let a = 0;
          while (!meets(N + a, T + a)) a += 1;
          const gap = nursingBedGap({ nursingBeds: N, bedsInService: T }, target);
          expect(gap.toConvert).toBe(c);
          expect(gap.toAdd).toBe(a);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('nextSteps', () => {
  const township: CoverageCounts = {
    bedsInService: 22,
    nursingBeds: 0,
    occupiedBeds: 19,
    townships: 1,
    townshipsWithComprehensive: 0,
    eligibleElders: 50,
    eligibleWithThreeVisits: 46,
    eligibleInsideServiceCircle: 48,
    assessableElders: 69, // 19 in the home + 50 at home
    eldersWithValidAssessment: 60,
    eldersWithExpiredAssessment: 5,
    socialWorkers: null,
  };

  it('turns the counts into what the bureau must do', () => {
    expect(nextSteps(township, { plannedBeds: 78 })).toEqual({
      nursingBeds: {
        target: 0.55,
        nursingBeds: 0,
        bedsInService: 22,
        plannedBeds: 78,
        toConvert: 13,
        toAdd: 27,
        plannedMustBeNursing: 55, // (0 + 55) / 100 = 0.55
      },
      townshipsWithoutComprehensive: 1,
      eligibleOutsideServiceCircle: 2,
      eligibleShortOfVisits: 4,
      expiredAssessments: 5,
      neverAssessed: 4,
    });
  });

  it('an empty township has nothing to do but may lack a comprehensive institution', () => {
    const empty: CoverageCounts = {
      ...township,
      bedsInService: 0,
      occupiedBeds: 0,
      eligibleElders: 0,
      eligibleWithThreeVisits: 0,
      eligibleInsideServiceCircle: 0,
      assessableElders: 0,
      eldersWithValidAssessment: 0,
      eldersWithExpiredAssessment: 0,
    };
    expect(nextSteps(empty)).toMatchObject({
      nursingBeds: { toConvert: null, toAdd: null },
      townshipsWithoutComprehensive: 1,
      eligibleOutsideServiceCircle: 0,
      eligibleShortOfVisits: 0,
      expiredAssessments: 0,
      neverAssessed: 0,
    });
  });

  it('rejects counts that contradict each other', () => {
    expect(() => nextSteps({ ...township, eldersWithExpiredAssessment: 10 })).toThrow(RangeError);
    expect(() => nextSteps({ ...township, eligibleInsideServiceCircle: 51 })).toThrow(RangeError);
  });
});
