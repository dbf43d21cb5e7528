import { Column, Entity } from 'typeorm';
import { BaseEntity, decimalNumber } from '@care/core';

/** A service point (服务网点): caregivers start and end their day here; its circle bounds whom they serve. */
@Entity('service_points')
export class ServicePoint extends BaseEntity {
  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ type: 'decimal', precision: 9, scale: 6, transformer: decimalNumber })
  lat: number;

  @Column({ type: 'decimal', precision: 9, scale: 6, transformer: decimalNumber })
  lng: number;
}
