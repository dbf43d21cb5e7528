import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvalidInputError, NotFoundError, TransactionRunner, auditContext, type AuthUser } from '@care/core';
import type { CheckInDto, CheckOutDto } from '../dto/care-order.dto';
import { CareOrder, CareVisit, OrderDecline } from '../entities/care-order.entity';
import { assessCheckIn } from '../rules/check-in';
import { transition, type OrderAction } from '../rules/order-status';
import { unknownServiceCodes } from '../rules/service-catalogue';
import { vitalsProblems } from '../rules/vitals';
import { CatalogueService } from './catalogue.service';
import { orderScope } from './care-orders.service';
import { DispatchEnqueuer } from './dispatch-enqueuer.service';
import { orderViews, type CareOrderView } from './order-views';
import { RELEASED, applyTransition, lockOrder } from './order-writes';
import { residentFacts } from './resident-facts';

/**
 * The actions on an order after its creation: the caregiver's accept, decline, check-in and check-out, and
 * the dispatcher's cancel. Each locks the order row, asks the transitions table, and writes in one
 * transaction; a decline enqueues the order's next dispatch round after the commit.
 */
@Injectable()
export class OrderActionsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly catalogue: CatalogueService,
    private readonly enqueue: DispatchEnqueuer,
  ) {}

  accept(user: AuthUser, id: string): Promise<CareOrderView> {
    return this.act(user, id, 'accept', async (em, order) =>
      applyTransition(em, order, 'accept', { acceptedAt: new Date() }),
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

  checkIn(user: AuthUser, id: string, dto: CheckInDto): Promise<CareOrderView> {
    if ((dto.lat === undefined) !== (dto.lng === undefined)) {
      throw new InvalidInputError(dto.lat === undefined ? 'lat: required with lng' : 'lng: required with lat');
    }
    return this.act(user, id, 'check_in', async (em, order) => {
      transition(order.status, 'check_in');
      const at = new Date();
      const home = (await residentFacts(em, [order.residentId])).get(order.residentId)?.location ?? null;
      const position = dto.lat !== undefined && dto.lng !== undefined ? { lat: dto.lat, lng: dto.lng } : null;
      const assessment = assessCheckIn({ at, position, home, plannedStart: order.plannedStart ?? order.windowStart });
      await em.insert(CareVisit, {
        orderId: order.id,
        caregiverId: order.caregiverId as string,
        residentId: order.residentId,
        checkedInAt: at,
        checkInLat: position?.lat ?? null,
        checkInLng: position?.lng ?? null,
        checkInDistanceM: assessment.distanceMeters,
        flagEarly: assessment.flags.includes('early'),
        flagLate: assessment.flags.includes('late'),
        flagFar: assessment.flags.includes('far'),
        flagNoLocation: assessment.flags.includes('no_location'),
        createdAt: at,
        updatedAt: at,
      });
      return applyTransition(em, order, 'check_in');
    });
  }

  async checkOut(user: AuthUser, id: string, dto: CheckOutDto): Promise<CareOrderView> {
    const problems: string[] = [];
    if ((dto.lat === undefined) !== (dto.lng === undefined))
      problems.push(dto.lat === undefined ? 'lat: required with lng' : 'lng: required with lat');
    if (dto.vitals) problems.push(...vitalsProblems(dto.vitals));
    const unknown = unknownServiceCodes(dto.servicesDone, await this.catalogue.map({ all: true }));
    if (unknown.length) problems.push(`servicesDone: unknown service code(s) ${unknown.join(', ')}`);
    if (problems.length) throw new InvalidInputError(problems.join('; '));
    return this.act(user, id, 'check_out', async (em, order) => {
      transition(order.status, 'check_out');
      const at = new Date();
      const vitals = dto.vitals ?? {};
      await em.update(
        CareVisit,
        { orderId: order.id },
        {
          checkedOutAt: at,
          checkOutLat: dto.lat ?? null,
          checkOutLng: dto.lng ?? null,
          servicesDone: dto.servicesDone,
          notes: dto.notes ?? null,
          systolic: vitals.systolic ?? null,
          diastolic: vitals.diastolic ?? null,
          heartRate: vitals.heartRate ?? null,
          bloodGlucose: vitals.bloodGlucose ?? null,
          temperature: vitals.temperature ?? null,
          updatedAt: at,
        },
      );
      return applyTransition(em, order, 'check_out', { completedAt: at });
    });
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
  ): Promise<CareOrderView> {
    const scope = orderScope(user);
    return this.tx.run(async (em) => {
      const order = await lockOrder(em, id);
      if (!order || (scope && order.caregiverId !== scope.caregiverId)) throw new NotFoundError('Care order', id);
      auditContext.note({ entity: 'care-order', ids: [order.id], residentIds: [order.residentId] });
      // the table decides first, so an illegal move is 409 INVALID_TRANSITION whatever the action's own checks
      transition(order.status, action);
      const updated = await work(em, order);
      const reread = await em.findOneByOrFail(CareOrder, { id: updated.id });
      return (await orderViews(em, [reread], { showDeclines: !scope }))[0];
    });
  }
}
