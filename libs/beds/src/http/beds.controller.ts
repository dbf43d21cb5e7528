import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser, uuidParam } from '@care/core';
import { BedsService } from '../beds.service';
import { toBedView } from '../bed.view';
import { BulkCreateBedsDto, CreateBedDto, ListBedsQueryDto, UpdateBedDto } from '../dto/bed.dto';

@ApiTags('beds')
@ApiBearerAuth()
@Controller()
export class BedsController {
  constructor(private readonly beds: BedsService) {}

  @Post('facilities/:facilityId/beds')
  @Roles('admin', 'manager') // the bureau writes facilities and regions only
  @ApiOperation({
    summary: 'Add a bed; 409 BED_LABEL_TAKEN, 422 ROOM_FULL (JGJ 450: 6 nursing-type or 4 ordinary beds a room)',
  })
  async create(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Body() dto: CreateBedDto,
  ) {
    return toBedView(await this.beds.create(user, facilityId, dto));
  }

  @Post('facilities/:facilityId/beds/bulk')
  @Roles('admin', 'manager') // the bureau writes facilities and regions only
  @ApiOperation({ summary: 'Add many beds, all or nothing → { created }' })
  async bulk(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Body() dto: BulkCreateBedsDto,
  ) {
    return { created: await this.beds.createMany(user, facilityId, dto.beds) };
  }

  @Get('facilities/:facilityId/beds')
  @Roles('admin', 'bureau', 'manager')
  async list(
    @CurrentUser() user: AuthUser,
    @Param('facilityId', uuidParam('facilityId')) facilityId: string,
    @Query() query: ListBedsQueryDto,
  ) {
    const page = await this.beds.list(user, facilityId, query);
    return { items: page.items.map(toBedView), total: page.total };
  }

  @Get('facilities/:facilityId/bed-summary')
  @Roles('admin', 'bureau', 'manager')
  @ApiOperation({
    summary: 'Beds in service (closed beds excluded) by type and status, nursing share and utilisation',
    description:
      'Fractions are rounded half-up to 4 places; without beds in service they are null and meetsNursingShareTarget is false.',
  })
  summary(@CurrentUser() user: AuthUser, @Param('facilityId', uuidParam('facilityId')) facilityId: string) {
    return this.beds.summary(user, facilityId);
  }

  @Get('beds/:id')
  @Roles('admin', 'bureau', 'manager')
  async get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return toBedView(await this.beds.get(user, id));
  }

  @Patch('beds/:id')
  @Roles('admin', 'manager') // the bureau writes facilities and regions only
  @ApiOperation({
    summary: 'Change type or status (vacant, maintenance, closed); 409 BED_OCCUPIED for an occupied or reserved bed',
  })
  async update(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() dto: UpdateBedDto) {
    return toBedView(await this.beds.update(user, id, dto));
  }
}
