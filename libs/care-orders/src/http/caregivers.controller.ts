import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles, type AuthUser, AuditRead, uuidParam } from '@care/core';
import { CreateCaregiverDto, ListCaregiversQueryDto, ScheduleQueryDto, UpdateCaregiverDto } from '../dto/caregiver.dto';
import { CaregiversService } from '../services/caregivers.service';

@ApiTags('caregivers')
@ApiBearerAuth()
@Controller('caregivers')
export class CaregiversController {
  constructor(private readonly caregivers: CaregiversService) {}

  @Post()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Create a caregiver of a service point' })
  create(@Body() dto: CreateCaregiverDto) {
    return this.caregivers.create(dto);
  }

  @Get()
  @Roles('admin', 'dispatcher', 'bureau')
  @ApiOperation({ summary: "Caregivers; regionCode filters by the service point's township" })
  list(@Query() query: ListCaregiversQueryDto) {
    return this.caregivers.list(query);
  }

  @Get(':id')
  @Roles('admin', 'dispatcher', 'bureau', 'caregiver')
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.caregivers.get(user, id);
  }

  @Patch(':id')
  @Roles('admin', 'dispatcher')
  @ApiOperation({
    summary: 'Change skills, shift, daily cap, service point or active; visits that no longer fit go back to dispatch',
  })
  async update(@Param('id', uuidParam('id')) id: string, @Body() dto: UpdateCaregiverDto) {
    const change = await this.caregivers.update(id, dto);
    return { ...change.view, releasedOrders: change.released.map((r) => ({ id: r.id, reason: r.reason })) };
  }

  @AuditRead()
  @Get(':id/schedule')
  @Roles('admin', 'dispatcher', 'bureau', 'caregiver')
  @ApiOperation({ summary: "The day's visits in order, with travel minutes between them" })
  schedule(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Query() query: ScheduleQueryDto) {
    return this.caregivers.schedule(user, id, query.date);
  }
}
