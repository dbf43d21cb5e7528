/**
 * Province-scale data for the statistics benchmark: a million eligible elders at home, 100,000 institution beds,
 * three million visits in one month (`full`), and a tenth of that (`tenth`).
 *
 * Design:
 * - Every row is a pure function of (seed, table, index) — counter-based randomness ({@link unitAt}) and
 *   deterministic UUIDs ({@link uuidAt}) — so a foreign key is computed, never looked up: stay i points at bed
 *   uuidAt('bed', i) without keeping any bed in memory. Any batch can be produced alone ({@link batchAt}) and
 *   the streams ({@link rows}) hold one batch at a time: memory stays bounded by the batch size, whatever the
 *   scale. Only the small tables (regions, facilities, service points: ≤ 11,500 rows) are materialised.
 * - Both scales share the same region tree (100 counties × 14 townships), so the per-township part of a
 *   statistics response has the same size and the benchmark compares data volume only.
 * - Positions: counties on a 10 × 10 grid over a synthetic province box, townships on a grid inside their county,
 *   service points near their township, elders within 8 km of a service point (inside its 30-minute rural
 *   circle) except `outsideCircleShare` of them, placed 40 km away from every point (outside every circle).
 * - ID numbers: region prefix of the county, birth date = day (index mod D) of 1926-01-01…1959-12-31, sequence
 *   from ⌊index / D⌋ with gender parity: unique for any index below D × 500 (≈ 6.2 million).
 */
import { idNumberCheckCharacter } from '@care/residents';
import { DAY_MS, daysInMonth, HOUR_MS, monthStart as countyMonthStart, monthThird } from '@care/core/time';

import { hash32, idNumberBody, unitAt } from '@care/demo';

export interface ScaleSpec {
  readonly name: string;
  readonly seed: number;
  readonly counties: number;
  readonly townshipsPerCounty: number;
  /** Institution beds; 100 per facility. */
  readonly beds: number;
  /** Share of beds held by an active stay. */
  readonly occupancy: number;
  /** Share of beds that are nursing-type. */
  readonly nursingShare: number;
  /** Eligible elders at home. */
  readonly eligibleElders: number;
  /** Eligible elders per service point (one caregiver each). */
  readonly eldersPerServicePoint: number;
  readonly visitsPerElder: number;
  readonly outsideCircleShare: number;
  /** Share of elders (at home and in beds) with a valid assessment; the rest half expired, half never assessed. */
  readonly validAssessmentShare: number;
  /** Share of visits completed (the rest cancelled). */
  readonly completedShare: number;
  /** YYYY-MM of the visits. */
  readonly month: string;
}

const BASE = {
  seed: 20_260_501,
  counties: 100,
  townshipsPerCounty: 14,
  occupancy: 0.83,
  nursingShare: 0.5,
  eldersPerServicePoint: 100,
  visitsPerElder: 3,
  outsideCircleShare: 0.01,
  validAssessmentShare: 0.9,
  completedShare: 0.97,
  month: '2026-05',
} as const;

export const SCALES: Readonly<Record<'full' | 'tenth', ScaleSpec>> = {
  full: { ...BASE, name: 'full', beds: 100_000, eligibleElders: 1_000_000 },
  tenth: { ...BASE, name: 'tenth', beds: 10_000, eligibleElders: 100_000 },
};

/** A spec divided by `factor` (for tests), same region tree. */
export function scaledDown(spec: ScaleSpec, factor: number): ScaleSpec {
  return {
    ...spec,
    name: `${spec.name}/${factor}`,
    beds: Math.max(100, Math.round(spec.beds / factor / 100) * 100),
    eligibleElders: Math.max(spec.eldersPerServicePoint, Math.round(spec.eligibleElders / factor)),
  };
}

export const BEDS_PER_FACILITY = 100;

// ── derived sizes ─────────────────────────────────────────────────────────────────────────────────────────
export function sizes(spec: ScaleSpec) {
  const townships = spec.counties * spec.townshipsPerCounty;
  const facilities = Math.ceil(spec.beds / BEDS_PER_FACILITY);
  const servicePoints = Math.ceil(spec.eligibleElders / spec.eldersPerServicePoint);
  const stays = Math.floor(spec.beds * spec.occupancy);
  return {
    townships,
    facilities,
    servicePoints,
    caregivers: servicePoints,
    beds: spec.beds,
    stays,
    /** Residents: the eligible elders at home, then one per stay. */
    residents: spec.eligibleElders + stays,
    /** About this many: each resident has one with probability valid + expired share. */
    assessmentsApprox: Math.round(
      (spec.eligibleElders + stays) * (spec.validAssessmentShare + (1 - spec.validAssessmentShare) / 2),
    ),
    visits: spec.eligibleElders * spec.visitsPerElder,
  };
}

// ── deterministic ids and values ──────────────────────────────────────────────────────────────────────────
const TABLE_IDS = {
  facility: 1,
  bed: 2,
  resident: 3,
  stay: 4,
  assessment: 5,
  servicePoint: 6,
  caregiver: 7,
  visit: 8,
  category: 9,
  geo: 10,
  person: 11,
} as const;
export type ScaleTable = keyof typeof TABLE_IDS;

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

/** A UUID (version-4 layout) that depends only on seed, table and index. */
export function uuidAt(seed: number, table: ScaleTable, index: number): string {
  const t = TABLE_IDS[table];
  const a = hex8(hash32(seed, t, index, 1));
  const b = hex8(hash32(seed, t, index, 2));
  const c = hex8(hash32(seed, t, index, 3));
  const d = hex8(hash32(seed, t, index, 4));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${((parseInt(c[0], 16) & 0x3) | 0x8).toString(16)}${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

const u = (spec: ScaleSpec, table: ScaleTable, index: number, salt: number): number =>
  unitAt(spec.seed, TABLE_IDS[table], index, salt);

// ── geography ─────────────────────────────────────────────────────────────────────────────────────────────
/** A synthetic province box (wide enough that township sub-cells are ≈ 33 km across). */
const PROVINCE = { latMin: 30, latMax: 42, lngMin: 95, lngMax: 110 } as const;
/** Service points lie within this distance of their township; elders at home within ELDER_KM of their point. */
const POINT_KM = { urban: 2, rural: 8 } as const;
const ELDER_KM = { urban: 3, rural: 8 } as const;

export interface ScaleRegion {
  readonly code: string;
  readonly name: string;
  readonly kind: 'urban' | 'rural';
  readonly level: 'county' | 'township';
  readonly parentCode: string;
  readonly lat: number;
  readonly lng: number;
}

/** County code 69HHCC — province 69 is unused in GB/T 2260, so synthetic codes never clash with real ones. */
const countyCode = (c: number): string =>
  `69${String(Math.floor(c / 100)).padStart(2, '0')}${String(c % 100).padStart(2, '0')}`;

/** Counties and townships. The first township of each county (its seat) is urban. */
export function regions(spec: ScaleSpec): ScaleRegion[] {
  const out: ScaleRegion[] = [];
  const g = grid(spec);
  for (let c = 0; c < spec.counties; c++) {
    out.push({
      code: countyCode(c),
      name: `模拟县${c + 1}`,
      kind: 'rural',
      level: 'county',
      parentCode: '690000',
      lat: round6(g.lat0(c) + g.cellLat / 2),
      lng: round6(g.lng0(c) + g.cellLng / 2),
    });
    for (let t = 0; t < spec.townshipsPerCounty; t++) out.push(regionAt(spec, c, t));
  }
  return out;
}

function grid(spec: ScaleSpec) {
  const side = Math.ceil(Math.sqrt(spec.counties));
  const cellLat = (PROVINCE.latMax - PROVINCE.latMin) / side;
  const cellLng = (PROVINCE.lngMax - PROVINCE.lngMin) / side;
  const tside = Math.ceil(Math.sqrt(spec.townshipsPerCounty));
  return {
    cellLat,
    cellLng,
    tside,
    lat0: (c: number) => PROVINCE.latMin + Math.floor(c / side) * cellLat,
    lng0: (c: number) => PROVINCE.lngMin + (c % side) * cellLng,
  };
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;
const KM_LAT = 111.32;

function offset(p: { lat: number; lng: number }, km: number, angle: number): { lat: number; lng: number } {
  return {
    lat: round6(p.lat + (km * Math.cos(angle)) / KM_LAT),
    lng: round6(p.lng + (km * Math.sin(angle)) / (KM_LAT * Math.cos((p.lat * Math.PI) / 180))),
  };
}

// ── row types ─────────────────────────────────────────────────────────────────────────────────────────────
export interface ScaleFacility {
  readonly id: string;
  readonly name: string;
  readonly type: 'welfare_institute' | 'nursing_home' | 'service_center';
  readonly regionCode: string;
  readonly lat: number;
  readonly lng: number;
  readonly comprehensive: boolean;
}
export interface ScaleBed {
  readonly id: string;
  readonly facilityId: string;
  readonly room: string;
  readonly label: string;
  readonly type: 'nursing' | 'ordinary';
  readonly status: 'vacant' | 'occupied' | 'closed';
}
export interface ScaleServicePoint {
  readonly id: string;
  readonly name: string;
  readonly regionCode: string;
  readonly lat: number;
  readonly lng: number;
}
export interface ScaleCaregiver {
  readonly id: string;
  readonly servicePointId: string;
  readonly name: string;
  readonly gender: 'male' | 'female';
  readonly active: boolean;
}
export interface ScaleResident {
  readonly id: string;
  readonly name: string;
  readonly idNumber: string;
  readonly gender: 'male' | 'female';
  readonly birthDate: string;
  readonly regionCode: string;
  readonly livingArrangement: 'home' | 'institution';
  readonly categories: readonly ('destitute' | 'economic_hardship')[];
  readonly lat: number;
  readonly lng: number;
}
export interface ScaleStay {
  readonly id: string;
  readonly residentId: string;
  readonly facilityId: string;
  readonly bedId: string;
  readonly admittedAt: Date;
}
export interface ScaleAssessment {
  readonly id: string;
  readonly residentId: string;
  readonly assessedAt: Date;
  readonly validUntil: Date;
  readonly total: number;
  readonly level: 0 | 1 | 2 | 3 | 4;
}
export interface ScaleVisit {
  readonly id: string;
  readonly residentId: string;
  /** The resident's township. */
  readonly regionCode: string;
  /** 1, 2, 3: the third of the month (the visit plan's slot). */
  readonly slot: 1 | 2 | 3;
  readonly caregiverId: string | null;
  readonly status: 'completed' | 'cancelled' | 'unassigned';
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly plannedStart: Date | null;
  readonly plannedEnd: Date | null;
  readonly services: readonly string[];
}

// ── small tables, materialised ────────────────────────────────────────────────────────────────────────────
export function facilities(spec: ScaleSpec): ScaleFacility[] {
  return Array.from({ length: sizes(spec).facilities }, (_, i) => facilityAt(spec, i));
}

export function servicePoints(spec: ScaleSpec): ScaleServicePoint[] {
  return Array.from({ length: sizes(spec).servicePoints }, (_, i) => servicePointAt(spec, i));
}

export function caregivers(spec: ScaleSpec): ScaleCaregiver[] {
  return Array.from({ length: sizes(spec).caregivers }, (_, i) => ({
    id: uuidAt(spec.seed, 'caregiver', i),
    servicePointId: uuidAt(spec.seed, 'servicePoint', i),
    name: `护理员${i + 1}`,
    gender: u(spec, 'caregiver', i, 1) < 0.8 ? 'female' : 'male',
    active: true,
  }));
}

// ── big tables, one row from its index ───────────────────────────────────────────────────────────────────
const BIRTH_FROM = Date.UTC(1926, 0, 1);
const BIRTH_DAYS = Math.round((Date.UTC(1959, 11, 31) - BIRTH_FROM) / 86_400_000) + 1;

/** 00:00 county time on the 1st of the spec's month. */
function monthStart(spec: ScaleSpec): number {
  return countyMonthStart(spec.month).getTime();
}
function daysIn(spec: ScaleSpec): number {
  return daysInMonth(spec.month);
}

export function bedAt(spec: ScaleSpec, i: number): ScaleBed {
  const f = Math.floor(i / BEDS_PER_FACILITY);
  const k = i % BEDS_PER_FACILITY;
  const stays = sizes(spec).stays;
  return {
    id: uuidAt(spec.seed, 'bed', i),
    facilityId: uuidAt(spec.seed, 'facility', f),
    room: String(100 + Math.floor(k / 4)),
    label: String((k % 4) + 1),
    type: k < BEDS_PER_FACILITY * spec.nursingShare ? 'nursing' : 'ordinary',
    // stays fill beds by a stride so that occupied beds spread over facilities; 1 % of the rest is closed
    status: occupiedBed(spec, i, stays) ? 'occupied' : u(spec, 'bed', i, 1) < 0.01 ? 'closed' : 'vacant',
  };
}

/** Stay j occupies bed (j × stride) mod beds — a bijection when stride and beds are coprime. */
function strideOf(beds: number): number {
  let s = 7919;
  while (gcd(s, beds) !== 1) s += 2;
  return s;
}
function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
const strides = new Map<number, { stride: number; inverse: number }>();
function strideFor(beds: number): { stride: number; inverse: number } {
  let s = strides.get(beds);
  if (!s) {
    const stride = strideOf(beds);
    s = { stride, inverse: modInverse(stride, beds) };
    strides.set(beds, s);
  }
  return s;
}
function bedOfStay(spec: ScaleSpec, j: number): number {
  return (j * strideFor(spec.beds).stride) % spec.beds;
}
function occupiedBed(spec: ScaleSpec, bed: number, stays: number): boolean {
  // inverse of bedOfStay: j = bed × stride⁻¹ mod beds (products stay below 2⁵³ for beds < 10⁷)
  const j = (bed * strideFor(spec.beds).inverse) % spec.beds;
  return j < stays;
}
function modInverse(a: number, m: number): number {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}

/** Whether eligible elder i lives outside every service circle. */
export function isOutside(spec: ScaleSpec, i: number): boolean {
  return i < spec.eligibleElders && u(spec, 'geo', i, 1) < spec.outsideCircleShare;
}

export function residentAt(spec: ScaleSpec, i: number): ScaleResident {
  const sz = sizes(spec);
  const atHome = i < spec.eligibleElders;
  const day = i % BIRTH_DAYS;
  const male = u(spec, 'person', i, 1) < 0.5;
  const seq = (Math.floor(i / BIRTH_DAYS) % 500) * 2 + (male ? 1 : 0);
  const birth = new Date(BIRTH_FROM + day * DAY_MS).toISOString().slice(0, 10);
  let regionCode: string;
  let position: { lat: number; lng: number };
  if (atHome) {
    const p = Math.floor(i / spec.eldersPerServicePoint) % sz.servicePoints;
    const point = servicePointAt(spec, p);
    const region = townshipOf(spec, p);
    regionCode = point.regionCode;
    const km = ELDER_KM[region.kind];
    position = isOutside(spec, i)
      ? remoteSpot(spec, region)
      : offset(point, 0.2 + (km - 0.2) * Math.sqrt(u(spec, 'geo', i, 3)), u(spec, 'geo', i, 2) * 2 * Math.PI);
  } else {
    const stay = i - spec.eligibleElders;
    const f = Math.floor(bedOfStay(spec, stay) / BEDS_PER_FACILITY);
    const fac = facilityAt(spec, f);
    regionCode = fac.regionCode;
    position = { lat: fac.lat, lng: fac.lng };
  }
  const county = regionCode.slice(0, 6);
  const body = idNumberBody(county, birth, seq);
  return {
    id: uuidAt(spec.seed, 'resident', i),
    name: `模拟老人${i + 1}`,
    idNumber: body + idNumberCheckCharacter(body),
    gender: male ? 'male' : 'female',
    birthDate: birth,
    regionCode,
    livingArrangement: atHome ? 'home' : 'institution',
    categories: u(spec, 'category', i, 1) < 0.3 ? ['destitute'] : ['economic_hardship'],
    ...position,
  };
}

function servicePointAt(spec: ScaleSpec, p: number): ScaleServicePoint {
  const region = townshipOf(spec, p);
  return {
    id: uuidAt(spec.seed, 'servicePoint', p),
    name: `模拟服务网点${p + 1}`,
    regionCode: region.code,
    ...offset(
      region,
      POINT_KM[region.kind] * Math.sqrt(u(spec, 'servicePoint', p, 1)),
      u(spec, 'servicePoint', p, 2) * 2 * Math.PI,
    ),
  };
}

function facilityAt(spec: ScaleSpec, f: number): ScaleFacility {
  const region = townshipOf(spec, f);
  const type = f % 10 === 0 ? 'welfare_institute' : f % 10 < 4 ? 'service_center' : 'nursing_home';
  return {
    id: uuidAt(spec.seed, 'facility', f),
    name: `模拟机构${f + 1}`,
    type,
    regionCode: region.code,
    ...offset(region, 1 + u(spec, 'facility', f, 1), u(spec, 'facility', f, 2) * 2 * Math.PI),
    comprehensive: type !== 'nursing_home',
  };
}

/** Township t of county c without building the whole tree. */
function regionAt(spec: ScaleSpec, c: number, t: number): ScaleRegion {
  const g = grid(spec);
  const code = countyCode(c);
  return {
    code: `${code}${String(100 + t).padStart(3, '0')}`,
    name: `模拟县${c + 1}第${t + 1}镇`,
    kind: t === 0 ? 'urban' : 'rural',
    level: 'township',
    parentCode: code,
    lat: round6(g.lat0(c) + ((Math.floor(t / g.tside) + 0.5) * g.cellLat) / g.tside),
    lng: round6(g.lng0(c) + (((t % g.tside) + 0.5) * g.cellLng) / g.tside),
  };
}

/** The corner of a township's sub-cell: ≥ 15 km from every service point (all within 8 km of their township). */
function remoteSpot(spec: ScaleSpec, region: ScaleRegion): { lat: number; lng: number } {
  const g = grid(spec);
  return { lat: round6(region.lat + g.cellLat / g.tside / 2), lng: round6(region.lng + g.cellLng / g.tside / 2) };
}

const townshipOf = (spec: ScaleSpec, index: number): ScaleRegion => {
  const tIndex = index % (spec.counties * spec.townshipsPerCounty);
  return regionAt(spec, Math.floor(tIndex / spec.townshipsPerCounty), tIndex % spec.townshipsPerCounty);
};

export function stayAt(spec: ScaleSpec, j: number): ScaleStay {
  const bed = bedOfStay(spec, j);
  return {
    id: uuidAt(spec.seed, 'stay', j),
    residentId: uuidAt(spec.seed, 'resident', spec.eligibleElders + j),
    facilityId: uuidAt(spec.seed, 'facility', Math.floor(bed / BEDS_PER_FACILITY)),
    bedId: uuidAt(spec.seed, 'bed', bed),
    admittedAt: new Date(monthStart(spec) - (30 + Math.floor(u(spec, 'stay', j, 1) * 2000)) * DAY_MS),
  };
}

/**
 * Assessment k belongs to resident k' where the residents without one are skipped: resident r has one unless
 * u(r) falls in the "never assessed" band. To stay index-addressable, assessments are numbered by resident
 * (id from the resident index) and {@link assessmentForResident} returns null for those never assessed.
 */
export function assessmentForResident(spec: ScaleSpec, r: number): ScaleAssessment | null {
  const x = u(spec, 'assessment', r, 1);
  const valid = x < spec.validAssessmentShare;
  const expired = !valid && x < spec.validAssessmentShare + (1 - spec.validAssessmentShare) / 2;
  if (!valid && !expired) return null;
  const end = monthStart(spec) + daysIn(spec) * DAY_MS;
  const daysBefore = valid
    ? 5 + Math.floor(u(spec, 'assessment', r, 2) * 320)
    : 400 + Math.floor(u(spec, 'assessment', r, 2) * 300);
  const assessedAt = new Date(end - daysBefore * DAY_MS);
  const validUntil = new Date(assessedAt);
  validUntil.setUTCFullYear(validUntil.getUTCFullYear() + 1);
  const total = Math.floor(u(spec, 'assessment', r, 3) * 91);
  const level = total === 90 ? 0 : total >= 66 ? 1 : total >= 46 ? 2 : total >= 30 ? 3 : 4;
  return {
    id: uuidAt(spec.seed, 'assessment', r),
    residentId: uuidAt(spec.seed, 'resident', r),
    assessedAt,
    validUntil,
    total,
    level,
  };
}

const ROTATION = ['home_cleaning', 'personal_hygiene', 'laundry'] as const;

export function visitAt(spec: ScaleSpec, v: number): ScaleVisit {
  const r = Math.floor(v / spec.visitsPerElder);
  const third = v % spec.visitsPerElder;
  const residentId = uuidAt(spec.seed, 'resident', r);
  const slot = (Math.min(third, 2) + 1) as 1 | 2 | 3;
  const p = Math.floor(r / spec.eldersPerServicePoint) % sizes(spec).servicePoints;
  const start = monthStart(spec);
  // 0-based days of the month the third spans
  const firstDay = monthThird(spec.month, slot).firstDay - 1;
  const lastDay = monthThird(spec.month, slot).lastDay - 1;
  const windowStart = new Date(start + firstDay * DAY_MS + 9 * HOUR_MS);
  const windowEnd = new Date(start + lastDay * DAY_MS + 17 * HOUR_MS);
  const services = ['health_check', 'safety_check', ROTATION[(r + third) % 3]];
  if (isOutside(spec, r)) {
    return {
      id: uuidAt(spec.seed, 'visit', v),
      residentId,
      regionCode: townshipOf(spec, p).code,
      slot,
      caregiverId: null,
      status: 'unassigned',
      windowStart,
      windowEnd,
      plannedStart: null,
      plannedEnd: null,
      services,
    };
  }
  const day = firstDay + (r % (lastDay - firstDay + 1));
  const plannedStart = new Date(start + day * DAY_MS + (9 * 60 + (r % 4) * 90) * 60_000);
  return {
    id: uuidAt(spec.seed, 'visit', v),
    residentId,
    regionCode: townshipOf(spec, p).code,
    slot,
    caregiverId: uuidAt(spec.seed, 'caregiver', p),
    status: u(spec, 'visit', v, 1) < spec.completedShare ? 'completed' : 'cancelled',
    windowStart,
    windowEnd,
    plannedStart,
    plannedEnd: new Date(plannedStart.getTime() + (services[2] === 'home_cleaning' ? 90 : 75) * 60_000),
    services,
  };
}

// ── streaming ─────────────────────────────────────────────────────────────────────────────────────────────
export interface StreamedRows {
  beds: ScaleBed;
  residents: ScaleResident;
  stays: ScaleStay;
  assessments: ScaleAssessment;
  visits: ScaleVisit;
}
export type StreamedTable = keyof StreamedRows;

/** Rows are addressed by index: for assessments the index is the resident's (the never-assessed are skipped). */
export function indexCount(spec: ScaleSpec, table: StreamedTable): number {
  const s = sizes(spec);
  return table === 'assessments' ? s.residents : s[table];
}

const ROW_AT: { [T in StreamedTable]: (spec: ScaleSpec, i: number) => StreamedRows[T] | null } = {
  beds: bedAt,
  residents: residentAt,
  stays: stayAt,
  assessments: assessmentForResident,
  visits: visitAt,
};

/** Rows of indexes [from, to): any batch can be produced alone, in any order. */
export function batchAt<T extends StreamedTable>(
  spec: ScaleSpec,
  table: T,
  from: number,
  to: number,
): StreamedRows[T][] {
  const end = Math.min(to, indexCount(spec, table));
  const at = ROW_AT[table];
  const out: StreamedRows[T][] = [];
  for (let i = from; i < end; i++) {
    const row = at(spec, i);
    if (row !== null) out.push(row);
  }
  return out;
}

/** The table in batches of at most `batchSize` rows; only the current batch is in memory. */
export function* rows<T extends StreamedTable>(
  spec: ScaleSpec,
  table: T,
  batchSize = 5000,
): Generator<StreamedRows[T][]> {
  const n = indexCount(spec, table);
  for (let from = 0; from < n; from += batchSize) yield batchAt(spec, table, from, from + batchSize);
}
