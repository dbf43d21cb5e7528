import { DEFAULT_TRAVEL_MODEL, type AreaKind, type GeoPoint, type TravelModelOptions } from './geo';
import { hasContinuity } from './ranking';
import { dayRoute } from './schedule';
import { localDateOf } from './time';
import type { DispatchCaregiver, PlannedVisit, UnassignedReason } from './types';
import type { Plan } from './planner';

/** Statuses of an order that holds a slot on a caregiver's day (care-orders' ACTIVE_VISIT_STATUSES). */
const PLACED = new Set(['assigned', 'accepted', 'in_progress', 'completed']);

/** One order of the day as the KPIs see it (from MySQL, or from a plan). */
export interface KpiOrder {
  readonly id: string;
  readonly residentId: string;
  readonly priority: 'normal' | 'urgent';
  readonly status: string;
  readonly caregiverId: string | null;
  readonly location: GeoPoint;
  readonly kind: AreaKind;
  readonly plannedStart: number | null;
  readonly plannedEnd: number | null;
  readonly unassignedReason: UnassignedReason | null;
  /** When the order was created and assigned (epoch ms): the time to assign. Null when unknown. */
  readonly createdAt: number | null;
  readonly assignedAt: number | null;
  /** Placed on a caregiver who served the resident in the 90 days before (the continuity objective). */
  readonly continuity: boolean;
}

export type KpiCaregiver = Pick<DispatchCaregiver, 'id' | 'active' | 'servicePoint'>;

/** GET /dispatch/kpis: the day's dispatch quality (contract names). */
export interface DispatchKpis {
  readonly orders: number;
  readonly assigned: number;
  readonly urgentOrders: number;
  readonly urgentAssigned: number;
  readonly unassignedByReason: Readonly<Partial<Record<UnassignedReason, number>>>;
  /** Whole routes (service point → visits in time order → service point) over the visits placed; null with none. */
  readonly travelMinutesPerVisit: number | null;
  /** Share of the visits placed that went to a caregiver who served the resident in the last 90 days; null with none. */
  readonly continuityShare: number | null;
  /** Standard deviation of the visits per active caregiver (idle ones count as 0); null without caregivers. */
  readonly visitsPerCaregiverSd: number | null;
  /** Seconds from creation to assignment of the orders placed (nearest rank); null when none is known. */
  readonly assignSecondsP50: number | null;
  readonly assignSecondsP95: number | null;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/** The nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/**
 * The day's dispatch KPIs from its orders (cancelled ones left out by the caller or here) and the caregivers who
 * could work it. One pure function: the api computes it over MySQL and the bench over the live system's result and
 * over the baseline plans, so the figures compare.
 */
export function dispatchKpis(
  orders: readonly KpiOrder[],
  caregivers: readonly KpiCaregiver[],
  travel: TravelModelOptions = DEFAULT_TRAVEL_MODEL,
): DispatchKpis {
  const counted = orders.filter((o) => o.status !== 'cancelled');
  const placed = counted.filter(
    (o) => PLACED.has(o.status) && o.caregiverId !== null && o.plannedStart !== null && o.plannedEnd !== null,
  );
  const unassignedByReason: Partial<Record<UnassignedReason, number>> = {};
  for (const o of counted) {
    if (o.status === 'unassigned' && o.unassignedReason)
      unassignedByReason[o.unassignedReason] = (unassignedByReason[o.unassignedReason] ?? 0) + 1;
  }

  const servicePoints = new Map(caregivers.map((c) => [c.id, c.servicePoint]));
  const days = new Map<string, { caregiverId: string; visits: PlannedVisit[] }>();
  const perCaregiver = new Map<string, number>();
  for (const o of placed) {
    const caregiverId = o.caregiverId as string;
    const start = o.plannedStart as number;
    const key = `${caregiverId}|${localDateOf(start)}`;
    const day = days.get(key) ?? { caregiverId, visits: [] };
    day.visits.push({
      orderId: o.id,
      residentId: o.residentId,
      location: o.location,
      kind: o.kind,
      plannedStart: start,
      plannedEnd: o.plannedEnd as number,
    });
    days.set(key, day);
    perCaregiver.set(caregiverId, (perCaregiver.get(caregiverId) ?? 0) + 1);
  }
  let travelMinutes = 0;
  let routed = 0;
  for (const day of days.values()) {
    const servicePoint = servicePoints.get(day.caregiverId);
    if (!servicePoint) continue;
    travelMinutes += dayRoute({ servicePoint }, day.visits, travel).totalTravelMinutes;
    routed += day.visits.length;
  }

  const active = caregivers.filter((c) => c.active);
  let sd: number | null = null;
  if (active.length > 0) {
    const counts = active.map((c) => perCaregiver.get(c.id) ?? 0);
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    sd = round(Math.sqrt(counts.reduce((s, n) => s + (n - mean) ** 2, 0) / counts.length), 3);
  }
  const waits = placed
    .filter((o) => o.createdAt !== null && o.assignedAt !== null)
    .map((o) => Math.max(0, ((o.assignedAt as number) - (o.createdAt as number)) / 1000))
    .sort((a, b) => a - b);
  const p50 = percentile(waits, 50);
  const p95 = percentile(waits, 95);
  const urgent = counted.filter((o) => o.priority === 'urgent');
  return {
    orders: counted.length,
    assigned: placed.length,
    urgentOrders: urgent.length,
    urgentAssigned: placed.filter((o) => o.priority === 'urgent').length,
    unassignedByReason,
    travelMinutesPerVisit: routed > 0 ? round(travelMinutes / routed, 2) : null,
    continuityShare: placed.length > 0 ? round(placed.filter((o) => o.continuity).length / placed.length, 4) : null,
    visitsPerCaregiverSd: sd,
    assignSecondsP50: p50 === null ? null : round(p50, 3),
    assignSecondsP95: p95 === null ? null : round(p95, 3),
  };
}

/** A plan's orders as KPI orders (for the bench: the baseline planners' figures by the same function). */
export function kpiOrdersOfPlan(plan: Plan): KpiOrder[] {
  const assignments = new Map(plan.assignments.map((a) => [a.orderId, a]));
  const unassigned = new Map(plan.unassigned.map((u) => [u.orderId, u.reason]));
  const caregivers = new Map(plan.caregivers.map((c) => [c.id, c]));
  return plan.orders.map((o) => {
    const a = assignments.get(o.id);
    const caregiver = a ? caregivers.get(a.caregiverId) : undefined;
    return {
      id: o.id,
      residentId: o.residentId,
      priority: o.priority,
      status: a ? 'assigned' : unassigned.has(o.id) ? 'unassigned' : 'pending',
      caregiverId: a?.caregiverId ?? null,
      location: o.location,
      kind: o.kind,
      plannedStart: a?.plannedStart ?? null,
      plannedEnd: a?.plannedEnd ?? null,
      unassignedReason: unassigned.get(o.id) ?? null,
      createdAt: null,
      assignedAt: null,
      continuity: caregiver ? hasContinuity(caregiver, o.residentId) : false,
    };
  });
}
