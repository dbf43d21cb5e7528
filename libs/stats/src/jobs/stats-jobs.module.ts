import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { COUNTY_TIME_ZONE, JOB_CATALOGUE, JobQueue, JobWorkerHost } from '@care/core';

import { CoverageRepository } from '../coverage.repository';
import { CoverageService } from '../coverage.service';
import { KeptFiguresRepository } from '../kept-figures.repository';
import { countyMonth, previousMonth } from '../rules/period';

/** The schedule of the monthly snapshot: 00:30 county time on the 1st, for the month just closed. */
export const SNAPSHOT_SCHEDULER_ID = 'stats-monthly-coverage-snapshot';
export const SNAPSHOT_CRON = '0 30 0 1 * *';

/**
 * Jobs of the statistics (dispatcher process): SnapshotCoverage keeps the monthly snapshots that history reads.
 * The handler only unpacks the month and calls the service; a second run replaces the rows (idempotent).
 */
@Module({ providers: [CoverageRepository, KeptFiguresRepository, CoverageService] })
export class StatsJobsModule implements OnModuleInit {
  private readonly logger = new Logger(StatsJobsModule.name);

  constructor(
    private readonly host: JobWorkerHost,
    private readonly queue: JobQueue,
    private readonly coverage: CoverageService,
  ) {}

  async onModuleInit(): Promise<void> {
    this.host.register('SnapshotCoverage', async (payload) => {
      const month = payload.month ?? previousMonth(countyMonth(new Date()));
      const result = await this.coverage.snapshot(month);
      this.logger.log(`coverage snapshot ${month}: ${result.townships} townships`);
      return result;
    });
    // upsert: any number of dispatcher processes keep exactly one schedule
    await this.queue
      .queue(JOB_CATALOGUE.SnapshotCoverage.queue)
      .upsertJobScheduler(
        SNAPSHOT_SCHEDULER_ID,
        { pattern: SNAPSHOT_CRON, tz: COUNTY_TIME_ZONE },
        { name: 'SnapshotCoverage', data: {}, opts: JOB_CATALOGUE.SnapshotCoverage.options },
      );
  }
}
