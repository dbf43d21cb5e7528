import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { isInServiceCircle } from '@care/core';
import { DEFAULT_SERVICES, localDateOf, localInstant } from '../../src/rules';
import type { CountyDay } from './county-day.generator';

/**
 * Writes a generated county day (rules/county-day.generator.ts) into MySQL, for e2e, fault and benchmark runs:
 * the service catalogue (if missing), service points, caregivers with skills, residents living at home, and the
 * orders as `pending` (version 0) unless `orders: false`. Ids are UUIDs derived from `prefix` and the generator's ids
 * (deterministic; {@link seededId}), so several days can share a database and the api accepts them. Residents carry
 * placeholder identity columns (this is test data, not a person).
 */
export async function seedCountyDay(
  db: DataSource | EntityManager,
  day: CountyDay,
  options: { prefix?: string; orders?: boolean } = {},
): Promise<{ orderIds: string[] }> {
  const p = options.prefix ?? '';
  const id = (raw: string): string => seededId(p, raw);
  let sort = 0;
  for (const s of DEFAULT_SERVICES) {
    await db.query(
      `INSERT IGNORE INTO services (code, name, name_en, default_minutes, skill, active, sort_order) VALUES (?, ?, ?, ?, ?, 1, ?)`,
      [s.code, s.code, s.code, s.defaultMinutes, s.skill, (sort += 10)],
    );
  }
  await insertMany(
    db,
    'service_points (id, name, region_code, lat, lng)',
    day.servicePoints.map((sp) => [id(sp.id), sp.id, sp.regionCode, sp.location.lat, sp.location.lng]),
  );
  await insertMany(
    db,
    'caregivers (id, name, phone, gender, service_point_id, shift_start, shift_end, max_daily_visits, active)',
    day.caregivers.map((c) => [
      id(c.id),
      c.id,
      '13800000000',
      'female',
      id(c.servicePointId),
      c.shiftStart,
      c.shiftEnd,
      c.maxDailyVisits,
      c.active ? 1 : 0,
    ]),
  );
  await insertMany(
    db,
    'caregiver_skills (caregiver_id, skill)',
    day.caregivers.flatMap((c) => c.skills.map((s) => [id(c.id), s])),
  );
  await insertMany(
    db,
    'residents (id, name, id_number_cipher, id_number_hash, id_number_masked, gender, birth_date, region_code, living_arrangement, lat, lng)',
    day.orders.map((o) => [
      id(o.residentId),
      o.residentId,
      'test-data',
      createHash('sha256').update(`${p}${o.residentId}`).digest('hex'),
      '620422***********7',
      'male',
      '1945-01-01',
      o.regionCode,
      'home',
      o.location.lat,
      o.location.lng,
    ]),
  );
  // Continuity: each "served recently" pair becomes a completed visit on a day of its own (for that caregiver) in the past weeks, placed
  // so that it keeps every hard rule (an hour into the shift, 30 minutes, inside the circle), so audits stay clean.
  // Pairs outside the caregiver's circle, and inactive caregivers, are left out.
  const orderOf = new Map(day.orders.map((o) => [o.residentId, o]));
  const first = day.orders[0]?.windowStart ?? Date.now();
  const history: Value[][] = [];
  for (const c of day.caregivers.filter((x) => x.active)) {
    let k = 0;
    for (const residentId of c.recentResidentIds ?? []) {
      const o = orderOf.get(residentId);
      if (!o || !isInServiceCircle(c.servicePoint, o.location, o.kind)) continue;
      const date = localDateOf(first - ++k * 24 * 3600_000);
      const start = localInstant(date, c.shiftStart) + 3600_000;
      history.push([
        id(`h-${history.length}`),
        id(residentId),
        o.regionCode,
        new Date(start),
        new Date(start + 3600_000),
        30,
        'normal',
        'completed',
        id(c.id),
        new Date(start),
        new Date(start + 1800_000),
        new Date(start + 1800_000),
        'manual',
      ]);
    }
  }
  await insertMany(
    db,
    'care_orders (id, resident_id, region_code, window_start, window_end, duration_minutes, priority, status, caregiver_id, planned_start, planned_end, completed_at, source)',
    history,
  );
  if (options.orders === false) return { orderIds: [] };
  const catalogue = new Map(DEFAULT_SERVICES.map((s) => [s.code, s.defaultMinutes]));
  await insertMany(
    db,
    'care_orders (id, resident_id, region_code, window_start, window_end, duration_minutes, priority, status, source)',
    day.orders.map((o) => [
      id(o.id),
      id(o.residentId),
      o.regionCode,
      new Date(o.windowStart),
      new Date(o.windowEnd),
      o.durationMinutes ?? o.services.reduce((sum, code) => sum + (catalogue.get(code) ?? 0), 0),
      o.priority,
      'pending',
      'manual',
    ]),
  );
  await insertMany(
    db,
    'care_order_services (order_id, service_code, position)',
    day.orders.flatMap((o) => o.services.map((code, i) => [id(o.id), code, i])),
  );
  await insertMany(
    db,
    'order_declines (order_id, caregiver_id, reason)',
    day.orders.flatMap((o) => (o.declinedBy ?? []).map((c) => [id(o.id), id(c), 'test data'])),
  );
  return { orderIds: day.orders.map((o) => id(o.id)) };
}

/** The UUID (version-4 layout) that stands for generator id `raw` under `prefix`. */
export function seededId(prefix: string, raw: string): string {
  const h = createHash('sha256').update(`${prefix}/${raw}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Value = string | number | Date | null;

async function insertMany(db: DataSource | EntityManager, into: string, rows: Value[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows.slice(i, i + 200);
    if (chunk.length === 0) continue;
    const tuple = `(${chunk[0].map(() => '?').join(',')})`;
    await db.query(`INSERT INTO ${into} VALUES ${chunk.map(() => tuple).join(',')}`, chunk.flat());
  }
}
