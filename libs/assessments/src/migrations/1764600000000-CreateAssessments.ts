import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAssessments1764600000000 implements MigrationInterface {
  name = 'CreateAssessments1764600000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per assessment. JSON columns hold what is read whole (items, conditions, assessors, reasons);
    // what lists filter or sort by (resident, time, level, validity) has its own indexed column.
    await q.query(`
      CREATE TABLE assessments (
        id CHAR(36) NOT NULL,
        resident_id CHAR(36) NOT NULL,
        standard VARCHAR(16) NOT NULL,
        assessed_at DATETIME(3) NOT NULL,
        reason VARCHAR(32) NOT NULL,
        assessors JSON NOT NULL,
        items JSON NULL,
        conditions JSON NULL,
        score_self_care TINYINT NULL,
        score_mobility TINYINT NULL,
        score_mental_state TINYINT NULL,
        score_perception_social TINYINT NULL,
        total_score TINYINT NULL,
        preliminary_level TINYINT NULL,
        level TINYINT NOT NULL,
        adjustment_reasons JSON NOT NULL,
        valid_until DATETIME(3) NULL,
        legacy_level TINYINT NULL,
        legacy_level_name VARCHAR(16) NULL,
        needs_reassessment TINYINT(1) NOT NULL DEFAULT 0,
        note VARCHAR(500) NULL,
        created_by CHAR(36) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        KEY idx_assessments_resident_assessed (resident_id, assessed_at),
        KEY idx_assessments_valid_until (valid_until),
        KEY idx_assessments_level (level),
        KEY idx_assessments_standard (standard),
        CONSTRAINT fk_assessments_resident FOREIGN KEY (resident_id) REFERENCES residents (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE assessments');
  }
}
