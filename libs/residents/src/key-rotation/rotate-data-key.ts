import type { DataSource, EntityManager } from 'typeorm';
import { duplicateKeyName, isDuplicateKeyError, isLockError } from '@care/core';
import { emptyTally, rotationStep, type RotatingCipher, type RotationTally } from '../rules/data-key-rotation';

export interface RotateDataKeyOptions {
  /** Residents per transaction (default 500): each batch's rows are locked only for as long as it takes. */
  batchSize?: number;
  /**
   * Called inside a batch's transaction with the residents it re-encrypted (none: not called), before COMMIT: the
   * CLI writes the batch's audit event here, so the event and the change commit together.
   */
  onBatch?: (em: EntityManager, reencrypted: string[]) => Promise<void>;
  /** After each batch, with the counts so far. */
  progress?: (tally: RotationTally) => void;
}

const LOCK_RETRIES = 5;

/**
 * Moves every resident's ID number to the current data key: `id_number_cipher` sealed again and `id_number_hash`
 * recomputed (see rules/data-key-rotation.ts for what each row gets). Safe while the api runs with both keys:
 * - residents are walked in id order, a batch at a time; each batch is one short READ COMMITTED transaction that
 *   locks its rows (SELECT ... FOR UPDATE by primary key, so no gap locks), so a write to one of them waits for at
 *   most one batch, and the batch re-reads the row as it is after that write;
 * - idempotent and resumable: a row already under the current key is left alone, so an interrupted run is simply
 *   run again, and a second run changes nothing;
 * - updated_at is kept: the number did not change, and statistics find changed residents by it.
 * Rows the api registers meanwhile are written under the current key already.
 */
export async function rotateDataKey(
  db: DataSource,
  cipher: RotatingCipher,
  options: RotateDataKeyOptions = {},
): Promise<RotationTally> {
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const tally = emptyTally();
  let after = '';
  for (;;) {
    // which ids come next is read without locks; the batch locks them and reads their columns as they are then
    const ids = (
      await db.query<{ id: string }[]>('SELECT id FROM residents WHERE id > ? ORDER BY id LIMIT ?', [after, batchSize])
    ).map((r) => r.id);
    if (ids.length === 0) break;
    const batch = await withLockRetries(() =>
      db.transaction('READ COMMITTED', (em) => rotateBatch(em, ids, cipher, options)),
    );
    tally.examined += batch.examined;
    tally.reencrypted += batch.reencrypted;
    tally.alreadyCurrent += batch.alreadyCurrent;
    tally.unreadable.push(...batch.unreadable);
    tally.duplicates.push(...batch.duplicates);
    tally.batches++;
    options.progress?.(tally);
    after = ids[ids.length - 1];
  }
  return tally;
}

async function rotateBatch(
  em: EntityManager,
  ids: string[],
  cipher: RotatingCipher,
  options: RotateDataKeyOptions,
): Promise<Omit<RotationTally, 'batches'>> {
  const out = {
    examined: 0,
    reencrypted: 0,
    alreadyCurrent: 0,
    unreadable: [] as string[],
    duplicates: [] as string[],
  };
  const rows = await em.query<{ id: string; id_number_cipher: string; id_number_hash: string }[]>(
    'SELECT id, id_number_cipher, id_number_hash FROM residents WHERE id IN (?) ORDER BY id FOR UPDATE',
    [ids],
  );
  const updates: { id: string; cipher: string; hash: string }[] = [];
  for (const row of rows) {
    out.examined++;
    const step = rotationStep({ id: row.id, cipher: row.id_number_cipher, hash: row.id_number_hash }, cipher);
    if (step.action === 'current') out.alreadyCurrent++;
    else if (step.action === 'unreadable') out.unreadable.push(row.id);
    else updates.push({ id: row.id, cipher: step.cipher, hash: step.hash });
  }
  const changed: string[] = [];
  if (updates.length > 0) {
    try {
      // the whole batch in one statement (one round trip); updated_at set to itself is kept
      await em.query(
        `UPDATE residents r JOIN (${updates.map(() => 'SELECT ? AS id, ? AS cipher, ? AS hash').join(' UNION ALL ')}) v
           ON v.id = r.id
         SET r.id_number_cipher = v.cipher, r.id_number_hash = v.hash, r.updated_at = r.updated_at`,
        updates.flatMap((u) => [u.id, u.cipher, u.hash]),
      );
      changed.push(...updates.map((u) => u.id));
    } catch (error) {
      if (!isHashTaken(error)) throw error;
      // InnoDB rolls back the failed statement only: row by row now, to find the rows whose new hash is taken
      for (const u of updates) {
        try {
          await em.query(
            'UPDATE residents SET id_number_cipher = ?, id_number_hash = ?, updated_at = updated_at WHERE id = ?',
            [u.cipher, u.hash, u.id],
          );
          changed.push(u.id);
        } catch (rowError) {
          if (!isHashTaken(rowError)) throw rowError;
          out.duplicates.push(u.id);
        }
      }
    }
  }
  out.reencrypted = changed.length;
  if (changed.length > 0 && options.onBatch) await options.onBatch(em, changed);
  return out;
}

const isHashTaken = (error: unknown): boolean =>
  isDuplicateKeyError(error) && duplicateKeyName(error) === 'uq_residents_id_number_hash';

async function withLockRetries<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isLockError(error) || attempt >= LOCK_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * (attempt + 1)));
    }
  }
}
