import type { INestApplicationContext } from '@nestjs/common';
import { type AppConfig, JobQueue, QUEUE_NAMES, scheduleIdOf } from '@care/core';
import { createTestConfig } from '@care/testing';
import { WaitlistJobsModule } from '@care/beds';
import { DISPATCHER_JOB_MODULES } from '../../apps/dispatcher/src/dispatcher.modules';
import { buildApp, createDispatcher } from '../support/apps';

/**
 * The dispatcher sets up every schedule of the job catalogue for the queues it serves, and refuses to start when a
 * job of those queues has no handler (a jobs module left out of the composition).
 */
describe('dispatcher boot', () => {
  let config: AppConfig;
  let drop: () => Promise<void>;
  let dispatcher: INestApplicationContext | undefined;

  beforeAll(async () => {
    ({ config, drop } = await createTestConfig(buildApp, 'dispboot'));
  });
  afterAll(async () => {
    await dispatcher?.close();
    await drop?.();
  });

  it('fails to start, naming the queue and the job, when a job of the catalogue has no handler', async () => {
    const withoutWaitlist = DISPATCHER_JOB_MODULES.filter((module) => module !== WaitlistJobsModule);
    await expect(createDispatcher(config, QUEUE_NAMES, withoutWaitlist)).rejects.toThrow(
      'The job catalogue has jobs without a handler: queue planning: ReleaseExpiredOffers',
    );
    // it scheduled nothing either
    dispatcher = await createDispatcher(config, ['stats']);
    const planning = await dispatcher.get(JobQueue).queue('planning').getJobSchedulers();
    expect(planning).toEqual([]);
    await dispatcher.close();
    dispatcher = undefined;
  });

  it('sets up every schedule of the catalogue: job schedulers in Redis, the sweep in each process', async () => {
    dispatcher = await createDispatcher({ ...config, dispatch: { ...config.dispatch, sweepSeconds: 1 } });
    const jobs = dispatcher.get(JobQueue);
    const keys = async (queue: 'planning' | 'stats' | 'alerts') =>
      (await jobs.queue(queue).getJobSchedulers()).map((s) => s.key).sort();
    expect(await keys('planning')).toEqual(
      [
        scheduleIdOf('GenerateVisitPlans'),
        scheduleIdOf('PruneIdempotencyKeys'),
        scheduleIdOf('ReleaseExpiredOffers'),
      ].sort(),
    );
    expect(await keys('stats')).toEqual([scheduleIdOf('SnapshotCoverage')]);
    expect(await keys('alerts')).toEqual([scheduleIdOf('ScanAlerts')]);
    // the sweep: a SweepPendingOrders job under the period's id within a period or two
    const deadline = Date.now() + 10_000;
    let swept = false;
    while (!swept && Date.now() < deadline) {
      const done = await jobs.queue('dispatch').getJobs(['completed', 'active', 'waiting']);
      swept = done.some((job) => job.name === 'SweepPendingOrders' && String(job.id).startsWith('SweepPendingOrders-'));
      if (!swept) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(swept).toBe(true);
  });
});
