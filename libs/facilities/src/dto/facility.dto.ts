import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { ListQueryDto, IsNotBlank, IsRegionCode } from '@care/core';
import { FACILITY_TYPES, OWNERSHIPS, type FacilityType, type Ownership } from '../facility.entity';

export class CreateFacilityDto {
  @ApiProperty({ example: '会宁县社会福利院' })
  @IsString()
  @Length(1, 100)
  @IsNotBlank()
  name: string;

  @ApiProperty({ enum: FACILITY_TYPES })
  @IsIn(FACILITY_TYPES)
  type: FacilityType;

  @ApiProperty({ example: '620422100', description: 'a township of the county' })
  @IsString()
  @IsRegionCode()
  regionCode: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string | null;

  @ApiProperty({ example: 35.6929, minimum: -90, maximum: 90 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat: number;

  @ApiProperty({ example: 105.0466, minimum: -180, maximum: 180 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng: number;

  @ApiProperty({ enum: OWNERSHIPS })
  @IsIn(OWNERSHIPS)
  ownership: Ownership;

  @ApiProperty({ description: 'full set of functions: residential care, day care, doorstep service, coordination' })
  @IsBoolean()
  comprehensive: boolean;
}

/** Validates a property only when it is present: `undefined` skips it, `null` fails like any wrong value. */
const Present = () => ValidateIf((_o: object, value: unknown) => value !== undefined);

/**
 * Every field optional; a field that is present must be valid (null only for `address`, which may be cleared),
 * so that `{ "name": null }` is a 400, not a database error.
 */
export class UpdateFacilityDto {
  @ApiPropertyOptional()
  @Present()
  @IsString()
  @Length(1, 100)
  @IsNotBlank()
  name?: string;

  @ApiPropertyOptional({ enum: FACILITY_TYPES })
  @Present()
  @IsIn(FACILITY_TYPES)
  type?: FacilityType;

  @ApiPropertyOptional()
  @Present()
  @IsString()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string | null;

  @ApiPropertyOptional({ minimum: -90, maximum: 90 })
  @Present()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat?: number;

  @ApiPropertyOptional({ minimum: -180, maximum: 180 })
  @Present()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng?: number;

  @ApiPropertyOptional({ enum: OWNERSHIPS })
  @Present()
  @IsIn(OWNERSHIPS)
  ownership?: Ownership;

  @ApiPropertyOptional()
  @Present()
  @IsBoolean()
  comprehensive?: boolean;
}

export class ListFacilitiesQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ example: '620422100' })
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ enum: FACILITY_TYPES })
  @IsOptional()
  @IsIn(FACILITY_TYPES)
  type?: FacilityType;
}
