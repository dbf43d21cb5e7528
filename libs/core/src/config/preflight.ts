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

/**
 * Clean shutdown on SIGTERM/SIGINT: close the application (workers finish their running jobs, HTTP stops
 * accepting, the database pool closes), then exit 0. A second signal, or a close that hangs past the
 * grace period, exits at once.
 */
export function closeOnSignals(name: string, app: { close: () => Promise<void> }, graceMs = 60_000): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    console.log(`${name}: ${signal} received, shutting down`);
    const timer = setTimeout(() => {
      console.error(`${name}: shutdown took longer than ${graceMs} ms; exiting`);
      process.exit(1);
    }, graceMs);
    timer.unref();
    app.close().then(
      () => {
        console.log(`${name}: stopped cleanly`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`${name}: error while shutting down: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
