import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isLockError } from './mysql-errors';

export interface TransactionOptions {
  /** How often a deadlocked or lock-timed-out transaction is retried as a whole (default 3). */
  retries?: number;
}

/**
 * Services open transactions through this, and pass the EntityManager down to whatever they call.
 * A deadlock (InnoDB picks a victim under contention) rolls the whole unit back, so it is safe to rerun.
 */
@Injectable()
export class TransactionRunner {
  private readonly logger = new Logger(TransactionRunner.name);

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (em: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const retries = options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.dataSource.transaction('READ COMMITTED', work);
      } catch (error) {
        if (!isLockError(error) || attempt >= retries) throw error;
        this.logger.warn(`transaction retried after ${String((error as { code?: string }).code)} (attempt ${attempt + 1})`);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
      }
    }
  }
}
