import { ConflictError, affectedRowsOf, rowsOf, stmt, type SqlResult, type SqlStatement } from '@care/core';
import { CareOrder } from '../entities/care-order.entity';

/**
 * The statements of the care-order hot paths (POST /care-orders, check-in, check-out) on SqlTransactionRunner, which
 * sends a transaction's statements in two or three round trips instead of one each.
 */

const ORDER_COLUMNS = `id, resident_id, region_code, window_start, window_end, duration_minutes, priority, notes, status,
  caregiver_id, planned_start, planned_end, travel_minutes, unassigned_reason, assigned_at, accepted_at, accept_recorded_at,
  accepted_by, completed_at, cancelled_at, cancel_reason, source, circle_widened, closed_at, close_reason, visit_plan_month,
  visit_slot, created_by, version, created_at, updated_at`;

interface OrderRow {
  id: string;
  resident_id: string;
  region_code: string;
  window_start: Date;
  window_end: Date;
  duration_minutes: number;
  priority: CareOrder['priority'];
  notes: string | null;
  status: CareOrder['status'];
  caregiver_id: string | null;
  planned_start: Date | null;
  planned_end: Date | null;
  travel_minutes: number | null;
  unassigned_reason: CareOrder['unassignedReason'];
  assigned_at: Date | null;
  accepted_at: Date | null;
  accept_recorded_at: Date | null;
  accepted_by: string | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  source: CareOrder['source'];
  circle_widened: number | string;
  closed_at: Date | null;
  close_reason: string | null;
  visit_plan_month: string | null;
  visit_slot: number | null;
  created_by: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** SELECT ... FOR UPDATE of one order (lockOrder's read); `orderFrom` reads its result. */
export function lockOrderStatement(id: string): SqlStatement {
  return stmt(`SELECT ${ORDER_COLUMNS} FROM care_orders WHERE id = ? FOR UPDATE`, [id]);
}

/** The order as committed so far in this transaction (the view's read after the writes). */
export function orderStatement(id: string): SqlStatement {
  return stmt(`SELECT ${ORDER_COLUMNS} FROM care_orders WHERE id = ?`, [id]);
}

export function orderFrom(result: SqlResult | undefined): CareOrder | null {
  const [row] = rowsOf<OrderRow>(result);
  if (!row) return null;
  return Object.assign(new CareOrder(), {
    id: row.id,
    residentId: row.resident_id,
    regionCode: row.region_code,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    durationMinutes: Number(row.duration_minutes),
    priority: row.priority,
    notes: row.notes,
    status: row.status,
    caregiverId: row.caregiver_id,
    plannedStart: row.planned_start,
    plannedEnd: row.planned_end,
    travelMinutes: row.travel_minutes === null ? null : Number(row.travel_minutes),
    unassignedReason: row.unassigned_reason,
    assignedAt: row.assigned_at,
    acceptedAt: row.accepted_at,
    acceptRecordedAt: row.accept_recorded_at,
    acceptedBy: row.accepted_by,
    completedAt: row.completed_at,
    cancelledAt: row.cancelled_at,
    cancelReason: row.cancel_reason,
    source: row.source,
    circleWidened: Number(row.circle_widened) === 1,
    closedAt: row.closed_at,
    closeReason: row.close_reason,
    visitPlanMonth: row.visit_plan_month,
    visitSlot: row.visit_slot === null ? null : Number(row.visit_slot),
    createdBy: row.created_by,
    version: Number(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** 409 ORDER_CHANGED when the status UPDATE found the order changed since it was read (applyTransition's rule). */
export function assertOrderWritten(result: SqlResult | undefined, orderId: string): void {
  if (affectedRowsOf(result) !== 1) {
    throw new ConflictError('ORDER_CHANGED', `Care order ${orderId} changed meanwhile; reload it and retry`);
  }
}

/** The row of an Idempotency-Key, inserted in the transaction of what it names (a duplicate: the key is taken). */
export function idempotencyKeyStatement(key: {
  userId: string;
  key: string;
  endpoint: string;
  requestHash: string;
  orderId: string;
  responseStatus: number;
}): SqlStatement {
  return stmt(
    `INSERT INTO idempotency_keys (user_id, idem_key, endpoint, request_hash, order_id, response_status, response_body)
     VALUES (?, ?, ?, ?, ?, ?, NULL)`,
    [key.userId, key.key, key.endpoint, key.requestHash, key.orderId, key.responseStatus],
  );
}
