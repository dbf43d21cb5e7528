import { Column, Entity } from 'typeorm';
import { BaseEntity, decimalNumber, tinyBoolean } from '@care/core';

export const FACILITY_TYPES = ['welfare_institute', 'nursing_home', 'service_center', 'community_station'] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];
export const OWNERSHIPS = ['public', 'private'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];

@Entity('facilities')
export class Facility extends BaseEntity {
  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  type: FacilityType;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  address: string | null;

  @Column({ type: 'decimal', precision: 9, scale: 6, transformer: decimalNumber })
  lat: number;

  @Column({ type: 'decimal', precision: 9, scale: 6, transformer: decimalNumber })
  lng: number;

  @Column({ type: 'varchar', length: 16 })
  ownership: Ownership;

  /** 具备综合功能: full-time residential care, day care, doorstep service and regional coordination. */
  @Column({ type: 'tinyint', default: 0, transformer: tinyBoolean })
  comprehensive: boolean;
}
