import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateRegions1764400000000 implements MigrationInterface {
  name = 'CreateRegions1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE regions (
        code VARCHAR(12) NOT NULL,
        name VARCHAR(64) NOT NULL,
        name_en VARCHAR(64) NULL,
        kind VARCHAR(8) NOT NULL,
        level VARCHAR(16) NOT NULL DEFAULT 'township',
        parent_code VARCHAR(12) NULL,
        lat DECIMAL(9,6) NULL,
        lng DECIMAL(9,6) NULL,
        coordinates_generated TINYINT(1) NOT NULL DEFAULT 0,
        PRIMARY KEY (code),
        KEY idx_regions_parent (parent_code)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE regions');
  }
}
