import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, UnprocessableError, mustMatchOne, type SqlResult, type SqlStatement } from '@care/core';
import { AssessmentsService } from '@care/assessments';
import type { Resident } from '@care/residents';
import type { AdmissionPolicyHook, AdmittedStay, PlacementSubject } from '../admission-policy';
import type { Bed } from '../bed.entity';
import { bedStatusStatement } from '../beds.repository';
import { nursingBedCheck } from '../rules/bed-fit';
import {
  closedPatch,
  openEntriesForPlacementStatement,
  openEntriesFrom,
  waitlistStatusStatement,
} from './waitlist.repository';

/**
 * The ADMISSION_POLICY the stays service applies inside an admission or transfer transaction:
 * - a resident whose valid assessment is level 2 or worse (config NURSING_BED_FROM_LEVEL) goes to a nursing-type
 *   bed unless an override reason is given (kept on the stay) → 422 NURSING_BED_REQUIRED;
 * - once placed, the resident's open waitlist entries are closed and other reservations for them released.
 * Reads: [0] the resident's assessments, [1] the open waitlist entries (locked).
 */
@Injectable()
export class AdmissionRules implements AdmissionPolicyHook {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly assessments: AssessmentsService,
  ) {}

  reads(subject: PlacementSubject): SqlStatement[] {
    return [
      this.assessments.validLevelsStatement(subject.residentIdSql, subject.residentIdParams, subject.now),
      openEntriesForPlacementStatement(subject.residentIdSql, subject.residentIdParams),
    ];
  }

  check(resident: Resident, bed: Bed, overrideReason: string | null, reads: readonly SqlResult[], now: Date): void {
    const valid = this.assessments.validLevelsFrom(reads[0], now).get(resident.id) ?? null;
    const result = nursingBedCheck(valid?.level ?? null, bed.type, overrideReason, {
      nursingBedFromLevel: this.config.admission.nursingBedFromLevel,
    });
    if (!result.ok) throw new UnprocessableError(result.code, result.message, { level: valid?.level ?? null });
  }

  /**
   * Once a resident is placed: the entry at the placing facility becomes `admitted` (with the stay), entries
   * elsewhere `cancelled` (admitted_elsewhere), and beds still reserved for the resident elsewhere are released.
   * Each entry was read locked with its status, so its write must match that one row ({@link mustMatchOne}: on Galera
   * a read can be stale, and a write that matched nothing would leave the entry open beside the stay); a bed's release
   * is conditional (the reservation may have lapsed since) and stays unguarded.
   */
  afterPlacement(stay: AdmittedStay, reads: readonly SqlResult[], now: Date): SqlStatement[] {
    const statements: SqlStatement[] = [];
    for (const e of openEntriesFrom(reads[1])) {
      if (e.offered_bed_id && e.offered_bed_id !== stay.bedId) {
        statements.push(
          bedStatusStatement({
            bed: { id: e.offered_bed_id, status: 'reserved' },
            action: 'release',
            onlyIfReservedFor: { residentId: stay.residentId },
          }),
        );
      }
      const here = e.facility_id === stay.facilityId;
      statements.push(
        mustMatchOne(
          waitlistStatusStatement(
            e,
            here ? 'admit' : 'admitted_elsewhere',
            closedPatch(here ? 'admitted' : 'admitted_elsewhere', now, {
              stayId: here ? stay.stayId : null,
              offerExpiresAt: null,
            }),
          ),
        ),
      );
    }
    return statements;
  }
}
