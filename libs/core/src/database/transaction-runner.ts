import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { auditContext, type AuditScope } from '../audit/audit-context';
import type { PoolConnection } from 'mysql2';
import { abandonNode } from './guarded-pool';
import { isLockError, isNodeDownError } from './mysql-errors';

export interface TransactionOptions {
  /** How often a deadlocked or lock-timed-out transaction is retried as a whole (default 3). */
  retries?: number;
  /**
   * false: this transaction does not carry the request's audit event (housekeeping a write route runs before its
   * real work, e.g. releasing lapsed offers), so a route still leaves one event, with its main transaction.
   */
  audit?: boolean;
}

/**
 * Writes the audit event of a write request inside its transaction, just before COMMIT (set by @care/audit's
 * module). Only called for transactions run inside an audited write request.
 */
export interface TransactionAuditHook {
  beforeCommit(em: EntityManager, scope: AuditScope): Promise<void>;
  /** The same event as statements, sent with COMMIT by the hot path's SqlTransactionRunner (one round trip). */
  statementsBeforeCommit(scope: AuditScope): { sql: string; params: readonly unknown[] }[];
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

  private hook: TransactionAuditHook | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** The audit library registers itself here, so every write transaction carries its event (one place, not per service). */
  setAuditHook(hook: TransactionAuditHook | null): void {
    this.hook = hook;
  }

  /** The registered hook, which SqlTransactionRunner applies too. */
  get auditHook(): TransactionAuditHook | null {
    return this.hook;
  }

  async run<T>(work: (em: EntityManager) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return retryOnLockError(() => this.once(work, options.audit !== false), options.retries ?? 3, this.logger);
  }

  /** What DataSource.transaction does, with the isolation level set per connection rather than per transaction. */
  private async once<T>(work: (em: EntityManager) => Promise<T>, audited: boolean): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    let connection: unknown;
    try {
      connection = await runner.connect();
      const known = typeof connection === 'object' && connection !== null;
      if (!known || !this.readCommitted.has(connection as object)) {
        await runner.query(READ_COMMITTED_SESSION);
        if (known) this.readCommitted.add(connection as object);
      }
      await runner.startTransaction();
      const scope = audited ? auditContext.current() : undefined;
      const mark = auditContext.mark();
      try {
        const result = await work(runner.manager);
        if (this.hook && scope?.kind === 'write') await this.hook.beforeCommit(runner.manager, scope);
        await runner.commitTransaction();
        if (scope?.kind === 'write') scope.eventCommitted = true;
        return result;
      } catch (error) {
        // the notes of this attempt went with its rows; a retry notes its own
        auditContext.restore(mark);
        if (isNodeDownError(error) && typeof connection === 'object' && connection !== null) {
          // the node is gone or out of the cluster: the connection is closed (release() then leaves it alone)
          // and the pool moves to the next node, where the retry runs (retryOnLockError)
          abandonNode(connection as PoolConnection);
          throw error;
        }
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

/**
 * Runs a whole transaction again on a deadlock or lock-wait timeout (InnoDB rolled it back), up to `retries` times,
 * after a short random pause that grows with each attempt. Both transaction runners use it.
 */
export async function retryOnLockError<T>(once: () => Promise<T>, retries: number, logger: Logger): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await once();
    } catch (error) {
      if (!isLockError(error) || attempt >= retries) throw error;
      logger.warn(`transaction retried after ${String((error as { code?: string }).code)} (attempt ${attempt + 1})`);
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }
}
