import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleInit, Optional } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import {
  AuthUser,
  ConflictError,
  DomainError,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  Page,
  TransactionRunner,
  UnprocessableError,
  assertFacilityAccess,
  countyDate,
  countyInstant,
  toCountyIso,
  auditContext,
} from '@care/core';
import { FacilitiesService } from '@care/facilities';
import { ResidentsService } from '@care/residents';
import { ADMISSION_POLICY, type AdmissionPolicyHook } from './admission-policy';
import { Bed } from './bed.entity';
import { BedsService } from './beds.service';
import type { AdmitDto, DischargeDto, ListStaysQueryDto, TransferDto } from './dto/stay.dto';
import { mapStayConflict } from './stay-conflicts';
import { admissionProblem, type ActiveStayRef, type AdmissionProblem } from './rules/admission';
import { Stay, type DischargeReason, type StayStatus } from './stay.entity';
import { toStayView, type StayRecord, type StayView } from './stay.view';

/** How far ahead of the server's clock a given admission or discharge time may lie (clock skew of the client). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** How often a transfer or discharge re-reads a stay that moved under it before giving up. */
const STALE_RETRIES = 5;

/** The stay moved to another bed between reading it and locking its bed: read it again. */
class StaleStayError extends Error {}

function problemError(problem: AdmissionProblem): DomainError {
  return problem.status === 409
    ? new ConflictError(problem.code, problem.message)
    : new UnprocessableError(problem.code, problem.message);
}

interface StayRow {
  id: string;
  resident_id: string;
  facility_id: string;
  bed_id: string;
  status: StayStatus;
  admitted_at: Date;
  discharged_at: Date | null;
  discharge_reason: DischargeReason | null;
  override_reason: string | null;
  resident_name: string | null;
  room: string | null;
  label: string | null;
}

const STAY_SELECT = `
  SELECT s.id, s.resident_id, s.facility_id, s.bed_id, s.status, s.admitted_at, s.discharged_at, s.discharge_reason,
         s.override_reason, r.name AS resident_name, b.room, b.label
  FROM stays s
  JOIN residents r ON r.id = s.resident_id
  JOIN beds b ON b.id = s.bed_id`;

function fromRow(row: StayRow): StayRecord {
  return {
    id: row.id,
    residentId: row.resident_id,
    facilityId: row.facility_id,
    bedId: row.bed_id,
    status: row.status,
    admittedAt: row.admitted_at,
    dischargedAt: row.discharged_at,
    dischargeReason: row.discharge_reason,
    overrideReason: row.override_reason,
    residentName: row.resident_name,
    bedRoom: row.room,
    bedLabel: row.label,
  };
}

export interface OccupancyPeriodView {
  stayId: string;
  bedId: string;
  residentId: string;
  startedAt: string | null;
  endedAt: string | null;
}

export interface OccupancyView {
  facilityId: string;
  date: string;
  /** Beds occupied at some time of the day. */
  occupiedBeds: number;
  /** Residents who spent some of the day on a bed of the facility. */
  residents: number;
  items: OccupancyPeriodView[];
}

/**
 * Admissions, transfers and discharges. Each is one transaction that locks, in this order: the bed rows (sorted by
 * id), the resident row, the stay row; decides from what it read under those locks; and writes the stay, the
 * bed_occupancies history, the bed status and the resident together. The unique indexes on stays back it up.
 */
@Injectable()
export class StaysService implements OnModuleInit {
  private readonly logger = new Logger(StaysService.name);
  private policy: AdmissionPolicyHook | null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tx: TransactionRunner,
    private readonly beds: BedsService,
    private readonly residents: ResidentsService,
    private readonly facilities: FacilitiesService,
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(ADMISSION_POLICY) policy?: AdmissionPolicyHook,
  ) {
    this.policy = policy ?? null;
  }

  /** Finds an ADMISSION_POLICY provided by any module of the application (assessments, waitlist). */
  onModuleInit(): void {
    if (this.policy) return;
    try {
      this.policy = this.moduleRef.get<AdmissionPolicyHook>(ADMISSION_POLICY, { strict: false });
    } catch {
      this.policy = null;
    }
  }

  async admit(user: AuthUser, facilityId: string, dto: AdmitDto): Promise<StayView> {
    assertFacilityAccess(user, facilityId);
    const given = dto.admittedAt === undefined ? null : this.pastInstant('admittedAt', dto.admittedAt, new Date());
    const overrideReason = dto.overrideReason?.trim() || null;
    try {
      const view = await this.tx.run(async (em) => {
        const bed = await this.lockBedIn(em, dto.bedId, facilityId);
        // 404 for a resident the user cannot see; by idNumber a resident beyond the user's facilities (the desk flow)
        const resident = await this.residents.lockForPlacement(em, user, { residentId: dto.residentId, idNumber: dto.idNumber });
        // read the clock only once the locks are held: a discharge that freed the bed just before has ended earlier
        const now = new Date();
        const admittedAt = given ?? now;
        const activeStays = await this.activeStaysFor(em, bed.id, resident.id);
        const problem = admissionProblem({ bed, resident, activeStays, now });
        if (problem) throw problemError(problem);
        if (given) await this.assertAfterHistory(em, bed.id, resident.id, admittedAt);
        if (this.policy) await this.policy.check(resident, bed, overrideReason, em);

        const stayId = randomUUID();
        auditContext.note({ entity: 'stay', ids: [stayId], residentIds: [resident.id] });
        await em.query(
          `INSERT INTO stays (id, resident_id, facility_id, bed_id, status, admitted_at, override_reason, created_by)
           VALUES (?, ?, ?, ?, 'active', ?, ?, ?)`,
          [stayId, resident.id, facilityId, bed.id, admittedAt, overrideReason, user.id],
        );
        await em.query(
          `INSERT INTO bed_occupancies (id, stay_id, bed_id, resident_id, facility_id, started_at) VALUES (?, ?, ?, ?, ?, ?)`,
          [randomUUID(), stayId, bed.id, resident.id, facilityId, admittedAt],
        );
        await em.query(
          `UPDATE beds SET status = 'occupied', reserved_for_resident_id = NULL, reserved_until = NULL WHERE id = ?`,
          [bed.id],
        );
        if (resident.livingArrangement !== 'institution') await this.residents.setLivingArrangement(em, resident.id, 'institution');
        await this.residents.linkToFacility(em, resident.id, facilityId, 'placed');
        if (this.policy?.afterPlacement) {
          await this.policy.afterPlacement({ stayId, residentId: resident.id, facilityId, bedId: bed.id, kind: 'admission' }, em);
        }
        return toStayView({
          id: stayId,
          residentId: resident.id,
          facilityId,
          bedId: bed.id,
          status: 'active',
          admittedAt,
          dischargedAt: null,
          dischargeReason: null,
          overrideReason,
          residentName: resident.name,
          bedRoom: bed.room,
          bedLabel: bed.label,
        });
      });
      return view;
    } catch (error) {
      throw mapStayConflict(error);
    }
  }

  async transfer(user: AuthUser, stayId: string, dto: TransferDto): Promise<StayView> {
    const overrideReason = dto.overrideReason?.trim() || null;
    for (let attempt = 0; ; attempt++) {
      const seen = await this.findAccessible(user, stayId);
      if (seen.status !== 'active') throw new InvalidTransitionError('Stay', seen.status, 'transfer');
      if (dto.bedId === seen.bedId) throw new InvalidInputError('bedId: the stay is already on this bed');
      try {
        return await this.tx.run(async (em) => {
          const [first, second] = [seen.bedId, dto.bedId].sort();
          const locked = new Map<string, Bed>();
          for (const id of [first, second]) {
            const bed = await this.beds.lockBed(em, id);
            if (bed) locked.set(id, bed);
          }
          const newBed = locked.get(dto.bedId);
          if (!newBed || newBed.facilityId !== seen.facilityId) throw new NotFoundError('Bed', dto.bedId);
          const resident = await this.residents.lockForUpdate(em, seen.residentId);
          const stay = await this.lockStay(em, stayId);
          auditContext.note({ entity: 'stay', ids: [stayId], residentIds: [seen.residentId] });
          if (!resident || !stay) throw new NotFoundError('Stay', stayId);
          if (stay.status !== 'active') throw new InvalidTransitionError('Stay', stay.status, 'transfer');
          if (stay.bedId !== seen.bedId) throw new StaleStayError();

          const now = new Date();
          const activeStays = await this.activeStaysFor(em, newBed.id, resident.id);
          const problem = admissionProblem({ bed: newBed, resident, activeStays, now, movingStayId: stay.id });
          if (problem) throw problemError(problem);
          if (this.policy) await this.policy.check(resident, newBed, overrideReason, em);

          const at = await this.closeOpenPeriod(em, stay.id, now, 'transfer', true);
          await em.query(
            `INSERT INTO bed_occupancies (id, stay_id, bed_id, resident_id, facility_id, started_at) VALUES (?, ?, ?, ?, ?, ?)`,
            [randomUUID(), stay.id, newBed.id, resident.id, stay.facilityId, at],
          );
          await em.query('UPDATE stays SET bed_id = ?, override_reason = COALESCE(?, override_reason) WHERE id = ?', [
            newBed.id,
            overrideReason,
            stay.id,
          ]);
          await em.query(`UPDATE beds SET status = 'vacant' WHERE id = ?`, [stay.bedId]);
          await em.query(
            `UPDATE beds SET status = 'occupied', reserved_for_resident_id = NULL, reserved_until = NULL WHERE id = ?`,
            [newBed.id],
          );
          if (this.policy?.afterPlacement) {
            await this.policy.afterPlacement(
              { stayId: stay.id, residentId: resident.id, facilityId: stay.facilityId, bedId: newBed.id, kind: 'transfer' },
              em,
            );
          }
          return toStayView({
            ...stay,
            bedId: newBed.id,
            overrideReason: overrideReason ?? stay.overrideReason,
            residentName: resident.name,
            bedRoom: newBed.room,
            bedLabel: newBed.label,
          });
        });
      } catch (error) {
        if (error instanceof StaleStayError && attempt < STALE_RETRIES) continue;
        if (error instanceof StaleStayError) throw new ConflictError('CONCURRENT_CHANGE', 'The stay keeps changing; retry');
        throw mapStayConflict(error);
      }
    }
  }

  async discharge(user: AuthUser, stayId: string, dto: DischargeDto): Promise<StayView> {
    const now = new Date();
    const dischargedAt = dto.dischargedAt === undefined ? null : this.pastInstant('dischargedAt', dto.dischargedAt, now);
    for (let attempt = 0; ; attempt++) {
      const seen = await this.findAccessible(user, stayId);
      if (seen.status !== 'active') throw new InvalidTransitionError('Stay', seen.status, 'discharge');
      try {
        return await this.tx.run(async (em) => {
          const bed = await this.beds.lockBed(em, seen.bedId);
          const resident = await this.residents.lockForUpdate(em, seen.residentId);
          const stay = await this.lockStay(em, stayId);
          auditContext.note({ entity: 'stay', ids: [stayId], residentIds: [seen.residentId] });
          if (!bed || !resident || !stay) throw new NotFoundError('Stay', stayId);
          if (stay.status !== 'active') throw new InvalidTransitionError('Stay', stay.status, 'discharge');
          if (stay.bedId !== seen.bedId) throw new StaleStayError();

          const at = await this.closeOpenPeriod(em, stay.id, dischargedAt ?? new Date(), dto.reason, dischargedAt === null);
          await em.query(
            `UPDATE stays SET status = 'discharged', discharged_at = ?, discharge_reason = ? WHERE id = ?`,
            [at, dto.reason, stay.id],
          );
          await em.query(`UPDATE beds SET status = 'vacant' WHERE id = ?`, [bed.id]);
          if (dto.reason === 'returned_home') await this.residents.setLivingArrangement(em, resident.id, 'home');
          return toStayView({
            ...stay,
            status: 'discharged',
            dischargedAt: at,
            dischargeReason: dto.reason,
            residentName: resident.name,
            bedRoom: bed.room,
            bedLabel: bed.label,
          });
        });
      } catch (error) {
        if (error instanceof StaleStayError && attempt < STALE_RETRIES) continue;
        if (error instanceof StaleStayError) throw new ConflictError('CONCURRENT_CHANGE', 'The stay keeps changing; retry');
        throw error;
      }
    }
  }

  async list(user: AuthUser, facilityId: string, query: ListStaysQueryDto): Promise<Page<StayView>> {
    await this.facilities.assertAccessible(user, facilityId);
    const where = query.status ? 'WHERE s.facility_id = ? AND s.status = ?' : 'WHERE s.facility_id = ?';
    const params: unknown[] = query.status ? [facilityId, query.status] : [facilityId];
    const [rows, [count]] = await Promise.all([
      this.dataSource.query<StayRow[]>(`${STAY_SELECT} ${where} ORDER BY s.admitted_at DESC, s.id ASC LIMIT ? OFFSET ?`, [
        ...params,
        query.limit,
        query.offset,
      ]),
      this.dataSource.query<{ n: string | number }[]>(`SELECT COUNT(*) AS n FROM stays s ${where}`, params),
    ]);
    return { items: rows.map((r) => toStayView(fromRow(r))), total: Number(count.n) };
  }

  async get(user: AuthUser, stayId: string): Promise<StayView> {
    const [row] = await this.dataSource.query<StayRow[]>(`${STAY_SELECT} WHERE s.id = ?`, [stayId]);
    if (!row) throw new NotFoundError('Stay', stayId);
    assertFacilityAccess(user, row.facility_id, 'Stay');
    return toStayView(fromRow(row));
  }

  /**
   * Occupancy on a county day, recomputed from the bed_occupancies history: every period on a bed of the facility
   * that overlaps the day [00:00, 24:00) Asia/Shanghai. `occupiedBeds` counts beds occupied at some time of the day,
   * `residents` the residents on them (a resident transferred that day counts once, both beds count).
   */
  async occupancy(user: AuthUser, facilityId: string, date: string | undefined): Promise<OccupancyView> {
    await this.facilities.assertAccessible(user, facilityId);
    const today = countyDate(new Date());
    const day = date ?? today;
    if (day > today) throw new InvalidInputError('date: must not be in the future');
    const start = countyInstant(day);
    const end = new Date(start.getTime() + 24 * 3600_000);
    const rows = await this.dataSource.query<
      { stay_id: string; bed_id: string; resident_id: string; started_at: Date; ended_at: Date | null }[]
    >(
      `SELECT stay_id, bed_id, resident_id, started_at, ended_at FROM bed_occupancies
       WHERE facility_id = ? AND started_at < ? AND (ended_at IS NULL OR ended_at > ?)
       ORDER BY started_at ASC, id ASC`,
      [facilityId, end, start],
    );
    return {
      facilityId,
      date: day,
      occupiedBeds: new Set(rows.map((r) => r.bed_id)).size,
      residents: new Set(rows.map((r) => r.resident_id)).size,
      items: rows.map((r) => ({
        stayId: r.stay_id,
        bedId: r.bed_id,
        residentId: r.resident_id,
        startedAt: toCountyIso(r.started_at),
        endedAt: toCountyIso(r.ended_at),
      })),
    };
  }

  // ---- internals --------------------------------------------------------------------------------------------

  /** A stay the user may act on: 404 when unknown or (for a manager) in another facility. */
  private async findAccessible(user: AuthUser, stayId: string): Promise<Stay> {
    const stay = await this.dataSource.getRepository(Stay).findOneBy({ id: stayId });
    if (!stay) throw new NotFoundError('Stay', stayId);
    assertFacilityAccess(user, stay.facilityId, 'Stay');
    return stay;
  }

  /** Locks the bed if it belongs to the facility; 404 for an unknown facility or a bed that is not there. */
  private async lockBedIn(em: EntityManager, bedId: string, facilityId: string): Promise<Bed> {
    const bed = await this.beds.lockBed(em, bedId, facilityId);
    if (bed) return bed;
    if (!(await this.facilities.exists(facilityId, em))) throw new NotFoundError('Facility', facilityId);
    throw new NotFoundError('Bed', bedId);
  }

  private async lockStay(em: EntityManager, stayId: string): Promise<Stay | null> {
    return em.createQueryBuilder(Stay, 's').setLock('pessimistic_write').where('s.id = :stayId', { stayId }).getOne();
  }

  /** Active stays on the bed or of the resident (both unique indexes, read after the rows were locked). */
  private async activeStaysFor(em: EntityManager, bedId: string, residentId: string): Promise<ActiveStayRef[]> {
    const rows = await em.query<{ id: string; bed_id: string; resident_id: string }[]>(
      `SELECT id, bed_id, resident_id FROM stays WHERE bed_id = ? AND active_marker = 1
       UNION ALL
       SELECT id, bed_id, resident_id FROM stays WHERE resident_id = ? AND active_marker = 1`,
      [bedId, residentId],
    );
    return rows.map((r) => ({ stayId: r.id, bedId: r.bed_id, residentId: r.resident_id }));
  }

  /** A back-dated admission may not overlap the bed's or the resident's recorded history. */
  private async assertAfterHistory(em: EntityManager, bedId: string, residentId: string, at: Date): Promise<void> {
    const [row] = await em.query<{ bed_last: Date | null; resident_last: Date | null }[]>(
      `SELECT (SELECT MAX(ended_at) FROM bed_occupancies WHERE bed_id = ?) AS bed_last,
              (SELECT MAX(discharged_at) FROM stays WHERE resident_id = ?) AS resident_last`,
      [bedId, residentId],
    );
    if (row.bed_last && at < row.bed_last) {
      throw new InvalidInputError(`admittedAt: the bed was occupied until ${toCountyIso(row.bed_last)}`);
    }
    if (row.resident_last && at < row.resident_last) {
      throw new InvalidInputError(`admittedAt: the resident's previous stay ended at ${toCountyIso(row.resident_last)}`);
    }
  }

  /**
   * Ends the stay's open bed period at `at` and returns the instant used. When `at` is the server's own clock it is
   * moved up to the period's start if needed; a time the client gave must not lie before it (400).
   */
  private async closeOpenPeriod(em: EntityManager, stayId: string, at: Date, reason: string, clock: boolean): Promise<Date> {
    const [open] = await em.query<{ id: string; started_at: Date }[]>(
      'SELECT id, started_at FROM bed_occupancies WHERE stay_id = ? AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1 FOR UPDATE',
      [stayId],
    );
    let end = at;
    if (open && end < open.started_at) {
      if (!clock) throw new InvalidInputError(`dischargedAt: the stay is on its bed since ${toCountyIso(open.started_at)}`);
      end = open.started_at;
    }
    if (open) await em.query('UPDATE bed_occupancies SET ended_at = ?, end_reason = ? WHERE id = ?', [end, reason, open.id]);
    else this.logger.warn(`stay ${stayId} had no open bed period`);
    return end;
  }

  /** A client-given instant: parsed, and not later than now (with a little tolerance for clock skew). */
  private pastInstant(field: string, value: string, now: Date): Date {
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) throw new InvalidInputError(`${field}: not a valid time`);
    if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw new InvalidInputError(`${field}: must not be in the future`);
    return at;
  }
}

