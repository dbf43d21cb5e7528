/** After the last running job settled, how long the workers' own close gets before their connections are cut. */
export const CLOSE_AFTER_JOBS_MS = 5_000;

export interface CloseAfterJobs {
  /** The workers' own close: stop fetching, wait for the running jobs, record their results, quit the connections. */
  close: () => Promise<unknown>;
  /** The handlers running now (a job fetched while the close began may still start one). */
  running: () => readonly Promise<unknown>[];
  /** Disconnects every connection at once, waiting for nothing. */
  cut: () => void;
  afterJobsMs?: number;
}

/**
 * Stops workers without losing a job, whatever state their Redis connections are in. The workers' own close is
 * tried first; it can hang for good on a connection that is reconnecting (ioredis's Cluster.disconnect() in the
 * `reconnecting` state never emits the `end` BullMQ waits for — a Redis failover leaves a cluster client there for
 * seconds) or that is still waiting for a cluster that went away. So once no handler runs any more and the close has
 * not finished within `afterJobsMs`, the connections are cut instead: no handler is ever interrupted, and a job whose
 * completion could not be recorded is still locked in Redis, so another worker takes it up again when the lock
 * expires (handlers are idempotent). Never throws; says whether the close finished ('closed') or was cut ('cut').
 */
export async function closeAfterJobs(options: CloseAfterJobs): Promise<'closed' | 'cut'> {
  const afterJobsMs = options.afterJobsMs ?? CLOSE_AFTER_JOBS_MS;
  let closed = false;
  // a close that fails has emitted its error on the worker; what is left to do is the same as after a hang: cut
  const closing = options.close().then(
    () => void (closed = true),
    () => undefined,
  );
  // a handler settled but not yet removed from `running` is not waited for twice (that would spin, never yielding)
  const settled = new WeakSet<Promise<unknown>>();
  const pending = () => options.running().filter((job) => !settled.has(job));
  for (;;) {
    for (let jobs = pending(); jobs.length > 0; jobs = pending()) {
      await Promise.allSettled(jobs);
      for (const job of jobs) settled.add(job);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closing, new Promise<void>((resolve) => (timer = setTimeout(resolve, afterJobsMs)))]);
    clearTimeout(timer);
    if (closed) break;
    // a job that started meanwhile (fetched just before the close began) finishes first
    if (pending().length > 0) continue;
    break;
  }
  options.cut();
  return closed ? 'closed' : 'cut';
}
