import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's logger, without SQL text or parameters (they carry names, phones, addresses and ID-number hashes).
 * TypeORM's own console logger prints slow queries with their parameters whatever `logging` says; this one reports
 * only how long a slow query took. Failed queries are not logged here: the caller's error reaches the exception
 * filter, which logs it through the error serializer.
 */
export class SafeTypeOrmLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {
    // never: every statement with its parameters
  }
  logQueryError(): void {
    // the error travels to the caller
  }
  logQuerySlow(time: number): void {
    this.logger.warn(`a statement took ${time} ms`);
  }
  logSchemaBuild(): void {
    // schema sync is off
  }
  logMigration(): void {
    // `npm run migrate` reports the migrations it applied itself
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    // TypeORM's info lines (the migration glob) are noise; its warnings are about connections, not statements
    if (level === 'warn') this.logger.warn(typeof message === 'string' ? message : 'database driver warning');
  }
}
