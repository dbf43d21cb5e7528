import type { JobsOptions } from 'bullmq';

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

export const JOB_CATALOGUE: { [N in JobName]: { queue: QueueName; options: JobsOptions } } = {
  DispatchOrder: { queue: 'dispatch', options: retried },
  DispatchBatch: { queue: 'dispatch', options: retried },
  DispatchRound: { queue: 'dispatch', options: retried },
  AcceptTimeout: { queue: 'dispatch', options: retried },
  RetryUnassigned: { queue: 'dispatch', options: { ...retried, attempts: 3 } },
  SweepPendingOrders: { queue: 'dispatch', options: { ...retried, attempts: 1 } },
  GenerateVisitPlans: { queue: 'planning', options: { ...retried, attempts: 5 } },
  SnapshotCoverage: { queue: 'stats', options: { ...retried, attempts: 5 } },
  PruneIdempotencyKeys: { queue: 'planning', options: { ...retried, attempts: 3 } },
  ReleaseExpiredOffers: { queue: 'planning', options: { ...retried, attempts: 3 } },
  ScanAlerts: { queue: 'alerts', options: { ...retried, attempts: 3, removeOnComplete: { age: 600, count: 1000 } } },
};

/** Job names served by one queue, so a worker can refuse to start when one of them has no handler. */
export function jobsOfQueue(queue: QueueName): JobName[] {
  return (Object.keys(JOB_CATALOGUE) as JobName[]).filter((name) => JOB_CATALOGUE[name].queue === queue);
}
