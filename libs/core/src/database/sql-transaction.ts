import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import type { Pool, PoolConnection, QueryError } from 'mysql2';
import { auditContext } from '../audit/audit-context';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { databaseNodeUrls, databaseNodes } from './database-url';
import { type DatabaseLimits, abandonNode, guardedMysql2 } from './guarded-pool';
import { TRANSACTION_LOST, WRITE_GUARD_MISSED, isNodeDownError } from './mysql-errors';
import {
  READ_COMMITTED_SESSION,
  TransactionRunner,
  retryOnLockError,
  type TransactionOptions,
} from './transaction-runner';

/** One statement and its values. The text is the program's own; every value goes through a `?` placeholder. */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
  /**
   * A guarded write (`UPDATE … WHERE id = ? AND status = ?`) that must match exactly one row: the runner follows it,
   * in the same round trip, with {@link WRITE_GUARD_SQL}, so a miss fails the transaction before its COMMIT runs.
   */
  readonly mustMatchOne?: true;
}

/**
 * Fails ("Subquery returns more than 1 row", ER_SUBQUERY_NO_1_ROW) unless the statement before it matched exactly one
 * row; ROW_COUNT() is the previous statement's matched rows (mysql2 connects with CLIENT_FOUND_ROWS). Plain SQL, so
 * MariaDB, MySQL and TiDB alike; `DO` would not do: it turns the error into a warning.
 *
 * Why: on one InnoDB node the FOR UPDATE read makes a miss impossible, but on Galera row locks are local to a node,
 * and a write that matched no row is not in the write-set, so certification cannot refuse the transaction: the
 * COMMIT sent in the same batch would commit the rest (a stay without its bed's status) before the client could see
 * the zero in the affected rows.
 */
export const WRITE_GUARD_SQL =
  'SELECT (SELECT n FROM (SELECT 1 AS n UNION ALL SELECT 2 AS n) AS write_guard WHERE ROW_COUNT() <> 1) AS write_guard';

/**
 * How a hot-path transaction opens and how it commits on a Galera node. The savepoint marks the transaction: RELEASE
 * SAVEPOINT, sent just before COMMIT in the same round trip, fails (ER_SP_DOES_NOT_EXIST) when the transaction it was
 * set in is no longer the session's, so the COMMIT after it never runs.
 *
 * Why (issue 16): on Galera a local transaction holding a row lock that a replicated write-set needs is aborted by
 * the applier (a brute-force abort) and rolled back. When that happens while a statement of a multi-statement round
 * trip runs that does not notice it, MariaDB (10.11) reports no deadlock: the statements after it in the same round
 * trip run outside the transaction, each committed on its own with autocommit, the final COMMIT commits nothing, and
 * the client sees OK or an unrelated error (a duplicate key) — a stay committed without its bed's status
 * (scripts/galera-abort-probe.js counts them). The hot pool's sessions therefore run with
 * autocommit off (set once per connection): statements after such an abort open a new implicit transaction, which
 * this check refuses to commit and the runner rolls back; the unit is retried as a whole. Two statements per
 * transaction, no round trip.
 */
const HOT_SAVEPOINT = 'hot_transaction';
const OPEN_ON_GALERA: readonly SqlStatement[] = [
  { sql: 'START TRANSACTION', params: [] },
  { sql: `SAVEPOINT ${HOT_SAVEPOINT}`, params: [] },
];
const CLOSE_ON_GALERA: readonly SqlStatement[] = [
  { sql: `RELEASE SAVEPOINT ${HOT_SAVEPOINT}`, params: [] },
  { sql: 'COMMIT', params: [] },
];

/**
 * The same on a single InnoDB node (MariaDB without wsrep, MySQL, TiDB): nothing rolls a transaction back under a
 * round trip without an error, and an error stops the rest of a multi-statement query, so COMMIT never runs after it;
 * and the FOR UPDATE reads hold the rows a guarded write matches, so it cannot miss (no {@link WRITE_GUARD_SQL}
 * either). Three statements fewer per admission; the server's CPU per statement is the cost saved.
 */
const OPEN_ON_SINGLE_NODE: readonly SqlStatement[] = [{ sql: 'START TRANSACTION', params: [] }];
const CLOSE_ON_SINGLE_NODE: readonly SqlStatement[] = [{ sql: 'COMMIT', params: [] }];

/**
 * Asks a new hot-pool connection whether its server is a Galera node (queued once per connection, before its first
 * transaction). MariaDB answers 1 or 0 (0: built with wsrep but not in a cluster); MySQL 8 and TiDB have no such
 * variable (ER_UNKNOWN_SYSTEM_VARIABLE): a single node.
 */
export const WSREP_ON_SQL = 'SELECT @@wsrep_on AS wsrep_on';

/** Whether the answer to {@link WSREP_ON_SQL} says Galera; any error but an unknown variable counts as Galera (the safe side). */
export function isGaleraAnswer(error: { code?: unknown } | null, rows: unknown): boolean {
  if (error) return error.code !== 'ER_UNKNOWN_SYSTEM_VARIABLE';
  const value = (rows as { wsrep_on?: unknown }[] | undefined)?.[0]?.wsrep_on;
  return value === 1 || value === '1' || String(value).toUpperCase() === 'ON';
}

/**
 * Injection token (optional): `'always'` makes every hot-path transaction take the Galera checks ({@link
 * OPEN_ON_GALERA}, {@link WRITE_GUARD_SQL}) whatever the server; the regression tests of issue 16 use it on a single
 * node. Unset (`'detect'`): each connection asks its server once ({@link WSREP_ON_SQL}).
 */
export const HOT_PATH_GALERA_CHECKS = Symbol('HOT_PATH_GALERA_CHECKS');
export type HotPathGaleraChecks = 'detect' | 'always';

/** Sent once per hot-pool connection (see {@link OPEN_ON_GALERA}): a statement outside a transaction is never committed alone. */
export const AUTOCOMMIT_OFF_SESSION = 'SET SESSION autocommit = 0';

/**
 * The transaction the round trip ran in had ended before its COMMIT (rolled back under it: on Galera, a brute-force
 * abort that the statement running did not report). Nothing of it is committed; retried as a whole (isLockError).
 */
export class TransactionLostError extends Error {
  readonly code = TRANSACTION_LOST;
  constructor(cause: unknown) {
    super('the transaction was rolled back under its round trip; nothing was committed', { cause });
  }
}

/** The same statement, marked as a guarded write that must match exactly one row (see {@link SqlStatement}). */
export function mustMatchOne(statement: SqlStatement): SqlStatement {
  return { ...statement, mustMatchOne: true };
}

/**
 * A guarded write of the transaction matched no row: what it read has changed since (on Galera, a stale read or
 * another node's write). Nothing was committed; retried as a whole like a deadlock (isLockError), 503 BUSY at the end.
 */
export class WriteGuardMissedError extends Error {
  readonly code = WRITE_GUARD_MISSED;
  constructor(cause: unknown) {
    super('a guarded write matched no row: the row changed after it was read; nothing was committed', { cause });
  }
}

/** What one statement returned: its rows (a SELECT) or the server's OK packet (a write). */
export type SqlResult =
  readonly Record<string, unknown>[] | { readonly affectedRows: number; readonly insertId?: number };

export const DATABASE_LIMITS = Symbol('DATABASE_LIMITS');

/** A statement; refuses text whose `?` count differs from the values given (a value spliced into the text, or one missing). */
export function stmt(sql: string, params: readonly unknown[] = []): SqlStatement {
  const text = sql.trim().replace(/;+$/, '');
  const placeholders = (text.match(/\?/g) ?? []).length;
  if (placeholders !== params.length) {
    throw new Error(`statement has ${placeholders} placeholders but ${params.length} values`);
  }
  if (text.includes(';')) throw new Error('one statement per stmt(): no ";" inside');
  return { sql: text, params };
}

/** The rows of a SELECT's result. */
export function rowsOf<T>(result: SqlResult | undefined): T[] {
  if (!Array.isArray(result)) throw new Error('expected the rows of a SELECT');
  return result as T[];
}

/** How many rows a write changed (or matched, for an UPDATE that set them to what they were). */
export function affectedRowsOf(result: SqlResult | undefined): number {
  if (!result || Array.isArray(result)) throw new Error('expected the result of a write');
  return (result as { affectedRows: number }).affectedRows;
}

/**
 * One transaction on the hot path. Each `batch` is ONE round trip (the statements sent together, as one
 * multi-statement query); the first also opens the transaction, `commit` sends its statements, the request's audit
 * event and COMMIT together.
 */
export interface SqlTransaction {
  batch(statements: readonly SqlStatement[]): Promise<SqlResult[]>;
  commit(statements?: readonly SqlStatement[]): Promise<SqlResult[]>;
  /** Round trips sent so far (for tests that hold the hot paths to their ceilings). */
  readonly roundTrips: number;
}

type Send = (sql: string, values: unknown[]) => Promise<unknown>;

class Transaction implements SqlTransaction {
  started = false;
  finished = false;
  roundTrips = 0;

  constructor(
    private readonly send: Send,
    private readonly beforeCommit: () => readonly SqlStatement[],
    /** The Galera checks (savepoint, write guards) or a single node's plain transaction. */
    private readonly galera: boolean,
  ) {}

  batch(statements: readonly SqlStatement[]): Promise<SqlResult[]> {
    if (this.finished) throw new Error('the transaction is over');
    return this.roundTrip(statements, false);
  }

  commit(statements: readonly SqlStatement[] = []): Promise<SqlResult[]> {
    if (this.finished) throw new Error('the transaction is over');
    return this.roundTrip(statements, true);
  }

  private async roundTrip(statements: readonly SqlStatement[], commit: boolean): Promise<SqlResult[]> {
    const galera = this.galera;
    const all: SqlStatement[] = this.started ? [] : [...(galera ? OPEN_ON_GALERA : OPEN_ON_SINGLE_NODE)];
    // on Galera each guarded write is followed by its guard; `callers` remembers where the caller's own results are
    const callers: number[] = [];
    for (const statement of statements) {
      callers.push(all.length);
      all.push(statement);
      if (galera && statement.mustMatchOne) all.push({ sql: WRITE_GUARD_SQL, params: [] });
    }
    if (commit) all.push(...this.beforeCommit(), ...(galera ? CLOSE_ON_GALERA : CLOSE_ON_SINGLE_NODE));
    if (all.length === 0) return [];
    // from here on the server may hold an open transaction: a failure must roll it back
    this.started = true;
    this.roundTrips++;
    let raw: unknown;
    try {
      raw = await this.send(
        all.map((s) => s.sql).join(';\n'),
        all.flatMap((s) => s.params),
      );
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (galera && code === 'ER_SUBQUERY_NO_1_ROW' && statements.some((s) => s.mustMatchOne)) {
        throw new WriteGuardMissedError(error);
      }
      if (galera && code === 'ER_SP_DOES_NOT_EXIST' && commit) throw new TransactionLostError(error);
      throw error;
    }
    if (commit) this.finished = true;
    const results = (all.length === 1 ? [raw] : raw) as SqlResult[];
    return callers.map((i) => results[i]);
  }
}

/**
 * A thin transaction path over mysql2 for the hot write transactions (admission, transfer, discharge, care order,
 * check-in/out), beside TypeORM's TransactionRunner: TypeORM's query runner costs a round trip per statement and
 * much CPU per call. Same rules as TransactionRunner: READ COMMITTED (set once per connection), the whole unit
 * retried on a deadlock or lock-wait time-out, the request's audit event written before COMMIT with the same hook,
 * the statement time limit and the pool's acquire time-out (→ 503) of the process's DatabaseLimits.
 *
 * Its own small pool (DB_HOT_POOL_SIZE, at most 10) is the only one with `multipleStatements`: the statements of a
 * round trip are joined, and only ever with placeholders ({@link stmt} counts them). Created on first use, so a
 * process that never runs a hot path opens no connection.
 */
@Injectable()
export class SqlTransactionRunner implements OnModuleDestroy {
  private readonly logger = new Logger(SqlTransactionRunner.name);
  private pool: Pool | null = null;
  private readonly poolWatchers: ((pool: Pool) => void)[] = [];
  /** Per hot-pool connection: whether its server is a Galera node (a promise until its answer to WSREP_ON_SQL came). */
  private readonly galeraNodes = new WeakMap<PoolConnection, boolean | Promise<boolean>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_LIMITS) private readonly limits: DatabaseLimits,
    private readonly tx: TransactionRunner,
    @Optional() @Inject(HOT_PATH_GALERA_CHECKS) private readonly galeraChecks: HotPathGaleraChecks = 'detect',
  ) {}

  async run<T>(work: (tx: SqlTransaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return retryOnLockError(() => this.once(work, options.audit !== false), options.retries ?? 3, this.logger);
  }

  /** The hot pool once a hot path created it, else null: metrics read its counts. */
  get hotPool(): Pool | null {
    return this.pool;
  }

  /** Calls `watch` with the hot pool as soon as it exists (now, or when a hot path creates it): metrics listen to it. */
  watchPool(watch: (pool: Pool) => void): void {
    if (this.pool) watch(this.pool);
    else this.poolWatchers.push(watch);
  }

  async onModuleDestroy(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await new Promise<void>((resolve) => pool.end(() => resolve()));
  }

  private async once<T>(work: (tx: SqlTransaction) => Promise<T>, audited: boolean): Promise<T> {
    const connection = await this.acquire();
    const scope = audited ? auditContext.current() : undefined;
    const mark = auditContext.mark();
    const hook = this.tx.auditHook;
    const send: Send = (sql, values) => this.query(connection, sql, values);
    let galera = this.galeraChecks === 'always' || (this.galeraNodes.get(connection) ?? true);
    if (typeof galera !== 'boolean') galera = await galera;
    const transaction = new Transaction(
      send,
      () => (hook && scope?.kind === 'write' ? hook.statementsBeforeCommit(scope) : []),
      galera,
    );
    let broken = false;
    let nodeDown = false;
    try {
      const result = await work(transaction);
      if (!transaction.finished) await transaction.commit();
      if (scope?.kind === 'write') scope.eventCommitted = true;
      return result;
    } catch (error) {
      // the notes of this attempt went with its rows; a retry notes its own
      auditContext.restore(mark);
      // a node gone or out of the cluster: never reuse the connection, and the pool moves to the next node
      if (isNodeDownError(error)) nodeDown = true;
      else if ((error as { fatal?: boolean }).fatal) broken = true;
      else if (transaction.started && !transaction.finished) {
        try {
          await this.query(connection, 'ROLLBACK', []);
        } catch {
          // the original error says more (a lost connection fails both); the connection is not reused
          broken = true;
        }
      }
      throw error;
    } finally {
      if (nodeDown) abandonNode(connection);
      else if (broken) connection.destroy();
      else connection.release();
    }
  }

  private acquire(): Promise<PoolConnection> {
    let pool = this.pool;
    if (!pool) {
      pool = this.pool = this.createPool();
      for (const watch of this.poolWatchers.splice(0)) watch(pool);
    }
    const created = pool;
    return new Promise((resolve, reject) => {
      created.getConnection((error, connection) => (error ? reject(error) : resolve(connection)));
    });
  }

  private query(connection: PoolConnection, sql: string, values: unknown[]): Promise<unknown> {
    const timeout = this.limits.queryTimeoutMs ?? undefined;
    return new Promise((resolve, reject) => {
      connection.query({ sql, values, timeout }, (error: QueryError | null, result: unknown) =>
        error ? reject(error) : resolve(result),
      );
    });
  }

  /** The options TypeORM's pool is given (dataSourceOptions), so values are written and read back alike. */
  private createPool(): Pool {
    const pool = guardedMysql2(this.limits, databaseNodes(this.config.databaseUrl)).createPool({
      uri: databaseNodeUrls(this.config.databaseUrl)[0],
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: true,
      connectTimeout: this.limits.connectTimeoutMs,
      connectionLimit: this.config.database.hotPoolSize,
      maxIdle: this.config.database.hotPoolSize,
      waitForConnections: true,
      queueLimit: this.limits.queueLimit,
      enableKeepAlive: true,
      multipleStatements: true,
    });
    // queued before the first transaction on each new connection, after the statement limit (guardedMysql2)
    pool.on('connection', (connection) => {
      connection.query(READ_COMMITTED_SESSION, () => undefined);
      connection.query(AUTOCOMMIT_OFF_SESSION, () => undefined);
      if (this.galeraChecks === 'always') return;
      const nodes = this.galeraNodes;
      // never rejects: a failure (a time-out included) keeps the checks, and the connection's next query fails too
      const timeout = this.limits.queryTimeoutMs ?? undefined;
      const detected = new Promise<boolean>((resolve) =>
        connection.query({ sql: WSREP_ON_SQL, timeout }, (error: QueryError | null, rows: unknown) => {
          const galera = isGaleraAnswer(error, rows);
          nodes.set(connection, galera);
          resolve(galera);
        }),
      );
      nodes.set(connection, detected);
    });
    return pool;
  }
}
