import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles, type AuthUser, uuidParam } from '@care/core';
import { AlertsService } from '../alerts.service';
import {
  AcknowledgeAlertDto,
  CloseOrderDto,
  ListAlertsQueryDto,
  ListCallsQueryDto,
  RaiseCallDto,
  RegisterDeviceDto,
  ResolveCallDto,
  SimulateCallDto,
} from '../dto/emergency.dto';
import { EmergencyCallsService } from '../emergency-calls.service';

@ApiTags('emergency calls')
@ApiBearerAuth()
@Controller()
export class DevicesController {
  constructor(private readonly calls: EmergencyCallsService) {}

  @Put('residents/:id/device')
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Register the one-key call device (一键通) of a resident' })
  registerDevice(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: RegisterDeviceDto,
  ) {
    return this.calls.registerDevice(user, id, dto.deviceId);
  }
}

@ApiTags('emergency calls')
@ApiBearerAuth()
@Controller('emergency-calls')
export class EmergencyCallsController {
  constructor(private readonly calls: EmergencyCallsService) {}

  @Post()
  @Roles('dispatcher', 'integration')
  @ApiOperation({
    summary: 'Raise an emergency call (一键呼叫): an urgent care order dispatched ahead of all normal work',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A gateway retry with the same key answers the same call',
  })
  async raise(
    @CurrentUser() user: AuthUser,
    @Body() dto: RaiseCallDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { call, created } = await this.calls.raise(user, dto, key);
    // a retry or repeated press answers the call already open (201 either way: the gateway's contract)
    res.status(201);
    if (!created) res.header('Idempotent-Replayed', 'true');
    return call;
  }

  @Post('simulate')
  @Roles('admin')
  @ApiOperation({ summary: 'Demo only: simulate a press of a demo resident’s device' })
  async simulate(
    @CurrentUser() user: AuthUser,
    @Body() dto: SimulateCallDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { call, created } = await this.calls.simulate(user, dto.residentId);
    res.status(201);
    if (!created) res.header('Idempotent-Replayed', 'true');
    return call;
  }

  @Get()
  @Roles('admin', 'dispatcher', 'bureau')
  @ApiOperation({ summary: 'Emergency calls with seconds to assign and to arrive, and their escalations' })
  list(@Query() query: ListCallsQueryDto) {
    return this.calls.list(query);
  }

  @Get(':id')
  @Roles('admin', 'dispatcher', 'bureau')
  get(@Param('id', uuidParam('id')) id: string) {
    return this.calls.get(id);
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  resolve(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() dto: ResolveCallDto) {
    return this.calls.resolve(user, id, dto.outcome, dto.notes);
  }
}

@ApiTags('alerts')
@ApiBearerAuth()
@Controller()
export class AlertsController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('alerts')
  @Roles('admin', 'dispatcher', 'bureau')
  @ApiOperation({ summary: 'Alerts the system raised (预警), newest first' })
  list(@Query() query: ListAlertsQueryDto) {
    return this.alerts.list(query);
  }

  @Post('alerts/:id/acknowledge')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  acknowledge(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: AcknowledgeAlertDto,
  ) {
    return this.alerts.acknowledge(user, id, dto.note);
  }

  @Post('care-orders/:id/close')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Close a visit left in progress (no check-out), with a reason: status incomplete' })
  close(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() dto: CloseOrderDto) {
    return this.alerts.closeOrder(user, id, dto.reason);
  }
}
