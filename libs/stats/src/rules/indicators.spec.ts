import { countBeds, type CountableBed } from './bed-counts';
import {
  assessmentCoverage,
  bedUtilization,
  computeIndicators,
  DEFAULT_TARGETS,
  doorstepVisitCoverage,
  indicator,
  INDICATOR_KEYS,
  nursingBedShare,
  serviceCircleCoverage,
  socialWorkersPer100Beds,
  sumCounts,
  townshipComprehensiveCoverage,
  type CoverageCounts,
} from './indicators';

/** Counts of one area with everything zero, for building cases. */
const empty: CoverageCounts = {
  bedsInService: 0,
  nursingBeds: 0,
  occupiedBeds: 0,
  townships: 1,
  townshipsWithComprehensive: 0,
  eligibleElders: 0,
  eligibleWithThreeVisits: 0,
  eligibleInsideServiceCircle: 0,
  assessableElders: 0,
  eldersWithValidAssessment: 0,
  eldersWithExpiredAssessment: 0,
  socialWorkers: null,
};

describe('nursing_bed_share', () => {
  it('2020 county baseline: 67 nursing of 142 beds = 0.4718, below 0.55', () => {
    expect(nursingBedShare({ nursingBeds: 67, bedsInService: 142 })).toEqual({
      key: 'nursing_bed_share',
      value: 0.4718, // 67/142 = 0.471830…
      numerator: 67,
      denominator: 142,
      target: 0.55,
      comparator: '>=',
      met: false,
    });
  });

  it('the welfare institute alone: 67 of 81 = 0.8272, met (the plan says 83 %)', () => {
    const i = nursingBedShare({ nursingBeds: 67, bedsInService: 81 });
    expect(i.value).toBe(0.8272); // 0.827160…
    expect(i.met).toBe(true);
  });

  it('exactly on target is met (11/20 = 0.55)', () => {
    expect(nursingBedShare({ nursingBeds: 11, bedsInService: 20 })).toMatchObject({ value: 0.55, met: true });
  });

  it('compares the exact fraction, not the rounded value: 5499/9999 shows 0.55 but is not met', () => {
    expect(nursingBedShare({ nursingBeds: 5499, bedsInService: 9999 })).toMatchObject({ value: 0.55, met: false });
  });

  it('a township without beds in service reports null, not 0 and not an error', () => {
    expect(nursingBedShare({ nursingBeds: 0, bedsInService: 0 })).toEqual({
      key: 'nursing_bed_share',
      value: null,
      numerator: 0,
      denominator: 0,
      target: 0.55,
      comparator: '>=',
      met: null,
    });
  });
});

describe('bed_utilization', () => {
  it('2020 baseline 118/142 = 0.831, shown without a target', () => {
    expect(bedUtilization({ occupiedBeds: 118, bedsInService: 142 })).toEqual({
      key: 'bed_utilization',
      value: 0.831, // 0.830985… → 0.8310
      numerator: 118,
      denominator: 142,
      target: null,
      comparator: null,
      met: null,
    });
  });

  it('null for an empty township', () => {
    expect(bedUtilization({ occupiedBeds: 0, bedsInService: 0 }).value).toBeNull();
  });

  it('a full facility is 1', () => {
    expect(bedUtilization({ occupiedBeds: 22, bedsInService: 22 }).value).toBe(1);
  });
});

describe('closed beds and community stations stay out of the bed indicators', () => {
  const bed = (
    facilityType: CountableBed['facilityType'],
    type: CountableBed['type'],
    status: CountableBed['status'],
  ) => ({
    facilityType,
    type,
    status,
  });

  it('counts in-service institution beds only', () => {
    const beds: CountableBed[] = [
      bed('welfare_institute', 'nursing', 'occupied'),
      bed('welfare_institute', 'nursing', 'vacant'),
      bed('welfare_institute', 'nursing', 'closed'), // out
      bed('welfare_institute', 'ordinary', 'maintenance'), // in service, not occupied
      bed('nursing_home', 'ordinary', 'occupied'),
      bed('nursing_home', 'ordinary', 'reserved'), // in service, not occupied
      bed('nursing_home', 'ordinary', 'closed'), // out
      bed('service_center', 'nursing', 'occupied'),
      bed('community_station', 'nursing', 'occupied'), // day care: out
      bed('community_station', 'ordinary', 'vacant'), // day care: out
    ];
    const counts = countBeds(beds);
    expect(counts).toEqual({ bedsInService: 6, nursingBeds: 3, occupiedBeds: 3 });
    expect(nursingBedShare(counts)).toMatchObject({ value: 0.5, numerator: 3, denominator: 6, met: false });
    expect(bedUtilization(counts)).toMatchObject({ value: 0.5, numerator: 3, denominator: 6 });
  });

  it('a facility whose beds are all closed is like an empty one: null', () => {
    const counts = countBeds([bed('nursing_home', 'nursing', 'closed'), bed('nursing_home', 'ordinary', 'closed')]);
    expect(counts).toEqual({ bedsInService: 0, nursingBeds: 0, occupiedBeds: 0 });
    expect(nursingBedShare(counts).value).toBeNull();
    expect(bedUtilization(counts).met).toBeNull();
  });
});

describe('township_comprehensive_coverage', () => {
  it('2020: only the county seat has a comprehensive institution, 1/28 = 0.0357', () => {
    expect(townshipComprehensiveCoverage({ townshipsWithComprehensive: 1, townships: 28 })).toMatchObject({
      value: 0.0357,
      target: 0.5,
      met: false,
    });
  });
  it('14 of 28 meets the 50 % target', () => {
    expect(townshipComprehensiveCoverage({ townshipsWithComprehensive: 14, townships: 28 })).toMatchObject({
      value: 0.5,
      met: true,
    });
  });
  it('one township: 1/1 or 0/1', () => {
    expect(townshipComprehensiveCoverage({ townshipsWithComprehensive: 0, townships: 1 })).toMatchObject({
      value: 0,
      met: false,
    });
  });
});

describe('doorstep_visit_coverage, service_circle_coverage, assessment_coverage', () => {
  it('1,200 of 1,260 eligible elders with 3 visits = 0.9524, target 1 not met', () => {
    expect(doorstepVisitCoverage({ eligibleWithThreeVisits: 1200, eligibleElders: 1260 })).toMatchObject({
      key: 'doorstep_visit_coverage',
      value: 0.9524, // 0.952380…
      target: 1,
      comparator: '>=',
      met: false,
    });
  });
  it('all of them meets 1', () => {
    expect(serviceCircleCoverage({ eligibleInsideServiceCircle: 45, eligibleElders: 45 })).toMatchObject({
      value: 1,
      met: true,
    });
  });
  it('a township without eligible elders reports null', () => {
    expect(serviceCircleCoverage({ eligibleInsideServiceCircle: 0, eligibleElders: 0 })).toMatchObject({
      value: null,
      met: null,
    });
    expect(assessmentCoverage({ eldersWithValidAssessment: 0, assessableElders: 0 }).value).toBeNull();
  });
  it('rounds exact halves up: 1/32 = 0.03125 → 0.0313, 1/20000 → 0.0001', () => {
    expect(assessmentCoverage({ eldersWithValidAssessment: 1, assessableElders: 32 }).value).toBe(0.0313);
    expect(assessmentCoverage({ eldersWithValidAssessment: 1, assessableElders: 20000 }).value).toBe(0.0001);
    expect(assessmentCoverage({ eldersWithValidAssessment: 2, assessableElders: 3 }).value).toBe(0.6667);
  });
});

describe('social_workers_per_100_beds', () => {
  it('1 social worker for 142 beds = 0.7042 per 100, below 1', () => {
    expect(socialWorkersPer100Beds({ socialWorkers: 1, bedsInService: 142 })).toEqual({
      key: 'social_workers_per_100_beds',
      value: 0.7042, // 100/142 = 0.704225…
      numerator: 1,
      denominator: 142,
      target: 1,
      comparator: '>=',
      met: false,
    });
  });
  it('2 for 142 beds = 1.4085, met; the numerator may exceed the denominator', () => {
    expect(socialWorkersPer100Beds({ socialWorkers: 2, bedsInService: 142 })).toMatchObject({
      value: 1.4085,
      met: true,
    });
    expect(socialWorkersPer100Beds({ socialWorkers: 3, bedsInService: 2 })).toMatchObject({ value: 150, met: true });
  });
  it('exactly 1 per 100 is met', () => {
    expect(socialWorkersPer100Beds({ socialWorkers: 3, bedsInService: 300 })).toMatchObject({ value: 1, met: true });
  });
  it('null without beds in service', () => {
    expect(socialWorkersPer100Beds({ socialWorkers: 2, bedsInService: 0 })).toMatchObject({ value: null, met: null });
  });
});

describe('indicator() guards', () => {
  it('rejects a fraction above 1, negative or fractional counts, and a target with more than 4 decimals', () => {
    expect(() => indicator('bed_utilization', 5, 4, null)).toThrow(RangeError);
    expect(() => indicator('bed_utilization', -1, 4, null)).toThrow(RangeError);
    expect(() => indicator('bed_utilization', 1.5, 4, null)).toThrow(RangeError);
    expect(() => indicator('nursing_bed_share', 1, 4, 0.55555)).toThrow(RangeError);
  });
  it('a configured target replaces the default', () => {
    expect(nursingBedShare({ nursingBeds: 67, bedsInService: 142 }, 0.45)).toMatchObject({ target: 0.45, met: true });
  });
});

describe('computeIndicators', () => {
  const county: CoverageCounts = {
    bedsInService: 142,
    nursingBeds: 67,
    occupiedBeds: 118,
    townships: 28,
    townshipsWithComprehensive: 1,
    eligibleElders: 1260,
    eligibleWithThreeVisits: 1200,
    eligibleInsideServiceCircle: 1240,
    assessableElders: 1378,
    eldersWithValidAssessment: 1200,
    eldersWithExpiredAssessment: 100,
    socialWorkers: 1,
  };

  it('returns every key once, in contract order, with the default targets', () => {
    const all = computeIndicators(county);
    expect(all.map((i) => i.key)).toEqual([...INDICATOR_KEYS]);
    for (const i of all) expect(i.target).toBe(DEFAULT_TARGETS[i.key]);
    expect(all.map((i) => i.value)).toEqual([0.4718, 0.831, 0.0357, 0.9524, 0.9841, 0.8708, 0.7042]);
  });

  it('leaves social workers out when there are no staff records', () => {
    const all = computeIndicators({ ...county, socialWorkers: null });
    expect(all.map((i) => i.key)).not.toContain('social_workers_per_100_beds');
    expect(all).toHaveLength(6);
  });

  it('an empty township: every value and verdict null except the township count', () => {
    const all = computeIndicators({ ...empty, socialWorkers: 0 });
    const byKey = Object.fromEntries(all.map((i) => [i.key, i]));
    expect(byKey.township_comprehensive_coverage).toMatchObject({ value: 0, numerator: 0, denominator: 1, met: false });
    for (const key of INDICATOR_KEYS.filter((k) => k !== 'township_comprehensive_coverage')) {
      expect(byKey[key]).toMatchObject({ value: null, met: null });
    }
  });

  it('township counts add up to the county, social workers null only when null everywhere', () => {
    const a: CoverageCounts = {
      ...empty,
      bedsInService: 81,
      nursingBeds: 67,
      occupiedBeds: 74,
      townshipsWithComprehensive: 1,
      socialWorkers: 1,
    };
    const b: CoverageCounts = { ...empty, bedsInService: 22, occupiedBeds: 19 };
    const c: CoverageCounts = { ...empty, bedsInService: 39, occupiedBeds: 25 };
    const sum = sumCounts([a, b, c, empty]);
    expect(sum).toMatchObject({
      bedsInService: 142,
      nursingBeds: 67,
      occupiedBeds: 118,
      townships: 4,
      socialWorkers: 1,
    });
    expect(sumCounts([b, c]).socialWorkers).toBeNull();
    expect(bedUtilization(sum).value).toBe(0.831);
  });
});
