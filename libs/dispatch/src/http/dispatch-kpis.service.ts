import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { countyDate, countyInstant, DEFAULT_TRAVEL_MODEL } from '@care/core';
import { dispatchKpis, type DispatchKpis, type KpiCaregiver, type KpiOrder, type UnassignedReason } from '../rules';

interface KpiRow {
  id: string;
  resident_id: string;
  priority: string;
  status: string;
  caregiver_id: string | null;
  planned_start: Date | null;
  planned_end: Date | null;
  unassigned_reason: string | null;
  created_at: Date | null;
  assigned_at: Date | null;
  lat: string | null;
  lng: string | null;
  region_lat: string | null;
  region_lng: string | null;
  kind: string | null;
  continuity: number | string;
}

interface CaregiverRow {
  id: string;
  active: number | string;
  lat: string;
  lng: string;
}

const DAY_MS = 24 * 3600_000;
/** Where a visit is taken to be when neither home nor township has coordinates: the county seat (as dispatch does). */
const SEAT = { lat: 35.6929, lng: 105.0466 };

/**
 * GET /dispatch/kpis: reads the day's orders and the caregivers from MySQL and hands them to the pure
 * `dispatchKpis` (the bench uses the same function). The day's orders: those planned that day, and those not
 * planned whose window opens that day (cancelled ones left out).
 */
@Injectable()
export class DispatchKpisService {
  constructor(private readonly db: DataSource) {}

  async kpis(
    date: string | undefined,
    regionCode: string | undefined,
  ): Promise<DispatchKpis & { date: string; regionCode: string | null }> {
    const day = date ?? countyDate(new Date());
    const from = countyInstant(day);
    const to = new Date(from.getTime() + DAY_MS);
    const region = regionCode ? ' AND (o.region_code = ? OR o.region_code LIKE ?)' : '';
    const regionParams = regionCode ? [regionCode, `${regionCode}%`] : [];
    const rows: KpiRow[] = await this.db.query(
      `SELECT o.id, o.resident_id, o.priority, o.status, o.caregiver_id, o.planned_start, o.planned_end, o.unassigned_reason,
              o.created_at, o.assigned_at, r.lat, r.lng, g.lat AS region_lat, g.lng AS region_lng, g.kind,
              (o.caregiver_id IS NOT NULL AND EXISTS (
                 SELECT 1 FROM care_orders p
                  WHERE p.resident_id = o.resident_id AND p.caregiver_id = o.caregiver_id AND p.status = 'completed'
                    AND p.id <> o.id AND p.window_start >= ? AND p.window_start < ?)) AS continuity
         FROM care_orders o
         LEFT JOIN residents r ON r.id = o.resident_id
         LEFT JOIN regions g ON g.code = r.region_code
        WHERE o.status <> 'cancelled'
          AND ((o.planned_start >= ? AND o.planned_start < ?) OR (o.planned_start IS NULL AND o.window_start >= ? AND o.window_start < ?))
          ${region}`,
      [new Date(from.getTime() - 90 * DAY_MS), from, from, to, from, to, ...regionParams],
    );
    const orders: KpiOrder[] = rows.map((row) => ({
      id: row.id,
      residentId: row.resident_id,
      priority: row.priority === 'urgent' ? 'urgent' : 'normal',
      status: row.status,
      caregiverId: row.caregiver_id,
      location:
        row.lat !== null && row.lng !== null
          ? { lat: Number(row.lat), lng: Number(row.lng) }
          : row.region_lat !== null && row.region_lng !== null
            ? { lat: Number(row.region_lat), lng: Number(row.region_lng) }
            : SEAT,
      kind: row.kind === 'urban' ? 'urban' : 'rural',
      plannedStart: row.planned_start ? new Date(row.planned_start).getTime() : null,
      plannedEnd: row.planned_end ? new Date(row.planned_end).getTime() : null,
      unassignedReason: (row.unassigned_reason as UnassignedReason | null) ?? null,
      createdAt: row.created_at ? new Date(row.created_at).getTime() : null,
      assignedAt: row.assigned_at ? new Date(row.assigned_at).getTime() : null,
      continuity: Number(row.continuity) === 1,
    }));
    // the caregivers of the region's service points (all with no region), and any other who has a visit here
    const visiting = [...new Set(orders.map((o) => o.caregiverId).filter((id): id is string => id !== null))];
    const caregiverRows: CaregiverRow[] = await this.db.query(
      `SELECT c.id, c.active, sp.lat, sp.lng FROM caregivers c JOIN service_points sp ON sp.id = c.service_point_id
        WHERE ${regionCode ? '(sp.region_code = ? OR sp.region_code LIKE ?)' : '1 = 1'}
           ${visiting.length ? `OR c.id IN (${visiting.map(() => '?').join(',')})` : ''}`,
      [...regionParams, ...visiting],
    );
    const caregivers: KpiCaregiver[] = caregiverRows.map((c) => ({
      id: c.id,
      active: Number(c.active) === 1,
      servicePoint: { lat: Number(c.lat), lng: Number(c.lng) },
    }));
    return { date: day, regionCode: regionCode ?? null, ...dispatchKpis(orders, caregivers, DEFAULT_TRAVEL_MODEL) };
  }
}
