import { Injectable, Logger } from '@nestjs/common';
import { JobQueue } from '@care/core';
import { dispatchBatchJob, dispatchJob, retryUnassignedJobId, type DispatchRound } from '../rules/jobs';

/**
 * Produces the dispatch jobs this library owes, always after the transaction committed. A failed enqueue is
 * logged, not thrown: the order is safely in MySQL and dispatch's sweeper picks up orders left pending.
 */
@Injectable()
export class DispatchEnqueuer {
  private readonly logger = new Logger(DispatchEnqueuer.name);

  constructor(private readonly queue: JobQueue) {}

  async dispatch(orders: readonly DispatchRound[]): Promise<void> {
    if (orders.length === 0) return;
    try {
      await this.queue.addBulk(
        'DispatchOrder',
        orders.map((o) => dispatchJob(o)),
      );
    } catch (error) {
      this.logger.warn(
        `enqueue DispatchOrder for ${orders.length} order(s) failed; the sweeper will retry: ${(error as Error).message}`,
      );
    }
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
