import { Body, Controller, Get, HttpCode, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, JobQueue, Roles, type AuthUser } from '@care/core';

import { CoverageService } from '../coverage.service';
import {
  CoverageQueryDto,
  ExportQueryDto,
  FacilityStatsQueryDto,
  HistoryQueryDto,
  SnapshotDto,
} from '../dto/stats.dto';
import { exportCoverage } from '../export';
import { FacilityStatsService } from '../facility-stats.service';
import { EmergencyStatsService } from '../emergency-stats.service';
import { countyMonth, previousMonth } from '../rules/period';

@ApiTags('stats')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(
    private readonly coverage: CoverageService,
    private readonly facilities: FacilityStatsService,
    private readonly jobs: JobQueue,
    private readonly emergency: EmergencyStatsService,
  ) {}

  @Get('emergency-calls')
  @Roles('admin', 'bureau')
  @ApiOperation({
    summary: "The month's emergency calls, median minutes to arrive, share reached within 60 min, per township",
  })
  async emergencyCalls(@Query() query: CoverageQueryDto) {
    return this.emergency.report(query);
  }

  @Get('coverage')
  @Roles('admin', 'bureau')
  @ApiOperation({ summary: 'Coverage indicators for the county and per township (domain.md §6)' })
  async get(@Query() query: CoverageQueryDto) {
    return this.coverage.coverage(query);
  }

  @Get('coverage/export')
  @Roles('admin', 'bureau')
  @ApiOperation({ summary: 'The coverage indicators as an xlsx or csv file' })
  async export(@Query() query: ExportQueryDto, @Res({ passthrough: true }) res: FastifyReply) {
    const report = await this.coverage.coverage(query);
    const file = await exportCoverage(report, query.format ?? 'xlsx');
    res.header('Content-Type', file.contentType);
    res.header('Content-Disposition', `attachment; filename="${file.filename}"`);
    return new StreamableFile(file.body);
  }

  @Get('coverage/history')
  @Roles('admin', 'bureau')
  @ApiOperation({ summary: 'Monthly snapshots of the indicators between two months (both included)' })
  async history(@Query() query: HistoryQueryDto) {
    return this.coverage.history(query);
  }

  @Post('coverage/snapshots')
  @HttpCode(202)
  @Roles('admin') // a write (kept figures): the bureau writes facilities and regions only
  @ApiOperation({ summary: 'Take (or retake) the snapshot of a month now; the monthly job does it on the 1st' })
  async snapshot(@Body() dto: SnapshotDto) {
    const month = dto.month ?? previousMonth(countyMonth(new Date()));
    this.coverage.period(month); // 400 for a month that has not started
    const jobId = await this.jobs.add('SnapshotCoverage', { month }, { jobId: `snapshot-${month}-${Date.now()}` });
    return { jobId, month };
  }

  @Get('next-steps')
  @Roles('admin', 'bureau')
  @ApiOperation({ summary: 'What the bureau must do next, per township: nursing beds, service circles, assessments' })
  async nextSteps(@Query() query: CoverageQueryDto) {
    return this.coverage.nextSteps(query);
  }

  @Get('facilities')
  @Roles('admin', 'bureau', 'manager')
  @ApiOperation({
    summary: 'One row per facility: beds by type, occupancy, shares, residents by level; a manager sees its own',
  })
  async facilityStats(@CurrentUser() user: AuthUser, @Query() query: FacilityStatsQueryDto) {
    return this.facilities.list(user, query);
  }
}
