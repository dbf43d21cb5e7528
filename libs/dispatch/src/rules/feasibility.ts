import {
  DEFAULT_CATALOGUE,
  hasSkills,
  orderDurationMinutes,
  requiredSkills,
  type ServiceCatalogue,
  type Skill,
} from './catalogue';
import { DEFAULT_TRAVEL_MODEL, isInServiceCircle, legMinutes, type TravelModelOptions, type TravelStop } from './geo';
import { dayViolations, servicePointStop, shiftBounds, sortVisits, visitStop } from './schedule';
import { ceilToMinute, MINUTE_MS } from './time';
import type {
  CandidateReason,
  CaregiverDay,
  DispatchCaregiver,
  DispatchOrder,
  InfeasibilityDetail,
  PlannedVisit,
  RuleOptions,
} from './types';

export interface FeasibleInsertion {
  readonly ok: true;
  readonly caregiverId: string;
  readonly date: string;
  readonly plannedStart: number;
  readonly plannedEnd: number;
  /** Travel into the new visit + travel out of it − the travel it replaces (the previous stop to the next). */
  readonly addedTravelMinutes: number;
  /** Travel from the previous stop (the service point or the previous visit) to the new visit. */
  readonly travelMinutesFromPrevious: number;
  /** Travel from the new visit to the next stop (the next visit or back to the service point). */
  readonly travelMinutesToNext: number;
  /** Index of the new visit in the day's visits in time order (0 = first). */
  readonly position: number;
  /** Visits the caregiver had that day before this one. */
  readonly visitsThatDay: number;
}

export interface InfeasibleInsertion {
  readonly ok: false;
  readonly caregiverId: string;
  readonly date: string;
  readonly reason: CandidateReason;
  readonly detail: InfeasibilityDetail;
}

export type InsertionResult = FeasibleInsertion | InfeasibleInsertion;

export interface InsertionOptions extends RuleOptions {
  /** `any` (default): the cheapest position in the day; `append`: only after the last visit. */
  readonly positions?: 'any' | 'append';
  /** No visit may start before this instant (the dispatcher passes "now": nothing is planned in the past). */
  readonly notBefore?: number;
}

/** Everything about an order the per-caregiver checks need, computed once per order. */
export interface PreparedOrder {
  readonly order: DispatchOrder;
  readonly durationMinutes: number;
  readonly skills: readonly Skill[];
  readonly stop: TravelStop;
  readonly declinedBy: ReadonlySet<string>;
}

export function prepareOrder(order: DispatchOrder, catalogue: ServiceCatalogue = DEFAULT_CATALOGUE): PreparedOrder {
  return {
    order,
    durationMinutes: orderDurationMinutes(order, catalogue),
    skills: requiredSkills(order, catalogue),
    stop: visitStop(order),
    declinedBy: new Set(order.declinedBy ?? []),
  };
}

/** The visit an order becomes once placed. */
export function visitOf(order: DispatchOrder, plannedStart: number, plannedEnd: number): PlannedVisit {
  return {
    orderId: order.id,
    residentId: order.residentId,
    location: order.location,
    kind: order.kind,
    plannedStart,
    plannedEnd,
  };
}

const fail = (
  caregiverId: string,
  date: string,
  reason: CandidateReason,
  detail: InfeasibilityDetail,
): InfeasibleInsertion => ({
  ok: false,
  caregiverId,
  date,
  reason,
  detail,
});

/**
 * Rule 1 (skills, active), rule 2 (service circle) and rule 5 (declined before) for one caregiver: the checks that
 * do not depend on the day. Null when they all pass.
 */
export function caregiverEligibility(
  prepared: PreparedOrder,
  caregiver: DispatchCaregiver,
  date: string,
  travel: TravelModelOptions = DEFAULT_TRAVEL_MODEL,
): InfeasibleInsertion | null {
  const { order } = prepared;
  if (!caregiver.active) return fail(caregiver.id, date, 'NO_SKILLED_CAREGIVER', 'INACTIVE');
  if (!hasSkills(caregiver.skills, prepared.skills))
    return fail(caregiver.id, date, 'NO_SKILLED_CAREGIVER', 'MISSING_SKILL');
  if (!isInServiceCircle(caregiver.servicePoint, order.location, order.kind, travel)) {
    return fail(caregiver.id, date, 'OUT_OF_SERVICE_CIRCLE', 'OUT_OF_SERVICE_CIRCLE');
  }
  if (prepared.declinedBy.has(caregiver.id)) return fail(caregiver.id, date, 'NO_CAPACITY', 'DECLINED');
  return null;
}

/**
 * Whether one order can go on one caregiver's day under all the hard rules, and where: the insertion position
 * that adds the least travel (ties: the earlier start, then the earlier position), at the earliest feasible
 * whole-minute start in that gap. Existing visits keep their times. Every candidate day is re-checked as a whole
 * (rules 3–5), so a visit that breaks the travel into the following visit, or a day already unsound, is refused.
 */
export function evaluateInsertion(
  order: DispatchOrder | PreparedOrder,
  day: CaregiverDay,
  options: InsertionOptions = {},
): InsertionResult {
  const travel = options.travel ?? DEFAULT_TRAVEL_MODEL;
  const prepared = 'stop' in order ? order : prepareOrder(order, options.catalogue);
  const { caregiver, date } = day;

  const ineligible = caregiverEligibility(prepared, caregiver, date, travel);
  if (ineligible) return ineligible;

  const visits = sortVisits(day.visits);
  if (visits.length >= caregiver.maxDailyVisits) return fail(caregiver.id, date, 'NO_CAPACITY', 'MAX_DAILY_VISITS');

  const durationMs = prepared.durationMinutes * MINUTE_MS;
  const shift = shiftBounds(caregiver, date);
  const lower = Math.max(prepared.order.windowStart, shift.start, options.notBefore ?? Number.NEGATIVE_INFINITY);
  const upper = Math.min(prepared.order.windowEnd, shift.end);
  if (ceilToMinute(lower) + durationMs > upper) return fail(caregiver.id, date, 'NO_CAPACITY', 'OUTSIDE_SHIFT');

  const home = servicePointStop(caregiver);
  const stops: TravelStop[] = visits.map(visitStop);
  let best: FeasibleInsertion | null = null;
  const first = options.positions === 'append' ? visits.length : 0;
  for (let position = first; position <= visits.length; position++) {
    const prevStop = position === 0 ? home : stops[position - 1];
    // the caregiver sets off from the previous stop when it is done, or now if that lies in the past: the first
    // visit of a day already under way is reached from the service point starting now, not at the shift's start
    const prevEnd = Math.max(
      position === 0 ? shift.start : visits[position - 1].plannedEnd,
      options.notBefore ?? Number.NEGATIVE_INFINITY,
    );
    const nextStop = position === visits.length ? home : stops[position];
    const nextStart = position === visits.length ? shift.end : visits[position].plannedStart;

    const travelIn = legMinutes(prevStop, prepared.stop, travel);
    const travelOut = legMinutes(prepared.stop, nextStop, travel);
    const plannedStart = ceilToMinute(Math.max(prevEnd + travelIn * MINUTE_MS, lower));
    const plannedEnd = plannedStart + durationMs;
    if (plannedEnd > upper || plannedEnd + travelOut * MINUTE_MS > nextStart) continue;

    const replaced = prevStop === home && nextStop === home ? 0 : legMinutes(prevStop, nextStop, travel);
    const addedTravelMinutes = travelIn + travelOut - replaced;
    if (
      best &&
      (best.addedTravelMinutes < addedTravelMinutes ||
        (best.addedTravelMinutes === addedTravelMinutes && best.plannedStart <= plannedStart))
    ) {
      continue;
    }
    const candidateDay = [
      ...visits.slice(0, position),
      visitOf(prepared.order, plannedStart, plannedEnd),
      ...visits.slice(position),
    ];
    if (dayViolations(caregiver, date, candidateDay, travel).length > 0) continue;
    best = {
      ok: true,
      caregiverId: caregiver.id,
      date,
      plannedStart,
      plannedEnd,
      addedTravelMinutes,
      travelMinutesFromPrevious: travelIn,
      travelMinutesToNext: travelOut,
      position,
      visitsThatDay: visits.length,
    };
  }
  return best ?? fail(caregiver.id, date, 'NO_CAPACITY', 'NO_TIME_SLOT');
}

/**
 * The order placed on the day exactly at `plannedStart` (as a round's plan put it), under every hard rule, with
 * the departure from the previous stop counted from `notBefore` at the earliest; null when that exact slot does not
 * hold (the caller then looks for another with `evaluateInsertion`).
 */
export function insertionAt(
  order: PreparedOrder,
  day: CaregiverDay,
  plannedStart: number,
  options: InsertionOptions = {},
): FeasibleInsertion | null {
  const travel = options.travel ?? DEFAULT_TRAVEL_MODEL;
  const { caregiver, date } = day;
  if (caregiverEligibility(order, caregiver, date, travel)) return null;
  const visits = sortVisits(day.visits);
  if (visits.length >= caregiver.maxDailyVisits) return null;
  const shift = shiftBounds(caregiver, date);
  const notBefore = options.notBefore ?? Number.NEGATIVE_INFINITY;
  const plannedEnd = plannedStart + order.durationMinutes * MINUTE_MS;
  if (plannedStart < Math.max(order.order.windowStart, shift.start, notBefore)) return null;
  if (plannedEnd > Math.min(order.order.windowEnd, shift.end)) return null;
  const position = visits.filter((v) => v.plannedStart < plannedStart).length;
  const home = servicePointStop(caregiver);
  const prevStop = position === 0 ? home : visitStop(visits[position - 1]);
  const prevEnd = Math.max(position === 0 ? shift.start : visits[position - 1].plannedEnd, notBefore);
  const nextStop = position === visits.length ? home : visitStop(visits[position]);
  const nextStart = position === visits.length ? shift.end : visits[position].plannedStart;
  const travelIn = legMinutes(prevStop, order.stop, travel);
  const travelOut = legMinutes(order.stop, nextStop, travel);
  if (prevEnd + travelIn * MINUTE_MS > plannedStart || plannedEnd + travelOut * MINUTE_MS > nextStart) return null;
  const candidateDay = [
    ...visits.slice(0, position),
    visitOf(order.order, plannedStart, plannedEnd),
    ...visits.slice(position),
  ];
  if (dayViolations(caregiver, date, candidateDay, travel).length > 0) return null;
  const replaced = prevStop === home && nextStop === home ? 0 : legMinutes(prevStop, nextStop, travel);
  return {
    ok: true,
    caregiverId: caregiver.id,
    date,
    plannedStart,
    plannedEnd,
    addedTravelMinutes: travelIn + travelOut - replaced,
    travelMinutesFromPrevious: travelIn,
    travelMinutesToNext: travelOut,
    position,
    visitsThatDay: visits.length,
  };
}
