import { Module, type DynamicModule, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { CoreModule, JOB_CATALOGUE, JobQueue, JobWorkerHost, type AppConfig } from '@care/core';
import { createTestConfig } from '@care/testing';

import { countyMonth, previousMonth } from '../rules/period';
import { StatsJobsModule } from './stats-jobs.module';
import { buildApp } from '@test/apps';

@Module({})
class JobsTestModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: JobsTestModule, imports: [CoreModule.forRoot(config), StatsJobsModule] };
  }
}

/** The dispatcher side: the monthly schedule is registered once, and a SnapshotCoverage job stores the month. */
describe('stats jobs (e2e)', () => {
  let app: INestApplicationContext;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const made = await createTestConfig(buildApp, 'statsjobs');
    drop = made.drop;
    app = await NestFactory.createApplicationContext(JobsTestModule.forRoot(made.config), { logger: false });
    await app.get(JobWorkerHost).start(['stats']);
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('keeps exactly one monthly schedule, on the 1st at 00:30 county time', async () => {
    const schedulers = await app.get(JobQueue).queue('stats').getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({
      key: 'stats-monthly-coverage-snapshot',
      name: 'SnapshotCoverage',
      pattern: '0 30 0 1 * *',
      tz: 'Asia/Shanghai',
    });
    expect(JOB_CATALOGUE.SnapshotCoverage.schedule?.id).toBe('stats-monthly-coverage-snapshot');
  });

  it('a SnapshotCoverage job stores one row per township for the month, twice without duplicates', async () => {
    const month = previousMonth(countyMonth(new Date()));
    const queue = app.get(JobQueue).queue('stats');
    for (const run of [1, 2]) {
      const id = await app.get(JobQueue).add('SnapshotCoverage', { month }, { jobId: `test-snapshot-${run}` });
      const deadline = Date.now() + 20_000;
      for (;;) {
        const state = await (await queue.getJob(id ?? ''))?.getState();
        if (state === 'completed') break;
        if (state === 'failed' || Date.now() > deadline) throw new Error(`snapshot job ${state ?? 'missing'}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const [{ n }] = await app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM stats_coverage_snapshots WHERE month = ?', [month]);
    expect(Number(n)).toBe(28);
  });
});
