import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Roles, type AuthUser, AuditRead, uuidParam } from '@care/core';
import {
  AcceptDto,
  CheckInDto,
  CheckOutDto,
  CreateCareOrderBatchDto,
  CreateCareOrderDto,
  ListCareOrdersQueryDto,
  ReasonDto,
} from '../dto/care-order.dto';
import { CareOrdersService } from '../services/care-orders.service';
import { OrderActionsService, type ActionResult } from '../services/order-actions.service';

const ACTION_KEY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'One key per action (the offline queue sends one): the same key and body replay the first answer, even once the order has moved on; another body → 409 IDEMPOTENCY_KEY_REUSED',
};

/** The action's view; a replayed answer says so in `Idempotent-Replayed: true`. */
function answer(result: ActionResult, res: FastifyReply) {
  if (result.replayed) res.header('Idempotent-Replayed', 'true');
  return result.view;
}

const READERS = ['admin', 'dispatcher', 'bureau', 'caregiver'] as const;
const CAREGIVER_ACTORS = ['admin', 'dispatcher', 'caregiver'] as const;

@ApiTags('care orders')
@ApiBearerAuth()
@Controller('care-orders')
export class CareOrdersController {
  constructor(
    private readonly orders: CareOrdersService,
    private readonly actions: OrderActionsService,
  ) {}

  @Post()
  @HttpCode(202)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Create a care order; dispatched through the queue, the request does not wait' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key + same body → same order; another body → 409',
  })
  @ApiResponse({ status: 202, description: '{ id, status: "pending" }' })
  async create(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateCareOrderDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const created = await this.orders.create(user, dto, key);
    if (created.replayed) res.header('Idempotent-Replayed', 'true');
    return { id: created.id, status: created.status };
  }

  @Post('batch')
  @HttpCode(202)
  @Roles('admin', 'dispatcher')
  @ApiOperation({ summary: 'Create 1–1,000 care orders at once; validated as a whole, dispatched by one job' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key + same body → same ids; another body → 409',
  })
  @ApiResponse({ status: 202, description: '{ ids: [...] } in the order given' })
  async createBatch(
    @CurrentUser() user: AuthUser,
    @Body() dto: CreateCareOrderBatchDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const created = await this.orders.createBatch(user, dto, key);
    if (created.replayed) res.header('Idempotent-Replayed', 'true');
    return { ids: created.ids };
  }

  @AuditRead()
  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Care orders; a caregiver sees only its own' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListCareOrdersQueryDto) {
    return this.orders.list(user, query);
  }

  @AuditRead()
  @Get(':id')
  @Roles(...READERS)
  get(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string) {
    return this.orders.get(user, id);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Roles(...CAREGIVER_ACTORS)
  @ApiOperation({ summary: 'Accept; recordedAt: the phone time when sent later from the offline queue' })
  @ApiHeader(ACTION_KEY_HEADER)
  async accept(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: AcceptDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return answer(await this.actions.accept(user, id, dto, key), res);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Roles(...CAREGIVER_ACTORS)
  @ApiOperation({ summary: 'Decline; the order is dispatched again, never to the same caregiver' })
  decline(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() dto: ReasonDto) {
    return this.actions.decline(user, id, dto.reason);
  }

  @Post(':id/check-in')
  @HttpCode(200)
  @Roles(...CAREGIVER_ACTORS)
  @ApiOperation({
    summary:
      'Check in; early, late, far, no position (no_location), by another than the assigned caregiver (proxy), an implausible phone time (clock): flagged, never refused',
  })
  @ApiHeader(ACTION_KEY_HEADER)
  async checkIn(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: CheckInDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return answer(await this.actions.checkIn(user, id, dto, key), res);
  }

  @Post(':id/check-out')
  @HttpCode(200)
  @Roles(...CAREGIVER_ACTORS)
  @ApiOperation({ summary: 'Check out with the services done, notes and vitals (plausible ranges)' })
  @ApiHeader(ACTION_KEY_HEADER)
  async checkOut(
    @CurrentUser() user: AuthUser,
    @Param('id', uuidParam('id')) id: string,
    @Body() dto: CheckOutDto,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    return answer(await this.actions.checkOut(user, id, dto, key), res);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('admin', 'dispatcher')
  cancel(@CurrentUser() user: AuthUser, @Param('id', uuidParam('id')) id: string, @Body() dto: ReasonDto) {
    return this.actions.cancel(user, id, dto.reason);
  }
}
