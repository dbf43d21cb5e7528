import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The check-in paragraph of the contract: who checked in and out (the actor, flagged `proxy` when not the
 * assigned caregiver), the phone's own time of an action sent later from its offline queue (`recordedAt`,
 * flagged `clock` when more than 24 hours old or in the future), and the answer an Idempotency-Key replays
 * for a caregiver action (accept, check-in, check-out), so a retried action from the queue gets the first answer.
 * checked_in_at / checked_out_at stay the time of the visit (the phone's time when believable, else the server's);
 * *_received_at is when the server got the action, *_recorded_at the phone's time as sent.
 */
export class RecordOfflineVisitActions1765160000000 implements MigrationInterface {
  name = 'RecordOfflineVisitActions1765160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE care_visits
        ADD COLUMN check_in_recorded_at DATETIME(3) NULL,
        ADD COLUMN check_in_received_at DATETIME(3) NULL,
        ADD COLUMN checked_in_by CHAR(36) NULL,
        ADD COLUMN check_out_recorded_at DATETIME(3) NULL,
        ADD COLUMN check_out_received_at DATETIME(3) NULL,
        ADD COLUMN checked_out_by CHAR(36) NULL,
        ADD COLUMN flag_proxy TINYINT(1) NOT NULL DEFAULT 0,
        ADD COLUMN flag_clock TINYINT(1) NOT NULL DEFAULT 0`);
    await q.query(`
      ALTER TABLE care_orders
        ADD COLUMN accept_recorded_at DATETIME(3) NULL,
        ADD COLUMN accepted_by CHAR(36) NULL`);
    await q.query('ALTER TABLE idempotency_keys ADD COLUMN response_body MEDIUMTEXT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE idempotency_keys DROP COLUMN response_body');
    await q.query('ALTER TABLE care_orders DROP COLUMN accepted_by, DROP COLUMN accept_recorded_at');
    await q.query(`
      ALTER TABLE care_visits
        DROP COLUMN flag_clock, DROP COLUMN flag_proxy, DROP COLUMN checked_out_by,
        DROP COLUMN check_out_received_at, DROP COLUMN check_out_recorded_at, DROP COLUMN checked_in_by,
        DROP COLUMN check_in_received_at, DROP COLUMN check_in_recorded_at`);
  }
}
