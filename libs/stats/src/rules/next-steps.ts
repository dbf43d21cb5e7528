/**
 * "What the bureau must do next", per township and for the county: the gaps behind the indicators, in
 * numbers a bureau can act on. Pure: no Nest, no TypeORM.
 *
 * Nursing-type beds to reach the target share p (default 0.55), N nursing beds among T beds in service:
 * - by conversion (`toConvert`) — turn c ordinary beds into nursing-type ones: smallest c with
 *   (N + c) / T ≥ p, i.e. c = ⌈p·T − N⌉. This is the figure the bureau is shown first: the plan asks to
 *   optimise the bed structure (优化床位结构), the 2020 share at the welfare institute came from exactly such a
 *   conversion (护理型床位改造), a converted bed counts in the numerator without growing the denominator, so it
 *   is the smallest number of beds that closes the gap, and it is always reachable (c ≤ T − N for p ≤ 1).
 * - by addition (`toAdd`) — build n new nursing-type beds: smallest n with (N + n) / (T + n) ≥ p,
 *   i.e. n = ⌈(p·T − N) / (1 − p)⌉; unreachable (null) when p = 1 and ordinary beds remain. Shown beside,
 *   because new capacity is the other lever the plan uses.
 * - of planned new beds B (capacity not yet in service), how many must be nursing-type so that the share
 *   still meets p once they open: x = ⌈p·(T + B) − N⌉, clamped to [0, B]; `null` when even B nursing-type
 *   beds would not be enough (the conversion is then needed as well).
 * All in integers (target in units of 10⁻⁴), so 0.55 never becomes 0.5500000001. A township with no beds in
 * service gets null for the three: its share is undefined, there is no institution to convert.
 *
 * Doorstep and assessment gaps are differences of the indicator counts: eligible elders outside every
 * service circle (of a point with an active caregiver), eligible elders short of 3 completed visits this
 * month, elders whose latest assessment expired, elders never assessed.
 */
import { DEFAULT_TARGETS, type CoverageCounts } from './indicators';

const PLACES = 10_000;

/** ⌈a / b⌉ for integers, b > 0. */
function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}

export interface NursingBedGap {
  readonly target: number;
  readonly nursingBeds: number;
  readonly bedsInService: number;
  /** Ordinary beds to convert to nursing-type; 0 when the target is met; null without beds in service. */
  readonly toConvert: number | null;
  /** New nursing-type beds to add; 0 when met; null without beds in service or when unreachable (p = 1). */
  readonly toAdd: number | null;
  /** Planned new beds (not in service) taken into account. */
  readonly plannedBeds: number;
  /** How many of the planned beds must be nursing-type for the share to meet the target once they open. */
  readonly plannedMustBeNursing: number | null;
}

export function nursingBedGap(
  c: { nursingBeds: number; bedsInService: number; plannedBeds?: number },
  target: number = DEFAULT_TARGETS.nursing_bed_share ?? 0.55,
): NursingBedGap {
  const N = c.nursingBeds;
  const T = c.bedsInService;
  const B = c.plannedBeds ?? 0;
  for (const [name, n] of [
    ['nursingBeds', N],
    ['bedsInService', T],
    ['plannedBeds', B],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
  }
  if (N > T) throw new RangeError(`nursingBeds ${N} exceed bedsInService ${T}`);
  const P = Math.round(target * PLACES);
  if (P < 0 || P > PLACES || P / PLACES !== target) {
    throw new RangeError(`target must be a fraction in [0, 1] with at most 4 decimals, got ${target}`);
  }
  const base = { target, nursingBeds: N, bedsInService: T, plannedBeds: B };
  if (T === 0) {
    // No beds in service: the share is undefined. Planned beds alone: the nursing share of them is the target.
    return { ...base, toConvert: null, toAdd: null, plannedMustBeNursing: B === 0 ? null : ceilDiv(P * B, PLACES) };
  }
  const deficit = P * T - PLACES * N; // (p·T − N) in units of 10⁻⁴
  const toConvert = Math.max(0, ceilDiv(deficit, PLACES));
  let toAdd: number | null;
  if (deficit <= 0) toAdd = 0;
  else if (P === PLACES) toAdd = null;
  else toAdd = ceilDiv(deficit, PLACES - P);
  const plannedNeed = Math.max(0, ceilDiv(P * (T + B) - PLACES * N, PLACES));
  const plannedMustBeNursing = plannedNeed > B ? null : plannedNeed;
  return { ...base, toConvert, toAdd, plannedMustBeNursing };
}

export interface NextSteps {
  readonly nursingBeds: NursingBedGap;
  /** The area has no facility marked comprehensive (for a township: one to build or upgrade). */
  readonly townshipsWithoutComprehensive: number;
  readonly eligibleOutsideServiceCircle: number;
  readonly eligibleShortOfVisits: number;
  readonly expiredAssessments: number;
  readonly neverAssessed: number;
}

/** The bureau's to-do figures for one area, from the same counts the indicators use. */
export function nextSteps(
  c: CoverageCounts,
  options: { plannedBeds?: number; nursingShareTarget?: number } = {},
): NextSteps {
  if (c.eldersWithValidAssessment > c.assessableElders) {
    throw new RangeError(
      `eldersWithValidAssessment ${c.eldersWithValidAssessment} exceed assessableElders ${c.assessableElders}`,
    );
  }
  const missing = c.assessableElders - c.eldersWithValidAssessment;
  if (c.eldersWithExpiredAssessment > missing) {
    throw new RangeError(
      `eldersWithExpiredAssessment ${c.eldersWithExpiredAssessment} exceed elders without a valid assessment ${missing}`,
    );
  }
  const gap = (name: string, whole: number, part: number): number => {
    if (part > whole) throw new RangeError(`${name}: ${part} exceeds ${whole}`);
    return whole - part;
  };
  return {
    nursingBeds: nursingBedGap(
      { nursingBeds: c.nursingBeds, bedsInService: c.bedsInService, plannedBeds: options.plannedBeds },
      options.nursingShareTarget,
    ),
    townshipsWithoutComprehensive: gap('townshipsWithComprehensive', c.townships, c.townshipsWithComprehensive),
    eligibleOutsideServiceCircle: gap('eligibleInsideServiceCircle', c.eligibleElders, c.eligibleInsideServiceCircle),
    eligibleShortOfVisits: gap('eligibleWithThreeVisits', c.eligibleElders, c.eligibleWithThreeVisits),
    expiredAssessments: c.eldersWithExpiredAssessment,
    neverAssessed: missing - c.eldersWithExpiredAssessment,
  };
}
