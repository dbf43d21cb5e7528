import { MigrationInterface, QueryRunner } from 'typeorm';
import { indexExists } from '@care/core';

/**
 * Coverage figures kept per township and month, and refreshed only where something changed (see
 * CoverageFiguresService), so reading them costs the same whatever the size of the province.
 *
 * - stats_coverage_snapshots.changes_at: the first instant after `as_of` at which the township's counts change by
 *   the clock alone (an assessment expiring, an elder turning 60); the row is recomputed once that has passed.
 * - stats_coverage_months: one row per month whose figures are kept — when the last refresh started
 *   (`checked_to`), the rows it saw updated in the lag window before that (`window_counts`, JSON; see
 *   rules/freshness.ts), the instant the rows were last verified for (`as_of`), and a signature of the service
 *   points with an active caregiver (the circles); all null until the month is first computed. `final`: a
 *   closed month snapshotted by the monthly job, whose rows are history and no longer refreshed. The row is also
 *   the lock that serialises refreshes across processes.
 * - residents: the statistics index now leads with the township, so one township's elders are an index range
 *   (the province-wide scan reads the same index from end to end).
 */
const OLD_ELIGIBLE = {
  name: 'idx_stats_residents_eligible',
  columns: 'living_arrangement, birth_date, region_code, lat, lng',
};
const TOWNSHIP_ELDERS = {
  name: 'idx_stats_residents_township',
  columns: 'region_code, living_arrangement, birth_date, lat, lng',
};

export class MaintainCoverageFigures1764900100000 implements MigrationInterface {
  name = 'MaintainCoverageFigures1764900100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stats_coverage_snapshots ADD COLUMN changes_at DATETIME(3) NULL AFTER as_of`);
    await q.query(`
      CREATE TABLE stats_coverage_months (
        month CHAR(7) NOT NULL,
        checked_to DATETIME(3) NULL,
        as_of DATETIME(3) NULL,
        circle_signature CHAR(64) NULL,
        window_counts TEXT NULL,
        final TINYINT(1) NOT NULL DEFAULT 0,
        refreshed_at DATETIME(3) NULL,
        PRIMARY KEY (month)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    if (!(await indexExists(q, 'residents', TOWNSHIP_ELDERS.name)))
      await q.query(`CREATE INDEX ${TOWNSHIP_ELDERS.name} ON residents (${TOWNSHIP_ELDERS.columns})`);
    if (await indexExists(q, 'residents', OLD_ELIGIBLE.name))
      await q.query(`DROP INDEX ${OLD_ELIGIBLE.name} ON residents`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (!(await indexExists(q, 'residents', OLD_ELIGIBLE.name)))
      await q.query(`CREATE INDEX ${OLD_ELIGIBLE.name} ON residents (${OLD_ELIGIBLE.columns})`);
    if (await indexExists(q, 'residents', TOWNSHIP_ELDERS.name))
      await q.query(`DROP INDEX ${TOWNSHIP_ELDERS.name} ON residents`);
    await q.query('DROP TABLE stats_coverage_months');
    await q.query('ALTER TABLE stats_coverage_snapshots DROP COLUMN changes_at');
  }
}
