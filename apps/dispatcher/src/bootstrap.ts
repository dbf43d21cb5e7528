import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfig, JobWorkerHost, PinoNestLogger, QUEUE_NAMES, QueueName, createRootLogger } from '@care/core';
import { DispatcherModule } from './dispatcher.module';

/**
 * The dispatch worker: an application context without HTTP. Domain jobs modules register their handlers
 * while the context initialises; then one BullMQ worker per queue starts. SIGTERM closes the workers,
 * which lets running jobs finish, then closes the database, so nothing is left half done.
 */
export async function createDispatcher(
  config: AppConfig,
  queues: readonly QueueName[] = QUEUE_NAMES,
): Promise<INestApplicationContext> {
  const logger = new PinoNestLogger(createRootLogger(config.logLevel, 'dispatcher'));
  const app = await NestFactory.createApplicationContext(DispatcherModule.forRoot(config), {
    logger,
    bufferLogs: true,
  });
  // bufferLogs holds every Nest Logger line until a flush: without it, no warning would ever be written
  app.flushLogs();
  const host = app.get(JobWorkerHost);
  const registered = queues.filter((queue) => host.canServe(queue));
  host.start(registered, { dispatch: config.dispatch.concurrency });
  logger.log(
    `dispatcher ready (pid ${process.pid}), serving queues: ${registered.join(', ') || 'none yet'}`,
    'Dispatcher',
  );
  return app;
}
