import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { EntityManager, Repository } from 'typeorm';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  SqlTransactionRunner,
  TransactionRunner,
  auditContext,
  isDuplicateKeyError,
  stmt,
  type AuthUser,
  type SqlResult,
  type SqlStatement,
} from '@care/core';
import { residentFactsAround } from '@care/stats/outbox';
import type { AcceptDto, CheckInDto, CheckOutDto } from '../dto/care-order.dto';
import { CareOrder, IdempotencyKey, OrderDecline } from '../entities/care-order.entity';
import { assessCheckIn } from '../rules/check-in';
import { isIdempotencyKeyExpired, isValidIdempotencyKey, requestHash } from '../rules/idempotency';
import { actionTime, isProxyAction } from '../rules/offline-action';
import { transition, type OrderAction } from '../rules/order-status';
import { unknownServiceCodes } from '../rules/service-catalogue';
import { vitalsProblems } from '../rules/vitals';
import { CatalogueService } from './catalogue.service';
import { orderScope } from './care-orders.service';
import { DispatchEnqueuer } from './dispatch-enqueuer.service';
import { orderViews, type CareOrderView } from './order-views';
import { orderViewStatements, orderViewsFrom } from './order-views';
import { RELEASED, applyTransition, lockOrder, orderStatusStatement, type OrderPatch } from './order-writes';
import {
  assertOrderWritten,
  idempotencyKeyStatement,
  lockOrderStatement,
  orderFrom,
  orderStatement,
} from './order-statements';
import { residentFactsFrom, residentFactsStatement } from './resident-facts';

/** The caregiver actions an offline phone queues, each with an Idempotency-Key of its own. */
export type KeyedAction = 'accept' | 'check_in' | 'check_out';

export const ACTION_ENDPOINTS: Record<KeyedAction, string> = {
  accept: 'POST /care-orders/:id/accept',
  check_in: 'POST /care-orders/:id/check-in',
  check_out: 'POST /care-orders/:id/check-out',
};

/** An action's answer, and whether an Idempotency-Key replayed it. */
export interface ActionResult {
  view: CareOrderView;
  replayed: boolean;
}

/** The idempotency key of one request, checked and hashed. */
interface Keyed {
  key: string;
  endpoint: string;
  hash: string;
}

/** Thrown inside the transaction when another request already holds the Idempotency-Key. */
class KeyTaken extends Error {}

const parseRecordedAt = (value: string | undefined): Date | null => (value === undefined ? null : new Date(value));

/**
 * The actions on an order after its creation: the caregiver's accept, decline, check-in and check-out, and
 * the dispatcher's cancel. Each locks the order row, asks the transitions table, and writes in one
 * transaction; a decline enqueues the order's next dispatch round after the commit.
 */
@Injectable()
export class OrderActionsService {
  constructor(
    @InjectRepository(IdempotencyKey) private readonly keys: Repository<IdempotencyKey>,
    @InjectRepository(CareOrder) private readonly orders: Repository<CareOrder>,
    private readonly tx: TransactionRunner,
    private readonly hot: SqlTransactionRunner,
    private readonly catalogue: CatalogueService,
    private readonly enqueue: DispatchEnqueuer,
  ) {}

  /**
   * Accept. With `recordedAt` (sent later from the phone's offline queue) the accept is dated by the phone when
   * its clock is believable (rules/offline-action), else by the server; the phone's time is kept either way.
   */
  accept(user: AuthUser, id: string, dto: AcceptDto = {}, idempotencyKey?: string): Promise<ActionResult> {
    const recordedAt = parseRecordedAt(dto.recordedAt);
    return this.keyed(user, id, 'accept', dto, idempotencyKey, (keyed) =>
      this.act(
        user,
        id,
        'accept',
        async (em, order) => {
          const time = actionTime(new Date(), recordedAt);
          return applyTransition(em, order, 'accept', {
            acceptedAt: time.effectiveAt,
            acceptRecordedAt: time.recordedAt,
            acceptedBy: user.id,
          });
        },
        keyed,
      ),
    );
  }

  async decline(user: AuthUser, id: string, reason: string): Promise<CareOrderView> {
    let next: CareOrder | null = null;
    const view = await this.act(user, id, 'decline', async (em, order) => {
      transition(order.status, 'decline');
      const caregiverId = order.caregiverId as string;
      await em
        .createQueryBuilder()
        .insert()
        .into(OrderDecline)
        .values({ orderId: order.id, caregiverId, reason, declinedAt: new Date(), declinedByUserId: user.id })
        .orUpdate(['reason', 'declined_at', 'declined_by_user_id'], ['order_id', 'caregiver_id'])
        .execute();
      next = await applyTransition(em, order, 'decline', RELEASED);
      return next;
    });
    const declined = next as CareOrder | null;
    if (declined)
      await this.enqueue.dispatch([{ id: declined.id, version: declined.version, priority: declined.priority }]);
    return view;
  }

  /**
   * Check-in: when and where, flagged (early, late, far, no_location; proxy when not by the assigned caregiver;
   * clock when the phone's recordedAt is not believable), never refused for any of them.
   */
  checkIn(user: AuthUser, id: string, dto: CheckInDto, idempotencyKey?: string): Promise<ActionResult> {
    if ((dto.lat === undefined) !== (dto.lng === undefined)) {
      throw new InvalidInputError(dto.lat === undefined ? 'lat: required with lng' : 'lng: required with lat');
    }
    const recordedAt = parseRecordedAt(dto.recordedAt);
    return this.keyed(user, id, 'check_in', dto, idempotencyKey, (keyed) =>
      this.actHot(
        user,
        id,
        'check_in',
        // the resident's home, for the distance (resident_id never changes, a plain read)
        [residentFactsStatement('SELECT resident_id FROM care_orders WHERE id = ?', [id])],
        (order, [facts]) => {
          const received = new Date();
          const time = actionTime(received, recordedAt);
          const home = residentFactsFrom(facts).get(order.residentId)?.location ?? null;
          const position = dto.lat !== undefined && dto.lng !== undefined ? { lat: dto.lat, lng: dto.lng } : null;
          const assessment = assessCheckIn({
            at: time.effectiveAt,
            position,
            home,
            plannedStart: order.plannedStart ?? order.windowStart,
          });
          const visit = stmt(
            `INSERT INTO care_visits (order_id, caregiver_id, resident_id, checked_in_at, check_in_recorded_at,
               check_in_received_at, checked_in_by, check_in_lat, check_in_lng, check_in_distance_m, flag_early, flag_late,
               flag_far, flag_no_location, flag_proxy, flag_clock, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            [
              order.id,
              order.caregiverId as string,
              order.residentId,
              time.effectiveAt,
              time.recordedAt,
              received,
              user.id,
              position?.lat ?? null,
              position?.lng ?? null,
              assessment.distanceMeters,
              assessment.flags.includes('early') ? 1 : 0,
              assessment.flags.includes('late') ? 1 : 0,
              assessment.flags.includes('far') ? 1 : 0,
              assessment.flags.includes('no_location') ? 1 : 0,
              isProxyAction(user, order.caregiverId) ? 1 : 0,
              time.clock ? 1 : 0,
              received,
              received,
            ],
          );
          return { statements: [visit], patch: {} };
        },
        keyed,
      ),
    );
  }

  /** Check-out: what was done; by whom (proxy) and when (the phone's recordedAt, clock) as at check-in. */
  async checkOut(user: AuthUser, id: string, dto: CheckOutDto, idempotencyKey?: string): Promise<ActionResult> {
    const problems: string[] = [];
    if ((dto.lat === undefined) !== (dto.lng === undefined))
      problems.push(dto.lat === undefined ? 'lat: required with lng' : 'lng: required with lat');
    if (dto.vitals) problems.push(...vitalsProblems(dto.vitals));
    const unknown = unknownServiceCodes(dto.servicesDone, await this.catalogue.map({ all: true }));
    if (unknown.length) problems.push(`servicesDone: unknown service code(s) ${unknown.join(', ')}`);
    if (problems.length) throw new InvalidInputError(problems.join('; '));
    const recordedAt = parseRecordedAt(dto.recordedAt);
    return this.keyed(user, id, 'check_out', dto, idempotencyKey, (keyed) =>
      this.actHot(
        user,
        id,
        'check_out',
        [],
        (order) => {
          const received = new Date();
          const time = actionTime(received, recordedAt);
          const vitals = dto.vitals ?? {};
          const proxy = isProxyAction(user, order.caregiverId);
          // flags only ever add up: a proxy or clock check-in stays flagged after a clean check-out
          const visit = stmt(
            `UPDATE care_visits SET checked_out_at = ?, check_out_recorded_at = ?, check_out_received_at = ?, checked_out_by = ?,
               check_out_lat = ?, check_out_lng = ?, services_done = ?, notes = ?, systolic = ?, diastolic = ?, heart_rate = ?,
               blood_glucose = ?, temperature = ?${proxy ? ', flag_proxy = 1' : ''}${time.clock ? ', flag_clock = 1' : ''}, updated_at = ?
             WHERE order_id = ?`,
            [
              time.effectiveAt,
              time.recordedAt,
              received,
              user.id,
              dto.lat ?? null,
              dto.lng ?? null,
              JSON.stringify(dto.servicesDone),
              dto.notes ?? null,
              vitals.systolic ?? null,
              vitals.diastolic ?? null,
              vitals.heartRate ?? null,
              vitals.bloodGlucose ?? null,
              vitals.temperature ?? null,
              received,
              order.id,
            ],
          );
          // statistics: a completed visit counts towards its elder's three a month — the elder's marker in the
          // commit's batch (`before` is empty): no round trip of its own
          const facts = residentFactsAround('visits', order.residentId);
          return {
            statements: [...facts.before, visit],
            patch: { completedAt: time.effectiveAt },
            committed: [facts.after],
          };
        },
        keyed,
      ),
    );
  }

  /**
   * Runs a caregiver action under its Idempotency-Key (Stripe's semantics, rules/idempotency): the same key and
   * body replay the first answer, with another body (or another order or action) 409 IDEMPOTENCY_KEY_REUSED.
   * The key row is written in the action's own transaction, so a replay from the offline queue of an action the
   * server already applied never reaches the transitions table (no 409 INVALID_TRANSITION), and concurrent
   * requests with one key queue on its primary key: the action is done exactly once. A failed action stores
   * nothing, so it may be retried with its key. Without a key: the action as it always was.
   */
  private async keyed(
    user: AuthUser,
    id: string,
    action: KeyedAction,
    dto: object,
    idempotencyKey: string | undefined,
    run: (keyed: Keyed | null) => Promise<CareOrderView>,
  ): Promise<ActionResult> {
    const key = idempotencyKey === undefined || idempotencyKey === '' ? null : idempotencyKey;
    if (key === null) return { view: await run(null), replayed: false };
    if (!isValidIdempotencyKey(key))
      throw new InvalidInputError('Idempotency-Key: must be 1–255 printable ASCII characters');
    const keyed: Keyed = {
      key,
      endpoint: ACTION_ENDPOINTS[action],
      hash: requestHash(ACTION_ENDPOINTS[action], { orderId: id, ...dto }),
    };
    const keys = this.keys;
    // No look-up before the transaction: the key's row is its first statement, so a used key shows as a duplicate
    // there (before the order is read or the transitions table asked), and only then is it read and replayed.
    for (let attempt = 0; ; attempt++) {
      try {
        return { view: await run(keyed), replayed: false };
      } catch (error) {
        if (!(error instanceof KeyTaken)) throw error;
        const earlier = await keys.findOneBy({ userId: user.id, key });
        if (earlier && !isIdempotencyKeyExpired(earlier.createdAt, new Date()))
          return this.replay(user, id, earlier, keyed);
        // past its lifetime the key is free again: forget that very record (not one a concurrent request just
        // stored) and run once more
        if (earlier) await keys.delete({ userId: user.id, key, createdAt: earlier.createdAt });
        if (attempt > 0)
          throw new ConflictError('CONFLICT', 'A concurrent request with this Idempotency-Key conflicts; retry');
      }
    }
  }

  private async replay(user: AuthUser, id: string, earlier: IdempotencyKey, keyed: Keyed): Promise<ActionResult> {
    if (earlier.endpoint !== keyed.endpoint || earlier.requestHash !== keyed.hash) {
      throw new ConflictError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used for another request; use a new key for a new action',
      );
    }
    if (earlier.responseBody) return { view: JSON.parse(earlier.responseBody) as CareOrderView, replayed: true };
    // (an order-creation key never matches an action's endpoint; kept for completeness)
    const order = await this.orders.findOneBy({ id });
    if (!order) throw new NotFoundError('Care order', id);
    const scope = orderScope(user);
    return { view: (await orderViews(this.orders.manager, [order], { showDeclines: !scope }))[0], replayed: true };
  }

  cancel(user: AuthUser, id: string, reason: string): Promise<CareOrderView> {
    return this.act(user, id, 'cancel', async (em, order) =>
      applyTransition(em, order, 'cancel', { cancelledAt: new Date(), cancelReason: reason }),
    );
  }

  /**
   * Locks the order, hides it from a caregiver it is not assigned to (404), runs the action, and returns the
   * order's view as committed.
   */
  private async act(
    user: AuthUser,
    id: string,
    action: OrderAction,
    work: (em: EntityManager, order: CareOrder) => Promise<CareOrder>,
    keyed: Keyed | null = null,
  ): Promise<CareOrderView> {
    const scope = orderScope(user);
    return this.tx.run(async (em) => {
      if (keyed) {
        try {
          await em.insert(IdempotencyKey, {
            userId: user.id,
            key: keyed.key,
            endpoint: keyed.endpoint,
            requestHash: keyed.hash,
            orderId: id,
            responseStatus: 200,
            responseBody: null,
          });
        } catch (error) {
          if (isDuplicateKeyError(error)) throw new KeyTaken();
          throw error;
        }
      }
      const order = await lockOrder(em, id);
      if (!order || (scope && order.caregiverId !== scope.caregiverId)) throw new NotFoundError('Care order', id);
      auditContext.note({ entity: 'care-order', ids: [order.id], residentIds: [order.residentId] });
      // the table decides first, so an illegal move is 409 INVALID_TRANSITION whatever the action's own checks
      transition(order.status, action);
      const updated = await work(em, order);
      const reread = await em.findOneByOrFail(CareOrder, { id: updated.id });
      const view = (await orderViews(em, [reread], { showDeclines: !scope }))[0];
      if (keyed)
        await em.update(IdempotencyKey, { userId: user.id, key: keyed.key }, { responseBody: JSON.stringify(view) });
      return view;
    });
  }

  /**
   * {@link act} for the caregiver's check-in and check-out, in three round trips on SqlTransactionRunner: (1) the
   * Idempotency-Key row, the order locked and the action's own reads; (2) the action's writes, the status UPDATE
   * (writeOrderStatus's rules: transitions table, version and status guard) and the view's reads of what they wrote;
   * (3) the key's stored answer, the audit event and COMMIT.
   */
  private async actHot(
    user: AuthUser,
    id: string,
    action: OrderAction,
    reads: SqlStatement[],
    work: (
      order: CareOrder,
      reads: SqlResult[],
    ) => { statements: SqlStatement[]; patch: OrderPatch; committed?: SqlStatement[] },
    keyed: Keyed | null,
  ): Promise<CareOrderView> {
    const scope = orderScope(user);
    const showDeclines = !scope;
    return this.hot.run(async (tx) => {
      let first: SqlResult[];
      try {
        first = await tx.batch([
          ...(keyed
            ? [
                idempotencyKeyStatement({
                  userId: user.id,
                  key: keyed.key,
                  endpoint: keyed.endpoint,
                  requestHash: keyed.hash,
                  orderId: id,
                  responseStatus: 200,
                }),
              ]
            : []),
          lockOrderStatement(id),
          ...reads,
        ]);
      } catch (error) {
        // the only INSERT of this round trip is the key's
        if (keyed && isDuplicateKeyError(error)) throw new KeyTaken();
        throw error;
      }
      if (keyed) first.shift();
      const order = orderFrom(first[0]);
      if (!order || (scope && order.caregiverId !== scope.caregiverId)) throw new NotFoundError('Care order', id);
      auditContext.note({ entity: 'care-order', ids: [order.id], residentIds: [order.residentId] });
      // the table decides first, so an illegal move is 409 INVALID_TRANSITION whatever the action's own checks
      transition(order.status, action);
      const { statements, patch, committed = [] } = work(order, first.slice(1));
      const second = await tx.batch([
        ...statements,
        orderStatusStatement(order, action, patch),
        orderStatement(order.id),
        ...orderViewStatements([order], { showDeclines }),
      ]);
      const after = second.slice(statements.length);
      assertOrderWritten(after[0], order.id);
      const reread = orderFrom(after[1]);
      if (!reread) throw new NotFoundError('Care order', id);
      const view = orderViewsFrom([reread], after.slice(2), { showDeclines })[0];
      await tx.commit([
        ...committed,
        ...(keyed
          ? [
              stmt('UPDATE idempotency_keys SET response_body = ? WHERE user_id = ? AND idem_key = ?', [
                JSON.stringify(view),
                user.id,
                keyed.key,
              ]),
            ]
          : []),
      ]);
      return view;
    });
  }
}
