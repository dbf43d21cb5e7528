import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { auth, type TestContext } from '@care/testing';
import { countyDate, DAY_MS } from '@care/core/time';

export const SEAT = { lat: 35.6929, lng: 105.0466 };
export const URBAN = '620422100';
export const RURAL = '620422101';
export { DAY_MS };

/** A county-local date `days` from now. */
export function countyDay(days: number): string {
  return countyDate(Date.now() + days * DAY_MS);
}

export const at = (date: string, hhmm: string) => `${date}T${hhmm}:00+08:00`;

export interface ResidentSeed {
  regionCode?: string;
  livingArrangement?: 'home' | 'institution';
  categories?: string[];
  birthDate?: string;
  lat?: number | null;
  lng?: number | null;
  name?: string;
}

/**
 * A resident written straight into the residents library's tables (its HTTP rules — ID numbers, encryption —
 * are not what these tests are about).
 */
export async function insertResident(db: DataSource, seed: ResidentSeed = {}): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO residents (id, name, id_number_cipher, id_number_hash, id_number_masked, gender, birth_date, region_code,
                            living_arrangement, lat, lng)
     VALUES (?, ?, 'cipher', ?, '620422***********7', 'male', ?, ?, ?, ?, ?)`,
    [
      id,
      seed.name ?? '张大爷',
      createHash('sha256').update(id).digest('hex'),
      seed.birthDate ?? '1945-01-01',
      seed.regionCode ?? URBAN,
      seed.livingArrangement ?? 'home',
      seed.lat === undefined ? SEAT.lat + 0.01 : seed.lat,
      seed.lng === undefined ? SEAT.lng : seed.lng,
    ],
  );
  for (const category of seed.categories ?? []) {
    await db.query('INSERT INTO resident_categories (resident_id, category) VALUES (?, ?)', [id, category]);
  }
  return id;
}

export async function createServicePoint(
  t: TestContext,
  body: Partial<{ name: string; regionCode: string; lat: number; lng: number }> = {},
): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/service-points')
    .set(auth(t.adminToken))
    .send({ name: '会师镇服务站', regionCode: URBAN, ...SEAT, ...body })
    .expect(201);
  return res.body.id as string;
}

export async function createCaregiver(
  t: TestContext,
  servicePointId: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await t
    .http()
    .post('/api/v1/caregivers')
    .set(auth(t.adminToken))
    .send({
      name: '王秀英',
      phone: '13800000000',
      gender: 'female',
      servicePointId,
      skills: ['housekeeping', 'personal_care', 'health'],
      shiftStart: '08:00',
      shiftEnd: '17:00',
      maxDailyVisits: 6,
      ...body,
    })
    .expect(201);
  return res.body.id as string;
}

/** Places an order on a caregiver's day straight in SQL (what the dispatcher would do). */
export async function assignInSql(
  db: DataSource,
  orderId: string,
  caregiverId: string,
  plannedStart: string,
  plannedEnd: string,
): Promise<void> {
  await db.query(
    `UPDATE care_orders SET status = 'assigned', caregiver_id = ?, planned_start = ?, planned_end = ?, travel_minutes = 3,
            assigned_at = CURRENT_TIMESTAMP(3), version = version + 1 WHERE id = ?`,
    [caregiverId, new Date(plannedStart), new Date(plannedEnd), orderId],
  );
}

export async function orderRow(
  db: DataSource,
  id: string,
): Promise<{ status: string; caregiver_id: string | null; version: number }> {
  const rows: { status: string; caregiver_id: string | null; version: number | string }[] = await db.query(
    'SELECT status, caregiver_id, version FROM care_orders WHERE id = ?',
    [id],
  );
  return { ...rows[0], version: Number(rows[0].version) };
}

export async function countOrders(db: DataSource, where = '1 = 1', params: unknown[] = []): Promise<number> {
  const rows: { n: number | string }[] = await db.query(`SELECT COUNT(*) AS n FROM care_orders WHERE ${where}`, params);
  return Number(rows[0].n);
}
