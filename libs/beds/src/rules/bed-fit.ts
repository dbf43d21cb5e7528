/**
 * Which vacant beds fit a resident, best first, and why (shared/spec/domain.md §2; admission rule is project policy).
 *
 * - a resident whose valid level is 2 or worse needs a nursing-type bed (护理型床位) — ordinary beds do not fit
 *   (admission may still place them there with a recorded override reason, see `nursingBedCheck`);
 * - a resident at level 0–1, or without a valid assessment, fits both types but ordinary beds come first, to keep
 *   nursing-type beds for those who need them;
 * - a bed restricted to one gender fits only that gender; for a resident a restricted bed of their own gender comes
 *   before an unrestricted one (unrestricted beds stay free for either);
 * - a bed already reserved for this resident comes first;
 * - the rest is a stable tie-break by building, floor, room and label (natural order: 2 before 10), then id.
 *
 * Pure: no Nest, no TypeORM.
 */

export type FitBedType = 'nursing' | 'ordinary';
export type FitGender = 'male' | 'female';
export type FitLevel = 0 | 1 | 2 | 3 | 4;

export interface FitResident {
  readonly gender: FitGender | null;
  /** Level of the valid assessment, or null when there is none. */
  readonly level: FitLevel | null;
}

export interface FitBed {
  readonly id: string;
  readonly type: FitBedType;
  /** Gender the bed is restricted to; null or absent for none. */
  readonly gender?: FitGender | null;
  readonly room: string;
  readonly label: string;
  readonly building?: string | null;
  readonly floor?: number | null;
  /** When given, anything but `vacant` does not fit (except `reserved` for this very resident). */
  readonly status?: string;
  /** True when the bed is held by an unexpired reservation for this very resident: it comes first. */
  readonly reservedForResident?: boolean;
}

export interface AdmissionPolicy {
  /** Level from which a nursing-type bed is required. Default 2 (project policy, configurable). */
  readonly nursingBedFromLevel: number;
}

export const DEFAULT_ADMISSION_POLICY: AdmissionPolicy = { nursingBedFromLevel: 2 };

export const BED_FIT_CODES = [
  // fitting
  'RESERVED_FOR_RESIDENT',
  'NURSING_BED_NEEDED',
  'ORDINARY_BED_PREFERRED',
  'NURSING_BED_KEPT_FOR_NEED',
  'NO_VALID_ASSESSMENT',
  'GENDER_MATCH',
  'NO_GENDER_RESTRICTION',
  // not fitting
  'NURSING_BED_REQUIRED',
  'GENDER_MISMATCH',
  'GENDER_UNKNOWN',
  'NOT_VACANT',
  'RESIDENT_ALREADY_ADMITTED',
] as const;
export type BedFitCode = (typeof BED_FIT_CODES)[number];

export interface BedFitReason {
  readonly code: BedFitCode;
  readonly zh: string;
  readonly en: string;
}

export interface BedFit<B extends FitBed = FitBed> {
  readonly bed: B;
  readonly fits: boolean;
  /** Why the bed fits (and how well), or why it does not. */
  readonly reasons: readonly BedFitReason[];
  /** Lower is better; only meaningful among fitting beds. */
  readonly rank: readonly number[];
}

const TEXT: Readonly<Record<BedFitCode, { zh: string; en: string }>> = {
  RESERVED_FOR_RESIDENT: { zh: '该床位已为此老人预留', en: 'Bed reserved for this resident' },
  NURSING_BED_NEEDED: { zh: '护理型床位，符合失能老人入住要求', en: 'Nursing-type bed, as the level requires' },
  ORDINARY_BED_PREFERRED: {
    zh: '普通床位，适合能力完好或轻度失能老人',
    en: 'Ordinary bed, suits an intact or mildly impaired elder',
  },
  NURSING_BED_KEPT_FOR_NEED: {
    zh: '护理型床位可用，但宜留给失能老人，排在普通床位之后',
    en: 'Nursing-type bed fits but is kept for those who need it: after ordinary beds',
  },
  NO_VALID_ASSESSMENT: { zh: '无有效能力评估，建议先评估', en: 'No valid ability assessment: assess first' },
  GENDER_MATCH: { zh: '床位限同性别入住，性别相符', en: 'Bed restricted to the resident’s gender' },
  NO_GENDER_RESTRICTION: { zh: '床位不限性别', en: 'Bed has no gender restriction' },
  NURSING_BED_REQUIRED: {
    zh: '能力等级2级及以上须入住护理型床位（可由管理员登记理由后例外安排）',
    en: 'Level 2 or worse needs a nursing-type bed (unless the manager records an override reason)',
  },
  GENDER_MISMATCH: { zh: '床位限另一性别入住', en: 'Bed is restricted to the other gender' },
  GENDER_UNKNOWN: {
    zh: '老人性别未知，不能安排限性别床位',
    en: 'Resident’s gender unknown: gender-restricted bed not offered',
  },
  NOT_VACANT: { zh: '床位非空闲', en: 'Bed is not vacant' },
  RESIDENT_ALREADY_ADMITTED: { zh: '老人已有在住记录', en: 'The resident already has an active stay' },
};

export function bedFitReason(code: BedFitCode): BedFitReason {
  return reason(code);
}

function reason(code: BedFitCode): BedFitReason {
  return { code, ...TEXT[code] };
}

/** True when the policy requires a nursing-type bed for this level. */
export function needsNursingBed(level: FitLevel | null, policy: AdmissionPolicy = DEFAULT_ADMISSION_POLICY): boolean {
  return level !== null && level >= policy.nursingBedFromLevel;
}

export type NursingBedCheck =
  | { readonly ok: true; readonly overridden: boolean }
  | { readonly ok: false; readonly code: 'NURSING_BED_REQUIRED'; readonly message: string };

/**
 * The admission rule: a resident whose valid level is at or above the policy's threshold goes to a nursing-type bed
 * unless an override reason (non-blank) is recorded. `overridden` is true when the reason was needed.
 */
export function nursingBedCheck(
  level: FitLevel | null,
  bedType: FitBedType,
  overrideReason: string | null | undefined,
  policy: AdmissionPolicy = DEFAULT_ADMISSION_POLICY,
): NursingBedCheck {
  if (bedType === 'nursing' || !needsNursingBed(level, policy)) return { ok: true, overridden: false };
  if (overrideReason !== null && overrideReason !== undefined && overrideReason.trim().length > 0) {
    return { ok: true, overridden: true };
  }
  return {
    ok: false,
    code: 'NURSING_BED_REQUIRED',
    message: `The resident's valid assessment is level ${String(level)}: a nursing-type bed is required unless overrideReason is given`,
  };
}

/** Evaluates one bed for a resident. */
export function evaluateBedFit<B extends FitBed>(
  resident: FitResident,
  bed: B,
  policy: AdmissionPolicy = DEFAULT_ADMISSION_POLICY,
): BedFit<B> {
  const blocking: BedFitReason[] = [];
  const heldForResident = bed.status === 'reserved' && bed.reservedForResident === true;
  if (bed.status !== undefined && bed.status !== 'vacant' && !heldForResident) blocking.push(reason('NOT_VACANT'));

  const restricted = bed.gender ?? null;
  if (restricted !== null) {
    if (resident.gender === null) blocking.push(reason('GENDER_UNKNOWN'));
    else if (resident.gender !== restricted) blocking.push(reason('GENDER_MISMATCH'));
  }

  const needsNursing = needsNursingBed(resident.level, policy);
  if (needsNursing && bed.type !== 'nursing') blocking.push(reason('NURSING_BED_REQUIRED'));

  if (blocking.length > 0) return { bed, fits: false, reasons: blocking, rank: [] };

  const reasons: BedFitReason[] = [];
  const reservedRank = bed.reservedForResident === true ? 0 : 1;
  if (bed.reservedForResident === true) reasons.push(reason('RESERVED_FOR_RESIDENT'));
  let typeRank: number;
  if (needsNursing) {
    reasons.push(reason('NURSING_BED_NEEDED'));
    typeRank = 0;
  } else if (bed.type === 'ordinary') {
    reasons.push(reason('ORDINARY_BED_PREFERRED'));
    typeRank = 0;
  } else {
    reasons.push(reason('NURSING_BED_KEPT_FOR_NEED'));
    typeRank = 1;
  }
  if (resident.level === null) reasons.push(reason('NO_VALID_ASSESSMENT'));
  reasons.push(reason(restricted !== null ? 'GENDER_MATCH' : 'NO_GENDER_RESTRICTION'));
  const genderRank = restricted !== null ? 0 : 1;

  return { bed, fits: true, reasons, rank: [reservedRank, typeRank, genderRank] };
}

/** Natural order of labels: digit runs compare as numbers ("2" < "10"), the rest by code point. */
export function naturalCompare(a: string, b: string): number {
  const ta = a.match(/\d+|\D+/g) ?? [];
  const tb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      if (x.length !== y.length) return x.length - y.length; // "02" after "2"
    }
    return x < y ? -1 : 1;
  }
  return ta.length - tb.length;
}

function compareNullableNumber(a: number | null | undefined, b: number | null | undefined): number {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  return x - y;
}

function compareFits(a: BedFit, b: BedFit): number {
  for (let i = 0; i < Math.max(a.rank.length, b.rank.length); i++) {
    const d = (a.rank[i] ?? 0) - (b.rank[i] ?? 0);
    if (d !== 0) return d;
  }
  return (
    naturalCompare(a.bed.building ?? '', b.bed.building ?? '') ||
    compareNullableNumber(a.bed.floor, b.bed.floor) ||
    naturalCompare(a.bed.room, b.bed.room) ||
    naturalCompare(a.bed.label, b.bed.label) ||
    (a.bed.id < b.bed.id ? -1 : a.bed.id > b.bed.id ? 1 : 0)
  );
}

export interface BedRecommendation<B extends FitBed> {
  /** Fitting beds, best first, each with its reasons. */
  readonly fitting: ReadonlyArray<{ readonly bed: B; readonly reasons: readonly BedFitReason[] }>;
  /** Beds that do not fit, each with the reasons why (for the UI to explain). */
  readonly excluded: ReadonlyArray<{ readonly bed: B; readonly reasons: readonly BedFitReason[] }>;
}

/** Sorts beds into fitting (best first) and excluded. */
export function recommendBeds<B extends FitBed>(
  resident: FitResident,
  beds: readonly B[],
  policy: AdmissionPolicy = DEFAULT_ADMISSION_POLICY,
): BedRecommendation<B> {
  const all = beds.map((b) => evaluateBedFit(resident, b, policy));
  return {
    fitting: all
      .filter((f) => f.fits)
      .sort(compareFits)
      .map((f) => ({ bed: f.bed, reasons: f.reasons })),
    excluded: all.filter((f) => !f.fits).map((f) => ({ bed: f.bed, reasons: f.reasons })),
  };
}
