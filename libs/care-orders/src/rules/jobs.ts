/**
 * Deterministic BullMQ job ids for the jobs this library produces (BullMQ ids must not contain ':').
 * A DispatchOrder id names one dispatch round of one order: the order's `version` changes with every
 * status change, so the order is dispatched again after a decline, while a repeated enqueue of the same
 * round (a retried request, the sweeper) is a no-op.
 */
export function dispatchJobId(orderId: string, version: number): string {
  return `DispatchOrder-${orderId}-${version}`;
}

/** One dispatch round of an order: what its DispatchOrder job is made from. */
export interface DispatchRound {
  readonly id: string;
  readonly version: number;
  readonly priority: 'normal' | 'urgent';
}

/**
 * BullMQ priorities of DispatchOrder jobs (a lower number is taken first; equal ones in order of arrival): an
 * urgent order waiting in the queue is dispatched before every normal one. The queue's own jobs (timeouts,
 * retries, sweeps) carry none and go first: they are quick and only put orders back in the queue.
 */
export const DISPATCH_PRIORITY: Readonly<Record<DispatchRound['priority'], number>> = { urgent: 1, normal: 2 };

/** The DispatchOrder job of a round (the one-at-a-time path; the enqueuer now sends orders to DispatchRound jobs). */
export function dispatchJob(round: DispatchRound, jobIdSuffix = '') {
  return {
    payload: { orderId: round.id },
    options: {
      jobId: `${dispatchJobId(round.id, round.version)}${jobIdSuffix}`,
      priority: DISPATCH_PRIORITY[round.priority],
    },
  };
}

/**
 * Normal orders wait this long for their round, so that a burst (a busy minute of POSTs, a wave of declines)
 * becomes one round of the planner instead of many: the intake job's id is the debounce window's number, so every
 * enqueue inside one window is the same job.
 */
export const ROUND_DEBOUNCE_MS = 250;

/** The window an instant falls in, and how long the intake job of that window waits (to the window's end). */
export function roundWindow(nowMs: number): { window: number; delayMs: number } {
  const window = Math.floor(nowMs / ROUND_DEBOUNCE_MS);
  // a few ms past the window's end: an enqueue at its last instant is still covered by the round
  return { window, delayMs: (window + 1) * ROUND_DEBOUNCE_MS - nowMs + 5 };
}

/**
 * DispatchRound jobs. `{}`: the debounced intake of normal orders (the dispatcher splits it by partition);
 * `{ partition }`: a round of one partition; `{ orderId }`: an urgent order, whose round starts at once.
 */
export function dispatchIntakeJob(nowMs: number, jobIdSuffix = '') {
  const { window, delayMs } = roundWindow(nowMs);
  return {
    payload: {},
    options: {
      jobId: `DispatchRound-intake-${window}${jobIdSuffix}`,
      delay: delayMs,
      priority: DISPATCH_PRIORITY.normal,
    },
  };
}

export function urgentRoundJob(round: DispatchRound, jobIdSuffix = '') {
  return {
    payload: { orderId: round.id },
    options: {
      jobId: `DispatchRound-urgent-${round.id}-${round.version}${jobIdSuffix}`,
      priority: DISPATCH_PRIORITY.urgent,
    },
  };
}

/** The one DispatchBatch job of a bulk intake: urgent when any of its orders is. */
export function dispatchBatchJob(batchId: string, priority: DispatchRound['priority']) {
  return {
    payload: { batchId },
    options: { jobId: `DispatchBatch-${batchId}`, priority: DISPATCH_PRIORITY[priority] },
  };
}

export function retryUnassignedJobId(caregiverId: string, version: number): string {
  return `RetryUnassigned-caregiver-${caregiverId}-${version}`;
}
