import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@care/core';

export const WAITLIST_STATUSES = ['waiting', 'offered', 'admitted', 'cancelled'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];
export const WAITLIST_CLOSE_REASONS = ['admitted', 'admitted_elsewhere', 'cancelled'] as const;
export type WaitlistCloseReason = (typeof WAITLIST_CLOSE_REASONS)[number];

/**
 * A resident waiting for a bed at one facility. Open while `waiting` or `offered` (a bed is reserved for the
 * resident until `offerExpiresAt`); closed when admitted or cancelled. At most one open entry per resident and
 * facility (unique index on a generated marker).
 */
@Entity('waitlist_entries')
export class WaitlistEntry extends BaseEntity {
  @Column({ name: 'facility_id', type: 'char', length: 36 })
  facilityId: string;

  @Column({ name: 'resident_id', type: 'char', length: 36 })
  residentId: string;

  @Column({ type: 'varchar', length: 16 })
  status: WaitlistStatus;

  @Column({ name: 'applied_at', type: 'datetime', precision: 3 })
  appliedAt: Date;

  @Column({ type: 'varchar', length: 500, nullable: true })
  note: string | null;

  @Column({ name: 'offered_bed_id', type: 'char', length: 36, nullable: true })
  offeredBedId: string | null;

  @Column({ name: 'offered_at', type: 'datetime', precision: 3, nullable: true })
  offeredAt: Date | null;

  @Column({ name: 'offer_expires_at', type: 'datetime', precision: 3, nullable: true })
  offerExpiresAt: Date | null;

  @Column({ name: 'closed_at', type: 'datetime', precision: 3, nullable: true })
  closedAt: Date | null;

  @Column({ name: 'close_reason', type: 'varchar', length: 32, nullable: true })
  closeReason: WaitlistCloseReason | null;

  @Column({ name: 'close_note', type: 'varchar', length: 255, nullable: true })
  closeNote: string | null;

  @Column({ name: 'stay_id', type: 'char', length: 36, nullable: true })
  stayId: string | null;

  @Column({ name: 'created_by', type: 'char', length: 36, nullable: true })
  createdBy: string | null;
}
