import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import type IORedis from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JOB_CATALOGUE, JobName, JobPayloads, QUEUE_NAMES, QueueName } from './job-catalogue';
import { createRedis } from './redis';

/**
 * Producer side of the job catalogue. Queue names share one hash-tag prefix ({care} by default) so that
 * every key of every queue lands in one Redis Cluster slot, as BullMQ requires.
 */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private readonly connection: IORedis;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.connection = createRedis(config.redisUrl);
    this.connection.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.config.queuePrefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  allQueues(): Queue[] {
    return QUEUE_NAMES.map((name) => this.queue(name));
  }

  /** Adds a job with the catalogue's defaults. A deterministic `jobId` makes the add idempotent. */
  async add<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    options: JobsOptions = {},
  ): Promise<string | undefined> {
    const entry = JOB_CATALOGUE[name];
    const job = await this.queue(entry.queue).add(name, payload, { ...entry.options, ...options });
    return job.id;
  }

  async addBulk<N extends JobName>(name: N, jobs: { payload: JobPayloads[N]; options?: JobsOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    const entry = JOB_CATALOGUE[name];
    // one job (every POST /care-orders): a plain add is one script call, addBulk wraps it in MULTI/EXEC
    if (jobs.length === 1) {
      await this.queue(entry.queue).add(name, jobs[0].payload, { ...entry.options, ...jobs[0].options });
      return;
    }
    await this.queue(entry.queue).addBulk(
      jobs.map((job) => ({ name, data: job.payload, opts: { ...entry.options, ...job.options } })),
    );
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => closeWhenReady(queue)));
    this.connection.disconnect();
  }
}

/**
 * Closes a queue or worker once its connection has finished initialising. close() removes the connection's error
 * listener, so an initialisation still running (a queue made just before a SIGTERM) that then fails on the closed
 * connection would emit an unhandled 'error' and crash the process instead of letting it exit cleanly.
 */
export async function closeWhenReady(target: {
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}): Promise<void> {
  await target.waitUntilReady().catch(() => undefined);
  await target.close();
}
