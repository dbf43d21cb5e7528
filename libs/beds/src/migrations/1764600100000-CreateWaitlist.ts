import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWaitlist1764600100000 implements MigrationInterface {
  name = 'CreateWaitlist1764600100000';

  async up(q: QueryRunner): Promise<void> {
    // open_marker is 1 while the entry is open (waiting or offered) and NULL once closed, so the unique key allows
    // one open entry per resident and facility and any number of closed ones (numeric: MariaDB refuses string IF()).
    await q.query(`
      CREATE TABLE waitlist_entries (
        id CHAR(36) NOT NULL,
        facility_id CHAR(36) NOT NULL,
        resident_id CHAR(36) NOT NULL,
        status VARCHAR(16) NOT NULL,
        applied_at DATETIME(3) NOT NULL,
        note VARCHAR(500) NULL,
        offered_bed_id CHAR(36) NULL,
        offered_at DATETIME(3) NULL,
        offer_expires_at DATETIME(3) NULL,
        closed_at DATETIME(3) NULL,
        close_reason VARCHAR(32) NULL,
        close_note VARCHAR(255) NULL,
        stay_id CHAR(36) NULL,
        created_by CHAR(36) NULL,
        open_marker TINYINT GENERATED ALWAYS AS (IF(status IN ('waiting', 'offered'), 1, NULL)) STORED,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_waitlist_open_entry (facility_id, resident_id, open_marker),
        KEY idx_waitlist_facility_status (facility_id, status, applied_at),
        KEY idx_waitlist_resident (resident_id, status),
        KEY idx_waitlist_offered_bed (offered_bed_id),
        CONSTRAINT fk_waitlist_facility FOREIGN KEY (facility_id) REFERENCES facilities (id),
        CONSTRAINT fk_waitlist_resident FOREIGN KEY (resident_id) REFERENCES residents (id),
        CONSTRAINT fk_waitlist_offered_bed FOREIGN KEY (offered_bed_id) REFERENCES beds (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE waitlist_entries');
  }
}
