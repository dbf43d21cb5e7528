import type { AppConfig } from '../config/app-config';
import { JOB_CATALOGUE, QUEUE_NAMES, jobsOfQueue, type JobName } from './job-catalogue';
import type { JobQueue } from './job-queue.service';
import { JobWorkerHost } from './job-worker.host';
import { CLOSE_AFTER_JOBS_MS } from './close-after-jobs';

function makeHost(redisUrl = 'redis://127.0.0.1:1/0') {
  const queue = { upsertJobScheduler: jest.fn(), removeJobScheduler: jest.fn() };
  const jobs = { queue: jest.fn(() => queue), add: jest.fn() };
  const config = { redisUrl, queuePrefix: '{unit}' } as AppConfig;
  return { host: new JobWorkerHost(config, jobs as unknown as JobQueue), jobs, queue };
}

describe('JobWorkerHost', () => {
  it('refuses to start a queue with a job of the catalogue that has no handler, naming queue and jobs', async () => {
    const { host, jobs, queue } = makeHost();
    host.register('GenerateVisitPlans', async () => undefined);
    await expect(host.start(['planning', 'stats'])).rejects.toThrow(
      'The job catalogue has jobs without a handler: queue planning: PruneIdempotencyKeys, ReleaseExpiredOffers; ' +
        'queue stats: SnapshotCoverage',
    );
    // nothing started, nothing scheduled
    expect(jobs.queue).not.toHaveBeenCalled();
    expect(queue.upsertJobScheduler).not.toHaveBeenCalled();
  });

  it('refuses a second handler for one job', () => {
    const { host } = makeHost();
    host.register('ScanAlerts', async () => undefined);
    expect(() => host.register('ScanAlerts', async () => undefined)).toThrow('Job ScanAlerts has two handlers');
  });

  it('stops while its Redis Cluster connections are reconnecting (a failover), instead of waiting for them for good', async () => {
    // nothing listens on port 1: the cluster clients reconnect for ever, as during a failover; BullMQ's close and
    // disconnect wait for a 'ready' or an 'end' that never comes, and the dispatcher's stop used to hang until its
    // grace period ran out (exit 1)
    const { host } = makeHost('redis+cluster://127.0.0.1:1');
    host.register('ScanAlerts', async () => undefined);
    const [worker] = await host.start(['alerts']);
    worker.on('error', () => undefined);
    const started = Date.now();
    await host.stop();
    expect(Date.now() - started).toBeLessThan(CLOSE_AFTER_JOBS_MS + 2000);
  }, 20_000);
});

describe('the job catalogue', () => {
  const config = { dispatch: { sweepSeconds: 30 }, visitPlans: { cron: '30 0 1 * *' } } as AppConfig;

  it('puts every job on a queue of the catalogue', () => {
    const served = QUEUE_NAMES.flatMap((queue) => jobsOfQueue(queue)).sort();
    expect(served).toEqual((Object.keys(JOB_CATALOGUE) as JobName[]).sort());
  });

  it('holds every schedule: ids unique, timings valid, process schedules periodic', () => {
    const schedules = (Object.keys(JOB_CATALOGUE) as JobName[]).flatMap((name) => {
      const schedule = JOB_CATALOGUE[name].schedule;
      return schedule ? [{ name, ...schedule }] : [];
    });
    expect(schedules.map((s) => s.name).sort()).toEqual([
      'GenerateVisitPlans',
      'PruneIdempotencyKeys',
      'ReleaseExpiredOffers',
      'ScanAlerts',
      'SnapshotCoverage',
      'SweepPendingOrders',
    ]);
    expect(new Set(schedules.map((s) => s.id)).size).toBe(schedules.length);
    for (const s of schedules) {
      const timing = s.timing(config);
      expect(timing).not.toBeNull();
      if (timing && 'pattern' in timing) expect(timing.pattern).toMatch(/^\S+( \S+){4,5}$/);
      if (timing && 'everyMs' in timing) expect(timing.everyMs).toBeGreaterThan(0);
      if (s.keeper === 'process') expect(timing).toHaveProperty('everyMs');
    }
    expect(JOB_CATALOGUE.SweepPendingOrders.schedule?.timing(config)).toEqual({ everyMs: 30_000 });
    expect(JOB_CATALOGUE.GenerateVisitPlans.schedule?.timing({ ...config, visitPlans: { cron: null } })).toBeNull();
  });
});
