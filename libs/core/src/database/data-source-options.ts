import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { SafeTypeOrmLogger } from '../logging/typeorm-logger';
import { databaseNodeUrls, databaseNodes, mapDatabaseUrl } from './database-url';
import { type DatabaseLimits, WORKER_DATABASE_LIMITS, guardedMysql2 } from './guarded-pool';

/**
 * Migrations live beside their domain: libs/<domain>/src/migrations/*. The glob works both from sources
 * (jest, ts) and from the compiled tree (dist/libs/...), because the relative layout is the same.
 */
export const MIGRATIONS_GLOB = join(__dirname, '..', '..', '..', '*', 'src', 'migrations', '*.{ts,js}');

/**
 * `limits` bound every wait on the database (connect, pool acquire, statement, query): the api passes
 * API_DATABASE_LIMITS so an outage answers 503 within 5 s; workers and tools keep the patient defaults.
 * A DATABASE_URL naming several nodes (database-url.ts) gives TypeORM the first node's URL and the pool the list to
 * fail over along (guarded-pool.ts).
 */
export function dataSourceOptions(
  config: Pick<AppConfig, 'databaseUrl'>,
  overrides: Partial<DataSourceOptions> = {},
  limits: DatabaseLimits = WORKER_DATABASE_LIMITS,
) {
  const options = {
    type: 'mysql',
    url: databaseNodeUrls(config.databaseUrl)[0],
    charset: 'utf8mb4_unicode_ci',
    // Every DATETIME is stored in UTC; the API renders Asia/Shanghai offsets.
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: true,
    synchronize: false,
    migrationsRun: false,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    // one transaction per migration: MySQL DDL commits implicitly anyway, so keep each step small and ordered
    migrationsTransactionMode: 'each',
    driver: guardedMysql2(limits, databaseNodes(config.databaseUrl)),
    connectTimeout: limits.connectTimeoutMs,
    ...(limits.queryTimeoutMs === null
      ? {}
      : { maxQueryExecutionTime: limits.queryTimeoutMs, enableQueryTimeout: true }),
    // TypeORM's own console logger prints SQL text and parameters (slow queries always): never use it
    logger: new SafeTypeOrmLogger(),
    extra: { connectionLimit: 20, waitForConnections: true, queueLimit: limits.queueLimit, enableKeepAlive: true },
    ...overrides,
  } as DataSourceOptions;
  return options;
}

/** The database name in a mysql:// URL, and the same URL pointing at another database. */
export function databaseNameOf(url: string): string {
  const name = new URL(databaseNodeUrls(url)[0]).pathname.replace(/^\//, '');
  if (!name) throw new Error('DATABASE_URL must name a database, e.g. mysql://root:@127.0.0.1:3306/care');
  return decodeURIComponent(name);
}

export function withDatabase(url: string, database: string): string {
  return mapDatabaseUrl(url, (node) => {
    node.pathname = `/${encodeURIComponent(database)}`;
  });
}
