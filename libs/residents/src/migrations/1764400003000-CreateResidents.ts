import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateResidents1764400003000 implements MigrationInterface {
  name = 'CreateResidents1764400003000';

  async up(q: QueryRunner): Promise<void> {
    // The ID number is stored only encrypted (id_number_cipher), with a keyed hash for uniqueness and
    // look-up, and its masked form for display. The plain number is never stored.
    await q.query(`
      CREATE TABLE residents (
        id CHAR(36) NOT NULL,
        name VARCHAR(64) NOT NULL,
        id_number_cipher VARCHAR(255) NOT NULL,
        id_number_hash CHAR(64) NOT NULL,
        id_number_masked VARCHAR(18) NOT NULL,
        gender VARCHAR(8) NOT NULL,
        birth_date DATE NOT NULL,
        region_code VARCHAR(12) NOT NULL,
        living_arrangement VARCHAR(16) NOT NULL,
        address VARCHAR(255) NULL,
        lat DECIMAL(9,6) NULL,
        lng DECIMAL(9,6) NULL,
        phone VARCHAR(32) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_residents_id_number_hash (id_number_hash),
        KEY idx_residents_region_living (region_code, living_arrangement),
        KEY idx_residents_living (living_arrangement),
        KEY idx_residents_birth_date (birth_date),
        KEY idx_residents_name (name),
        CONSTRAINT fk_residents_region FOREIGN KEY (region_code) REFERENCES regions (code)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE resident_categories (
        resident_id CHAR(36) NOT NULL,
        category VARCHAR(32) NOT NULL,
        PRIMARY KEY (resident_id, category),
        KEY idx_resident_categories_category (category, resident_id),
        CONSTRAINT fk_resident_categories_resident FOREIGN KEY (resident_id) REFERENCES residents (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // Which facilities may see a resident: the one that registered, placed or waitlisted it.
    await q.query(`
      CREATE TABLE resident_facility_links (
        resident_id CHAR(36) NOT NULL,
        facility_id CHAR(36) NOT NULL,
        reason VARCHAR(16) NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (resident_id, facility_id),
        KEY idx_resident_facility_links_facility (facility_id, resident_id),
        CONSTRAINT fk_rfl_resident FOREIGN KEY (resident_id) REFERENCES residents (id) ON DELETE CASCADE,
        CONSTRAINT fk_rfl_facility FOREIGN KEY (facility_id) REFERENCES facilities (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE resident_facility_links');
    await q.query('DROP TABLE resident_categories');
    await q.query('DROP TABLE residents');
  }
}
