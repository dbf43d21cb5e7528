import type { EntityManager } from 'typeorm';
import type { Resident } from '@care/residents';
import type { Bed } from './bed.entity';

export interface AdmittedStay {
  readonly stayId: string;
  readonly residentId: string;
  readonly facilityId: string;
  readonly bedId: string;
  readonly kind: 'admission' | 'transfer';
}

/**
 * Extension point for rules that depend on other libraries, applied inside the admission (and transfer)
 * transaction after the bed and the resident rows are locked and the bed rules passed:
 * e.g. 422 NURSING_BED_REQUIRED (assessments), closing the waitlist entry (waitlist).
 *
 * Plug it in by providing the token from any module of the api, e.g.
 * `{ provide: ADMISSION_POLICY, useExisting: NursingBedPolicy }`; StaysService finds it application-wide.
 * `check` throws a `@care/core` DomainError (e.g. `new UnprocessableError('NURSING_BED_REQUIRED', ...)`) to refuse.
 */
export interface AdmissionPolicyHook {
  check(resident: Resident, bed: Bed, overrideReason: string | null, em: EntityManager): Promise<void>;
  /** Runs in the same transaction once the stay is on the bed (admission or transfer). */
  afterPlacement?(stay: AdmittedStay, em: EntityManager): Promise<void>;
}

export const ADMISSION_POLICY = Symbol('ADMISSION_POLICY');
