import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: append-only (the api has no route that changes or deletes a row). Ids only, no personal data:
 * entity_ids and resident_ids are JSON arrays of ids. audit_event_residents repeats each event's resident ids, one row
 * each with the event's time, so "who saw or changed this elder's record" is an index range scan.
 */
export class CreateAuditEvents1765110000000 implements MigrationInterface {
  name = 'CreateAuditEvents1765110000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_events (
        id CHAR(36) NOT NULL,
        at DATETIME(3) NOT NULL,
        actor_id VARCHAR(36) NULL,
        actor_username VARCHAR(64) NULL,
        role VARCHAR(16) NULL,
        action VARCHAR(80) NOT NULL,
        entity VARCHAR(40) NULL,
        entity_ids JSON NOT NULL,
        resident_ids JSON NOT NULL,
        request_id VARCHAR(64) NULL,
        ip VARCHAR(45) NULL,
        outcome VARCHAR(40) NOT NULL,
        PRIMARY KEY (id),
        KEY idx_audit_events_at (at),
        KEY idx_audit_events_actor_at (actor_id, at),
        KEY idx_audit_events_action_at (action, at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE audit_event_residents (
        event_id CHAR(36) NOT NULL,
        resident_id CHAR(36) NOT NULL,
        at DATETIME(3) NOT NULL,
        PRIMARY KEY (event_id, resident_id),
        KEY idx_audit_event_residents_resident_at (resident_id, at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_event_residents');
    await q.query('DROP TABLE audit_events');
  }
}
