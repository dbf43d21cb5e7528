import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBedsAndStays1764400004000 implements MigrationInterface {
  name = 'CreateBedsAndStays1764400004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE beds (
        id CHAR(36) NOT NULL,
        facility_id CHAR(36) NOT NULL,
        building VARCHAR(32) NULL,
        floor SMALLINT NULL,
        room VARCHAR(32) NOT NULL,
        label VARCHAR(32) NOT NULL,
        type VARCHAR(16) NOT NULL,
        gender VARCHAR(8) NULL,
        status VARCHAR(16) NOT NULL DEFAULT 'vacant',
        reserved_for_resident_id CHAR(36) NULL,
        reserved_until DATETIME(3) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_beds_facility_room_label (facility_id, room, label),
        KEY idx_beds_facility_status (facility_id, status),
        KEY idx_beds_facility_type (facility_id, type),
        KEY idx_beds_reserved_for (reserved_for_resident_id),
        CONSTRAINT fk_beds_facility FOREIGN KEY (facility_id) REFERENCES facilities (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // A stay is one admission to one facility, from admission to discharge; bed_id is its current bed.
    // active_marker is 1 for an active stay and NULL otherwise (NULLs never collide in a unique index), so
    // the two unique keys let the database itself guarantee at most one active stay per bed and per
    // resident, whatever the application does. (A numeric marker: MariaDB refuses string-valued IF() in a
    // generated column.)
    await q.query(`
      CREATE TABLE stays (
        id CHAR(36) NOT NULL,
        resident_id CHAR(36) NOT NULL,
        facility_id CHAR(36) NOT NULL,
        bed_id CHAR(36) NOT NULL,
        status VARCHAR(16) NOT NULL,
        admitted_at DATETIME(3) NOT NULL,
        discharged_at DATETIME(3) NULL,
        discharge_reason VARCHAR(32) NULL,
        override_reason VARCHAR(255) NULL,
        created_by CHAR(36) NULL,
        active_marker TINYINT GENERATED ALWAYS AS (IF(status = 'active', 1, NULL)) STORED,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_stays_active_bed (bed_id, active_marker),
        UNIQUE KEY uq_stays_active_resident (resident_id, active_marker),
        KEY idx_stays_facility_status (facility_id, status),
        KEY idx_stays_resident (resident_id),
        KEY idx_stays_bed (bed_id),
        CONSTRAINT fk_stays_resident FOREIGN KEY (resident_id) REFERENCES residents (id),
        CONSTRAINT fk_stays_facility FOREIGN KEY (facility_id) REFERENCES facilities (id),
        CONSTRAINT fk_stays_bed FOREIGN KEY (bed_id) REFERENCES beds (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // Every period a stay spent on one bed (a transfer closes one and opens the next), so occupancy on
    // any past day can be recomputed: started_at <= day < COALESCE(ended_at, infinity).
    await q.query(`
      CREATE TABLE bed_occupancies (
        id CHAR(36) NOT NULL,
        stay_id CHAR(36) NOT NULL,
        bed_id CHAR(36) NOT NULL,
        resident_id CHAR(36) NOT NULL,
        facility_id CHAR(36) NOT NULL,
        started_at DATETIME(3) NOT NULL,
        ended_at DATETIME(3) NULL,
        end_reason VARCHAR(32) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        KEY idx_bed_occupancies_stay (stay_id),
        KEY idx_bed_occupancies_bed (bed_id, started_at),
        KEY idx_bed_occupancies_facility (facility_id, started_at, ended_at),
        CONSTRAINT fk_bed_occupancies_stay FOREIGN KEY (stay_id) REFERENCES stays (id),
        CONSTRAINT fk_bed_occupancies_bed FOREIGN KEY (bed_id) REFERENCES beds (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE bed_occupancies');
    await q.query('DROP TABLE stays');
    await q.query('DROP TABLE beds');
  }
}
