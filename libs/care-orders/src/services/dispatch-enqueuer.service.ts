import { Injectable, Logger } from '@nestjs/common';
import { JobQueue } from '@care/core';
import {
  dispatchBatchJob,
  dispatchIntakeJob,
  retryUnassignedJobId,
  urgentRoundJob,
  type DispatchRound,
} from '../rules/jobs';

/**
 * Produces the dispatch jobs this library owes, always after the transaction committed. A failed enqueue is
 * logged, not thrown: the order is safely in MySQL and dispatch's sweeper picks up orders left pending.
 */
@Injectable()
export class DispatchEnqueuer {
  private readonly logger = new Logger(DispatchEnqueuer.name);
  /**
   * The intake job this process is adding right now: an order of the same window that commits meanwhile waits for
   * that add rather than send its own (the same job id, so a no-op in Redis). Once the add is done the next order
   * adds again, so a job removed from the queue (Bull Board, a drain) is added back as before. Under load this
   * spares POST /care-orders most of its Redis round trips (a Lua script each).
   */
  private intake: { jobId: string; added: Promise<unknown> } | null = null;

  constructor(private readonly queue: JobQueue) {}

  /**
   * Orders to dispatch (new, declined, lapsed, retried, swept) go to the dispatcher's rounds: each urgent order
   * starts a round of its own at once (priority 1); normal ones join the intake of the current debounce window
   * (one job per ROUND_DEBOUNCE_MS, so a burst becomes one round). `jobIdSuffix` makes fresh jobs of the same
   * orders (the sweeper's: their first jobs may be done and kept).
   */
  async dispatch(orders: readonly DispatchRound[], jobIdSuffix = ''): Promise<void> {
    if (orders.length === 0) return;
    const urgent = orders.filter((o) => o.priority === 'urgent');
    try {
      if (urgent.length > 0)
        await this.queue.addBulk(
          'DispatchRound',
          urgent.map((o) => urgentRoundJob(o, jobIdSuffix)),
        );
      if (urgent.length < orders.length) await this.addIntake(dispatchIntakeJob(Date.now(), jobIdSuffix));
    } catch (error) {
      this.logger.warn(
        `enqueue DispatchRound for ${orders.length} order(s) failed; the sweeper will retry: ${(error as Error).message}`,
      );
    }
  }

  /** Adds the window's intake job; orders that commit while it is being added share that add. */
  private addIntake(intake: ReturnType<typeof dispatchIntakeJob>): Promise<unknown> {
    const jobId = intake.options.jobId;
    if (this.intake?.jobId === jobId) return this.intake.added;
    const entry = {
      jobId,
      added: this.queue.add('DispatchRound', intake.payload, intake.options).finally(() => {
        if (this.intake === entry) this.intake = null;
      }),
    };
    this.intake = entry;
    return entry.added;
  }

  /** One DispatchBatch job for a whole bulk intake (after its commit); a failed enqueue is left to the sweeper. */
  async dispatchBatch(batchId: string, priority: DispatchRound['priority']): Promise<void> {
    const job = dispatchBatchJob(batchId, priority);
    try {
      await this.queue.add('DispatchBatch', job.payload, job.options);
    } catch (error) {
      this.logger.warn(`enqueue DispatchBatch ${batchId} failed; the sweeper will retry: ${(error as Error).message}`);
    }
  }

  async retryUnassigned(caregiverId: string, version: number, reason: string): Promise<void> {
    try {
      await this.queue.add('RetryUnassigned', { reason }, { jobId: retryUnassignedJobId(caregiverId, version) });
    } catch (error) {
      this.logger.warn(`enqueue RetryUnassigned failed: ${(error as Error).message}`);
    }
  }
}
