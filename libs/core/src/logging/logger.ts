import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';

/** Paths that must never reach a log: credentials and the resident ID number. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.idNumber',
  '*.accessToken',
  'body.password',
  'body.idNumber',
];

/** What an error may say in a log: its kind, codes and a message with the values taken out. */
export interface SafeError {
  type: string;
  message: string;
  code?: string;
  errno?: number;
  sqlState?: string;
  stack?: string;
}

const MAX_MESSAGE = 300;

/**
 * A driver message without the values it quotes: MariaDB/MySQL quote the offending value ("Duplicate entry
 * '张秀英-138…' for key …", "… near 'WHERE id_number = …'"), so every quoted literal and every run of 6+ digits goes.
 */
export function messageWithoutValues(message: string): string {
  return message
    .replace(/'(?:[^'\\]|\\.)*'/g, "'?'")
    .replace(/"(?:[^"\\]|\\.)*"/g, '"?"')
    .replace(/\d{6,}[\dXx]?/g, '#')
    .slice(0, MAX_MESSAGE);
}

/**
 * pino's `err` serializer. pino's standard one copies every enumerable property: mysql2's `sql` and `sqlMessage`
 * (values inline), TypeORM's QueryFailedError `query`, `parameters` and `driverError`. This one keeps the error's
 * type, code, errno, SQL state, a message without values and the stack frames (not the stack's message line).
 */
export function serializeError(error: unknown): SafeError {
  if (typeof error !== 'object' || error === null) {
    return { type: typeof error, message: messageWithoutValues(String(error)) };
  }
  if (isSafeError(error)) return error;
  const e = error as { name?: unknown; message?: unknown; stack?: unknown; constructor?: { name?: string } };
  const raw = error as { code?: unknown; errno?: unknown; sqlState?: unknown; driverError?: unknown };
  const driver = (typeof raw.driverError === 'object' && raw.driverError !== null ? raw.driverError : error) as {
    code?: unknown;
    errno?: unknown;
    sqlState?: unknown;
  };
  const code = typeof driver.code === 'string' ? driver.code : typeof raw.code === 'string' ? raw.code : undefined;
  const errno = typeof driver.errno === 'number' ? driver.errno : typeof raw.errno === 'number' ? raw.errno : undefined;
  const sqlState = typeof driver.sqlState === 'string' ? driver.sqlState : undefined;
  const type = typeof e.name === 'string' && e.name !== 'Error' ? e.name : (e.constructor?.name ?? 'Error');
  const safe: SafeError = { type, message: messageWithoutValues(typeof e.message === 'string' ? e.message : '') };
  if (code !== undefined) safe.code = code;
  if (errno !== undefined) safe.errno = errno;
  if (sqlState !== undefined) safe.sqlState = sqlState;
  if (typeof e.stack === 'string') {
    const frames = e.stack.split('\n').filter((line) => /^\s+at /.test(line));
    safe.stack = [`${type}: ${safe.message}`, ...frames].join('\n');
  }
  return safe;
}

/** Already serialized (a plain object of our shape): serializing twice changes nothing. */
function isSafeError(value: object): value is SafeError {
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  const v = value as Record<string, unknown>;
  const allowed = new Set(['type', 'message', 'code', 'errno', 'sqlState', 'stack']);
  return typeof v.type === 'string' && typeof v.message === 'string' && Object.keys(v).every((key) => allowed.has(key));
}

/** The serializers every logger of ours uses (the root logger and pino-http). */
export const ERROR_SERIALIZERS = { err: serializeError, error: serializeError };

/** Log lines are written in blocks of at least this many bytes, or every LOG_FLUSH_MS when fewer have been written. */
export const LOG_BLOCK_BYTES = 8192;
export const LOG_FLUSH_MS = 200;

/**
 * JSON lines to stdout (or to `destination`, which tests use to read what would be logged). Written asynchronously
 * and in blocks: a write per request line is a system call per request plus a wake-up of whatever reads stdout
 * (measured with `npm run bench admissions`: request logging cost 0.2 ms of api CPU per admission, about a tenth of
 * the api's throughput, with a write per line). A block holds some 40 request lines; a quiet process's lines still
 * appear within LOG_FLUSH_MS, and pino writes out what is left when the process exits.
 */
export function createRootLogger(level: string, name: string, destination?: DestinationStream): PinoLogger {
  const options = {
    level,
    name,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { pid: process.pid },
    serializers: ERROR_SERIALIZERS,
  };
  return pino(
    options,
    destination ?? pino.destination({ dest: 1, sync: false, minLength: LOG_BLOCK_BYTES, periodicFlush: LOG_FLUSH_MS }),
  );
}

/** Nest's start-up chatter (one line per module and route): kept, but at debug level. */
const FRAMEWORK_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

/** Nest's LoggerService on top of pino, so framework and domain logs are the same JSON lines. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pinoLogger: PinoLogger) {}

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, params: unknown[]): void {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    if (typeof message === 'object' && message !== null) {
      this.pinoLogger[level]({ context, ...(message as object) }, params.map(String).join(' ') || undefined);
    } else {
      const stack = level === 'error' && typeof params[0] === 'string' ? params[0] : undefined;
      this.pinoLogger[level]({ context, stack }, String(message));
    }
  }

  log(message: unknown, ...params: unknown[]): void {
    const context = params[params.length - 1];
    this.write(typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
}
