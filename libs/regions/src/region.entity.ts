import { Column, Entity, PrimaryColumn } from 'typeorm';
import { decimalNumber, tinyBoolean } from '@care/core';

export type AreaKind = 'urban' | 'rural';

/** A township of the county (乡镇). Only the seat town is urban: 15-minute circle; all others 30. */
@Entity('regions')
export class Region {
  @PrimaryColumn({ type: 'varchar', length: 12 })
  code: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'name_en', type: 'varchar', length: 64, nullable: true })
  nameEn: string | null;

  @Column({ type: 'varchar', length: 8 })
  kind: AreaKind;

  @Column({ type: 'varchar', length: 16, default: 'township' })
  level: string;

  @Column({ name: 'parent_code', type: 'varchar', length: 12, nullable: true })
  parentCode: string | null;

  @Column({ type: 'decimal', precision: 9, scale: 6, nullable: true, transformer: decimalNumber })
  lat: number | null;

  @Column({ type: 'decimal', precision: 9, scale: 6, nullable: true, transformer: decimalNumber })
  lng: number | null;

  /** Township coordinates are not published; generated ones say so. */
  @Column({ name: 'coordinates_generated', type: 'tinyint', default: 0, transformer: tinyBoolean })
  coordinatesGenerated: boolean;
}
