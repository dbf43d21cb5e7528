import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, JobWorkerHost, PinoNestLogger, QUEUE_NAMES, QueueName, createRootLogger } from '@care/core';
import { DispatcherModule } from './dispatcher.module';
import { DISPATCHER_JOB_MODULES } from './dispatcher.modules';

/**
 * The dispatch worker: an application context without HTTP. Domain jobs modules register their handlers
 * while the context initialises; then one BullMQ worker per queue starts, with the job catalogue's schedules of
 * those queues. A queue with a job no module handles stops the start (the context is closed, the error names the
 * jobs): main exits 1 rather than leave the job silently unserved. SIGTERM stops the workers first (stopDispatcher),
 * which lets running jobs finish, then closes the application and its database, so nothing is left half done.
 */
export async function createDispatcher(
  config: AppConfig,
  queues: readonly QueueName[] = QUEUE_NAMES,
  jobModules: readonly Type[] = DISPATCHER_JOB_MODULES,
): Promise<INestApplicationContext> {
  const logger = new PinoNestLogger(createRootLogger(config.logLevel, 'dispatcher'));
  const app = await NestFactory.createApplicationContext(DispatcherModule.forRoot(config, jobModules), {
    logger,
    bufferLogs: true,
  });
  // bufferLogs holds every Nest Logger line until a flush: without it, no warning would ever be written
  app.flushLogs();
  try {
    await app.get(JobWorkerHost).start(queues, { dispatch: config.dispatch.concurrency });
  } catch (error) {
    await app.close();
    throw error;
  }
  logger.log(`dispatcher ready (pid ${process.pid}), serving queues: ${queues.join(', ')}`, 'Dispatcher');
  return app;
}

/**
 * Stops a dispatcher: first the workers (no new job; the running ones finish), then the application. In that order
 * because Nest's close runs every onModuleDestroy (the hot-path pool's end, the audit hook's removal) before any
 * onApplicationShutdown, where the workers would otherwise stop: a job still running then would lose its pool and its
 * audit rows.
 */
export async function stopDispatcher(app: INestApplicationContext): Promise<void> {
  await app.get(JobWorkerHost).stop();
  await app.close();
}
