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

/** JSON lines to stdout (or to `destination`, which tests use to read what would be logged). */
export function createRootLogger(level: string, name: string, destination?: DestinationStream): PinoLogger {
  const options = { level, name, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } };
  return destination ? pino(options, destination) : pino(options);
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
