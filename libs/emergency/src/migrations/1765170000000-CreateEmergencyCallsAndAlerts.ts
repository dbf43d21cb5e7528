import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One-key call devices on residents, emergency calls, the alerts the system raises by itself, and the care-order
 * columns the emergency path needs: `circle_widened` (dispatch placed an emergency order past the service circle, the
 * documented exception to hard rule 2) and `closed_at`/`close_reason` (an in-progress order closed by the dispatcher,
 * or by the alert job a day after its overrun alert: status `incomplete`).
 */
export class CreateEmergencyCallsAndAlerts1765170000000 implements MigrationInterface {
  name = 'CreateEmergencyCallsAndAlerts1765170000000';

  async up(q: QueryRunner): Promise<void> {
    // one device per resident, a device on one resident
    await q.query(`
      CREATE TABLE resident_devices (
        device_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        resident_id CHAR(36) NOT NULL,
        registered_by CHAR(36) NULL,
        registered_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (device_id),
        UNIQUE KEY uq_resident_devices_resident (resident_id),
        CONSTRAINT fk_resident_devices_resident FOREIGN KEY (resident_id) REFERENCES residents (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // open_marker: at most one open call per resident (a repeated press joins the open call);
    // (created_by, idem_key): a gateway's Idempotency-Key names one call.
    await q.query(`
      CREATE TABLE emergency_calls (
        id CHAR(36) NOT NULL,
        resident_id CHAR(36) NOT NULL,
        region_code VARCHAR(12) NOT NULL,
        order_id CHAR(36) NOT NULL,
        device_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
        source VARCHAR(16) NOT NULL,
        notes VARCHAR(1000) NULL,
        status VARCHAR(12) NOT NULL DEFAULT 'open',
        open_marker TINYINT AS (IF(status = 'open', 1, NULL)) STORED,
        presses INT UNSIGNED NOT NULL DEFAULT 1,
        received_at DATETIME(3) NOT NULL,
        created_by CHAR(36) NOT NULL,
        idem_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NULL,
        request_hash CHAR(64) NULL,
        outcome VARCHAR(16) NULL,
        resolution_notes VARCHAR(1000) NULL,
        resolved_at DATETIME(3) NULL,
        resolved_by CHAR(36) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_emergency_calls_order (order_id),
        UNIQUE KEY uq_emergency_calls_open (resident_id, open_marker),
        UNIQUE KEY uq_emergency_calls_idem (created_by, idem_key),
        KEY idx_emergency_calls_status_received (status, received_at),
        KEY idx_emergency_calls_received (received_at, region_code),
        CONSTRAINT fk_emergency_calls_resident FOREIGN KEY (resident_id) REFERENCES residents (id),
        CONSTRAINT fk_emergency_calls_order FOREIGN KEY (order_id) REFERENCES care_orders (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // (type, order_id): each alert raised once, however many dispatchers scan at once
    await q.query(`
      CREATE TABLE alerts (
        id CHAR(36) NOT NULL,
        type VARCHAR(32) NOT NULL,
        order_id CHAR(36) NOT NULL,
        call_id CHAR(36) NULL,
        resident_id CHAR(36) NOT NULL,
        region_code VARCHAR(12) NOT NULL,
        status VARCHAR(16) NOT NULL DEFAULT 'open',
        detail VARCHAR(500) NULL,
        raised_at DATETIME(3) NOT NULL,
        acknowledged_at DATETIME(3) NULL,
        acknowledged_by CHAR(36) NULL,
        note VARCHAR(1000) NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_alerts_type_order (type, order_id),
        KEY idx_alerts_status_raised (status, raised_at),
        KEY idx_alerts_type_status (type, status, raised_at),
        KEY idx_alerts_order (order_id),
        KEY idx_alerts_call (call_id),
        CONSTRAINT fk_alerts_order FOREIGN KEY (order_id) REFERENCES care_orders (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`
      ALTER TABLE care_orders
        ADD COLUMN circle_widened TINYINT(1) NOT NULL DEFAULT 0,
        ADD COLUMN closed_at DATETIME(3) NULL,
        ADD COLUMN close_reason VARCHAR(500) NULL,
        ADD KEY idx_care_orders_status_window_end (status, window_end)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'ALTER TABLE care_orders DROP KEY idx_care_orders_status_window_end, DROP COLUMN close_reason, DROP COLUMN closed_at, DROP COLUMN circle_widened',
    );
    await q.query('DROP TABLE alerts');
    await q.query('DROP TABLE emergency_calls');
    await q.query('DROP TABLE resident_devices');
  }
}
