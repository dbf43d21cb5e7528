import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { InvalidInputError, Roles } from '@care/core';
import { DispatchKpisService } from './dispatch-kpis.service';

export class DispatchKpisQueryDto {
  @ApiPropertyOptional({ description: 'County date YYYY-MM-DD (default: today)' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'date must be a date YYYY-MM-DD' })
  date?: string;

  @ApiPropertyOptional({ description: 'A township, or a county (its code is a prefix of its townships)' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{6,12}$/, { message: 'regionCode must be a region code (6 to 12 digits)' })
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
    if (query.date) {
      const ms = Date.parse(`${query.date}T00:00:00Z`);
      if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== query.date)
        throw new InvalidInputError('date: not a calendar date');
    }
    return this.kpis.kpis(query.date, query.regionCode);
  }
}
