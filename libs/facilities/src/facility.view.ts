import { toCountyIso } from '@care/core';
import type { Facility } from './facility.entity';

export function toFacilityView(f: Facility) {
  return {
    id: f.id,
    name: f.name,
    type: f.type,
    regionCode: f.regionCode,
    address: f.address,
    lat: f.lat,
    lng: f.lng,
    ownership: f.ownership,
    comprehensive: f.comprehensive,
    createdAt: toCountyIso(f.createdAt),
    updatedAt: toCountyIso(f.updatedAt),
  };
}
export type FacilityView = ReturnType<typeof toFacilityView>;
