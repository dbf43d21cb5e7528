import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, AuthUser } from '@care/core';
import { AssessmentsService, LEVEL_NAMES } from '@care/assessments';
import { FacilitiesService } from '@care/facilities';
import { ResidentsService } from '@care/residents';
import type { Bed } from '../bed.entity';
import { BedsService } from '../beds.service';
import { toBedView, type BedView } from '../bed.view';
import { isReservationActive } from '../rules/admission';
import { needsNursingBed, recommendBeds, type BedFitReason } from '../rules/bed-fit';

export interface BedRecommendationsView {
  facilityId: string;
  residentId: string;
  level: number | null;
  levelName: string | null;
  needsNursingBed: boolean;
  items: (BedView & { reasons: readonly BedFitReason[] })[];
  total: number;
  /** Vacant beds that do not fit, with the reasons (for the manager to see why). */
  excluded: (BedView & { reasons: readonly BedFitReason[] })[];
}

/** Vacant beds of a facility that fit a resident, best first, each with its reasons. Reads only. */
@Injectable()
export class BedRecommendationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly facilities: FacilitiesService,
    private readonly residents: ResidentsService,
    private readonly assessments: AssessmentsService,
    private readonly beds: BedsService,
  ) {}

  async recommendations(user: AuthUser, facilityId: string, residentId: string): Promise<BedRecommendationsView> {
    await this.facilities.assertAccessible(user, facilityId);
    const resident = await this.residents.assertVisible(user, residentId);
    const now = new Date();
    const policy = { nursingBedFromLevel: this.config.admission.nursingBedFromLevel };
    const valid = await this.assessments.validLevelOf(residentId, now);
    const level = valid?.level ?? null;
    const beds = await this.beds.freeOrReserved(facilityId);
    const candidates = beds
      .filter((b) => b.status === 'vacant' || !isReservationActive(b, now) || b.reservedForResidentId === residentId)
      .map((b) =>
        Object.assign(b, {
          reservedForResident:
            b.status === 'reserved' && isReservationActive(b, now) && b.reservedForResidentId === residentId,
        }),
      );
    const rec = recommendBeds({ gender: resident.gender, level }, candidates, policy);
    const withReasons = (x: { bed: Bed; reasons: readonly BedFitReason[] }) => ({
      ...toBedView(x.bed),
      reasons: x.reasons,
    });
    return {
      facilityId,
      residentId,
      level,
      levelName: level === null ? null : LEVEL_NAMES[level].zhShort,
      needsNursingBed: needsNursingBed(level, policy),
      items: rec.fitting.map(withReasons),
      total: rec.fitting.length,
      excluded: rec.excluded.map(withReasons),
    };
  }
}
