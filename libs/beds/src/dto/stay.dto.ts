import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { ListQueryDto } from '@care/core';
import { DISCHARGE_REASONS, STAY_STATUSES, type DischargeReason, type StayStatus } from '../stay.entity';

/** An instant with its offset (2026-12-01T09:00:00+08:00 or …Z); a bare date or a local time is ambiguous. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const INSTANT_MESSAGE = 'must be an ISO-8601 time with offset, e.g. 2026-12-01T09:00:00+08:00';

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
  @Matches(/^\s*\d{17}[\dXx]\s*$/, { message: 'must be all 18 characters: 17 digits followed by a digit or X' })
  idNumber?: string;

  @ApiProperty()
  @IsUUID('all')
  bedId: string;

  @ApiPropertyOptional({ example: '2026-12-01T09:00:00+08:00', description: 'default now; not in the future' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
  admittedAt?: string;

  @ApiPropertyOptional({ description: 'why a resident who needs a nursing-type bed takes an ordinary one' })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @Matches(/\S/, { message: 'must not be blank' })
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
  @Matches(/\S/, { message: 'must not be blank' })
  overrideReason?: string;
}

export class DischargeDto {
  @ApiProperty({ enum: DISCHARGE_REASONS })
  @IsIn(DISCHARGE_REASONS)
  reason: DischargeReason;

  @ApiPropertyOptional({ example: '2026-12-20T10:00:00+08:00', description: 'default now; not in the future' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: INSTANT_MESSAGE })
  @Matches(INSTANT, { message: INSTANT_MESSAGE })
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
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'must be a real date YYYY-MM-DD' })
  date?: string;
}
