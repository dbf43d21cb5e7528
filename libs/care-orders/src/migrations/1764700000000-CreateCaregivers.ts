import { MigrationInterface, QueryRunner } from 'typeorm';

/** The service catalogue, service points, caregivers with their skills, and the caregiver-day lock rows. */
export class CreateCaregivers1764700000000 implements MigrationInterface {
  name = 'CreateCaregivers1764700000000';

  async up(q: QueryRunner): Promise<void> {
    // Codes and skills are fixed (domain.md §5); names and default minutes are defaults a bureau may change.
    // Rows are loaded by the reference-data loader of `npm run migrate`.
    await q.query(`
      CREATE TABLE services (
        code VARCHAR(32) NOT NULL,
        name VARCHAR(64) NOT NULL,
        name_en VARCHAR(128) NULL,
        default_minutes SMALLINT UNSIGNED NOT NULL,
        skill VARCHAR(16) NULL,
        active TINYINT(1) NOT NULL DEFAULT 1,
        sort_order SMALLINT NOT NULL DEFAULT 0,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (code),
        KEY idx_services_skill (skill)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`
      CREATE TABLE service_points (
        id CHAR(36) NOT NULL,
        name VARCHAR(128) NOT NULL,
        region_code VARCHAR(12) NOT NULL,
        lat DECIMAL(9,6) NOT NULL,
        lng DECIMAL(9,6) NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        KEY idx_service_points_region (region_code),
        CONSTRAINT fk_service_points_region FOREIGN KEY (region_code) REFERENCES regions (code)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // Shifts are county-local 'HH:MM' strings (the dispatch rules' format), no overnight shifts.
    // version grows with every change (deterministic RetryUnassigned job ids).
    await q.query(`
      CREATE TABLE caregivers (
        id CHAR(36) NOT NULL,
        name VARCHAR(64) NOT NULL,
        phone VARCHAR(32) NOT NULL,
        gender VARCHAR(8) NOT NULL,
        service_point_id CHAR(36) NOT NULL,
        shift_start CHAR(5) NOT NULL,
        shift_end CHAR(5) NOT NULL,
        max_daily_visits SMALLINT UNSIGNED NOT NULL,
        active TINYINT(1) NOT NULL DEFAULT 1,
        version INT UNSIGNED NOT NULL DEFAULT 0,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        KEY idx_caregivers_service_point (service_point_id, active),
        KEY idx_caregivers_active (active),
        KEY idx_caregivers_name (name),
        CONSTRAINT fk_caregivers_service_point FOREIGN KEY (service_point_id) REFERENCES service_points (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // A join table rather than JSON: "caregivers with skill X" is an index look-up on (skill, caregiver_id).
    await q.query(`
      CREATE TABLE caregiver_skills (
        caregiver_id CHAR(36) NOT NULL,
        skill VARCHAR(16) NOT NULL,
        PRIMARY KEY (caregiver_id, skill),
        KEY idx_caregiver_skills_skill (skill, caregiver_id),
        CONSTRAINT fk_caregiver_skills_caregiver FOREIGN KEY (caregiver_id) REFERENCES caregivers (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // One row per caregiver and county-local date: the row the dispatcher locks (SELECT ... FOR UPDATE,
    // after INSERT IGNORE) so that two workers never plan the same caregiver's day at once.
    await q.query(`
      CREATE TABLE caregiver_days (
        caregiver_id CHAR(36) NOT NULL,
        date DATE NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (caregiver_id, date),
        KEY idx_caregiver_days_date (date),
        CONSTRAINT fk_caregiver_days_caregiver FOREIGN KEY (caregiver_id) REFERENCES caregivers (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE caregiver_days');
    await q.query('DROP TABLE caregiver_skills');
    await q.query('DROP TABLE caregivers');
    await q.query('DROP TABLE service_points');
    await q.query('DROP TABLE services');
  }
}
