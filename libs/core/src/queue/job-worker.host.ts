import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JobName, JobPayloads, QueueName, jobsOfQueue } from './job-catalogue';
import { closeWhenReady } from './job-queue.service';
import { messageWithoutValues } from '../logging/logger';
import { createRedis } from './redis';

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], job: Job<JobPayloads[N]>) => Promise<unknown>;

/**
 * Consumer side: domain jobs modules register one handler per job name; the dispatcher app then starts
 * one BullMQ worker per queue. It refuses to start a queue whose jobs lack a handler, and on shutdown it
 * lets running jobs finish (BullMQ's close waits for them), so no job is lost.
 */
@Injectable()
export class JobWorkerHost implements OnApplicationShutdown {
  private readonly logger = new Logger(JobWorkerHost.name);
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly workers: Worker[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`Job ${name} has two handlers`);
    this.handlers.set(name, handler as unknown as JobHandler<JobName>);
  }

  /** True when every job of the queue has a handler. */
  canServe(queue: QueueName): boolean {
    return jobsOfQueue(queue).every((name) => this.handlers.has(name));
  }

  start(queues: QueueName[], concurrency: Partial<Record<QueueName, number>> = {}): Worker[] {
    for (const queue of queues) {
      const missing = jobsOfQueue(queue).filter((name) => !this.handlers.has(name));
      if (missing.length > 0) throw new Error(`Queue ${queue}: no handler for ${missing.join(', ')}`);
    }
    for (const queue of queues) {
      const worker = new Worker(
        queue,
        async (job: Job) => {
          const handler = this.handlers.get(job.name as JobName);
          if (!handler) throw new Error(`No handler for job ${job.name}`);
          return handler(job.data as JobPayloads[JobName], job as Job<JobPayloads[JobName]>);
        },
        {
          connection: createRedis(this.config.redisUrl),
          prefix: this.config.queuePrefix,
          concurrency: concurrency[queue] ?? 1,
          // a job whose worker died (SIGKILL) is picked up again after the lock expires
          lockDuration: 30_000,
          stalledInterval: 15_000,
          maxStalledCount: 3,
        },
      );
      worker.on('failed', (job, error) =>
        this.logger.warn(
          `job ${job?.name}#${job?.id} failed (attempt ${job?.attemptsMade}): ${messageWithoutValues(error.message)}`,
        ),
      );
      worker.on('error', (error) => this.logger.warn(`worker ${queue}: ${error.message}`));
      this.workers.push(worker);
    }
    return this.workers;
  }

  async onApplicationShutdown(): Promise<void> {
    // close() waits for active jobs to finish and releases the rest back to the queue
    await Promise.all(this.workers.map((worker) => closeWhenReady(worker)));
    await Promise.all(this.workers.map((worker) => worker.disconnect()));
  }
}
