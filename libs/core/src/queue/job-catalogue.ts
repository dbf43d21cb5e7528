import type { JobsOptions } from 'bullmq';
import type { AppConfig } from '../config/app-config';

/**
 * The one typed catalogue of background jobs: each job's queue, payload and default options.
 * Payloads carry ids only; MySQL holds the truth. Producers and consumers both refer to these names.
 */
export interface JobPayloads {
  /** Place one care order on a caregiver's day (or mark it unassigned with a reason). */
  DispatchOrder: { orderId: string };
  /**
   * One round of the planner over a partition's pending orders (`partition`), an urgent order's round started at
   * once (`orderId`), or, with neither, the debounced intake of normal orders, which the dispatcher splits into the
   * rounds of the partitions that have pending orders.
   */
  DispatchRound: { partition?: string; orderId?: string };
  /** Place the orders of one bulk intake (POST /care-orders/batch, a visit-plan chunk): one job per batch. */
  DispatchBatch: { batchId: string };
  /** An assignment not accepted in time goes back to dispatch. `assignedAt` makes the job specific to one assignment. */
  AcceptTimeout: { orderId: string; assignedAt: string };
  /** Retry unassigned orders after caregivers or shifts changed (optionally for one region). */
  RetryUnassigned: { regionCode?: string; reason: string };
  /** Re-enqueue orders that stayed pending (e.g. the api died between commit and enqueue). */
  SweepPendingOrders: Record<string, never>;
  /** Three visits in the month for every eligible elder at home. */
  GenerateVisitPlans: { month: string; regionCode?: string };
  /** Monthly coverage snapshot for the bureau's trends. */
  SnapshotCoverage: { month?: string };
  /** Forget Idempotency-Keys past their lifetime (hourly). */
  PruneIdempotencyKeys: Record<string, never>;
  /** Waitlist offers past their expiry: entries back to waiting, reserved beds back to vacant (every 5 minutes). */
  ReleaseExpiredOffers: Record<string, never>;
  /**
   * Raise the alerts that are due (emergency calls not accepted / not arrived, visits not started / missed / overrun)
   * and close visits left in progress a day past their overrun alert. Once a minute (job scheduler), and at once
   * when dispatch leaves an emergency order unassigned (`trigger` names why, for the log).
   */
  ScanAlerts: { trigger?: string };
}

export type JobName = keyof JobPayloads;

/** `alerts` is a queue of its own: a long planning job never delays an alert, and dispatch workers need no handler. */
export const QUEUE_NAMES = ['dispatch', 'planning', 'stats', 'alerts'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

const retried: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** When a scheduled job runs: a cron pattern (county time, COUNTY_TIME_ZONE; 6 fields with seconds or 5), or a fixed period. */
export type ScheduleTiming = { pattern: string } | { everyMs: number };

/**
 * A job the worker host schedules when it starts serving the job's queue (JobWorkerHost.start):
 * - `redis`: a BullMQ job scheduler under `id`, upserted (any number of workers keep exactly one); a timing of
 *   null (switched off in the config) removes it;
 * - `process`: each worker process enqueues the job once per period under the period's job id (`<id>-<n>`), so
 *   however many processes run it runs about once a period, and the schedule survives a Redis restart that lost
 *   its data (a safety net must not depend on what it guards against).
 */
export interface JobSchedule<N extends JobName = JobName> {
  id: string;
  keeper: 'redis' | 'process';
  timing: (config: AppConfig) => ScheduleTiming | null;
  data: JobPayloads[N];
}

export interface JobCatalogueEntry<N extends JobName> {
  queue: QueueName;
  options: JobsOptions;
  /** Set: the job also runs on this schedule (besides any producer's adds). */
  schedule?: JobSchedule<N>;
}

export const JOB_CATALOGUE: { [N in JobName]: JobCatalogueEntry<N> } = {
  DispatchOrder: { queue: 'dispatch', options: retried },
  DispatchBatch: { queue: 'dispatch', options: retried },
  DispatchRound: { queue: 'dispatch', options: retried },
  AcceptTimeout: { queue: 'dispatch', options: retried },
  RetryUnassigned: { queue: 'dispatch', options: { ...retried, attempts: 3 } },
  SweepPendingOrders: {
    queue: 'dispatch',
    options: { ...retried, attempts: 1 },
    // DISPATCH_SWEEP_SECONDS (30 s): orders left pending and lapsed assignments are dispatched again
    schedule: {
      id: 'SweepPendingOrders',
      keeper: 'process',
      timing: (config) => ({ everyMs: config.dispatch.sweepSeconds * 1000 }),
      data: {},
    },
  },
  GenerateVisitPlans: {
    queue: 'planning',
    options: { ...retried, attempts: 5 },
    // VISIT_PLAN_CRON (00:30 on the 1st, county time) for the month it runs in; `off` removes the schedule
    schedule: {
      id: 'monthly-visit-plans',
      keeper: 'redis',
      timing: (config) => (config.visitPlans.cron ? { pattern: config.visitPlans.cron } : null),
      data: { month: 'current' }, // care-orders' CURRENT_MONTH: the county month when it runs
    },
  },
  SnapshotCoverage: {
    queue: 'stats',
    options: { ...retried, attempts: 5 },
    // 00:30 county time on the 1st, for the month just closed (the handler's default month)
    schedule: {
      id: 'stats-monthly-coverage-snapshot',
      keeper: 'redis',
      timing: () => ({ pattern: '0 30 0 1 * *' }),
      data: {},
    },
  },
  PruneIdempotencyKeys: {
    queue: 'planning',
    options: { ...retried, attempts: 3 },
    // every hour at minute 17
    schedule: {
      id: 'hourly-idempotency-key-prune',
      keeper: 'redis',
      timing: () => ({ pattern: '0 17 * * * *' }),
      data: {},
    },
  },
  ReleaseExpiredOffers: {
    queue: 'planning',
    options: { ...retried, attempts: 3 },
    // every 5 minutes: a lapsed reservation shows as a free bed at most 5 minutes late
    schedule: { id: 'release-expired-offers', keeper: 'redis', timing: () => ({ everyMs: 5 * 60_000 }), data: {} },
  },
  ScanAlerts: {
    queue: 'alerts',
    options: { ...retried, attempts: 3, removeOnComplete: { age: 600, count: 1000 } },
    // once a minute
    schedule: { id: 'scan-alerts', keeper: 'redis', timing: () => ({ everyMs: 60_000 }), data: {} },
  },
};

/** Job names served by one queue, so a worker can refuse to start when one of them has no handler. */
export function jobsOfQueue(queue: QueueName): JobName[] {
  return (Object.keys(JOB_CATALOGUE) as JobName[]).filter((name) => JOB_CATALOGUE[name].queue === queue);
}

/** The id of a job's schedule in the catalogue (e.g. to look its BullMQ job scheduler up). */
export function scheduleIdOf(name: JobName): string {
  const schedule = JOB_CATALOGUE[name].schedule;
  if (!schedule) throw new Error(`Job ${name} has no schedule in the catalogue`);
  return schedule.id;
}
