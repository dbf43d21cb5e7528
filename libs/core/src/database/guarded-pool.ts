import * as mysql2 from 'mysql2';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2';

/**
 * Bounds on how long a request may wait for MariaDB/MySQL, so that an unreachable or stalled database turns into a
 * 503 within the contract's 5 seconds instead of a request that hangs.
 */
export interface DatabaseLimits {
  /** mysql2 connectTimeout: a new connection that has not completed its handshake by then fails with ETIMEDOUT. */
  connectTimeoutMs: number;
  /** mysql2's pool has no acquire time-out: a getConnection still waiting after this fails with POOL_ACQUIRE_TIMEOUT. */
  acquireTimeoutMs: number;
  /** Requests waiting for a pooled connection beyond this fail at once ("Queue limit reached."). 0 = unbounded. */
  queueLimit: number;
  /**
   * Server-side statement time limit, set once per connection: MariaDB `max_statement_time` (seconds, every
   * statement), MySQL 8 / TiDB `max_execution_time` (milliseconds, SELECTs). null = none.
   */
  statementTimeoutMs: number | null;
  /** Client-side time-out of one query (TypeORM's maxQueryExecutionTime + enableQueryTimeout): a stalled socket. null = none. */
  queryTimeoutMs: number | null;
}

/** The api: every request answers within 5 s. */
export const API_DATABASE_LIMITS: DatabaseLimits = {
  connectTimeoutMs: 2000,
  acquireTimeoutMs: 3000,
  queueLimit: 500,
  statementTimeoutMs: 4000,
  queryTimeoutMs: 4500,
};

/** Workers and command-line tools: nobody waits on an HTTP answer, long statements (statistics) are legitimate. */
export const WORKER_DATABASE_LIMITS: DatabaseLimits = {
  connectTimeoutMs: 5000,
  acquireTimeoutMs: 60_000,
  queueLimit: 0,
  statementTimeoutMs: null,
  queryTimeoutMs: null,
};

/** The session statement that sets the statement time limit, in the dialect of the server at hand. */
export function statementTimeoutSql(serverVersion: string, timeoutMs: number): string {
  return /mariadb/i.test(serverVersion)
    ? `SET SESSION max_statement_time = ${(timeoutMs / 1000).toFixed(3)}`
    : `SET SESSION max_execution_time = ${Math.round(timeoutMs)}`;
}

function codedError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

type GetConnectionCallback = (error: NodeJS.ErrnoException | null, connection: PoolConnection) => void;

/**
 * Emitted on the pool after every getConnection: (waitedMs, ok). Metrics listen to it; nothing else depends on it.
 * A pool's own 'acquire' event fires only for connections taken from the free list, not for waits or failures.
 */
export const POOL_ACQUIRED_EVENT = 'care:acquired';

/** A pool whose getConnection gives up after `acquireTimeoutMs`, and whose new connections get the statement limit. */
function guardPool(pool: Pool, limits: DatabaseLimits): Pool {
  if (limits.statementTimeoutMs !== null) {
    const timeoutMs = limits.statementTimeoutMs;
    pool.on('connection', (connection) => {
      const handshake = (connection as unknown as { _handshakePacket?: { serverVersion?: string } | null })
        ._handshakePacket;
      // queued on the connection before the caller's first statement, so it runs once per connection, first
      connection.query(statementTimeoutSql(handshake?.serverVersion ?? '', timeoutMs), () => undefined);
    });
  }
  const acquire = pool.getConnection.bind(pool) as (callback: GetConnectionCallback) => void;
  const bounded = (callback: GetConnectionCallback): void => {
    let settled = false;
    const started = performance.now();
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      pool.emit(POOL_ACQUIRED_EVENT, performance.now() - started, false);
      callback(
        codedError('POOL_ACQUIRE_TIMEOUT', `no database connection within ${limits.acquireTimeoutMs} ms`),
        undefined as unknown as PoolConnection,
      );
    }, limits.acquireTimeoutMs);
    acquire((error, connection) => {
      if (settled) {
        // the caller gave up already: hand the late connection straight back
        if (!error && connection) connection.release();
        return;
      }
      settled = true;
      clearTimeout(timer);
      pool.emit(POOL_ACQUIRED_EVENT, performance.now() - started, !error);
      if (error && error.message === 'Queue limit reached.') error.code = 'POOL_QUEUE_LIMIT';
      if (error && error.message === 'Pool is closed.') error.code = 'POOL_CLOSED';
      callback(error, connection);
    });
  };
  (pool as unknown as { getConnection: typeof bounded }).getConnection = bounded;
  return pool;
}

/** mysql2 as TypeORM's `driver` option, with guarded pools. */
export function guardedMysql2(limits: DatabaseLimits): typeof mysql2 {
  return {
    ...mysql2,
    createPool: (config: PoolOptions | string) => guardPool(mysql2.createPool(config as PoolOptions), limits),
  } as typeof mysql2;
}
