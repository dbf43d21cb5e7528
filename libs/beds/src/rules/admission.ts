/**
 * Whether a resident may take a bed (admission, or a transfer to a new bed), from rows read under lock.
 * shared/spec/domain.md §2 and the api contract "Admissions and stays":
 *
 * 1. a bed under maintenance or closed → 409 BED_UNAVAILABLE;
 * 2. a bed holding an active stay, or reserved for someone else (an unexpired reservation) → 409 BED_OCCUPIED;
 * 3. on admission, a resident with an active stay anywhere → 409 RESIDENT_ALREADY_ADMITTED;
 * 4. a bed restricted to one gender, for a resident of the other → 422 GENDER_MISMATCH.
 * The nursing-bed rule (422 NURSING_BED_REQUIRED) depends on assessments and is applied by the admission policy hook.
 *
 * A reservation whose `reservedUntil` has passed no longer holds the bed. Pure: no Nest, no TypeORM.
 */

export type AdmissionBedStatus = 'vacant' | 'occupied' | 'reserved' | 'maintenance' | 'closed';
export type AdmissionGender = 'male' | 'female';

export interface AdmissionBed {
  readonly id: string;
  readonly status: AdmissionBedStatus;
  readonly gender: AdmissionGender | null;
  readonly reservedForResidentId: string | null;
  readonly reservedUntil: Date | null;
}

export interface AdmissionResident {
  readonly id: string;
  readonly gender: AdmissionGender;
}

/** An active stay found on the bed or of the resident. */
export interface ActiveStayRef {
  readonly stayId: string;
  readonly bedId: string;
  readonly residentId: string;
}

export type AdmissionProblemCode = 'BED_UNAVAILABLE' | 'BED_OCCUPIED' | 'RESIDENT_ALREADY_ADMITTED' | 'GENDER_MISMATCH';

export interface AdmissionProblem {
  readonly status: 409 | 422;
  readonly code: AdmissionProblemCode;
  readonly message: string;
}

/** True when the bed is held by a reservation that has not expired (a reservation without an end holds until released). */
export function isReservationActive(bed: Pick<AdmissionBed, 'status' | 'reservedUntil'>, now: Date): boolean {
  if (bed.status !== 'reserved') return false;
  return bed.reservedUntil === null || bed.reservedUntil.getTime() > now.getTime();
}

export interface AdmissionCheckInput {
  readonly bed: AdmissionBed;
  readonly resident: AdmissionResident;
  /** Active stays on this bed or of this resident (read after both rows were locked). */
  readonly activeStays: readonly ActiveStayRef[];
  readonly now: Date;
  /** For a transfer: the stay that moves (its own active stay is not a conflict). */
  readonly movingStayId?: string;
}

/** The first rule the admission breaks, in the order above, or null when the resident may take the bed. */
export function admissionProblem(input: AdmissionCheckInput): AdmissionProblem | null {
  const { bed, resident, activeStays, now, movingStayId } = input;
  if (bed.status === 'maintenance' || bed.status === 'closed') {
    return {
      status: 409,
      code: 'BED_UNAVAILABLE',
      message: `Bed ${bed.id} is ${bed.status === 'closed' ? 'closed' : 'under maintenance'}`,
    };
  }
  const holder = activeStays.find((s) => s.bedId === bed.id && s.stayId !== movingStayId);
  if (holder || bed.status === 'occupied') {
    return { status: 409, code: 'BED_OCCUPIED', message: `Bed ${bed.id} holds an active stay` };
  }
  if (isReservationActive(bed, now) && bed.reservedForResidentId !== resident.id) {
    return { status: 409, code: 'BED_OCCUPIED', message: `Bed ${bed.id} is reserved for another resident` };
  }
  if (movingStayId === undefined && activeStays.some((s) => s.residentId === resident.id)) {
    return {
      status: 409,
      code: 'RESIDENT_ALREADY_ADMITTED',
      message: `Resident ${resident.id} already has an active stay`,
    };
  }
  if (bed.gender !== null && bed.gender !== resident.gender) {
    return {
      status: 422,
      code: 'GENDER_MISMATCH',
      message: `Bed ${bed.id} is for ${bed.gender === 'male' ? 'men' : 'women'}; the resident is ${resident.gender}`,
    };
  }
  return null;
}
