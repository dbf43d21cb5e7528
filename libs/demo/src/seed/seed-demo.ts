/**
 * Loads the demo county (generateDemoCounty) into an empty database through the libraries' own services, so
 * every rule they enforce (ID check digits, bed capacity, the admission rule and its override, assessment
 * scoring) applies to the demo as to real data:
 * - facilities, beds, residents, assessments, admissions, caregivers: through their services;
 * - township coordinates (reference data), service points, the month's historical visits (completed, cancelled
 *   or unassigned care orders with their visit records), the plan's planned capacity (planned projects are not
 *   facilities in service) and the one-key call devices: through their owners' bulk writers (RegionsService,
 *   ServicePointsService, insertSeededOrders, PlannedCapacityRepository, EmergencyCallsService) — a past visit
 *   cannot be replayed through dispatch and check-in, whose rules use the clock;
 * - with `historyMonths`, the months before too, each closed month kept as the monthly statistics job keeps it
 *   (the dashboard's trend); with `today`, the current month up to that day, every caregiver with two visits today.
 */
import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AssessmentsService } from '@care/assessments';
import { BedsService, StaysService } from '@care/beds';
import { CaregiversService, ServicePointsService, insertSeededOrders, type SeededOrder } from '@care/care-orders';
import { countyInstant, type AuthUser } from '@care/core';
import { FacilitiesService } from '@care/facilities';
import { DEMO_DEVICE_PREFIX, EmergencyCallsService } from '@care/emergency';
import { RegionsService } from '@care/regions';
import { ResidentsService } from '@care/residents';
import { CoverageService, PlannedCapacityRepository } from '@care/stats';

import { DEFAULT_DEMO_MONTH, DEFAULT_DEMO_SEED, generateDemoCounty } from '../data/generate';
import type { DemoCounty, DemoResident, DemoVisit } from '../data/types';

export interface SeedOptions {
  readonly seed?: string;
  readonly month?: string;
  readonly log?: (line: string) => void;
  /** Parallel service calls (each one its own transaction). */
  readonly concurrency?: number;
  /** Whole months of visits before `month` too (see DemoOptions). */
  readonly historyMonths?: number;
  /** The demo's own day, YYYY-MM-DD county time (see DemoOptions): the current month seeded up to it. */
  readonly today?: string;
}

export interface SeedResult {
  readonly month: string;
  readonly facilities: number;
  readonly beds: number;
  readonly residents: number;
  readonly assessments: number;
  readonly stays: number;
  readonly servicePoints: number;
  readonly caregivers: number;
  readonly visits: number;
  readonly plannedCapacity: number;
  /** Visits of the other months, by month (oldest first). */
  readonly otherMonths: readonly { month: string; visits: number }[];
  /** One-key call devices (一键通) on the elders living alone at home (ids `DEMO-YJT-nnnn`: demo data). */
  readonly devices: number;
}

/** Runs `work` over `items` with at most `limit` at a time, keeping the order of results. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  });
  await Promise.all(runners);
  return out;
}

export class DatabaseNotEmptyError extends Error {
  constructor(what: string) {
    super(`seed:demo loads into an empty database, but ${what} already exist`);
  }
}

export async function seedDemo(app: INestApplicationContext, options: SeedOptions = {}): Promise<SeedResult> {
  const log = options.log ?? (() => undefined);
  const limit = options.concurrency ?? 8;
  const db = app.get(DataSource);
  for (const table of ['facilities', 'residents', 'service_points']) {
    const [{ n }]: { n: string | number }[] = await db.query(`SELECT COUNT(*) AS n FROM ${table}`);
    if (Number(n) > 0) throw new DatabaseNotEmptyError(table);
  }
  const county = generateDemoCounty({
    seed: options.seed ?? DEFAULT_DEMO_SEED,
    month: options.month ?? DEFAULT_DEMO_MONTH,
    historyMonths: options.historyMonths,
    today: options.today,
  });
  const [admin]: { id: string }[] = await db.query(`SELECT id FROM users WHERE username = 'admin' LIMIT 1`);
  const user: AuthUser = {
    id: admin?.id ?? randomUUID(),
    username: 'seed-demo',
    role: 'admin',
    facilityIds: [],
    caregiverId: null,
  };

  // townships: demo positions (generated, flagged) for maps and the travel model
  await app.get(RegionsService).setPositions(
    county.townships.map((t) => ({
      code: t.code,
      lat: t.lat,
      lng: t.lng,
      coordinatesGenerated: t.coordinatesGenerated,
    })),
  );

  // facilities in service, their beds; planned capacity
  const facilities = app.get(FacilitiesService);
  const beds = app.get(BedsService);
  const facilityId = new Map<string, string>();
  for (const f of county.facilities.filter((x) => x.status === 'operating')) {
    const created = await facilities.create({
      name: f.name,
      type: f.type,
      regionCode: f.regionCode,
      address: f.address,
      lat: f.lat,
      lng: f.lng,
      ownership: f.ownership,
      comprehensive: f.comprehensive,
    });
    facilityId.set(f.key, created.id);
  }
  const bedId = new Map<string, string>();
  for (const [key, id] of facilityId) {
    const mine = county.beds.filter((b) => b.facilityKey === key);
    await beds.createMany(
      user,
      id,
      mine.map((b) => ({ room: b.room, label: b.label, type: b.type, building: b.building, floor: b.floor })),
    );
    const listed = await beds.list(user, id, { limit: 500, offset: 0 });
    for (const b of listed.items) bedId.set(`${key}/${b.room}/${b.label}`, b.id);
    for (const b of mine.filter((x) => x.status === 'closed')) {
      await beds.update(user, must(bedId, b.key), { status: 'closed' });
    }
  }
  const planned = await app.get(PlannedCapacityRepository).insertMany(
    county.facilities
      .filter((x) => x.plannedBeds > 0)
      .map((f) => ({
        name: f.name,
        regionCode: f.regionCode,
        facilityType: f.type,
        facilityId: facilityId.get(f.key) ?? null,
        plannedBeds: f.plannedBeds,
        plannedComprehensive: f.plannedComprehensive ?? f.comprehensive,
        source: f.source,
      })),
  );
  log(`facilities ${facilityId.size} (+${planned} planned capacity records), beds ${bedId.size}`);

  // residents, their assessments, then admissions (the admission rule reads the assessment)
  const residents = app.get(ResidentsService);
  const residentId = new Map<string, string>();
  await pool(county.residents, limit, async (r) => {
    const created = await residents.create(user, {
      name: r.name,
      idNumber: r.idNumber,
      regionCode: r.regionCode,
      livingArrangement: r.livingArrangement,
      categories: [...r.categories],
      address: r.address,
      lat: r.lat,
      lng: r.lng,
    });
    residentId.set(r.key, created.id);
  });
  log(`residents ${residentId.size}`);
  const assessments = app.get(AssessmentsService);
  await pool(county.assessments, limit, async (a) => {
    await assessments.create(user, must(residentId, a.residentKey), {
      assessedAt: a.assessedAt,
      assessors: [...a.assessors],
      reason: a.reason,
      items: { ...a.items },
      conditions: a.conditions,
    });
  });
  log(`assessments ${county.assessments.length}`);
  const stays = app.get(StaysService);
  await pool(county.stays, limit, async (s) => {
    await stays.admit(user, must(facilityId, s.facilityKey), {
      residentId: must(residentId, s.residentKey),
      bedId: must(bedId, s.bedKey),
      admittedAt: s.admittedAt,
      ...(s.overrideReason ? { overrideReason: s.overrideReason } : {}),
    });
  });
  log(`stays ${county.stays.length}`);

  // doorstep programme: service points, caregivers, the month's visits
  const pointId = new Map<string, string>();
  const points = county.servicePoints.map((p) => {
    const id = randomUUID();
    pointId.set(p.key, id);
    return { id, name: p.name, regionCode: p.regionCode, lat: p.lat, lng: p.lng };
  });
  await app.get(ServicePointsService).insertMany(points);
  const caregivers = app.get(CaregiversService);
  const caregiverId = new Map<string, string>();
  await pool(county.caregivers, limit, async (c) => {
    const created = await caregivers.create({
      name: c.name,
      phone: c.phone,
      gender: c.gender,
      servicePointId: must(pointId, c.servicePointKey),
      skills: [...c.skills],
      shiftStart: c.shiftStart,
      shiftEnd: c.shiftEnd,
      maxDailyVisits: c.maxDailyVisits,
    });
    caregiverId.set(c.key, created.id);
  });
  log(`service points ${points.length}, caregivers ${caregiverId.size}`);
  const visits = await insertVisits(db, county, county.month, county.visits, residentId, caregiverId, user.id);
  log(`visits ${visits} in ${county.month}`);
  const otherMonths: { month: string; visits: number }[] = [];
  for (const m of county.otherMonths) {
    otherMonths.push({
      month: m.month,
      visits: await insertVisits(db, county, m.month, m.visits, residentId, caregiverId, user.id),
    });
    log(`visits ${m.visits.length} in ${m.month}${m.partial ? ` (up to ${options.today ?? ''})` : ''}`);
  }
  // closed months kept as the monthly job keeps them: the dashboard's trend reads those
  if (county.otherMonths.length > 0) {
    const coverage = app.get(CoverageService);
    for (const m of [...county.otherMonths.filter((x) => !x.partial).map((x) => x.month), county.month].sort()) {
      await coverage.snapshot(m);
    }
    log(`coverage kept for the closed months`);
  }
  const devices = await insertDevices(app.get(EmergencyCallsService), county.residents, residentId);
  log(`one-key call devices ${devices}`);

  return {
    month: county.month,
    facilities: facilityId.size,
    beds: bedId.size,
    residents: residentId.size,
    assessments: county.assessments.length,
    stays: county.stays.length,
    servicePoints: points.length,
    caregivers: caregiverId.size,
    visits,
    plannedCapacity: planned,
    otherMonths,
    devices,
  };
}

/**
 * A one-key call device on every elder living alone at home, as the county plan installs them. Their ids carry the
 * demo prefix (DEMO_DEVICE_PREFIX): the api refuses that prefix, so only demo residents can be "pressed" from the
 * console's simulate button.
 */
async function insertDevices(
  calls: EmergencyCallsService,
  residents: readonly DemoResident[],
  residentId: ReadonlyMap<string, string>,
): Promise<number> {
  const alone = residents.filter((r) => r.livingArrangement === 'home' && r.categories.includes('living_alone'));
  return calls.registerDemoDevices(
    alone.map((r, i) => ({
      deviceId: `${DEMO_DEVICE_PREFIX}YJT-${String(i + 1).padStart(4, '0')}`,
      residentId: must(residentId, r.key),
    })),
  );
}

function must(map: ReadonlyMap<string, string>, key: string): string {
  const v = map.get(key);
  if (v === undefined) throw new Error(`seed:demo: nothing created for ${key}`);
  return v;
}

/**
 * A month's visits as care orders with their services and, when completed, the visit record, through
 * care-orders' bulk writer (multi-row INSERTs, one transaction per 500 orders). An assigned visit (the demo's
 * day) waits for its caregiver: assigned, not accepted, no visit record.
 */
async function insertVisits(
  db: DataSource,
  county: DemoCounty,
  month: string,
  monthVisits: readonly DemoVisit[],
  residentId: ReadonlyMap<string, string>,
  caregiverId: ReadonlyMap<string, string>,
  createdBy: string,
): Promise<number> {
  const resident = new Map(county.residents.map((r) => [r.key, r]));
  const at = (iso: string | undefined): Date | null => (iso ? new Date(iso) : null);
  const startOfDay = (iso: string) => countyInstant(iso.slice(0, 10));
  const orders = monthVisits.map((v): SeededOrder => {
    const r = resident.get(v.residentKey);
    return {
      id: randomUUID(),
      residentId: must(residentId, v.residentKey),
      regionCode: r?.regionCode ?? '',
      windowStart: new Date(v.windowStart),
      windowEnd: new Date(v.windowEnd),
      durationMinutes: durationOf(v),
      status: v.status,
      caregiverId: v.caregiverKey ? must(caregiverId, v.caregiverKey) : null,
      plannedStart: at(v.plannedStart),
      plannedEnd: at(v.plannedEnd),
      travelMinutes: v.travelMinutes ?? null,
      unassignedReason: v.unassignedReason ?? null,
      assignedAt: v.caregiverKey
        ? v.status === 'assigned'
          ? startOfDay(v.windowStart)
          : new Date(v.windowStart)
        : null,
      acceptedAt: v.status === 'completed' ? new Date(v.windowStart) : null,
      completedAt: at(v.checkOutAt),
      cancelledAt: v.status === 'cancelled' ? at(v.plannedStart) : null,
      cancelReason: v.cancelReason ?? null,
      visitPlanMonth: month,
      visitSlot: v.third + 1,
      createdBy,
      services: v.services,
      visit:
        v.status === 'completed'
          ? {
              checkedInAt: new Date(v.checkInAt ?? v.windowStart),
              checkInLat: r?.lat ?? null,
              checkInLng: r?.lng ?? null,
              checkInDistanceM: 0,
              checkedOutAt: at(v.checkOutAt),
              checkOutLat: r?.lat ?? null,
              checkOutLng: r?.lng ?? null,
              servicesDone: [...v.services],
              systolic: v.vitals?.systolic ?? null,
              diastolic: v.vitals?.diastolic ?? null,
              heartRate: v.vitals?.heartRate ?? null,
              temperature: v.vitals?.temperature ?? null,
            }
          : null,
    };
  });
  return insertSeededOrders(db, orders);
}

function durationOf(v: DemoVisit): number {
  if (v.plannedStart && v.plannedEnd) return (Date.parse(v.plannedEnd) - Date.parse(v.plannedStart)) / 60_000;
  return v.services.includes('home_cleaning') ? 90 : 75;
}
