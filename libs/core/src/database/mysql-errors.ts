/** Recognises MySQL/MariaDB driver errors, whether raw (mysql2) or wrapped by TypeORM (QueryFailedError.driverError). */
function driverCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.code === 'string') return e.code;
  if (e.driverError && typeof e.driverError.code === 'string') return e.driverError.code;
  return undefined;
}

export function isDuplicateKeyError(error: unknown): boolean {
  return driverCode(error) === 'ER_DUP_ENTRY';
}

/** The code of SqlTransaction's WriteGuardMissedError: a guarded write matched no row, nothing was committed. */
export const WRITE_GUARD_MISSED = 'WRITE_GUARD_MISSED';

/** The code of SqlTransaction's TransactionLostError: the transaction ended under its round trip, nothing committed. */
export const TRANSACTION_LOST = 'TRANSACTION_LOST';

/**
 * Deadlocks and lock-wait time-outs: the transaction was rolled back and can be retried as a whole. On Galera a
 * certification failure (another node committed a conflicting write-set first) is reported as ER_LOCK_DEADLOCK too,
 * at COMMIT or at any statement after a brute-force abort, and is retried the same way; so is a node that left the
 * primary component (ER_UNKNOWN_COM_ERROR, "WSREP has not yet prepared node for application use"): the
 * transaction never ran there, and the retry runs on the next node (isWsrepNotReadyError). So is a hot-path
 * transaction whose guarded write matched no row (WRITE_GUARD_MISSED) or that ended under its round trip
 * (TRANSACTION_LOST): rolled back before its COMMIT.
 */
export function isLockError(error: unknown): boolean {
  const code = driverCode(error);
  return (
    code === 'ER_LOCK_DEADLOCK' ||
    code === 'ER_LOCK_WAIT_TIMEOUT' ||
    code === 'ER_UNKNOWN_COM_ERROR' ||
    code === WRITE_GUARD_MISSED ||
    code === TRANSACTION_LOST
  );
}

/** Error 1047: a Galera node that is not (yet, or no longer) part of the primary component refuses statements. */
export function isWsrepNotReadyError(error: unknown): boolean {
  return driverCode(error) === 'ER_UNKNOWN_COM_ERROR';
}

/** The node cannot be reached or dropped the connection: the pool moves to the next node of DATABASE_URL. */
export function isNodeDownError(error: unknown): boolean {
  const code = driverCode(error);
  return (
    code === 'ECONNREFUSED' ||
    code === 'ETIMEDOUT' ||
    code === 'EHOSTUNREACH' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'PROTOCOL_CONNECTION_LOST' ||
    code === 'ER_SERVER_SHUTDOWN' ||
    code === 'ER_CONNECTION_KILLED' ||
    isWsrepNotReadyError(error)
  );
}

/** A lock taken with NOWAIT is held by another transaction (MariaDB reports a lock-wait time-out, MySQL 8 its own code). */
export function isLockBusyError(error: unknown): boolean {
  const code = driverCode(error);
  return code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'ER_LOCK_NOWAIT';
}

/** The name of the unique index a duplicate-key error hit, e.g. "uq_stays_active_bed". */
export function duplicateKeyName(error: unknown): string | undefined {
  const e = error as { message?: string; driverError?: { message?: string; sqlMessage?: string } };
  const message = e?.driverError?.sqlMessage ?? e?.driverError?.message ?? e?.message ?? '';
  const match = /for key '(?:[^.']*\.)?([^']+)'/.exec(message);
  return match?.[1];
}
