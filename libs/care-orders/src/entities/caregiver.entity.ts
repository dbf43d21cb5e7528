import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BaseEntity, tinyBoolean } from '@care/core';
import type { Skill } from '../rules/service-catalogue';

export type CaregiverGender = 'male' | 'female';

/** A caregiver (护理员) of a service point. Skills live in caregiver_skills. */
@Entity('caregivers')
export class Caregiver extends BaseEntity {
  @Column({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 32 })
  phone: string;

  @Column({ type: 'varchar', length: 8 })
  gender: CaregiverGender;

  @Column({ name: 'service_point_id', type: 'char', length: 36 })
  servicePointId: string;

  /** County-local 'HH:MM'. */
  @Column({ name: 'shift_start', type: 'char', length: 5 })
  shiftStart: string;

  /** County-local 'HH:MM', after shiftStart. */
  @Column({ name: 'shift_end', type: 'char', length: 5 })
  shiftEnd: string;

  @Column({ name: 'max_daily_visits', type: 'smallint', unsigned: true })
  maxDailyVisits: number;

  @Column({ type: 'tinyint', default: 1, transformer: tinyBoolean })
  active: boolean;

  /** Grows with every change (RetryUnassigned job ids). */
  @Column({ type: 'int', unsigned: true, default: 0 })
  version: number;
}

@Entity('caregiver_skills')
export class CaregiverSkill {
  @PrimaryColumn({ name: 'caregiver_id', type: 'char', length: 36 })
  caregiverId: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  skill: Skill;
}

/**
 * One caregiver on one county-local date: the row dispatch locks (INSERT IGNORE, then SELECT ... FOR UPDATE)
 * while it plans that day, so that two dispatch workers never place visits on the same day at once.
 */
@Entity('caregiver_days')
export class CaregiverDay {
  @PrimaryColumn({ name: 'caregiver_id', type: 'char', length: 36 })
  caregiverId: string;

  /** YYYY-MM-DD, county-local. */
  @PrimaryColumn({ type: 'date' })
  date: string;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;
}
