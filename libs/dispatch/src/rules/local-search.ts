import { caregiverEligibility, type PreparedOrder, prepareOrder, visitOf } from './feasibility';
import { DEFAULT_TRAVEL_MODEL, legMinutes, type TravelModelOptions, type TravelStop } from './geo';
import type { Assignment, Plan } from './planner';
import { cmp, dayRoute, dayViolations, servicePointStop, shiftBounds, sortVisits, visitStop } from './schedule';
import { ceilToMinute, localDatesBetween, MINUTE_MS } from './time';
import type { DispatchCaregiver, PlannedVisit } from './types';

/** The local search's time budget: a base plus a little per order of the round (a round of 250: 900 ms). */
export const LOCAL_SEARCH_BASE_MS = 400;
export const LOCAL_SEARCH_MS_PER_ORDER = 2;

export interface LocalSearchOptions {
  /** Visits already on caregivers' days (key `caregiverId|date`): fixed, never moved (as in planDay). */
  readonly existing?: ReadonlyMap<string, readonly PlannedVisit[]>;
  /** Nothing starts before this instant, and the first leg of a day starts from it (the caregiver sets off now). */
  readonly notBefore?: number;
  /** Default LOCAL_SEARCH_BASE_MS + LOCAL_SEARCH_MS_PER_ORDER per order. */
  readonly budgetMs?: number;
  /** The clock the budget is measured on (tests pass a fake one). */
  readonly clock?: () => number;
}

/** A stop of a route: a movable order of the plan, or a visit already there (fixed in time). */
type Stop =
  { readonly kind: 'order'; readonly order: PreparedOrder } | { readonly kind: 'fixed'; readonly visit: PlannedVisit };

interface Route {
  readonly caregiver: DispatchCaregiver;
  readonly date: string;
  stops: Stop[];
  /** Travel of the whole route (service point → stops → service point), or null when it cannot be scheduled. */
  cost: number;
}

interface Timed {
  readonly orderId: string;
  readonly plannedStart: number;
  readonly plannedEnd: number;
}

const stopOf = (s: Stop): TravelStop => (s.kind === 'order' ? s.order.stop : visitStop(s.visit));
const idOf = (s: Stop): string => (s.kind === 'order' ? s.order.order.id : s.visit.orderId);

/**
 * Schedules a route's stops in the given sequence at their earliest starts: the caregiver leaves the service point
 * at the shift's start or `notBefore`, whichever is later (travel into the first visit counts from then); each order
 * starts once the travel from the previous stop is done and its window and the shift allow; a fixed visit must be
 * reachable before its own start. Null when a window, the shift, the way back or the day's count breaks.
 */
export function scheduleRoute(
  caregiver: DispatchCaregiver,
  date: string,
  stops: readonly Stop[],
  travel: TravelModelOptions = DEFAULT_TRAVEL_MODEL,
  notBefore = Number.NEGATIVE_INFINITY,
): { timed: Timed[]; travelMinutes: number } | null {
  if (stops.length > caregiver.maxDailyVisits) return null;
  const shift = shiftBounds(caregiver, date);
  let at = Math.max(shift.start, notBefore);
  let from: TravelStop = servicePointStop(caregiver);
  let travelMinutes = 0;
  const timed: Timed[] = [];
  for (const stop of stops) {
    const to = stopOf(stop);
    const leg = legMinutes(from, to, travel);
    travelMinutes += leg;
    const arrival = at + leg * MINUTE_MS;
    if (stop.kind === 'fixed') {
      if (arrival > stop.visit.plannedStart) return null;
      at = stop.visit.plannedEnd;
      timed.push({
        orderId: stop.visit.orderId,
        plannedStart: stop.visit.plannedStart,
        plannedEnd: stop.visit.plannedEnd,
      });
    } else {
      const { order, durationMinutes } = stop.order;
      const start = ceilToMinute(Math.max(arrival, order.windowStart, shift.start, notBefore));
      const end = start + durationMinutes * MINUTE_MS;
      if (end > order.windowEnd || end > shift.end) return null;
      at = end;
      timed.push({ orderId: order.id, plannedStart: start, plannedEnd: end });
    }
    from = to;
  }
  if (stops.length > 0) {
    const back = legMinutes(from, servicePointStop(caregiver), travel);
    travelMinutes += back;
    if (at + back * MINUTE_MS > shift.end) return null;
  }
  return { timed, travelMinutes };
}

/**
 * Local search after the planner's insertion and ejections: relocate (one visit to another place, on its own or
 * another caregiver's day), swap (two visits trade places), or-opt (a run of two or three visits moved within a
 * day) and 2-opt (a run reversed), each taken when it lowers the travel; then the orders still unassigned are tried
 * again by cheapest insertion into the improved days (urgent first). Every order the plan placed stays placed, so
 * the result never has fewer assignments, nor fewer urgent ones, than the plan it improves; visits already on the
 * days (`existing`) keep their times. Stops when nothing improves or the time budget is spent. Pure and
 * deterministic for a given budget outcome; each route is re-checked against every hard rule before it is returned.
 */
export function improvePlan(plan: Plan, options: LocalSearchOptions = {}): Plan {
  const clock = options.clock ?? Date.now;
  const deadline =
    clock() + (options.budgetMs ?? LOCAL_SEARCH_BASE_MS + LOCAL_SEARCH_MS_PER_ORDER * plan.orders.length);
  const travel = plan.travel ?? DEFAULT_TRAVEL_MODEL;
  const notBefore = options.notBefore ?? Number.NEGATIVE_INFINITY;
  const prepared = new Map(plan.orders.map((o) => [o.id, prepareOrder(o, plan.catalogue)]));
  const caregivers = new Map(plan.caregivers.map((c) => [c.id, c]));

  // the routes: every caregiver-day the plan uses or an order of it could use
  const routes = new Map<string, Route>();
  const routeOf = (caregiver: DispatchCaregiver, date: string): Route => {
    const key = `${caregiver.id}|${date}`;
    let route = routes.get(key);
    if (!route) {
      const fixed: Stop[] = sortVisits(options.existing?.get(key) ?? []).map((visit) => ({ kind: 'fixed', visit }));
      route = { caregiver, date, stops: fixed, cost: 0 };
      route.cost = scheduleRoute(caregiver, date, fixed, travel, notBefore)?.travelMinutes ?? 0;
      routes.set(key, route);
    }
    return route;
  };
  // where each order may go (skills, circle, not declined; any date of its window)
  const hosts = new Map<string, Route[]>();
  for (const [id, p] of prepared) {
    const dates = localDatesBetween(p.order.windowStart, p.order.windowEnd);
    const list: Route[] = [];
    for (const c of plan.caregivers) {
      if (caregiverEligibility(p, c, dates[0] ?? '', travel) !== null) continue;
      for (const date of dates) list.push(routeOf(c, date));
    }
    hosts.set(id, list);
  }
  const located = new Map<string, Route>();
  const byStart = [...plan.assignments].sort((a, b) => a.plannedStart - b.plannedStart || cmp(a.orderId, b.orderId));
  for (const a of byStart) {
    const caregiver = caregivers.get(a.caregiverId);
    const p = prepared.get(a.orderId);
    if (!caregiver || !p) continue;
    const route = routeOf(caregiver, a.date);
    // in time order among the fixed visits and the orders placed before it
    const at = route.stops.findIndex(
      (s) => (s.kind === 'fixed' ? s.visit.plannedStart : Number.POSITIVE_INFINITY) > a.plannedStart,
    );
    const stops = [...route.stops];
    stops.splice(at < 0 ? stops.length : at, 0, { kind: 'order', order: p });
    route.stops = stops;
    located.set(a.orderId, route);
  }
  // the plan's own routes, re-scheduled in sequence, are the starting point; a day that cannot be (it should
  // always be) is left as the plan made it: the search only ever returns routes it scheduled itself
  const frozen = new Set<Route>();
  for (const route of new Set(located.values())) {
    const s = scheduleRoute(route.caregiver, route.date, route.stops, travel, notBefore);
    if (s) route.cost = s.travelMinutes;
    else frozen.add(route);
  }
  const cost = (route: Route, stops: readonly Stop[]): number | null =>
    scheduleRoute(route.caregiver, route.date, stops, travel, notBefore)?.travelMinutes ?? null;
  const out = () => clock() > deadline;

  let improved = true;
  while (improved && !out()) {
    improved = false;
    for (const [orderId, from] of [...located]) {
      if (out()) break;
      if (frozen.has(from)) continue;
      const i = from.stops.findIndex((s) => s.kind === 'order' && s.order.order.id === orderId);
      const stop = from.stops[i];
      if (i < 0 || !stop) continue;
      const without = [...from.stops.slice(0, i), ...from.stops.slice(i + 1)];
      const withoutCost = cost(from, without);
      if (withoutCost === null) continue;
      // relocate: the best place anywhere it may go
      let best: { route: Route; stops: Stop[]; gain: number; cost: number } | null = null;
      for (const to of hosts.get(orderId) ?? []) {
        if (frozen.has(to)) continue;
        const base = to === from ? without : to.stops;
        for (let j = 0; j <= base.length; j++) {
          if (to === from && j === i) continue;
          const stops = [...base.slice(0, j), stop, ...base.slice(j)];
          const c = cost(to, stops);
          if (c === null) continue;
          // the travel of both days before, less after (one day when it stays on its own)
          const realGain = to === from ? from.cost - c : from.cost + to.cost - withoutCost - c;
          if (realGain > 0 && (!best || realGain > best.gain)) best = { route: to, stops, gain: realGain, cost: c };
        }
      }
      // swap: trade places with an order on another day that may take this one's place (taken at once)
      let swapped = false;
      for (const to of hosts.get(orderId) ?? []) {
        if (to === from || frozen.has(to) || out()) continue;
        for (let j = 0; j < to.stops.length && !swapped; j++) {
          const other = to.stops[j];
          if (other.kind !== 'order' || !(hosts.get(other.order.order.id) ?? []).includes(from)) continue;
          const a = [...from.stops];
          a[i] = other;
          const b = [...to.stops];
          b[j] = stop;
          const ca = cost(from, a);
          const cb = ca === null ? null : cost(to, b);
          if (ca === null || cb === null || from.cost + to.cost - ca - cb <= (best?.gain ?? 0)) continue;
          from.stops = a;
          from.cost = ca;
          to.stops = b;
          to.cost = cb;
          located.set(other.order.order.id, from);
          located.set(orderId, to);
          swapped = true;
        }
        if (swapped) break;
      }
      if (swapped) {
        improved = true;
        continue;
      }
      if (best) {
        if (best.route !== from) {
          from.stops = without;
          from.cost = withoutCost;
        }
        best.route.stops = best.stops;
        best.route.cost = best.cost;
        located.set(orderId, best.route);
        improved = true;
      }
    }
    // or-opt and 2-opt within each day
    for (const route of new Set(located.values())) {
      if (out()) break;
      if (frozen.has(route)) continue;
      if (improveWithin(route, cost)) improved = true;
    }
  }

  // the orders left unassigned: cheapest insertion into the improved days, urgent first
  const assignedIds = new Set(located.keys());
  const left = plan.unassigned
    .map((u) => prepared.get(u.orderId))
    .filter((p): p is PreparedOrder => p !== undefined)
    .sort(
      (a, b) =>
        Number(b.order.priority === 'urgent') - Number(a.order.priority === 'urgent') || cmp(a.order.id, b.order.id),
    );
  for (const p of left) {
    let best: { route: Route; stops: Stop[]; added: number; cost: number } | null = null;
    for (const to of hosts.get(p.order.id) ?? []) {
      if (frozen.has(to)) continue;
      for (let j = 0; j <= to.stops.length; j++) {
        const stops = [...to.stops.slice(0, j), { kind: 'order' as const, order: p }, ...to.stops.slice(j)];
        const c = cost(to, stops);
        if (c === null) continue;
        if (!best || c - to.cost < best.added) best = { route: to, stops, added: c - to.cost, cost: c };
      }
    }
    if (best) {
      best.route.stops = best.stops;
      best.route.cost = best.cost;
      located.set(p.order.id, best.route);
      assignedIds.add(p.order.id);
    }
  }

  // the routes as planned times; any day that fails the hard rules' own check keeps the plan's (never happens if
  // scheduleRoute is right, but the check is cheap and the commit trusts this plan)
  const assignments: Assignment[] = [];
  const fromPlan = new Map(plan.assignments.map((a) => [a.orderId, a]));
  for (const route of new Set([...located.values()])) {
    const orderIds = route.stops.filter((s) => s.kind === 'order').map(idOf);
    if (frozen.has(route)) {
      for (const id of orderIds) {
        const a = fromPlan.get(id);
        if (a) assignments.push(a);
      }
      continue;
    }
    const s = scheduleRoute(route.caregiver, route.date, route.stops, travel, notBefore);
    const visits = s?.timed.map((t) => {
      const stop = route.stops.find((x) => idOf(x) === t.orderId);
      return stop && stop.kind === 'order'
        ? visitOf(stop.order.order, t.plannedStart, t.plannedEnd)
        : (stop as { visit: PlannedVisit }).visit;
    });
    if (!s || !visits || dayViolations(route.caregiver, route.date, visits, travel).length > 0) return plan;
    const legs = dayRoute(route.caregiver, visits, travel);
    const legOf = new Map(legs.visits.map((v, k) => [v.orderId, legs.legs[k]]));
    for (const t of s.timed) {
      if (!orderIds.includes(t.orderId)) continue;
      assignments.push({
        orderId: t.orderId,
        caregiverId: route.caregiver.id,
        date: route.date,
        plannedStart: t.plannedStart,
        plannedEnd: t.plannedEnd,
        travelMinutesFromPrevious: legOf.get(t.orderId),
      });
    }
  }
  if (assignments.length < plan.assignments.length) return plan;
  const order = new Map(plan.orders.map((o, k) => [o.id, k]));
  assignments.sort((a, b) => (order.get(a.orderId) ?? 0) - (order.get(b.orderId) ?? 0));
  return {
    ...plan,
    assignments,
    unassigned: plan.unassigned.filter((u) => !assignedIds.has(u.orderId)),
    notes: {
      planner: plan.notes?.planner ?? 'planDay',
      ...plan.notes,
      localSearch: {
        travelSavedMinutes: travelOf(plan) - travelOf({ ...plan, assignments }),
        placed: assignments.length - plan.assignments.length,
      },
    },
  };
}

/** The travel of a plan's days as planMetrics counts it (whole routes, the visits already there included). */
function travelOf(plan: Pick<Plan, 'orders' | 'caregivers' | 'assignments' | 'travel'>): number {
  const orders = new Map(plan.orders.map((o) => [o.id, o]));
  const caregivers = new Map(plan.caregivers.map((c) => [c.id, c]));
  const days = new Map<string, PlannedVisit[]>();
  for (const a of plan.assignments) {
    const o = orders.get(a.orderId);
    if (!o) continue;
    const key = `${a.caregiverId}|${a.date}`;
    days.set(key, [...(days.get(key) ?? []), visitOf(o, a.plannedStart, a.plannedEnd)]);
  }
  let total = 0;
  for (const [key, visits] of days) {
    const c = caregivers.get(key.slice(0, key.lastIndexOf('|')));
    if (c) total += dayRoute(c, visits, plan.travel).totalTravelMinutes;
  }
  return total;
}

/** Or-opt (a run of 2–3 orders moved) and 2-opt (a run reversed) within one day; true when the day improved. */
function improveWithin(route: Route, cost: (route: Route, stops: readonly Stop[]) => number | null): boolean {
  let improved = false;
  const n = route.stops.length;
  for (let len = 2; len <= 3; len++) {
    for (let i = 0; i + len <= n; i++) {
      const run = route.stops.slice(i, i + len);
      if (run.some((s) => s.kind !== 'order')) continue;
      const rest = [...route.stops.slice(0, i), ...route.stops.slice(i + len)];
      for (let j = 0; j <= rest.length; j++) {
        if (j === i) continue;
        const stops = [...rest.slice(0, j), ...run, ...rest.slice(j)];
        const c = cost(route, stops);
        if (c !== null && c < route.cost) {
          route.stops = stops;
          route.cost = c;
          return true;
        }
      }
    }
  }
  for (let i = 0; i < n - 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const run = route.stops.slice(i, j + 1);
      if (run.some((s) => s.kind !== 'order')) continue;
      const stops = [...route.stops.slice(0, i), ...run.reverse(), ...route.stops.slice(j + 1)];
      const c = cost(route, stops);
      if (c !== null && c < route.cost) {
        route.stops = stops;
        route.cost = c;
        improved = true;
      }
    }
  }
  return improved;
}
