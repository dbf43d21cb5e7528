import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AreaKind, GeoPoint } from '@care/core';
import { ACTIVE_VISIT_STATUSES, type OrderStatus } from '@care/care-orders';
import { catalogueOf, type DispatchCaregiver, type PlannedVisit, type ServiceCatalogue, type Skill, type UnassignedReason } from './rules';

/**
 * Every SQL statement of the dispatcher. It reads care orders, caregivers, residents and regions straight from
 * their tables (the columns are the care-orders and residents libraries' migrations) and writes only the
 * columns dispatch owns. Methods that take an EntityManager run inside the caller's transaction.
 */

/** A care order as dispatch sees it. */
export interface OrderFacts {
  readonly id: string;
  readonly status: OrderStatus;
  readonly version: number;
  readonly residentId: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly durationMinutes: number;
  readonly priority: 'normal' | 'urgent';
  readonly services: string[];
  readonly declinedBy: string[];
  readonly livingArrangement: string;
  /** The resident's home; the township's centre when the home has no coordinates; null when neither is known. */
  readonly location: GeoPoint | null;
  readonly kind: AreaKind;
  readonly caregiverId: string | null;
  readonly assignedAt: number | null;
}

export type OrderState = Pick<OrderFacts, 'id' | 'status' | 'version' | 'caregiverId' | 'assignedAt'>;

/** A snapshot of everything about caregivers that dispatch decisions depend on. */
export interface CaregiverFingerprint {
  readonly count: number;
  readonly versions: number;
  readonly updatedAt: number;
}

const ACTIVE = ACTIVE_VISIT_STATUSES.map((s) => `'${s}'`).join(',');
const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(',');
const ms = (value: Date | string | null): number | null => (value === null ? null : new Date(value).getTime());
/** Where a visit already planned is taken to be when its home and township have no coordinates: the county seat. */
const FALLBACK_LOCATION: GeoPoint = { lat: 35.6929, lng: 105.0466 };

interface OrderRow {
  id: string;
  status: OrderStatus;
  version: number | string;
  resident_id: string;
  window_start: Date;
  window_end: Date;
  duration_minutes: number | string;
  priority: string;
  caregiver_id: string | null;
  assigned_at: Date | null;
  living_arrangement: string | null;
  lat: string | null;
  lng: string | null;
  kind: string | null;
  region_lat: string | null;
  region_lng: string | null;
}

interface CaregiverRow {
  id: string;
  active: number | string;
  shift_start: string;
  shift_end: string;
  max_daily_visits: number | string;
  lat: string;
  lng: string;
  skills: string | null;
}

interface VisitRow {
  id: string;
  caregiver_id: string;
  resident_id: string;
  planned_start: Date;
  planned_end: Date;
  lat: string | null;
  lng: string | null;
  kind: string | null;
  region_lat: string | null;
  region_lng: string | null;
}

function location(lat: string | null, lng: string | null, regionLat: string | null, regionLng: string | null): GeoPoint | null {
  if (lat !== null && lng !== null) return { lat: Number(lat), lng: Number(lng) };
  if (regionLat !== null && regionLng !== null) return { lat: Number(regionLat), lng: Number(regionLng) };
  return null;
}

const kindOf = (kind: string | null): AreaKind => (kind === 'urban' ? 'urban' : 'rural');

function toCaregiver(row: CaregiverRow, recent: readonly string[] = []): DispatchCaregiver {
  return {
    id: row.id,
    active: Number(row.active) === 1,
    skills: row.skills ? row.skills.split(',') : [],
    servicePoint: { lat: Number(row.lat), lng: Number(row.lng) },
    shiftStart: row.shift_start,
    shiftEnd: row.shift_end,
    maxDailyVisits: Number(row.max_daily_visits),
    recentResidentIds: recent,
  };
}

const CAREGIVER_SELECT = `
  SELECT c.id, c.active, c.shift_start, c.shift_end, c.max_daily_visits, sp.lat, sp.lng,
         (SELECT GROUP_CONCAT(s.skill ORDER BY s.skill) FROM caregiver_skills s WHERE s.caregiver_id = c.id) AS skills
    FROM caregivers c JOIN service_points sp ON sp.id = c.service_point_id`;

@Injectable()
export class DispatchRepository {
  constructor(private readonly db: DataSource) {}

  /** The service catalogue as the `services` table holds it now. */
  async catalogue(em: EntityManager = this.db.manager): Promise<ServiceCatalogue> {
    const rows: { code: string; default_minutes: number | string; skill: string | null }[] = await em.query(
      'SELECT code, default_minutes, skill FROM services',
    );
    return catalogueOf(rows.map((r) => ({ code: r.code, defaultMinutes: Number(r.default_minutes), skill: r.skill as Skill | null })));
  }

  /** The order with its services, declines and resident (no lock). */
  async order(id: string, em: EntityManager = this.db.manager): Promise<OrderFacts | null> {
    const rows: OrderRow[] = await em.query(
      `SELECT o.id, o.status, o.version, o.resident_id, o.window_start, o.window_end, o.duration_minutes, o.priority,
              o.caregiver_id, o.assigned_at, r.living_arrangement, r.lat, r.lng, g.kind, g.lat AS region_lat, g.lng AS region_lng
         FROM care_orders o
         LEFT JOIN residents r ON r.id = o.resident_id
         LEFT JOIN regions g ON g.code = r.region_code
        WHERE o.id = ?`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const [services, declines]: [{ service_code: string }[], { caregiver_id: string }[]] = await Promise.all([
      em.query('SELECT service_code FROM care_order_services WHERE order_id = ? ORDER BY position, service_code', [id]),
      em.query('SELECT caregiver_id FROM order_declines WHERE order_id = ?', [id]),
    ]);
    return {
      id: row.id,
      status: row.status,
      version: Number(row.version),
      residentId: row.resident_id,
      windowStart: new Date(row.window_start).getTime(),
      windowEnd: new Date(row.window_end).getTime(),
      durationMinutes: Number(row.duration_minutes),
      priority: row.priority === 'urgent' ? 'urgent' : 'normal',
      services: services.map((s) => s.service_code),
      declinedBy: declines.map((d) => d.caregiver_id),
      livingArrangement: row.living_arrangement ?? 'unknown',
      location: location(row.lat, row.lng, row.region_lat, row.region_lng),
      kind: kindOf(row.kind),
      caregiverId: row.caregiver_id,
      assignedAt: ms(row.assigned_at),
    };
  }

  /** Locks the order's row (only that row) for the rest of the transaction and returns its state. */
  async lockOrder(em: EntityManager, id: string): Promise<OrderState | null> {
    const rows: { status: OrderStatus; version: number | string; caregiver_id: string | null; assigned_at: Date | null }[] = await em.query(
      'SELECT status, version, caregiver_id, assigned_at FROM care_orders WHERE id = ? FOR UPDATE',
      [id],
    );
    const row = rows[0];
    return row ? { id, status: row.status, version: Number(row.version), caregiverId: row.caregiver_id, assignedAt: ms(row.assigned_at) } : null;
  }

  /** Active caregivers holding every one of `skills`, with their service point and skills. */
  async skilledActiveCaregivers(skills: readonly string[], em: EntityManager = this.db.manager): Promise<DispatchCaregiver[]> {
    const filter = skills
      .map(() => 'EXISTS (SELECT 1 FROM caregiver_skills k WHERE k.caregiver_id = c.id AND k.skill = ?)')
      .join(' AND ');
    const rows: CaregiverRow[] = await em.query(
      `${CAREGIVER_SELECT} WHERE c.active = 1${filter ? ` AND ${filter}` : ''} ORDER BY c.id`,
      [...skills],
    );
    return rows.map((row) => toCaregiver(row));
  }

  /** One caregiver as it stands now (read inside the transaction that holds its day's lock). */
  async caregiver(id: string, em: EntityManager): Promise<DispatchCaregiver | null> {
    const rows: CaregiverRow[] = await em.query(`${CAREGIVER_SELECT} WHERE c.id = ?`, [id]);
    return rows[0] ? toCaregiver(rows[0]) : null;
  }

  /** Caregivers among `caregiverIds` who completed a visit to the resident since `since` (continuity). */
  async servedRecently(residentId: string, caregiverIds: readonly string[], since: Date, em: EntityManager = this.db.manager): Promise<Set<string>> {
    if (caregiverIds.length === 0) return new Set();
    const rows: { caregiver_id: string }[] = await em.query(
      `SELECT DISTINCT caregiver_id FROM care_orders
        WHERE resident_id = ? AND status = 'completed' AND window_start >= ? AND caregiver_id IN (${placeholders(caregiverIds.length)})`,
      [residentId, since, ...caregiverIds],
    );
    return new Set(rows.map((r) => r.caregiver_id));
  }

  /** Visits holding a slot on the caregivers' days between `from` and `to` (planned start), by caregiver. */
  async visits(caregiverIds: readonly string[], from: number, to: number, em: EntityManager = this.db.manager): Promise<Map<string, PlannedVisit[]>> {
    const byCaregiver = new Map<string, PlannedVisit[]>();
    if (caregiverIds.length === 0) return byCaregiver;
    const rows: VisitRow[] = await em.query(
      `SELECT o.id, o.caregiver_id, o.resident_id, o.planned_start, o.planned_end, r.lat, r.lng, g.kind,
              g.lat AS region_lat, g.lng AS region_lng
         FROM care_orders o
         LEFT JOIN residents r ON r.id = o.resident_id
         LEFT JOIN regions g ON g.code = r.region_code
        WHERE o.caregiver_id IN (${placeholders(caregiverIds.length)}) AND o.status IN (${ACTIVE})
          AND o.planned_start >= ? AND o.planned_start < ?`,
      [...caregiverIds, new Date(from), new Date(to)],
    );
    for (const row of rows) {
      // dispatch placed it with the home's or the township's coordinates; the seat only if both vanished since
      const visit: PlannedVisit = {
        orderId: row.id,
        residentId: row.resident_id,
        location: location(row.lat, row.lng, row.region_lat, row.region_lng) ?? FALLBACK_LOCATION,
        kind: kindOf(row.kind),
        plannedStart: new Date(row.planned_start).getTime(),
        plannedEnd: new Date(row.planned_end).getTime(),
      };
      byCaregiver.set(row.caregiver_id, [...(byCaregiver.get(row.caregiver_id) ?? []), visit]);
    }
    return byCaregiver;
  }

  /** What every dispatch decision about caregivers depends on; a change means "decide again". */
  async caregiverFingerprint(em: EntityManager = this.db.manager): Promise<CaregiverFingerprint> {
    const rows: { n: number | string; v: number | string | null; u: Date | null }[] = await em.query(
      'SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v, MAX(updated_at) AS u FROM caregivers',
    );
    const row = rows[0];
    return { count: Number(row.n), versions: Number(row.v ?? 0), updatedAt: ms(row.u) ?? 0 };
  }

  /** Makes sure the caregiver-day lock row exists (autocommit, outside the transaction that locks it). */
  async ensureCaregiverDay(caregiverId: string, date: string): Promise<void> {
    await this.db.query('INSERT IGNORE INTO caregiver_days (caregiver_id, date) VALUES (?, ?)', [caregiverId, date]);
  }

  /** Locks one caregiver's day for the rest of the transaction; false when the row is missing. */
  async lockCaregiverDay(em: EntityManager, caregiverId: string, date: string): Promise<boolean> {
    const rows: unknown[] = await em.query('SELECT caregiver_id FROM caregiver_days WHERE caregiver_id = ? AND date = ? FOR UPDATE', [
      caregiverId,
      date,
    ]);
    return rows.length === 1;
  }

  async assign(
    em: EntityManager,
    order: Pick<OrderFacts, 'id' | 'version'>,
    placement: { caregiverId: string; plannedStart: number; plannedEnd: number; travelMinutes: number; assignedAt: Date },
  ): Promise<boolean> {
    const result: { affectedRows?: number } = await em.query(
      `UPDATE care_orders SET status = 'assigned', caregiver_id = ?, planned_start = ?, planned_end = ?, travel_minutes = ?,
              assigned_at = ?, accepted_at = NULL, unassigned_reason = NULL, version = version + 1
        WHERE id = ? AND version = ?`,
      [placement.caregiverId, new Date(placement.plannedStart), new Date(placement.plannedEnd), placement.travelMinutes, placement.assignedAt, order.id, order.version],
    );
    return affected(result) === 1;
  }

  /** The travel into a visit changed because another was placed before it. */
  async setTravelMinutes(em: EntityManager, orderId: string, minutes: number): Promise<void> {
    await em.query('UPDATE care_orders SET travel_minutes = ? WHERE id = ?', [minutes, orderId]);
  }

  async markUnassigned(em: EntityManager, order: Pick<OrderFacts, 'id' | 'version'>, reason: UnassignedReason): Promise<boolean> {
    const result: { affectedRows?: number } = await em.query(
      `UPDATE care_orders SET status = 'unassigned', unassigned_reason = ?, caregiver_id = NULL, planned_start = NULL,
              planned_end = NULL, travel_minutes = NULL, assigned_at = NULL, accepted_at = NULL, version = version + 1
        WHERE id = ? AND version = ?`,
      [reason, order.id, order.version],
    );
    return affected(result) === 1;
  }

  /** Back to dispatch (status pending, nothing planned), e.g. an assignment not accepted in time. */
  async requeue(em: EntityManager, order: Pick<OrderFacts, 'id' | 'version'>): Promise<boolean> {
    const result: { affectedRows?: number } = await em.query(
      `UPDATE care_orders SET status = 'pending', caregiver_id = NULL, planned_start = NULL, planned_end = NULL,
              travel_minutes = NULL, assigned_at = NULL, accepted_at = NULL, unassigned_reason = NULL, version = version + 1
        WHERE id = ? AND version = ?`,
      [order.id, order.version],
    );
    return affected(result) === 1;
  }

  /** Records that a caregiver let an assignment lapse: like a decline, it is never offered that order again. */
  async recordLapse(em: EntityManager, orderId: string, caregiverId: string, reason: string): Promise<void> {
    await em.query('INSERT IGNORE INTO order_declines (order_id, caregiver_id, reason) VALUES (?, ?, ?)', [orderId, caregiverId, reason]);
  }

  /** Unassigned orders whose window is still open (a caregiver change may help them), locked, oldest first. */
  async lockRetryableUnassigned(em: EntityManager, now: Date, limit: number): Promise<{ id: string; version: number }[]> {
    const rows: { id: string; version: number | string }[] = await em.query(
      `SELECT id, version FROM care_orders
        WHERE status = 'unassigned' AND window_end > ? AND (unassigned_reason IS NULL OR unassigned_reason <> 'RESIDENT_NOT_AT_HOME')
        ORDER BY window_start, id LIMIT ? FOR UPDATE`,
      [now, limit],
    );
    return rows.map((r) => ({ id: r.id, version: Number(r.version) }));
  }

  async requeueMany(em: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await em.query(
      `UPDATE care_orders SET status = 'pending', unassigned_reason = NULL, version = version + 1
        WHERE status = 'unassigned' AND id IN (${placeholders(ids.length)})`,
      [...ids],
    );
  }

  /** Orders left pending since before `olderThan` (their job was lost, failed for good, or never enqueued). */
  async stalePending(olderThan: Date, limit: number): Promise<{ id: string; version: number }[]> {
    const rows: { id: string; version: number | string }[] = await this.db.query(
      `SELECT id, version FROM care_orders WHERE status = 'pending' AND updated_at < ? ORDER BY updated_at LIMIT ?`,
      [olderThan, limit],
    );
    return rows.map((r) => ({ id: r.id, version: Number(r.version) }));
  }

  /** Assignments not accepted since before `assignedBefore`. */
  async lapsedAssignments(assignedBefore: Date, limit: number): Promise<{ id: string; assignedAt: Date }[]> {
    const rows: { id: string; assigned_at: Date }[] = await this.db.query(
      `SELECT id, assigned_at FROM care_orders WHERE status = 'assigned' AND assigned_at < ? ORDER BY assigned_at LIMIT ?`,
      [assignedBefore, limit],
    );
    return rows.map((r) => ({ id: r.id, assignedAt: new Date(r.assigned_at) }));
  }
}

function affected(result: unknown): number {
  // TypeORM's mysql driver returns the OkPacket for raw UPDATEs (sometimes wrapped as [rows, affected]).
  if (Array.isArray(result)) return typeof result[1] === 'number' ? result[1] : affected(result[0]);
  const r = result as { affectedRows?: number } | null;
  return r?.affectedRows ?? 0;
}
