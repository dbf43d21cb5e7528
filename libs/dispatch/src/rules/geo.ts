/**
 * The one place the dispatch rules take the shared travel-time model from (libs/core/src/geo), so the
 * import path can change in one line (e.g. to a `@care/core/geo` alias that does not load the rest of core).
 */
export {
  DEFAULT_TRAVEL_MODEL,
  haversineKm,
  isInServiceCircle,
  legMinutes,
  travelMinutes,
  travelModel,
} from '@care/core';
export type { AreaKind, GeoPoint, TravelModelOptions, TravelStop } from '@care/core';
