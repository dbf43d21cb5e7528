import type { EntityManager } from 'typeorm';
import { ConflictError } from '@care/core';
import { CareOrder } from '../entities/care-order.entity';
import { transition, type OrderAction } from '../rules/order-status';

/** Columns a status change may set alongside the status. */
export type OrderPatch = Partial<
  Pick<
    CareOrder,
    | 'caregiverId'
    | 'plannedStart'
    | 'plannedEnd'
    | 'travelMinutes'
    | 'unassignedReason'
    | 'assignedAt'
    | 'acceptedAt'
    | 'completedAt'
    | 'cancelledAt'
    | 'cancelReason'
  >
>;

/** What an order loses when it goes back to dispatch. */
export const RELEASED: OrderPatch = Object.freeze({
  caregiverId: null,
  plannedStart: null,
  plannedEnd: null,
  travelMinutes: null,
  unassignedReason: null,
  assignedAt: null,
  acceptedAt: null,
});

/** Loads an order and locks its row for the rest of the transaction. */
export async function lockOrder(em: EntityManager, id: string): Promise<CareOrder | null> {
  return em.createQueryBuilder(CareOrder, 'o').setLock('pessimistic_write').where('o.id = :id', { id }).getOne();
}

/**
 * Applies `action` to an order read in this transaction (ideally locked): the transitions table decides the
 * new status (409 INVALID_TRANSITION otherwise), the version grows by one, and the update only lands if
 * nobody changed the order since it was read (optimistic check).
 */
export async function applyTransition(
  em: EntityManager,
  order: CareOrder,
  action: OrderAction,
  patch: OrderPatch = {},
): Promise<CareOrder> {
  const status = transition(order.status, action);
  const result = await em
    .createQueryBuilder()
    .update(CareOrder)
    .set({ ...patch, status, version: () => 'version + 1' })
    .where('id = :id AND version = :version', { id: order.id, version: order.version })
    .execute();
  if (result.affected !== 1) {
    throw new ConflictError('ORDER_CHANGED', `Care order ${order.id} changed meanwhile; reload it and retry`);
  }
  return Object.assign(new CareOrder(), order, patch, { status, version: order.version + 1 });
}
