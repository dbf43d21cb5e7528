import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stored masked ID number moves to the contract's new form: the first 6 characters and the last 1, the 11
 * between as `*` (`620422***********X`). The earlier form kept the last 4 as well; with the birth date (digits 7–14,
 * a column of its own) it gave the whole number away.
 *
 * Recomputed from the old masked column itself, not from the ciphertext: the new form is the old one with characters
 * 7–17 starred, so no key is needed (a migration never holds DATA_ENCRYPTION_KEY), nothing is decrypted, and running it
 * on a row already in the new form changes nothing. A row whose masked value is not 18 characters (never written by
 * the api) is starred entirely.
 *
 * Not reversible: the digits dropped here are gone from the clear columns on purpose (they live on only encrypted).
 */
export class MaskIdNumberFirst6Last11765100000000 implements MigrationInterface {
  name = 'MaskIdNumberFirst6Last11765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE residents
          SET id_number_masked = CONCAT(LEFT(id_number_masked, 6), REPEAT('*', 11), RIGHT(id_number_masked, 1)),
              updated_at = updated_at
        WHERE CHAR_LENGTH(id_number_masked) = 18
          AND id_number_masked <> CONCAT(LEFT(id_number_masked, 6), REPEAT('*', 11), RIGHT(id_number_masked, 1))`,
    );
    await q.query(
      `UPDATE residents SET id_number_masked = REPEAT('*', 18), updated_at = updated_at
        WHERE CHAR_LENGTH(id_number_masked) <> 18`,
    );
  }

  async down(): Promise<void> {
    // the dropped digits cannot be brought back from the clear columns; the old form is not restored
  }
}
