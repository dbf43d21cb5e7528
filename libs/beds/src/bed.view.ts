import { toCountyIso } from '@care/core';
import type { Bed } from './bed.entity';

export function toBedView(b: Bed) {
  return {
    id: b.id,
    facilityId: b.facilityId,
    building: b.building,
    floor: b.floor,
    room: b.room,
    label: b.label,
    type: b.type,
    gender: b.gender,
    status: b.status,
    reservedForResidentId: b.reservedForResidentId,
    reservedUntil: toCountyIso(b.reservedUntil),
  };
}
export type BedView = ReturnType<typeof toBedView>;
