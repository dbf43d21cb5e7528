/**
 * Statistics at province scale: the coverage endpoints on a tenth of the data against the full size.
 *
 *   npm run build:server && node --expose-gc dist/test/bench/stats.bench.js      (or npm run bench stats)
 *
 * Full: a million eligible elders at home, 100,000 institution beds (83,000 residents in them), 10,000 service
 * points with a caregiver each, three million visits in the month, an assessment for ~95 % of the elders; the
 * tenth is the same province (100 counties × 14 townships) with a tenth of every table. Rows come from the
 * streaming generator of @care/demo (one batch in memory at a time) and go in with multi-row INSERTs.
 *
 * For each size, on a fresh database: the api in this process, then
 * - cold: the first computation of the month's figures (in process: at full size on a small machine it can outlast
 *   an HTTP client's timeout), every count computed from the tables;
 * - warm: 30 more GETs of coverage and next-steps while nothing changes — served from the aggregate the first
 *   request kept, after a fingerprint look-up (MAX(updated_at) of each source table, an index look-up each);
 * - after one change (an admission of a new elder): the next GET answers at once with the kept figures marked
 *   `stale`, while one refresh runs in the background; then the time until the refreshed figures are served
 *   (and they must show the new admission);
 * - the monthly snapshot job's work, and GET /stats/coverage/history reading the snapshot;
 * - GET /stats/facilities (first page of 50).
 * Target: warm p50 of coverage at full size ≤ 1.5 × at a tenth. Prints PASS/MISS; BENCH_STRICT=1 makes a miss
 * exit non-zero. Cold figures grow with the data (they scan it) and are printed for information.
 *
 * Environment: BENCH_DATABASE_URL (server, default mysql://root:@127.0.0.1:3306/), BENCH_REDIS_URL,
 * BENCH_STATS_DIVIDE (divide both sizes, e.g. 10 for a quick run), BENCH_STATS_SIZES (default "tenth,full"),
 * BENCH_KEEP_DB=1 keeps the databases.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import IORedis from 'ioredis';
import { createConnection, createPool, type Pool } from 'mysql2/promise';
import { FieldCipher, loadConfig, withDatabase } from '@care/core';
import { province } from '@care/demo';
import { maskIdNumber } from '@care/residents';
import { CoverageService, countyMonth, previousMonth } from '@care/stats';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { migrate } from '../../apps/api/src/cli/migrate';

const env = process.env;
const SERVER_URL = env.BENCH_DATABASE_URL ?? 'mysql://root:@127.0.0.1:3306/';
const REDIS_URL = env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const DIVIDE = Number(env.BENCH_STATS_DIVIDE ?? 1);
const SIZES = (env.BENCH_STATS_SIZES ?? 'tenth,full').split(',') as ('tenth' | 'full')[];
const WARM_RUNS = 30;
const ADMIN_PASSWORD = `bench-${randomBytes(6).toString('hex')}`;
const DATA_KEY = randomBytes(32);
const BATCH = 4000;

const log = (line: string) => console.log(`[bench:stats] ${line}`);
const ms = (x: number) => `${x.toFixed(1)} ms`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function insertRows(pool: Pool, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  await pool.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [rows]);
}

/** Writes batches with at most `inFlight` INSERTs running at once (so only that many batches are in memory). */
async function drain<T>(batches: Iterable<T[]>, write: (batch: T[]) => Promise<void>, inFlight = 3): Promise<void> {
  const running = new Set<Promise<void>>();
  for (const batch of batches) {
    const p: Promise<void> = write(batch).then(() => {
      running.delete(p);
    });
    running.add(p);
    if (running.size >= inFlight) await Promise.race(running);
  }
  await Promise.all(running);
}

/** Loads the generated province into the database; a few batches of rows in memory at a time. */
async function load(pool: Pool, spec: province.ScaleSpec): Promise<void> {
  const cipher = new FieldCipher(DATA_KEY);
  const t0 = performance.now();
  await insertRows(
    pool,
    'regions',
    ['code', 'name', 'kind', 'level', 'parent_code', 'lat', 'lng', 'coordinates_generated'],
    province.regions(spec).map((r) => [r.code, r.name, r.kind, r.level, r.parentCode, r.lat, r.lng, 1]),
  );
  for (let i = 0, all = province.facilities(spec); i < all.length; i += BATCH) {
    await insertRows(
      pool,
      'facilities',
      ['id', 'name', 'type', 'region_code', 'lat', 'lng', 'ownership', 'comprehensive'],
      all
        .slice(i, i + BATCH)
        .map((f) => [f.id, f.name, f.type, f.regionCode, f.lat, f.lng, 'public', f.comprehensive ? 1 : 0]),
    );
  }
  await drain(province.rows(spec, 'beds', BATCH), (batch) =>
    insertRows(
      pool,
      'beds',
      ['id', 'facility_id', 'room', 'label', 'type', 'status'],
      batch.map((b) => [b.id, b.facilityId, b.room, b.label, b.type, b.status]),
    ),
  );
  await drain(province.rows(spec, 'residents', BATCH), async (batch) => {
    await insertRows(
      pool,
      'residents',
      [
        'id',
        'name',
        'id_number_cipher',
        'id_number_hash',
        'id_number_masked',
        'gender',
        'birth_date',
        'region_code',
        'living_arrangement',
        'lat',
        'lng',
      ],
      batch.map((r) => [
        r.id,
        r.name,
        cipher.encrypt(r.idNumber),
        cipher.lookupHash(r.idNumber),
        maskIdNumber(r.idNumber),
        r.gender,
        r.birthDate,
        r.regionCode,
        r.livingArrangement,
        r.lat,
        r.lng,
      ]),
    );
    await insertRows(
      pool,
      'resident_categories',
      ['resident_id', 'category'],
      batch.flatMap((r) => r.categories.map((c) => [r.id, c])),
    );
  });
  await drain(province.rows(spec, 'stays', BATCH), async (batch) => {
    await insertRows(
      pool,
      'stays',
      ['id', 'resident_id', 'facility_id', 'bed_id', 'status', 'admitted_at'],
      batch.map((s) => [s.id, s.residentId, s.facilityId, s.bedId, 'active', s.admittedAt]),
    );
    await insertRows(
      pool,
      'bed_occupancies',
      ['id', 'stay_id', 'bed_id', 'resident_id', 'facility_id', 'started_at'],
      batch.map((s) => [randomUUID(), s.id, s.bedId, s.residentId, s.facilityId, s.admittedAt]),
    );
  });
  await drain(province.rows(spec, 'assessments', BATCH), (batch) =>
    insertRows(
      pool,
      'assessments',
      [
        'id',
        'resident_id',
        'standard',
        'assessed_at',
        'reason',
        'assessors',
        'total_score',
        'preliminary_level',
        'level',
        'adjustment_reasons',
        'valid_until',
      ],
      batch.map((a) => [
        a.id,
        a.residentId,
        'GB/T 42195-2022',
        a.assessedAt,
        'periodic',
        '["甲","乙"]',
        a.total,
        a.level,
        a.level,
        '[]',
        a.validUntil,
      ]),
    ),
  );
  const points = province.servicePoints(spec);
  for (let i = 0; i < points.length; i += BATCH) {
    await insertRows(
      pool,
      'service_points',
      ['id', 'name', 'region_code', 'lat', 'lng'],
      points.slice(i, i + BATCH).map((p) => [p.id, p.name, p.regionCode, p.lat, p.lng]),
    );
  }
  const carers = province.caregivers(spec);
  for (let i = 0; i < carers.length; i += BATCH) {
    await insertRows(
      pool,
      'caregivers',
      ['id', 'name', 'phone', 'gender', 'service_point_id', 'shift_start', 'shift_end', 'max_daily_visits', 'active'],
      carers
        .slice(i, i + BATCH)
        .map((c) => [c.id, c.name, '13900000000', c.gender, c.servicePointId, '08:00', '18:00', 12, c.active ? 1 : 0]),
    );
  }
  await drain(province.rows(spec, 'visits', BATCH), (batch) =>
    insertRows(
      pool,
      'care_orders',
      [
        'id',
        'resident_id',
        'region_code',
        'window_start',
        'window_end',
        'duration_minutes',
        'status',
        'caregiver_id',
        'planned_start',
        'planned_end',
        'completed_at',
        'source',
        'visit_plan_month',
        'visit_slot',
        'unassigned_reason',
      ],
      batch.map((v) => [
        v.id,
        v.residentId,
        v.regionCode,
        v.windowStart,
        v.windowEnd,
        90,
        v.status,
        v.caregiverId,
        v.plannedStart,
        v.plannedEnd,
        v.status === 'completed' ? v.plannedEnd : null,
        'visit_plan',
        spec.month,
        v.slot,
        v.status === 'unassigned' ? 'OUT_OF_SERVICE_CIRCLE' : null,
      ]),
    ),
  );
  await pool.query(
    'ANALYZE TABLE beds, stays, residents, resident_categories, assessments, care_orders, service_points, caregivers, facilities',
  );
  const s = province.sizes(spec);
  log(
    `${spec.name}: loaded ${s.residents} residents, ${s.beds} beds, ${s.stays} stays, ${s.visits} visits, ${s.servicePoints} points in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
}

interface Figures {
  size: string;
  elders: number;
  cold: number;
  warm50: number;
  warm95: number;
  nextSteps50: number;
  afterChange: number;
  refresh: number;
  snapshot: number;
  history50: number;
  facilities50: number;
}

function occupiedOf(body: unknown): number {
  const indicators = (body as { indicators: { key: string; numerator: number }[] }).indicators;
  return indicators.find((i) => i.key === 'bed_utilization')?.numerator ?? -1;
}

async function measure(size: 'tenth' | 'full'): Promise<Figures> {
  const base = province.SCALES[size];
  const month = previousMonth(countyMonth(new Date()));
  const spec =
    DIVIDE > 1 ? { ...province.scaledDown(base, DIVIDE), name: `${size}/${DIVIDE}`, month } : { ...base, month };
  const name = `care_bench_stats_${size}_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection({ uri: SERVER_URL });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = withDatabase(SERVER_URL, name);
  const queuePrefix = `{bench-stats-${randomBytes(3).toString('hex')}}`;
  try {
    await migrate(url, () => undefined);
    const pool = createPool({ uri: url, connectionLimit: 4, timezone: 'Z' });
    // bulk load: every connection of the pool skips the foreign-key and unique checks (the generator keeps them)
    pool.pool.on('connection', (c) => {
      c.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
    });
    await load(pool, spec);
    await pool.end();

    const config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: url,
      REDIS_URL,
      ADMIN_PASSWORD,
      QUEUE_PREFIX: queuePrefix,
      DATA_ENCRYPTION_KEY: DATA_KEY.toString('hex'),
      LOG_LEVEL: 'warn',
    });
    const app = await createApiApp(config);
    await app.listen(0, '127.0.0.1');
    const port = (app.getHttpServer().address() as AddressInfo).port;
    const baseUrl = `http://127.0.0.1:${port}/api/v1`;
    const login = await fetch(`${baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const call = async (path: string): Promise<{ ms: number; body: unknown }> => {
      const t0 = performance.now();
      const res = await fetch(`${baseUrl}${path}`, { headers: { Authorization: `Bearer ${accessToken}` } });
      const body: unknown = await res.json();
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
      return { ms: performance.now() - t0, body };
    };
    const get = async (path: string): Promise<number> => (await call(path)).ms;
    const repeat = async (path: string) => {
      const times: number[] = [];
      for (let i = 0; i < WARM_RUNS; i++) times.push(await get(path));
      return times;
    };
    const coverage = `/stats/coverage?month=${month}`;
    // the cold computation in process: at full size on a small machine it outlasts any HTTP client's timeout
    const t00 = performance.now();
    const firstReport = await app.get(CoverageService).coverage({ month });
    const cold = performance.now() - t00;
    const occupiedBefore = occupiedOf(firstReport);
    const warm = await repeat(coverage);
    await get(`/stats/next-steps?month=${month}`); // same aggregate
    const nextSteps = await repeat(`/stats/next-steps?month=${month}`);
    // one change: a new elder admitted to a vacant bed → the next request must recompute
    const db = createPool({ uri: url, connectionLimit: 1, timezone: 'Z' });
    const [[bed]] = (await db.query(`SELECT id, facility_id FROM beds WHERE status = 'vacant' LIMIT 1`)) as unknown as [
      { id: string; facility_id: string }[],
    ];
    const residentId = randomUUID();
    await db.query(
      `INSERT INTO residents (id, name, id_number_cipher, id_number_hash, id_number_masked, gender, birth_date, region_code, living_arrangement)
       SELECT ?, '新入住', 'x', ?, '690000********0000', 'male', '1940-01-01', region_code, 'institution' FROM facilities WHERE id = ?`,
      [residentId, randomBytes(32).toString('hex'), bed.facility_id],
    );
    await db.query(
      `INSERT INTO stays (id, resident_id, facility_id, bed_id, status, admitted_at) VALUES (?, ?, ?, ?, 'active', ?)`,
      [randomUUID(), residentId, bed.facility_id, bed.id, new Date(Date.now() - 86_400_000 * 40)],
    );
    await db.query(`UPDATE beds SET status = 'occupied' WHERE id = ?`, [bed.id]);
    await db.end();
    const next = await call(coverage);
    const afterChange = next.ms;
    const t1 = performance.now();
    let refreshed: unknown = next.body;
    while ((refreshed as { stale?: boolean }).stale) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      refreshed = await app.get(CoverageService).coverage({ month });
    }
    const refresh = performance.now() - t1;
    if (occupiedOf(refreshed) !== occupiedBefore + 1)
      throw new Error(`the refreshed figures miss the admission: ${occupiedOf(refreshed)} vs ${occupiedBefore}`);
    const t0 = performance.now();
    await app.get(CoverageService).snapshot(month);
    const snapshot = performance.now() - t0;
    const history = await repeat(`/stats/coverage/history?from=${previousMonth(month)}&to=${month}`);
    const facilities = await repeat('/stats/facilities?limit=50');
    await app.close();
    return {
      size: spec.name,
      elders: spec.eligibleElders,
      cold,
      warm50: percentile(warm, 50),
      warm95: percentile(warm, 95),
      nextSteps50: percentile(nextSteps, 50),
      afterChange,
      refresh,
      snapshot,
      history50: percentile(history, 50),
      facilities50: percentile(facilities, 50),
    };
  } finally {
    if (env.BENCH_KEEP_DB !== '1') {
      const c = await createConnection({ uri: SERVER_URL });
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    }
    const redis = new IORedis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const results: Figures[] = [];
  for (const size of SIZES) {
    const f = await measure(size);
    results.push(f);
    log(
      `${f.size}: cold ${ms(f.cold)}, warm p50 ${ms(f.warm50)} p95 ${ms(f.warm95)}, next-steps p50 ${ms(f.nextSteps50)}, ` +
        `after a change ${ms(f.afterChange)} (stale) then fresh after ${ms(f.refresh)}, snapshot ${ms(f.snapshot)}, history p50 ${ms(f.history50)}, facilities p50 ${ms(f.facilities50)}`,
    );
  }
  const tenth = results.find((r) => r.size.startsWith('tenth'));
  const full = results.find((r) => r.size.startsWith('full'));
  if (!tenth || !full) return;
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const warmRatio = full.warm50 / tenth.warm50;
  log(
    `full ÷ tenth: coverage warm p50 ${ratio(full.warm50, tenth.warm50)}, next-steps ${ratio(full.nextSteps50, tenth.nextSteps50)}, history ${ratio(full.history50, tenth.history50)}, facilities ${ratio(full.facilities50, tenth.facilities50)}`,
  );
  log(
    `full ÷ tenth (informational, these scan the data): cold ${ratio(full.cold, tenth.cold)}, snapshot ${ratio(full.snapshot, tenth.snapshot)}`,
  );
  const pass = warmRatio <= 1.5;
  log(`target coverage warm p50 full ≤ 1.5 × tenth: ${pass ? 'PASS' : 'MISS'} (${warmRatio.toFixed(2)})`);
  if (!pass && env.BENCH_STRICT === '1') process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
