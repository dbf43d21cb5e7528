import { assertDatabaseReachable } from '../database/preflight';
import { assertRedisReachable } from '../queue/redis';
import type { AppConfig } from './app-config';
import { redactUrl } from './redact';

/** Checks both services once at start, so a process exits with a clear message instead of hanging. */
export async function assertServicesReachable(config: AppConfig): Promise<void> {
  await assertDatabaseReachable(config.databaseUrl).catch((error: Error) => {
    throw new Error(`Cannot reach the database at DATABASE_URL=${redactUrl(config.databaseUrl)}: ${error.message}`);
  });
  await assertRedisReachable(config.redisUrl).catch((error: Error) => {
    throw new Error(`Cannot reach Redis at REDIS_URL=${redactUrl(config.redisUrl)}: ${error.message}`);
  });
}

/** Runs a process entry point: a ConfigError or a start-up failure is one clear line and exit code 1. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`${name} failed to start: ${message}`);
    process.exit(1);
  });
}
