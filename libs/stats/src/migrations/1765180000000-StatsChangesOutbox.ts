import { MigrationInterface, QueryRunner } from 'typeorm';
import { indexExists } from '@care/core';

/**
 * Statistics learn of changes from an outbox instead of timing windows over `updated_at`.
 *
 * - stats_changes: one row per change, written by the library that owns the changed table in the same
 *   transaction as the change (`statsChangeStatement` of @care/core): the township (NULL: every township), the
 *   month it counts in (NULL: every month still kept open), what changed (`source`), and either the change to
 *   each count it moves by a known amount or `recompute` = 1 (count the township again), or a resident's facts
 *   before (`sign` −1) and after (+1) the change (JSON, `residentFactsStatement`): statistics count the resident
 *   from them, the same rule as for the whole township, and apply the difference. Consumed — applied to
 *   the kept figures and deleted in one transaction — by CoverageService.
 * - stats_change_consumer: one row whose lock lets one process at a time consume the outbox; `version` counts
 *   the consumptions (a consumer checks its snapshot is not older than the lock it took).
 * - stats_coverage_months.window_counts and the updated_at indexes on the nine source tables served the timing
 *   windows, which are gone.
 */
const WATCHED_TABLES = [
  'facilities',
  'beds',
  'stays',
  'residents',
  'assessments',
  'care_orders',
  'caregivers',
  'service_points',
] as const;

export class StatsChangesOutbox1765180000000 implements MigrationInterface {
  name = 'StatsChangesOutbox1765180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_changes (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        region_code VARCHAR(12) NULL,
        month CHAR(7) NULL,
        source VARCHAR(24) NOT NULL,
        recompute TINYINT(1) NOT NULL DEFAULT 0,
        beds_in_service INT NOT NULL DEFAULT 0,
        nursing_beds INT NOT NULL DEFAULT 0,
        sign TINYINT NOT NULL DEFAULT 0,
        facts LONGTEXT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE stats_change_consumer (
        id TINYINT UNSIGNED NOT NULL,
        version BIGINT UNSIGNED NOT NULL DEFAULT 0,
        PRIMARY KEY (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query('INSERT INTO stats_change_consumer (id, version) VALUES (1, 0)');
    await q.query('ALTER TABLE stats_coverage_months DROP COLUMN window_counts');
    // open months were maintained by the windows: their next read counts them again from the tables (a closed
    // one's rows are then served as kept history, as rows kept before the figures were maintained)
    await q.query('DELETE FROM stats_coverage_months WHERE final = 0');
    for (const table of WATCHED_TABLES) {
      if (await indexExists(q, table, `idx_${table}_updated_at`))
        await q.query(`DROP INDEX idx_${table}_updated_at ON ${table}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of WATCHED_TABLES) {
      if (!(await indexExists(q, table, `idx_${table}_updated_at`)))
        await q.query(`CREATE INDEX idx_${table}_updated_at ON ${table} (updated_at)`);
    }
    await q.query('ALTER TABLE stats_coverage_months ADD COLUMN window_counts TEXT NULL AFTER circle_signature');
    await q.query('DROP TABLE stats_change_consumer');
    await q.query('DROP TABLE stats_changes');
  }
}
