import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import {
  APP_CONFIG,
  AppConfig,
  AuthUser,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  Page,
  TransactionRunner,
  ageOn,
  countyDate,
  duplicateKeyName,
  isDuplicateKeyError,
  toCountyIso,
  auditContext,
  rowsOf,
  stmt,
  type SqlResult,
  type SqlStatement,
} from '@care/core';
import { AssessmentsService, LEVEL_NAMES, isAbilityLevel, type ValidLevel } from '@care/assessments';
import { FacilitiesService } from '@care/facilities';
import { Resident, ResidentsService } from '@care/residents';
import { Bed } from '../bed.entity';
import { toBedView, type BedView } from '../bed.view';
import { isReservationActive } from '../rules/admission';
import {
  needsNursingBed,
  recommendBeds,
  naturalCompare,
  type AdmissionPolicy,
  type BedFitReason,
  type FitBed,
} from '../rules/bed-fit';
import { chooseOffer, type OfferCandidate } from '../rules/waitlist-offer';
import { rankWaitlist, waitlistPriority, type WaitlistLevel } from '../rules/waitlist-priority';
import type {
  CancelWaitlistEntryDto,
  CreateOfferDto,
  CreateWaitlistEntryDto,
  ListWaitlistQueryDto,
  MismatchKind,
  MismatchQueryDto,
} from './dto/waitlist.dto';
import { WaitlistEntry, type WaitlistStatus } from './waitlist-entry.entity';
import { toWaitlistEntryView, type EntryResident, type WaitlistEntryView } from './waitlist.view';

const FUTURE_TOLERANCE_MS = 5 * 60_000;
const HOUR_MS = 3600_000;

/** Candidate data for ranking: resident facts read once for many entries. */
interface ResidentFacts {
  resident: Resident;
  view: EntryResident;
  level: ValidLevel | null;
  hasActiveStay: boolean;
}

export interface OfferResult {
  entry: WaitlistEntryView;
  bed: BedView;
  /** Why the bed fits the chosen resident. */
  fitReasons: readonly BedFitReason[];
  /** Better-placed entries passed over, in waitlist order, with the reasons. */
  skipped: { entryId: string; residentId: string; position: number; reasons: readonly BedFitReason[] }[];
}

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

/**
 * The admission waitlist of a facility, offers of freed beds (reservations), bed recommendations for a resident
 * and the nursing-bed mismatch report. Each write is one transaction; the bed row is locked before waitlist rows.
 */
@Injectable()
export class WaitlistService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly facilities: FacilitiesService,
    private readonly residents: ResidentsService,
    private readonly assessments: AssessmentsService,
  ) {}

  private get policy(): AdmissionPolicy {
    return { nursingBedFromLevel: this.config.admission.nursingBedFromLevel };
  }

  // ---- waitlist -------------------------------------------------------------------------------------------

  async add(user: AuthUser, facilityId: string, dto: CreateWaitlistEntryDto): Promise<WaitlistEntryView> {
    await this.facilities.assertAccessible(user, facilityId);
    const now = new Date();
    const appliedAt = dto.appliedAt === undefined ? now : new Date(dto.appliedAt);
    if (Number.isNaN(appliedAt.getTime())) throw new InvalidInputError('appliedAt: not a real time');
    if (appliedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
      throw new InvalidInputError('appliedAt: must not be in the future');
    const id = randomUUID();
    auditContext.note({ entity: 'waitlist-entry', ids: [id], residentIds: [dto.residentId] });
    try {
      await this.tx.run(async (em) => {
        // 404 for a resident the user cannot see; by idNumber a resident beyond the user's facilities (the desk flow)
        const resident = await this.residents.lockForPlacement(em, user, {
          residentId: dto.residentId,
          idNumber: dto.idNumber,
        });
        const [active] = await em.query<{ facility_id: string }[]>(
          'SELECT facility_id FROM stays WHERE resident_id = ? AND active_marker = 1 LIMIT 1',
          [resident.id],
        );
        if (active) {
          throw new ConflictError(
            'RESIDENT_ALREADY_ADMITTED',
            'The resident already has an active stay: discharge it before waitlisting',
          );
        }
        await em.insert(WaitlistEntry, {
          id,
          facilityId,
          residentId: resident.id,
          status: 'waiting',
          appliedAt,
          note: dto.note?.trim() || null,
          offeredBedId: null,
          offeredAt: null,
          offerExpiresAt: null,
          closedAt: null,
          closeReason: null,
          closeNote: null,
          stayId: null,
          createdBy: user.id,
        });
        await this.residents.linkToFacility(em, resident.id, facilityId, 'waitlisted');
      });
    } catch (error) {
      if (isDuplicateKeyError(error) && duplicateKeyName(error) === 'uq_waitlist_open_entry') {
        throw new ConflictError('ALREADY_WAITLISTED', 'The resident is already on this facility’s waitlist');
      }
      throw error;
    }
    return this.entryView(id, now);
  }

  /**
   * The facility's waitlist. Open entries (waiting, offered) come in the policy's order with their tier, reasons and
   * position; closed ones (admitted, cancelled) newest first. Offers past their expiry are returned to waiting first.
   */
  async list(user: AuthUser, facilityId: string, query: ListWaitlistQueryDto): Promise<Page<WaitlistEntryView>> {
    await this.facilities.assertAccessible(user, facilityId);
    const now = new Date();
    await this.tx.run((em) => this.releaseExpiredOffers(em, facilityId, now));
    const status = query.status ?? 'open';
    const repo = this.dataSource.getRepository(WaitlistEntry);
    const open = await repo.find({ where: { facilityId, status: In(['waiting', 'offered']) } });
    const ranked = await this.rankOpen(open, now);
    let views: WaitlistEntryView[];
    if (status === 'open' || status === 'waiting' || status === 'offered') {
      views = ranked.filter((v) => status === 'open' || v.status === status);
    } else {
      const closedStatuses: WaitlistStatus[] = status === 'all' ? ['admitted', 'cancelled'] : [status];
      const closed = await repo.find({
        where: { facilityId, status: In(closedStatuses) },
        order: { closedAt: 'DESC', id: 'ASC' },
      });
      const closedViews = await this.views(closed, now, null);
      views = status === 'all' ? [...ranked, ...closedViews] : closedViews;
    }
    return { items: views.slice(query.offset, query.offset + query.limit), total: views.length };
  }

  async get(user: AuthUser, facilityId: string, entryId: string): Promise<WaitlistEntryView> {
    await this.facilities.assertAccessible(user, facilityId);
    const entry = await this.dataSource.getRepository(WaitlistEntry).findOneBy({ id: entryId, facilityId });
    if (!entry) throw new NotFoundError('Waitlist entry', entryId);
    return this.entryView(entry.id, new Date());
  }

  async cancel(
    user: AuthUser,
    facilityId: string,
    entryId: string,
    dto: CancelWaitlistEntryDto,
  ): Promise<WaitlistEntryView> {
    await this.facilities.assertAccessible(user, facilityId);
    const now = new Date();
    await this.tx.run(async (em) => {
      const seen = await em.getRepository(WaitlistEntry).findOneBy({ id: entryId, facilityId });
      if (!seen) throw new NotFoundError('Waitlist entry', entryId);
      // bed before entry, as everywhere
      if (seen.offeredBedId) await this.lockBed(em, seen.offeredBedId);
      const entry = await em
        .createQueryBuilder(WaitlistEntry, 'e')
        .setLock('pessimistic_write')
        .where('e.id = :entryId', { entryId })
        .getOne();
      auditContext.note({ entity: 'waitlist-entry', ids: [entryId], residentIds: [entry?.residentId] });
      if (!entry || (entry.status !== 'waiting' && entry.status !== 'offered')) {
        throw new ConflictError(
          'INVALID_TRANSITION',
          `Waitlist entry in status "${entry?.status ?? 'unknown'}" does not allow "cancel"`,
        );
      }
      if (entry.offeredBedId) await this.releaseReservation(em, entry.offeredBedId, entry.residentId);
      await em.update(
        WaitlistEntry,
        { id: entry.id },
        {
          status: 'cancelled',
          closedAt: now,
          closeReason: 'cancelled',
          closeNote: dto.reason?.trim() || null,
          offeredBedId: null,
          offeredAt: null,
          offerExpiresAt: null,
        },
      );
    });
    return this.entryView(entryId, now);
  }

  // ---- offers ---------------------------------------------------------------------------------------------

  /**
   * Offers a freed bed to the best-placed entry whose resident fits it: the bed becomes `reserved` for that resident
   * until the expiry (config `BED_RESERVATION_HOURS`, default 48), the entry `offered`. Admission from the
   * reservation succeeds; anyone else gets 409 BED_OCCUPIED until it expires or is released.
   */
  async offer(user: AuthUser, facilityId: string, dto: CreateOfferDto): Promise<OfferResult> {
    await this.facilities.assertAccessible(user, facilityId);
    const now = new Date();
    const hours = dto.hours ?? this.config.admission.reservationHours;
    await this.tx.run((em) => this.releaseExpiredOffers(em, facilityId, now), { audit: false });
    const result = await this.tx.run(async (em) => {
      const bed = await this.lockBed(em, dto.bedId);
      if (!bed || bed.facilityId !== facilityId) throw new NotFoundError('Bed', dto.bedId);
      if (bed.status === 'maintenance' || bed.status === 'closed') {
        throw new ConflictError(
          'BED_UNAVAILABLE',
          `Bed ${bed.id} is ${bed.status === 'closed' ? 'closed' : 'under maintenance'}`,
        );
      }
      const [holder] = await em.query<unknown[]>('SELECT 1 FROM stays WHERE bed_id = ? AND active_marker = 1 LIMIT 1', [
        bed.id,
      ]);
      if (holder || bed.status === 'occupied')
        throw new ConflictError('BED_OCCUPIED', `Bed ${bed.id} holds an active stay`);
      if (isReservationActive(bed, now)) {
        throw new ConflictError(
          'BED_OCCUPIED',
          `Bed ${bed.id} is reserved until ${toCountyIso(bed.reservedUntil) ?? 'released'}`,
        );
      }
      const waiting = await em
        .createQueryBuilder(WaitlistEntry, 'e')
        .setLock('pessimistic_write')
        .where('e.facilityId = :facilityId AND e.status = :status', { facilityId, status: 'waiting' })
        .orderBy('e.id', 'ASC')
        .getMany();
      const facts = await this.residentFacts(
        waiting.map((e) => e.residentId),
        now,
        em,
      );
      const candidates = waiting
        .filter((e) => facts.has(e.residentId))
        .map((e): OfferCandidate & { entry: WaitlistEntry } => {
          const f = facts.get(e.residentId)!;
          return {
            id: e.id,
            entry: e,
            categories: f.view.categories,
            level: (f.level?.level ?? null) as WaitlistLevel | null,
            age: f.view.age,
            appliedAt: e.appliedAt,
            gender: f.resident.gender,
            hasActiveStay: f.hasActiveStay,
          };
        });
      const fitBed: FitBed = {
        id: bed.id,
        type: bed.type,
        gender: bed.gender,
        room: bed.room,
        label: bed.label,
        building: bed.building,
        floor: bed.floor,
      };
      const choice = chooseOffer(fitBed, candidates, this.policy);
      if (!choice.chosen) {
        throw new ConflictError(
          'NO_FITTING_ENTRY',
          waiting.length === 0
            ? 'Nobody is waiting at this facility'
            : `None of the ${waiting.length} waiting entries fits bed ${bed.room}-${bed.label} (type ${bed.type}${bed.gender ? `, ${bed.gender} only` : ''})`,
        );
      }
      const chosen = choice.chosen.entry.entry;
      auditContext.note({ entity: 'waitlist-entry', ids: [chosen.id, bed.id], residentIds: [chosen.residentId] });
      const until = new Date(now.getTime() + hours * HOUR_MS);
      await em.query(
        `UPDATE beds SET status = 'reserved', reserved_for_resident_id = ?, reserved_until = ? WHERE id = ?`,
        [chosen.residentId, until, bed.id],
      );
      await em.update(
        WaitlistEntry,
        { id: chosen.id },
        { status: 'offered', offeredBedId: bed.id, offeredAt: now, offerExpiresAt: until },
      );
      return {
        entryId: chosen.id,
        bed: { ...bed, status: 'reserved' as const, reservedForResidentId: chosen.residentId, reservedUntil: until },
        fitReasons: choice.fitReasons,
        skipped: choice.skipped.map((s) => ({
          entryId: s.entry.id,
          residentId: s.entry.entry.residentId,
          position: s.position,
          reasons: s.reasons,
        })),
      };
    });
    return {
      entry: await this.entryView(result.entryId, now),
      bed: toBedView(result.bed),
      fitReasons: result.fitReasons,
      skipped: result.skipped,
    };
  }

  // ---- recommendations and mismatches --------------------------------------------------------------------------

  /** Vacant beds of the facility that fit the resident, best first, each with its reasons. */
  async recommendations(user: AuthUser, facilityId: string, residentId: string): Promise<BedRecommendationsView> {
    await this.facilities.assertAccessible(user, facilityId);
    const resident = await this.residents.assertVisible(user, residentId);
    const now = new Date();
    const valid = await this.assessments.validLevelOf(residentId, now);
    const level = valid?.level ?? null;
    const beds = await this.dataSource
      .getRepository(Bed)
      .createQueryBuilder('b')
      .where('b.facilityId = :facilityId', { facilityId })
      .andWhere("b.status IN ('vacant', 'reserved')")
      .getMany();
    const candidates = beds
      .filter((b) => b.status === 'vacant' || !isReservationActive(b, now) || b.reservedForResidentId === residentId)
      .map((b) =>
        Object.assign(b, {
          reservedForResident:
            b.status === 'reserved' && isReservationActive(b, now) && b.reservedForResidentId === residentId,
        }),
      );
    const rec = recommendBeds({ gender: resident.gender, level }, candidates, this.policy);
    const withReasons = (x: { bed: Bed; reasons: readonly BedFitReason[] }) => ({
      ...toBedView(x.bed),
      reasons: x.reasons,
    });
    return {
      facilityId,
      residentId,
      level,
      levelName: level === null ? null : LEVEL_NAMES[level].zhShort,
      needsNursingBed: needsNursingBed(level, this.policy),
      items: rec.fitting.map(withReasons),
      total: rec.fitting.length,
      excluded: rec.excluded.map(withReasons),
    };
  }

  /**
   * Active stays whose bed type does not match the resident's valid level: level ≥ the policy's threshold on an
   * ordinary bed (with any override reason recorded), level below it on a nursing-type bed, and residents without
   * a valid assessment.
   */
  async mismatches(user: AuthUser, facilityId: string, query: MismatchQueryDto): Promise<MismatchReport> {
    await this.facilities.assertAccessible(user, facilityId);
    const now = new Date();
    const rows = await this.dataSource.query<
      {
        stay_id: string;
        resident_id: string;
        bed_id: string;
        admitted_at: Date;
        override_reason: string | null;
        room: string;
        label: string;
        type: 'nursing' | 'ordinary';
        building: string | null;
        floor: number | null;
        name: string;
        id_number_masked: string;
      }[]
    >(
      `SELECT s.id AS stay_id, s.resident_id, s.bed_id, s.admitted_at, s.override_reason,
              b.room, b.label, b.type, b.building, b.floor, r.name, r.id_number_masked
       FROM stays s JOIN beds b ON b.id = s.bed_id JOIN residents r ON r.id = s.resident_id
       WHERE s.facility_id = ? AND s.active_marker = 1`,
      [facilityId],
    );
    const levels = await this.assessments.validLevelsOf(
      rows.map((r) => r.resident_id),
      now,
    );
    const all: MismatchItem[] = [];
    for (const r of rows) {
      const level = levels.get(r.resident_id)?.level ?? null;
      let kind: MismatchKind | null = null;
      if (level === null) kind = 'no_valid_assessment';
      else if (needsNursingBed(level, this.policy) && r.type !== 'nursing') kind = 'needs_nursing_bed';
      else if (!needsNursingBed(level, this.policy) && r.type === 'nursing') kind = 'nursing_bed_not_needed';
      if (kind === null) continue;
      all.push({
        kind,
        stayId: r.stay_id,
        resident: { id: r.resident_id, name: r.name, idNumberMasked: r.id_number_masked },
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
      nursingBedFromLevel: this.policy.nursingBedFromLevel,
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

  // ---- for the admission hook ---------------------------------------------------------------------------------

  /**
   * The open entries of a resident being placed, locked (bed and resident first, as everywhere), for
   * {@link closeEntriesOnPlacementStatements}. `residentIdSql` names the resident (a placeholder or an expression).
   */
  openEntriesForPlacementStatement(residentIdSql: string, params: readonly unknown[]): SqlStatement {
    // raw SQL: this runs in every admission, and usually finds nothing
    return stmt(
      `SELECT id, facility_id, offered_bed_id FROM waitlist_entries
        WHERE resident_id = ${residentIdSql} AND status IN ('waiting', 'offered') ORDER BY id FOR UPDATE`,
      params,
    );
  }

  /**
   * Once a resident is placed: the entry at the placing facility becomes `admitted` (with the stay), entries
   * elsewhere `cancelled` (admitted_elsewhere), and beds still reserved for the resident elsewhere are released.
   */
  closeEntriesOnPlacementStatements(
    open: SqlResult | undefined,
    stay: { residentId: string; facilityId: string; bedId: string; stayId: string },
    now: Date,
  ): SqlStatement[] {
    const statements: SqlStatement[] = [];
    for (const e of rowsOf<{ id: string; facility_id: string; offered_bed_id: string | null }>(open)) {
      if (e.offered_bed_id && e.offered_bed_id !== stay.bedId)
        statements.push(this.releaseReservationStatement(e.offered_bed_id, stay.residentId));
      const here = e.facility_id === stay.facilityId;
      statements.push(
        stmt(
          `UPDATE waitlist_entries SET status = ?, close_reason = ?, closed_at = ?, stay_id = ?, offer_expires_at = NULL
            WHERE id = ?`,
          [
            here ? 'admitted' : 'cancelled',
            here ? 'admitted' : 'admitted_elsewhere',
            now,
            here ? stay.stayId : null,
            e.id,
          ],
        ),
      );
    }
    return statements;
  }

  // ---- internals --------------------------------------------------------------------------------------------

  private async lockBed(em: EntityManager, bedId: string): Promise<Bed | null> {
    return em.createQueryBuilder(Bed, 'b').setLock('pessimistic_write').where('b.id = :bedId', { bedId }).getOne();
  }

  /** Frees a bed that is still reserved for this resident (no-op otherwise). */
  private async releaseReservation(em: EntityManager, bedId: string, residentId: string): Promise<void> {
    const statement = this.releaseReservationStatement(bedId, residentId);
    await em.query(statement.sql, [...statement.params]);
  }

  private releaseReservationStatement(bedId: string, residentId: string): SqlStatement {
    return stmt(
      `UPDATE beds SET status = 'vacant', reserved_for_resident_id = NULL, reserved_until = NULL
       WHERE id = ? AND status = 'reserved' AND reserved_for_resident_id = ?`,
      [bedId, residentId],
    );
  }

  /**
   * The ReleaseExpiredOffers job: every facility's offers past their expiry go back to waiting and their beds to
   * vacant, so the bed board shows a lapsed reservation as a free bed without anyone opening the waitlist first.
   * One transaction per facility, as when the waitlist is read.
   */
  async releaseExpiredOffersEverywhere(now = new Date()): Promise<{ facilities: number; offers: number }> {
    const rows: { facility_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT facility_id FROM waitlist_entries WHERE status = 'offered' AND offer_expires_at <= ? ORDER BY facility_id`,
      [now],
    );
    let offers = 0;
    for (const { facility_id: facilityId } of rows)
      offers += await this.tx.run((em) => this.releaseExpiredOffers(em, facilityId, now));
    return { facilities: rows.length, offers };
  }

  /** Offers past their expiry go back to waiting (keeping their place), and their beds back to vacant. */
  private async releaseExpiredOffers(em: EntityManager, facilityId: string, now: Date): Promise<number> {
    const expired = await em
      .createQueryBuilder(WaitlistEntry, 'e')
      .setLock('pessimistic_write')
      .where("e.facilityId = :facilityId AND e.status = 'offered' AND e.offerExpiresAt <= :now", { facilityId, now })
      .orderBy('e.id', 'ASC')
      .getMany();
    for (const e of expired) {
      if (e.offeredBedId) {
        await em.query(
          `UPDATE beds SET status = 'vacant', reserved_for_resident_id = NULL, reserved_until = NULL
           WHERE id = ? AND status = 'reserved' AND reserved_for_resident_id = ? AND reserved_until <= ?`,
          [e.offeredBedId, e.residentId, now],
        );
      }
      await em.update(
        WaitlistEntry,
        { id: e.id },
        { status: 'waiting', offeredBedId: null, offeredAt: null, offerExpiresAt: null },
      );
    }
    return expired.length;
  }

  private async residentFacts(ids: string[], now: Date, em?: EntityManager): Promise<Map<string, ResidentFacts>> {
    const result = new Map<string, ResidentFacts>();
    const unique = [...new Set(ids)];
    if (unique.length === 0) return result;
    const manager = em ?? this.dataSource.manager;
    const [residents, categories, levels, active] = await Promise.all([
      manager.getRepository(Resident).findBy({ id: In(unique) }),
      this.residents.categoriesOf(unique, em),
      this.assessments.validLevelsOf(unique, now, em),
      manager.query<{ resident_id: string }[]>(
        `SELECT resident_id FROM stays WHERE active_marker = 1 AND resident_id IN (${unique.map(() => '?').join(',')})`,
        unique,
      ),
    ]);
    const admitted = new Set(active.map((a) => a.resident_id));
    const today = countyDate(now);
    for (const r of residents) {
      result.set(r.id, {
        resident: r,
        view: {
          id: r.id,
          name: r.name,
          idNumberMasked: r.idNumberMasked,
          gender: r.gender,
          age: ageOn(r.birthDate, today),
          categories: [...(categories.get(r.id) ?? [])].sort(),
        },
        level: levels.get(r.id) ?? null,
        hasActiveStay: admitted.has(r.id),
      });
    }
    return result;
  }

  /** Open entries in the policy's order, with tier, reasons, hints and position. */
  private async rankOpen(entries: WaitlistEntry[], now: Date): Promise<WaitlistEntryView[]> {
    const facts = await this.residentFacts(
      entries.map((e) => e.residentId),
      now,
    );
    const candidates = entries
      .filter((e) => facts.has(e.residentId))
      .map((e) => {
        const f = facts.get(e.residentId)!;
        return {
          id: e.id,
          entry: e,
          facts: f,
          categories: f.view.categories,
          level: (f.level?.level ?? null) as WaitlistLevel | null,
          age: f.view.age,
          appliedAt: e.appliedAt,
        };
      });
    return rankWaitlist(candidates).map((r) =>
      toWaitlistEntryView(r.entry.entry, r.entry.facts.view, r.entry.level, {
        tier: r.tier,
        reasons: r.reasons,
        hints: r.hints,
        position: r.position,
      }),
    );
  }

  /** Views of entries outside the ranked list (closed ones), with the tier they would have now. */
  private async views(entries: WaitlistEntry[], now: Date, position: number | null): Promise<WaitlistEntryView[]> {
    const facts = await this.residentFacts(
      entries.map((e) => e.residentId),
      now,
    );
    return entries
      .filter((e) => facts.has(e.residentId))
      .map((e) => {
        const f = facts.get(e.residentId)!;
        const level = f.level && isAbilityLevel(f.level.level) ? (f.level.level as WaitlistLevel) : null;
        const p = waitlistPriority({
          id: e.id,
          categories: f.view.categories,
          level,
          age: f.view.age,
          appliedAt: e.appliedAt,
        });
        return toWaitlistEntryView(e, f.view, level, { ...p, position });
      });
  }

  /** One entry's view; an open one carries its position in the facility's list. */
  private async entryView(entryId: string, now: Date): Promise<WaitlistEntryView> {
    const repo = this.dataSource.getRepository(WaitlistEntry);
    const entry = await repo.findOneByOrFail({ id: entryId });
    if (entry.status === 'waiting' || entry.status === 'offered') {
      const open = await repo.find({ where: { facilityId: entry.facilityId, status: In(['waiting', 'offered']) } });
      const ranked = await this.rankOpen(open, now);
      const found = ranked.find((v) => v.id === entryId);
      if (found) return found;
    }
    const [view] = await this.views([entry], now, null);
    return view;
  }
}
