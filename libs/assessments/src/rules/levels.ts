/**
 * Ability levels of GB/T 42195-2022 (0 best … 4 worst), their names, the preliminary level from the total score,
 * and the care grade facilities use (project default mapping, configurable).
 */

export const ABILITY_LEVELS = [0, 1, 2, 3, 4] as const;
export type AbilityLevel = (typeof ABILITY_LEVELS)[number];
export const WORST_LEVEL: AbilityLevel = 4;

export interface LevelName {
  /** The standard's full name, e.g. 能力轻度受损（轻度失能）. */
  readonly zh: string;
  /** The short label the console shows (glossary), e.g. 轻度失能. */
  readonly zhShort: string;
  readonly en: string;
}

export const LEVEL_NAMES: Readonly<Record<AbilityLevel, LevelName>> = {
  0: { zh: '能力完好', zhShort: '能力完好', en: 'ability intact' },
  1: { zh: '能力轻度受损（轻度失能）', zhShort: '轻度失能', en: 'mildly impaired' },
  2: { zh: '能力中度受损（中度失能）', zhShort: '中度失能', en: 'moderately impaired' },
  3: { zh: '能力重度受损（重度失能）', zhShort: '重度失能', en: 'severely impaired' },
  4: { zh: '能力完全丧失（完全失能）', zhShort: '完全失能', en: 'ability lost completely' },
};

export function levelName(level: AbilityLevel): LevelName {
  return LEVEL_NAMES[level];
}

export function isAbilityLevel(v: unknown): v is AbilityLevel {
  return typeof v === 'number' && (ABILITY_LEVELS as readonly number[]).includes(v);
}

/** Total-score bands of the preliminary level (inclusive). */
export const LEVEL_BANDS: ReadonlyArray<{ readonly level: AbilityLevel; readonly min: number; readonly max: number }> =
  [
    { level: 0, min: 90, max: 90 },
    { level: 1, min: 66, max: 89 },
    { level: 2, min: 46, max: 65 },
    { level: 3, min: 30, max: 45 },
    { level: 4, min: 0, max: 29 },
  ];

/** Preliminary level from the total score 0–90. */
export function preliminaryLevel(total: number): AbilityLevel {
  if (!Number.isInteger(total) || total < 0 || total > 90) {
    throw new RangeError(`total score must be an integer 0–90, got ${total}`);
  }
  const band = LEVEL_BANDS.find((b) => total >= b.min && total <= b.max);
  // The bands cover 0–90 without gaps, so a band is always found.
  return (band ?? LEVEL_BANDS[LEVEL_BANDS.length - 1]).level;
}

// ── care grade ──────────────────────────────────────────────────────────────
export const CARE_GRADES = ['self_care', 'half_care', 'full_care'] as const;
export type CareGrade = (typeof CARE_GRADES)[number];

export const CARE_GRADE_NAMES: Readonly<Record<CareGrade, { readonly zh: string; readonly en: string }>> = {
  self_care: { zh: '自理', en: 'self-care' },
  half_care: { zh: '半护理', en: 'half care' },
  full_care: { zh: '全护理', en: 'full care' },
};

export type CareGradeMapping = Readonly<Record<AbilityLevel, CareGrade>>;

/** Project default: 0 → self_care, 1–2 → half_care, 3–4 → full_care. */
export const DEFAULT_CARE_GRADE_MAPPING: CareGradeMapping = {
  0: 'self_care',
  1: 'half_care',
  2: 'half_care',
  3: 'full_care',
  4: 'full_care',
};

export function careGrade(level: AbilityLevel, mapping: CareGradeMapping = DEFAULT_CARE_GRADE_MAPPING): CareGrade {
  return mapping[level];
}

/**
 * Checks a configured mapping: every level mapped to a known grade, and a worse level never gets a lighter grade.
 * Returns the problems found (empty when the mapping is usable).
 */
export function checkCareGradeMapping(mapping: Partial<Record<number, string>>): string[] {
  const problems: string[] = [];
  let prev = -1;
  for (const level of ABILITY_LEVELS) {
    const grade = mapping[level];
    const idx = (CARE_GRADES as readonly (string | undefined)[]).indexOf(grade);
    if (idx < 0) {
      problems.push(`level ${level} must map to one of ${CARE_GRADES.join(', ')}, got ${String(grade)}`);
      continue;
    }
    if (idx < prev) problems.push(`level ${level} maps to a lighter grade (${String(grade)}) than level ${level - 1}`);
    prev = idx;
  }
  return problems;
}
