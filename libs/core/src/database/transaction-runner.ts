import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isLockError } from './mysql-errors';

export interface TransactionOptions {
  /** How often a deadlocked or lock-timed-out transaction is retried as a whole (default 3). */
  retries?: number;
}

/** Sent once per pooled connection, not per transaction; the same statement works on MariaDB and MySQL 8. */
export const READ_COMMITTED_SESSION = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';

/**
 * Services open transactions through this, and pass the EntityManager down to whatever they call.
 * A deadlock (InnoDB picks a victim under contention) rolls the whole unit back, so it is safe to rerun.
 *
 * Every transaction runs at READ COMMITTED. Instead of a `SET TRANSACTION ISOLATION LEVEL` before each
 * `START TRANSACTION` (one more round trip per transaction), the session's level is set the first time a pooled
 * connection serves a transaction; connections are remembered weakly, so a connection the pool replaced (after an
 * error or a timeout) is set again.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);
  /** mysql2 pool connections whose session is already READ COMMITTED. */
  private readonly readCommitted = new WeakSet<object>();

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (em: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const retries = options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(work);
      } catch (error) {
        if (!isLockError(error) || attempt >= retries) throw error;
        this.logger.warn(`transaction retried after ${String((error as { code?: string }).code)} (attempt ${attempt + 1})`);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
  }

  /** What DataSource.transaction does, with the isolation level set per connection rather than per transaction. */
  private async once<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const connection: unknown = await runner.connect();
      const known = typeof connection === 'object' && connection !== null;
      if (!known || !this.readCommitted.has(connection)) {
        await runner.query(READ_COMMITTED_SESSION);
        if (known) this.readCommitted.add(connection);
      }
      await runner.startTransaction();
      try {
        const result = await work(runner.manager);
        await runner.commitTransaction();
        return result;
      } catch (error) {
        try {
          await runner.rollbackTransaction();
        } catch {
          // the original error says more (a lost connection fails both)
        }
        throw error;
      }
    } finally {
      await runner.release();
    }
  }
}
