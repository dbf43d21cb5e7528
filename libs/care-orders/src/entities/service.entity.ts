import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { tinyBoolean } from '@care/core';
import type { Skill } from '../rules/service-catalogue';

/** A doorstep service of the catalogue (domain.md §5). */
@Entity('services')
export class CareService {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  code: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ name: 'name_en', type: 'varchar', length: 128, nullable: true })
  nameEn: string | null;

  @Column({ name: 'default_minutes', type: 'smallint', unsigned: true })
  defaultMinutes: number;

  @Column({ type: 'varchar', length: 16, nullable: true })
  skill: Skill | null;

  @Column({ type: 'tinyint', default: 1, transformer: tinyBoolean })
  active: boolean;

  @Column({ name: 'sort_order', type: 'smallint', default: 0 })
  sortOrder: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt: Date;
}
