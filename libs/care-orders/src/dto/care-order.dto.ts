import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsMonth, IsOffsetDateTime, ListQueryDto } from '@care/core';
import { ORDER_PRIORITIES, ORDER_SOURCES, type OrderPriority, type OrderSource } from '../entities/care-order.entity';
import { ORDER_STATUSES, type OrderStatus } from '../rules/order-status';
import { MAX_DURATION_MINUTES } from '../rules/order-window';
import { VITAL_RANGES } from '../rules/vitals';

const SERVICE_CODE = /^[a-z][a-z_]{1,31}$/;

export class CreateCareOrderDto {
  @ApiProperty()
  @IsUUID('all')
  residentId: string;

  @ApiProperty({ example: ['health_check', 'safety_check'], description: 'Service codes of GET /services' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(11)
  @IsString({ each: true })
  @Matches(SERVICE_CODE, { each: true, message: 'services must hold service codes such as health_check' })
  services: string[];

  @ApiProperty({ example: '2026-12-01T09:00:00+08:00' })
  @IsOffsetDateTime()
  windowStart: string;

  @ApiProperty({ example: '2026-12-01T17:00:00+08:00' })
  @IsOffsetDateTime()
  windowEnd: string;

  @ApiPropertyOptional({ description: "Default: the sum of the services' default minutes", minimum: 5 })
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(MAX_DURATION_MINUTES)
  durationMinutes?: number;

  @ApiPropertyOptional({ enum: ORDER_PRIORITIES, default: 'normal' })
  @IsOptional()
  @IsIn(ORDER_PRIORITIES)
  priority?: OrderPriority;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string;
}

export const MAX_BATCH_ORDERS = 1000;

export class CreateCareOrderBatchDto {
  @ApiProperty({ type: [CreateCareOrderDto], description: '1 to 1,000 orders, each the body of POST /care-orders' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_BATCH_ORDERS)
  @ValidateNested({ each: true })
  @Type(() => CreateCareOrderDto)
  orders: CreateCareOrderDto[];
}

export class ListCareOrdersQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ORDER_STATUSES })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(12)
  regionCode?: string;

  @ApiPropertyOptional({
    description: 'County date YYYY-MM-DD: orders planned that day, or (not yet planned) whose window touches it',
  })
  @IsOptional()
  @IsCalendarDate()
  date?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  caregiverId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  residentId?: string;

  @ApiPropertyOptional({ enum: ORDER_SOURCES })
  @IsOptional()
  @IsIn(ORDER_SOURCES)
  source?: OrderSource;

  @ApiPropertyOptional({ description: 'YYYY-MM: visit-plan orders of that month' })
  @IsOptional()
  @IsMonth()
  visitPlanMonth?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Only visits whose check-in was flagged (early, late, far)',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  flagged?: 'true' | 'false';
}

export class ReasonDto {
  @ApiProperty({ example: '身体不适' })
  @IsString()
  @Length(1, 500)
  reason: string;
}

export class CheckInDto {
  @ApiPropertyOptional({
    description: 'Omit lat and lng when the device has no position: the check-in is kept and flagged',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng?: number;

  @ApiPropertyOptional({
    example: '2026-12-01T09:02:00+08:00',
    description:
      "The phone's time of an action taken offline and sent later; more than 24 hours old or in the future: kept, flagged clock",
  })
  @IsOptional()
  @IsOffsetDateTime()
  recordedAt?: string;
}

/** POST /care-orders/:id/accept: no body, or the phone's time when sent from the offline queue. */
export class AcceptDto {
  @ApiPropertyOptional({
    example: '2026-12-01T09:02:00+08:00',
    description:
      "The phone's time of an action taken offline and sent later; more than 24 hours old or in the future: kept, flagged clock",
  })
  @IsOptional()
  @IsOffsetDateTime()
  recordedAt?: string;
}

export class VitalsDto {
  @ApiPropertyOptional({ description: 'mmHg', minimum: VITAL_RANGES.systolic.min, maximum: VITAL_RANGES.systolic.max })
  @IsOptional()
  @IsInt()
  @Min(VITAL_RANGES.systolic.min)
  @Max(VITAL_RANGES.systolic.max)
  systolic?: number;

  @ApiPropertyOptional({
    description: 'mmHg',
    minimum: VITAL_RANGES.diastolic.min,
    maximum: VITAL_RANGES.diastolic.max,
  })
  @IsOptional()
  @IsInt()
  @Min(VITAL_RANGES.diastolic.min)
  @Max(VITAL_RANGES.diastolic.max)
  diastolic?: number;

  @ApiPropertyOptional({
    description: 'beats/min',
    minimum: VITAL_RANGES.heartRate.min,
    maximum: VITAL_RANGES.heartRate.max,
  })
  @IsOptional()
  @IsInt()
  @Min(VITAL_RANGES.heartRate.min)
  @Max(VITAL_RANGES.heartRate.max)
  heartRate?: number;

  @ApiPropertyOptional({
    description: 'mmol/L',
    minimum: VITAL_RANGES.bloodGlucose.min,
    maximum: VITAL_RANGES.bloodGlucose.max,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 1 })
  @Min(VITAL_RANGES.bloodGlucose.min)
  @Max(VITAL_RANGES.bloodGlucose.max)
  bloodGlucose?: number;

  @ApiPropertyOptional({
    description: '°C',
    minimum: VITAL_RANGES.temperature.min,
    maximum: VITAL_RANGES.temperature.max,
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 1 })
  @Min(VITAL_RANGES.temperature.min)
  @Max(VITAL_RANGES.temperature.max)
  temperature?: number;
}

export class CheckOutDto {
  @ApiProperty({ example: ['health_check', 'safety_check'] })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(11)
  @IsString({ each: true })
  @Matches(SERVICE_CODE, { each: true, message: 'servicesDone must hold service codes such as health_check' })
  servicesDone: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;

  @ApiPropertyOptional({ type: VitalsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => VitalsDto)
  vitals?: VitalsDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  lat?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  lng?: number;

  @ApiPropertyOptional({
    example: '2026-12-01T09:41:00+08:00',
    description: "The phone's time of a check-out sent later (see check-in)",
  })
  @IsOptional()
  @IsOffsetDateTime()
  recordedAt?: string;
}

export class GenerateVisitPlansDto {
  @ApiProperty({ example: '2026-12' })
  @IsMonth()
  month: string;

  @ApiPropertyOptional({ example: '620422100' })
  @IsOptional()
  @IsString()
  @MaxLength(12)
  regionCode?: string;
}
