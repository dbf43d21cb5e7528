import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, AuthUser, Page, toCountyIso } from '@care/core';
import { AssessmentsService, LEVEL_NAMES } from '@care/assessments';
import { FacilitiesService } from '@care/facilities';
import { ResidentsService } from '@care/residents';
import { StaysRepository } from '../stays.repository';
import { naturalCompare, needsNursingBed } from '../rules/bed-fit';
import type { MismatchKind, MismatchQueryDto } from './dto/waitlist.dto';

export interface MismatchItem {
  kind: MismatchKind;
  stayId: string;
  resident: { id: string; name: string; idNumberMasked: string };
  bed: { id: string; room: string; label: string; type: string; building: string | null; floor: number | null };
  admittedAt: string | null;
  level: number | null;
  levelName: string | null;
  overrideReason: string | null;
  zh: string;
  en: string;
}

export interface MismatchReport extends Page<MismatchItem> {
  facilityId: string;
  asOf: string | null;
  nursingBedFromLevel: number;
  counts: {
    activeStays: number;
    needsNursingBed: number;
    needsNursingBedOverridden: number;
    nursingBedNotNeeded: number;
    noValidAssessment: number;
  };
}

const MISMATCH_TEXT: Record<MismatchKind, { zh: string; en: string }> = {
  needs_nursing_bed: { zh: '失能老人住在普通床位', en: 'Needs a nursing-type bed but occupies an ordinary one' },
  nursing_bed_not_needed: {
    zh: '能力完好或轻度失能老人占用护理型床位',
    en: 'Occupies a nursing-type bed without needing one',
  },
  no_valid_assessment: { zh: '在住老人无有效能力评估', en: 'Resident without a valid ability assessment' },
};
const MISMATCH_ORDER: Record<MismatchKind, number> = {
  needs_nursing_bed: 0,
  no_valid_assessment: 1,
  nursing_bed_not_needed: 2,
};

/** The nursing-bed mismatch report of a facility. Reads only. */
@Injectable()
export class MismatchReportService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly facilities: FacilitiesService,
    private readonly residents: ResidentsService,
    private readonly assessments: AssessmentsService,
    private readonly stays: StaysRepository,
  ) {}

  /**
   * Active stays whose bed type does not match the resident's valid level: level ≥ the policy's threshold on an
   * ordinary bed (with any override reason recorded), level below it on a nursing-type bed, and residents without
   * a valid assessment.
   */
  async mismatches(user: AuthUser, facilityId: string, query: MismatchQueryDto): Promise<MismatchReport> {
    await this.facilities.assertAccessible(user, facilityId);
    const now = new Date();
    const policy = { nursingBedFromLevel: this.config.admission.nursingBedFromLevel };
    const rows = await this.stays.activeStaysOnBeds(facilityId);
    const ids = rows.map((r) => r.resident_id);
    const [levels, residents] = await Promise.all([
      this.assessments.validLevelsOf(ids, now),
      this.residents.byIds(ids),
    ]);
    const byId = new Map(residents.map((r) => [r.id, r]));
    const all: MismatchItem[] = [];
    for (const r of rows) {
      const level = levels.get(r.resident_id)?.level ?? null;
      let kind: MismatchKind | null = null;
      if (level === null) kind = 'no_valid_assessment';
      else if (needsNursingBed(level, policy) && r.type !== 'nursing') kind = 'needs_nursing_bed';
      else if (!needsNursingBed(level, policy) && r.type === 'nursing') kind = 'nursing_bed_not_needed';
      if (kind === null) continue;
      const resident = byId.get(r.resident_id);
      all.push({
        kind,
        stayId: r.stay_id,
        resident: { id: r.resident_id, name: resident?.name ?? '', idNumberMasked: resident?.idNumberMasked ?? '' },
        bed: {
          id: r.bed_id,
          room: r.room,
          label: r.label,
          type: r.type,
          building: r.building,
          floor: r.floor === null ? null : Number(r.floor),
        },
        admittedAt: toCountyIso(r.admitted_at),
        level,
        levelName: level === null ? null : LEVEL_NAMES[level].zhShort,
        overrideReason: r.override_reason,
        ...MISMATCH_TEXT[kind],
      });
    }
    all.sort(
      (a, b) =>
        MISMATCH_ORDER[a.kind] - MISMATCH_ORDER[b.kind] ||
        Number(a.overrideReason !== null) - Number(b.overrideReason !== null) ||
        naturalCompare(a.bed.building ?? '', b.bed.building ?? '') ||
        naturalCompare(a.bed.room, b.bed.room) ||
        naturalCompare(a.bed.label, b.bed.label) ||
        (a.stayId < b.stayId ? -1 : 1),
    );
    const filtered = query.kind ? all.filter((m) => m.kind === query.kind) : all;
    const needs = all.filter((m) => m.kind === 'needs_nursing_bed');
    return {
      facilityId,
      asOf: toCountyIso(now),
      nursingBedFromLevel: policy.nursingBedFromLevel,
      counts: {
        activeStays: rows.length,
        needsNursingBed: needs.length,
        needsNursingBedOverridden: needs.filter((m) => m.overrideReason !== null).length,
        nursingBedNotNeeded: all.filter((m) => m.kind === 'nursing_bed_not_needed').length,
        noValidAssessment: all.filter((m) => m.kind === 'no_valid_assessment').length,
      },
      items: filtered.slice(query.offset, query.offset + query.limit),
      total: filtered.length,
    };
  }
}
