import type { EntityManager } from 'typeorm';
import { ConflictError, stmt, type SqlStatement } from '@care/core';
import { CareOrder, type OrderPriority, type OrderSource } from '../entities/care-order.entity';
import { transition, type OrderAction, type OrderStatus } from '../rules/order-status';

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
    | 'acceptRecordedAt'
    | 'acceptedBy'
    | 'completedAt'
    | 'cancelledAt'
    | 'cancelReason'
    | 'closedAt'
    | 'closeReason'
    | 'circleWidened'
  >
>;

/** The columns of each patchable field (the one place that maps OrderPatch to SQL). */
export const PATCH_COLUMNS: { readonly [K in keyof Required<OrderPatch>]: string } = Object.freeze({
  caregiverId: 'caregiver_id',
  plannedStart: 'planned_start',
  plannedEnd: 'planned_end',
  travelMinutes: 'travel_minutes',
  unassignedReason: 'unassigned_reason',
  assignedAt: 'assigned_at',
  acceptedAt: 'accepted_at',
  acceptRecordedAt: 'accept_recorded_at',
  acceptedBy: 'accepted_by',
  completedAt: 'completed_at',
  cancelledAt: 'cancelled_at',
  cancelReason: 'cancel_reason',
  circleWidened: 'circle_widened',
  closedAt: 'closed_at',
  closeReason: 'close_reason',
});

/**
 * What a release clears, listed once: an order that goes back to dispatch (decline, accept timeout, a caregiver
 * change, requeue of an unassigned order) or is marked unassigned loses its caregiver, its plan and its reason.
 */
export const RELEASED_FIELDS = Object.freeze([
  'caregiverId',
  'plannedStart',
  'plannedEnd',
  'travelMinutes',
  'unassignedReason',
  'assignedAt',
  'acceptedAt',
  'acceptRecordedAt',
  'acceptedBy',
] as const satisfies readonly (keyof OrderPatch)[]);

/** What an order loses when it goes back to dispatch. */
export const RELEASED: OrderPatch = Object.freeze(
  Object.fromEntries(RELEASED_FIELDS.map((field) => [field, null])) as OrderPatch,
);

/** The order as the writer needs it: which row, at which version, in which status. */
export interface OrderVersion {
  readonly id: string;
  readonly version: number;
  readonly status: OrderStatus;
}

/**
 * The UPDATE of THE writer of order status, as a statement (the hot paths send it in a batch of their own): the
 * transitions table decides the new status (409 INVALID_TRANSITION otherwise), the version grows by one, and the row
 * is written only if it is still at the version and status read.
 */
export function orderStatusStatement(order: OrderVersion, action: OrderAction, patch: OrderPatch = {}): SqlStatement {
  const status = transition(order.status, action);
  const sets = ['status = ?', 'version = version + 1'];
  const values: unknown[] = [status];
  for (const field of Object.keys(patch) as (keyof OrderPatch)[]) {
    const value = patch[field];
    if (value === undefined) continue;
    sets.push(`${PATCH_COLUMNS[field]} = ?`);
    values.push(value);
  }
  return stmt(`UPDATE care_orders SET ${sets.join(', ')} WHERE id = ? AND version = ? AND status = ?`, [
    ...values,
    order.id,
    order.version,
    order.status,
  ]);
}

/**
 * THE writer of order status (care-orders owns it; dispatch and this library's services all call it): the
 * statement above, in the caller's transaction, ideally under the caller's row lock. False when the row was not at
 * the version and status read (someone changed the order meanwhile).
 */
export async function writeOrderStatus(
  em: EntityManager,
  order: OrderVersion,
  action: OrderAction,
  patch: OrderPatch = {},
): Promise<boolean> {
  const update = orderStatusStatement(order, action, patch);
  const result: unknown = await em.query(update.sql, [...update.params]);
  return affectedRows(result) === 1;
}

/** One row of {@link writeOrderStatusMany}: the order as read (under the caller's lock) and its own patch. */
export interface OrderStatusWrite {
  readonly order: OrderVersion;
  readonly patch: OrderPatch;
}

/**
 * {@link writeOrderStatus} for many orders and one action, in multi-row UPDATEs (a round commits hundreds): the
 * same transitions table, version + 1, each row written only at the version and status read. Every order must be
 * in the same status and every patch set the same fields. Returns how many rows were written: the caller holds
 * the rows' locks, so fewer than given means one was written without its lock (the caller decides: a round rolls back).
 */
export async function writeOrderStatusMany(
  em: EntityManager,
  action: OrderAction,
  writes: readonly OrderStatusWrite[],
): Promise<number> {
  if (writes.length === 0) return 0;
  const from = writes[0].order.status;
  const status = transition(from, action);
  const fields = (Object.keys(writes[0].patch) as (keyof OrderPatch)[]).filter((f) => writes[0].patch[f] !== undefined);
  for (const w of writes) {
    if (w.order.status !== from) throw new Error(`writeOrderStatusMany: orders in ${from} and ${w.order.status}`);
    const own = (Object.keys(w.patch) as (keyof OrderPatch)[]).filter((f) => w.patch[f] !== undefined);
    if (own.length !== fields.length || own.some((f) => !fields.includes(f))) {
      throw new Error('writeOrderStatusMany: every patch must set the same fields');
    }
  }
  let written = 0;
  for (let i = 0; i < writes.length; i += 500) {
    const chunk = writes.slice(i, i + 500);
    const whens = chunk.map(() => 'WHEN ? THEN ?').join(' ');
    const sets = ['status = ?'];
    const values: unknown[] = [status];
    for (const field of fields) {
      sets.push(`${PATCH_COLUMNS[field]} = CASE id ${whens} END`);
      for (const w of chunk) values.push(w.order.id, w.patch[field]);
    }
    // the version check per row (read before the SET of version below: MySQL evaluates WHERE on the old row)
    const result: unknown = await em.query(
      `UPDATE care_orders SET ${sets.join(', ')}, version = version + 1
        WHERE id IN (${chunk.map(() => '?').join(',')}) AND status = ? AND version = CASE id ${whens} END`,
      [...values, ...chunk.map((w) => w.order.id), from, ...chunk.flatMap((w) => [w.order.id, w.order.version])],
    );
    written += affectedRows(result);
  }
  return written;
}

/**
 * `requeue` for many unassigned orders at once (RetryUnassigned), through the same transitions table; only rows
 * still unassigned are written. Returns how many were.
 */
export async function requeueUnassignedOrders(em: EntityManager, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const status = transition('unassigned', 'requeue');
  const sets = RELEASED_FIELDS.map((field) => `${PATCH_COLUMNS[field]} = NULL`);
  const result: unknown = await em.query(
    `UPDATE care_orders SET status = ?, ${sets.join(', ')}, version = version + 1
      WHERE status = 'unassigned' AND id IN (${ids.map(() => '?').join(',')})`,
    [status, ...ids],
  );
  return affectedRows(result);
}

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
  const statements = newOrderStatements(order);
  const result: unknown = await em.query(statements.order.sql, [...statements.order.params]);
  if (affectedRows(result) !== 1) return false;
  if (statements.services) await em.query(statements.services.sql, [...statements.services.params]);
  return true;
}

/**
 * {@link insertOrderForResidentAtHome}'s two INSERTs as statements (for SqlTransactionRunner): the order's inserts one
 * row or none (then write nothing else); the services', null without services.
 */
export function newOrderStatements(order: NewOrder): { order: SqlStatement; services: SqlStatement | null } {
  return {
    order: stmt(
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
    ),
    services:
      order.services.length > 0
        ? stmt(
            `INSERT INTO care_order_services (order_id, service_code, position) VALUES ${order.services.map(() => '(?, ?, ?)').join(', ')}`,
            order.services.flatMap((code, position) => [order.id, code, position]),
          )
        : null,
  };
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
 * Applies `action` to an order read in this transaction (ideally locked) through {@link writeOrderStatus}; 409
 * ORDER_CHANGED when somebody changed the order since it was read.
 */
export async function applyTransition(
  em: EntityManager,
  order: CareOrder,
  action: OrderAction,
  patch: OrderPatch = {},
): Promise<CareOrder> {
  const status = transition(order.status, action);
  if (!(await writeOrderStatus(em, order, action, patch))) {
    throw new ConflictError('ORDER_CHANGED', `Care order ${order.id} changed meanwhile; reload it and retry`);
  }
  return Object.assign(new CareOrder(), order, patch, { status, version: order.version + 1 });
}

/** One order of a bulk intake: its resident's township is known (read while validating the batch). */
export interface NewBatchOrder {
  id: string;
  residentId: string;
  regionCode: string;
  windowStart: Date;
  windowEnd: Date;
  durationMinutes: number;
  priority: OrderPriority;
  notes: string | null;
  services: readonly string[];
  /** Visit-plan orders: the month and the third; manual orders: null. */
  visitPlanMonth?: string | null;
  visitSlot?: number | null;
}

/** Rows per multi-row INSERT (well under max_allowed_packet and the placeholder limit). */
const ROWS_PER_INSERT = 500;

function chunks<T>(rows: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * The one bulk write path (POST /care-orders/batch and visit plans): the orders, their services and the batch with
 * its items, each as multi-row INSERTs in the caller's transaction. Visit-plan rows whose (resident, month, slot)
 * already exists are left alone (`ON DUPLICATE KEY UPDATE id = id`); the ids actually inserted are returned in the
 * order given, and only they join the batch.
 */
export async function insertOrderBatch(
  em: EntityManager,
  batch: { id: string; source: 'manual' | 'visit_plan'; createdBy: string | null },
  orders: readonly NewBatchOrder[],
): Promise<string[]> {
  for (const part of chunks(orders, ROWS_PER_INSERT)) {
    const values: unknown[] = [];
    for (const o of part) {
      values.push(
        o.id,
        o.residentId,
        o.regionCode,
        o.windowStart,
        o.windowEnd,
        o.durationMinutes,
        o.priority,
        o.notes,
        batch.source,
        batch.createdBy,
        o.visitPlanMonth ?? null,
        o.visitSlot ?? null,
      );
    }
    await em.query(
      `INSERT INTO care_orders (id, resident_id, region_code, window_start, window_end, duration_minutes, priority, notes,
                                status, source, created_by, visit_plan_month, visit_slot, version)
       VALUES ${part.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, 0)").join(', ')}
       ON DUPLICATE KEY UPDATE id = id`,
      values,
    );
  }
  let rows: readonly NewBatchOrder[] = orders;
  if (batch.source === 'visit_plan') {
    // which rows did land (the others met an existing visit of the same elder, month and third)
    const landed = new Set<string>();
    for (const part of chunks(orders, ROWS_PER_INSERT)) {
      const found: { id: string }[] = await em.query(
        `SELECT id FROM care_orders WHERE id IN (${part.map(() => '?').join(',')})`,
        part.map((o) => o.id),
      );
      for (const f of found) landed.add(f.id);
    }
    rows = orders.filter((o) => landed.has(o.id));
  }
  const services = rows.flatMap((o) => o.services.map((code, position) => [o.id, code, position] as const));
  for (const part of chunks(services, ROWS_PER_INSERT)) {
    await em.query(
      `INSERT INTO care_order_services (order_id, service_code, position) VALUES ${part.map(() => '(?, ?, ?)').join(', ')}`,
      part.flat(),
    );
  }
  if (rows.length === 0) return [];
  await em.query('INSERT INTO care_order_batches (id, source, order_count, created_by) VALUES (?, ?, ?, ?)', [
    batch.id,
    batch.source,
    rows.length,
    batch.createdBy,
  ]);
  const items = rows.map((o, position) => [batch.id, position, o.id] as const);
  for (const part of chunks(items, ROWS_PER_INSERT)) {
    await em.query(
      `INSERT INTO care_order_batch_items (batch_id, position, order_id) VALUES ${part.map(() => '(?, ?, ?)').join(', ')}`,
      part.flat(),
    );
  }
  return rows.map((o) => o.id);
}

/** The order ids of a batch, in the order given. */
export async function batchOrderIds(em: EntityManager, batchId: string): Promise<string[]> {
  const rows: { order_id: string }[] = await em.query(
    'SELECT order_id FROM care_order_batch_items WHERE batch_id = ? ORDER BY position',
    [batchId],
  );
  return rows.map((r) => r.order_id);
}

/** The travel into a visit changed because another was placed before it (not a status change). */
export async function writeTravelMinutes(em: EntityManager, orderId: string, minutes: number): Promise<void> {
  await em.query('UPDATE care_orders SET travel_minutes = ? WHERE id = ?', [minutes, orderId]);
}

/** writeTravelMinutes for many orders in one statement. */
export async function writeTravelMinutesMany(em: EntityManager, travel: ReadonlyMap<string, number>): Promise<void> {
  if (travel.size === 0) return;
  const ids = [...travel.keys()];
  await em.query(
    `UPDATE care_orders SET travel_minutes = CASE id ${ids.map(() => 'WHEN ? THEN ?').join(' ')} END
      WHERE id IN (${ids.map(() => '?').join(',')})`,
    [...ids.flatMap((id) => [id, travel.get(id)]), ...ids],
  );
}

/** Records that a caregiver let an order go (a decline, a lapsed assignment): it is never offered that order again. */
export async function insertOrderDecline(
  em: EntityManager,
  orderId: string,
  caregiverId: string,
  reason: string,
): Promise<void> {
  await em.query('INSERT IGNORE INTO order_declines (order_id, caregiver_id, reason) VALUES (?, ?, ?)', [
    orderId,
    caregiverId,
    reason,
  ]);
}

/**
 * Makes sure the caregiver-day lock rows exist (caregiver_days: the row dispatch locks to place visits on a day),
 * in multi-row INSERT IGNOREs of at most 500 rows; a row already there is left as it is.
 */
export async function insertCaregiverDays(
  db: EntityManager,
  days: readonly { caregiverId: string; date: string }[],
): Promise<void> {
  for (let i = 0; i < days.length; i += 500) {
    const chunk = days.slice(i, i + 500);
    await db.query(
      `INSERT IGNORE INTO caregiver_days (caregiver_id, date) VALUES ${chunk.map(() => '(?, ?)').join(', ')}`,
      chunk.flatMap((d) => [d.caregiverId, d.date]),
    );
  }
}
