import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JOB_CATALOGUE, type JobSchedule, JobName, JobPayloads, QueueName, jobsOfQueue } from './job-catalogue';
import { JobQueue, closeWhenReady } from './job-queue.service';
import { COUNTY_TIME_ZONE } from '../time/county-time';
import { messageWithoutValues } from '../logging/logger';
import { createRedis } from './redis';

export type JobHandler<N extends JobName> = (payload: JobPayloads[N], job: Job<JobPayloads[N]>) => Promise<unknown>;

/**
 * Consumer side: domain jobs modules register one handler per job name; the dispatcher app then starts
 * one BullMQ worker per queue and sets up the schedules the catalogue gives the jobs of those queues (the one
 * place jobs are scheduled). It refuses to start when a job of a queue it is asked to serve has no handler, and on
 * shutdown it lets running jobs finish (BullMQ's close waits for them), so no job is lost.
 */
@Injectable()
export class JobWorkerHost implements OnApplicationShutdown {
  private readonly logger = new Logger(JobWorkerHost.name);
  private readonly handlers = new Map<JobName, JobHandler<JobName>>();
  private readonly workers: Worker[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

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

  async onApplicationShutdown(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    // close() waits for active jobs to finish and releases the rest back to the queue
    await Promise.all(this.workers.map((worker) => closeWhenReady(worker)));
    await Promise.all(this.workers.map((worker) => worker.disconnect()));
  }
}
