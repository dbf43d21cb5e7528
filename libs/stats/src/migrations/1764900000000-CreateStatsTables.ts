import { MigrationInterface, QueryRunner } from 'typeorm';
import { indexExists } from '@care/core';

/**
 * Statistics' own tables, and indexes on the tables statistics read.
 *
 * - stats_coverage_snapshots: the counts behind every indicator, per township and month, kept by the monthly
 *   SnapshotCoverage job (and on demand). History reads them: beds' type and status keep no history, so a past
 *   month's bed figures cannot be recomputed later.
 * - stats_planned_capacity: the plan's new capacity that is not in service (a planned home, or the extension of
 *   an operating one). No bed rows exist for it; the bureau's next steps use it.
 * - updated_at indexes on the tables the coverage figures come from: MAX(updated_at) over each is then an index
 *   look-up, which lets the statistics service tell in a millisecond whether anything changed since it last
 *   computed the figures (see CoverageService). Additive; owned here because only statistics need them.
 * - covering indexes for the scan of eligible elders (one pass over residents, index-only look-ups of their
 *   assessments and completed visits), so the cold computation reads narrow index pages, not wide rows.
 */
const COVERING_INDEXES: readonly { table: string; name: string; columns: string }[] = [
  {
    table: 'residents',
    name: 'idx_stats_residents_eligible',
    columns: 'living_arrangement, birth_date, region_code, lat, lng',
  },
  { table: 'assessments', name: 'idx_stats_assessments_validity', columns: 'resident_id, assessed_at, valid_until' },
  {
    table: 'care_orders',
    name: 'idx_stats_care_orders_resident_completed',
    columns: 'resident_id, status, completed_at',
  },
];
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

export class CreateStatsTables1764900000000 implements MigrationInterface {
  name = 'CreateStatsTables1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stats_coverage_snapshots (
        month CHAR(7) NOT NULL,
        region_code VARCHAR(12) NOT NULL,
        beds_in_service INT UNSIGNED NOT NULL,
        nursing_beds INT UNSIGNED NOT NULL,
        occupied_beds INT UNSIGNED NOT NULL,
        with_comprehensive TINYINT UNSIGNED NOT NULL,
        eligible_elders INT UNSIGNED NOT NULL,
        eligible_with_three_visits INT UNSIGNED NOT NULL,
        eligible_inside_service_circle INT UNSIGNED NOT NULL,
        assessable_elders INT UNSIGNED NOT NULL,
        with_valid_assessment INT UNSIGNED NOT NULL,
        with_expired_assessment INT UNSIGNED NOT NULL,
        social_workers INT UNSIGNED NULL,
        as_of DATETIME(3) NOT NULL,
        computed_at DATETIME(3) NOT NULL,
        PRIMARY KEY (month, region_code),
        KEY idx_stats_snapshots_region (region_code, month)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE stats_planned_capacity (
        id CHAR(36) NOT NULL,
        name VARCHAR(128) NOT NULL,
        region_code VARCHAR(12) NOT NULL,
        facility_type VARCHAR(32) NOT NULL,
        facility_id CHAR(36) NULL,
        planned_beds INT UNSIGNED NOT NULL,
        planned_comprehensive TINYINT(1) NOT NULL DEFAULT 0,
        source VARCHAR(255) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        KEY idx_stats_planned_region (region_code),
        KEY idx_stats_planned_facility (facility_id),
        CONSTRAINT fk_stats_planned_region FOREIGN KEY (region_code) REFERENCES regions (code)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    for (const table of WATCHED_TABLES) {
      if (!(await indexExists(q, table, `idx_${table}_updated_at`))) {
        await q.query(`CREATE INDEX idx_${table}_updated_at ON ${table} (updated_at)`);
      }
    }
    for (const i of COVERING_INDEXES) {
      if (!(await indexExists(q, i.table, i.name)))
        await q.query(`CREATE INDEX ${i.name} ON ${i.table} (${i.columns})`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const i of COVERING_INDEXES) {
      if (await indexExists(q, i.table, i.name)) await q.query(`DROP INDEX ${i.name} ON ${i.table}`);
    }
    for (const table of WATCHED_TABLES) {
      if (await indexExists(q, table, `idx_${table}_updated_at`))
        await q.query(`DROP INDEX idx_${table}_updated_at ON ${table}`);
    }
    await q.query('DROP TABLE stats_planned_capacity');
    await q.query('DROP TABLE stats_coverage_snapshots');
  }
}
