import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, uuidParam } from '@care/core';
import { CreateServicePointDto, ListServicePointsQueryDto } from '../dto/service-point.dto';
import { ServicePointsService } from '../services/service-points.service';

@ApiTags('caregivers')
@ApiBearerAuth()
@Controller('service-points')
export class ServicePointsController {
  constructor(private readonly points: ServicePointsService) {}

  @Post()
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Create a service point' })
  create(@Body() dto: CreateServicePointDto) {
    return this.points.create(dto);
  }

  @Get()
  @Roles('admin', 'dispatcher', 'bureau')
  list(@Query() query: ListServicePointsQueryDto) {
    return this.points.list(query);
  }

  @Get(':id')
  @Roles('admin', 'dispatcher', 'bureau')
  get(@Param('id', uuidParam('id')) id: string) {
    return this.points.getView(id);
  }
}
