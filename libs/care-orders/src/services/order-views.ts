import type { EntityManager } from 'typeorm';
import { rowsOf, stmt, type SqlResult, type SqlStatement } from '@care/core';
import type { CareOrder, CareVisit } from '../entities/care-order.entity';
import { allowedActions, type OrderAction, type OrderStatus } from '../rules/order-status';
import type { VisitFlag } from '../rules/check-in';
import type { Vitals } from '../rules/vitals';
import { residentFactsFrom, residentFactsStatement } from './resident-facts';
import { iso, isoOrNull, placeholders } from './time-views';

export interface VisitView {
  checkedInAt: string;
  checkInLat: number | null;
  checkInLng: number | null;
  /** Metres from the resident's home at check-in, when both positions are known. */
  checkInDistanceMeters: number | null;
  flags: VisitFlag[];
  /** The phone's time of the check-in as sent from its offline queue (null for an online check-in). */
  checkInRecordedAt: string | null;
  /** When the server received the check-in. */
  checkInReceivedAt: string | null;
  /** The user who checked in (the caregiver's own user, or a dispatcher/admin: flag proxy). */
  checkedInBy: string | null;
  checkedOutAt: string | null;
  checkOutRecordedAt: string | null;
  checkOutReceivedAt: string | null;
  checkedOutBy: string | null;
  servicesDone: string[] | null;
  notes: string | null;
  vitals: Vitals | null;
}

/** GET /care-orders/:id: the contract's fields, then more. */
export interface CareOrderView {
  id: string;
  residentId: string;
  residentName: string | null;
  regionCode: string;
  services: string[];
  windowStart: string;
  windowEnd: string;
  durationMinutes: number;
  priority: string;
  notes: string | null;
  status: OrderStatus;
  caregiverId: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  travelMinutes: number | null;
  unassignedReason: string | null;
  source: string;
  visitPlanMonth: string | null;
  visitSlot: number | null;
  /** Caregivers who declined the order (not shown to caregivers). */
  declinedBy?: string[];
  assignedAt: string | null;
  acceptedAt: string | null;
  /** The phone's time of the accept when sent from its offline queue. */
  acceptRecordedAt: string | null;
  acceptedBy: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  /** Emergency orders placed past the service circle (documented exception to hard rule 2). */
  circleWidened: boolean;
  /** Flags of the order itself: `circle_widened`. */
  orderFlags: string[];
  closedAt: string | null;
  closeReason: string | null;
  checkInAt: string | null;
  checkOutAt: string | null;
  /** Visit flags: early, late, far, no_location, proxy, clock. */
  flags: VisitFlag[];
  visit: VisitView | null;
  allowedActions: OrderAction[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface VisitRow {
  order_id: string;
  checked_in_at: Date;
  check_in_lat: string | null;
  check_in_lng: string | null;
  check_in_distance_m: number | null;
  flag_early: number;
  flag_late: number;
  flag_far: number;
  flag_no_location: number;
  flag_proxy: number;
  flag_clock: number;
  check_in_recorded_at: Date | null;
  check_in_received_at: Date | null;
  checked_in_by: string | null;
  checked_out_at: Date | null;
  check_out_recorded_at: Date | null;
  check_out_received_at: Date | null;
  checked_out_by: string | null;
  services_done: string | null;
  notes: string | null;
  systolic: number | null;
  diastolic: number | null;
  heart_rate: number | null;
  blood_glucose: string | null;
  temperature: string | null;
}

const num = (value: string | number | null): number | null => (value === null ? null : Number(value));

export function visitFlags(
  visit: Pick<CareVisit, 'flagEarly' | 'flagLate' | 'flagFar' | 'flagNoLocation' | 'flagProxy' | 'flagClock'>,
): VisitFlag[] {
  const flags: VisitFlag[] = [];
  if (visit.flagEarly) flags.push('early');
  if (visit.flagLate) flags.push('late');
  if (visit.flagFar) flags.push('far');
  if (visit.flagNoLocation) flags.push('no_location');
  if (visit.flagProxy) flags.push('proxy');
  if (visit.flagClock) flags.push('clock');
  return flags;
}

function visitView(row: VisitRow): VisitView {
  const vitals: Vitals = {};
  if (row.systolic !== null) vitals.systolic = Number(row.systolic);
  if (row.diastolic !== null) vitals.diastolic = Number(row.diastolic);
  if (row.heart_rate !== null) vitals.heartRate = Number(row.heart_rate);
  if (row.blood_glucose !== null) vitals.bloodGlucose = Number(row.blood_glucose);
  if (row.temperature !== null) vitals.temperature = Number(row.temperature);
  return {
    checkedInAt: iso(row.checked_in_at),
    checkInLat: num(row.check_in_lat),
    checkInLng: num(row.check_in_lng),
    checkInDistanceMeters: num(row.check_in_distance_m),
    flags: visitFlags({
      flagEarly: Number(row.flag_early) === 1,
      flagLate: Number(row.flag_late) === 1,
      flagFar: Number(row.flag_far) === 1,
      flagNoLocation: Number(row.flag_no_location) === 1,
      flagProxy: Number(row.flag_proxy) === 1,
      flagClock: Number(row.flag_clock) === 1,
    }),
    checkInRecordedAt: isoOrNull(row.check_in_recorded_at),
    checkInReceivedAt: isoOrNull(row.check_in_received_at),
    checkedInBy: row.checked_in_by,
    checkedOutAt: isoOrNull(row.checked_out_at),
    checkOutRecordedAt: isoOrNull(row.check_out_recorded_at),
    checkOutReceivedAt: isoOrNull(row.check_out_received_at),
    checkedOutBy: row.checked_out_by,
    servicesDone: row.services_done ? (JSON.parse(row.services_done) as string[]) : null,
    notes: row.notes,
    vitals: Object.keys(vitals).length ? vitals : null,
  };
}

/** Views of orders with their services, declines, visit records and residents' names, in a few batched queries. */
export async function orderViews(
  em: EntityManager,
  orders: readonly CareOrder[],
  options: { showDeclines: boolean },
): Promise<CareOrderView[]> {
  if (orders.length === 0) return [];
  const statements = orderViewStatements(orders, options);
  const results = (await Promise.all(statements.map((s) => em.query(s.sql, [...s.params])))) as SqlResult[];
  return orderViewsFrom(orders, results, options);
}

/**
 * The reads of {@link orderViews} as statements (services, declines when shown, visits, residents), for a hot-path
 * transaction that sends them in the round trip of its writes; {@link orderViewsFrom} builds the views from the results.
 */
export function orderViewStatements(
  orders: readonly Pick<CareOrder, 'id' | 'residentId'>[],
  options: { showDeclines: boolean },
): SqlStatement[] {
  const ids = orders.map((o) => o.id);
  const residentIds = [...new Set(orders.map((o) => o.residentId))];
  return [
    stmt(
      `SELECT order_id, service_code FROM care_order_services WHERE order_id IN (${placeholders(ids)}) ORDER BY order_id, position`,
      ids,
    ),
    ...(options.showDeclines
      ? [
          stmt(
            `SELECT order_id, caregiver_id FROM order_declines WHERE order_id IN (${placeholders(ids)}) ORDER BY declined_at`,
            ids,
          ),
        ]
      : []),
    stmt(`SELECT * FROM care_visits WHERE order_id IN (${placeholders(ids)})`, ids),
    residentFactsStatement(placeholders(residentIds), residentIds),
  ];
}

export function orderViewsFrom(
  orders: readonly CareOrder[],
  results: readonly SqlResult[],
  options: { showDeclines: boolean },
): CareOrderView[] {
  const [serviceResult, ...rest] = results;
  const serviceRows = rowsOf<{ order_id: string; service_code: string }>(serviceResult);
  const declineRows = options.showDeclines ? rowsOf<{ order_id: string; caregiver_id: string }>(rest.shift()) : [];
  const visitRows = rowsOf<VisitRow>(rest[0]);
  const residents = residentFactsFrom(rest[1]);
  const services = new Map<string, string[]>();
  for (const row of serviceRows) services.set(row.order_id, [...(services.get(row.order_id) ?? []), row.service_code]);
  const declines = new Map<string, string[]>();
  for (const row of declineRows) declines.set(row.order_id, [...(declines.get(row.order_id) ?? []), row.caregiver_id]);
  const visits = new Map(visitRows.map((row) => [row.order_id, visitView(row)]));

  return orders.map((o) => {
    const visit = visits.get(o.id) ?? null;
    const view: CareOrderView = {
      id: o.id,
      residentId: o.residentId,
      residentName: residents.get(o.residentId)?.name ?? null,
      regionCode: o.regionCode,
      services: services.get(o.id) ?? [],
      windowStart: iso(o.windowStart),
      windowEnd: iso(o.windowEnd),
      durationMinutes: o.durationMinutes,
      priority: o.priority,
      notes: o.notes,
      status: o.status,
      caregiverId: o.caregiverId,
      plannedStart: isoOrNull(o.plannedStart),
      plannedEnd: isoOrNull(o.plannedEnd),
      travelMinutes: o.travelMinutes,
      unassignedReason: o.unassignedReason,
      source: o.source,
      visitPlanMonth: o.visitPlanMonth,
      visitSlot: o.visitSlot,
      assignedAt: isoOrNull(o.assignedAt),
      acceptedAt: isoOrNull(o.acceptedAt),
      // a re-dispatch clears acceptedAt; what it did not clear is not this assignment's
      acceptRecordedAt: o.acceptedAt ? isoOrNull(o.acceptRecordedAt) : null,
      acceptedBy: o.acceptedAt ? o.acceptedBy : null,
      completedAt: isoOrNull(o.completedAt),
      cancelledAt: isoOrNull(o.cancelledAt),
      cancelReason: o.cancelReason,
      circleWidened: o.circleWidened,
      orderFlags: o.circleWidened ? ['circle_widened'] : [],
      closedAt: isoOrNull(o.closedAt),
      closeReason: o.closeReason,
      checkInAt: visit?.checkedInAt ?? null,
      checkOutAt: visit?.checkedOutAt ?? null,
      flags: visit?.flags ?? [],
      visit,
      allowedActions: allowedActions(o.status),
      version: o.version,
      createdAt: iso(o.createdAt),
      updatedAt: iso(o.updatedAt),
    };
    if (options.showDeclines) view.declinedBy = declines.get(o.id) ?? [];
    return view;
  });
}
