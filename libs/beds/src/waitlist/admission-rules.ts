import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, UnprocessableError } from '@care/core';
import { AssessmentsService } from '@care/assessments';
import type { Resident } from '@care/residents';
import type { AdmissionPolicyHook, AdmittedStay } from '../admission-policy';
import type { Bed } from '../bed.entity';
import { nursingBedCheck } from '../rules/bed-fit';
import { WaitlistService } from './waitlist.service';

/**
 * The ADMISSION_POLICY the stays service applies inside an admission or transfer transaction:
 * - a resident whose valid assessment is level 2 or worse (config NURSING_BED_FROM_LEVEL) goes to a nursing-type
 *   bed unless an override reason is given (kept on the stay) → 422 NURSING_BED_REQUIRED;
 * - once placed, the resident's open waitlist entries are closed and other reservations for them released.
 */
@Injectable()
export class AdmissionRules implements AdmissionPolicyHook {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly assessments: AssessmentsService,
    private readonly waitlist: WaitlistService,
  ) {}

  async check(resident: Resident, bed: Bed, overrideReason: string | null, em: EntityManager): Promise<void> {
    const valid = await this.assessments.validLevelOf(resident.id, new Date(), em);
    const result = nursingBedCheck(valid?.level ?? null, bed.type, overrideReason, {
      nursingBedFromLevel: this.config.admission.nursingBedFromLevel,
    });
    if (!result.ok) throw new UnprocessableError(result.code, result.message, { level: valid?.level ?? null });
  }

  async afterPlacement(stay: AdmittedStay, em: EntityManager): Promise<void> {
    await this.waitlist.closeEntriesOnPlacement(em, stay.residentId, stay.facilityId, stay.bedId, stay.stayId);
  }
}
