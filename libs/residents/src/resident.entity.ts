import { Column, Entity, JoinColumn, OneToMany, ManyToOne, PrimaryColumn } from 'typeorm';
import { BaseEntity, decimalNumber } from '@care/core';

export const RESIDENT_CATEGORIES = [
  'destitute',
  'low_income',
  'economic_hardship',
  'disabled',
  'empty_nest',
  'living_alone',
  'left_behind',
  'family_planning_special',
  'special_contribution',
] as const;
export type ResidentCategory = (typeof RESIDENT_CATEGORIES)[number];
export const LIVING_ARRANGEMENTS = ['home', 'institution'] as const;
export type LivingArrangement = (typeof LIVING_ARRANGEMENTS)[number];
export type Gender = 'male' | 'female';

@Entity('residents')
export class Resident extends BaseEntity {
  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** AES-256-GCM ciphertext of the ID number; decrypted only where the full number is truly needed. */
  @Column({ name: 'id_number_cipher', type: 'varchar', length: 255, select: false })
  idNumberCipher: string;

  /** Keyed hash of the normalised ID number: uniqueness and look-up without decryption. */
  @Column({ name: 'id_number_hash', type: 'char', length: 64 })
  idNumberHash: string;

  @Column({ name: 'id_number_masked', type: 'varchar', length: 18 })
  idNumberMasked: string;

  @Column({ type: 'varchar', length: 8 })
  gender: Gender;

  /** YYYY-MM-DD, derived from the ID number. */
  @Column({ name: 'birth_date', type: 'date' })
  birthDate: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'living_arrangement', type: 'varchar', length: 16 })
  livingArrangement: LivingArrangement;

  @Column({ type: 'varchar', length: 255, nullable: true })
  address: string | null;

  @Column({ type: 'decimal', precision: 9, scale: 6, nullable: true, transformer: decimalNumber })
  lat: number | null;

  @Column({ type: 'decimal', precision: 9, scale: 6, nullable: true, transformer: decimalNumber })
  lng: number | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  phone: string | null;

  @OneToMany(() => ResidentCategoryRow, (row) => row.resident, { cascade: ['insert'] })
  categoryRows: ResidentCategoryRow[];
}

@Entity('resident_categories')
export class ResidentCategoryRow {
  @PrimaryColumn({ name: 'resident_id', type: 'char', length: 36 })
  residentId: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  category: ResidentCategory;

  @ManyToOne(() => Resident, (resident) => resident.categoryRows, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'resident_id' })
  resident: Resident;
}

export type ResidentFacilityLinkReason = 'registered' | 'placed' | 'waitlisted';

/** Which facilities' managers may see a resident: the ones that registered, placed or waitlisted it. */
@Entity('resident_facility_links')
export class ResidentFacilityLink {
  @PrimaryColumn({ name: 'resident_id', type: 'char', length: 36 })
  residentId: string;

  @PrimaryColumn({ name: 'facility_id', type: 'char', length: 36 })
  facilityId: string;

  @Column({ type: 'varchar', length: 16 })
  reason: ResidentFacilityLinkReason;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;
}
