import { Column, Entity } from 'typeorm';
import { BaseEntity, tinyBoolean } from '@care/core';
import type { AdjustmentReason, AssessmentConditions, AssessmentItems, AssessmentReason } from './rules';

export const ASSESSMENT_STANDARDS = ['GB/T 42195-2022', 'MZ/T 039-2013'] as const;
export type AssessmentStandard = (typeof ASSESSMENT_STANDARDS)[number];

/**
 * One ability assessment of a resident. A GB/T 42195-2022 assessment keeps its 26 item scores, the conditions,
 * dimension scores, total, preliminary and final level with the adjustment reasons, and `validUntil`.
 * A legacy MZ/T 039-2013 result is history only: level mapped by name, no scores, no validity, and
 * `needsReassessment` set.
 */
@Entity('assessments')
export class Assessment extends BaseEntity {
  @Column({ name: 'resident_id', type: 'char', length: 36 })
  residentId: string;

  @Column({ type: 'varchar', length: 16 })
  standard: AssessmentStandard;

  @Column({ name: 'assessed_at', type: 'datetime', precision: 3 })
  assessedAt: Date;

  @Column({ type: 'varchar', length: 32 })
  reason: AssessmentReason;

  @Column({ type: 'json' })
  assessors: string[];

  @Column({ type: 'json', nullable: true })
  items: AssessmentItems | null;

  @Column({ type: 'json', nullable: true })
  conditions: AssessmentConditions | null;

  @Column({ name: 'score_self_care', type: 'tinyint', nullable: true })
  scoreSelfCare: number | null;

  @Column({ name: 'score_mobility', type: 'tinyint', nullable: true })
  scoreMobility: number | null;

  @Column({ name: 'score_mental_state', type: 'tinyint', nullable: true })
  scoreMentalState: number | null;

  @Column({ name: 'score_perception_social', type: 'tinyint', nullable: true })
  scorePerceptionSocial: number | null;

  @Column({ name: 'total_score', type: 'tinyint', nullable: true })
  totalScore: number | null;

  @Column({ name: 'preliminary_level', type: 'tinyint', nullable: true })
  preliminaryLevel: number | null;

  /** Final level 0–4 after the adjustment rules (for a legacy result: the level of the same name). */
  @Column({ type: 'tinyint' })
  level: number;

  @Column({ name: 'adjustment_reasons', type: 'json' })
  adjustmentReasons: AdjustmentReason[];

  /** End of validity (exclusive); null for a legacy result, which is never valid. */
  @Column({ name: 'valid_until', type: 'datetime', precision: 3, nullable: true })
  validUntil: Date | null;

  @Column({ name: 'legacy_level', type: 'tinyint', nullable: true })
  legacyLevel: number | null;

  @Column({ name: 'legacy_level_name', type: 'varchar', length: 16, nullable: true })
  legacyLevelName: string | null;

  @Column({ name: 'needs_reassessment', type: 'tinyint', default: 0, transformer: tinyBoolean })
  needsReassessment: boolean;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @Column({ name: 'created_by', type: 'char', length: 36, nullable: true })
  createdBy: string | null;
}
