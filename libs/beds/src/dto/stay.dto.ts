import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { IsCalendarDate, IsOffsetDateTime, ListQueryDto, IsNotBlank, IsIdNumberInput } from '@care/core';
import { DISCHARGE_REASONS, STAY_STATUSES, type DischargeReason, type StayStatus } from '../stay.entity';

export class AdmitDto {
  @ApiPropertyOptional({ description: 'a resident you already see; or give idNumber instead' })
  @ValidateIf((o: { idNumber?: unknown }) => o.idNumber === undefined)
  @IsUUID('all')
  residentId?: string;

  @ApiPropertyOptional({
    example: '620422193806150025',
    description:
      'instead of residentId: all 18 characters of the ID number (from the elder’s ID card), which reaches a resident ' +
      'beyond your facilities, as GET /residents?idNumber= does',
  })
  @ValidateIf(
    (o: { residentId?: unknown; idNumber?: unknown }) => o.idNumber !== undefined || o.residentId === undefined,
  )
  @IsString()
  @IsIdNumberInput()
  idNumber?: string;

  @ApiProperty()
  @IsUUID('all')
  bedId: string;

  @ApiPropertyOptional({ example: '2026-12-01T09:00:00+08:00', description: 'default now; not in the future' })
  @IsOptional()
  @IsOffsetDateTime()
  admittedAt?: string;

  @ApiPropertyOptional({ description: 'why a resident who needs a nursing-type bed takes an ordinary one' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @IsNotBlank()
  overrideReason?: string;
}

export class TransferDto {
  @ApiProperty()
  @IsUUID('all')
  bedId: string;

  @ApiPropertyOptional({ description: 'as for admissions: why a nursing-type bed is not used' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @IsNotBlank()
  overrideReason?: string;
}

export class DischargeDto {
  @ApiProperty({ enum: DISCHARGE_REASONS })
  @IsIn(DISCHARGE_REASONS)
  reason: DischargeReason;

  @ApiPropertyOptional({ example: '2026-12-20T10:00:00+08:00', description: 'default now; not in the future' })
  @IsOptional()
  @IsOffsetDateTime()
  dischargedAt?: string;
}

export class ListStaysQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: STAY_STATUSES })
  @IsOptional()
  @IsIn(STAY_STATUSES)
  status?: StayStatus;
}

export class OccupancyQueryDto {
  @ApiPropertyOptional({ example: '2026-12-01', description: 'a day in the county (default today); not in the future' })
  @IsOptional()
  @IsCalendarDate()
  date?: string;
}
