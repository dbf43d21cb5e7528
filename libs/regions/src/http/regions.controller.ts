import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { HUMAN_ROLES, Roles } from '@care/core';
import { RegionsService } from '../regions.service';
import type { Region } from '../region.entity';

function toView(region: Region) {
  return {
    code: region.code,
    name: region.name,
    nameEn: region.nameEn,
    kind: region.kind,
    parentCode: region.parentCode,
    lat: region.lat,
    lng: region.lng,
    coordinatesGenerated: region.coordinatesGenerated,
  };
}

@ApiTags('regions')
@ApiBearerAuth()
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get()
  @Roles(...HUMAN_ROLES)
  async list() {
    const page = await this.regions.list();
    return { items: page.items.map(toView), total: page.total };
  }

  @Get(':code')
  @Roles(...HUMAN_ROLES)
  async get(@Param('code') code: string) {
    return toView(await this.regions.get(code));
  }
}
