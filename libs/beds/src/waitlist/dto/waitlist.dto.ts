import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsOffsetDateTime, ListQueryDto, IsIdNumberInput } from '@care/core';

export class CreateWaitlistEntryDto {
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

  @ApiPropertyOptional({
    example: '2026-03-01T09:00:00+08:00',
    description: 'when the application was made; default now, not in the future',
  })
  @IsOptional()
  @IsOffsetDateTime()
  appliedAt?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export const WAITLIST_LIST_STATUSES = ['open', 'waiting', 'offered', 'admitted', 'cancelled', 'all'] as const;
export type WaitlistListStatus = (typeof WAITLIST_LIST_STATUSES)[number];

export class ListWaitlistQueryDto extends ListQueryDto {
  @ApiPropertyOptional({
    enum: WAITLIST_LIST_STATUSES,
    default: 'open',
    description: 'open = waiting or offered (in priority order)',
  })
  @IsOptional()
  @IsIn(WAITLIST_LIST_STATUSES)
  status?: WaitlistListStatus;
}

export class CreateOfferDto {
  @ApiProperty({ description: 'the freed (vacant) bed to offer to the best-placed fitting entry' })
  @IsUUID('all')
  bedId: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 720,
    description: 'how long the bed stays reserved; default from config (48)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(720)
  hours?: number;
}

export class CancelWaitlistEntryDto {
  @ApiPropertyOptional({ maxLength: 255 })
  @IsOptional()
  @IsString()
  @Length(1, 255)
  reason?: string;
}

export class BedRecommendationsQueryDto {
  @ApiProperty()
  @IsUUID('all')
  residentId: string;
}

export const MISMATCH_KINDS = ['needs_nursing_bed', 'nursing_bed_not_needed', 'no_valid_assessment'] as const;
export type MismatchKind = (typeof MISMATCH_KINDS)[number];

export class MismatchQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: MISMATCH_KINDS })
  @IsOptional()
  @IsIn(MISMATCH_KINDS)
  kind?: MismatchKind;
}
