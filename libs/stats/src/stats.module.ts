import { Module } from '@nestjs/common';

import { CoverageRepository } from './coverage.repository';
import { CoverageService } from './coverage.service';
import { KeptFiguresRepository } from './kept-figures.repository';
import { PlannedCapacityRepository } from './planned-capacity.repository';
import { FacilityStatsService } from './facility-stats.service';
import { EmergencyStatsService } from './emergency-stats.service';
import { StatsController } from './http/stats.controller';

/** Statistics for the bureau: HTTP module of the api. Reads other libraries' tables with plain SQL. */
@Module({
  controllers: [StatsController],
  providers: [
    CoverageRepository,
    KeptFiguresRepository,
    PlannedCapacityRepository,
    CoverageService,
    FacilityStatsService,
    EmergencyStatsService,
  ],
  exports: [CoverageService, PlannedCapacityRepository],
})
export class StatsModule {}
