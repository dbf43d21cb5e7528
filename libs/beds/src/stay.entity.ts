import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@care/core';

export const STAY_STATUSES = ['active', 'discharged'] as const;
export type StayStatus = (typeof STAY_STATUSES)[number];
export const DISCHARGE_REASONS = ['deceased', 'returned_home', 'transferred_out', 'other'] as const;
export type DischargeReason = (typeof DISCHARGE_REASONS)[number];

/** One admission of a resident to a facility, until discharge. `bedId` is the current (or last) bed. */
@Entity('stays')
export class Stay extends BaseEntity {
  @Column({ name: 'resident_id', type: 'char', length: 36 })
  residentId: string;

  @Column({ name: 'facility_id', type: 'char', length: 36 })
  facilityId: string;

  @Column({ name: 'bed_id', type: 'char', length: 36 })
  bedId: string;

  @Column({ type: 'varchar', length: 16 })
  status: StayStatus;

  @Column({ name: 'admitted_at', type: 'datetime', precision: 3 })
  admittedAt: Date;

  @Column({ name: 'discharged_at', type: 'datetime', precision: 3, nullable: true })
  dischargedAt: Date | null;

  @Column({ name: 'discharge_reason', type: 'varchar', length: 32, nullable: true })
  dischargeReason: DischargeReason | null;

  /** Why a resident who needs a nursing-type bed was placed in an ordinary one. */
  @Column({ name: 'override_reason', type: 'varchar', length: 255, nullable: true })
  overrideReason: string | null;

  @Column({ name: 'created_by', type: 'char', length: 36, nullable: true })
  createdBy: string | null;
}

/** One period of a stay on one bed; transfers close one and open the next. */
@Entity('bed_occupancies')
export class BedOccupancy {
  @Column({ primary: true, type: 'char', length: 36 })
  id: string;

  @Column({ name: 'stay_id', type: 'char', length: 36 })
  stayId: string;

  @Column({ name: 'bed_id', type: 'char', length: 36 })
  bedId: string;

  @Column({ name: 'resident_id', type: 'char', length: 36 })
  residentId: string;

  @Column({ name: 'facility_id', type: 'char', length: 36 })
  facilityId: string;

  @Column({ name: 'started_at', type: 'datetime', precision: 3 })
  startedAt: Date;

  @Column({ name: 'ended_at', type: 'datetime', precision: 3, nullable: true })
  endedAt: Date | null;

  @Column({ name: 'end_reason', type: 'varchar', length: 32, nullable: true })
  endReason: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;
}
