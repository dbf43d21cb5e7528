/**
 * Which beds the bed indicators count (domain.md §2, §6): beds of institutions — facilities of type
 * `welfare_institute`, `nursing_home`, `service_center` — that are not `closed`. Beds of a
 * `community_station` (day care) stay out. Beds under maintenance, reserved or vacant are in service.
 * Occupied = held by an active stay (the bed's status `occupied`). Pure: no Nest, no TypeORM.
 */
import { COUNTED_FACILITY_TYPES } from '../outbox';

export const FACILITY_TYPES = ['welfare_institute', 'nursing_home', 'service_center', 'community_station'] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];

/** The facility types counted: the outbox's (src/outbox), which the owners' statistics changes use too. */
export const INSTITUTION_TYPES: readonly FacilityType[] = COUNTED_FACILITY_TYPES;

export type BedType = 'nursing' | 'ordinary';
export type BedStatus = 'vacant' | 'occupied' | 'reserved' | 'maintenance' | 'closed';

export function isInstitution(type: FacilityType): boolean {
  return INSTITUTION_TYPES.includes(type);
}

export interface CountableBed {
  readonly facilityType: FacilityType;
  readonly type: BedType;
  readonly status: BedStatus;
}

export interface BedCounts {
  readonly bedsInService: number;
  readonly nursingBeds: number;
  readonly occupiedBeds: number;
}

export function countBeds(beds: Iterable<CountableBed>): BedCounts {
  let bedsInService = 0;
  let nursingBeds = 0;
  let occupiedBeds = 0;
  for (const bed of beds) {
    if (!isInstitution(bed.facilityType) || bed.status === 'closed') continue;
    bedsInService += 1;
    if (bed.type === 'nursing') nursingBeds += 1;
    if (bed.status === 'occupied') occupiedBeds += 1;
  }
  return { bedsInService, nursingBeds, occupiedBeds };
}
