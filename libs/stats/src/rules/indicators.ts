/**
 * The bureau's coverage indicators (shared/spec/domain.md §6), each defined once, as a pure function from
 * counts to an {@link Indicator}. The SQL that produces the counts lives in the stats service; everything that
 * turns counts into a figure, a target and a verdict lives here.
 *
 * Conventions, for every indicator:
 * - `value` is numerator ÷ denominator (× 100 for `social_workers_per_100_beds`), rounded half-up to 4 places;
 *   `null` when the denominator is 0 (an empty township reports null, never 0 and never an error).
 * - `met` is `null` when the value is null or the indicator has no target; otherwise it compares the exact
 *   fraction with the target (not the rounded value): 0.54996 is shown as 0.55 but does not meet ≥ 0.55.
 * - Targets are the plan's (plan-figures.md); they are defaults, overridable per call.
 *
 * Pure: no Nest, no TypeORM.
 */

export const INDICATOR_KEYS = [
  'nursing_bed_share',
  'bed_utilization',
  'township_comprehensive_coverage',
  'doorstep_visit_coverage',
  'service_circle_coverage',
  'assessment_coverage',
  'social_workers_per_100_beds',
] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];

export type Comparator = '>=' | null;

export interface Indicator {
  readonly key: IndicatorKey;
  readonly value: number | null;
  readonly numerator: number;
  readonly denominator: number;
  readonly target: number | null;
  readonly comparator: Comparator;
  readonly met: boolean | null;
}

/** Target per indicator; `null` means "shown, no target". All targets are "at least". */
export type IndicatorTargets = Readonly<Record<IndicatorKey, number | null>>;

/**
 * The plan's targets (plan-figures.md): nursing-bed share ≥ 55 % (binding, #13); township coverage of
 * institutions with comprehensive functions 50 % (expected, #14); 3 visits a month for every eligible elder
 * and a service circle around every one of them (100 %); assessment of every elder the system serves (the
 * plan makes the assessment the basis of basic services); one social worker per 100 institution beds.
 * Bed utilisation has no target (2020 baseline 0.831).
 */
export const DEFAULT_TARGETS: IndicatorTargets = Object.freeze({
  nursing_bed_share: 0.55,
  bed_utilization: null,
  township_comprehensive_coverage: 0.5,
  doorstep_visit_coverage: 1,
  service_circle_coverage: 1,
  assessment_coverage: 1,
  social_workers_per_100_beds: 1,
});

/** Four decimal places, as integers: values and targets are compared exactly in these units. */
const PLACES = 10_000;

function assertCount(name: string, n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`indicator count ${name} must be a non-negative integer, got ${n}`);
  }
}

function assertTarget(key: IndicatorKey, target: number | null): void {
  if (target === null) return;
  if (!Number.isFinite(target) || target < 0 || Math.round(target * PLACES) / PLACES !== target) {
    throw new RangeError(`target of ${key} must be a non-negative number with at most 4 decimals, got ${target}`);
  }
}

/**
 * The one constructor of an {@link Indicator}. `scale` multiplies the fraction (100 for "per 100 beds").
 * Rounding is done on integers: Math.round(numerator·scale·10⁴ ÷ denominator) — the single division returns
 * the double nearest the exact quotient, so exact halves (…5) round up as they should.
 */
export function indicator(
  key: IndicatorKey,
  numerator: number,
  denominator: number,
  target: number | null,
  options: { scale?: number; numeratorMayExceed?: boolean } = {},
): Indicator {
  const scale = options.scale ?? 1;
  assertCount(`${key}.numerator`, numerator);
  assertCount(`${key}.denominator`, denominator);
  assertTarget(key, target);
  if (!options.numeratorMayExceed && numerator > denominator) {
    throw new RangeError(`${key}: numerator ${numerator} exceeds denominator ${denominator}`);
  }
  const comparator: Comparator = target === null ? null : '>=';
  if (denominator === 0) {
    return { key, value: null, numerator, denominator, target, comparator, met: null };
  }
  const value = Math.round((numerator * scale * PLACES) / denominator) / PLACES;
  // Exact: numerator·scale/denominator ≥ target  ⇔  numerator·scale·10⁴ ≥ target·10⁴·denominator (integers).
  const met = target === null ? null : numerator * scale * PLACES >= Math.round(target * PLACES) * denominator;
  return { key, value, numerator, denominator, target, comparator, met };
}

// ── the indicators, one function each ────────────────────────────────────────────────────────────────────

/** 护理型床位占比: nursing-type beds ÷ beds in service (not closed), institutions only. */
export function nursingBedShare(
  c: { nursingBeds: number; bedsInService: number },
  target: number | null = DEFAULT_TARGETS.nursing_bed_share,
): Indicator {
  return indicator('nursing_bed_share', c.nursingBeds, c.bedsInService, target);
}

/** 床位利用率: occupied beds ÷ beds in service, institutions only. Shown, no target. */
export function bedUtilization(
  c: { occupiedBeds: number; bedsInService: number },
  target: number | null = DEFAULT_TARGETS.bed_utilization,
): Indicator {
  return indicator('bed_utilization', c.occupiedBeds, c.bedsInService, target);
}

/**
 * 乡镇范围具备综合功能的养老服务机构覆盖率: townships with at least one facility marked `comprehensive` ÷ all
 * townships. For one township the counts are 1/1 or 0/1.
 */
export function townshipComprehensiveCoverage(
  c: { townshipsWithComprehensive: number; townships: number },
  target: number | null = DEFAULT_TARGETS.township_comprehensive_coverage,
): Indicator {
  return indicator('township_comprehensive_coverage', c.townshipsWithComprehensive, c.townships, target);
}

/** Eligible elders with at least 3 completed visits in the month ÷ eligible elders. */
export function doorstepVisitCoverage(
  c: { eligibleWithThreeVisits: number; eligibleElders: number },
  target: number | null = DEFAULT_TARGETS.doorstep_visit_coverage,
): Indicator {
  return indicator('doorstep_visit_coverage', c.eligibleWithThreeVisits, c.eligibleElders, target);
}

/** Eligible elders inside the service circle of a service point with an active caregiver ÷ eligible elders. */
export function serviceCircleCoverage(
  c: { eligibleInsideServiceCircle: number; eligibleElders: number },
  target: number | null = DEFAULT_TARGETS.service_circle_coverage,
): Indicator {
  return indicator('service_circle_coverage', c.eligibleInsideServiceCircle, c.eligibleElders, target);
}

/** Elders in institutions plus eligible elders at home with a valid assessment ÷ those elders. */
export function assessmentCoverage(
  c: { eldersWithValidAssessment: number; assessableElders: number },
  target: number | null = DEFAULT_TARGETS.assessment_coverage,
): Indicator {
  return indicator('assessment_coverage', c.eldersWithValidAssessment, c.assessableElders, target);
}

/** Social workers ÷ beds in service × 100 (a rate, not a fraction: the numerator may exceed the denominator). */
export function socialWorkersPer100Beds(
  c: { socialWorkers: number; bedsInService: number },
  target: number | null = DEFAULT_TARGETS.social_workers_per_100_beds,
): Indicator {
  return indicator('social_workers_per_100_beds', c.socialWorkers, c.bedsInService, target, {
    scale: 100,
    numeratorMayExceed: true,
  });
}

// ── all of them at once ──────────────────────────────────────────────────────────────────────────────────

/** Every count the indicators need, for one area (the county or one township). */
export interface CoverageCounts {
  /** Beds of institutions (welfare institutes, nursing homes, service centres) that are not closed. */
  readonly bedsInService: number;
  /** Of those, nursing-type. */
  readonly nursingBeds: number;
  /** Of those, held by an active stay. */
  readonly occupiedBeds: number;
  /** Townships in the area (28 for the county, 1 for a township). */
  readonly townships: number;
  /** Of those, with at least one facility marked comprehensive. */
  readonly townshipsWithComprehensive: number;
  /** Elders at home who are destitute or economically disadvantaged. */
  readonly eligibleElders: number;
  readonly eligibleWithThreeVisits: number;
  readonly eligibleInsideServiceCircle: number;
  /** Elders in institutions plus eligible elders at home. */
  readonly assessableElders: number;
  /** Of those, with an assessment valid on the day that matters. */
  readonly eldersWithValidAssessment: number;
  /** Of those without a valid one, whose latest assessment has expired (the rest were never assessed). */
  readonly eldersWithExpiredAssessment: number;
  /** Social workers on staff records; `null` when the system keeps no staff records (indicator left out). */
  readonly socialWorkers: number | null;
}

/** All indicators for one area, in {@link INDICATOR_KEYS} order; social workers only when staff records exist. */
export function computeIndicators(c: CoverageCounts, targets: IndicatorTargets = DEFAULT_TARGETS): Indicator[] {
  const out = [
    nursingBedShare(c, targets.nursing_bed_share),
    bedUtilization(c, targets.bed_utilization),
    townshipComprehensiveCoverage(c, targets.township_comprehensive_coverage),
    doorstepVisitCoverage(c, targets.doorstep_visit_coverage),
    serviceCircleCoverage(c, targets.service_circle_coverage),
    assessmentCoverage(c, targets.assessment_coverage),
  ];
  if (c.socialWorkers !== null) {
    out.push(
      socialWorkersPer100Beds(
        { socialWorkers: c.socialWorkers, bedsInService: c.bedsInService },
        targets.social_workers_per_100_beds,
      ),
    );
  }
  return out;
}

/** The counts of no area at all: every count 0, social workers unknown. */
export function zeroCounts(): CoverageCounts {
  return {
    bedsInService: 0,
    nursingBeds: 0,
    occupiedBeds: 0,
    townships: 0,
    townshipsWithComprehensive: 0,
    eligibleElders: 0,
    eligibleWithThreeVisits: 0,
    eligibleInsideServiceCircle: 0,
    assessableElders: 0,
    eldersWithValidAssessment: 0,
    eldersWithExpiredAssessment: 0,
    socialWorkers: null,
  };
}

/** Counts of several areas added up (townships → county). `socialWorkers` stays null only if null everywhere. */
export function sumCounts(parts: readonly CoverageCounts[]): CoverageCounts {
  const zero = zeroCounts();
  return parts.reduce<CoverageCounts>(
    (acc, p) => ({
      bedsInService: acc.bedsInService + p.bedsInService,
      nursingBeds: acc.nursingBeds + p.nursingBeds,
      occupiedBeds: acc.occupiedBeds + p.occupiedBeds,
      townships: acc.townships + p.townships,
      townshipsWithComprehensive: acc.townshipsWithComprehensive + p.townshipsWithComprehensive,
      eligibleElders: acc.eligibleElders + p.eligibleElders,
      eligibleWithThreeVisits: acc.eligibleWithThreeVisits + p.eligibleWithThreeVisits,
      eligibleInsideServiceCircle: acc.eligibleInsideServiceCircle + p.eligibleInsideServiceCircle,
      assessableElders: acc.assessableElders + p.assessableElders,
      eldersWithValidAssessment: acc.eldersWithValidAssessment + p.eldersWithValidAssessment,
      eldersWithExpiredAssessment: acc.eldersWithExpiredAssessment + p.eldersWithExpiredAssessment,
      socialWorkers:
        acc.socialWorkers === null && p.socialWorkers === null
          ? null
          : (acc.socialWorkers ?? 0) + (p.socialWorkers ?? 0),
    }),
    zero,
  );
}
