/**
 * Api benchmark: three hot routes of the built api, each beside the same SQL run directly through mysql2, and a
 * hello-world route of the same HTTP framework, all in one run with BENCH_CONCURRENCY clients (64).
 *
 *   npm run bench api        (builds the benchmarks, then node dist-bench/test/bench/api.bench.js)
 *
 * - POST /care-orders (admin, a fresh Idempotency-Key each): raw = the statements CareOrdersService.create runs —
 *   the key look-up, then in one transaction the key, the order (INSERT … SELECT from the resident at home), its
 *   service and the audit event. The api also enqueues the DispatchOrder job in Redis (no dispatcher runs: "alone").
 * - GET /residents?limit=50 (admin): raw = the page, its count and the page's categories (the api also writes a read
 *   audit event, batched).
 * - GET /stats/coverage (bureau view, the current month, figures kept): raw = the statements of the kept-figures
 *   path (townships, the month's state and rows, the change check), run through the same repositories over mysql2.
 * - hello: GET /hello of a one-route Nest app on the api's adapter (BENCH_HELLO_ADAPTER=express|fastify; by default
 *   the one the built api uses), in its own process: what the framework alone costs at this concurrency.
 * The api and the hello app run in their own processes; the raw client runs here. The api starts as `npm run start:api`
 * starts it in production (its node flags and environment defaults, read from package.json).
 *
 * Targets (issue 14): POST /care-orders ≥ 500/s alone; api RSS < 256 MB after the run (the peak, VmHWM, beside it). Prints PASS/MISS and a JSON
 * summary (last line). BENCH_STRICT=1 exits non-zero on a miss.
 *
 * Each api phase also prints the CPU the api process spent per request (/proc), meaningful on a busy machine.
 *
 * Environment: BENCH_DATABASE_URL (server, default mysql://root:@127.0.0.1:3306/), BENCH_REDIS_URL, BENCH_SECONDS (5),
 * BENCH_WARMUP_SECONDS (1), BENCH_CONCURRENCY (64), BENCH_RESIDENTS (2000), BENCH_HELLO_ADAPTER, BENCH_KEEP_DB=1,
 * BENCH_ONLY (a phase label part: runs only those phases), BENCH_API_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { createConnection, createPool, type Pool, type RowDataPacket } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { FieldCipher, deleteKeysWithPrefix, withDatabase } from '@care/core';
import { localDateOf } from '@care/dispatch';
import { idNumberCheckCharacter, maskIdNumber } from '@care/residents';
import { CoverageRepository, KeptFiguresRepository, countyMonth } from '@care/stats';
import { migrate } from '../../apps/api/src/cli/migrate';
import { freePort } from '../support/free-port';
import { productionEnv, productionStart } from './support/production-start';

const env = process.env;
const SERVER_URL = env.BENCH_DATABASE_URL ?? 'mysql://root:@127.0.0.1:3306/';
const REDIS_URL = env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const SECONDS = Number(env.BENCH_SECONDS ?? 5);
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 1);
const CONCURRENCY = Number(env.BENCH_CONCURRENCY ?? 64);
const RESIDENTS = Number(env.BENCH_RESIDENTS ?? 2000);
const TOWNSHIP = '620422100';
const ADMIN_PASSWORD = `bench-${randomBytes(6).toString('hex')}`;
const DATA_KEY = randomBytes(32);
const log = (line: string) => console.log(`[bench] ${line}`);

interface PhaseResult {
  name: string;
  /** CPU the api process (or the hello app) spent per answered request, in ms (Linux /proc); NaN for raw phases */
  serverCpuMs?: number;
  ok: number;
  failed: number;
  throughput: number;
  p50: number;
  p99: number;
  failures: Record<string, number>;
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** CONCURRENCY loops calling `once` until the deadline; `once` returns null or a failure label. Latencies in ms. */
async function runPhase(
  name: string,
  seconds: number,
  once: (n: number) => Promise<string | null>,
): Promise<PhaseResult> {
  let n = 0;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const failure = await once(n++).catch((error: Error) => `error ${error.message}`);
      if (failure === null) latencies.push(performance.now() - t0);
      else failures[failure] = (failures[failure] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    ok: latencies.length,
    failed: Object.values(failures).reduce((a, b) => a + b, 0),
    throughput: latencies.length / wall,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failures,
  };
}

// ---- HTTP ------------------------------------------------------------------------------------------------------

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function call(
  port: number,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  headers: http.OutgoingHttpHeaders = {},
): Promise<{ status: number; body: string }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const h: http.OutgoingHttpHeaders = { ...headers };
    if (data !== undefined)
      Object.assign(h, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
    if (token) h.authorization = `Bearer ${token}`;
    const req = http.request({ host: '127.0.0.1', port, path, method, agent, headers: h }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

const failure = (res: { status: number; body: string }, expected: number): string | null => {
  if (res.status === expected) return null;
  try {
    return `${res.status} ${(JSON.parse(res.body) as { code?: string }).code ?? ''}`.trim();
  } catch {
    return String(res.status);
  }
};

/** Starts a built script in its own process and waits until `ready(port)` answers true. */
async function startProcess(
  script: string,
  extraEnv: Record<string, string>,
  ready: (port: number) => Promise<boolean>,
  nodeArgs: string[] = [],
) {
  if (!existsSync(script)) throw new Error(`${script} not found: run npm run build:server first`);
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { PATH: env.PATH, PORT: String(port), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output.slice(-2000)}`);
    if (await ready(port).catch(() => false)) return { child, port };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${script} did not answer within 30 s:\n${output.slice(-2000)}`);
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
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

/** Resident set now (VmRSS) and its peak so far (VmHWM) of a process, MB (Linux /proc); NaN elsewhere. */
function memoryMbOf(pid: number | undefined): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/** The adapter the built api uses: Fastify once its bootstrap imports @nestjs/platform-fastify, else Express. */
function apiAdapter(): 'express' | 'fastify' {
  const bootstrap = join(__dirname, '..', '..', 'apps', 'api', 'src', 'bootstrap.js');
  return existsSync(bootstrap) && readFileSync(bootstrap, 'utf8').includes('@nestjs/platform-fastify')
    ? 'fastify'
    : 'express';
}

// ---- data ------------------------------------------------------------------------------------------------------

async function seedResidents(pool: Pool, n: number): Promise<string[]> {
  const cipher = new FieldCipher(DATA_KEY);
  const ids: string[] = [];
  const base = Date.UTC(1930, 0, 1);
  for (let start = 0; start < n; start += 1000) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(n, start + 1000); i++) {
      const id = randomUUID();
      const birth = new Date(base + (i % 10000) * 86400_000).toISOString().slice(0, 10);
      const body = `620422${birth.replace(/-/g, '')}${String(Math.floor(i / 10000)).padStart(3, '0')}`;
      const idNumber = body + idNumberCheckCharacter(body);
      rows.push([
        id,
        `老人${i}`,
        cipher.encrypt(idNumber),
        cipher.lookupHash(idNumber),
        maskIdNumber(idNumber),
        i % 2 ? 'male' : 'female',
        birth,
        TOWNSHIP,
        'home',
        35.69,
        105.05,
      ]);
      ids.push(id);
    }
    await pool.query(
      `INSERT INTO residents (id, name, id_number_cipher, id_number_hash, id_number_masked, gender, birth_date, region_code, living_arrangement, lat, lng) VALUES ?`,
      [rows],
    );
    await pool.query('INSERT INTO resident_categories (resident_id, category) VALUES ?', [
      rows.map((r) => [r[0], 'destitute']),
    ]);
  }
  return ids;
}

function orderWindow(n: number): { windowStart: string; windowEnd: string } {
  const date = localDateOf(Date.now() + 2 * 86400_000);
  const hour = 8 + (n % 8);
  const hh = (h: number) => String(h).padStart(2, '0');
  return { windowStart: `${date}T${hh(hour)}:00:00+08:00`, windowEnd: `${date}T${hh(hour + 2)}:00:00+08:00` };
}

// ---- raw equivalents ------------------------------------------------------------------------------------------

async function rawCareOrder(pool: Pool, adminId: string, residentId: string, n: number): Promise<string | null> {
  const key = randomUUID();
  const id = randomUUID();
  const w = orderWindow(n);
  const start = new Date(w.windowStart);
  const end = new Date(w.windowEnd);
  await pool.query('SELECT user_id FROM idempotency_keys WHERE user_id = ? AND idem_key = ? LIMIT 1', [adminId, key]);
  const conn = await pool.getConnection();
  try {
    await conn.query('START TRANSACTION');
    await conn.query(
      'INSERT INTO idempotency_keys (user_id, idem_key, endpoint, request_hash, order_id, response_status) VALUES (?, ?, ?, ?, ?, 202)',
      [adminId, key, 'POST /care-orders', createHash('sha256').update(key).digest('hex'), id],
    );
    const [inserted] = await conn.query<RowDataPacket[]>(
      `INSERT INTO care_orders (id, resident_id, region_code, window_start, window_end, duration_minutes, priority, notes, status, source, created_by, version)
       SELECT ?, r.id, r.region_code, ?, ?, ?, ?, ?, 'pending', ?, ?, 0 FROM residents r WHERE r.id = ? AND r.living_arrangement = 'home'`,
      [id, start, end, 30, 'normal', null, 'manual', adminId, residentId],
    );
    if ((inserted as unknown as { affectedRows: number }).affectedRows !== 1) throw new Error('order not written');
    await conn.query('INSERT INTO care_order_services (order_id, service_code, position) VALUES (?, ?, ?)', [
      id,
      'health_check',
      0,
    ]);
    await conn.query(
      `INSERT INTO audit_events (id, at, actor_id, actor_username, role, action, entity, entity_ids, resident_ids, request_id, ip, outcome)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        randomUUID(),
        new Date(),
        adminId,
        'admin',
        'admin',
        'careOrders.create',
        'care-order',
        JSON.stringify([id]),
        JSON.stringify([residentId]),
        randomUUID(),
        '127.0.0.1',
        'ok',
      ],
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

async function rawResidents(pool: Pool): Promise<string | null> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT id, name, id_number_masked, gender, birth_date, region_code, living_arrangement, address, phone, lat, lng, created_at, updated_at
     FROM residents r ORDER BY r.name ASC, r.id ASC LIMIT 50`,
  );
  await pool.query('SELECT COUNT(DISTINCT r.id) AS cnt FROM residents r');
  if (rows.length)
    await pool.query('SELECT resident_id, category FROM resident_categories WHERE resident_id IN (?)', [
      rows.map((r) => r.id),
    ]);
  return rows.length === 50 ? null : `rows ${rows.length}`;
}

// ---- main ------------------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const print = (r: PhaseResult) =>
  log(
    `${r.name.padEnd(22)} ${String(r.ok).padStart(6)} ok ${String(r.failed).padStart(4)} failed → ${fmt(r.throughput, 0).padStart(6)} req/s   p50 ${fmt(r.p50, 2)} ms  p99 ${fmt(r.p99, 2)} ms` +
      (Number.isFinite(r.serverCpuMs) ? `   server cpu ${fmt(r.serverCpuMs ?? NaN, 2)} ms/req` : '') +
      (r.failed ? `   failures ${JSON.stringify(r.failures)}` : ''),
  );

async function main(): Promise<void> {
  const name = `care_bench_${randomBytes(4).toString('hex')}`;
  const admin = await createConnection({ uri: SERVER_URL });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = withDatabase(SERVER_URL, name);
  const queuePrefix = `{bench-${randomBytes(4).toString('hex')}}`;
  const adapter = (env.BENCH_HELLO_ADAPTER as 'express' | 'fastify' | undefined) ?? apiAdapter();
  const production = productionStart('api');
  let api: { child: ChildProcess; port: number } | undefined;
  let hello: { child: ChildProcess; port: number } | undefined;
  const pool = createPool({
    uri: url,
    connectionLimit: CONCURRENCY,
    timezone: 'Z',
    charset: 'utf8mb4_unicode_ci',
    supportBigNumbers: true,
  });
  pool.on('connection', (c) => void c.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED'));
  try {
    log(
      `database ${name}; ${CONCURRENCY} clients; ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per phase; hello on ${adapter}`,
    );
    await migrate(url, () => undefined);
    const residents = await seedResidents(pool, RESIDENTS);
    api = await startProcess(
      join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.js'),
      {
        NODE_ENV: 'production',
        DATABASE_URL: url,
        REDIS_URL,
        QUEUE_PREFIX: queuePrefix,
        ADMIN_PASSWORD,
        JWT_SECRET: randomBytes(32).toString('hex'),
        DATA_ENCRYPTION_KEY: DATA_KEY.toString('hex'),
        // production's level (a request line per request), as users run it; BENCH_API_LOG_LEVEL=warn to leave it out
        LOG_LEVEL: env.BENCH_API_LOG_LEVEL ?? 'info',
        // as `npm run start:api` (and so the Dockerfile and the demo) runs it: its environment and node flags
        ...productionEnv(production),
      },
      async (port) => (await call(port, 'GET', '/health', null)).status === 200,
      // BENCH_API_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the api (after start:api's flags)
      [...production.nodeArgs, ...(env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean)],
    );
    hello = await startProcess(
      join(__dirname, 'hello-app.js'),
      { BENCH_HELLO_ADAPTER: adapter },
      async (port) => (await call(port, 'GET', '/hello', null)).status === 200,
    );
    const apiPort = api.port;
    const helloPort = hello.port;
    const login = JSON.parse(
      (await call(apiPort, 'POST', '/api/v1/auth/login', null, { username: 'admin', password: ADMIN_PASSWORD })).body,
    ) as {
      accessToken: string;
    };
    const token = login.accessToken;
    const [[adminRow]] = await pool.query<RowDataPacket[]>("SELECT id FROM users WHERE username = 'admin'");
    const adminId = String(adminRow.id);

    // coverage: the figures of the month computed and kept once (the first request), as in steady use
    const month = countyMonth(new Date());
    const first = await call(apiPort, 'GET', '/api/v1/stats/coverage', token);
    if (first.status !== 200) throw new Error(`coverage: ${first.status} ${first.body}`);
    const query = async (sql: string, params?: unknown[]) => (await pool.query(sql, params))[0];
    const shim = { query, manager: { query } } as unknown as DataSource;
    const coverageRepo = new CoverageRepository(shim);
    const kept = new KeptFiguresRepository(shim);

    const results: Record<string, PhaseResult> = {};
    // BENCH_ONLY=<text>: only the phases whose label contains it (profiling one route); ratios then make no sense
    const only = env.BENCH_ONLY;
    const run = async (label: string, once: (n: number) => Promise<string | null>) => {
      if (only && !label.includes(only)) return;
      await runPhase('warm', WARMUP_SECONDS, once);
      const server = label.startsWith('api ') ? api?.child.pid : label === 'hello' ? hello?.child.pid : undefined;
      const before = cpuSecondsOf(server);
      const r = await runPhase(label, SECONDS, once);
      r.serverCpuMs = ((cpuSecondsOf(server) - before) * 1000) / Math.max(r.ok + r.failed, 1);
      results[label] = r;
      print(r);
    };
    await run('hello', async () => failure(await call(helloPort, 'GET', '/hello', null), 200));
    await run('raw POST /care-orders', (n) => rawCareOrder(pool, adminId, residents[n % residents.length], n));
    await run('api POST /care-orders', async (n) =>
      failure(
        await call(
          apiPort,
          'POST',
          '/api/v1/care-orders',
          token,
          { residentId: residents[n % residents.length], services: ['health_check'], ...orderWindow(n) },
          {
            'idempotency-key': randomUUID(),
          },
        ),
        202,
      ),
    );
    await run('raw GET /residents', () => rawResidents(pool));
    await run('api GET /residents', async () =>
      failure(await call(apiPort, 'GET', '/api/v1/residents?limit=50', token), 200),
    );
    await run('raw GET /stats/coverage', async () => {
      await Promise.all([coverageRepo.townships(), kept.month(month)]);
      await kept.rows(month);
      await kept.pending(month);
      return null;
    });
    await run('api GET /stats/coverage', async () =>
      failure(await call(apiPort, 'GET', '/api/v1/stats/coverage', token), 200),
    );
    const memory = memoryMbOf(api.child.pid);
    const rssMb = memory.rss;

    const ratio = (a: string, b: string) => results[a].throughput / results[b].throughput;
    const p99x = (a: string, b: string) => results[a].p99 / results[b].p99;
    console.log('');
    for (const route of ['POST /care-orders', 'GET /residents', 'GET /stats/coverage']) {
      if (!results[`api ${route}`] || !results[`raw ${route}`] || !results.hello) continue;
      log(
        `${route.padEnd(20)} api/raw ${fmt(100 * ratio(`api ${route}`, `raw ${route}`), 1)} % of throughput, p99 ${fmt(p99x(`api ${route}`, `raw ${route}`), 2)} × raw; ` +
          `api/hello ${fmt(100 * ratio(`api ${route}`, 'hello'), 1)} %`,
      );
    }
    const orders = results['api POST /care-orders']?.throughput ?? NaN;
    const targets = [
      { target: 'POST /care-orders ≥ 500/s alone', met: orders >= 500, value: `${fmt(orders, 0)}/s` },
      {
        target: 'api RSS < 256 MB after the run',
        met: rssMb < 256,
        value: `${fmt(rssMb, 0)} MB (peak ${fmt(memory.peak, 0)} MB)`,
      },
    ];
    for (const t of targets) log(`${t.met ? 'PASS' : 'MISS'} ${t.target}: ${t.value}`);
    console.log(
      JSON.stringify({
        bench: 'api',
        concurrency: CONCURRENCY,
        seconds: SECONDS,
        helloAdapter: adapter,
        apiRssMb: Number(fmt(rssMb, 1)),
        apiPeakRssMb: Number(fmt(memory.peak, 1)),
        apiNodeArgs: production.nodeArgs,
        phases: Object.values(results).map((r) => ({
          ...r,
          throughput: Number(fmt(r.throughput, 1)),
          p50: Number(fmt(r.p50, 2)),
          p99: Number(fmt(r.p99, 2)),
          serverCpuMs: Number(fmt(r.serverCpuMs ?? NaN, 3)),
        })),
        targets,
      }),
    );
    if (env.BENCH_STRICT === '1' && targets.some((t) => !t.met)) process.exitCode = 1;
  } finally {
    await stop(api?.child);
    await stop(hello?.child);
    agent.destroy();
    await pool.end();
    await deleteKeysWithPrefix(REDIS_URL, queuePrefix).catch(() => undefined);
    if (env.BENCH_KEEP_DB !== '1') {
      const c = await createConnection({ uri: SERVER_URL });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
