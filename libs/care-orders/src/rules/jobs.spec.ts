import { DISPATCH_PRIORITY, dispatchJob } from './jobs';

describe('DispatchOrder jobs', () => {
  it('one job id per dispatch round; the sweeper’s suffix makes another job of the same round', () => {
    expect(dispatchJob({ id: 'o-1', version: 3, priority: 'normal' })).toEqual({
      payload: { orderId: 'o-1' },
      options: { jobId: 'DispatchOrder-o-1-3', priority: DISPATCH_PRIORITY.normal },
    });
    expect(dispatchJob({ id: 'o-1', version: 3, priority: 'normal' }, '-sweep-7').options.jobId).toBe(
      'DispatchOrder-o-1-3-sweep-7',
    );
  });

  it('urgent orders are taken first: a lower BullMQ priority number, and never 0 (the queue’s own jobs)', () => {
    const urgent = dispatchJob({ id: 'u', version: 0, priority: 'urgent' }).options.priority;
    const normal = dispatchJob({ id: 'n', version: 0, priority: 'normal' }).options.priority;
    expect(urgent).toBeLessThan(normal);
    expect(urgent).toBeGreaterThan(0);
  });
});
