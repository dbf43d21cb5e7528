import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsCalendarDate, IsTimeOfDay, ListQueryDto } from '@care/core';
import { SKILLS, type Skill } from '../rules/service-catalogue';

const GENDERS = ['male', 'female'] as const;

export class CreateCaregiverDto {
  @ApiProperty({ example: '王秀英' })
  @IsString()
  @Length(1, 64)
  name: string;

  @ApiProperty({ example: '13800000000' })
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{4,30}$/, { message: 'phone must be a telephone number (digits, spaces, dashes)' })
  phone: string;

  @ApiProperty({ enum: GENDERS })
  @IsIn(GENDERS)
  gender: 'male' | 'female';

  @ApiProperty()
  @IsUUID('all')
  servicePointId: string;

  @ApiProperty({ enum: SKILLS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(SKILLS.length)
  @IsIn(SKILLS, { each: true })
  skills: Skill[];

  @ApiProperty({ example: '08:00' })
  @IsTimeOfDay()
  shiftStart: string;

  @ApiProperty({ example: '17:00' })
  @IsTimeOfDay()
  shiftEnd: string;

  @ApiProperty({ example: 6, minimum: 1, maximum: 30 })
  @IsInt()
  @Min(1)
  @Max(30)
  maxDailyVisits: number;
}

export class UpdateCaregiverDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9][0-9 -]{4,30}$/, { message: 'phone must be a telephone number (digits, spaces, dashes)' })
  phone?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  servicePointId?: string;

  @ApiPropertyOptional({ enum: SKILLS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(SKILLS.length)
  @IsIn(SKILLS, { each: true })
  skills?: Skill[];

  @ApiPropertyOptional({ example: '08:00' })
  @IsOptional()
  @IsTimeOfDay()
  shiftStart?: string;

  @ApiPropertyOptional({ example: '17:00' })
  @IsOptional()
  @IsTimeOfDay()
  shiftEnd?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  maxDailyVisits?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ListCaregiversQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: "The service point's township" })
  @IsOptional()
  @IsString()
  @MaxLength(12)
  regionCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  servicePointId?: string;

  @ApiPropertyOptional({ enum: SKILLS })
  @IsOptional()
  @IsIn(SKILLS)
  skill?: Skill;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';
}

export class ScheduleQueryDto {
  @ApiProperty({ example: '2026-12-01' })
  @IsCalendarDate()
  date: string;
}
