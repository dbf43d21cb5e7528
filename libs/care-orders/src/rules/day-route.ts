/**
 * A caregiver's day as the schedule shows it: visits in time order, each with the travel minutes into it
 * (from the service point or the previous visit), and the travel back to the service point — by the
 * project's travel-time model (libs/core/src/geo). A leg that touches a home without coordinates has no
 * travel time (null).
 */
import {
  DEFAULT_TRAVEL_MODEL,
  legMinutes,
  type AreaKind,
  type GeoPoint,
  type TravelModelOptions,
  type TravelStop,
} from '@care/core/geo';

export interface RouteVisit {
  readonly orderId: string;
  readonly plannedStart: Date;
  readonly plannedEnd: Date;
  /** The resident's home; null when its coordinates are unknown. */
  readonly location: GeoPoint | null;
  readonly kind: AreaKind;
}

export interface RouteLeg<V extends RouteVisit> {
  readonly visit: V;
  /** Travel into this visit from the previous stop. */
  readonly travelMinutes: number | null;
  /** Minutes between the previous stop's end (shift start for the first visit) and this start, minus travel. */
  readonly slackMinutes: number | null;
}

export interface DayRouteView<V extends RouteVisit> {
  readonly legs: RouteLeg<V>[];
  readonly returnTravelMinutes: number | null;
  readonly totalTravelMinutes: number | null;
}

function stopOf(visit: RouteVisit): TravelStop | null {
  return visit.location ? { type: 'resident', location: visit.location, kind: visit.kind } : null;
}

export function dayRouteView<V extends RouteVisit>(
  servicePoint: GeoPoint,
  shiftStart: Date,
  visits: readonly V[],
  model: TravelModelOptions = DEFAULT_TRAVEL_MODEL,
): DayRouteView<V> {
  const ordered = [...visits].sort(
    (a, b) => a.plannedStart.getTime() - b.plannedStart.getTime() || (a.orderId < b.orderId ? -1 : 1),
  );
  const home: TravelStop = { type: 'service_point', location: servicePoint };
  const legs: RouteLeg<V>[] = [];
  let prev: TravelStop | null = home;
  let prevEnd = shiftStart;
  let total: number | null = 0;
  for (const visit of ordered) {
    const stop = stopOf(visit);
    const travel = prev && stop ? legMinutes(prev, stop, model) : null;
    const gap = Math.round((visit.plannedStart.getTime() - prevEnd.getTime()) / 60_000);
    legs.push({ visit, travelMinutes: travel, slackMinutes: travel === null ? null : gap - travel });
    total = total === null || travel === null ? null : total + travel;
    prev = stop;
    prevEnd = visit.plannedEnd;
  }
  const back = ordered.length === 0 ? 0 : prev ? legMinutes(prev, home, model) : null;
  return {
    legs,
    returnTravelMinutes: ordered.length === 0 ? null : back,
    totalTravelMinutes: total === null || back === null ? null : total + back,
  };
}
