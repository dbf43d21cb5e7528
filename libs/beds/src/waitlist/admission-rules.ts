import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, UnprocessableError, type SqlResult, type SqlStatement } from '@care/core';
import { AssessmentsService } from '@care/assessments';
import type { Resident } from '@care/residents';
import type { AdmissionPolicyHook, AdmittedStay, PlacementSubject } from '../admission-policy';
import type { Bed } from '../bed.entity';
import { nursingBedCheck } from '../rules/bed-fit';
import { WaitlistService } from './waitlist.service';

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
    private readonly waitlist: WaitlistService,
  ) {}

  reads(subject: PlacementSubject): SqlStatement[] {
    return [
      this.assessments.validLevelsStatement(subject.residentIdSql, subject.residentIdParams, subject.now),
      this.waitlist.openEntriesForPlacementStatement(subject.residentIdSql, subject.residentIdParams),
    ];
  }

  check(resident: Resident, bed: Bed, overrideReason: string | null, reads: readonly SqlResult[], now: Date): void {
    const valid = this.assessments.validLevelsFrom(reads[0], now).get(resident.id) ?? null;
    const result = nursingBedCheck(valid?.level ?? null, bed.type, overrideReason, {
      nursingBedFromLevel: this.config.admission.nursingBedFromLevel,
    });
    if (!result.ok) throw new UnprocessableError(result.code, result.message, { level: valid?.level ?? null });
  }

  afterPlacement(stay: AdmittedStay, reads: readonly SqlResult[], now: Date): SqlStatement[] {
    return this.waitlist.closeEntriesOnPlacementStatements(reads[1], stay, now);
  }
}
