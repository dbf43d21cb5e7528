import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { JobWorkerHost } from '@care/core';

import { CoverageRepository } from '../coverage.repository';
import { CoverageService } from '../coverage.service';
import { KeptFiguresRepository } from '../kept-figures.repository';
import { countyMonth, previousMonth } from '../rules/period';

/**
 * Jobs of the statistics (dispatcher process): SnapshotCoverage keeps the monthly snapshots that history reads (its
 * monthly schedule is in the job catalogue, @care/core).
 * The handler only unpacks the month and calls the service; a second run replaces the rows (idempotent).
 */
@Module({ providers: [CoverageRepository, KeptFiguresRepository, CoverageService] })
export class StatsJobsModule implements OnModuleInit {
  private readonly logger = new Logger(StatsJobsModule.name);

  constructor(
    private readonly host: JobWorkerHost,
    private readonly coverage: CoverageService,
  ) {}

  onModuleInit(): void {
    this.host.register('SnapshotCoverage', async (payload) => {
      const month = payload.month ?? previousMonth(countyMonth(new Date()));
      const result = await this.coverage.snapshot(month);
      this.logger.log(`coverage snapshot ${month}: ${result.townships} townships`);
      return result;
    });
  }
}
