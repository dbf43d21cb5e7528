import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsMonth, ListQueryDto } from '@care/core';

export class CoverageQueryDto {
  @ApiPropertyOptional({
    description: 'A township, or a county to get its townships; default: all',
    example: '620422102',
  })
  @IsOptional()
  @IsString()
  @MaxLength(12)
  regionCode?: string;

  @ApiPropertyOptional({ description: 'YYYY-MM, county time; default: the current month', example: '2026-05' })
  @IsOptional()
  @IsMonth()
  month?: string;
}

export class ExportQueryDto extends CoverageQueryDto {
  @ApiPropertyOptional({ enum: ['xlsx', 'csv'], default: 'xlsx' })
  @IsOptional()
  @IsIn(['xlsx', 'csv'])
  format?: 'xlsx' | 'csv';
}

export class HistoryQueryDto {
  @ApiProperty({ example: '2026-01' })
  @IsMonth()
  from: string;

  @ApiProperty({ example: '2026-05' })
  @IsMonth()
  to: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(12)
  regionCode?: string;
}

export class SnapshotDto {
  @ApiPropertyOptional({ description: 'YYYY-MM; default: the previous month' })
  @IsOptional()
  @IsMonth()
  month?: string;
}

export class FacilityStatsQueryDto extends ListQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(12)
  regionCode?: string;
}
