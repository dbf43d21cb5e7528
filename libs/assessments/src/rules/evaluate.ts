/**
 * One assessment from raw input to result: validation, dimension scores, total, preliminary level, adjustment,
 * final level with reasons, level name, care grade and validity.
 */
import { adjustLevel, type AdjustmentReason, type AssessmentConditions } from './adjustment';
import type { AssessmentItems } from './item-catalogue';
import {
  careGrade,
  DEFAULT_CARE_GRADE_MAPPING,
  levelName,
  preliminaryLevel,
  type AbilityLevel,
  type CareGrade,
  type CareGradeMapping,
  type LevelName,
} from './levels';
import { dimensionScores, totalScore, type DimensionScores } from './scoring';
import { validateConditions, validateItems, type ValidationIssue } from './validate';
import { DEFAULT_VALIDITY_MONTHS, validUntil } from './validity';

export interface AssessmentRulesConfig {
  /** Routine reassessment interval; `validUntil = assessedAt + validityMonths`. Default 12. */
  readonly validityMonths: number;
  /** Level → care grade. Default 0 self_care, 1–2 half_care, 3–4 full_care. */
  readonly careGradeMapping: CareGradeMapping;
  /** Whether the two "one level worse" rules add up. Default false (project's reading). */
  readonly oneWorseRulesCumulative: boolean;
}

export const DEFAULT_ASSESSMENT_RULES: AssessmentRulesConfig = {
  validityMonths: DEFAULT_VALIDITY_MONTHS,
  careGradeMapping: DEFAULT_CARE_GRADE_MAPPING,
  oneWorseRulesCumulative: false,
};

export interface AssessmentOutcome {
  readonly scores: DimensionScores;
  readonly total: number;
  readonly preliminaryLevel: AbilityLevel;
  readonly level: AbilityLevel;
  readonly levelName: LevelName;
  readonly reasons: readonly AdjustmentReason[];
  readonly careGrade: CareGrade;
  readonly validUntil: Date;
}

/** Scores validated items and conditions. */
export function evaluateAssessment(
  items: AssessmentItems,
  conditions: AssessmentConditions,
  assessedAt: Date,
  config: AssessmentRulesConfig = DEFAULT_ASSESSMENT_RULES,
): AssessmentOutcome {
  const scores = dimensionScores(items);
  const total = totalScore(scores);
  const prelim = preliminaryLevel(total);
  const adjusted = adjustLevel(prelim, conditions, { oneWorseRulesCumulative: config.oneWorseRulesCumulative });
  return {
    scores,
    total,
    preliminaryLevel: prelim,
    level: adjusted.level,
    levelName: levelName(adjusted.level),
    reasons: adjusted.reasons,
    careGrade: careGrade(adjusted.level, config.careGradeMapping),
    validUntil: validUntil(assessedAt, config.validityMonths),
  };
}

export type EvaluationResult = { ok: true; value: AssessmentOutcome } | { ok: false; issues: ValidationIssue[] };

/** Validates raw `items` and `conditions` (all issues of both reported together), then scores them. */
export function validateAndEvaluate(
  rawItems: unknown,
  rawConditions: unknown,
  assessedAt: Date,
  config: AssessmentRulesConfig = DEFAULT_ASSESSMENT_RULES,
): EvaluationResult {
  const items = validateItems(rawItems);
  const conditions = validateConditions(rawConditions);
  if (!items.ok || !conditions.ok) {
    return {
      ok: false,
      issues: [...(items.ok ? [] : items.issues), ...(conditions.ok ? [] : conditions.issues)],
    };
  }
  return { ok: true, value: evaluateAssessment(items.value, conditions.value, assessedAt, config) };
}
