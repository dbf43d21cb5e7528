import { Column, Entity } from 'typeorm';
import { BaseEntity } from '@care/core';

export const BED_TYPES = ['nursing', 'ordinary'] as const;
export type BedType = (typeof BED_TYPES)[number];
export const BED_STATUSES = ['vacant', 'occupied', 'reserved', 'maintenance', 'closed'] as const;
export type BedStatus = (typeof BED_STATUSES)[number];

/**
 * A bed. `status` is kept in step with stays inside the same transaction that locks the bed row;
 * the unique indexes on `stays` are what guarantee a bed never holds two active stays.
 */
@Entity('beds')
export class Bed extends BaseEntity {
  @Column({ name: 'facility_id', type: 'char', length: 36 })
  facilityId: string;

  @Column({ type: 'varchar', length: 32, nullable: true })
  building: string | null;

  @Column({ type: 'smallint', nullable: true })
  floor: number | null;

  @Column({ type: 'varchar', length: 32 })
  room: string;

  @Column({ type: 'varchar', length: 32 })
  label: string;

  @Column({ type: 'varchar', length: 16 })
  type: BedType;

  /** A bed in a men's or women's room; null when either may use it. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  gender: 'male' | 'female' | null;

  @Column({ type: 'varchar', length: 16, default: 'vacant' })
  status: BedStatus;

  @Column({ name: 'reserved_for_resident_id', type: 'char', length: 36, nullable: true })
  reservedForResidentId: string | null;

  @Column({ name: 'reserved_until', type: 'datetime', precision: 3, nullable: true })
  reservedUntil: Date | null;
}
