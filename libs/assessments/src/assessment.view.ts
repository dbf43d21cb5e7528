import { toCountyIso } from '@care/core';
import type { Assessment } from './assessment.entity';
import {
  CARE_GRADE_NAMES,
  careGrade,
  isAbilityLevel,
  LEVEL_NAMES,
  validityStatus,
  type CareGradeMapping,
  type ValidityStatus,
} from './rules';

export type AssessmentValidity = ValidityStatus | 'legacy';

function validityOf(a: Assessment, now: Date, dueWithinDays: number): AssessmentValidity {
  if (a.standard !== 'GB/T 42195-2022' || a.validUntil === null) return 'legacy';
  if (a.assessedAt.getTime() > now.getTime()) return 'valid';
  return validityStatus(a.validUntil, now, dueWithinDays);
}

export interface ViewOptions {
  now: Date;
  dueWithinDays: number;
  careGradeMapping: CareGradeMapping;
}

/** The short form: what a resident's detail page and other libraries show. */
export function toAssessmentSummary(a: Assessment, o: ViewOptions) {
  const level = isAbilityLevel(a.level) ? a.level : 4;
  const names = LEVEL_NAMES[level];
  const grade = careGrade(level, o.careGradeMapping);
  const validity = validityOf(a, o.now, o.dueWithinDays);
  return {
    id: a.id,
    standard: a.standard,
    assessedAt: toCountyIso(a.assessedAt),
    reason: a.reason,
    total: a.totalScore,
    preliminaryLevel: a.preliminaryLevel,
    level,
    levelName: names.zhShort,
    levelNameFull: names.zh,
    levelNameEn: names.en,
    careGrade: grade,
    careGradeName: CARE_GRADE_NAMES[grade].zh,
    validUntil: toCountyIso(a.validUntil),
    /** valid | due (valid, expires within the due window) | expired | legacy (imported history, never valid). */
    validity,
    valid: validity === 'valid' || validity === 'due',
    needsReassessment: a.needsReassessment || validity === 'expired' || validity === 'due',
  };
}
export type AssessmentSummary = ReturnType<typeof toAssessmentSummary>;

/**
 * The outcome only, for roles that see no detail (dispatcher, bureau; rules/detail-access.ts): level, care grade and
 * validity. No item or dimension scores, no total or preliminary level (which reveal the scores and whether
 * conditions raised the level), no conditions.
 */
export function toAssessmentLevelSummary(a: Assessment, o: ViewOptions) {
  const { total: _total, preliminaryLevel: _preliminary, ...outcome } = toAssessmentSummary(a, o);
  return outcome;
}
export type AssessmentLevelSummary = ReturnType<typeof toAssessmentLevelSummary>;

/** `GET /residents/:id/assessments` and `GET /assessments/:id` for roles that see the level only. */
export function toAssessmentLevelView(a: Assessment, o: ViewOptions) {
  return {
    ...toAssessmentLevelSummary(a, o),
    residentId: a.residentId,
    legacyLevel: a.legacyLevel,
    legacyLevelName: a.legacyLevelName,
    createdAt: toCountyIso(a.createdAt),
  };
}
export type AssessmentLevelView = ReturnType<typeof toAssessmentLevelView>;

/** The full assessment as `POST/GET /residents/:id/assessments` return it. */
export function toAssessmentView(a: Assessment, o: ViewOptions) {
  const scores =
    a.scoreSelfCare === null ||
    a.scoreMobility === null ||
    a.scoreMentalState === null ||
    a.scorePerceptionSocial === null
      ? null
      : {
          selfCare: a.scoreSelfCare,
          mobility: a.scoreMobility,
          mentalState: a.scoreMentalState,
          perceptionSocial: a.scorePerceptionSocial,
        };
  return {
    ...toAssessmentSummary(a, o),
    residentId: a.residentId,
    assessors: a.assessors,
    scores,
    items: a.items,
    conditions: a.conditions,
    adjustmentReasons: a.adjustmentReasons,
    legacyLevel: a.legacyLevel,
    legacyLevelName: a.legacyLevelName,
    note: a.note,
    createdBy: a.createdBy,
    createdAt: toCountyIso(a.createdAt),
  };
}
export type AssessmentView = ReturnType<typeof toAssessmentView>;
