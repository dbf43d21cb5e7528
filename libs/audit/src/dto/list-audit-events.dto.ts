import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { ListQueryDto } from '@care/core';

const ID = /^[0-9a-zA-Z-]{1,36}$/;

export class ListAuditEventsQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: "A resident's id: who saw or changed this elder's record" })
  @IsOptional()
  @Matches(ID, { message: 'residentId must be an id' })
  residentId?: string;

  @ApiPropertyOptional({ description: "The acting user's id" })
  @IsOptional()
  @Matches(ID, { message: 'actorId must be an id' })
  actorId?: string;

  @ApiPropertyOptional({ example: 'stays.admit', description: "The route's action name" })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9.-]{0,79}$/, { message: 'action must be an action name such as stays.admit' })
  action?: string;

  @ApiPropertyOptional({ example: '2026-12-01T00:00:00+08:00', description: 'From this instant (inclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-02T00:00:00+08:00', description: 'Before this instant (exclusive)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
