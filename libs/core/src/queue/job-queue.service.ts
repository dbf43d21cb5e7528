import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ServiceUnavailableError } from '../errors/domain-error';
import { isRedisOutage } from '../errors/outage';
import { JOB_CATALOGUE, JobName, JobPayloads, QUEUE_NAMES, QueueName } from './job-catalogue';
import { type RedisClient, createFailFastRedis } from './redis';

/** No producer call waits longer than this, whatever state the connection is in. */
export const PRODUCER_DEADLINE_MS = 2500;

/**
 * Producer side of the job catalogue. Queue names share one hash-tag prefix ({care} by default) so that
 * every key of every queue lands in one Redis Cluster slot, as BullMQ requires.
 *
 * Producers have a connection of their own that fails fast (no offline queue, one retry, a command time-out),
 * separate from workers' blocking connections: with Redis down, an add fails within PRODUCER_DEADLINE_MS with a
 * ServiceUnavailableError instead of waiting for Redis to return. The queues are made at construction (Redis is
 * reachable at start: the preflight checks it), because BullMQ's queue initialisation itself waits for a ready
 * connection with no time limit.
 */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private readonly connection: RedisClient;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.connection = createFailFastRedis(config.redisUrl);
    let reported = false;
    // one line per outage, not one per reconnect attempt
    this.connection.on('error', (error) => {
      if (!reported) this.logger.warn(`redis: ${error.message}`);
      reported = true;
    });
    this.connection.on('ready', () => {
      if (reported) this.logger.log('redis: connected again');
      reported = false;
    });
    for (const name of QUEUE_NAMES) this.queue(name);
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
    const job = await failFast(this.queue(entry.queue).add(name, payload, { ...entry.options, ...options }));
    return job.id;
  }

  async addBulk<N extends JobName>(name: N, jobs: { payload: JobPayloads[N]; options?: JobsOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    const entry = JOB_CATALOGUE[name];
    // one job (every POST /care-orders): a plain add is one script call, addBulk wraps it in MULTI/EXEC
    if (jobs.length === 1) {
      await failFast(this.queue(entry.queue).add(name, jobs[0].payload, { ...entry.options, ...jobs[0].options }));
      return;
    }
    await failFast(
      this.queue(entry.queue).addBulk(
        jobs.map((job) => ({ name, data: job.payload, opts: { ...entry.options, ...job.options } })),
      ),
    );
  }

  async ping(): Promise<void> {
    await failFast(this.connection.ping());
  }

  /** The producer connection, for other short request-path commands (e.g. counters) that must fail fast too. */
  get redis(): RedisClient {
    return this.connection;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => closeWhenReady(queue)));
    this.connection.disconnect();
  }
}

/**
 * Bounds a producer call: whatever Redis error or delay, the caller gets a ServiceUnavailableError within
 * PRODUCER_DEADLINE_MS. A late success after the deadline is harmless: job ids are deterministic, so the job the
 * sweeper enqueues again is the same job.
 */
async function failFast<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ServiceUnavailableError('redis')), PRODUCER_DEADLINE_MS);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (error instanceof ServiceUnavailableError || !isRedisOutage(error)) throw error;
    throw Object.assign(new ServiceUnavailableError('redis'), { cause: error });
  } finally {
    clearTimeout(timer);
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
