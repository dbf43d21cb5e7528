import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  AuthUser,
  ConflictError,
  DomainError,
  InvalidInputError,
  NotFoundError,
  Page,
  SqlTransactionRunner,
  UnprocessableError,
  rowsOf,
  stmt,
  type SqlResult,
  type SqlStatement,
  assertFacilityAccess,
  countyDate,
  countyInstant,
  toCountyIso,
  auditContext,
} from '@care/core';
import { residentFactsAround } from '@care/stats/outbox';
import { FacilitiesService } from '@care/facilities';
import { ResidentsService, residentIdSql } from '@care/residents';
import { ADMISSION_POLICY, type AdmissionPolicyHook } from './admission-policy';
import { BED_COLUMNS, bedFromRow, bedStatusStatement, lockBedStatement, type BedRow } from './beds.repository';
import type { AdmitDto, DischargeDto, ListStaysQueryDto, TransferDto } from './dto/stay.dto';
import { mapStayConflict } from './stay-conflicts';
import { transitionStay } from './rules/stay-transitions';
import { admissionProblem, type ActiveStayRef, type AdmissionProblem } from './rules/admission';
import type { DischargeReason, StayStatus } from './stay.entity';
import { toStayView, type StayRecord, type StayView } from './stay.view';
import {
  closeBedPeriodStatement,
  insertBedPeriodStatement,
  insertStayStatement,
  stayStatusStatement,
} from './stays.repository';

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
         s.override_reason, NULL AS resident_name, b.room, b.label
  FROM stays s
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

// ---- the statements of the hot paths (admission, transfer, discharge) and what is read from their results --------

/** A stay's own columns, for the row lock of a transfer or a discharge. */
const STAY_LOCK = `SELECT id, resident_id, facility_id, bed_id, status, admitted_at, discharged_at, discharge_reason, override_reason
  FROM stays WHERE id = ?`;

/**
 * The stay's bed and resident as last committed (a plain read), into session variables that the locking reads of the
 * same round trip use: NULL when there is no such stay, never a value left from an earlier transaction.
 */
function setStayVariables(stayId: string): SqlStatement {
  return stmt(
    'SET @hot_stay_bed = (SELECT bed_id FROM stays WHERE id = ?), @hot_stay_resident = (SELECT resident_id FROM stays WHERE id = ?)',
    [stayId, stayId],
  );
}

function stayFrom(result: SqlResult | undefined): StayRecord | null {
  const [row] = rowsOf<Omit<StayRow, 'resident_name' | 'room' | 'label'>>(result);
  return row ? fromRow({ ...row, resident_name: null, room: null, label: null }) : null;
}

/** Active stays on the bed or of the resident (both unique indexes, read after the rows were locked). */
function activeStaysStatement(
  bedSql: string,
  bedParams: unknown[],
  resident: { sql: string; params: unknown[] },
): SqlStatement {
  return stmt(
    `SELECT id, bed_id, resident_id FROM stays WHERE bed_id = ${bedSql} AND active_marker = 1
     UNION ALL
     SELECT id, bed_id, resident_id FROM stays WHERE resident_id = ${resident.sql} AND active_marker = 1`,
    [...bedParams, ...resident.params],
  );
}

function activeStaysFrom(result: SqlResult | undefined): ActiveStayRef[] {
  return rowsOf<{ id: string; bed_id: string; resident_id: string }>(result).map((r) => ({
    stayId: r.id,
    bedId: r.bed_id,
    residentId: r.resident_id,
  }));
}

/** When the bed's and the resident's recorded history ends (a back-dated admission may not overlap it). */
function historyStatement(bedId: string, resident: { sql: string; params: unknown[] }): SqlStatement {
  return stmt(
    `SELECT (SELECT MAX(ended_at) FROM bed_occupancies WHERE bed_id = ?) AS bed_last,
            (SELECT MAX(discharged_at) FROM stays WHERE resident_id = ${resident.sql}) AS resident_last`,
    [bedId, ...resident.params],
  );
}

function assertAfterHistory(result: SqlResult | undefined, at: Date): void {
  const [row] = rowsOf<{ bed_last: Date | null; resident_last: Date | null }>(result);
  if (row?.bed_last && at < row.bed_last) {
    throw new InvalidInputError(`admittedAt: the bed was occupied until ${toCountyIso(row.bed_last)}`);
  }
  if (row?.resident_last && at < row.resident_last) {
    throw new InvalidInputError(`admittedAt: the resident's previous stay ended at ${toCountyIso(row.resident_last)}`);
  }
}

/** The stay's open bed period, locked. */
function openPeriodStatement(stayId: string): SqlStatement {
  return stmt(
    'SELECT id, started_at FROM bed_occupancies WHERE stay_id = ? AND ended_at IS NULL ORDER BY started_at DESC LIMIT 1 FOR UPDATE',
    [stayId],
  );
}

/**
 * Ends the stay's open bed period at `at`: the instant used and the UPDATE. When `at` is the server's own clock it is
 * moved up to the period's start if needed; a time the client gave must not lie before it (400).
 */
function closePeriod(
  result: SqlResult | undefined,
  stayId: string,
  at: Date,
  reason: string,
  clock: boolean,
  logger: Logger,
): { at: Date; statements: SqlStatement[] } {
  const [open] = rowsOf<{ id: string; started_at: Date }>(result);
  if (!open) {
    logger.warn(`stay ${stayId} had no open bed period`);
    return { at, statements: [] };
  }
  let end = at;
  if (end < open.started_at) {
    if (!clock)
      throw new InvalidInputError(`dischargedAt: the stay is on its bed since ${toCountyIso(open.started_at)}`);
    end = open.started_at;
  }
  return {
    at: end,
    statements: [closeBedPeriodStatement(open.id, end, reason)],
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
export class StaysService {
  private readonly logger = new Logger(StaysService.name);

  /**
   * `policy` is required: the application binds ADMISSION_POLICY (AdmissionPolicyModule of the waitlist), and an
   * application composed without it does not start.
   */
  constructor(
    private readonly dataSource: DataSource,
    private readonly hot: SqlTransactionRunner,
    private readonly residents: ResidentsService,
    private readonly facilities: FacilitiesService,
    @Inject(ADMISSION_POLICY) private readonly policy: AdmissionPolicyHook,
  ) {}

  async admit(user: AuthUser, facilityId: string, dto: AdmitDto): Promise<StayView> {
    assertFacilityAccess(user, facilityId);
    const given = dto.admittedAt === undefined ? null : this.pastInstant('admittedAt', dto.admittedAt, new Date());
    const overrideReason = dto.overrideReason?.trim() || null;
    // 400 for both or neither, or a malformed ID number; by idNumber a resident beyond the user's facilities (the desk flow)
    const key = this.residents.placementKey({ residentId: dto.residentId, idNumber: dto.idNumber });
    const policy = this.policy;
    const residentId = residentIdSql(key);
    try {
      return await this.hot.run(async (tx) => {
        // round trip 1, the locking reads in lock order: the bed, the resident, then what the checks need
        const visibility = this.residents.visibilityStatement(user, key);
        const reads = await tx.batch([
          lockBedStatement(dto.bedId, facilityId),
          this.residents.lockStatement(key),
          activeStaysStatement('?', [dto.bedId], residentId),
          // the bed's and the resident's history matter only for an admission dated in the past
          ...(given ? [historyStatement(dto.bedId, residentId)] : []),
          ...(visibility ? [visibility] : []),
          ...policy.reads({ residentIdSql: residentId.sql, residentIdParams: residentId.params, now: new Date() }),
        ]);
        // the clock is read once the locks are held: a discharge that freed the bed just before has ended earlier
        const now = new Date();
        const [bedRows, residentRows, activeRows] = reads;
        const rest = reads.slice(3);
        const historyRows = given ? rest.shift() : undefined;
        const links = visibility ? rest.shift() : undefined;
        const [bedRow] = rowsOf<BedRow>(bedRows);
        if (!bedRow) {
          // which of the two is missing: one more read, on this error path only
          const [facilityRows] = await tx.batch([
            stmt('SELECT COUNT(*) AS n FROM facilities WHERE id = ?', [facilityId]),
          ]);
          if (Number(rowsOf<{ n: number | string }>(facilityRows)[0].n) === 0)
            throw new NotFoundError('Facility', facilityId);
          throw new NotFoundError('Bed', dto.bedId);
        }
        const bed = bedFromRow(bedRow);
        const resident = this.residents.residentFrom(residentRows);
        // the message never repeats an ID number
        const named = key.by === 'id' ? key.value : 'with this ID number';
        if (!resident) throw new NotFoundError('Resident', named);
        if (!this.residents.isVisibleFrom(user, resident, key, links)) throw new NotFoundError('Resident', named);
        const admittedAt = given ?? now;
        const problem = admissionProblem({ bed, resident, activeStays: activeStaysFrom(activeRows), now });
        if (problem) throw problemError(problem);
        if (given) assertAfterHistory(historyRows, admittedAt);
        policy.check(resident, bed, overrideReason, rest, now);

        // round trip 2: the writes, the audit event and COMMIT
        const stayId = randomUUID();
        auditContext.note({ entity: 'stay', ids: [stayId], residentIds: [resident.id] });
        // statistics: the elder's marker (at home → in the institution; statistics read the facts when they consume it)
        const facts = residentFactsAround('stays', resident.id);
        await tx.commit([
          ...facts.before,
          insertStayStatement({
            id: stayId,
            residentId: resident.id,
            facilityId,
            bedId: bed.id,
            admittedAt,
            overrideReason,
            createdBy: user.id,
          }),
          insertBedPeriodStatement({
            stayId,
            bedId: bed.id,
            residentId: resident.id,
            facilityId,
            startedAt: admittedAt,
          }),
          bedStatusStatement({ bed, action: 'occupy' }),
          ...(resident.livingArrangement !== 'institution'
            ? [this.residents.setLivingArrangementStatement(resident.id, 'institution')]
            : []),
          // a link there already (read with the visibility check) stays as it is: the INSERT would change nothing
          ...(this.residents.isLinkedFrom(links, facilityId)
            ? []
            : [this.residents.linkToFacilityStatement(resident.id, facilityId, 'placed')]),
          facts.after,
          ...policy.afterPlacement(
            { stayId, residentId: resident.id, facilityId, bedId: bed.id, kind: 'admission' },
            rest,
            now,
          ),
        ]);
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
    } catch (error) {
      throw mapStayConflict(error);
    }
  }

  async transfer(user: AuthUser, stayId: string, dto: TransferDto): Promise<StayView> {
    const overrideReason = dto.overrideReason?.trim() || null;
    const policy = this.policy;
    const residentId = { sql: '@hot_stay_resident', params: [] as unknown[] };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.hot.run(async (tx) => {
          // round trip 1: the stay's bed and resident as last committed, then the locks in order: both beds (by id),
          // the resident, the stay, the stay's open bed period, then the policy's reads
          const reads = await tx.batch([
            setStayVariables(stayId),
            stmt(`SELECT ${BED_COLUMNS} FROM beds WHERE id IN (@hot_stay_bed, ?) ORDER BY id FOR UPDATE`, [dto.bedId]),
            this.residents.lockStatementBySql('@hot_stay_resident'),
            stmt(`${STAY_LOCK} FOR UPDATE`, [stayId]),
            openPeriodStatement(stayId),
            activeStaysStatement('?', [dto.bedId], residentId),
            ...policy.reads({ residentIdSql: residentId.sql, residentIdParams: residentId.params, now: new Date() }),
          ]);
          // the clock once the locks are held, as for an admission
          const now = new Date();
          const [, bedRows, residentRows, stayRows, periodRows, activeRows] = reads;
          const rest = reads.slice(6);
          const stay = stayFrom(stayRows);
          if (!stay) throw new NotFoundError('Stay', stayId);
          assertFacilityAccess(user, stay.facilityId, 'Stay');
          transitionStay(stay.status, 'transfer'); // 409 INVALID_TRANSITION before any other check
          if (dto.bedId === stay.bedId) throw new InvalidInputError('bedId: the stay is already on this bed');
          const locked = new Map(rowsOf<BedRow>(bedRows).map((row) => [row.id, bedFromRow(row)]));
          // the stay moved between the first read and its lock: its new bed is not locked, read it all again
          const oldBed = locked.get(stay.bedId);
          if (!oldBed) throw new StaleStayError();
          auditContext.note({ entity: 'stay', ids: [stayId], residentIds: [stay.residentId] });
          const newBed = locked.get(dto.bedId);
          if (!newBed || newBed.facilityId !== stay.facilityId) throw new NotFoundError('Bed', dto.bedId);
          const resident = this.residents.residentFrom(residentRows);
          if (!resident || resident.id !== stay.residentId) throw new NotFoundError('Stay', stayId);

          const problem = admissionProblem({
            bed: newBed,
            resident,
            activeStays: activeStaysFrom(activeRows),
            now,
            movingStayId: stay.id,
          });
          if (problem) throw problemError(problem);
          policy.check(resident, newBed, overrideReason, rest, now);

          // round trip 2
          const period = closePeriod(periodRows, stay.id, now, 'transfer', true, this.logger);
          await tx.commit([
            ...period.statements,
            insertBedPeriodStatement({
              stayId: stay.id,
              bedId: newBed.id,
              residentId: resident.id,
              facilityId: stay.facilityId,
              startedAt: period.at,
            }),
            stayStatusStatement(stay, 'transfer', { bedId: newBed.id, overrideReason: overrideReason ?? undefined }),
            bedStatusStatement({ bed: oldBed, action: 'vacate' }),
            bedStatusStatement({ bed: newBed, action: 'occupy' }),
            ...policy.afterPlacement(
              {
                stayId: stay.id,
                residentId: resident.id,
                facilityId: stay.facilityId,
                bedId: newBed.id,
                kind: 'transfer',
              },
              rest,
              now,
            ),
          ]);
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
        if (error instanceof StaleStayError)
          throw new ConflictError('CONCURRENT_CHANGE', 'The stay keeps changing; retry');
        throw mapStayConflict(error);
      }
    }
  }

  async discharge(user: AuthUser, stayId: string, dto: DischargeDto): Promise<StayView> {
    const now = new Date();
    const dischargedAt =
      dto.dischargedAt === undefined ? null : this.pastInstant('dischargedAt', dto.dischargedAt, now);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.hot.run(async (tx) => {
          // round trip 1: the stay's bed and resident as last committed, then the locks in order: the bed, the
          // resident, the stay, its open bed period
          const [, bedRows, residentRows, stayRows, periodRows] = await tx.batch([
            setStayVariables(stayId),
            stmt(`SELECT ${BED_COLUMNS} FROM beds WHERE id = @hot_stay_bed FOR UPDATE`),
            this.residents.lockStatementBySql('@hot_stay_resident'),
            stmt(`${STAY_LOCK} FOR UPDATE`, [stayId]),
            openPeriodStatement(stayId),
          ]);
          const stay = stayFrom(stayRows);
          if (!stay) throw new NotFoundError('Stay', stayId);
          assertFacilityAccess(user, stay.facilityId, 'Stay');
          transitionStay(stay.status, 'discharge');
          const [bedRow] = rowsOf<BedRow>(bedRows);
          // the stay moved between the first read and its lock: read it all again
          if (!bedRow || bedRow.id !== stay.bedId) throw new StaleStayError();
          auditContext.note({ entity: 'stay', ids: [stayId], residentIds: [stay.residentId] });
          const bed = bedFromRow(bedRow);
          const resident = this.residents.residentFrom(residentRows);
          if (!resident || resident.id !== stay.residentId) throw new NotFoundError('Stay', stayId);

          // round trip 2
          const period = closePeriod(
            periodRows,
            stay.id,
            dischargedAt ?? new Date(),
            dto.reason,
            dischargedAt === null,
            this.logger,
          );
          // statistics: the elder's marker (statistics read the facts when they consume it)
          const facts = residentFactsAround('stays', resident.id);
          await tx.commit([
            ...facts.before,
            ...period.statements,
            stayStatusStatement(stay, 'discharge', { dischargedAt: period.at, dischargeReason: dto.reason }),
            bedStatusStatement({ bed, action: 'vacate' }),
            ...(dto.reason === 'returned_home'
              ? [this.residents.setLivingArrangementStatement(resident.id, 'home')]
              : []),
            facts.after,
          ]);
          return toStayView({
            ...stay,
            status: 'discharged',
            dischargedAt: period.at,
            dischargeReason: dto.reason,
            residentName: resident.name,
            bedRoom: bed.room,
            bedLabel: bed.label,
          });
        });
      } catch (error) {
        if (error instanceof StaleStayError && attempt < STALE_RETRIES) continue;
        if (error instanceof StaleStayError)
          throw new ConflictError('CONCURRENT_CHANGE', 'The stay keeps changing; retry');
        throw error;
      }
    }
  }

  async list(user: AuthUser, facilityId: string, query: ListStaysQueryDto): Promise<Page<StayView>> {
    await this.facilities.assertAccessible(user, facilityId);
    const where = query.status ? 'WHERE s.facility_id = ? AND s.status = ?' : 'WHERE s.facility_id = ?';
    const params: unknown[] = query.status ? [facilityId, query.status] : [facilityId];
    const [rows, [count]] = await Promise.all([
      this.dataSource.query<StayRow[]>(
        `${STAY_SELECT} ${where} ORDER BY s.admitted_at DESC, s.id ASC LIMIT ? OFFSET ?`,
        [...params, query.limit, query.offset],
      ),
      this.dataSource.query<{ n: string | number }[]>(`SELECT COUNT(*) AS n FROM stays s ${where}`, params),
    ]);
    const named = await this.withResidentNames(rows);
    return { items: named.map((r) => toStayView(fromRow(r))), total: Number(count.n) };
  }

  async get(user: AuthUser, stayId: string): Promise<StayView> {
    const [row] = await this.dataSource.query<StayRow[]>(`${STAY_SELECT} WHERE s.id = ?`, [stayId]);
    if (!row) throw new NotFoundError('Stay', stayId);
    assertFacilityAccess(user, row.facility_id, 'Stay');
    const [named] = await this.withResidentNames([row]);
    return toStayView(fromRow(named));
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

  /** The residents' names, read through the residents library (which owns the table). */
  private async withResidentNames(rows: StayRow[]): Promise<StayRow[]> {
    const residents = await this.residents.byIds(rows.map((r) => r.resident_id));
    const names = new Map(residents.map((r) => [r.id, r.name]));
    return rows.map((r) => ({ ...r, resident_name: names.get(r.resident_id) ?? null }));
  }

  /** A client-given instant: parsed, and not later than now (with a little tolerance for clock skew). */
  private pastInstant(field: string, value: string, now: Date): Date {
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) throw new InvalidInputError(`${field}: not a valid time`);
    if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
      throw new InvalidInputError(`${field}: must not be in the future`);
    return at;
  }
}
