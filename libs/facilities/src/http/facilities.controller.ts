import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser, uuidParam } from '@care/core';
import { CreateFacilityDto, ListFacilitiesQueryDto, UpdateFacilityDto } from '../dto/facility.dto';
import { FacilitiesService } from '../facilities.service';
import { toFacilityView } from '../facility.view';

@ApiTags('facilities')
@ApiBearerAuth()
@Controller('facilities')
export class FacilitiesController {
  constructor(private readonly facilities: FacilitiesService) {}

  @Post()
  @Roles('admin', 'bureau')
  @ApiOperation({ summary: 'Register a facility (admin, bureau); regionCode must be a township of the county' })
  async create(@Body() dto: CreateFacilityDto) {
    return toFacilityView(await this.facilities.create(dto));
  }

  @Get()
  @Roles('admin', 'bureau', 'manager', 'dispatcher')
  @ApiOperation({ summary: 'List facilities; a manager sees only its own' })
  async list(@CurrentUser() user: AuthUser, @Query() query: ListFacilitiesQueryDto) {
    const page = await this.facilities.list(user, query);
    return { items: page.items.map(toFacilityView), total: page.total };
  }

  @Get(':id')
  @Roles('admin', 'bureau', 'manager', 'dispatcher')
  async get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return toFacilityView(await this.facilities.getVisible(user, id));
  }

  @Patch(':id')
  @Roles('admin', 'bureau')
  @ApiOperation({ summary: 'Change a facility (admin, bureau)' })
  async update(@Param('id', uuidParam('id')) id: string, @Body() dto: UpdateFacilityDto) {
    return toFacilityView(await this.facilities.update(id, dto));
  }
}
