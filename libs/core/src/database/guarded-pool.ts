import * as mysql2 from 'mysql2';
import type { Pool, PoolConnection, PoolOptions } from 'mysql2';
import type { DatabaseNode } from './database-url';
import { isNodeDownError } from './mysql-errors';

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

/** Galera's causal reads for a session: every read waits for the write-sets committed before it (wsrep_sync_wait). */
export const CAUSAL_READS_SESSION = 'SET SESSION wsrep_sync_wait = 1';

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

/** Which node of DATABASE_URL a pool opens its new connections to (pools of a multi-node URL only). */
interface Failover {
  nodes: DatabaseNode[];
  current: number;
}
const failovers = new WeakMap<Pool, Failover>();

interface PoolInternals {
  config: { connectionConfig: { host: string; port: number } };
}

/** The node a pool opens connections to now (its only node for a single-node URL). */
export function currentNodeOf(pool: Pool): DatabaseNode {
  const { host, port } = (pool as unknown as PoolInternals).config.connectionConfig;
  return { host, port };
}

/**
 * The pool's node failed (refused or dropped a connection, or is not in the primary component): its next new
 * connection goes to the next node of DATABASE_URL, round the list. `failed` is the node that failed, so that many
 * callers hit by the same failure move the pool once, not once each. Free connections to the failed node are closed.
 * Returns whether the pool moved. A pool of a single-node URL never moves.
 */
export function moveToNextNode(pool: Pool, failed: DatabaseNode): boolean {
  const failover = failovers.get(pool);
  if (!failover) return false;
  const now = failover.nodes[failover.current];
  if (now.host !== failed.host || now.port !== failed.port) return false;
  failover.current = (failover.current + 1) % failover.nodes.length;
  const next = failover.nodes[failover.current];
  Object.assign((pool as unknown as PoolInternals).config.connectionConfig, { host: next.host, port: next.port });
  const free = (pool as unknown as { _freeConnections?: { toArray?: () => PoolConnection[] } })._freeConnections;
  for (const connection of free?.toArray?.() ?? []) {
    const config = (connection as unknown as { config: DatabaseNode }).config;
    if (config.host === failed.host && config.port === failed.port) connection.destroy();
  }
  pool.emit(NODE_CHANGED_EVENT, failed, next);
  return true;
}

/** Emitted on a pool when it moved to another node: (failed, next). */
export const NODE_CHANGED_EVENT = 'care:node-changed';

/**
 * A connection failed in a way that says its node is gone or out of the cluster: it is closed (never reused) and its
 * pool moves to the next node. For callers holding a connection (the transaction runners).
 */
export function abandonNode(connection: PoolConnection): void {
  const pool = (connection as unknown as { _pool?: Pool | null })._pool;
  const { host, port } = (connection as unknown as { config: DatabaseNode }).config;
  connection.destroy();
  if (pool) moveToNextNode(pool, { host, port });
}

/**
 * A pool whose getConnection gives up after `acquireTimeoutMs`, and whose new connections get the statement limit.
 * With several nodes, a connection that cannot be opened moves the pool to the next node and is tried there, each
 * node once, within the same time-out.
 */
function guardPool(pool: Pool, limits: DatabaseLimits, nodes: DatabaseNode[] = []): Pool {
  if (nodes.length > 1) {
    failovers.set(pool, { nodes, current: 0 });
    Object.assign((pool as unknown as PoolInternals).config.connectionConfig, {
      host: nodes[0].host,
      port: nodes[0].port,
    });
  }
  if (nodes.length > 1) {
    // several nodes mean Galera: reads are made causal (each waits until this node has applied every write-set the
    // cluster committed before it), so a row written through one node is seen through the next one (a user created
    // on node 1, logging in through node 2) and the hot path's locking reads do not decide from stale rows. Once per
    // connection, queued before its first statement: no round trip of a transaction's own. MariaDB only (MySQL has
    // no such variable); a single-node URL never sends it.
    pool.on('connection', (connection) => {
      const handshake = (connection as unknown as { _handshakePacket?: { serverVersion?: string } | null })
        ._handshakePacket;
      if (/mariadb/i.test(handshake?.serverVersion ?? '')) connection.query(CAUSAL_READS_SESSION, () => undefined);
    });
  }
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
    let attempts = 0;
    let tried = currentNodeOf(pool);
    const attempt = (): void => acquire(onAcquired);
    const onAcquired: GetConnectionCallback = (error, connection) => {
      if (error && !settled && isNodeDownError(error) && failovers.has(pool) && attempts < nodes.length - 1) {
        // this node is down: the next one, within the same time-out
        attempts++;
        moveToNextNode(pool, tried);
        tried = currentNodeOf(pool);
        attempt();
        return;
      }
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
    };
    attempt();
  };
  (pool as unknown as { getConnection: typeof bounded }).getConnection = bounded;
  return pool;
}

/** mysql2 as TypeORM's `driver` option, with guarded pools; `nodes`: DATABASE_URL's nodes when it names several. */
export function guardedMysql2(limits: DatabaseLimits, nodes: DatabaseNode[] = []): typeof mysql2 {
  return {
    ...mysql2,
    createPool: (config: PoolOptions | string) => guardPool(mysql2.createPool(config as PoolOptions), limits, nodes),
  } as typeof mysql2;
}
