import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ListQueryDto, IsNotBlank } from '@care/core';
import { BED_STATUSES, BED_TYPES, type BedStatus, type BedType } from '../bed.entity';
import { SETTABLE_BED_STATUSES, type SettableBedStatus } from '../rules/bed-status';

const GENDERS = ['male', 'female'] as const;
/** The most beds one bulk request may create. */
export const BULK_MAX = 1000;

export class CreateBedDto {
  @ApiProperty({ example: '201' })
  @IsString()
  @Length(1, 32)
  @IsNotBlank()
  room: string;

  @ApiProperty({ example: '201-1' })
  @IsString()
  @Length(1, 32)
  @IsNotBlank()
  label: string;

  @ApiProperty({ enum: BED_TYPES })
  @IsIn(BED_TYPES)
  type: BedType;

  @ApiPropertyOptional({ example: 'A', nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  building?: string | null;

  @ApiPropertyOptional({ example: 2, nullable: true })
  @IsOptional()
  @IsInt()
  @Min(-5)
  @Max(200)
  floor?: number | null;

  @ApiPropertyOptional({
    enum: GENDERS,
    nullable: true,
    description: 'a bed in a men’s or women’s room; omit for either',
  })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: 'male' | 'female' | null;
}

export class BulkCreateBedsDto {
  @ApiProperty({ type: [CreateBedDto], maxItems: BULK_MAX })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(BULK_MAX)
  @ValidateNested({ each: true })
  @Type(() => CreateBedDto)
  beds: CreateBedDto[];
}

export class UpdateBedDto {
  @ApiPropertyOptional({ enum: BED_TYPES })
  @ValidateIf((_o: object, v: unknown) => v !== undefined)
  @IsIn(BED_TYPES)
  type?: BedType;

  @ApiPropertyOptional({
    enum: SETTABLE_BED_STATUSES,
    description: 'occupied and reserved are set by stays and reservations',
  })
  @ValidateIf((_o: object, v: unknown) => v !== undefined)
  @IsIn(SETTABLE_BED_STATUSES)
  status?: SettableBedStatus;
}

export class ListBedsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: BED_STATUSES })
  @IsOptional()
  @IsIn(BED_STATUSES)
  status?: BedStatus;

  @ApiPropertyOptional({ enum: BED_TYPES })
  @IsOptional()
  @IsIn(BED_TYPES)
  type?: BedType;
}
