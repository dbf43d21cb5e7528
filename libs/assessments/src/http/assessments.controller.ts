import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, ListQueryDto, Roles, type AuthUser, AuditRead, uuidParam } from '@care/core';
import { AssessmentsService } from '../assessments.service';
import { CreateAssessmentDto, DueAssessmentsQueryDto, ImportLegacyAssessmentDto } from '../dto/assessment.dto';

@ApiTags('assessments')
@ApiBearerAuth()
@Controller()
export class AssessmentsController {
  constructor(private readonly assessments: AssessmentsService) {}

  @Get('assessments/items')
  @Roles('admin', 'bureau', 'manager', 'dispatcher', 'caregiver')
  @ApiOperation({
    summary: 'The GB/T 42195-2022 item catalogue for assessment forms',
    description: 'Dimensions with their items: key, Chinese name, range and the standard wording of every score.',
  })
  catalogue() {
    return this.assessments.catalogue();
  }

  @AuditRead()
  @Get('assessments/due')
  @Roles('admin', 'bureau', 'manager', 'dispatcher')
  @ApiOperation({
    summary: 'Residents whose assessment has expired or falls due (default within 30 days), or is a legacy result',
    description: 'Soonest expiry first. status=none lists residents never assessed. Scoped like GET /residents.',
  })
  due(@CurrentUser() user: AuthUser, @Query() query: DueAssessmentsQueryDto) {
    return this.assessments.due(user, query);
  }

  @AuditRead()
  @Get('assessments/:id')
  @Roles('admin', 'bureau', 'manager', 'dispatcher')
  @ApiOperation({ summary: 'One assessment' })
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.assessments.get(user, id);
  }

  @Post('residents/:id/assessments')
  @Roles('admin', 'manager', 'dispatcher')
  @ApiOperation({
    summary: 'Record a GB/T 42195-2022 assessment; 400 names every missing or out-of-range item',
    description:
      'Returns scores per dimension, total, preliminary and final level (after the adjustment rules), levelName and validUntil.',
  })
  create(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() dto: CreateAssessmentDto) {
    return this.assessments.create(user, id, dto);
  }

  @Post('residents/:id/assessments/legacy')
  @Roles('admin', 'manager', 'dispatcher')
  @ApiOperation({
    summary: 'Import a legacy MZ/T 039-2013 result as history',
    description:
      'Mapped by level name only (能力完好/轻度失能/中度失能/重度失能), no scores, never valid, flagged for reassessment.',
  })
  importLegacy(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: ImportLegacyAssessmentDto,
  ) {
    return this.assessments.importLegacy(user, id, dto);
  }

  @AuditRead({ residentParam: 'id' })
  @Get('residents/:id/assessments')
  @Roles('admin', 'bureau', 'manager', 'dispatcher')
  @ApiOperation({ summary: "A resident's assessments, newest first" })
  list(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Query() query: ListQueryDto) {
    return this.assessments.list(user, id, query);
  }
}
