import { ageOn, countyDate, toCountyIso } from '@care/core';
import type { Resident, ResidentCategory } from './resident.entity';

/** What a resident looks like on the wire: never the ID number, only its masked form. */
export function toResidentView(r: Resident, categories: ResidentCategory[], today = countyDate(new Date())) {
  return {
    id: r.id,
    name: r.name,
    idNumberMasked: r.idNumberMasked,
    gender: r.gender,
    birthDate: r.birthDate,
    age: ageOn(r.birthDate, today),
    regionCode: r.regionCode,
    livingArrangement: r.livingArrangement,
    categories: [...categories].sort(),
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    phone: r.phone,
    createdAt: toCountyIso(r.createdAt),
    updatedAt: toCountyIso(r.updatedAt),
  };
}
export type ResidentView = ReturnType<typeof toResidentView>;
export type ResidentDetailView = ResidentView & { latestAssessment: object | null };
