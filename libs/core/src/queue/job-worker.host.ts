import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JOB_CATALOGUE, type JobSchedule, JobName, JobPayloads, QueueName, jobsOfQueue } from './job-catalogue';
import { JobQueue, closeWhenReady } from './job-queue.service';
import { COUNTY_TIME_ZONE } from '../time/county-time';
import { messageWithoutValues } from '../logging/logger';
import { type RedisClient, createRedis } from './redis';
import { closeAfterJobs } from './close-after-jobs';

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], job: Job<JobPayloads[N]>) => Promise<unknown>;

/**
 * Consumer side: domain jobs modules register one handler per job name; the dispatcher app then starts
 * one BullMQ worker per queue and sets up the schedules the catalogue gives the jobs of those queues (the one
 * place jobs are scheduled). It refuses to start when a job of a queue it is asked to serve has no handler, and on
 * stop it lets running jobs finish, so no job is lost: see stop().
 */
@Injectable()
export class JobWorkerHost implements OnApplicationShutdown {
  private readonly logger = new Logger(JobWorkerHost.name);
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly workers: Worker[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  /** The handlers running now, for stop(). */
  private readonly running = new Set<Promise<unknown>>();
  /** Every Redis connection of the workers: each worker's own and the blocking one BullMQ duplicates from it. */
  private readonly connections: RedisClient[] = [];
  private stopping: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: JobQueue,
  ) {}

  register<N extends JobName>(name: N, handler: JobHandler<N>): void {
    if (this.handlers.has(name)) throw new Error(`Job ${name} has two handlers`);
    this.handlers.set(name, handler as unknown as JobHandler<JobName>);
  }

  /**
   * Starts one worker per queue and the catalogue's schedules of the queues' jobs. Throws, starting nothing, when a
   * job of one of the queues has no handler: a queue silently not served is worse than a process that does not start.
   */
  async start(queues: readonly QueueName[], concurrency: Partial<Record<QueueName, number>> = {}): Promise<Worker[]> {
    const missing = queues
      .map((queue) => ({ queue, jobs: jobsOfQueue(queue).filter((name) => !this.handlers.has(name)) }))
      .filter((entry) => entry.jobs.length > 0);
    if (missing.length > 0)
      throw new Error(
        `The job catalogue has jobs without a handler: ${missing
          .map((entry) => `queue ${entry.queue}: ${entry.jobs.join(', ')}`)
          .join('; ')} (import the jobs module that registers them)`,
      );
    await this.schedule(queues);
    for (const queue of queues) {
      const worker = new Worker(
        queue,
        async (job: Job) => {
          const handler = this.handlers.get(job.name as JobName);
          if (!handler) throw new Error(`No handler for job ${job.name}`);
          return this.track(handler(job.data as JobPayloads[JobName], job as Job<JobPayloads[JobName]>));
        },
        {
          connection: this.connection(),
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

  /** Sets up the catalogue's schedule of every job of these queues (see JobSchedule). */
  private async schedule(queues: readonly QueueName[]): Promise<void> {
    for (const queue of queues) {
      for (const name of jobsOfQueue(queue)) {
        const schedule = JOB_CATALOGUE[name].schedule as JobSchedule | undefined;
        if (schedule) await this.scheduleJob(name, schedule);
      }
    }
  }

  private async scheduleJob(name: JobName, schedule: JobSchedule): Promise<void> {
    const entry = JOB_CATALOGUE[name];
    const timing = schedule.timing(this.config);
    if (schedule.keeper === 'process') {
      if (!timing || !('everyMs' in timing)) throw new Error(`Job ${name}: a process schedule needs a period`);
      const periodMs = timing.everyMs;
      const enqueue = async () => {
        try {
          await this.queues.add(name, schedule.data, { jobId: `${schedule.id}-${Math.floor(Date.now() / periodMs)}` });
        } catch (error) {
          this.logger.warn(`could not enqueue the scheduled ${name}: ${(error as Error).message}`);
        }
      };
      const timer = setInterval(() => void enqueue(), periodMs);
      timer.unref();
      this.timers.push(timer);
      return;
    }
    const queue = this.queues.queue(entry.queue);
    if (!timing) {
      await queue.removeJobScheduler(schedule.id);
      this.logger.log(`${name}: not scheduled (switched off)`);
      return;
    }
    // upsert: any number of dispatcher processes keep exactly one schedule
    await queue.upsertJobScheduler(
      schedule.id,
      'pattern' in timing ? { pattern: timing.pattern, tz: COUNTY_TIME_ZONE } : { every: timing.everyMs },
      { name, data: schedule.data, opts: entry.options },
    );
    this.logger.log(
      `${name} scheduled: ${'pattern' in timing ? `"${timing.pattern}" (${COUNTY_TIME_ZONE})` : `every ${timing.everyMs} ms`}`,
    );
  }

  /** A worker's connection; the ones BullMQ duplicates from it (its blocking connection) are kept too, for stop(). */
  private connection(): RedisClient {
    const connection = createRedis(this.config.redisUrl);
    const duplicate = connection.duplicate.bind(connection) as (...args: unknown[]) => RedisClient;
    Object.assign(connection, {
      duplicate: (...args: unknown[]) => {
        const copy = duplicate(...args);
        this.connections.push(copy);
        return copy;
      },
    });
    this.connections.push(connection);
    return connection;
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => void this.running.delete(work);
    work.then(done, done);
    return work;
  }

  /**
   * Stops the workers: no job is taken any more, the running ones finish (close waits for them; anything not yet
   * started stays in the queue), then the connections close. When BullMQ's close cannot finish on a connection still
   * reconnecting after a Redis failover, the connections are cut once no job runs (closeAfterJobs says why no job is
   * lost), with a warning: the stop is still clean. Called by the dispatcher before the application closes (so the
   * running jobs still have their database pools and audit hook), and again, harmlessly, on application shutdown.
   */
  stop(): Promise<void> {
    this.stopping ??= this.close();
    return this.stopping;
  }

  private async close(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    const outcome = await closeAfterJobs({
      close: () => Promise.all(this.workers.map((worker) => closeWhenReady(worker))),
      running: () => [...this.running],
      // disconnect() waits for nothing: BullMQ's disconnect waits for an 'end' that a reconnecting cluster never emits
      cut: () => {
        for (const connection of this.connections.splice(0)) connection.disconnect();
      },
    });
    if (outcome === 'cut')
      this.logger.warn(
        'the workers did not close after their last job (a Redis connection still reconnecting?): their connections ' +
          'were cut; a job whose completion was not recorded runs again once its lock expires',
      );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}
