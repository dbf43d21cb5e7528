import type { Job } from 'bullmq';
import type { JobHandler, JobName, JobWorkerHost } from '@care/core';
import type { DispatchService } from '../dispatch.service';
import type { DispatchRoundService } from '../dispatch-round.service';
import type { DispatchDecisions } from './dispatch-decisions';
import { DispatchJobs } from './dispatch.jobs';

/** The dispatch queue's handlers only check the payload's ids and call one use case each. */
function setup(decisions?: DispatchDecisions) {
  const handlers = new Map<JobName, JobHandler<JobName>>();
  const host = { register: jest.fn((name: JobName, handler: JobHandler<JobName>) => handlers.set(name, handler)) };
  const rounds = {
    dispatchBatch: jest.fn(async () => ({ outcome: 'requested', partitions: [] })),
    handle: jest.fn(async () => ({ outcome: 'requested', partitions: [] })),
  };
  const service = {
    dispatch: jest.fn(async () => ({ outcome: 'skipped', why: 'test' })),
    acceptTimeout: jest.fn(async () => 'skipped'),
    retryUnassigned: jest.fn(async () => 0),
    sweep: jest.fn(async () => ({ pending: 0, lapsed: 0 })),
  };
  const jobs = new DispatchJobs(
    host as unknown as JobWorkerHost,
    service as unknown as DispatchService,
    rounds as unknown as DispatchRoundService,
    decisions,
  );
  jobs.onModuleInit();
  const run = (name: JobName, payload: unknown) => {
    const handler = handlers.get(name);
    if (!handler) throw new Error(`no handler for ${name}`);
    return handler(payload as never, {} as Job<never>);
  };
  return { handlers, service, rounds, run };
}

describe('DispatchJobs', () => {
  it('handles every job of the dispatch queue', () => {
    const { handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual([
      'AcceptTimeout',
      'DispatchBatch',
      'DispatchOrder',
      'DispatchRound',
      'RetryUnassigned',
      'SweepPendingOrders',
    ]);
  });

  it('unpacks ids and calls the use case', async () => {
    const { service, rounds, run } = setup();
    await run('DispatchOrder', { orderId: 'o-1' });
    expect(service.dispatch).toHaveBeenCalledWith('o-1');
    await run('DispatchBatch', { batchId: 'b-1' });
    expect(rounds.dispatchBatch).toHaveBeenCalledWith('b-1');
    await run('DispatchRound', {});
    expect(rounds.handle).toHaveBeenLastCalledWith({ partition: undefined, orderId: undefined });
    await run('DispatchRound', { partition: 'sp-1' });
    expect(rounds.handle).toHaveBeenLastCalledWith({ partition: 'sp-1', orderId: undefined });
    await run('DispatchRound', { orderId: 'o-9' });
    expect(rounds.handle).toHaveBeenLastCalledWith({ partition: undefined, orderId: 'o-9' });
    await run('AcceptTimeout', { orderId: 'o-1', assignedAt: '2026-12-01T01:00:00.000Z' });
    expect(service.acceptTimeout).toHaveBeenCalledWith('o-1', '2026-12-01T01:00:00.000Z');
    await run('RetryUnassigned', { reason: 'caregiver x changed' });
    expect(service.retryUnassigned).toHaveBeenCalledWith('caregiver x changed', undefined);
    await run('SweepPendingOrders', {});
    expect(service.sweep).toHaveBeenCalled();
  });

  it('rejects malformed payloads (the job fails instead of doing something odd)', async () => {
    const { service, run } = setup();
    await expect(run('DispatchOrder', { orderId: 42 })).rejects.toThrow(/orderId/);
    await expect(run('AcceptTimeout', { orderId: 'o-1', assignedAt: 'yesterday' })).rejects.toThrow(/assignedAt/);
    await expect(run('DispatchRound', { partition: '' })).rejects.toThrow(/partition/);
    expect(service.dispatch).not.toHaveBeenCalled();
  });

  it('reports each decision to the optional observer: outcome counts and the time taken, a throw as failed', async () => {
    const decided = jest.fn();
    const { service, rounds, run } = setup({ decided });
    await run('DispatchOrder', { orderId: 'o1' });
    expect(decided).toHaveBeenLastCalledWith('DispatchOrder', { skipped: 1 }, expect.any(Number));
    // a batch only requests rounds: no order decided yet
    await run('DispatchBatch', { batchId: 'b1' });
    expect(decided).toHaveBeenLastCalledWith('DispatchBatch', {}, expect.any(Number));
    // a round decides its partition's orders: its tally (replanned orders are decided in a later round)
    rounds.handle.mockResolvedValueOnce({
      outcome: 'rounds',
      partition: 'p1',
      rounds: 2,
      assigned: 3,
      unassigned: 2,
      replanned: 1,
    } as never);
    await run('DispatchRound', { partition: 'p1' });
    expect(decided).toHaveBeenLastCalledWith('DispatchRound', { assigned: 3, unassigned: 2 }, expect.any(Number));
    service.dispatch.mockRejectedValueOnce(new Error('contention'));
    await expect(run('DispatchOrder', { orderId: 'o2' })).rejects.toThrow('contention');
    expect(decided).toHaveBeenLastCalledWith('DispatchOrder', { failed: 1 }, expect.any(Number));
    // a payload refused before any decision is a failed job too (it is retried, then kept as failed)
    await expect(run('DispatchOrder', { orderId: '' })).rejects.toThrow();
    expect(decided).toHaveBeenCalledTimes(5);
  });
});
