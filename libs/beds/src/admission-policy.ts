import type { SqlResult, SqlStatement } from '@care/core';
import type { Resident } from '@care/residents';
import type { Bed } from './bed.entity';

export interface AdmittedStay {
  readonly stayId: string;
  readonly residentId: string;
  readonly facilityId: string;
  readonly bedId: string;
  readonly kind: 'admission' | 'transfer';
}

/** The resident being placed, as the policy's statements name it before the row is read: an SQL expression and its values. */
export interface PlacementSubject {
  readonly residentIdSql: string;
  readonly residentIdParams: readonly unknown[];
  /** When the statements are built (before the locks; `check` and `afterPlacement` get the clock read after them). */
  readonly now: Date;
}

/**
 * Extension point for rules that depend on other libraries, applied inside the admission (and transfer)
 * transaction, which runs in two round trips (SqlTransactionRunner): the locking reads, then the writes with COMMIT.
 * So the hook has three parts, all required:
 * - `reads`: its statements for the first round trip; they run after the bed, resident, stay and bed-period locks
 *   (so any row they lock comes last in the lock order), e.g. the valid assessment, the open waitlist entries;
 * - `check`: decides from the rows read (the bed rules passed already); throws a `@care/core` DomainError to refuse,
 *   e.g. 422 NURSING_BED_REQUIRED (assessments);
 * - `afterPlacement`: its writes for the second round trip, once the stay is on the bed, e.g. closing the waitlist.
 *
 * Required by StaysService: the application binds it by importing AdmissionPolicyModule (global, in the waitlist)
 * once; composed without it, the application fails at boot (test/e2e/required-bindings.e2e-spec.ts).
 */
export interface AdmissionPolicyHook {
  reads(subject: PlacementSubject): SqlStatement[];
  /** `reads` holds the results of this hook's own statements, in order. */
  check(resident: Resident, bed: Bed, overrideReason: string | null, reads: readonly SqlResult[], now: Date): void;
  afterPlacement(stay: AdmittedStay, reads: readonly SqlResult[], now: Date): SqlStatement[];
}

export const ADMISSION_POLICY = Symbol('ADMISSION_POLICY');
