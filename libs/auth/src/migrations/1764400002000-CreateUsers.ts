import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764400002000 implements MigrationInterface {
  name = 'CreateUsers1764400002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id CHAR(36) NOT NULL,
        username VARCHAR(64) NOT NULL,
        password_hash VARCHAR(255) NOT NULL,
        role VARCHAR(16) NOT NULL,
        caregiver_id CHAR(36) NULL,
        active TINYINT(1) NOT NULL DEFAULT 1,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_users_username (username),
        KEY idx_users_caregiver (caregiver_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE user_facilities (
        user_id CHAR(36) NOT NULL,
        facility_id CHAR(36) NOT NULL,
        PRIMARY KEY (user_id, facility_id),
        KEY idx_user_facilities_facility (facility_id),
        CONSTRAINT fk_user_facilities_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT fk_user_facilities_facility FOREIGN KEY (facility_id) REFERENCES facilities (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE user_facilities');
    await q.query('DROP TABLE users');
  }
}
