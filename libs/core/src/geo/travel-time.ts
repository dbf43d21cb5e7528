/**
 * The project's travel-time model (shared/spec/domain.md §5). No map service is reachable, so:
 *
 *   distance = great-circle distance (haversine, sphere of radius 6371 km) × 1.3 (road detour)
 *   speed    = 20 km/h when the governing township is urban, 30 km/h when rural
 *   minutes  = ceil(distance ÷ speed × 60)
 *
 * Which township governs a leg: between a service point and a resident (either way) the resident's;
 * between two residents, the one travelled to (see {@link legKind}).
 *
 * Service circle: a caregiver may serve a resident only if the travel time from the caregiver's service
 * point is at most 15 minutes (urban resident) or 30 minutes (rural resident).
 *
 * Every figure is a default of the project, overridable through {@link TravelModelOptions}. Pure module:
 * used by dispatch (hard rules) and by statistics (`service_circle_coverage`).
 */

export interface GeoPoint {
  readonly lat: number;
  readonly lng: number;
}

export type AreaKind = 'urban' | 'rural';

export interface TravelModelOptions {
  /** Sphere radius for the haversine formula, km. */
  readonly earthRadiusKm: number;
  /** Road detour factor applied to the great-circle distance. */
  readonly detourFactor: number;
  /** Travel speed, km/h, by the governing township's kind. */
  readonly urbanSpeedKmh: number;
  readonly ruralSpeedKmh: number;
  /** Service-circle radius in travel minutes, by the resident's township kind. */
  readonly urbanServiceCircleMinutes: number;
  readonly ruralServiceCircleMinutes: number;
}

export const DEFAULT_TRAVEL_MODEL: Readonly<TravelModelOptions> = Object.freeze({
  earthRadiusKm: 6371,
  detourFactor: 1.3,
  urbanSpeedKmh: 20,
  ruralSpeedKmh: 30,
  urbanServiceCircleMinutes: 15,
  ruralServiceCircleMinutes: 30,
});

/** Defaults with the given overrides applied; rejects figures that would make the model meaningless. */
export function travelModel(overrides: Partial<TravelModelOptions> = {}): TravelModelOptions {
  const model: TravelModelOptions = { ...DEFAULT_TRAVEL_MODEL, ...overrides };
  const positive: (keyof TravelModelOptions)[] = ['earthRadiusKm', 'detourFactor', 'urbanSpeedKmh', 'ruralSpeedKmh'];
  for (const key of positive) {
    if (!Number.isFinite(model[key]) || model[key] <= 0) {
      throw new RangeError(`travel model: ${key} must be a positive number, got ${model[key]}`);
    }
  }
  for (const key of ['urbanServiceCircleMinutes', 'ruralServiceCircleMinutes'] as const) {
    if (!Number.isFinite(model[key]) || model[key] < 0) {
      throw new RangeError(`travel model: ${key} must be a non-negative number, got ${model[key]}`);
    }
  }
  return model;
}

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;

/** Great-circle distance in km by the haversine formula. */
export function haversineKm(a: GeoPoint, b: GeoPoint, earthRadiusKm = DEFAULT_TRAVEL_MODEL.earthRadiusKm): number {
  const dLat = toRadians(b.lat - a.lat);
  const dLng = toRadians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLng / 2) ** 2;
  // min() guards against h creeping above 1 through rounding for antipodal points.
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Modelled road distance in km: great-circle distance × detour factor. */
export function roadDistanceKm(a: GeoPoint, b: GeoPoint, model: TravelModelOptions = DEFAULT_TRAVEL_MODEL): number {
  return haversineKm(a, b, model.earthRadiusKm) * model.detourFactor;
}

export function speedKmh(kind: AreaKind, model: TravelModelOptions = DEFAULT_TRAVEL_MODEL): number {
  return kind === 'urban' ? model.urbanSpeedKmh : model.ruralSpeedKmh;
}

/**
 * Floating-point slack for the ceiling: a leg that is exactly N minutes long must not become N+1 because
 * the trigonometry returned N.000000000001. One nanominute is far below any meaningful distance (≈ 0.3 µm).
 */
const CEIL_EPSILON = 1e-9;

/**
 * Travel minutes between two points, the speed set by `kind` — the governing township's kind
 * (use {@link legKind} to pick it). Always a whole, non-negative number of minutes.
 */
export function travelMinutes(
  from: GeoPoint,
  to: GeoPoint,
  kind: AreaKind,
  model: TravelModelOptions = DEFAULT_TRAVEL_MODEL,
): number {
  const exact = (roadDistanceKm(from, to, model) / speedKmh(kind, model)) * 60;
  return Math.max(0, Math.ceil(exact - CEIL_EPSILON));
}

/** One end of a leg: a service point, or a resident's home with its township's kind. */
export type TravelStop =
  | { readonly type: 'service_point'; readonly location: GeoPoint }
  | { readonly type: 'resident'; readonly location: GeoPoint; readonly kind: AreaKind };

/**
 * The township kind that sets the speed of a leg: between a service point and a resident (either way) the
 * resident's; between two residents the one travelled to. A leg between two service points has no resident;
 * it is given the rural (faster, default) speed — the model never needs it for dispatch.
 */
export function legKind(from: TravelStop, to: TravelStop): AreaKind {
  if (to.type === 'resident') return to.kind;
  if (from.type === 'resident') return from.kind;
  return 'rural';
}

/** Travel minutes of a leg between two stops, with the governing kind picked by {@link legKind}. */
export function legMinutes(from: TravelStop, to: TravelStop, model: TravelModelOptions = DEFAULT_TRAVEL_MODEL): number {
  return travelMinutes(from.location, to.location, legKind(from, to), model);
}

/** The service-circle radius in travel minutes for a resident of a township of this kind. */
export function serviceCircleMinutes(kind: AreaKind, model: TravelModelOptions = DEFAULT_TRAVEL_MODEL): number {
  return kind === 'urban' ? model.urbanServiceCircleMinutes : model.ruralServiceCircleMinutes;
}

/**
 * The service circle as a great-circle radius in km (for drawing it on a map): the distance the circle's minutes
 * cover at the township kind's speed, divided by the detour factor.
 */
export function serviceCircleRadiusKm(kind: AreaKind, model: TravelModelOptions = DEFAULT_TRAVEL_MODEL): number {
  return (speedKmh(kind, model) * serviceCircleMinutes(kind, model)) / 60 / model.detourFactor;
}

/**
 * Whether a resident (at `resident`, in a township of kind `residentKind`) lies inside the service circle of
 * a service point: travel time from the service point, at the resident's township's speed, is at most the
 * circle's minutes.
 */
export function isInServiceCircle(
  servicePoint: GeoPoint,
  resident: GeoPoint,
  residentKind: AreaKind,
  model: TravelModelOptions = DEFAULT_TRAVEL_MODEL,
): boolean {
  return travelMinutes(servicePoint, resident, residentKind, model) <= serviceCircleMinutes(residentKind, model);
}
