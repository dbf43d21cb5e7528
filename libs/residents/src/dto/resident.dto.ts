import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCalendarDate, ListQueryDto, IsNotBlank, IsRegionCode, IsIdNumberInput } from '@care/core';
import {
  LIVING_ARRANGEMENTS,
  RESIDENT_CATEGORIES,
  type Gender,
  type LivingArrangement,
  type ResidentCategory,
} from '../resident.entity';

const GENDERS = ['male', 'female'] as const;
const PHONE = /^[0-9+\-() ]{3,32}$/;

/** Validates a property only when it is present: `undefined` skips it, `null` fails like any wrong value. */
const Present = () => ValidateIf((_o: object, value: unknown) => value !== undefined);

export class CreateResidentDto {
  @ApiProperty({ example: '张桂兰' })
  @IsString()
  @Length(1, 64)
  @IsNotBlank()
  name: string;

  @ApiProperty({
    // the example's check digit is wrong on purpose (it would be 4): no real person's number is printed
    example: '620422193806150025',
    description: '18 characters, valid GB 11643-1999 check digit; never returned',
  })
  @IsString()
  @IsIdNumberInput()
  idNumber: string;

  @ApiProperty({ example: '620422100', description: 'a township of the county' })
  @IsString()
  @IsRegionCode()
  regionCode: string;

  @ApiProperty({ enum: LIVING_ARRANGEMENTS })
  @IsIn(LIVING_ARRANGEMENTS)
  livingArrangement: LivingArrangement;

  @ApiProperty({ enum: RESIDENT_CATEGORIES, isArray: true })
  @IsArray()
  @ArrayMaxSize(RESIDENT_CATEGORIES.length)
  @ArrayUnique()
  @IsIn(RESIDENT_CATEGORIES, { each: true })
  categories: ResidentCategory[];

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string | null;

  @ApiPropertyOptional({ nullable: true, minimum: -90, maximum: 90 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat?: number | null;

  @ApiPropertyOptional({ nullable: true, minimum: -180, maximum: 180 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng?: number | null;

  @ApiPropertyOptional({ nullable: true, example: '13800000000' })
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'must be 3–32 digits, spaces, +, - or parentheses' })
  phone?: string | null;

  @ApiPropertyOptional({ enum: GENDERS, description: 'derived from the ID number; a value that disagrees is a 400' })
  @IsOptional()
  @IsIn(GENDERS)
  gender?: Gender | null;

  @ApiPropertyOptional({
    example: '1938-06-15',
    description: 'derived from the ID number; a value that disagrees is a 400',
  })
  @IsOptional()
  @IsCalendarDate()
  birthDate?: string | null;

  @ApiPropertyOptional({
    description:
      'The facility that registers the resident (its managers then see it). A manager may omit it when it manages one facility.',
  })
  @IsOptional()
  @IsUUID('all')
  facilityId?: string;
}

export class UpdateResidentDto {
  @ApiPropertyOptional()
  @Present()
  @IsString()
  @Length(1, 64)
  @IsNotBlank()
  name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng?: number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @Matches(PHONE, { message: 'must be 3–32 digits, spaces, +, - or parentheses' })
  phone?: string | null;

  @ApiPropertyOptional({ enum: RESIDENT_CATEGORIES, isArray: true, description: 'replaces the whole set' })
  @Present()
  @IsArray()
  @ArrayMaxSize(RESIDENT_CATEGORIES.length)
  @ArrayUnique()
  @IsIn(RESIDENT_CATEGORIES, { each: true })
  categories?: ResidentCategory[];

  @ApiPropertyOptional({ enum: LIVING_ARRANGEMENTS })
  @Present()
  @IsIn(LIVING_ARRANGEMENTS)
  livingArrangement?: LivingArrangement;
}

export class ListResidentsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ example: '620422100' })
  @IsOptional()
  @IsRegionCode()
  regionCode?: string;

  @ApiPropertyOptional({ enum: RESIDENT_CATEGORIES })
  @IsOptional()
  @IsIn(RESIDENT_CATEGORIES)
  category?: ResidentCategory;

  @ApiPropertyOptional({ enum: LIVING_ARRANGEMENTS })
  @IsOptional()
  @IsIn(LIVING_ARRANGEMENTS)
  livingArrangement?: LivingArrangement;

  @ApiPropertyOptional({
    example: '620422193806150025',
    description:
      'The desk look-up: all 18 characters of an ID number (valid check digit). Answers that one resident (or none), ' +
      'for a manager also one beyond its facilities; the other filters are not applied. Audited as residents.lookUpByIdNumber.',
  })
  @IsOptional()
  @IsString()
  @IsIdNumberInput()
  idNumber?: string;

  @ApiPropertyOptional({ description: 'part of the name, or the exact ID number (matched through its keyed hash)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  q?: string;
}
