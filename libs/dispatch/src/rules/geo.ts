/**
 * The one place the dispatch rules take the shared travel-time model from (libs/core/src/geo), through the
 * `@care/core/geo` alias: it loads only the geo module, not the rest of core (Nest, TypeORM, BullMQ), so the
 * pure rules and their unit tests stay light.
 */
export {
  DEFAULT_TRAVEL_MODEL,
  haversineKm,
  isInServiceCircle,
  legMinutes,
  travelMinutes,
  travelModel,
} from '@care/core/geo';
export type { AreaKind, GeoPoint, TravelModelOptions, TravelStop } from '@care/core/geo';
