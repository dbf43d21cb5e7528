import { toCountyIso } from '@care/core';
import type { DischargeReason, StayStatus } from './stay.entity';

export interface StayRecord {
  id: string;
  residentId: string;
  facilityId: string;
  bedId: string;
  status: StayStatus;
  admittedAt: Date;
  dischargedAt: Date | null;
  dischargeReason: DischargeReason | null;
  overrideReason: string | null;
  residentName?: string | null;
  bedRoom?: string | null;
  bedLabel?: string | null;
}

export function toStayView(s: StayRecord) {
  return {
    id: s.id,
    residentId: s.residentId,
    residentName: s.residentName ?? null,
    facilityId: s.facilityId,
    bedId: s.bedId,
    room: s.bedRoom ?? null,
    bedLabel: s.bedLabel ?? null,
    admittedAt: toCountyIso(s.admittedAt),
    status: s.status,
    dischargedAt: toCountyIso(s.dischargedAt),
    dischargeReason: s.dischargeReason,
    overrideReason: s.overrideReason,
  };
}
export type StayView = ReturnType<typeof toStayView>;
