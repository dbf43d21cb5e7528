import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { rowsOf, stmt, type SqlResult, type SqlStatement } from '@care/core';
import {
  OPEN_WAITLIST_STATUSES,
  WAITLIST_INITIAL_STATUS,
  transitionEntry,
  type WaitlistAction,
} from '../rules/waitlist-transitions';
import { WaitlistEntry, type WaitlistCloseReason, type WaitlistStatus } from './waitlist-entry.entity';

/** The columns a status change may set alongside the status. */
export type WaitlistPatch = Partial<
  Pick<
    WaitlistEntry,
    'offeredBedId' | 'offeredAt' | 'offerExpiresAt' | 'closedAt' | 'closeReason' | 'closeNote' | 'stayId'
  >
>;

const WAITLIST_PATCH_COLUMNS: { readonly [K in keyof Required<WaitlistPatch>]: string } = Object.freeze({
  offeredBedId: 'offered_bed_id',
  offeredAt: 'offered_at',
  offerExpiresAt: 'offer_expires_at',
  closedAt: 'closed_at',
  closeReason: 'close_reason',
  closeNote: 'close_note',
  stayId: 'stay_id',
});

/** What an entry loses when its offer ends (expiry, cancellation). */
export const OFFER_CLEARED: WaitlistPatch = Object.freeze({
  offeredBedId: null,
  offeredAt: null,
  offerExpiresAt: null,
});

/**
 * THE writer of waitlist entry status, as a statement (the admission hot path sends it in its commit batch,
 * TypeORM code runs it through {@link WaitlistRepository.setStatus}): the transitions table decides the new status
 * (409 INVALID_TRANSITION otherwise) and the row is written only if it still has the status read.
 */
export function waitlistStatusStatement(
  entry: { readonly id: string; readonly status: WaitlistStatus },
  action: WaitlistAction,
  patch: WaitlistPatch = {},
): SqlStatement {
  const to = transitionEntry(entry.status, action);
  const sets = ['status = ?'];
  const params: unknown[] = [to];
  for (const [field, column] of Object.entries(WAITLIST_PATCH_COLUMNS) as [keyof WaitlistPatch, string][]) {
    if (patch[field] === undefined) continue;
    sets.push(`${column} = ?`);
    params.push(patch[field]);
  }
  return stmt(`UPDATE waitlist_entries SET ${sets.join(', ')} WHERE id = ? AND status = ?`, [
    ...params,
    entry.id,
    entry.status,
  ]);
}

/** An open entry of a resident being placed, as {@link openEntriesForPlacementStatement} reads it. */
export interface OpenEntryRow {
  id: string;
  facility_id: string;
  status: WaitlistStatus;
  offered_bed_id: string | null;
}

/**
 * The open entries of a resident being placed, locked (bed and resident first, as everywhere). `residentIdSql` names
 * the resident (a placeholder or an expression). Raw SQL: this runs in every admission, and usually finds nothing.
 */
export function openEntriesForPlacementStatement(residentIdSql: string, params: readonly unknown[]): SqlStatement {
  return stmt(
    `SELECT id, facility_id, status, offered_bed_id FROM waitlist_entries
      WHERE resident_id = ${residentIdSql} AND status IN ('waiting', 'offered') ORDER BY id FOR UPDATE`,
    params,
  );
}

export function openEntriesFrom(result: SqlResult | undefined): OpenEntryRow[] {
  return rowsOf<OpenEntryRow>(result);
}

export interface NewWaitlistEntry {
  readonly id: string;
  readonly facilityId: string;
  readonly residentId: string;
  readonly appliedAt: Date;
  readonly note: string | null;
  readonly createdBy: string;
}

/** How a closing entry records it. */
export function closedPatch(reason: WaitlistCloseReason, at: Date, extra: WaitlistPatch = {}): WaitlistPatch {
  return { closedAt: at, closeReason: reason, ...extra };
}

/**
 * The owner of the `waitlist_entries` table: the only code that writes it (status through
 * {@link waitlistStatusStatement}), and its reads.
 */
@Injectable()
export class WaitlistRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(em: EntityManager, entry: NewWaitlistEntry): Promise<void> {
    await em.insert(WaitlistEntry, {
      ...entry,
      status: WAITLIST_INITIAL_STATUS,
      offeredBedId: null,
      offeredAt: null,
      offerExpiresAt: null,
      closedAt: null,
      closeReason: null,
      closeNote: null,
      stayId: null,
    });
  }

  /** Runs {@link waitlistStatusStatement}. */
  async setStatus(
    em: EntityManager,
    entry: { readonly id: string; readonly status: WaitlistStatus },
    action: WaitlistAction,
    patch: WaitlistPatch = {},
  ): Promise<void> {
    const statement = waitlistStatusStatement(entry, action, patch);
    await em.query(statement.sql, [...statement.params]);
  }

  async lock(em: EntityManager, entryId: string): Promise<WaitlistEntry | null> {
    return em
      .createQueryBuilder(WaitlistEntry, 'e')
      .setLock('pessimistic_write')
      .where('e.id = :entryId', { entryId })
      .getOne();
  }

  /** The facility's waiting entries, locked in id order. */
  async lockWaiting(em: EntityManager, facilityId: string): Promise<WaitlistEntry[]> {
    return em
      .createQueryBuilder(WaitlistEntry, 'e')
      .setLock('pessimistic_write')
      .where('e.facilityId = :facilityId AND e.status = :status', { facilityId, status: 'waiting' })
      .orderBy('e.id', 'ASC')
      .getMany();
  }

  /** The facility's offers past their expiry, locked in id order. */
  async lockExpiredOffers(em: EntityManager, facilityId: string, now: Date): Promise<WaitlistEntry[]> {
    return em
      .createQueryBuilder(WaitlistEntry, 'e')
      .setLock('pessimistic_write')
      .where("e.facilityId = :facilityId AND e.status = 'offered' AND e.offerExpiresAt <= :now", { facilityId, now })
      .orderBy('e.id', 'ASC')
      .getMany();
  }

  async facilitiesWithExpiredOffers(now: Date): Promise<string[]> {
    const rows = await this.dataSource.query<{ facility_id: string }[]>(
      `SELECT DISTINCT facility_id FROM waitlist_entries WHERE status = 'offered' AND offer_expires_at <= ? ORDER BY facility_id`,
      [now],
    );
    return rows.map((r) => r.facility_id);
  }

  async find(entryId: string, facilityId?: string, em?: EntityManager): Promise<WaitlistEntry | null> {
    const repo = (em ?? this.dataSource.manager).getRepository(WaitlistEntry);
    return repo.findOneBy(facilityId === undefined ? { id: entryId } : { id: entryId, facilityId });
  }

  async open(facilityId: string): Promise<WaitlistEntry[]> {
    return this.dataSource
      .getRepository(WaitlistEntry)
      .find({ where: { facilityId, status: In([...OPEN_WAITLIST_STATUSES]) } });
  }

  /** Closed entries of these statuses, newest first. */
  async closed(facilityId: string, statuses: WaitlistStatus[]): Promise<WaitlistEntry[]> {
    return this.dataSource.getRepository(WaitlistEntry).find({
      where: { facilityId, status: In(statuses) },
      order: { closedAt: 'DESC', id: 'ASC' },
    });
  }
}
