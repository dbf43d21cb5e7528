import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCalendarDate, Roles, IsRegionCode } from '@care/core';
import { DispatchKpisService } from './dispatch-kpis.service';

export class DispatchKpisQueryDto {
  @ApiPropertyOptional({ description: 'County date YYYY-MM-DD (default: today)' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional({ description: 'A township, or a county (its code is a prefix of its townships)' })
  @IsOptional()
  @IsString()
  @IsRegionCode()
  @MaxLength(12)
  regionCode?: string;
}

@ApiTags('dispatch')
@ApiBearerAuth()
@Controller('dispatch')
export class DispatchKpisController {
  constructor(private readonly kpis: DispatchKpisService) {}

  @Get('kpis')
  @Roles('dispatcher', 'bureau', 'admin')
  @ApiOperation({
    summary:
      "The day's dispatch quality: placed, urgent, reasons, travel per visit, continuity, spread, time to assign",
  })
  get(@Query() query: DispatchKpisQueryDto) {
    return this.kpis.kpis(query.date, query.regionCode);
  }
}
