import { randomBytes, randomUUID } from 'node:crypto';
import { hashPassword } from '@care/auth';
import { idNumberCheckCharacter } from '@care/residents';
import { ADMIN_PASSWORD, auth, type TestContext } from '@care/testing';

export const API = '/api/v1';
export const TOWNSHIP = '620422100';
export const OTHER_TOWNSHIP = '620422101';
export const UNKNOWN_UUID = '00000000-0000-4000-8000-00000000abcd';

let sequence = 0;

/**
 * A valid resident ID number, unique within a test run: county code, the birth date, a sequence whose last digit
 * gives the gender (odd male, even female), and the GB 11643-1999 check character.
 */
export function makeIdNumber(birthDate = '1945-03-01', gender: 'male' | 'female' = 'female', area = '620422'): string {
  sequence += 1;
  const tens = sequence % 100;
  const last = gender === 'male' ? 1 + 2 * (sequence % 5) : 2 * (sequence % 5);
  const date = birthDate.replace(/-/g, '');
  // vary the date's century-stable part so more than 100 numbers stay unique: area code tail carries the overflow
  const areaCode = `${area.slice(0, 4)}${String((Number(area.slice(4)) + Math.floor(sequence / 100)) % 100).padStart(2, '0')}`;
  const body = `${areaCode}${date}${String(tens).padStart(2, '0')}${last}`;
  return body + idNumberCheckCharacter(body);
}

export interface FacilityBody {
  name: string;
  type: string;
  regionCode: string;
  lat: number;
  lng: number;
  ownership: string;
  comprehensive: boolean;
  address?: string;
}

export const facilityBody = (over: Partial<FacilityBody> = {}): FacilityBody => ({
  name: '会宁县社会福利院',
  type: 'welfare_institute',
  regionCode: TOWNSHIP,
  address: '会师镇西关街1号',
  lat: 35.6929,
  lng: 105.0466,
  ownership: 'public',
  comprehensive: true,
  ...over,
});

export async function createFacility(t: TestContext, over: Partial<FacilityBody> = {}): Promise<string> {
  const res = await t.http().post(`${API}/facilities`).set(auth(t.adminToken)).send(facilityBody(over));
  if (res.status !== 201) throw new Error(`facility: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export interface ResidentOptions {
  name?: string;
  gender?: 'male' | 'female';
  birthDate?: string;
  livingArrangement?: 'home' | 'institution';
  categories?: string[];
  facilityId?: string;
  token?: string;
}

export async function createResident(
  t: TestContext,
  o: ResidentOptions = {},
): Promise<{ id: string; idNumber: string }> {
  const idNumber = makeIdNumber(o.birthDate, o.gender ?? 'female');
  const body: Record<string, unknown> = {
    name: o.name ?? '张桂兰',
    idNumber,
    regionCode: TOWNSHIP,
    livingArrangement: o.livingArrangement ?? 'home',
    categories: o.categories ?? ['destitute'],
  };
  if (o.facilityId) body.facilityId = o.facilityId;
  const res = await t
    .http()
    .post(`${API}/residents`)
    .set(auth(o.token ?? t.adminToken))
    .send(body);
  if (res.status !== 201) throw new Error(`resident: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id as string, idNumber };
}

export interface BedBody {
  room: string;
  label: string;
  type: 'nursing' | 'ordinary';
  gender?: 'male' | 'female';
  building?: string;
  floor?: number;
}

export async function createBed(
  t: TestContext,
  facilityId: string,
  bed: BedBody,
  token = t.adminToken,
): Promise<string> {
  const res = await t.http().post(`${API}/facilities/${facilityId}/beds`).set(auth(token)).send(bed);
  if (res.status !== 201) throw new Error(`bed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** n nursing beds in rooms of 6 (the JGJ 450 maximum), labelled R<room>-<i>. */
export async function createBeds(t: TestContext, facilityId: string, n: number, prefix = 'R'): Promise<string[]> {
  const beds = Array.from({ length: n }, (_, i) => ({
    room: `${prefix}${Math.floor(i / 6)}`,
    label: String(i % 6),
    type: 'nursing' as const,
  }));
  const res = await t.http().post(`${API}/facilities/${facilityId}/beds/bulk`).set(auth(t.adminToken)).send({ beds });
  if (res.status !== 201) throw new Error(`beds: ${res.status} ${JSON.stringify(res.body)}`);
  const rows = await t.db.query<{ id: string }[]>(
    `SELECT id FROM beds WHERE facility_id = ? AND room LIKE ? ORDER BY LENGTH(room), room, label`,
    [facilityId, `${prefix}%`],
  );
  return rows.map((r) => r.id);
}

/**
 * A caregiver user's token without depending on the caregivers library (POST /users checks the caregiver exists):
 * the user row is written directly, then logs in through the API like anyone else.
 */
export async function caregiverToken(t: TestContext): Promise<string> {
  const username = `carer_${randomBytes(4).toString('hex')}`;
  await t.db.query(
    `INSERT INTO users (id, username, password_hash, role, caregiver_id, active) VALUES (?, ?, ?, 'caregiver', ?, 1)`,
    [randomUUID(), username, await hashPassword(ADMIN_PASSWORD), randomUUID()],
  );
  const res = await t.http().post(`${API}/auth/login`).send({ username, password: ADMIN_PASSWORD });
  if (res.status !== 200) throw new Error(`caregiver login: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}
