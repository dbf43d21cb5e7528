import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Residents' changes reach statistics as markers instead of facts read by the writer (libs/stats/README.md).
 *
 * - stats_changes.resident_id: "this resident's facts may have changed", written by the owner of the change with a
 *   plain INSERT ... VALUES (`residentChangeStatement` of @care/core); statistics read the facts when they consume
 *   it. Rows with `sign`/`facts` (written before this migration) are still understood.
 * - stats_resident_facts: the facts of each resident as statistics last counted them (filled when townships are
 *   counted from the tables, replaced when a marker is consumed): the "before" of the resident's next change.
 *   Owned and written by statistics only; no foreign key, the rows are statistics' memory, not the residents'.
 */
export class ResidentChangeMarkers1765190000000 implements MigrationInterface {
  name = 'ResidentChangeMarkers1765190000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE stats_changes ADD COLUMN resident_id CHAR(36) NULL AFTER facts');
    await q.query(`
      CREATE TABLE stats_resident_facts (
        resident_id CHAR(36) NOT NULL,
        facts LONGTEXT NOT NULL,
        counted_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (resident_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // kept figures of open months were maintained without this memory: their next read counts them again (and fills it)
    await q.query('DELETE FROM stats_coverage_months WHERE final = 0');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE stats_resident_facts');
    await q.query('ALTER TABLE stats_changes DROP COLUMN resident_id');
  }
}
