import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ListQueryDto } from '@care/core';
import { ALERT_STATUSES, ALERT_TYPES, type AlertStatus, type AlertType } from '../rules/alerts';
import {
  CALL_OUTCOMES,
  CALL_SOURCES,
  CALL_STATUSES,
  type CallOutcome,
  type CallSource,
  type CallStatus,
} from '../rules/calls';

const DEVICE_ID = /^[\x21-\x7e]{1,64}$/;

export class RegisterDeviceDto {
  @ApiProperty({ example: 'YJT-860000000000001', description: 'The one-key device (一键通) id the gateway sends' })
  @IsString()
  @Matches(DEVICE_ID, { message: 'deviceId must be 1–64 printable characters without spaces' })
  deviceId: string;
}

export class RaiseCallDto {
  @ApiPropertyOptional({ description: 'Give residentId or deviceId, not both' })
  @IsOptional()
  @IsUUID('all')
  residentId?: string;

  @ApiPropertyOptional({ description: 'A device registered with PUT /residents/:id/device' })
  @IsOptional()
  @IsString()
  @Matches(DEVICE_ID, { message: 'deviceId must be 1–64 printable characters without spaces' })
  deviceId?: string;

  @ApiProperty({ enum: CALL_SOURCES })
  @IsIn(CALL_SOURCES)
  source: CallSource;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string;

  @ApiPropertyOptional({ description: 'Default: health_check, companionship' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(11)
  @IsString({ each: true })
  services?: string[];
}

export class SimulateCallDto {
  @ApiProperty({ description: 'A demo resident (its device id starts with DEMO-)' })
  @IsUUID('all')
  residentId: string;
}

export class ListCallsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: CALL_STATUSES })
  @IsOptional()
  @IsIn(CALL_STATUSES)
  status?: CallStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  residentId?: string;
}

export class ResolveCallDto {
  @ApiProperty({ enum: CALL_OUTCOMES })
  @IsIn(CALL_OUTCOMES)
  outcome: CallOutcome;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  notes?: string;
}

export class ListAlertsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: ALERT_STATUSES })
  @IsOptional()
  @IsIn(ALERT_STATUSES)
  status?: AlertStatus;

  @ApiPropertyOptional({ enum: ALERT_TYPES })
  @IsOptional()
  @IsIn(ALERT_TYPES)
  type?: AlertType;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all')
  orderId?: string;
}

export class AcknowledgeAlertDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class CloseOrderDto {
  @ApiProperty({ description: 'Why the visit is closed without a check-out' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}
