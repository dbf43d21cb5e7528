import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { mustMatchOne, stmt, type SqlStatement } from '@care/core';
import type { DischargeReason, StayStatus } from './stay.entity';
import { STAY_INITIAL_STATUS, transitionStay, type StayAction } from './rules/stay-transitions';

/** The columns a stay status change may set alongside the status. */
export interface StayPatch {
  readonly bedId?: string;
  /** Kept when undefined (a transfer without a new reason keeps the admission's). */
  readonly overrideReason?: string;
  readonly dischargedAt?: Date;
  readonly dischargeReason?: DischargeReason;
}

const STAY_PATCH_COLUMNS: { readonly [K in keyof Required<StayPatch>]: string } = Object.freeze({
  bedId: 'bed_id',
  overrideReason: 'override_reason',
  dischargedAt: 'discharged_at',
  dischargeReason: 'discharge_reason',
});

export interface NewStay {
  readonly id: string;
  readonly residentId: string;
  readonly facilityId: string;
  readonly bedId: string;
  readonly admittedAt: Date;
  readonly overrideReason: string | null;
  readonly createdBy: string;
}

/** The INSERT of an admission: the stay starts in the table's initial status. */
export function insertStayStatement(stay: NewStay): SqlStatement {
  return stmt(
    `INSERT INTO stays (id, resident_id, facility_id, bed_id, status, admitted_at, override_reason, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      stay.id,
      stay.residentId,
      stay.facilityId,
      stay.bedId,
      STAY_INITIAL_STATUS,
      stay.admittedAt,
      stay.overrideReason,
      stay.createdBy,
    ],
  );
}

/**
 * THE writer of stay status, as a statement (the hot paths send it in their commit batch): the transitions table
 * decides the new status (409 INVALID_TRANSITION otherwise) and the row is written only if it still has the status
 * read, which must be so ({@link mustMatchOne}: the hot path fails the transaction before COMMIT otherwise).
 */
export function stayStatusStatement(
  stay: { readonly id: string; readonly status: StayStatus },
  action: StayAction,
  patch: StayPatch = {},
): SqlStatement {
  const to = transitionStay(stay.status, action);
  const sets = ['status = ?'];
  const params: unknown[] = [to];
  for (const [field, column] of Object.entries(STAY_PATCH_COLUMNS) as [keyof StayPatch, string][]) {
    if (patch[field] === undefined) continue;
    sets.push(`${column} = ?`);
    params.push(patch[field]);
  }
  return mustMatchOne(
    stmt(`UPDATE stays SET ${sets.join(', ')} WHERE id = ? AND status = ?`, [...params, stay.id, stay.status]),
  );
}

/** A bed period of a stay begins (admission, transfer in). */
export function insertBedPeriodStatement(period: {
  readonly stayId: string;
  readonly bedId: string;
  readonly residentId: string;
  readonly facilityId: string;
  readonly startedAt: Date;
}): SqlStatement {
  return stmt(
    `INSERT INTO bed_occupancies (id, stay_id, bed_id, resident_id, facility_id, started_at) VALUES (?, ?, ?, ?, ?, ?)`,
    [randomUUID(), period.stayId, period.bedId, period.residentId, period.facilityId, period.startedAt],
  );
}

/** A bed period ends (transfer out, discharge). */
export function closeBedPeriodStatement(periodId: string, endedAt: Date, reason: string): SqlStatement {
  return stmt('UPDATE bed_occupancies SET ended_at = ?, end_reason = ? WHERE id = ?', [endedAt, reason, periodId]);
}

/** An active stay with its bed, for the nursing-bed mismatch report. */
export interface ActiveStayOnBed {
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
}

/**
 * The owner of the `stays` and `bed_occupancies` tables: the only code that writes them (the statements above, sent by
 * StaysService). Reads that other parts of this library need go through here too.
 */
@Injectable()
export class StaysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async hasActiveStayOnBed(em: EntityManager, bedId: string): Promise<boolean> {
    const rows = await em.query<unknown[]>('SELECT 1 FROM stays WHERE bed_id = ? AND active_marker = 1 LIMIT 1', [
      bedId,
    ]);
    return rows.length > 0;
  }

  /** Which of these residents have an active stay. */
  async residentsWithActiveStay(residentIds: readonly string[], em?: EntityManager): Promise<Set<string>> {
    if (residentIds.length === 0) return new Set();
    const rows = await (em ?? this.dataSource.manager).query<{ resident_id: string }[]>(
      `SELECT resident_id FROM stays WHERE active_marker = 1 AND resident_id IN (${residentIds.map(() => '?').join(',')})`,
      [...residentIds],
    );
    return new Set(rows.map((r) => r.resident_id));
  }

  /** The facility's active stays with their beds. */
  async activeStaysOnBeds(facilityId: string): Promise<ActiveStayOnBed[]> {
    return this.dataSource.query<ActiveStayOnBed[]>(
      `SELECT s.id AS stay_id, s.resident_id, s.bed_id, s.admitted_at, s.override_reason,
              b.room, b.label, b.type, b.building, b.floor
       FROM stays s JOIN beds b ON b.id = s.bed_id
       WHERE s.facility_id = ? AND s.active_marker = 1`,
      [facilityId],
    );
  }
}
