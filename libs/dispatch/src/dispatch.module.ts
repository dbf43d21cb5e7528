import { Module } from '@nestjs/common';
import { DispatchEnqueuer } from '@care/care-orders';
import { DispatchRepository } from './dispatch.repository';
import { DISPATCH_CLOCK, DispatchService } from './dispatch.service';
import { DispatchRoundService } from './dispatch-round.service';
import { PartitionLeases } from './partition-leases';
import { DispatchJobs } from './jobs/dispatch.jobs';

/**
 * Dispatch for the dispatcher app: the handlers of the `dispatch` queue (DispatchRound, DispatchBatch, DispatchOrder,
 * AcceptTimeout, RetryUnassigned, SweepPendingOrders) over the dispatch use cases. Config, transactions and queues come from the
 * global CoreModule.
 */
@Module({
  // DispatchEnqueuer: the one producer of the orders' DispatchRound jobs (care-orders'), on the global JobQueue
  providers: [
    DispatchRepository,
    DispatchService,
    DispatchRoundService,
    PartitionLeases,
    DispatchEnqueuer,
    DispatchJobs,
    { provide: DISPATCH_CLOCK, useValue: () => Date.now() },
  ],
  exports: [DispatchService, DispatchRoundService, PartitionLeases],
})
export class DispatchModule {}
