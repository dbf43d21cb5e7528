import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  SqlTransactionRunner,
  TransactionRunner,
  UnprocessableError,
  affectedRowsOf,
  countyInstant,
  auditContext,
  isDuplicateKeyError,
  type AuthUser,
  type Page,
} from '@care/core';
import type { CreateCareOrderBatchDto, CreateCareOrderDto, ListCareOrdersQueryDto } from '../dto/care-order.dto';
import { CareOrder, IdempotencyKey, type OrderSource } from '../entities/care-order.entity';
import {
  IDEMPOTENCY_KEY_LIFETIME_MS,
  isIdempotencyKeyExpired,
  isValidIdempotencyKey,
  requestHash,
} from '../rules/idempotency';
import { windowProblems } from '../rules/order-window';
import { effectiveDuration, unknownServiceCodes } from '../rules/service-catalogue';
import { CatalogueService } from './catalogue.service';
import { DispatchEnqueuer } from './dispatch-enqueuer.service';
import { orderViews, type CareOrderView } from './order-views';
import {
  batchOrderIds,
  insertOrderBatch,
  insertOrderForResidentAtHome,
  newOrderStatements,
  type NewBatchOrder,
  type NewOrder,
} from './order-writes';
import { idempotencyKeyStatement } from './order-statements';
import { residentFacts, residentFactsFrom, residentFactsStatement } from './resident-facts';

export const CREATE_ORDER_ENDPOINT = 'POST /care-orders';
export const CREATE_BATCH_ENDPOINT = 'POST /care-orders/batch';

export interface CreatedBatch {
  ids: string[];
  replayed: boolean;
}

type Catalogue = Awaited<ReturnType<CatalogueService['map']>>;

/**
 * What is wrong with one order's body beyond its DTO (unknown services, the window), as "field: reason" lines;
 * with its effective duration and window when nothing is.
 */
function orderBodyProblems(
  dto: CreateCareOrderDto,
  catalogue: Catalogue,
  now: Date,
): { problems: string[]; windowStart: Date; windowEnd: Date; durationMinutes: number } {
  const problems: string[] = [];
  const unknown = unknownServiceCodes(dto.services, catalogue);
  if (unknown.length) problems.push(`services: unknown service code(s) ${unknown.join(', ')}`);
  const windowStart = new Date(dto.windowStart);
  const windowEnd = new Date(dto.windowEnd);
  if (Number.isNaN(windowStart.getTime())) problems.push('windowStart: not a valid date-time');
  if (Number.isNaN(windowEnd.getTime())) problems.push('windowEnd: not a valid date-time');
  const durationMinutes = effectiveDuration(
    dto.services.filter((code) => catalogue.has(code)),
    catalogue,
    dto.durationMinutes,
  );
  if (!Number.isNaN(windowStart.getTime()) && !Number.isNaN(windowEnd.getTime())) {
    problems.push(
      ...windowProblems({
        windowStart,
        windowEnd,
        durationMinutes,
        durationGiven: dto.durationMinutes !== undefined,
        now,
      }),
    );
  }
  return { problems, windowStart, windowEnd, durationMinutes };
}

export interface CreatedOrder {
  id: string;
  status: 'pending';
  /** True when an Idempotency-Key replayed an earlier request. */
  replayed: boolean;
}

/**
 * What another library may add to an order's creation (libs/emergency: the call that makes the order). `source`
 * marks the order; `within` runs in the order's transaction right after the order is written, so the caller's rows
 * commit or roll back with it (throwing from it rolls the order back).
 */
export interface CreateOrderOptions {
  source?: OrderSource;
  within?: (em: EntityManager, orderId: string) => Promise<void>;
}

/** Thrown inside the transaction when another request already holds the Idempotency-Key. */
class KeyTaken extends Error {}

/** Who may see which orders: a caregiver only the orders assigned to it now; others everything. */
export function orderScope(user: AuthUser): { caregiverId: string | null } | null {
  if (user.role !== 'caregiver') return null;
  return { caregiverId: user.caregiverId };
}

@Injectable()
export class CareOrdersService {
  constructor(
    @InjectRepository(CareOrder) private readonly orders: Repository<CareOrder>,
    @InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>,
    private readonly tx: TransactionRunner,
    private readonly hot: SqlTransactionRunner,
    private readonly catalogue: CatalogueService,
    private readonly enqueue: DispatchEnqueuer,
  ) {}

  /**
   * Creates an order (status pending) and enqueues its dispatch after the commit; never waits for dispatch.
   * With an Idempotency-Key: the key row is inserted in the order's transaction, so concurrent requests with
   * one key queue on its primary key and only the first creates an order; the others, and any later retry,
   * replay it (same body) or get 409 IDEMPOTENCY_KEY_REUSED (another body). A request that fails stores
   * nothing, so it can be retried with the same key.
   */
  async create(
    user: AuthUser,
    dto: CreateCareOrderDto,
    idempotencyKey?: string,
    options: CreateOrderOptions = {},
  ): Promise<CreatedOrder> {
    const key = idempotencyKey === undefined || idempotencyKey === '' ? null : idempotencyKey;
    if (key !== null && !isValidIdempotencyKey(key)) {
      throw new InvalidInputError('Idempotency-Key: must be 1–255 printable ASCII characters');
    }
    // only a request with a key is ever compared with another
    const hash = key === null ? '' : requestHash(CREATE_ORDER_ENDPOINT, { ...dto });
    if (key === null) return this.createOnce(user, dto, null, hash, options);
    // No look-up before the transaction: the key's row is inserted in the order's transaction (its primary key
    // serialises requests with one key), so a used key shows as a duplicate there, and only then is it read. A
    // refused request (400/422) reads it too: a retry whose body no longer validates (its window now past) still
    // replays the order it created.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.createOnce(user, dto, key, hash, options);
      } catch (error) {
        const taken = error instanceof KeyTaken;
        if (!taken && !(error instanceof InvalidInputError) && !(error instanceof UnprocessableError)) throw error;
        const earlier = await this.keys.findOneBy({ userId: user.id, key });
        if (earlier && !isIdempotencyKeyExpired(earlier.createdAt, new Date())) return this.replay(earlier, hash);
        if (!taken) throw error;
        // past its lifetime the key is free again: forget that very record (not one a concurrent request just
        // stored) and try once more; a key still taken then is a concurrent request's, replayed as above
        if (earlier) await this.keys.delete({ userId: user.id, key, createdAt: earlier.createdAt });
        if (attempt > 0)
          throw new ConflictError('CONFLICT', 'A concurrent request with this Idempotency-Key conflicts; retry');
      }
    }
  }

  /** One attempt at creating the order: checks, the transaction, and the dispatch job after the commit. */
  private async createOnce(
    user: AuthUser,
    dto: CreateCareOrderDto,
    key: string | null,
    hash: string,
    options: CreateOrderOptions,
  ): Promise<CreatedOrder> {
    const catalogue = await this.catalogue.map();
    const unknown = unknownServiceCodes(dto.services, catalogue);
    if (unknown.length) throw new InvalidInputError(`services: unknown service code(s) ${unknown.join(', ')}`);
    const windowStart = new Date(dto.windowStart);
    const windowEnd = new Date(dto.windowEnd);
    const problems: string[] = [];
    if (Number.isNaN(windowStart.getTime())) problems.push('windowStart: not a valid date-time');
    if (Number.isNaN(windowEnd.getTime())) problems.push('windowEnd: not a valid date-time');
    const durationMinutes = effectiveDuration(dto.services, catalogue, dto.durationMinutes);
    if (problems.length === 0) {
      problems.push(
        ...windowProblems({
          windowStart,
          windowEnd,
          durationMinutes,
          durationGiven: dto.durationMinutes !== undefined,
          now: new Date(),
        }),
      );
    }
    if (problems.length) throw new InvalidInputError(problems.join('; '));

    const id = randomUUID();
    const order: NewOrder = {
      id,
      residentId: dto.residentId,
      windowStart,
      windowEnd,
      durationMinutes,
      priority: dto.priority ?? 'normal',
      notes: dto.notes ?? null,
      createdBy: user.id,
      services: dto.services,
      source: options.source,
    };
    if (options.within) await this.createWithin(user, order, key, hash, options.within);
    else await this.createHot(user, order, key, hash);
    await this.enqueue.dispatch([{ id, version: 0, priority: dto.priority ?? 'normal' }]);
    return { id, status: 'pending', replayed: false };
  }

  /**
   * POST /care-orders in two round trips (SqlTransactionRunner): the Idempotency-Key row and the order (written only
   * for a resident at home, no read before it), then its services, the audit event and COMMIT.
   */
  private async createHot(user: AuthUser, order: NewOrder, key: string | null, hash: string): Promise<void> {
    const statements = newOrderStatements(order);
    await this.hot.run(async (tx) => {
      // inside the transaction: a replayed Idempotency-Key rolls it back, and the event names the earlier order
      auditContext.note({ entity: 'care-order', ids: [order.id], residentIds: [order.residentId] });
      let results;
      try {
        results = await tx.batch([
          ...(key !== null
            ? [
                idempotencyKeyStatement({
                  userId: user.id,
                  key,
                  endpoint: CREATE_ORDER_ENDPOINT,
                  requestHash: hash,
                  orderId: order.id,
                  responseStatus: 202,
                }),
              ]
            : []),
          statements.order,
        ]);
      } catch (error) {
        // the order's own INSERT cannot collide (a new uuid): a duplicate is the key
        if (key !== null && isDuplicateKeyError(error)) throw new KeyTaken();
        throw error;
      }
      if (affectedRowsOf(results[results.length - 1]) !== 1) {
        // say why nothing was written (this read only on the way to a 4xx)
        const [facts] = await tx.batch([residentFactsStatement('?', [order.residentId])]);
        await this.refuseOrder(order, residentFactsFrom(facts));
      }
      await tx.commit(statements.services ? [statements.services] : []);
    });
  }

  /** POST /care-orders for another library's order (`within` runs in its transaction, on an EntityManager). */
  private async createWithin(
    user: AuthUser,
    order: NewOrder,
    key: string | null,
    hash: string,
    within: (em: EntityManager, orderId: string) => Promise<void>,
  ): Promise<void> {
    await this.tx.run(async (em) => {
      auditContext.note({ entity: 'care-order', ids: [order.id], residentIds: [order.residentId] });
      if (key !== null) {
        // the same row as the hot path's, by the same statement
        const keyRow = idempotencyKeyStatement({
          userId: user.id,
          key,
          endpoint: CREATE_ORDER_ENDPOINT,
          requestHash: hash,
          orderId: order.id,
          responseStatus: 202,
        });
        try {
          await em.query(keyRow.sql, [...keyRow.params]);
        } catch (error) {
          if (isDuplicateKeyError(error)) throw new KeyTaken();
          throw error;
        }
      }
      if (!(await insertOrderForResidentAtHome(em, order)))
        await this.refuseOrder(order, await residentFacts(em, [order.residentId]));
      await within(em, order.id);
    });
  }

  /** Why an order for this resident was not written: 400 unknown resident, 422 not living at home. */
  private refuseOrder(order: NewOrder, facts: Map<string, { livingArrangement: string }>): Promise<never> {
    const resident = facts.get(order.residentId);
    if (!resident) throw new InvalidInputError(`residentId: unknown resident "${order.residentId}"`);
    if (resident.livingArrangement === 'home') throw new Error(`care order ${order.id} was not written`);
    throw new UnprocessableError('RESIDENT_NOT_AT_HOME', 'Doorstep services are for residents living at home');
  }

  /**
   * POST /care-orders/batch: 1 to 1,000 orders, validated as a whole first (any bad order → 400 naming each one by
   * index, nothing created), then written in one transaction with multi-row INSERTs, and dispatched by ONE
   * DispatchBatch job after the commit. An Idempotency-Key works as for a single order: the same key and body give
   * back the same ids, another body 409 IDEMPOTENCY_KEY_REUSED.
   */
  async createBatch(user: AuthUser, dto: CreateCareOrderBatchDto, idempotencyKey?: string): Promise<CreatedBatch> {
    const key = idempotencyKey === undefined || idempotencyKey === '' ? null : idempotencyKey;
    if (key !== null && !isValidIdempotencyKey(key)) {
      throw new InvalidInputError('Idempotency-Key: must be 1–255 printable ASCII characters');
    }
    const hash = key === null ? '' : requestHash(CREATE_BATCH_ENDPOINT, { orders: dto.orders.map((o) => ({ ...o })) });
    if (key !== null) {
      const earlier = await this.keys.findOneBy({ userId: user.id, key });
      if (earlier && !isIdempotencyKeyExpired(earlier.createdAt, new Date())) return this.replayBatch(earlier, hash);
      if (earlier) await this.keys.delete({ userId: user.id, key, createdAt: earlier.createdAt });
    }

    const now = new Date();
    const catalogue = await this.catalogue.map();
    const residents = await residentFacts(
      this.orders.manager,
      dto.orders.map((o) => o.residentId),
    );
    const problems: string[] = [];
    const rows: NewBatchOrder[] = [];
    dto.orders.forEach((order, index) => {
      const checked = orderBodyProblems(order, catalogue, now);
      const lines = [...checked.problems];
      const resident = residents.get(order.residentId);
      if (!resident) lines.push(`residentId: unknown resident "${order.residentId}"`);
      else if (resident.livingArrangement !== 'home')
        lines.push('residentId: RESIDENT_NOT_AT_HOME: doorstep services are for residents living at home');
      if (lines.length > 0) {
        problems.push(...lines.map((line) => `orders[${index}].${line}`));
        return;
      }
      if (!resident) return;
      rows.push({
        id: randomUUID(),
        residentId: order.residentId,
        regionCode: resident.regionCode,
        windowStart: checked.windowStart,
        windowEnd: checked.windowEnd,
        durationMinutes: checked.durationMinutes,
        priority: order.priority ?? 'normal',
        notes: order.notes ?? null,
        services: order.services,
      });
    });
    if (problems.length > 0) throw new InvalidInputError(problems.join('; '));

    const batchId = randomUUID();
    try {
      await this.tx.run(async (em) => {
        if (key !== null) {
          try {
            await em.insert(IdempotencyKey, {
              userId: user.id,
              key,
              endpoint: CREATE_BATCH_ENDPOINT,
              requestHash: hash,
              // a batch's key names the batch; its orders are the batch's items
              orderId: batchId,
              responseStatus: 202,
            });
          } catch (error) {
            if (isDuplicateKeyError(error)) throw new KeyTaken();
            throw error;
          }
        }
        // the residents were read outside this transaction: check again, under a shared lock, that they still live
        // at home (a resident admitted meanwhile must not get doorstep orders)
        const ids = [...new Set(rows.map((r) => r.residentId))];
        const athome: { id: string }[] = await em.query(
          `SELECT id FROM residents WHERE living_arrangement = 'home' AND id IN (${ids.map(() => '?').join(',')}) LOCK IN SHARE MODE`,
          ids,
        );
        if (athome.length !== ids.length) {
          const still = new Set(athome.map((r) => r.id));
          const moved = dto.orders
            .map((o, index) => (still.has(o.residentId) ? null : `orders[${index}].residentId: RESIDENT_NOT_AT_HOME`))
            .filter((line): line is string => line !== null);
          throw new InvalidInputError(moved.join('; '));
        }
        await insertOrderBatch(em, { id: batchId, source: 'manual', createdBy: user.id }, rows);
      });
    } catch (error) {
      if (error instanceof KeyTaken && key !== null) {
        const earlier = await this.keys.findOneBy({ userId: user.id, key });
        if (earlier) return this.replayBatch(earlier, hash);
      }
      throw error;
    }
    await this.enqueue.dispatchBatch(batchId, rows.some((r) => r.priority === 'urgent') ? 'urgent' : 'normal');
    return { ids: rows.map((r) => r.id), replayed: false };
  }

  private async replayBatch(earlier: IdempotencyKey, hash: string): Promise<CreatedBatch> {
    if (earlier.endpoint !== CREATE_BATCH_ENDPOINT || earlier.requestHash !== hash) {
      throw new ConflictError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for another request; use a new key for a new batch',
      );
    }
    const ids = await batchOrderIds(this.orders.manager, earlier.orderId);
    // the first request may have died between commit and enqueue: the same batch job again is a no-op
    const urgent: { n: number | string }[] = await this.orders.manager.query(
      `SELECT COUNT(*) AS n FROM care_order_batch_items i JOIN care_orders o ON o.id = i.order_id
        WHERE i.batch_id = ? AND o.status = 'pending' AND o.priority = 'urgent'`,
      [earlier.orderId],
    );
    await this.enqueue.dispatchBatch(earlier.orderId, Number(urgent[0]?.n ?? 0) > 0 ? 'urgent' : 'normal');
    return { ids, replayed: true };
  }

  /** The PruneIdempotencyKeys job: deletes keys past their lifetime, a thousand rows per statement. */
  async pruneIdempotencyKeys(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - IDEMPOTENCY_KEY_LIFETIME_MS);
    let pruned = 0;
    for (;;) {
      const result = (await this.keys.manager.query('DELETE FROM idempotency_keys WHERE created_at <= ? LIMIT 1000', [
        before,
      ])) as {
        affectedRows?: number;
      };
      const deleted = Number(result.affectedRows ?? 0);
      pruned += deleted;
      if (deleted < 1000) return pruned;
    }
  }

  private async replay(earlier: IdempotencyKey, hash: string): Promise<CreatedOrder> {
    if (earlier.endpoint !== CREATE_ORDER_ENDPOINT || earlier.requestHash !== hash) {
      throw new ConflictError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for another request; use a new key for a new order',
      );
    }
    // the first request may have died between commit and enqueue: enqueueing the same round again is a no-op
    const order = await this.orders.findOneBy({ id: earlier.orderId });
    if (order?.status === 'pending')
      await this.enqueue.dispatch([{ id: order.id, version: order.version, priority: order.priority }]);
    return { id: earlier.orderId, status: 'pending', replayed: true };
  }

  async get(user: AuthUser, id: string): Promise<CareOrderView> {
    const order = await this.orders.findOneBy({ id });
    const scope = orderScope(user);
    if (!order || (scope && order.caregiverId !== scope.caregiverId)) throw new NotFoundError('Care order', id);
    return (await orderViews(this.orders.manager, [order], { showDeclines: !scope }))[0];
  }

  async list(user: AuthUser, query: ListCareOrdersQueryDto): Promise<Page<CareOrderView>> {
    const scope = orderScope(user);
    const qb = this.orders.createQueryBuilder('o');
    if (scope) qb.andWhere('o.caregiver_id = :own', { own: scope.caregiverId ?? '-' });
    if (query.status) qb.andWhere('o.status = :status', { status: query.status });
    if (query.regionCode) qb.andWhere('o.region_code = :regionCode', { regionCode: query.regionCode });
    if (query.caregiverId) qb.andWhere('o.caregiver_id = :caregiverId', { caregiverId: query.caregiverId });
    if (query.residentId) qb.andWhere('o.resident_id = :residentId', { residentId: query.residentId });
    if (query.source) qb.andWhere('o.source = :source', { source: query.source });
    if (query.visitPlanMonth) qb.andWhere('o.visit_plan_month = :month', { month: query.visitPlanMonth });
    if (query.date) {
      const dayStart = countyInstant(query.date);
      const dayEnd = new Date(dayStart.getTime() + 24 * 3600_000);
      qb.andWhere(
        '((o.planned_start >= :dayStart AND o.planned_start < :dayEnd) OR (o.planned_start IS NULL AND o.window_start < :dayEnd AND o.window_end > :dayStart))',
        { dayStart, dayEnd },
      );
    }
    if (query.flagged === 'true') {
      qb.andWhere(
        'EXISTS (SELECT 1 FROM care_visits v WHERE v.order_id = o.id AND (v.flag_early = 1 OR v.flag_late = 1 OR v.flag_far = 1 OR v.flag_no_location = 1 OR v.flag_proxy = 1 OR v.flag_clock = 1))',
      );
    } else if (query.flagged === 'false') {
      qb.andWhere(
        'NOT EXISTS (SELECT 1 FROM care_visits v WHERE v.order_id = o.id AND (v.flag_early = 1 OR v.flag_late = 1 OR v.flag_far = 1 OR v.flag_no_location = 1 OR v.flag_proxy = 1 OR v.flag_clock = 1))',
      );
    }
    qb.orderBy('COALESCE(o.planned_start, o.window_start)', 'ASC').addOrderBy('o.id', 'ASC');
    const [items, total] = await qb.skip(query.offset).take(query.limit).getManyAndCount();
    return { items: await orderViews(this.orders.manager, items, { showDeclines: !scope }), total };
  }

  /** For tests and tools: an order's view without a user (everything shown). */
  async view(em: EntityManager, order: CareOrder, user: AuthUser): Promise<CareOrderView> {
    return (await orderViews(em, [order], { showDeclines: !orderScope(user) }))[0];
  }
}
