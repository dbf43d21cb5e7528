import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@care/core';
import { AuditEventsService } from '../audit-events.service';
import { ListAuditEventsQueryDto } from '../dto/list-audit-events.dto';

/** The audit trail, read only: there is no route that changes or deletes an event. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit-events')
export class AuditEventsController {
  constructor(private readonly events: AuditEventsService) {}

  @Get()
  @Roles('admin', 'bureau')
  @ApiOperation({ summary: "Audit events, newest first; residentId answers who saw or changed an elder's record" })
  list(@Query() query: ListAuditEventsQueryDto) {
    return this.events.list(query);
  }
}
