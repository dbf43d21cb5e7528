import { MigrationInterface, QueryRunner } from 'typeorm';

/** Care orders with their services and declines, visits (check-in/out records), idempotency keys. */
export class CreateCareOrders1764700001000 implements MigrationInterface {
  name = 'CreateCareOrders1764700001000';

  async up(q: QueryRunner): Promise<void> {
    // region_code is the resident's township, copied at creation for the list filters.
    // duration_minutes is the effective duration (the given one, or the services' default minutes then).
    // version grows with every status change: optimistic checks and the DispatchOrder job id.
    // (resident_id, visit_plan_month, visit_slot) makes the monthly plan idempotent; manual orders leave
    // month and slot NULL, and NULLs never collide in a unique index.
    await q.query(`
      CREATE TABLE care_orders (
        id CHAR(36) NOT NULL,
        resident_id CHAR(36) NOT NULL,
        region_code VARCHAR(12) NOT NULL,
        window_start DATETIME(3) NOT NULL,
        window_end DATETIME(3) NOT NULL,
        duration_minutes SMALLINT UNSIGNED NOT NULL,
        priority VARCHAR(8) NOT NULL DEFAULT 'normal',
        notes VARCHAR(1000) NULL,
        status VARCHAR(16) NOT NULL DEFAULT 'pending',
        caregiver_id CHAR(36) NULL,
        planned_start DATETIME(3) NULL,
        planned_end DATETIME(3) NULL,
        travel_minutes SMALLINT UNSIGNED NULL,
        unassigned_reason VARCHAR(32) NULL,
        assigned_at DATETIME(3) NULL,
        accepted_at DATETIME(3) NULL,
        completed_at DATETIME(3) NULL,
        cancelled_at DATETIME(3) NULL,
        cancel_reason VARCHAR(500) NULL,
        source VARCHAR(16) NOT NULL DEFAULT 'manual',
        visit_plan_month CHAR(7) NULL,
        visit_slot TINYINT UNSIGNED NULL,
        created_by CHAR(36) NULL,
        version INT UNSIGNED NOT NULL DEFAULT 0,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uq_care_orders_visit_plan (resident_id, visit_plan_month, visit_slot),
        KEY idx_care_orders_status_window (status, window_start),
        KEY idx_care_orders_status_updated (status, updated_at),
        KEY idx_care_orders_region_status (region_code, status, window_start),
        KEY idx_care_orders_caregiver_planned (caregiver_id, planned_start),
        KEY idx_care_orders_planned_start (planned_start),
        KEY idx_care_orders_window_start (window_start),
        KEY idx_care_orders_resident_window (resident_id, window_start),
        KEY idx_care_orders_completed (completed_at),
        KEY idx_care_orders_plan_month (visit_plan_month, region_code),
        CONSTRAINT fk_care_orders_resident FOREIGN KEY (resident_id) REFERENCES residents (id),
        CONSTRAINT fk_care_orders_region FOREIGN KEY (region_code) REFERENCES regions (code),
        CONSTRAINT fk_care_orders_caregiver FOREIGN KEY (caregiver_id) REFERENCES caregivers (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`
      CREATE TABLE care_order_services (
        order_id CHAR(36) NOT NULL,
        service_code VARCHAR(32) NOT NULL,
        position TINYINT UNSIGNED NOT NULL DEFAULT 0,
        PRIMARY KEY (order_id, service_code),
        KEY idx_care_order_services_service (service_code, order_id),
        CONSTRAINT fk_care_order_services_order FOREIGN KEY (order_id) REFERENCES care_orders (id) ON DELETE CASCADE,
        CONSTRAINT fk_care_order_services_service FOREIGN KEY (service_code) REFERENCES services (code)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // Who declined an order: never offered it again (hard rule 5).
    await q.query(`
      CREATE TABLE order_declines (
        order_id CHAR(36) NOT NULL,
        caregiver_id CHAR(36) NOT NULL,
        reason VARCHAR(500) NOT NULL,
        declined_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        declined_by_user_id CHAR(36) NULL,
        PRIMARY KEY (order_id, caregiver_id),
        KEY idx_order_declines_caregiver (caregiver_id),
        CONSTRAINT fk_order_declines_order FOREIGN KEY (order_id) REFERENCES care_orders (id) ON DELETE CASCADE,
        CONSTRAINT fk_order_declines_caregiver FOREIGN KEY (caregiver_id) REFERENCES caregivers (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // The service record of a visit: check-in (when, where, flags) and check-out (what was done, vitals).
    await q.query(`
      CREATE TABLE care_visits (
        order_id CHAR(36) NOT NULL,
        caregiver_id CHAR(36) NOT NULL,
        resident_id CHAR(36) NOT NULL,
        checked_in_at DATETIME(3) NOT NULL,
        check_in_lat DECIMAL(9,6) NULL,
        check_in_lng DECIMAL(9,6) NULL,
        check_in_distance_m INT UNSIGNED NULL,
        flag_early TINYINT(1) NOT NULL DEFAULT 0,
        flag_late TINYINT(1) NOT NULL DEFAULT 0,
        flag_far TINYINT(1) NOT NULL DEFAULT 0,
        flag_no_location TINYINT(1) NOT NULL DEFAULT 0,
        checked_out_at DATETIME(3) NULL,
        check_out_lat DECIMAL(9,6) NULL,
        check_out_lng DECIMAL(9,6) NULL,
        services_done TEXT NULL,
        notes VARCHAR(2000) NULL,
        systolic SMALLINT UNSIGNED NULL,
        diastolic SMALLINT UNSIGNED NULL,
        heart_rate SMALLINT UNSIGNED NULL,
        blood_glucose DECIMAL(4,1) NULL,
        temperature DECIMAL(4,1) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (order_id),
        KEY idx_care_visits_caregiver (caregiver_id, checked_in_at),
        KEY idx_care_visits_resident (resident_id, checked_in_at),
        KEY idx_care_visits_checked_in (checked_in_at),
        CONSTRAINT fk_care_visits_order FOREIGN KEY (order_id) REFERENCES care_orders (id) ON DELETE CASCADE,
        CONSTRAINT fk_care_visits_caregiver FOREIGN KEY (caregiver_id) REFERENCES caregivers (id),
        CONSTRAINT fk_care_visits_resident FOREIGN KEY (resident_id) REFERENCES residents (id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // Idempotency-Key: one row per user and key, inserted in the order's transaction, so concurrent requests
    // with one key serialise on the primary key and create one order.
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id CHAR(36) NOT NULL,
        idem_key VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        endpoint VARCHAR(64) NOT NULL,
        request_hash CHAR(64) NOT NULL,
        order_id CHAR(36) NOT NULL,
        response_status SMALLINT UNSIGNED NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (user_id, idem_key),
        KEY idx_idempotency_keys_created (created_at),
        KEY idx_idempotency_keys_order (order_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
    await q.query('DROP TABLE care_visits');
    await q.query('DROP TABLE order_declines');
    await q.query('DROP TABLE care_order_services');
    await q.query('DROP TABLE care_orders');
  }
}
