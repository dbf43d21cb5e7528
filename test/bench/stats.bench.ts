/**
 * Statistics at province scale: the coverage endpoints on a tenth of the data against the full size.
 *
 *   npm run build:bench && node --expose-gc dist-bench/test/bench/stats.bench.js      (or npm run bench stats)
 *
 * Full: a million eligible elders at home, 100,000 institution beds (83,000 residents in them), 10,000 service
 * points with a caregiver each, three million visits in the month, an assessment for ~95 % of the elders; the
 * tenth is the same province (100 counties × 14 townships) with a tenth of every table. Rows come from the
 * streaming generator of @care/demo (one batch in memory at a time) and go in with multi-row INSERTs.
 *
 * For each size, on a fresh database (or a kept one, see below): the api in this process, then
 * - cold: the first computation of the month's figures — every township from the tables (in process: at full size
 *   on a small machine it can outlast an HTTP client's timeout); they are kept per township;
 * - warm: 30 GETs of coverage and of next-steps while nothing changes — each finds the statistics outbox
 *   (`stats_changes`) empty and reads the kept rows of the townships;
 * - after a change (a new elder admitted to a vacant bed, nine times in townships chosen at random, written as the
 *   owners write: the rows and the elder's marker in the outbox, in one transaction): the next GET reads the
 *   elder's facts, applies the elder's share to the kept counts before it answers, and must show the admission (p50);
 * - busy: 30 GETs while a writer admits and discharges elders all the time (each with the elder's marker, as the stays
 *   of @care/beds write it), in townships across the province: every GET applies what
 *   arrived since the previous one, counting no township again;
 * - the monthly snapshot job's work (every township recomputed), and GET /stats/coverage/history;
 * - GET /stats/facilities (first page of 50).
 * Target: coverage at full size ≤ 1.5 × at a tenth, warm and after a change (and busy, informational). Prints
 * PASS/MISS; BENCH_STRICT=1 makes a miss exit non-zero. Cold and snapshot grow with the data (they read all of it)
 * and are printed for information.
 *
 * Measured (issue 15, statistics outbox), with BENCH_STATS_DIVIDE=10 (tenth/10 = 10,830 residents against full/10 =
 * 108,300; a full-size load takes about an hour) on the shared 2-core machine. At a quiet moment (load ≈ 5):
 * busy full ÷ tenth p50 1.01 (53.4 vs 52.6 ms; 2.89 before the outbox, 140.6 vs 48.7 ms at full size, when every
 * busy GET recounted the townships the writes touched), warm 1.31 (38.8 vs 29.6 ms), after a change 1.29
 * (49.7 vs 38.4 ms): PASS. Under other engineers' load (10–18) the ratios of single runs moved between 1.45 and 2.16
 * (busy), 1.49 and 3.61 (after a change), 3.51 and 4.68 (warm) — with history at 0.74–1.78 and facilities at
 * 6.3–9.1 in the same runs: a warm GET reads the same 1,400 kept rows at both sizes and no source table.
 *
 * Environment: BENCH_DATABASE_URL (server, default mysql://root:@127.0.0.1:3306/), BENCH_REDIS_URL,
 * BENCH_STATS_DIVIDE (divide both sizes, e.g. 10 for a quick run), BENCH_STATS_SIZES (default "tenth,full"),
 * BENCH_KEEP_DB=1 keeps the databases. Loading the full size takes about an hour, so a loaded database can be kept
 * and measured again: BENCH_STATS_LOAD_ONLY=1 loads, keeps and names the databases; BENCH_STATS_REUSE=
 * "full:<database>,tenth:<database>" measures kept ones (pending migrations are run first).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createConnection, createPool, type Pool } from 'mysql2/promise';
import { FieldCipher, deleteKeysWithPrefix, loadConfig, withDatabase, type SqlStatement } from '@care/core';
import { residentFactsAround } from '@care/stats/outbox';
import * as province from './support/province';
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
/** Admissions measured one at a time (the request after each recomputes one township). */
const CHANGES = 9;
// fixed, so that a kept database (BENCH_STATS_REUSE) can be logged into and read again
const ADMIN_PASSWORD = 'bench-stats-admin';
const DATA_KEY = Buffer.from('be'.repeat(32), 'hex');
const BATCH = 4000;
const LOAD_ONLY = env.BENCH_STATS_LOAD_ONLY === '1';
const REUSE = new Map(
  (env.BENCH_STATS_REUSE ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => pair.split(':') as [string, string]),
);

const log = (line: string) => console.log(`[bench:stats] ${line}`);
const ms = (x: number) => `${x.toFixed(1)} ms`;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function insertRows(pool: Pool, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  // the loader runs a few INSERTs at once, and two of them can deadlock on the foreign keys' index locks: one
  // statement in autocommit is rolled back whole, so it is sent again
  for (let attempt = 1; ; attempt++) {
    try {
      await pool.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ?`, [rows]);
      return;
    } catch (error) {
      if ((error as { errno?: number }).errno !== 1213 || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 200));
    }
  }
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
  busy50: number;
  busy95: number;
  busyWrites: number;
  busyStale: number;
  snapshot: number;
  history50: number;
  facilities50: number;
}

function occupiedOf(body: unknown): number {
  const indicators = (body as { indicators: { key: string; numerator: number }[] }).indicators;
  return indicators.find((i) => i.key === 'bed_utilization')?.numerator ?? -1;
}

/**
 * Runs statements in one transaction, as the api's owners write: the change and its statistics outbox row
 * (`stats_changes`) commit together.
 */
async function inTransaction(pool: Pool, statements: (SqlStatement | [string, unknown[]])[]): Promise<void> {
  const c = await pool.getConnection();
  try {
    await c.beginTransaction();
    for (const s of statements) {
      const [sql, params] = Array.isArray(s) ? s : [s.sql, [...s.params]];
      await c.query(sql, params);
    }
    await c.commit();
  } catch (error) {
    await c.rollback();
    throw error;
  } finally {
    c.release();
  }
}

/** How often the busy writer admits or discharges (the same rate at both sizes). */
const BUSY_WRITE_INTERVAL_MS = 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `read` WARM_RUNS times while a writer admits elders living at home to vacant beds and discharges them
 * again (one write every BUSY_WRITE_INTERVAL_MS, beds and elders spread over the province), as plain SQL: every
 * read finds the townships changed since the previous one and recomputes them. The stays start now, as the api's
 * would: back-dated into the measured month, one bed's repeated stays would overlap (the api refuses that).
 */
async function whileBusy(
  url: string,
  read: () => Promise<{ ms: number; body: unknown }>,
): Promise<{ times: number[]; writes: number; stale: number }> {
  const db = createPool({ uri: url, connectionLimit: 2, timezone: 'Z' });
  const [beds] = (await db.query(
    `SELECT b.id, b.facility_id FROM beds b WHERE b.status = 'vacant' ORDER BY RAND() LIMIT 40`,
  )) as unknown as [{ id: string; facility_id: string }[]];
  const elders: string[] = [];
  for (let i = 0; i < beds.length; i++) {
    const [[row]] = (await db.query(
      `SELECT id FROM residents WHERE living_arrangement = 'home' AND id > ? ORDER BY id LIMIT 1`,
      [randomUUID()],
    )) as unknown as [{ id: string }[]];
    if (row && !elders.includes(row.id)) elders.push(row.id);
  }
  let running = true;
  let writes = 0;
  const writer = (async () => {
    for (let i = 0; running; i++) {
      const bed = beds[i % beds.length];
      const elder = elders[i % elders.length];
      const stayId = randomUUID();
      const admitted = residentFactsAround('stays', elder);
      await inTransaction(db, [
        ...admitted.before,
        [
          `INSERT INTO stays (id, resident_id, facility_id, bed_id, status, admitted_at) VALUES (?, ?, ?, ?, 'active', ?)`,
          [stayId, elder, bed.facility_id, bed.id, new Date()],
        ],
        [`UPDATE beds SET status = 'occupied' WHERE id = ?`, [bed.id]],
        [`UPDATE residents SET living_arrangement = 'institution' WHERE id = ?`, [elder]],
        admitted.after,
      ]);
      writes++;
      await sleep(BUSY_WRITE_INTERVAL_MS);
      const discharged = residentFactsAround('stays', elder);
      await inTransaction(db, [
        ...discharged.before,
        [
          `UPDATE stays SET status = 'discharged', discharged_at = NOW(3), discharge_reason = 'other' WHERE id = ?`,
          [stayId],
        ],
        [`UPDATE beds SET status = 'vacant' WHERE id = ?`, [bed.id]],
        [`UPDATE residents SET living_arrangement = 'home' WHERE id = ?`, [elder]],
        discharged.after,
      ]);
      writes++;
      await sleep(BUSY_WRITE_INTERVAL_MS);
    }
  })();
  const times: number[] = [];
  let stale = 0;
  try {
    await sleep(2000); // the writer under way
    for (let i = 0; i < WARM_RUNS; i++) {
      const r = await read();
      times.push(r.ms);
      if ((r.body as { stale?: boolean }).stale) stale++;
    }
  } finally {
    running = false;
    await writer;
    await db.end();
  }
  return { times, writes, stale };
}

async function measure(size: 'tenth' | 'full'): Promise<Figures | null> {
  const base = province.SCALES[size];
  const month = previousMonth(countyMonth(new Date()));
  const spec =
    DIVIDE > 1 ? { ...province.scaledDown(base, DIVIDE), name: `${size}/${DIVIDE}`, month } : { ...base, month };
  const reused = REUSE.get(size);
  const name = reused ?? `care_bench_stats_${size}_${randomBytes(3).toString('hex')}`;
  const url = withDatabase(SERVER_URL, name);
  const queuePrefix = `{bench-stats-${randomBytes(3).toString('hex')}}`;
  const keep = env.BENCH_KEEP_DB === '1' || LOAD_ONLY || reused !== undefined;
  if (!reused) {
    const admin = await createConnection({ uri: SERVER_URL });
    await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
  }
  try {
    await migrate(url, () => undefined);
    if (!reused) {
      const pool = createPool({ uri: url, connectionLimit: 4, timezone: 'Z' });
      // bulk load: every connection of the pool skips the foreign-key and unique checks (the generator keeps them)
      pool.pool.on('connection', (c) => {
        c.query('SET SESSION foreign_key_checks = 0, unique_checks = 0');
      });
      await load(pool, spec);
      await pool.end();
    }
    const db0 = await createConnection({ uri: url });
    // kept figures of an earlier run would make the first computation a warm one
    await db0.query('DELETE FROM stats_coverage_snapshots');
    await db0.query('DELETE FROM stats_coverage_months');
    await db0.query('DELETE FROM stats_changes');
    await db0.end();
    if (LOAD_ONLY) {
      log(`${spec.name}: kept as ${name} (BENCH_STATS_REUSE=${size}:${name})`);
      return null;
    }

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
      // a few unmeasured requests first: the first size runs in a fresh process (JIT, connection pool)
      for (let i = 0; i < 5; i++) await get(path);
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
    // changes one at a time: a new elder admitted to a vacant bed of a facility chosen at random → the next
    // request recomputes that township and must show the admission
    const db = createPool({ uri: url, connectionLimit: 1, timezone: 'Z' });
    const [beds] = (await db.query(
      `SELECT MIN(id) AS id, facility_id FROM beds WHERE status = 'vacant' GROUP BY facility_id ORDER BY RAND() LIMIT ?`,
      [CHANGES],
    )) as unknown as [{ id: string; facility_id: string }[]];
    const afterChanges: number[] = [];
    let occupied = occupiedBefore;
    for (const bed of beds) {
      const residentId = randomUUID();
      await inTransaction(db, [
        [
          `INSERT INTO residents (id, name, id_number_cipher, id_number_hash, id_number_masked, gender, birth_date, region_code, living_arrangement)
           SELECT ?, '新入住', 'x', ?, '690000***********0', 'male', '1940-01-01', region_code, 'institution' FROM facilities WHERE id = ?`,
          [residentId, randomBytes(32).toString('hex'), bed.facility_id],
        ],
        [
          `INSERT INTO stays (id, resident_id, facility_id, bed_id, status, admitted_at) VALUES (?, ?, ?, ?, 'active', ?)`,
          [randomUUID(), residentId, bed.facility_id, bed.id, new Date(Date.now() - 86_400_000 * 40)],
        ],
        [`UPDATE beds SET status = 'occupied' WHERE id = ?`, [bed.id]],
        residentFactsAround('stays', residentId).after,
      ]);
      const next = await call(coverage);
      afterChanges.push(next.ms);
      occupied += 1;
      if ((next.body as { stale?: boolean }).stale || occupiedOf(next.body) !== occupied)
        throw new Error(`the figures after an admission miss it: ${occupiedOf(next.body)} vs ${occupied}`);
    }
    await db.end();
    const afterChange = percentile(afterChanges, 50);
    const busy = await whileBusy(url, () => call(coverage));
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
      busy50: percentile(busy.times, 50),
      busy95: percentile(busy.times, 95),
      busyWrites: busy.writes,
      busyStale: busy.stale,
      snapshot,
      history50: percentile(history, 50),
      facilities50: percentile(facilities, 50),
    };
  } finally {
    if (!keep) {
      const c = await createConnection({ uri: SERVER_URL });
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    }
    await deleteKeysWithPrefix(REDIS_URL, queuePrefix);
  }
}

async function main(): Promise<void> {
  const results: Figures[] = [];
  for (const size of SIZES) {
    const f = await measure(size);
    if (!f) continue;
    results.push(f);
    log(
      `${f.size}: cold ${ms(f.cold)}, warm p50 ${ms(f.warm50)} p95 ${ms(f.warm95)}, next-steps p50 ${ms(f.nextSteps50)}, ` +
        `after a change p50 ${ms(f.afterChange)}, busy p50 ${ms(f.busy50)} p95 ${ms(f.busy95)} (${f.busyWrites} admissions and discharges, ${f.busyStale} stale answers), snapshot ${ms(f.snapshot)}, history p50 ${ms(f.history50)}, facilities p50 ${ms(f.facilities50)}`,
    );
  }
  const tenth = results.find((r) => r.size.startsWith('tenth'));
  const full = results.find((r) => r.size.startsWith('full'));
  if (!tenth || !full) return;
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  const warmRatio = full.warm50 / tenth.warm50;
  const changeRatio = full.afterChange / tenth.afterChange;
  log(
    `full ÷ tenth: coverage warm p50 ${ratio(full.warm50, tenth.warm50)}, after a change ${ratio(full.afterChange, tenth.afterChange)}, next-steps ${ratio(full.nextSteps50, tenth.nextSteps50)}, history ${ratio(full.history50, tenth.history50)}, facilities ${ratio(full.facilities50, tenth.facilities50)}`,
  );
  log(
    `full ÷ tenth (informational): busy p50 ${ratio(full.busy50, tenth.busy50)} (each due township holds 10 × the rows at full size), cold ${ratio(full.cold, tenth.cold)}, snapshot ${ratio(full.snapshot, tenth.snapshot)} (these read all the data)`,
  );
  const pass = warmRatio <= 1.5 && changeRatio <= 1.5;
  log(
    `target coverage full ≤ 1.5 × tenth, warm p50 and after a change: ${pass ? 'PASS' : 'MISS'} (${warmRatio.toFixed(2)}, ${changeRatio.toFixed(2)})`,
  );
  if (!pass && env.BENCH_STRICT === '1') process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
