import type { EntityManager } from 'typeorm';
import { ConflictError } from '@care/core';
import { CareOrder, type OrderPriority, type OrderSource } from '../entities/care-order.entity';
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
    | 'closedAt'
    | 'closeReason'
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

/** A new manual order (status pending, version 0) and its services, in the given order. */
export interface NewOrder {
  id: string;
  residentId: string;
  windowStart: Date;
  windowEnd: Date;
  durationMinutes: number;
  priority: OrderPriority;
  notes: string | null;
  createdBy: string;
  services: readonly string[];
  /** 'manual' unless said (emergency calls make 'emergency' orders). */
  source?: OrderSource;
}

/**
 * Writes a new order for a resident who lives at home, with the resident's township copied, and its services: two
 * plain INSERTs in the caller's transaction (the resident is checked by the first one, no read before it, and no
 * entity round trips: TypeORM's insert would read the row back for its defaults). False, and nothing written, when
 * the resident is unknown or does not live at home (the caller reads the resident to say which).
 */
export async function insertOrderForResidentAtHome(em: EntityManager, order: NewOrder): Promise<boolean> {
  const result: unknown = await em.query(
    `INSERT INTO care_orders (id, resident_id, region_code, window_start, window_end, duration_minutes, priority, notes,
                              status, source, created_by, version)
     SELECT ?, r.id, r.region_code, ?, ?, ?, ?, ?, 'pending', ?, ?, 0
       FROM residents r WHERE r.id = ? AND r.living_arrangement = 'home'`,
    [
      order.id,
      order.windowStart,
      order.windowEnd,
      order.durationMinutes,
      order.priority,
      order.notes,
      order.source ?? 'manual',
      order.createdBy,
      order.residentId,
    ],
  );
  if (affectedRows(result) !== 1) return false;
  if (order.services.length > 0) {
    await em.query(
      `INSERT INTO care_order_services (order_id, service_code, position) VALUES ${order.services.map(() => '(?, ?, ?)').join(', ')}`,
      order.services.flatMap((code, position) => [order.id, code, position]),
    );
  }
  return true;
}

function affectedRows(result: unknown): number {
  // TypeORM's mysql driver returns the OkPacket for raw INSERTs (sometimes wrapped as [rows, affected])
  if (Array.isArray(result)) return typeof result[1] === 'number' ? result[1] : affectedRows(result[0]);
  const packet = result as { affectedRows?: number } | null;
  return packet?.affectedRows ?? 0;
}

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
