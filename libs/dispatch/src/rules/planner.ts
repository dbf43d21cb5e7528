import { DEFAULT_CATALOGUE, type ServiceCatalogue } from './catalogue';
import {
  caregiverEligibility,
  evaluateInsertion,
  type InfeasibleInsertion,
  prepareOrder,
  visitOf,
} from './feasibility';
import { DEFAULT_TRAVEL_MODEL, haversineKm, type TravelModelOptions } from './geo';
import { aggregateUnassignedReason, dispatchOrder, hasContinuity } from './ranking';
import { cmp, dayRoute } from './schedule';
import { localDatesBetween, MINUTE_MS } from './time';
import type { CaregiverDay, DispatchCaregiver, DispatchOrder, PlannedVisit, UnassignedReason } from './types';

export interface Assignment {
  readonly orderId: string;
  readonly caregiverId: string;
  /** County-local date of the visit. */
  readonly date: string;
  readonly plannedStart: number;
  readonly plannedEnd: number;
  /** Travel from the previous stop of the caregiver's day as finally planned. */
  readonly travelMinutesFromPrevious?: number;
}

export interface UnassignedOrder {
  readonly orderId: string;
  readonly reason: UnassignedReason;
}

/**
 * A plan: what was asked (orders, caregivers, catalogue, travel model) and what was decided. Built by the
 * planners below, or from MySQL by tests of the dispatcher, and checked by `verifyHardRules`.
 */
export interface Plan {
  readonly orders: readonly DispatchOrder[];
  readonly caregivers: readonly DispatchCaregiver[];
  readonly catalogue: ServiceCatalogue;
  readonly travel: TravelModelOptions;
  readonly assignments: readonly Assignment[];
  readonly unassigned: readonly UnassignedOrder[];
  /** How a planner built it (for benchmark reports); absent on plans read back from a database. */
  readonly notes?: PlanNotes;
}

export interface PlanNotes {
  readonly planner: 'planDay' | 'greedyNearestFeasible';
  /** Orders placed by the ejection repair after the first pass. */
  readonly repaired?: number;
  /** planDay started again from the baseline's assignments because the baseline had placed more orders. */
  readonly startedFromBaseline?: boolean;
  /** improvePlan: travel minutes saved and orders placed by the local search. */
  readonly localSearch?: { readonly travelSavedMinutes: number; readonly placed: number };
}

export interface PlannerOptions {
  readonly travel?: TravelModelOptions;
  /** planDay: after the insertion pass, try ejections to place the orders left over (default true). */
  readonly repair?: boolean;
  /** planDay: never place fewer orders than {@link greedyNearestFeasible} (default true); see planDay. */
  readonly baselineGuard?: boolean;
  /**
   * Visits already on caregivers' days (key `caregiverId|date`), kept where they are: the live dispatcher plans a
   * round of pending orders around what earlier rounds placed. They are never ejected.
   */
  readonly existing?: ReadonlyMap<string, readonly PlannedVisit[]>;
  /** Nothing is planned to start before this instant (the live dispatcher passes now). */
  readonly notBefore?: number;
}

/** Caregiver days, assignments and leftovers of a plan under construction. */
class PlanBuilder {
  private readonly visits = new Map<string, PlannedVisit[]>();
  readonly assignments = new Map<string, Assignment>();
  readonly unassigned = new Map<string, UnassignedReason>();

  constructor(
    private readonly caregivers: readonly DispatchCaregiver[],
    private readonly catalogue: ServiceCatalogue,
    private readonly travel: TravelModelOptions,
    existing: ReadonlyMap<string, readonly PlannedVisit[]> = new Map(),
    private readonly notBefore?: number,
  ) {
    for (const [key, visits] of existing) this.visits.set(key, [...visits]);
  }

  day(caregiver: DispatchCaregiver, date: string): CaregiverDay {
    return { caregiver, date, visits: this.visits.get(`${caregiver.id}|${date}`) ?? [] };
  }

  /** Every caregiver on every local date the order's window touches. */
  daysFor(order: DispatchOrder): CaregiverDay[] {
    const dates = localDatesBetween(order.windowStart, order.windowEnd);
    return this.caregivers.flatMap((c) => dates.map((date) => this.day(c, date)));
  }

  assign(order: DispatchOrder, a: Omit<Assignment, 'orderId'>): void {
    const key = `${a.caregiverId}|${a.date}`;
    this.visits.set(key, [...(this.visits.get(key) ?? []), visitOf(order, a.plannedStart, a.plannedEnd)]);
    this.assignments.set(order.id, { orderId: order.id, ...a });
    this.unassigned.delete(order.id);
  }

  unassign(orderId: string, reason: UnassignedReason): void {
    const a = this.assignments.get(orderId);
    if (a) {
      const key = `${a.caregiverId}|${a.date}`;
      this.visits.set(
        key,
        (this.visits.get(key) ?? []).filter((v) => v.orderId !== orderId),
      );
      this.assignments.delete(orderId);
    }
    this.unassigned.set(orderId, reason);
  }

  /** Places an order by the dispatcher's ranking (cheapest insertion, then the objectives). */
  place(order: DispatchOrder): boolean {
    const decision = dispatchOrder(order, this.daysFor(order), {
      catalogue: this.catalogue,
      travel: this.travel,
      notBefore: this.notBefore,
    });
    if (!decision.ok) {
      this.unassign(order.id, decision.reason);
      return false;
    }
    const { caregiverId, date, plannedStart, plannedEnd } = decision.choice;
    this.assign(order, { caregiverId, date, plannedStart, plannedEnd });
    return true;
  }

  /**
   * Ejection repair: for an unassigned order, each visit on a caregiver-day eligible for it (skills, circle, not
   * declined) is tried as a victim — take it out, insert the order, re-place the victim anywhere by the ranking. The
   * first success keeps both placed, so each success places one more order and unplaces none. Repeated while it
   * makes progress (at most `maxRounds` sweeps). Returns how many orders it placed.
   */
  repair(sequence: readonly DispatchOrder[], maxRounds = 3): number {
    const byId = new Map(sequence.map((o) => [o.id, o]));
    let placed = 0;
    for (let round = 0, progress = true; progress && round < maxRounds; round++) {
      progress = false;
      for (const order of sequence) {
        const reason = this.unassigned.get(order.id);
        if (reason === undefined) continue;
        if (this.placeByEjection(order, byId)) {
          placed++;
          progress = true;
        }
      }
    }
    return placed;
  }

  private placeByEjection(order: DispatchOrder, byId: ReadonlyMap<string, DispatchOrder>): boolean {
    const prepared = prepareOrder(order, this.catalogue);
    const reason = this.unassigned.get(order.id) ?? 'NO_CAPACITY';
    const hosts = this.daysFor(order).filter(
      (d) => caregiverEligibility(prepared, d.caregiver, d.date, this.travel) === null,
    );
    for (const host of hosts) {
      for (const victim of [...host.visits]) {
        const victimOrder = byId.get(victim.orderId);
        const before = this.assignments.get(victim.orderId);
        if (!victimOrder || !before) continue;
        this.unassign(victimOrder.id, 'NO_CAPACITY');
        const slot = evaluateInsertion(prepared, this.day(host.caregiver, host.date), {
          travel: this.travel,
          notBefore: this.notBefore,
        });
        if (slot.ok) {
          this.assign(order, {
            caregiverId: host.caregiver.id,
            date: host.date,
            plannedStart: slot.plannedStart,
            plannedEnd: slot.plannedEnd,
          });
          if (this.place(victimOrder)) return true;
          this.unassign(order.id, reason);
        }
        this.assign(victimOrder, before);
      }
    }
    return false;
  }

  build(orders: readonly DispatchOrder[], sequence: readonly DispatchOrder[], notes: PlanNotes): Plan {
    const assignments = sequence.flatMap((o) => this.assignments.get(o.id) ?? []);
    const unassigned = sequence.flatMap((o) => {
      const reason = this.unassigned.get(o.id);
      return reason === undefined ? [] : [{ orderId: o.id, reason }];
    });
    return {
      orders,
      caregivers: this.caregivers,
      catalogue: this.catalogue,
      travel: this.travel,
      assignments: withFinalTravel(assignments, orders, this.caregivers, this.travel),
      unassigned,
      notes,
    };
  }
}

/** Fills in each assignment's travel from the previous stop as its day is finally planned. */
function withFinalTravel(
  assignments: readonly Assignment[],
  orders: readonly DispatchOrder[],
  caregivers: readonly DispatchCaregiver[],
  travel: TravelModelOptions,
): Assignment[] {
  const orderMap = new Map(orders.map((o) => [o.id, o]));
  const caregiverMap = new Map(caregivers.map((c) => [c.id, c]));
  const byDay = new Map<string, PlannedVisit[]>();
  for (const a of assignments) {
    const order = orderMap.get(a.orderId);
    if (!order) continue;
    const key = `${a.caregiverId}|${a.date}`;
    byDay.set(key, [...(byDay.get(key) ?? []), visitOf(order, a.plannedStart, a.plannedEnd)]);
  }
  const travelIn = new Map<string, number>();
  for (const [key, visits] of byDay) {
    const caregiver = caregiverMap.get(key.slice(0, key.lastIndexOf('|')));
    if (!caregiver) continue;
    const route = dayRoute(caregiver, visits, travel);
    route.visits.forEach((v, i) => travelIn.set(v.orderId, route.legs[i]));
  }
  return assignments.map((a) => ({ ...a, travelMinutesFromPrevious: travelIn.get(a.orderId) }));
}

/**
 * The order in which planDay places orders: urgent first, then the tightest window (least slack between the window's
 * length and the visit's duration), then the earliest window, then id.
 */
export function dispatchSequence(
  orders: readonly DispatchOrder[],
  catalogue: ServiceCatalogue = DEFAULT_CATALOGUE,
): DispatchOrder[] {
  const keyed = orders.map((order) => ({
    order,
    slack: order.windowEnd - order.windowStart - prepareOrder(order, catalogue).durationMinutes * MINUTE_MS,
  }));
  keyed.sort(
    (a, b) =>
      Number(b.order.priority === 'urgent') - Number(a.order.priority === 'urgent') ||
      a.slack - b.slack ||
      a.order.windowStart - b.order.windowStart ||
      cmp(a.order.id, b.order.id),
  );
  return keyed.map((k) => k.order);
}

/**
 * The dispatcher's policy run over a whole day, for benchmarking its quality:
 * 1. orders in {@link dispatchSequence} (urgent first, then the tightest window), each placed by cheapest insertion
 *    and ranked by the objectives — the same `dispatchOrder` the worker runs for one order;
 * 2. ejection repair for the orders left over (see `repair` option);
 * 3. baseline guard: the first objective is to place as many orders as possible, and processing urgent orders first
 *    can cost a normal order or two on a tight day. If {@link greedyNearestFeasible} places more, planDay starts
 *    again from the baseline's assignments and inserts and repairs the rest the same way, so it never places fewer
 *    orders than the baseline. `notes.startedFromBaseline` tells when that happened.
 */
export function planDay(
  orders: readonly DispatchOrder[],
  caregivers: readonly DispatchCaregiver[],
  catalogue: ServiceCatalogue = DEFAULT_CATALOGUE,
  options: PlannerOptions = {},
): Plan {
  const travel = options.travel ?? DEFAULT_TRAVEL_MODEL;
  const sequence = dispatchSequence(orders, catalogue);
  const builder = new PlanBuilder(caregivers, catalogue, travel, options.existing, options.notBefore);
  for (const order of sequence) builder.place(order);
  const repaired = options.repair === false ? 0 : builder.repair(sequence);
  const plan = builder.build(orders, sequence, { planner: 'planDay', repaired });
  if (options.baselineGuard === false) return plan;

  const baseline = greedyNearestFeasible(orders, caregivers, catalogue, {
    travel,
    existing: options.existing,
    notBefore: options.notBefore,
  });
  if (baseline.assignments.length <= plan.assignments.length) return plan;
  const fromBaseline = new PlanBuilder(caregivers, catalogue, travel, options.existing, options.notBefore);
  const byId = new Map(orders.map((o) => [o.id, o]));
  for (const a of baseline.assignments) {
    const order = byId.get(a.orderId);
    if (order) fromBaseline.assign(order, a);
  }
  for (const order of sequence) if (!fromBaseline.assignments.has(order.id)) fromBaseline.place(order);
  const repairedAgain = options.repair === false ? 0 : fromBaseline.repair(sequence);
  return fromBaseline.build(orders, sequence, {
    planner: 'planDay',
    repaired: repairedAgain,
    startedFromBaseline: true,
  });
}

/**
 * The baseline: orders in input order; each goes to the nearest caregiver (by great-circle distance from the
 * service point) that can take it appended after the last visit of its day, at the earliest feasible start.
 */
export function greedyNearestFeasible(
  orders: readonly DispatchOrder[],
  caregivers: readonly DispatchCaregiver[],
  catalogue: ServiceCatalogue = DEFAULT_CATALOGUE,
  options: Pick<PlannerOptions, 'travel' | 'existing' | 'notBefore'> = {},
): Plan {
  const travel = options.travel ?? DEFAULT_TRAVEL_MODEL;
  const builder = new PlanBuilder(caregivers, catalogue, travel, options.existing, options.notBefore);
  for (const order of orders) {
    const prepared = prepareOrder(order, catalogue);
    // distances computed once per caregiver and sorted beside it (a Map lookup per comparison cost a round its time)
    const nearest = caregivers
      .map((c) => ({ c, d: haversineKm(c.servicePoint, order.location) }))
      .sort((a, b) => a.d - b.d || cmp(a.c.id, b.c.id))
      .map((x) => x.c);
    const dates = localDatesBetween(order.windowStart, order.windowEnd);
    const rejected: InfeasibleInsertion[] = [];
    let placed = false;
    for (const caregiver of nearest) {
      for (const date of dates) {
        const result = evaluateInsertion(prepared, builder.day(caregiver, date), {
          travel,
          positions: 'append',
          notBefore: options.notBefore,
        });
        if (!result.ok) {
          rejected.push(result);
          continue;
        }
        builder.assign(order, {
          caregiverId: caregiver.id,
          date,
          plannedStart: result.plannedStart,
          plannedEnd: result.plannedEnd,
        });
        placed = true;
        break;
      }
      if (placed) break;
    }
    if (!placed) builder.unassign(order.id, aggregateUnassignedReason(rejected));
  }
  return builder.build(orders, orders, { planner: 'greedyNearestFeasible' });
}

export interface PlanMetrics {
  readonly orders: number;
  readonly assigned: number;
  readonly urgentOrders: number;
  readonly urgentAssigned: number;
  readonly unassignedByReason: Readonly<Partial<Record<UnassignedReason, number>>>;
  /** Sum over caregiver-days of the whole route: service point → visits in time order → service point. */
  readonly totalTravelMinutes: number;
  readonly travelMinutesPerVisit: number;
  /** Assignments to a caregiver who served the resident in the last 90 days. */
  readonly continuityAssigned: number;
  readonly maxVisitsPerCaregiverDay: number;
  /** Standard deviation of the number of visits per active caregiver. */
  readonly visitsPerCaregiverStdDev: number;
}

/** Quality figures of a plan, for benchmarks and reports. */
export function planMetrics(plan: Plan): PlanMetrics {
  const orders = new Map(plan.orders.map((o) => [o.id, o]));
  const caregivers = new Map(plan.caregivers.map((c) => [c.id, c]));
  const byDay = new Map<string, { caregiver: DispatchCaregiver; visits: PlannedVisit[] }>();
  const perCaregiver = new Map<string, number>();
  let continuityAssigned = 0;
  for (const a of plan.assignments) {
    const order = orders.get(a.orderId);
    const caregiver = caregivers.get(a.caregiverId);
    if (!order || !caregiver) continue;
    const key = `${a.caregiverId}|${a.date}`;
    const day = byDay.get(key) ?? { caregiver, visits: [] };
    day.visits.push(visitOf(order, a.plannedStart, a.plannedEnd));
    byDay.set(key, day);
    perCaregiver.set(caregiver.id, (perCaregiver.get(caregiver.id) ?? 0) + 1);
    if (hasContinuity(caregiver, order.residentId)) continuityAssigned++;
  }
  let totalTravelMinutes = 0;
  for (const { caregiver, visits } of byDay.values())
    totalTravelMinutes += dayRoute(caregiver, visits, plan.travel).totalTravelMinutes;
  const counts = plan.caregivers.filter((c) => c.active).map((c) => perCaregiver.get(c.id) ?? 0);
  const mean = counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length);
  const variance = counts.reduce((s, n) => s + (n - mean) ** 2, 0) / Math.max(1, counts.length);
  const unassignedByReason: Partial<Record<UnassignedReason, number>> = {};
  for (const u of plan.unassigned) unassignedByReason[u.reason] = (unassignedByReason[u.reason] ?? 0) + 1;
  const assignedIds = new Set(plan.assignments.map((a) => a.orderId));
  const urgent = plan.orders.filter((o) => o.priority === 'urgent');
  return {
    orders: plan.orders.length,
    assigned: plan.assignments.length,
    urgentOrders: urgent.length,
    urgentAssigned: urgent.filter((o) => assignedIds.has(o.id)).length,
    unassignedByReason,
    totalTravelMinutes,
    travelMinutesPerVisit: plan.assignments.length ? totalTravelMinutes / plan.assignments.length : 0,
    continuityAssigned,
    maxVisitsPerCaregiverDay: Math.max(0, ...[...byDay.values()].map((d) => d.visits.length)),
    visitsPerCaregiverStdDev: Math.sqrt(variance),
  };
}
