import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { mustMatchOne, stmt, type SqlStatement } from '@care/core';
import { Bed, type BedStatus, type BedType } from './bed.entity';
import { transitionBed, type BedAction } from './rules/bed-transitions';

export interface BedRow {
  id: string;
  facility_id: string;
  building: string | null;
  floor: number | null;
  room: string;
  label: string;
  type: BedType;
  gender: Bed['gender'];
  status: BedStatus;
  reserved_for_resident_id: string | null;
  reserved_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const BED_COLUMNS =
  'id, facility_id, building, floor, room, label, type, gender, status, reserved_for_resident_id, reserved_until, created_at, updated_at';

export function bedFromRow(row: BedRow): Bed {
  return Object.assign(new Bed(), {
    id: row.id,
    facilityId: row.facility_id,
    building: row.building,
    floor: row.floor === null ? null : Number(row.floor),
    room: row.room,
    label: row.label,
    type: row.type,
    gender: row.gender,
    status: row.status,
    reservedForResidentId: row.reserved_for_resident_id,
    reservedUntil: row.reserved_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** A bed row locked (SELECT … FOR UPDATE), optionally only if it belongs to the facility. */
export function lockBedStatement(bedId: string, facilityId?: string): SqlStatement {
  return facilityId
    ? stmt(`SELECT ${BED_COLUMNS} FROM beds WHERE id = ? AND facility_id = ? FOR UPDATE`, [bedId, facilityId])
    : stmt(`SELECT ${BED_COLUMNS} FROM beds WHERE id = ? FOR UPDATE`, [bedId]);
}

/** One bed status change: the bed as read (its id and the status it must still have), the action, and its data. */
export interface BedStatusChange {
  readonly bed: { readonly id: string; readonly status: BedStatus };
  readonly action: BedAction;
  /** `reserve` only: for whom and until when. */
  readonly reservation?: { readonly residentId: string; readonly until: Date };
  /**
   * For a bed not locked by the caller (a reservation released from the waitlist): the row changes only while it is
   * still reserved for this resident (and, with `expiredBy`, only if the reservation ended by then); otherwise the
   * statement changes nothing.
   */
  readonly onlyIfReservedFor?: { readonly residentId: string; readonly expiredBy?: Date };
}

/**
 * THE writer of bed status, as a statement, so the hot paths (SqlTransactionRunner batches) and TypeORM code
 * (`BedsRepository.setStatus`) send the same UPDATE: the transitions table decides the new status
 * (409 INVALID_TRANSITION otherwise); the reservation columns are set by `reserve` and cleared by every other
 * action; the row is written only if it still has the status read. Without `onlyIfReservedFor` the caller locked
 * the row and read that status, so the write must match it: marked {@link mustMatchOne}, a hot-path transaction
 * fails before its COMMIT when it does not (Galera: a stale read that certification cannot see).
 */
export function bedStatusStatement(change: BedStatusChange): SqlStatement {
  const to = transitionBed(change.bed.status, change.action);
  if (change.action === 'reserve' && !change.reservation) throw new Error('reserve needs the reservation');
  const reservation = change.action === 'reserve' ? change.reservation! : null;
  const guard = change.onlyIfReservedFor;
  const where = ['id = ?', 'status = ?'];
  const params: unknown[] = [
    to,
    reservation?.residentId ?? null,
    reservation?.until ?? null,
    change.bed.id,
    change.bed.status,
  ];
  if (guard) {
    where.push('reserved_for_resident_id = ?');
    params.push(guard.residentId);
    if (guard.expiredBy) {
      where.push('reserved_until <= ?');
      params.push(guard.expiredBy);
    }
  }
  const statement = stmt(
    `UPDATE beds SET status = ?, reserved_for_resident_id = ?, reserved_until = ? WHERE ${where.join(' AND ')}`,
    params,
  );
  return guard ? statement : mustMatchOne(statement);
}

/**
 * The owner of the `beds` table: the only code that writes it (status through {@link bedStatusStatement}). Other
 * libraries call BedsService; stays and the waitlist (this library) use these methods and statements.
 */
@Injectable()
export class BedsRepository {
  /** SELECT … FOR UPDATE of one bed (optionally only if it belongs to `facilityId`); null when there is none. */
  async lock(em: EntityManager, bedId: string, facilityId?: string): Promise<Bed | null> {
    const statement = lockBedStatement(bedId, facilityId);
    const [row] = await em.query<BedRow[]>(statement.sql, [...statement.params]);
    return row ? bedFromRow(row) : null;
  }

  /** Runs {@link bedStatusStatement}; returns how many rows changed (0 when a guard did not hold). */
  async setStatus(em: EntityManager, change: BedStatusChange): Promise<number> {
    const statement = bedStatusStatement(change);
    const result = (await em.query(statement.sql, [...statement.params])) as { affectedRows?: number };
    return result?.affectedRows ?? 0;
  }

  async setType(em: EntityManager, bedId: string, type: BedType): Promise<void> {
    await em.query('UPDATE beds SET type = ? WHERE id = ?', [type, bedId]);
  }

  /** New beds (vacant), in chunks of 500 rows. */
  async insert(em: EntityManager, beds: Bed[]): Promise<void> {
    for (let i = 0; i < beds.length; i += 500) await em.insert(Bed, beds.slice(i, i + 500));
  }
}
