import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateFacilities1764400001000 implements MigrationInterface {
  name = 'CreateFacilities1764400001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE facilities (
        id CHAR(36) NOT NULL,
        name VARCHAR(100) NOT NULL,
        type VARCHAR(32) NOT NULL,
        region_code VARCHAR(12) NOT NULL,
        address VARCHAR(255) NULL,
        lat DECIMAL(9,6) NOT NULL,
        lng DECIMAL(9,6) NOT NULL,
        ownership VARCHAR(16) NOT NULL,
        comprehensive TINYINT(1) NOT NULL DEFAULT 0,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        KEY idx_facilities_region (region_code),
        KEY idx_facilities_type (type),
        CONSTRAINT fk_facilities_region FOREIGN KEY (region_code) REFERENCES regions (code)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE facilities');
  }
}
