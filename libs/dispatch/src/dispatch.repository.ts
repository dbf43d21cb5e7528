import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AreaKind, GeoPoint } from '@care/core';
import {
  ACTIVE_VISIT_STATUSES,
  type DispatchRound,
  type OrderStatus,
  RELEASED,
  insertCaregiverDays,
  insertOrderDecline,
  requeueUnassignedOrders,
  writeOrderStatus,
  writeOrderStatusMany,
  writeTravelMinutes,
  writeTravelMinutesMany,
} from '@care/care-orders';
import {
  catalogueOf,
  type DispatchCaregiver,
  type PlannedVisit,
  type ServiceCatalogue,
  type Skill,
  type UnassignedReason,
} from './rules';

/**
 * Every SQL statement of the dispatcher. It reads care orders, caregivers, residents and regions straight from
 * their tables (the columns are the care-orders and residents libraries' migrations); it writes them only through
 * the care-orders library's writers (order-writes: statuses, travel, declines, caregiver-day rows), which own those
 * tables. Methods that take an EntityManager run inside the caller's transaction.
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
  /** EMERGENCY (issue 13): `emergency` orders may be placed past the service circle (see DispatchService). */
  readonly source: string;
}

/** A pending order as a round picks it (see `pendingOrderRefs`). */
export interface PendingRef {
  readonly id: string;
  readonly priority: 'normal' | 'urgent';
  readonly windowStart: number;
  readonly location: GeoPoint | null;
}

export type OrderState = Pick<OrderFacts, 'id' | 'status' | 'version' | 'priority' | 'caregiverId' | 'assignedAt'>;

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
  source: string;
  living_arrangement: string | null;
  lat: string | null;
  lng: string | null;
  kind: string | null;
  region_lat: string | null;
  region_lng: string | null;
  services: string | null;
  decline_count: number | string;
  declines: string | null;
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

function location(
  lat: string | null,
  lng: string | null,
  regionLat: string | null,
  regionLng: string | null,
): GeoPoint | null {
  if (lat !== null && lng !== null) return { lat: Number(lat), lng: Number(lng) };
  if (regionLat !== null && regionLng !== null) return { lat: Number(regionLat), lng: Number(regionLng) };
  return null;
}

/** As `location` reads it: the home's coordinates when both are known, else the township's. */
const HOME_KNOWN = 'r.lat IS NOT NULL AND r.lng IS NOT NULL';

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

const VISIT_SELECT = `
  SELECT o.id, o.caregiver_id, o.resident_id, o.planned_start, o.planned_end, r.lat, r.lng, g.kind,
         g.lat AS region_lat, g.lng AS region_lng
    FROM care_orders o
    LEFT JOIN residents r ON r.id = o.resident_id
    LEFT JOIN regions g ON g.code = r.region_code`;

/** A visit's columns as `caregiverWithVisits` names them (all null when the caregiver has no visit that day). */
interface VisitColumns {
  v_id: string | null;
  v_resident_id: string | null;
  v_planned_start: Date | null;
  v_planned_end: Date | null;
  v_lat: string | null;
  v_lng: string | null;
  v_kind: string | null;
  v_region_lat: string | null;
  v_region_lng: string | null;
}

function toVisit(row: VisitRow): PlannedVisit {
  // dispatch placed it with the home's or the township's coordinates; the seat only if both vanished since
  return {
    orderId: row.id,
    residentId: row.resident_id,
    location: location(row.lat, row.lng, row.region_lat, row.region_lng) ?? FALLBACK_LOCATION,
    kind: kindOf(row.kind),
    plannedStart: new Date(row.planned_start).getTime(),
    plannedEnd: new Date(row.planned_end).getTime(),
  };
}

const CAREGIVER_SELECT = `
  SELECT c.id, c.active, c.shift_start, c.shift_end, c.max_daily_visits, sp.lat, sp.lng,
         (SELECT GROUP_CONCAT(s.skill ORDER BY s.skill) FROM caregiver_skills s WHERE s.caregiver_id = c.id) AS skills
    FROM caregivers c JOIN service_points sp ON sp.id = c.service_point_id`;

const FINGERPRINT_SELECT = 'SELECT COUNT(*) AS n, COALESCE(SUM(version), 0) AS v, MAX(updated_at) AS u FROM caregivers';

interface FingerprintRow {
  n: number | string;
  v: number | string | null;
  u: Date | null;
}

function fingerprintOf(row: FingerprintRow): CaregiverFingerprint {
  return { count: Number(row.n), versions: Number(row.v ?? 0), updatedAt: ms(row.u) ?? 0 };
}

/** Active and holding every one of the skills (one `?` per skill). */
function skilledFilter(skills: readonly string[]): string {
  return [
    'c.active = 1',
    ...skills.map(() => 'EXISTS (SELECT 1 FROM caregiver_skills k WHERE k.caregiver_id = c.id AND k.skill = ?)'),
  ].join(' AND ');
}

/** How long the service catalogue is reused in-process (see `catalogue`). */
export const CATALOGUE_TTL_MS = 30_000;
const KNOWN_DAYS_MAX = 100_000;

@Injectable()
export class DispatchRepository {
  private cachedCatalogue: { catalogue: ServiceCatalogue; until: number } | null = null;
  /** `caregiver_id|date` of caregiver_days rows known to exist. */
  private readonly knownDays = new Set<string>();

  constructor(private readonly db: DataSource) {}

  /**
   * The service catalogue, reused for CATALOGUE_TTL_MS (reference data: codes and skills never change, and an
   * order's effective duration is stored on it; a bureau's change to default minutes is seen within that time).
   * With `em`, read in that transaction.
   */
  async catalogue(em?: EntityManager): Promise<ServiceCatalogue> {
    const now = Date.now();
    if (!em && this.cachedCatalogue && this.cachedCatalogue.until > now) return this.cachedCatalogue.catalogue;
    const rows: { code: string; default_minutes: number | string; skill: string | null }[] = await (
      em ?? this.db.manager
    ).query('SELECT code, default_minutes, skill FROM services');
    const catalogue = catalogueOf(
      rows.map((r) => ({ code: r.code, defaultMinutes: Number(r.default_minutes), skill: r.skill as Skill | null })),
    );
    // an empty table is not kept: reference data may be loaded after the dispatcher started
    if (!em && rows.length > 0) this.cachedCatalogue = { catalogue, until: now + CATALOGUE_TTL_MS };
    return catalogue;
  }

  /**
   * The order with its services, declines and resident (no lock), in one statement. Services (at most 11 short
   * codes) come as a GROUP_CONCAT; declines too, with their count: in the rare case the list was cut by
   * group_concat_max_len, they are read again on their own.
   */
  async order(id: string, em: EntityManager = this.db.manager): Promise<OrderFacts | null> {
    const rows: OrderRow[] = await em.query(
      `SELECT o.id, o.status, o.version, o.resident_id, o.window_start, o.window_end, o.duration_minutes, o.priority,
              o.caregiver_id, o.assigned_at, o.source, r.living_arrangement, r.lat, r.lng, g.kind, g.lat AS region_lat, g.lng AS region_lng,
              (SELECT GROUP_CONCAT(s.service_code ORDER BY s.position, s.service_code SEPARATOR ',')
                 FROM care_order_services s WHERE s.order_id = o.id) AS services,
              (SELECT COUNT(*) FROM order_declines d WHERE d.order_id = o.id) AS decline_count,
              (SELECT GROUP_CONCAT(d.caregiver_id SEPARATOR ',') FROM order_declines d WHERE d.order_id = o.id) AS declines
         FROM care_orders o
         LEFT JOIN residents r ON r.id = o.resident_id
         LEFT JOIN regions g ON g.code = r.region_code
        WHERE o.id = ?`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    let declinedBy = row.declines ? row.declines.split(',') : [];
    if (declinedBy.length !== Number(row.decline_count)) {
      const all: { caregiver_id: string }[] = await em.query(
        'SELECT caregiver_id FROM order_declines WHERE order_id = ?',
        [id],
      );
      declinedBy = all.map((d) => d.caregiver_id);
    }
    return {
      id: row.id,
      status: row.status,
      version: Number(row.version),
      residentId: row.resident_id,
      windowStart: new Date(row.window_start).getTime(),
      windowEnd: new Date(row.window_end).getTime(),
      durationMinutes: Number(row.duration_minutes),
      priority: priorityOf(row.priority),
      services: row.services ? row.services.split(',') : [],
      declinedBy,
      livingArrangement: row.living_arrangement ?? 'unknown',
      location: location(row.lat, row.lng, row.region_lat, row.region_lng),
      kind: kindOf(row.kind),
      caregiverId: row.caregiver_id,
      assignedAt: ms(row.assigned_at),
      source: row.source,
    };
  }

  /** `order` for many orders at once (one statement), in no particular order. */
  async orders(ids: readonly string[], em: EntityManager = this.db.manager): Promise<OrderFacts[]> {
    if (ids.length === 0) return [];
    const rows: OrderRow[] = await em.query(
      `SELECT o.id, o.status, o.version, o.resident_id, o.window_start, o.window_end, o.duration_minutes, o.priority,
              o.caregiver_id, o.assigned_at, o.source, r.living_arrangement, r.lat, r.lng, g.kind, g.lat AS region_lat, g.lng AS region_lng,
              (SELECT GROUP_CONCAT(s.service_code ORDER BY s.position, s.service_code SEPARATOR ',')
                 FROM care_order_services s WHERE s.order_id = o.id) AS services,
              (SELECT COUNT(*) FROM order_declines d WHERE d.order_id = o.id) AS decline_count,
              (SELECT GROUP_CONCAT(d.caregiver_id SEPARATOR ',') FROM order_declines d WHERE d.order_id = o.id) AS declines
         FROM care_orders o
         LEFT JOIN residents r ON r.id = o.resident_id
         LEFT JOIN regions g ON g.code = r.region_code
        WHERE o.id IN (${placeholders(ids.length)})`,
      [...ids],
    );
    const out: OrderFacts[] = [];
    for (const row of rows) {
      let declinedBy = row.declines ? row.declines.split(',') : [];
      if (declinedBy.length !== Number(row.decline_count)) {
        const all: { caregiver_id: string }[] = await em.query(
          'SELECT caregiver_id FROM order_declines WHERE order_id = ?',
          [row.id],
        );
        declinedBy = all.map((d) => d.caregiver_id);
      }
      out.push({
        id: row.id,
        status: row.status,
        version: Number(row.version),
        residentId: row.resident_id,
        windowStart: new Date(row.window_start).getTime(),
        windowEnd: new Date(row.window_end).getTime(),
        durationMinutes: Number(row.duration_minutes),
        priority: priorityOf(row.priority),
        services: row.services ? row.services.split(',') : [],
        declinedBy,
        livingArrangement: row.living_arrangement ?? 'unknown',
        location: location(row.lat, row.lng, row.region_lat, row.region_lng),
        kind: kindOf(row.kind),
        caregiverId: row.caregiver_id,
        assignedAt: ms(row.assigned_at),
        source: row.source,
      });
    }
    return out;
  }

  /** Locks the orders' rows in key order (id) for the rest of the transaction; their states by id. */
  async lockOrders(em: EntityManager, ids: readonly string[]): Promise<Map<string, OrderState>> {
    const out = new Map<string, OrderState>();
    if (ids.length === 0) return out;
    const rows: {
      id: string;
      status: OrderStatus;
      version: number | string;
      priority: string;
      caregiver_id: string | null;
      assigned_at: Date | null;
    }[] = await em.query(
      `SELECT id, status, version, priority, caregiver_id, assigned_at FROM care_orders
        WHERE id IN (${placeholders(ids.length)}) ORDER BY id FOR UPDATE`,
      [...ids],
    );
    for (const row of rows) {
      out.set(row.id, {
        id: row.id,
        status: row.status,
        version: Number(row.version),
        priority: priorityOf(row.priority),
        caregiverId: row.caregiver_id,
        assignedAt: ms(row.assigned_at),
      });
    }
    return out;
  }

  /** Locks caregiver-day rows in key order (caregiver, date); the keys `caregiverId|date` of those found. */
  async lockCaregiverDays(
    em: EntityManager,
    days: readonly { caregiverId: string; date: string }[],
  ): Promise<Set<string>> {
    if (days.length === 0) return new Set();
    const rows: { caregiver_id: string; date: string }[] = await em.query(
      `SELECT caregiver_id, DATE_FORMAT(date, '%Y-%m-%d') AS date FROM caregiver_days
        WHERE ${days.map(() => '(caregiver_id = ? AND date = ?)').join(' OR ')}
        ORDER BY caregiver_id, date FOR UPDATE`,
      days.flatMap((d) => [d.caregiverId, d.date]),
    );
    const found = new Set(rows.map((r) => `${r.caregiver_id}|${r.date}`));
    for (const d of days)
      if (!found.has(`${d.caregiverId}|${d.date}`)) this.knownDays.delete(`${d.caregiverId}|${d.date}`);
    return found;
  }

  /** Shared locks on caregiver rows in key order; the caregivers as they stand now (with skills and service point). */
  async shareLockCaregivers(em: EntityManager, ids: readonly string[]): Promise<Map<string, DispatchCaregiver>> {
    if (ids.length === 0) return new Map();
    await em.query(
      `SELECT id FROM caregivers WHERE id IN (${placeholders(ids.length)}) ORDER BY id LOCK IN SHARE MODE`,
      [...ids],
    );
    const rows: CaregiverRow[] = await em.query(`${CAREGIVER_SELECT} WHERE c.id IN (${placeholders(ids.length)})`, [
      ...ids,
    ]);
    return new Map(rows.map((row) => [row.id, toCaregiver(row)]));
  }

  /** Residents' recent caregivers (completed visits since `since`): caregiver id → resident ids. */
  async recentlyServed(residentIds: readonly string[], since: Date): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (residentIds.length === 0) return out;
    const rows: { caregiver_id: string; resident_id: string }[] = await this.db.query(
      `SELECT DISTINCT caregiver_id, resident_id FROM care_orders
        WHERE status = 'completed' AND window_start >= ? AND caregiver_id IS NOT NULL
          AND resident_id IN (${placeholders(residentIds.length)})`,
      [since, ...residentIds],
    );
    for (const r of rows) out.set(r.caregiver_id, [...(out.get(r.caregiver_id) ?? []), r.resident_id]);
    return out;
  }

  /** Every service point with its location (for the partitions). */
  async servicePoints(): Promise<{ id: string; location: GeoPoint }[]> {
    const rows: { id: string; lat: string; lng: string }[] = await this.db.query(
      'SELECT id, lat, lng FROM service_points ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, location: { lat: Number(r.lat), lng: Number(r.lng) } }));
  }

  /** Sets the travel into each visit (one statement). */
  async setTravelMinutesMany(em: EntityManager, travel: ReadonlyMap<string, number>): Promise<void> {
    await writeTravelMinutesMany(em, travel);
  }

  /** Locks the order's row (only that row) for the rest of the transaction and returns its state. */
  async lockOrder(em: EntityManager, id: string): Promise<OrderState | null> {
    const rows: {
      status: OrderStatus;
      version: number | string;
      priority: string;
      caregiver_id: string | null;
      assigned_at: Date | null;
    }[] = await em.query(
      'SELECT status, version, priority, caregiver_id, assigned_at FROM care_orders WHERE id = ? FOR UPDATE',
      [id],
    );
    const row = rows[0];
    return row
      ? {
          id,
          status: row.status,
          version: Number(row.version),
          priority: priorityOf(row.priority),
          caregiverId: row.caregiver_id,
          assignedAt: ms(row.assigned_at),
        }
      : null;
  }

  /** Active caregivers holding every one of `skills`, with their service point and skills. */
  async skilledActiveCaregivers(
    skills: readonly string[],
    em: EntityManager = this.db.manager,
  ): Promise<DispatchCaregiver[]> {
    const rows: CaregiverRow[] = await em.query(`${CAREGIVER_SELECT} WHERE ${skilledFilter(skills)} ORDER BY c.id`, [
      ...skills,
    ]);
    return rows.map((row) => toCaregiver(row));
  }

  /**
   * `caregiverFingerprint()` and `skilledActiveCaregivers(skills)` in one statement, so from one snapshot: the
   * fingerprint is never newer than the caregivers the decision is made from.
   */
  async skilledActiveCaregiversWithFingerprint(
    skills: readonly string[],
    em: EntityManager = this.db.manager,
  ): Promise<{ caregivers: DispatchCaregiver[]; fingerprint: CaregiverFingerprint }> {
    const rows: (FingerprintRow & { [K in keyof CaregiverRow]: CaregiverRow[K] | null })[] = await em.query(
      `SELECT fp.n, fp.v, fp.u, x.*
         FROM (${FINGERPRINT_SELECT}) fp
         LEFT JOIN (${CAREGIVER_SELECT} WHERE ${skilledFilter(skills)}) x ON 1 = 1
        ORDER BY x.id`,
      [...skills],
    );
    const caregivers: DispatchCaregiver[] = [];
    for (const row of rows) {
      if (row.id === null || row.active === null || row.shift_start === null || row.shift_end === null) continue;
      if (row.max_daily_visits === null || row.lat === null || row.lng === null) continue;
      caregivers.push(
        toCaregiver({
          id: row.id,
          active: row.active,
          shift_start: row.shift_start,
          shift_end: row.shift_end,
          max_daily_visits: row.max_daily_visits,
          lat: row.lat,
          lng: row.lng,
          skills: row.skills,
        }),
      );
    }
    return { caregivers, fingerprint: fingerprintOf(rows[0]) };
  }

  /** One caregiver as it stands now (read inside the transaction that holds its day's lock). */
  async caregiver(id: string, em: EntityManager): Promise<DispatchCaregiver | null> {
    const rows: CaregiverRow[] = await em.query(`${CAREGIVER_SELECT} WHERE c.id = ?`, [id]);
    return rows[0] ? toCaregiver(rows[0]) : null;
  }

  /**
   * One caregiver as it stands now and its visits holding a slot between `from` and `to`, in one statement: read
   * inside the transaction that holds the caregiver-day's lock, so the lock is held for one round trip less.
   * Null when the caregiver is gone.
   */
  async caregiverWithVisits(
    id: string,
    from: number,
    to: number,
    em: EntityManager,
  ): Promise<{ caregiver: DispatchCaregiver; visits: PlannedVisit[] } | null> {
    const rows: (CaregiverRow & VisitColumns)[] = await em.query(
      `SELECT cg.*, v.id AS v_id, v.resident_id AS v_resident_id, v.planned_start AS v_planned_start,
              v.planned_end AS v_planned_end, v.lat AS v_lat, v.lng AS v_lng, v.kind AS v_kind,
              v.region_lat AS v_region_lat, v.region_lng AS v_region_lng
         FROM (${CAREGIVER_SELECT} WHERE c.id = ?) cg
         LEFT JOIN (${VISIT_SELECT} WHERE o.caregiver_id = ? AND o.status IN (${ACTIVE})
                      AND o.planned_start >= ? AND o.planned_start < ?) v ON 1 = 1`,
      [id, id, new Date(from), new Date(to)],
    );
    if (rows.length === 0) return null;
    const visits: PlannedVisit[] = [];
    for (const row of rows) {
      if (row.v_id === null || row.v_resident_id === null || row.v_planned_start === null || row.v_planned_end === null)
        continue;
      visits.push(
        toVisit({
          id: row.v_id,
          caregiver_id: id,
          resident_id: row.v_resident_id,
          planned_start: row.v_planned_start,
          planned_end: row.v_planned_end,
          lat: row.v_lat,
          lng: row.v_lng,
          kind: row.v_kind,
          region_lat: row.v_region_lat,
          region_lng: row.v_region_lng,
        }),
      );
    }
    return { caregiver: toCaregiver(rows[0]), visits };
  }

  /** Caregivers among `caregiverIds` who completed a visit to the resident since `since` (continuity). */
  async servedRecently(
    residentId: string,
    caregiverIds: readonly string[],
    since: Date,
    em: EntityManager = this.db.manager,
  ): Promise<Set<string>> {
    if (caregiverIds.length === 0) return new Set();
    const rows: { caregiver_id: string }[] = await em.query(
      `SELECT DISTINCT caregiver_id FROM care_orders
        WHERE resident_id = ? AND status = 'completed' AND window_start >= ? AND caregiver_id IN (${placeholders(caregiverIds.length)})`,
      [residentId, since, ...caregiverIds],
    );
    return new Set(rows.map((r) => r.caregiver_id));
  }

  /** Visits holding a slot on the caregivers' days between `from` and `to` (planned start), by caregiver. */
  async visits(
    caregiverIds: readonly string[],
    from: number,
    to: number,
    em: EntityManager = this.db.manager,
  ): Promise<Map<string, PlannedVisit[]>> {
    const byCaregiver = new Map<string, PlannedVisit[]>();
    if (caregiverIds.length === 0) return byCaregiver;
    const rows: VisitRow[] = await em.query(
      `${VISIT_SELECT}
        WHERE o.caregiver_id IN (${placeholders(caregiverIds.length)}) AND o.status IN (${ACTIVE})
          AND o.planned_start >= ? AND o.planned_start < ?`,
      [...caregiverIds, new Date(from), new Date(to)],
    );
    for (const row of rows) {
      const list = byCaregiver.get(row.caregiver_id);
      if (list) list.push(toVisit(row));
      else byCaregiver.set(row.caregiver_id, [toVisit(row)]);
    }
    return byCaregiver;
  }

  /** What every dispatch decision about caregivers depends on; a change means "decide again". */
  async caregiverFingerprint(em: EntityManager = this.db.manager): Promise<CaregiverFingerprint> {
    const rows: FingerprintRow[] = await em.query(FINGERPRINT_SELECT);
    return fingerprintOf(rows[0]);
  }

  /**
   * Makes sure the caregiver-day lock row exists (autocommit, outside the transaction that locks it). Rows this
   * process has seen are remembered, so the INSERT IGNORE runs once per caregiver-day and process; a row found
   * missing later (its caregiver deleted) is forgotten by `lockCaregiverDay`.
   */
  async ensureCaregiverDay(caregiverId: string, date: string): Promise<void> {
    const key = `${caregiverId}|${date}`;
    if (this.knownDays.has(key)) return;
    await insertCaregiverDays(this.db.manager, [{ caregiverId, date }]);
    if (this.knownDays.size >= KNOWN_DAYS_MAX) this.knownDays.clear();
    this.knownDays.add(key);
  }

  /**
   * `ensureCaregiverDay` for many caregiver-days: the ones this process has not seen yet in one multi-row INSERT
   * IGNORE (a round touches dozens of days; one statement each cost a round trip apiece before its commit).
   */
  async ensureCaregiverDays(days: readonly { caregiverId: string; date: string }[]): Promise<void> {
    const missing = new Map<string, { caregiverId: string; date: string }>();
    for (const d of days) {
      const key = `${d.caregiverId}|${d.date}`;
      if (!this.knownDays.has(key)) missing.set(key, d);
    }
    if (missing.size === 0) return;
    await insertCaregiverDays(this.db.manager, [...missing.values()]);
    if (this.knownDays.size + missing.size > KNOWN_DAYS_MAX) this.knownDays.clear();
    for (const key of missing.keys()) this.knownDays.add(key);
  }

  /** Locks one caregiver's day for the rest of the transaction; false when the row is missing. */
  async lockCaregiverDay(em: EntityManager, caregiverId: string, date: string): Promise<boolean> {
    const rows: unknown[] = await em.query(
      'SELECT caregiver_id FROM caregiver_days WHERE caregiver_id = ? AND date = ? FOR UPDATE',
      [caregiverId, date],
    );
    if (rows.length !== 1) this.knownDays.delete(`${caregiverId}|${date}`);
    return rows.length === 1;
  }

  /**
   * Takes the shared lock on the caregiver's row (LOCK IN SHARE MODE, MariaDB and MySQL 8) for the rest of the
   * transaction: a caregiver PATCH holds it FOR UPDATE while it releases the visits the change breaks. False when
   * the caregiver is gone.
   */
  async shareLockCaregiver(em: EntityManager, caregiverId: string): Promise<boolean> {
    const rows: unknown[] = await em.query('SELECT id FROM caregivers WHERE id = ? LOCK IN SHARE MODE', [caregiverId]);
    return rows.length === 1;
  }

  /** The assignment, through care-orders' one version-checked status writer (`assign`). */
  async assign(
    em: EntityManager,
    order: OrderState,
    placement: {
      caregiverId: string;
      plannedStart: number;
      plannedEnd: number;
      travelMinutes: number;
      assignedAt: Date;
      /** EMERGENCY (issue 13): placed past the service circle. */
      circleWidened?: boolean;
    },
  ): Promise<boolean> {
    return writeOrderStatus(em, order, 'assign', {
      caregiverId: placement.caregiverId,
      plannedStart: new Date(placement.plannedStart),
      plannedEnd: new Date(placement.plannedEnd),
      travelMinutes: placement.travelMinutes,
      assignedAt: placement.assignedAt,
      acceptedAt: null,
      unassignedReason: null,
      // EMERGENCY (issue 13): placed past the service circle, flagged on the order
      circleWidened: placement.circleWidened ?? false,
    });
  }

  /**
   * `assign` for many orders in multi-row statements (a round's commit), through care-orders' writer; how many
   * were written. Circle widening never happens in a round.
   */
  async assignMany(
    em: EntityManager,
    placements: readonly {
      order: OrderState;
      caregiverId: string;
      plannedStart: number;
      plannedEnd: number;
      travelMinutes: number;
      assignedAt: Date;
    }[],
  ): Promise<number> {
    return writeOrderStatusMany(
      em,
      'assign',
      placements.map((p) => ({
        order: p.order,
        patch: {
          caregiverId: p.caregiverId,
          plannedStart: new Date(p.plannedStart),
          plannedEnd: new Date(p.plannedEnd),
          travelMinutes: p.travelMinutes,
          assignedAt: p.assignedAt,
          acceptedAt: null,
          unassignedReason: null,
          circleWidened: false,
        },
      })),
    );
  }

  /** `markUnassigned` for many orders in multi-row statements; how many were written. */
  async markUnassignedMany(
    em: EntityManager,
    orders: readonly { order: OrderState; reason: UnassignedReason }[],
  ): Promise<number> {
    return writeOrderStatusMany(
      em,
      'mark_unassigned',
      orders.map((o) => ({ order: o.order, patch: { ...RELEASED, unassignedReason: o.reason } })),
    );
  }

  /** The travel into a visit changed because another was placed before it (not a status change). */
  async setTravelMinutes(em: EntityManager, orderId: string, minutes: number): Promise<void> {
    await writeTravelMinutes(em, orderId, minutes);
  }

  /** `mark_unassigned` through the one writer: everything a release clears, and the reason. */
  async markUnassigned(em: EntityManager, order: OrderState, reason: UnassignedReason): Promise<boolean> {
    return writeOrderStatus(em, order, 'mark_unassigned', { ...RELEASED, unassignedReason: reason });
  }

  /** Back to dispatch (status pending, nothing planned), e.g. an assignment not accepted in time. */
  async requeue(em: EntityManager, order: OrderState): Promise<boolean> {
    return writeOrderStatus(em, order, 'requeue', RELEASED);
  }

  /** Records that a caregiver let an assignment lapse: like a decline, it is never offered that order again. */
  async recordLapse(em: EntityManager, orderId: string, caregiverId: string, reason: string): Promise<void> {
    await insertOrderDecline(em, orderId, caregiverId, reason);
  }

  /** Unassigned orders whose window is still open (a caregiver change may help them), locked, oldest first. */
  async lockRetryableUnassigned(em: EntityManager, now: Date, limit: number): Promise<DispatchRound[]> {
    const rows: { id: string; version: number | string; priority: string }[] = await em.query(
      `SELECT id, version, priority FROM care_orders
        WHERE status = 'unassigned' AND window_end > ? AND (unassigned_reason IS NULL OR unassigned_reason <> 'RESIDENT_NOT_AT_HOME')
        ORDER BY window_start, id LIMIT ? FOR UPDATE`,
      [now, limit],
    );
    return rows.map((r) => ({ id: r.id, version: Number(r.version), priority: priorityOf(r.priority) }));
  }

  async requeueMany(em: EntityManager, ids: readonly string[]): Promise<number> {
    return requeueUnassignedOrders(em, ids);
  }

  /** The pending orders of a bulk intake, with what their dispatch order depends on. */
  async pendingOrdersOfBatch(
    batchId: string,
  ): Promise<
    { id: string; priority: 'normal' | 'urgent'; windowStart: number; windowEnd: number; durationMinutes: number }[]
  > {
    const rows: {
      id: string;
      priority: string;
      window_start: Date;
      window_end: Date;
      duration_minutes: number | string;
    }[] = await this.db.query(
      `SELECT o.id, o.priority, o.window_start, o.window_end, o.duration_minutes
           FROM care_order_batch_items i JOIN care_orders o ON o.id = i.order_id
          WHERE i.batch_id = ? AND o.status = 'pending'
          ORDER BY i.position`,
      [batchId],
    );
    return rows.map((r) => ({
      id: r.id,
      priority: priorityOf(r.priority),
      windowStart: new Date(r.window_start).getTime(),
      windowEnd: new Date(r.window_end).getTime(),
      durationMinutes: Number(r.duration_minutes),
    }));
  }

  /**
   * Pending orders with what a round needs to pick them and find their partition (no services, no declines): all
   * of them, or those of `ids`. Rounds read this to take a partition's orders; at most `limit`, urgent first, then
   * the soonest due (so past the limit the orders that matter most are still seen).
   */
  async pendingOrderRefs(
    ids?: readonly string[],
    limit = 50_000,
    near?: { urgentOnly?: boolean; box?: { minLat: number; maxLat: number; minLng: number; maxLng: number } },
  ): Promise<PendingRef[]> {
    if (ids && ids.length === 0) return [];
    // a round reads only what may be its partition's: urgent ones when it asks, homes within the partition's box
    const box = near?.box;
    const filters = `${near?.urgentOnly ? ` AND o.priority = 'urgent'` : ''}${
      box
        ? ` AND IF(${HOME_KNOWN}, r.lat, g.lat) BETWEEN ? AND ? AND IF(${HOME_KNOWN}, r.lng, g.lng) BETWEEN ? AND ?`
        : ''
    }`;
    const boxValues = box ? [box.minLat, box.maxLat, box.minLng, box.maxLng] : [];
    const rows: {
      id: string;
      priority: string;
      window_start: Date;
      lat: string | null;
      lng: string | null;
      region_lat: string | null;
      region_lng: string | null;
    }[] = await this.db.query(
      `SELECT o.id, o.priority, o.window_start, r.lat, r.lng, g.lat AS region_lat, g.lng AS region_lng
           FROM care_orders o
           LEFT JOIN residents r ON r.id = o.resident_id
           LEFT JOIN regions g ON g.code = r.region_code
          WHERE o.status = 'pending'${ids ? ` AND o.id IN (${placeholders(ids.length)})` : ''}${filters}
          ORDER BY o.priority = 'urgent' DESC, o.window_start, o.id LIMIT ?`,
      [...(ids ?? []), ...boxValues, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      priority: priorityOf(r.priority),
      windowStart: new Date(r.window_start).getTime(),
      location: location(r.lat, r.lng, r.region_lat, r.region_lng),
    }));
  }

  /** Orders left pending since before `olderThan` (their job was lost, failed for good, or never enqueued). */
  async stalePending(olderThan: Date, limit: number): Promise<DispatchRound[]> {
    const rows: { id: string; version: number | string; priority: string }[] = await this.db.query(
      `SELECT id, version, priority FROM care_orders WHERE status = 'pending' AND updated_at < ? ORDER BY updated_at LIMIT ?`,
      [olderThan, limit],
    );
    return rows.map((r) => ({ id: r.id, version: Number(r.version), priority: priorityOf(r.priority) }));
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

function priorityOf(value: string): 'normal' | 'urgent' {
  return value === 'urgent' ? 'urgent' : 'normal';
}
