/**
 * Admissions benchmark: the api over HTTP against the same SQL transaction run directly through mysql2.
 *
 *   npm run build:bench && node dist-bench/test/bench/admissions.bench.js      (or npm run bench)
 *
 * One run, one fresh database (dropped afterwards), both phases in the same run so the ratios compare like with like:
 * - raw:  BENCH_CONCURRENCY mysql2 connections, each running the admission transaction by hand — lock the bed, lock
 *         the resident, check the active stays, insert the stay and its bed period, mark the bed occupied, set the
 *         resident's living arrangement and link it to the facility (the statements StaysService.admit runs itself);
 * - raw/N: the same with N connections, N being the api's own pool size (for reference: pool size vs. path cost);
 * - api:  the built api (`dist/apps/api/src/main.js`) in its own process, BENCH_CONCURRENCY HTTP clients with
 *         keep-alive posting `POST /facilities/:id/admissions` as a facility manager: HTTP, auth (token + user
 *         look-up), validation, the transaction above plus what the api adds around it (the isolation level per
 *         transaction, the admission policy's assessment look-up and waitlist update).
 * It also prints the CPU each process spent per admission (Linux /proc), which stays meaningful on a busy machine.
 * Every admission takes a distinct bed and resident, so every request should succeed: this measures the cost of the
 * path, not contention (the race tests cover contention). Each phase has a warm-up and then runs for BENCH_SECONDS.
 *
 * - reads: the cost of auditing reads of personal data. A second api process started with AUDIT_READS=off serves the
 *         same database; BENCH_CONCURRENCY clients read `GET /residents?limit=BENCH_READ_LIMIT` as admin from it and
 *         from the main api (read auditing on), alternating off, on, off, on, BENCH_READ_SECONDS each after a warm-up.
 *         BENCH_READS=0 skips it.
 *
 * Targets: api throughput ≥ 50 % of raw, api p99 ≤ 2 × raw p99, api RSS < 256 MB; with read auditing, GET /residents
 * throughput ≥ 90 % and p50 ≤ 1.1 × of the same reads without it. Prints PASS/MISS per target;
 * with BENCH_STRICT=1 a miss exits non-zero.
 *
 * Environment: BENCH_DATABASE_URL (server, default mysql://root:@127.0.0.1:3306/), BENCH_REDIS_URL
 * (default redis://127.0.0.1:6379/0), BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (1), BENCH_CONCURRENCY (64),
 * BENCH_PAIRS (beds and residents prepared per phase, 20000: raw at ~2,000/s must not run out in 1 + 5 s), BENCH_KEEP_DB=1 keeps the database, BENCH_READS (1),
 * BENCH_READ_SECONDS (BENCH_SECONDS), BENCH_READ_LIMIT (50).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { createConnection, createPool, type Pool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import { FieldCipher, dataSourceOptions, databaseNodeUrls, deleteKeysWithPrefix, withDatabase } from '@care/core';
import { idNumberCheckCharacter, maskIdNumber } from '@care/residents';
import { migrate } from '../../apps/api/src/cli/migrate';
import { freePort } from '../support/free-port';
import { productionEnv, productionStart } from './support/production-start';

const env = process.env;
const SERVER_URL = env.BENCH_DATABASE_URL ?? 'mysql://root:@127.0.0.1:3306/';
const REDIS_URL = env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const SECONDS = Number(env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 1);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 64);
const PAIRS = Number(env.BENCH_PAIRS ?? 20000);
const READS = env.BENCH_READS !== '0';
const READ_SECONDS = Number(env.BENCH_READ_SECONDS ?? SECONDS);
const READ_LIMIT = Number(env.BENCH_READ_LIMIT ?? 50);
const TOWNSHIP = '620422100';
const ADMIN_PASSWORD = `bench-${randomBytes(6).toString('hex')}`;
const DATA_KEY = randomBytes(32);

interface Pair {
  bedId: string;
  residentId: string;
}

interface PhaseResult {
  name: string;
  ok: number;
  failed: number;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  failures: Record<string, number>;
}

const log = (line: string) => console.log(`[bench] ${line}`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs `worker` on CONCURRENCY loops until the deadline or the pairs run out; latencies in ms. */
async function runPhase<T>(
  name: string,
  pairs: T[],
  seconds: number,
  once: (pair: T) => Promise<string | null>,
): Promise<PhaseResult> {
  let next = 0;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline && next < pairs.length) {
      const pair = pairs[next++];
      const t0 = performance.now();
      const failure = await once(pair).catch((error: Error) => `error ${error.message}`);
      const elapsed = performance.now() - t0;
      if (failure === null) latencies.push(elapsed);
      else failures[failure] = (failures[failure] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const failed = Object.values(failures).reduce((a, b) => a + b, 0);
  return {
    name,
    ok: latencies.length,
    failed,
    seconds: wall,
    throughput: latencies.length / wall,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    failures,
  };
}

// ---- database set-up -------------------------------------------------------------------------------------------

async function createDatabase(): Promise<{ name: string; url: string }> {
  const name = `care_bench_${randomBytes(4).toString('hex')}`;
  const c = await createConnection({ uri: databaseNodeUrls(SERVER_URL)[0] });
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  return { name, url: withDatabase(SERVER_URL, name) };
}

async function dropDatabase(name: string): Promise<void> {
  if (!name.startsWith('care_bench_')) throw new Error(`refusing to drop ${name}`);
  const c = await createConnection({ uri: databaseNodeUrls(SERVER_URL)[0] });
  await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await c.end();
}

/** n nursing beds (rooms of 6, the JGJ 450 maximum) and n residents at home, written in bulk. */
async function preparePairs(
  pool: Pool,
  facilityId: string,
  prefix: string,
  n: number,
  offset: number,
): Promise<Pair[]> {
  const cipher = new FieldCipher(DATA_KEY);
  const pairs: Pair[] = [];
  const base = Date.UTC(1930, 0, 1);
  for (let start = 0; start < n; start += 2000) {
    const beds: unknown[][] = [];
    const residents: unknown[][] = [];
    for (let i = start; i < Math.min(n, start + 2000); i++) {
      const bedId = randomUUID();
      const residentId = randomUUID();
      const k = offset + i;
      const birth = new Date(base + (k % 10000) * 86400_000).toISOString().slice(0, 10);
      const seq = Math.floor(k / 10000) % 1000;
      const body = `620422${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
      const idNumber = body + idNumberCheckCharacter(body);
      beds.push([bedId, facilityId, `${prefix}${Math.floor(i / 6)}`, String(i % 6), 'nursing', 'vacant']);
      residents.push([
        residentId,
        `老人${k}`,
        cipher.encrypt(idNumber),
        cipher.lookupHash(idNumber),
        maskIdNumber(idNumber),
        seq % 2 === 1 ? 'male' : 'female',
        birth,
        TOWNSHIP,
        'home',
      ]);
      pairs.push({ bedId, residentId });
    }
    await pool.query('INSERT INTO beds (id, facility_id, room, label, type, status) VALUES ?', [beds]);
    await pool.query(
      `INSERT INTO residents (id, name, id_number_cipher, id_number_hash, id_number_masked, gender, birth_date, region_code, living_arrangement)
       VALUES ?`,
      [residents],
    );
    // registered at the facility: its manager reaches them by id (an elder from elsewhere needs the full ID number)
    await pool.query('INSERT INTO resident_facility_links (resident_id, facility_id, reason) VALUES ?', [
      residents.map((r) => [r[0], facilityId, 'registered']),
    ]);
  }
  return pairs;
}

// ---- raw phase -------------------------------------------------------------------------------------------------

async function rawAdmission(pool: Pool, facilityId: string, userId: string, pair: Pair): Promise<string | null> {
  const conn: PoolConnection = await pool.getConnection();
  try {
    await conn.query('START TRANSACTION');
    const [beds] = await conn.query<RowDataPacket[]>(
      'SELECT id, facility_id, status, gender, reserved_for_resident_id, reserved_until FROM beds WHERE id = ? AND facility_id = ? FOR UPDATE',
      [pair.bedId, facilityId],
    );
    const [residents] = await conn.query<RowDataPacket[]>(
      'SELECT id, gender, living_arrangement FROM residents WHERE id = ? FOR UPDATE',
      [pair.residentId],
    );
    // the api checks that the manager sees the resident (linked to its facility); the raw path does the same read
    await conn.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM resident_facility_links WHERE resident_id = ? AND facility_id IN (?)',
      [pair.residentId, facilityId],
    );
    const [active] = await conn.query<RowDataPacket[]>(
      `SELECT id, bed_id, resident_id FROM stays WHERE bed_id = ? AND active_marker = 1
       UNION ALL SELECT id, bed_id, resident_id FROM stays WHERE resident_id = ? AND active_marker = 1`,
      [pair.bedId, pair.residentId],
    );
    const bed = beds[0];
    const resident = residents[0];
    if (!bed || !resident || bed.status !== 'vacant' || active.length > 0) {
      await conn.query('ROLLBACK');
      return 'conflict';
    }
    const now = new Date();
    const stayId = randomUUID();
    await conn.query(
      `INSERT INTO stays (id, resident_id, facility_id, bed_id, status, admitted_at, override_reason, created_by) VALUES (?, ?, ?, ?, 'active', ?, ?, ?)`,
      [stayId, pair.residentId, facilityId, pair.bedId, now, null, userId],
    );
    await conn.query(
      'INSERT INTO bed_occupancies (id, stay_id, bed_id, resident_id, facility_id, started_at) VALUES (?, ?, ?, ?, ?, ?)',
      [randomUUID(), stayId, pair.bedId, pair.residentId, facilityId, now],
    );
    await conn.query(
      `UPDATE beds SET status = 'occupied', reserved_for_resident_id = NULL, reserved_until = NULL WHERE id = ?`,
      [pair.bedId],
    );
    if (resident.living_arrangement !== 'institution') {
      await conn.query('UPDATE residents SET living_arrangement = ? WHERE id = ?', ['institution', pair.residentId]);
    }
    await conn.query(
      'INSERT INTO resident_facility_links (resident_id, facility_id, reason) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE reason = reason',
      [pair.residentId, facilityId, 'placed'],
    );
    await conn.query('COMMIT');
    return null;
  } catch (error) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    conn.release();
  }
}

// ---- api phase -------------------------------------------------------------------------------------------------

function post(
  agent: http.Agent,
  port: number,
  path: string,
  token: string | null,
  body: unknown,
): Promise<{ status: number; body: string }> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(data),
    };
    if (token) headers.authorization = `Bearer ${token}`;
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

function get(agent: http.Agent, port: number, path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'GET', agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function startApi(
  databaseUrl: string,
  queuePrefix: string,
  extraEnv: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number }> {
  const main = join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} not found: run npm run build first`);
  const port = await freePort();
  // as `npm run start:api` (and so the Dockerfile and the demo) runs it: its node flags and environment defaults;
  // BENCH_API_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the api (after start:api's flags)
  const production = productionStart('api');
  const nodeArgs = [...production.nodeArgs, ...(env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...nodeArgs, main], {
    env: {
      PATH: env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      ADMIN_PASSWORD,
      JWT_SECRET: randomBytes(32).toString('hex'),
      DATA_ENCRYPTION_KEY: DATA_KEY.toString('hex'),
      // production's level (a request line per request), as users run it; BENCH_API_LOG_LEVEL=warn to leave it out
      LOG_LEVEL: env.BENCH_API_LOG_LEVEL ?? 'info',
      // as `npm run start:api` (and so the Dockerfile and the demo) runs it: its environment and node flags
      ...productionEnv(production),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => {
    output = (output + c.toString()).slice(-20_000);
    if (env.BENCH_API_OUTPUT) process.stderr.write(c);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const agent = new http.Agent({ keepAlive: false });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`api exited with ${child.exitCode}:\n${output.slice(-2000)}`);
    const ok = await post(agent, port, '/api/v1/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { child, port };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`api did not answer within 30 s:\n${output.slice(-2000)}`);
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: NaN, peakMb: NaN };
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

/**
 * The database server's pid when it runs on this machine (for its CPU share), else undefined: the one the bench
 * talks to (its pid file), not the first mariadbd found — another may run beside it (a test cluster).
 */
async function databasePid(pool: Pool): Promise<number | undefined> {
  try {
    const [rows] = await pool.query<RowDataPacket[]>('SELECT @@pid_file AS f');
    const pid = Number(readFileSync(String(rows[0].f), 'utf8').trim());
    const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    if (comm === 'mariadbd' || comm === 'mysqld') return pid;
  } catch {
    // a server elsewhere, or its pid file out of reach: the first one found below
  }
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'mariadbd' || comm === 'mysqld') return Number(entry);
    }
  } catch {
    // not Linux, or no access
  }
  return undefined;
}

async function stopApi(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// ---- main ------------------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function printPhase(r: PhaseResult): void {
  log(
    `${r.name.padEnd(7)} ${String(r.ok).padStart(6)} ok ${String(r.failed).padStart(4)} failed in ${fmt(r.seconds, 2)} s → ` +
      `${fmt(r.throughput, 0).padStart(6)} admissions/s   p50 ${fmt(r.p50, 2)} ms  p95 ${fmt(r.p95, 2)} ms  p99 ${fmt(r.p99, 2)} ms  max ${fmt(r.max, 2)} ms`,
  );
  if (r.failed) log(`${r.name} failures: ${JSON.stringify(r.failures)}`);
}

async function main(): Promise<void> {
  const db = await createDatabase();
  const queuePrefix = `{bench-${randomBytes(4).toString('hex')}}`;
  let api: { child: ChildProcess; port: number } | null = null;
  let apiNoReadAudit: { child: ChildProcess; port: number } | null = null;
  let pool: Pool | null = null;
  let smallPool: Pool | null = null;
  try {
    log(`database ${db.name}; ${CONCURRENCY} concurrent clients; ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per phase`);
    await migrate(db.url, () => undefined);
    api = await startApi(db.url, queuePrefix);
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

    const admin = JSON.parse(
      (await post(agent, api.port, '/api/v1/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).body,
    ) as {
      accessToken: string;
    };
    const facilityRes = await post(agent, api.port, '/api/v1/facilities', admin.accessToken, {
      name: '基准测试福利院',
      type: 'welfare_institute',
      regionCode: TOWNSHIP,
      lat: 35.69,
      lng: 105.05,
      ownership: 'public',
      comprehensive: true,
    });
    if (facilityRes.status !== 201) throw new Error(`facility: ${facilityRes.status} ${facilityRes.body}`);
    const facilityId = (JSON.parse(facilityRes.body) as { id: string }).id;
    const managerName = `bench_manager_${randomBytes(3).toString('hex')}`;
    const userRes = await post(agent, api.port, '/api/v1/users', admin.accessToken, {
      username: managerName,
      password: 'password-123',
      role: 'manager',
      facilityIds: [facilityId],
    });
    if (userRes.status !== 201) throw new Error(`manager: ${userRes.status} ${userRes.body}`);
    const managerId = (JSON.parse(userRes.body) as { id: string }).id;
    const manager = (
      JSON.parse(
        (await post(agent, api.port, '/api/v1/auth/login', null, { username: managerName, password: 'password-123' }))
          .body,
      ) as {
        accessToken: string;
      }
    ).accessToken;

    const makePool = (size: number) => {
      const p = createPool({
        uri: databaseNodeUrls(db.url)[0],
        connectionLimit: size,
        timezone: 'Z',
        charset: 'utf8mb4_unicode_ci',
        supportBigNumbers: true,
      });
      // the isolation level the api's transactions use, set once per connection
      p.on('connection', (c) => void c.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'));
      return p;
    };
    const rawPool = makePool(CONCURRENCY);
    pool = rawPool;
    // the api's own pool size, for the informational "raw at the api's pool size" phase
    const apiPoolSize =
      (dataSourceOptions({ databaseUrl: db.url }) as { extra?: { connectionLimit?: number } }).extra?.connectionLimit ??
      10;
    const rawSmallPool = makePool(apiPoolSize);
    smallPool = rawSmallPool;
    const t0 = performance.now();
    const rawPairs = await preparePairs(rawPool, facilityId, 'RAW', PAIRS, 0);
    const smallPairs = await preparePairs(rawPool, facilityId, 'RSP', PAIRS, PAIRS);
    const apiPairs = await preparePairs(rawPool, facilityId, 'API', PAIRS, 2 * PAIRS);
    log(`prepared ${3 * PAIRS} beds and residents in ${fmt((performance.now() - t0) / 1000, 1)} s`);

    const rawOnce = (pair: Pair) => rawAdmission(rawPool, facilityId, managerId, pair);
    const rawSmallOnce = (pair: Pair) => rawAdmission(rawSmallPool, facilityId, managerId, pair);
    const port = api.port;
    const path = `/api/v1/facilities/${facilityId}/admissions`;
    const apiOnce = async (pair: Pair) => {
      const res = await post(agent, port, path, manager, { residentId: pair.residentId, bedId: pair.bedId });
      if (res.status === 201) return null;
      const code = (() => {
        try {
          return (JSON.parse(res.body) as { code?: string }).code ?? '';
        } catch {
          return '';
        }
      })();
      return `${res.status} ${code}`.trim();
    };

    // each phase has its warm-up (JIT, connection pools, buffer pool) right before it, not counted;
    // BENCH_ONLY=api|raw runs one side only (profiling); the ratios then make no sense
    const only = env.BENCH_ONLY;
    const warmCount = (n: number) => Math.min(Math.floor(n * 0.15), Math.max(CONCURRENCY * 10, 200));
    // CPU per admission of each process involved (the machine's other load makes wall-clock figures noisy)
    const dbPid = await databasePid(rawPool);
    const cpu: Record<string, { client: number; api: number; db: number }> = {};
    const phase = async (name: string, pairs: Pair[], once: (pair: Pair) => Promise<string | null>, skip: boolean) => {
      await runPhase('warm', pairs.splice(0, warmCount(pairs.length)), skip ? 0 : WARMUP_SECONDS, once);
      const before = { client: process.cpuUsage(), api: cpuSecondsOf(api?.child.pid), db: cpuSecondsOf(dbPid) };
      const result = await runPhase(name, pairs, skip ? 0 : SECONDS, once);
      const client = process.cpuUsage(before.client);
      const per = (seconds: number) => (seconds * 1000) / Math.max(result.ok, 1);
      cpu[name] = {
        client: per((client.user + client.system) / 1e6),
        api: per(cpuSecondsOf(api?.child.pid) - before.api),
        db: per(cpuSecondsOf(dbPid) - before.db),
      };
      return result;
    };
    const raw = await phase('raw', rawPairs, rawOnce, only === 'api');
    const rawSmall = await phase(`raw/${apiPoolSize}`, smallPairs, rawSmallOnce, only === 'api');
    const apiResult = await phase('api', apiPairs, apiOnce, only === 'raw');
    const memory = memoryOf(api.child.pid ?? 0);

    // reads with and without read auditing: two api processes on the same database, alternating
    let reads: { off: PhaseResult[]; on: PhaseResult[]; cpuMsPerRead: { off: number; on: number } } | null = null;
    if (READS) {
      apiNoReadAudit = await startApi(db.url, queuePrefix, { AUDIT_READS: 'off' });
      const readPath = `/api/v1/residents?limit=${READ_LIMIT}`;
      // each process signs its own tokens (startApi gives each a secret of its own)
      const tokenOf = async (target: { port: number }) =>
        (
          JSON.parse(
            (
              await post(agent, target.port, '/api/v1/auth/login', null, {
                username: 'admin',
                password: ADMIN_PASSWORD,
              })
            ).body,
          ) as { accessToken: string }
        ).accessToken;
      const variants = { off: apiNoReadAudit, on: api };
      const tokens = { off: await tokenOf(apiNoReadAudit), on: await tokenOf(api) };
      const reader = (key: 'off' | 'on') => async () => {
        const res = await get(agent, variants[key].port, readPath, tokens[key]);
        return res.status === 200 ? null : `${res.status}`;
      };
      const tickets = (n: number) => new Array<number>(n).fill(0);
      const results: { off: PhaseResult[]; on: PhaseResult[] } = { off: [], on: [] };
      const cpuSpent = { off: 0, on: 0 };
      for (const key of ['off', 'on'] as const)
        await runPhase('warm', tickets(CONCURRENCY * 20), WARMUP_SECONDS, reader(key));
      for (const key of ['off', 'on', 'off', 'on'] as const) {
        const before = cpuSecondsOf(variants[key].child.pid);
        const result = await runPhase(
          `read-${key}`,
          tickets(Math.max(100_000, READ_SECONDS * 20_000)),
          READ_SECONDS,
          reader(key),
        );
        cpuSpent[key] += (cpuSecondsOf(variants[key].child.pid) - before) * 1000;
        results[key].push(result);
      }
      const count = (list: PhaseResult[]) => list.reduce((a, r) => a + r.ok, 0);
      reads = {
        ...results,
        cpuMsPerRead: {
          off: cpuSpent.off / Math.max(count(results.off), 1),
          on: cpuSpent.on / Math.max(count(results.on), 1),
        },
      };
    }

    console.log('');
    printPhase(raw);
    printPhase(rawSmall);
    printPhase(apiResult);
    if (reads) for (const r of [...reads.off, ...reads.on]) printPhase(r);
    for (const [name, c] of Object.entries(cpu)) {
      log(
        `cpu ms per admission ${name.padEnd(7)} bench process ${fmt(c.client, 2)}  api process ${fmt(c.api, 2)}  database server ${fmt(c.db, 2)}`,
      );
    }
    log('(database server CPU counts everything the server did meanwhile, other clients included)');
    log(
      `raw: ${CONCURRENCY} connections; raw/${apiPoolSize}: the same with the api's pool size (${apiPoolSize} connections), for reference`,
    );
    if (raw.ok >= rawPairs.length || apiResult.ok >= apiPairs.length)
      log('note: a phase ran out of prepared pairs; raise BENCH_PAIRS');
    const throughputRatio = apiResult.throughput / raw.throughput;
    const p99Ratio = apiResult.p99 / raw.p99;
    const checks = [
      {
        name: 'throughput api/raw',
        value: `${fmt(throughputRatio * 100, 1)} %`,
        target: '≥ 50 %',
        ok: throughputRatio >= 0.5,
      },
      { name: 'p99 api/raw', value: `${fmt(p99Ratio, 2)} ×`, target: '≤ 2 ×', ok: p99Ratio <= 2 },
      {
        name: 'api RSS (now / peak)',
        value: `${fmt(memory.rssMb, 0)} / ${fmt(memory.peakMb, 0)} MB`,
        target: '< 256 MB',
        ok: memory.peakMb < 256,
      },
      { name: 'api errors', value: String(apiResult.failed), target: '0', ok: apiResult.failed === 0 },
    ];
    if (reads) {
      const mean = (list: PhaseResult[], key: 'throughput' | 'p50' | 'p99') =>
        list.reduce((a, r) => a + r[key], 0) / list.length;
      const readThroughput = mean(reads.on, 'throughput') / mean(reads.off, 'throughput');
      const readP50 = mean(reads.on, 'p50') / mean(reads.off, 'p50');
      log(
        `GET /residents?limit=${READ_LIMIT}: off ${fmt(mean(reads.off, 'throughput'), 0)}/s p50 ${fmt(mean(reads.off, 'p50'), 2)} ms p99 ${fmt(mean(reads.off, 'p99'), 2)} ms; ` +
          `on ${fmt(mean(reads.on, 'throughput'), 0)}/s p50 ${fmt(mean(reads.on, 'p50'), 2)} ms p99 ${fmt(mean(reads.on, 'p99'), 2)} ms; ` +
          `api cpu ms per read off ${fmt(reads.cpuMsPerRead.off, 2)} on ${fmt(reads.cpuMsPerRead.on, 2)}`,
      );
      checks.push(
        {
          name: 'reads audited/not',
          value: `${fmt(readThroughput * 100, 1)} %`,
          target: '≥ 90 %',
          ok: readThroughput >= 0.9,
        },
        { name: 'read p50 audited/not', value: `${fmt(readP50, 2)} ×`, target: '≤ 1.1 ×', ok: readP50 <= 1.1 },
        {
          name: 'read errors',
          value: String([...reads.off, ...reads.on].reduce((a, r) => a + r.failed, 0)),
          target: '0',
          ok: [...reads.off, ...reads.on].every((r) => r.failed === 0),
        },
      );
    }
    log(
      `info  vs raw/${apiPoolSize}: throughput ${fmt((apiResult.throughput / rawSmall.throughput) * 100, 1)} %, p99 ${fmt(apiResult.p99 / rawSmall.p99, 2)} ×`,
    );
    for (const c of checks)
      log(`${c.ok ? 'PASS' : 'MISS'}  ${c.name.padEnd(22)} ${c.value.padStart(14)}   target ${c.target}`);
    console.log(
      JSON.stringify({
        bench: 'admissions',
        concurrency: CONCURRENCY,
        seconds: SECONDS,
        raw,
        rawAtApiPoolSize: rawSmall,
        api: apiResult,
        throughputRatio,
        cpuMsPerAdmission: cpu,
        p99Ratio,
        apiRssMb: memory.rssMb,
        apiPeakRssMb: memory.peakMb,
        reads,
      }),
    );
    if (env.BENCH_STRICT === '1' && checks.some((c) => !c.ok)) process.exitCode = 1;
  } finally {
    await pool?.end().catch(() => undefined);
    await smallPool?.end().catch(() => undefined);
    if (api) await stopApi(api.child);
    if (apiNoReadAudit) await stopApi(apiNoReadAudit.child);
    await deleteKeysWithPrefix(REDIS_URL, queuePrefix).catch(() => undefined);
    if (env.BENCH_KEEP_DB !== '1') await dropDatabase(db.name);
    else log(`kept database ${db.name}`);
  }
}

main().catch((error: unknown) => {
  console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
