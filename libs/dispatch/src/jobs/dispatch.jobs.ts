import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { JobWorkerHost } from '@care/core';
import { DispatchService } from '../dispatch.service';
import { DispatchRoundService, type RoundOutcome } from '../dispatch-round.service';
import {
  DISPATCH_DECISIONS,
  type DispatchDecisionJob,
  type DispatchDecisionOutcome,
  type DispatchDecisions,
} from './dispatch-decisions';

/**
 * The dispatch queue's handlers: each validates the payload's ids and calls one use case. SweepPendingOrders also runs
 * every DISPATCH_SWEEP_SECONDS in every dispatcher process: the job catalogue's schedule (a process timer, so that it
 * survives a Redis restart that lost its data), set up by the worker host.
 */
@Injectable()
export class DispatchJobs implements OnModuleInit {
  constructor(
    private readonly host: JobWorkerHost,
    private readonly dispatch: DispatchService,
    private readonly rounds: DispatchRoundService,
    @Optional() @Inject(DISPATCH_DECISIONS) private readonly decisions?: DispatchDecisions,
  ) {}

  onModuleInit(): void {
    this.host.register('DispatchOrder', async ({ orderId }) =>
      this.reported(
        'DispatchOrder',
        () => this.dispatch.dispatch(requireId(orderId, 'orderId')),
        (done) => ({ [done.outcome]: 1 }),
      ),
    );
    this.host.register('DispatchBatch', async ({ batchId }) =>
      this.reported('DispatchBatch', () => this.rounds.dispatchBatch(requireId(batchId, 'batchId')), roundDecisions),
    );
    this.host.register('DispatchRound', async ({ partition, orderId }) =>
      this.reported(
        'DispatchRound',
        () =>
          this.rounds.handle({
            partition: partition === undefined ? undefined : requireId(partition, 'partition'),
            orderId: orderId === undefined ? undefined : requireId(orderId, 'orderId'),
          }),
        roundDecisions,
      ),
    );
    this.host.register('AcceptTimeout', async ({ orderId, assignedAt }) => {
      if (typeof assignedAt !== 'string' || Number.isNaN(Date.parse(assignedAt)))
        throw new Error('AcceptTimeout: assignedAt must be an ISO instant');
      return this.dispatch.acceptTimeout(requireId(orderId, 'orderId'), assignedAt);
    });
    this.host.register('RetryUnassigned', async ({ reason, regionCode }) =>
      this.dispatch.retryUnassigned(String(reason ?? ''), regionCode),
    );
    this.host.register('SweepPendingOrders', async () => this.dispatch.sweep());
  }

  /** Runs a dispatch job and tells the optional observer what it decided and how long it took (a throw: `failed`). */
  private async reported<T>(
    job: DispatchDecisionJob,
    work: () => Promise<T>,
    outcomes: (result: T) => Partial<Record<DispatchDecisionOutcome, number>>,
  ): Promise<T> {
    const started = performance.now();
    try {
      const result = await work();
      this.decisions?.decided(job, outcomes(result), (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      this.decisions?.decided(job, { failed: 1 }, (performance.now() - started) / 1000);
      throw error;
    }
  }
}

/** A round decides orders (its tally); a job that only requested or deferred rounds decided none. */
function roundDecisions(done: RoundOutcome): Partial<Record<DispatchDecisionOutcome, number>> {
  return done.outcome === 'rounds' ? { assigned: done.assigned, unassigned: done.unassigned } : {};
}

function requireId(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64)
    throw new Error(`job payload: ${name} must be an id`);
  return value;
}
