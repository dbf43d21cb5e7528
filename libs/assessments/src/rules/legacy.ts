/**
 * Legacy MZ/T 039-2013 老年人能力评估 results (levels 0–3) imported as history.
 * Mapped by level name only — scores are never converted — and always flagged for reassessment under
 * GB/T 42195-2022.
 */
import type { AbilityLevel } from './levels';

export const LEGACY_STANDARD = 'MZ/T 039-2013' as const;

export const LEGACY_LEVELS = [
  { legacyLevel: 0, name: '能力完好', level: 0 },
  { legacyLevel: 1, name: '轻度失能', level: 1 },
  { legacyLevel: 2, name: '中度失能', level: 2 },
  { legacyLevel: 3, name: '重度失能', level: 3 },
] as const satisfies ReadonlyArray<{ legacyLevel: number; name: string; level: AbilityLevel }>;

export type LegacyLevelName = (typeof LEGACY_LEVELS)[number]['name'];

export interface LegacyMapping {
  readonly standard: typeof LEGACY_STANDARD;
  readonly legacyLevel: 0 | 1 | 2 | 3;
  readonly legacyLevelName: LegacyLevelName;
  /** The GB/T 42195-2022 level with the same name. */
  readonly level: AbilityLevel;
  readonly needsReassessment: true;
}

export type LegacyMappingResult = { ok: true; value: LegacyMapping } | { ok: false; message: string };

/**
 * Maps a legacy result given by its level name (能力完好/轻度失能/中度失能/重度失能; surrounding spaces ignored,
 * the `能力…受损（…）` long forms accepted) and, optionally, its legacy level number, which must agree with the name.
 */
export function mapLegacyLevel(input: { levelName: string; legacyLevel?: number }): LegacyMappingResult {
  const name = normalizeLegacyName(input.levelName);
  const entry = LEGACY_LEVELS.find((l) => l.name === name);
  if (!entry) {
    return {
      ok: false,
      message: `unknown ${LEGACY_STANDARD} level name ${JSON.stringify(input.levelName)}; expected one of ${LEGACY_LEVELS.map((l) => l.name).join('/')}`,
    };
  }
  if (input.legacyLevel !== undefined && input.legacyLevel !== entry.legacyLevel) {
    return {
      ok: false,
      message: `${LEGACY_STANDARD} level ${input.legacyLevel} does not match the name ${entry.name} (level ${entry.legacyLevel})`,
    };
  }
  return {
    ok: true,
    value: {
      standard: LEGACY_STANDARD,
      legacyLevel: entry.legacyLevel,
      legacyLevelName: entry.name,
      level: entry.level,
      needsReassessment: true,
    },
  };
}

function normalizeLegacyName(raw: string): string {
  const s = raw.replace(/\s+/g, '');
  // Accept "能力轻度受损（轻度失能）" and similar long forms: the name in brackets decides.
  const bracket = /[（(]([^）)]+)[）)]/.exec(s);
  return bracket ? bracket[1] : s;
}
