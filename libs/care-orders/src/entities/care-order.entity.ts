import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BaseEntity, decimalNumber, tinyBoolean } from '@care/core';
import type { OrderStatus } from '../rules/order-status';

export const ORDER_PRIORITIES = ['normal', 'urgent'] as const;
export type OrderPriority = (typeof ORDER_PRIORITIES)[number];
/** `emergency`: made by an emergency call (libs/emergency); dispatch may widen its search past the service circle. */
export const ORDER_SOURCES = ['manual', 'visit_plan', 'emergency'] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];
export const UNASSIGNED_REASONS = [
  'NO_SKILLED_CAREGIVER',
  'OUT_OF_SERVICE_CIRCLE',
  'NO_CAPACITY',
  'RESIDENT_NOT_AT_HOME',
] as const;
export type UnassignedReasonCode = (typeof UNASSIGNED_REASONS)[number];

/**
 * A doorstep care order (服务工单). Its services are rows of care_order_services; the caregivers who declined
 * it rows of order_declines; the visit's record a row of care_visits. Status changes go through
 * `transition()` (rules/order-status.ts) and bump `version`.
 */
@Entity('care_orders')
export class CareOrder extends BaseEntity {
  @Column({ name: 'resident_id', type: 'char', length: 36 })
  residentId: string;

  /** The resident's township when the order was made (list filters). */
  @Column({ name: 'region_code', type: 'varchar', length: 12 })
  regionCode: string;

  @Column({ name: 'window_start', type: 'datetime', precision: 3 })
  windowStart: Date;

  @Column({ name: 'window_end', type: 'datetime', precision: 3 })
  windowEnd: Date;

  /** The effective duration: given, or the sum of the services' default minutes when the order was made. */
  @Column({ name: 'duration_minutes', type: 'smallint', unsigned: true })
  durationMinutes: number;

  @Column({ type: 'varchar', length: 8, default: 'normal' })
  priority: OrderPriority;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  notes: string | null;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: OrderStatus;

  @Column({ name: 'caregiver_id', type: 'char', length: 36, nullable: true })
  caregiverId: string | null;

  @Column({ name: 'planned_start', type: 'datetime', precision: 3, nullable: true })
  plannedStart: Date | null;

  @Column({ name: 'planned_end', type: 'datetime', precision: 3, nullable: true })
  plannedEnd: Date | null;

  /** Travel from the previous stop of the caregiver's day when dispatch placed the visit. */
  @Column({ name: 'travel_minutes', type: 'smallint', unsigned: true, nullable: true })
  travelMinutes: number | null;

  @Column({ name: 'unassigned_reason', type: 'varchar', length: 32, nullable: true })
  unassignedReason: UnassignedReasonCode | null;

  @Column({ name: 'assigned_at', type: 'datetime', precision: 3, nullable: true })
  assignedAt: Date | null;

  @Column({ name: 'accepted_at', type: 'datetime', precision: 3, nullable: true })
  acceptedAt: Date | null;

  /** The phone's time of the accept when it carried one (sent later from the offline queue). */
  @Column({ name: 'accept_recorded_at', type: 'datetime', precision: 3, nullable: true })
  acceptRecordedAt: Date | null;

  /** Who accepted (a user id): the caregiver's own user, or a dispatcher/admin on its behalf. */
  @Column({ name: 'accepted_by', type: 'char', length: 36, nullable: true })
  acceptedBy: string | null;

  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true })
  completedAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'datetime', precision: 3, nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'cancel_reason', type: 'varchar', length: 500, nullable: true })
  cancelReason: string | null;

  @Column({ type: 'varchar', length: 16, default: 'manual' })
  source: OrderSource;

  /** An emergency order dispatch placed past the service circle (the documented exception to hard rule 2). */
  @Column({ name: 'circle_widened', type: 'tinyint', default: 0, transformer: tinyBoolean })
  circleWidened: boolean;

  /** When and why an in-progress visit was closed without a check-out (status `incomplete`). */
  @Column({ name: 'closed_at', type: 'datetime', precision: 3, nullable: true })
  closedAt: Date | null;

  @Column({ name: 'close_reason', type: 'varchar', length: 500, nullable: true })
  closeReason: string | null;

  /** YYYY-MM for visit-plan orders. */
  @Column({ name: 'visit_plan_month', type: 'char', length: 7, nullable: true })
  visitPlanMonth: string | null;

  /** 1, 2 or 3: the third of the month, for visit-plan orders. */
  @Column({ name: 'visit_slot', type: 'tinyint', unsigned: true, nullable: true })
  visitSlot: number | null;

  @Column({ name: 'created_by', type: 'char', length: 36, nullable: true })
  createdBy: string | null;

  @Column({ type: 'int', unsigned: true, default: 0 })
  version: number;
}

@Entity('care_order_services')
export class CareOrderServiceRow {
  @PrimaryColumn({ name: 'order_id', type: 'char', length: 36 })
  orderId: string;

  @PrimaryColumn({ name: 'service_code', type: 'varchar', length: 32 })
  serviceCode: string;

  /** The order in which the services were given. */
  @Column({ type: 'tinyint', unsigned: true, default: 0 })
  position: number;
}

/** A caregiver who turned an order down: never offered it again. */
@Entity('order_declines')
export class OrderDecline {
  @PrimaryColumn({ name: 'order_id', type: 'char', length: 36 })
  orderId: string;

  @PrimaryColumn({ name: 'caregiver_id', type: 'char', length: 36 })
  caregiverId: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ name: 'declined_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  declinedAt: Date;

  @Column({ name: 'declined_by_user_id', type: 'char', length: 36, nullable: true })
  declinedByUserId: string | null;
}

/** The service record of one visit: check-in (when, where, flags) and check-out (services done, vitals). */
@Entity('care_visits')
export class CareVisit {
  @PrimaryColumn({ name: 'order_id', type: 'char', length: 36 })
  orderId: string;

  @Column({ name: 'caregiver_id', type: 'char', length: 36 })
  caregiverId: string;

  @Column({ name: 'resident_id', type: 'char', length: 36 })
  residentId: string;

  /** When the visit began: the phone's recordedAt when believable (rules/offline-action), else the server's time. */
  @Column({ name: 'checked_in_at', type: 'datetime', precision: 3 })
  checkedInAt: Date;

  @Column({ name: 'check_in_lat', type: 'decimal', precision: 9, scale: 6, nullable: true, transformer: decimalNumber })
  checkInLat: number | null;

  @Column({ name: 'check_in_lng', type: 'decimal', precision: 9, scale: 6, nullable: true, transformer: decimalNumber })
  checkInLng: number | null;

  @Column({ name: 'check_in_distance_m', type: 'int', unsigned: true, nullable: true })
  checkInDistanceM: number | null;

  @Column({ name: 'flag_early', type: 'tinyint', default: 0, transformer: tinyBoolean })
  flagEarly: boolean;

  @Column({ name: 'flag_late', type: 'tinyint', default: 0, transformer: tinyBoolean })
  flagLate: boolean;

  @Column({ name: 'flag_far', type: 'tinyint', default: 0, transformer: tinyBoolean })
  flagFar: boolean;

  @Column({ name: 'flag_no_location', type: 'tinyint', default: 0, transformer: tinyBoolean })
  flagNoLocation: boolean;

  @Column({ name: 'flag_proxy', type: 'tinyint', default: 0, transformer: tinyBoolean })
  flagProxy: boolean;

  @Column({ name: 'flag_clock', type: 'tinyint', default: 0, transformer: tinyBoolean })
  flagClock: boolean;

  /** The phone's time of the check-in (recordedAt) when it carried one. */
  @Column({ name: 'check_in_recorded_at', type: 'datetime', precision: 3, nullable: true })
  checkInRecordedAt: Date | null;

  /** When the server received the check-in (equals checkedInAt for an online check-in). */
  @Column({ name: 'check_in_received_at', type: 'datetime', precision: 3, nullable: true })
  checkInReceivedAt: Date | null;

  /** The user who checked in: the caregiver's own, or a dispatcher/admin (then flagProxy). */
  @Column({ name: 'checked_in_by', type: 'char', length: 36, nullable: true })
  checkedInBy: string | null;

  @Column({ name: 'checked_out_at', type: 'datetime', precision: 3, nullable: true })
  checkedOutAt: Date | null;

  @Column({ name: 'check_out_recorded_at', type: 'datetime', precision: 3, nullable: true })
  checkOutRecordedAt: Date | null;

  @Column({ name: 'check_out_received_at', type: 'datetime', precision: 3, nullable: true })
  checkOutReceivedAt: Date | null;

  @Column({ name: 'checked_out_by', type: 'char', length: 36, nullable: true })
  checkedOutBy: string | null;

  @Column({
    name: 'check_out_lat',
    type: 'decimal',
    precision: 9,
    scale: 6,
    nullable: true,
    transformer: decimalNumber,
  })
  checkOutLat: number | null;

  @Column({
    name: 'check_out_lng',
    type: 'decimal',
    precision: 9,
    scale: 6,
    nullable: true,
    transformer: decimalNumber,
  })
  checkOutLng: number | null;

  @Column({ name: 'services_done', type: 'simple-json', nullable: true })
  servicesDone: string[] | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  notes: string | null;

  @Column({ type: 'smallint', unsigned: true, nullable: true })
  systolic: number | null;

  @Column({ type: 'smallint', unsigned: true, nullable: true })
  diastolic: number | null;

  @Column({ name: 'heart_rate', type: 'smallint', unsigned: true, nullable: true })
  heartRate: number | null;

  @Column({
    name: 'blood_glucose',
    type: 'decimal',
    precision: 4,
    scale: 1,
    nullable: true,
    transformer: decimalNumber,
  })
  bloodGlucose: number | null;

  @Column({ type: 'decimal', precision: 4, scale: 1, nullable: true, transformer: decimalNumber })
  temperature: number | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  updatedAt: Date;
}

/** One Idempotency-Key of one user: the request it named (hash) and the order it created. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ name: 'user_id', type: 'char', length: 36 })
  userId: string;

  @PrimaryColumn({ name: 'idem_key', type: 'varchar', length: 255 })
  key: string;

  @Column({ type: 'varchar', length: 64 })
  endpoint: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ name: 'order_id', type: 'char', length: 36 })
  orderId: string;

  @Column({ name: 'response_status', type: 'smallint', unsigned: true })
  responseStatus: number;

  /** The answer a caregiver action gave (JSON), replayed for the same key and body; null for order creation. */
  @Column({ name: 'response_body', type: 'mediumtext', nullable: true })
  responseBody: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3, default: () => 'CURRENT_TIMESTAMP(3)' })
  createdAt: Date;
}
