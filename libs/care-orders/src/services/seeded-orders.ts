/**
 * Visit-plan orders loaded as history (the demo county's past months): already completed, cancelled or left
 * unassigned, or assigned for the demo's day, with their services and, when completed, the visit record. A past
 * visit cannot be replayed through dispatch and the check-in, whose rules use the clock, so they are written here,
 * by their owner, as they were.
 */
import { DataSource } from 'typeorm';
import { InvalidInputError } from '@care/core';
import { writeStatsChanges } from '@care/stats/outbox';
import { CareOrder, CareOrderServiceRow, CareVisit } from '../entities/care-order.entity';

/** An order as it stands at the end of its history (source `visit_plan`, priority normal, version 0). */
export type SeededOrder = Pick<
  CareOrder,
  | 'id'
  | 'residentId'
  | 'regionCode'
  | 'windowStart'
  | 'windowEnd'
  | 'durationMinutes'
  | 'status'
  | 'caregiverId'
  | 'plannedStart'
  | 'plannedEnd'
  | 'travelMinutes'
  | 'unassignedReason'
  | 'assignedAt'
  | 'acceptedAt'
  | 'completedAt'
  | 'cancelledAt'
  | 'cancelReason'
  | 'visitPlanMonth'
  | 'visitSlot'
  | 'createdBy'
> & {
  /** Service codes, in the order given. */
  readonly services: readonly string[];
  /** The visit record: present exactly when the order is completed. */
  readonly visit: SeededVisit | null;
};

/** A completed visit's record (by the order's caregiver, for its resident). */
export type SeededVisit = Pick<
  CareVisit,
  | 'checkedInAt'
  | 'checkInLat'
  | 'checkInLng'
  | 'checkInDistanceM'
  | 'checkedOutAt'
  | 'checkOutLat'
  | 'checkOutLng'
  | 'servicesDone'
  | 'systolic'
  | 'diastolic'
  | 'heartRate'
  | 'temperature'
>;

/** Orders per transaction: each a multi-row INSERT of orders, one of their services and one of the visits. */
const ORDERS_PER_TRANSACTION = 500;

/**
 * Writes the orders, their services and visit records as multi-row INSERTs, one transaction per 500 orders,
 * skipping TypeORM's re-select of default columns (`updateEntity(false)`). Completed visits move the coverage
 * figures: each transaction that writes some also writes the statistics change "count every township again",
 * so figures already kept are brought up to date. Returns how many orders were written.
 */
export async function insertSeededOrders(db: DataSource, orders: readonly SeededOrder[]): Promise<number> {
  const noRecord = orders.findIndex((o) => (o.status === 'completed') !== (o.visit !== null));
  if (noRecord >= 0)
    throw new InvalidInputError(`orders[${noRecord}].visit: a visit record goes with a completed order, and only then`);
  const noCaregiver = orders.findIndex((o) => o.visit !== null && o.caregiverId === null);
  if (noCaregiver >= 0) throw new InvalidInputError(`orders[${noCaregiver}].caregiverId: a completed visit has one`);
  for (let i = 0; i < orders.length; i += ORDERS_PER_TRANSACTION) {
    const chunk = orders.slice(i, i + ORDERS_PER_TRANSACTION);
    await db.transaction(async (em) => {
      await em
        .createQueryBuilder()
        .insert()
        .into(CareOrder)
        .updateEntity(false)
        .values(
          chunk.map((o) => ({
            id: o.id,
            residentId: o.residentId,
            regionCode: o.regionCode,
            windowStart: o.windowStart,
            windowEnd: o.windowEnd,
            durationMinutes: o.durationMinutes,
            priority: 'normal' as const,
            status: o.status,
            caregiverId: o.caregiverId,
            plannedStart: o.plannedStart,
            plannedEnd: o.plannedEnd,
            travelMinutes: o.travelMinutes,
            unassignedReason: o.unassignedReason,
            assignedAt: o.assignedAt,
            acceptedAt: o.acceptedAt,
            completedAt: o.completedAt,
            cancelledAt: o.cancelledAt,
            cancelReason: o.cancelReason,
            source: 'visit_plan' as const,
            visitPlanMonth: o.visitPlanMonth,
            visitSlot: o.visitSlot,
            createdBy: o.createdBy,
            version: 0,
          })),
        )
        .execute();
      const services = chunk.flatMap((o) =>
        o.services.map((code, position) => ({ orderId: o.id, serviceCode: code, position })),
      );
      if (services.length > 0)
        await em.createQueryBuilder().insert().into(CareOrderServiceRow).updateEntity(false).values(services).execute();
      const done = chunk.flatMap((o) => (o.visit ? [{ order: o, visit: o.visit }] : []));
      if (done.length === 0) return;
      await em
        .createQueryBuilder()
        .insert()
        .into(CareVisit)
        .updateEntity(false)
        .values(
          done.map(({ order, visit }) => ({
            orderId: order.id,
            caregiverId: order.caregiverId ?? '', // checked above: a completed visit has its caregiver
            residentId: order.residentId,
            checkedInAt: visit.checkedInAt,
            checkInLat: visit.checkInLat,
            checkInLng: visit.checkInLng,
            checkInDistanceM: visit.checkInDistanceM,
            checkedOutAt: visit.checkedOutAt,
            checkOutLat: visit.checkOutLat,
            checkOutLng: visit.checkOutLng,
            servicesDone: visit.servicesDone,
            systolic: visit.systolic,
            diastolic: visit.diastolic,
            heartRate: visit.heartRate,
            temperature: visit.temperature,
          })),
        )
        .execute();
      await writeStatsChanges(em, [{ source: 'visits', regionCode: null, recompute: true }]);
    });
  }
  return orders.length;
}
