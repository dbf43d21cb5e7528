import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@care/core';
import { GenerateVisitPlansDto } from '../dto/care-order.dto';
import { VisitPlansService } from '../services/visit-plans.service';

@ApiTags('care orders')
@ApiBearerAuth()
@Controller('visit-plans')
export class VisitPlansController {
  constructor(private readonly plans: VisitPlansService) {}

  @Post('generate')
  @HttpCode(202)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Three visits in the month for every eligible elder at home; idempotent per month' })
  generate(@Body() dto: GenerateVisitPlansDto) {
    return this.plans.requestGeneration(dto.month, dto.regionCode);
  }
}
