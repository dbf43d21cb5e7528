import type { DataSource, EntityManager } from 'typeorm';
import { ACTIVE_VISIT_STATUSES } from '@care/care-orders';
import { DEFAULT_TRAVEL_MODEL, type TravelModelOptions } from '@care/core';
import {
  catalogueOf,
  type Assignment,
  type DispatchCaregiver,
  type DispatchOrder,
  localDateOf,
  type Plan,
  type Skill,
  type UnassignedOrder,
  type UnassignedReason,
  verifyHardRules,
  type Violation,
} from '../../src/rules';

/**
 * Reads what MySQL holds back as a {@link Plan} (every order, every caregiver, every visit that holds a slot) and
 * checks it against the hard rules with `verifyHardRules`. Used by the e2e, fault and benchmark runs (a test fixture: not built into dist); an operator
 * can run it too. Orders whose residents have no coordinates take their township's centre, as dispatch does;
 * continuity comes from completed visits of the last 90 days.
 */
export interface Audit {
  readonly plan: Plan;
  readonly violations: Violation[];
  readonly byStatus: Record<string, number>;
}

interface OrderRow {
  id: string;
  resident_id: string;
  status: string;
  window_start: Date;
  window_end: Date;
  duration_minutes: number | string;
  priority: string;
  caregiver_id: string | null;
  planned_start: Date | null;
  planned_end: Date | null;
  unassigned_reason: string | null;
  lat: string | null;
  lng: string | null;
  region_lat: string | null;
  region_lng: string | null;
  kind: string | null;
}

export async function loadPlanFromDatabase(
  db: DataSource | EntityManager,
  travel: TravelModelOptions = DEFAULT_TRAVEL_MODEL,
): Promise<Plan> {
  const since = new Date(Date.now() - 90 * 24 * 3600_000);
  const [orderRows, serviceRows, declineRows, caregiverRows, skillRows, catalogueRows, servedRows] = (await Promise.all(
    [
      db.query(
        `SELECT o.id, o.resident_id, o.status, o.window_start, o.window_end, o.duration_minutes, o.priority, o.caregiver_id,
              o.planned_start, o.planned_end, o.unassigned_reason, r.lat, r.lng, g.lat AS region_lat, g.lng AS region_lng, g.kind
         FROM care_orders o LEFT JOIN residents r ON r.id = o.resident_id LEFT JOIN regions g ON g.code = r.region_code`,
      ),
      db.query('SELECT order_id, service_code FROM care_order_services ORDER BY order_id, position, service_code'),
      db.query('SELECT order_id, caregiver_id FROM order_declines'),
      db.query(
        `SELECT c.id, c.active, c.shift_start, c.shift_end, c.max_daily_visits, sp.lat, sp.lng
         FROM caregivers c JOIN service_points sp ON sp.id = c.service_point_id`,
      ),
      db.query('SELECT caregiver_id, skill FROM caregiver_skills'),
      db.query('SELECT code, default_minutes, skill FROM services'),
      db.query(
        `SELECT DISTINCT caregiver_id, resident_id FROM care_orders WHERE status = 'completed' AND window_start >= ?`,
        [since],
      ),
    ],
  )) as [
    OrderRow[],
    { order_id: string; service_code: string }[],
    { order_id: string; caregiver_id: string }[],
    {
      id: string;
      active: number | string;
      shift_start: string;
      shift_end: string;
      max_daily_visits: number | string;
      lat: string;
      lng: string;
    }[],
    { caregiver_id: string; skill: string }[],
    { code: string; default_minutes: number | string; skill: string | null }[],
    { caregiver_id: string; resident_id: string }[],
  ];
  const group = <T extends { order_id?: string; caregiver_id?: string }>(
    rows: T[],
    key: (r: T) => string,
    value: (r: T) => string,
  ) => {
    const map = new Map<string, string[]>();
    for (const r of rows) map.set(key(r), [...(map.get(key(r)) ?? []), value(r)]);
    return map;
  };
  const services = group(
    serviceRows,
    (r) => r.order_id,
    (r) => r.service_code,
  );
  const declines = group(
    declineRows,
    (r) => r.order_id,
    (r) => r.caregiver_id,
  );
  const skills = group(
    skillRows,
    (r) => r.caregiver_id,
    (r) => r.skill,
  );
  const served = group(
    servedRows,
    (r) => r.caregiver_id,
    (r) => r.resident_id,
  );

  const orders: DispatchOrder[] = [];
  const assignments: Assignment[] = [];
  const unassigned: UnassignedOrder[] = [];
  const active = new Set<string>(ACTIVE_VISIT_STATUSES);
  for (const row of orderRows) {
    const lat = row.lat ?? row.region_lat;
    const lng = row.lng ?? row.region_lng;
    orders.push({
      id: row.id,
      residentId: row.resident_id,
      location: { lat: Number(lat), lng: Number(lng) },
      kind: row.kind === 'urban' ? 'urban' : 'rural',
      services: services.get(row.id) ?? [],
      durationMinutes: Number(row.duration_minutes),
      windowStart: new Date(row.window_start).getTime(),
      windowEnd: new Date(row.window_end).getTime(),
      priority: row.priority === 'urgent' ? 'urgent' : 'normal',
      declinedBy: declines.get(row.id) ?? [],
    });
    if (active.has(row.status) && row.caregiver_id && row.planned_start && row.planned_end) {
      const plannedStart = new Date(row.planned_start).getTime();
      assignments.push({
        orderId: row.id,
        caregiverId: row.caregiver_id,
        date: localDateOf(plannedStart),
        plannedStart,
        plannedEnd: new Date(row.planned_end).getTime(),
      });
    } else if (row.status === 'unassigned') {
      unassigned.push({ orderId: row.id, reason: (row.unassigned_reason ?? 'NO_CAPACITY') as UnassignedReason });
    }
  }
  const caregivers: DispatchCaregiver[] = caregiverRows.map((c) => ({
    id: c.id,
    active: Number(c.active) === 1,
    skills: skills.get(c.id) ?? [],
    servicePoint: { lat: Number(c.lat), lng: Number(c.lng) },
    shiftStart: c.shift_start,
    shiftEnd: c.shift_end,
    maxDailyVisits: Number(c.max_daily_visits),
    recentResidentIds: served.get(c.id) ?? [],
  }));
  const catalogue = catalogueOf(
    catalogueRows.map((r) => ({
      code: r.code,
      defaultMinutes: Number(r.default_minutes),
      skill: r.skill as Skill | null,
    })),
  );
  return { orders, caregivers, catalogue, travel, assignments, unassigned };
}

/**
 * The plan in MySQL with its hard-rule violations and order counts by status. Completed and started visits are
 * audited like planned ones; callers that change caregivers after the fact should expect the rules they changed.
 */
export async function auditDispatch(db: DataSource | EntityManager, travel?: TravelModelOptions): Promise<Audit> {
  const plan = await loadPlanFromDatabase(db, travel);
  const rows: { status: string; n: number | string }[] = await db.query(
    'SELECT status, COUNT(*) AS n FROM care_orders GROUP BY status',
  );
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = Number(r.n);
  return { plan, violations: verifyHardRules(plan), byStatus };
}
