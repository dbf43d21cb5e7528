import { Module } from '@nestjs/common';
import { DispatchRepository } from './dispatch.repository';
import { DISPATCH_CLOCK, DispatchService } from './dispatch.service';
import { DispatchJobs } from './jobs/dispatch.jobs';

/**
 * Dispatch for the dispatcher app: the handlers of the `dispatch` queue (DispatchOrder, AcceptTimeout,
 * RetryUnassigned, SweepPendingOrders) over the dispatch use cases. Config, transactions and queues come from the
 * global CoreModule.
 */
@Module({
  providers: [DispatchRepository, DispatchService, DispatchJobs, { provide: DISPATCH_CLOCK, useValue: () => Date.now() }],
  exports: [DispatchService],
})
export class DispatchModule {}
