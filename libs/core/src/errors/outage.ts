import { ServiceUnavailableError } from './domain-error';

/**
 * Driver errors that mean "the database is out of reach or did not answer in time", as opposed to errors of the
 * statement itself. mysql2 codes, MariaDB's and MySQL 8's statement-time-limit codes, and our pool's acquire bound.
 */
const DATABASE_OUTAGE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  // a Galera node out of the primary component (WSREP not ready), once the retries on the next nodes ran out
  'ER_UNKNOWN_COM_ERROR',
  // MariaDB max_statement_time, MySQL 8 max_execution_time
  'ER_STATEMENT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
  'ER_QUERY_INTERRUPTED',
  'POOL_ACQUIRE_TIMEOUT',
  'POOL_QUEUE_LIMIT',
  'POOL_CLOSED',
]);
/** errno values of the statement-time-limit errors, for drivers that leave `code` unset. */
const DATABASE_OUTAGE_ERRNOS = new Set([1969, 3024, 1317, 1040, 1053]);
const DATABASE_OUTAGE_MESSAGES =
  /^(Queue limit reached\.|Pool is closed\.|Can't add new command when connection is in closed state|Connection lost)/;

/**
 * ioredis's words for "not connected" (offline queue disabled, closed, command time-out, retries exhausted), and a
 * Redis Cluster's (no slots known yet, a slot without a master during a fail-over).
 */
const REDIS_OUTAGE_MESSAGES =
  /Stream isn't writeable|enableOfflineQueue|Connection is closed|Command timed out|Reached the max retries per request limit|connect ETIMEDOUT|ECONNREFUSED|Redis unavailable|Cluster isn't ready|CLUSTERDOWN|Failed to refresh slots cache|None of startup nodes is available/;

interface DriverLike {
  code?: unknown;
  errno?: unknown;
  message?: unknown;
  name?: unknown;
  driverError?: DriverLike;
}

function asDriverLike(error: unknown): DriverLike | undefined {
  return typeof error === 'object' && error !== null ? (error as DriverLike) : undefined;
}

export function isDatabaseOutage(error: unknown): boolean {
  const e = asDriverLike(error);
  if (!e) return false;
  if (e.driverError && isDatabaseOutage(e.driverError)) return true;
  if (typeof e.code === 'string' && DATABASE_OUTAGE_CODES.has(e.code)) return true;
  if (typeof e.errno === 'number' && DATABASE_OUTAGE_ERRNOS.has(e.errno)) return true;
  return typeof e.message === 'string' && DATABASE_OUTAGE_MESSAGES.test(e.message);
}

export function isRedisOutage(error: unknown): boolean {
  const e = asDriverLike(error);
  if (!e) return false;
  if (e.name === 'MaxRetriesPerRequestError') return true;
  return typeof e.message === 'string' && REDIS_OUTAGE_MESSAGES.test(e.message);
}

/**
 * The typed 503 for an error that means a service is out of reach, or undefined for any other error. Database
 * errors are recognised by driver code; Redis errors by ioredis's messages (its errors carry no codes).
 */
export function asServiceUnavailable(error: unknown): ServiceUnavailableError | undefined {
  if (error instanceof ServiceUnavailableError) return error;
  if (isDatabaseOutage(error)) return new ServiceUnavailableError('database');
  if (isRedisOutage(error)) return new ServiceUnavailableError('redis');
  return undefined;
}
