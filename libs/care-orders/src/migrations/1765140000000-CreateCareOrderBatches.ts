import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bulk intake (POST /care-orders/batch, visit plans): a batch is the unit of one dispatch job and of an
 * Idempotency-Key replay, so its orders are kept in the order given.
 */
export class CreateCareOrderBatches1765140000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE care_order_batches (
        id CHAR(36) NOT NULL,
        source VARCHAR(16) NOT NULL,
        order_count INT UNSIGNED NOT NULL,
        created_by CHAR(36) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        KEY idx_care_order_batches_created (created_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`
      CREATE TABLE care_order_batch_items (
        batch_id CHAR(36) NOT NULL,
        position INT UNSIGNED NOT NULL,
        order_id CHAR(36) NOT NULL,
        PRIMARY KEY (batch_id, position),
        KEY idx_care_order_batch_items_order (order_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE care_order_batch_items');
    await q.query('DROP TABLE care_order_batches');
  }
}
