/**
 * Status changes a person may make on a bed (`PATCH /beds/:id`). `occupied` and `reserved` are set only by
 * stays and reservations; a person sets `vacant`, `maintenance` or `closed`:
 *
 * - an occupied bed (active stay) keeps its status: 409 BED_OCCUPIED (discharge or transfer first);
 * - a bed reserved for a resident (unexpired) may be set `vacant`, which releases the reservation; taking it out of
 *   service (`maintenance`, `closed`) while reserved is refused with 409 BED_OCCUPIED (release it first);
 * - an expired reservation no longer holds the bed: any change is allowed and clears it;
 * - vacant, maintenance and closed move freely among themselves; leaving `closed` puts the bed back in service,
 *   so the room capacity rule applies again.
 *
 * Pure: no Nest, no TypeORM.
 */
import { isReservationActive, type AdmissionBedStatus } from './admission';

export const SETTABLE_BED_STATUSES = ['vacant', 'maintenance', 'closed'] as const;
export type SettableBedStatus = (typeof SETTABLE_BED_STATUSES)[number];

export interface StatusChangeBed {
  readonly status: AdmissionBedStatus;
  readonly reservedUntil: Date | null;
}

export type BedStatusPlan =
  | {
      readonly ok: true;
      readonly status: SettableBedStatus;
      readonly clearReservation: boolean;
      readonly returnsToService: boolean;
    }
  | { readonly ok: false; readonly code: 'BED_OCCUPIED'; readonly message: string };

export function planBedStatusChange(
  bed: StatusChangeBed,
  target: SettableBedStatus,
  hasActiveStay: boolean,
  now: Date,
): BedStatusPlan {
  if (hasActiveStay || bed.status === 'occupied') {
    return {
      ok: false,
      code: 'BED_OCCUPIED',
      message: 'The bed holds an active stay: discharge or transfer the resident first',
    };
  }
  const reserved = bed.status === 'reserved';
  if (reserved && isReservationActive(bed, now) && target !== 'vacant') {
    return {
      ok: false,
      code: 'BED_OCCUPIED',
      message:
        'The bed is reserved for a resident: set it vacant to release the reservation before taking it out of service',
    };
  }
  return {
    ok: true,
    status: target,
    clearReservation: reserved,
    returnsToService: bed.status === 'closed' && target !== 'closed',
  };
}
