import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HUMAN_ROLES, Roles } from '@care/core';
import { CatalogueService } from '../services/catalogue.service';

@ApiTags('care orders')
@ApiBearerAuth()
@Controller('services')
export class ServicesController {
  constructor(private readonly catalogue: CatalogueService) {}

  @Get()
  @Roles(...HUMAN_ROLES)
  @ApiOperation({ summary: 'The doorstep service catalogue { code, name, defaultMinutes, skill }' })
  async list() {
    const items = (await this.catalogue.list()).map((s) => ({
      code: s.code,
      name: s.name,
      nameEn: s.nameEn,
      defaultMinutes: s.defaultMinutes,
      skill: s.skill,
      active: s.active,
    }));
    return { items, total: items.length };
  }
}
