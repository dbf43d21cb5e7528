import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser, AuditRead, uuidParam } from '@care/core';
import { AdmitDto, DischargeDto, ListStaysQueryDto, OccupancyQueryDto, TransferDto } from '../dto/stay.dto';
import { StaysService } from '../stays.service';

@ApiTags('stays')
@ApiBearerAuth()
@Controller()
export class StaysController {
  constructor(private readonly stays: StaysService) {}

  @Post('facilities/:facilityId/admissions')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary: 'Admit a resident into a bed',
    description:
      '409 BED_OCCUPIED (active stay, or reserved for someone else), 409 BED_UNAVAILABLE (maintenance, closed), ' +
      '409 RESIDENT_ALREADY_ADMITTED, 422 GENDER_MISMATCH, 422 NURSING_BED_REQUIRED (unless overrideReason).',
  })
  admit(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Body() dto: AdmitDto,
  ) {
    return this.stays.admit(user, facilityId, dto);
  }

  @Post('stays/:id/transfer')
  @HttpCode(200)
  @Roles('admin', 'manager')
  @ApiOperation({
    summary: 'Move the stay to another bed of the same facility; the admission rules apply to the new bed',
  })
  transfer(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() dto: TransferDto) {
    return this.stays.transfer(user, id, dto);
  }

  @Post('stays/:id/discharge')
  @HttpCode(200)
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'End the stay; the bed becomes vacant (returned_home: the resident lives at home again)' })
  discharge(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() dto: DischargeDto) {
    return this.stays.discharge(user, id, dto);
  }

  @AuditRead()
  @Get('stays/:id')
  @Roles('admin', 'bureau', 'manager')
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.stays.get(user, id);
  }

  @AuditRead()
  @Get('facilities/:facilityId/stays')
  @Roles('admin', 'bureau', 'manager')
  list(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Query() query: ListStaysQueryDto,
  ) {
    return this.stays.list(user, facilityId, query);
  }

  @AuditRead()
  @Get('facilities/:facilityId/occupancy')
  @Roles('admin', 'bureau', 'manager')
  @ApiOperation({ summary: 'Occupancy on a past day (default today), recomputed from the bed history' })
  occupancy(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Query() query: OccupancyQueryDto,
  ) {
    return this.stays.occupancy(user, facilityId, query.date);
  }
}
