/**
 * Dispatch benchmark (`npm run bench dispatch`): run from the build, against real MariaDB and Redis.
 *
 * 1. Baseline: BullMQ throughput of empty jobs (same queue settings, one and two workers at the dispatcher's
 *    concurrency) — the ceiling any job-based dispatcher can reach on this machine.
 * 2. Dispatch throughput on a generated county day, with one and two dispatcher processes (the built
 *    dist/apps/dispatcher): orders/s from POST /care-orders (the api in this process) to assigned/unassigned, with
 *    per-order latency; and orders/s from a full queue (orders already in MySQL, all jobs enqueued at once).
 * 3. Quality: planDay (the dispatcher's policy over a whole day) against the greedy nearest-feasible baseline on
 *    generated county days, and the online dispatcher's own result read back from MySQL; every plan is checked
 *    with verifyHardRules.
 */
import 'reflect-metadata';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { type AppConfig, dataSourceOptions, deleteKeysWithPrefix, loadConfig, withDatabase } from '@care/core';
import { dispatchJobId } from '@care/care-orders';
import {
  auditDispatch,
  type CountyDay,
  formatLocal,
  generateCountyDay,
  greedyNearestFeasible,
  localDateOf,
  type Plan,
  planDay,
  planMetrics,
  type PlanMetrics,
  seedCountyDay,
  seededId,
  verifyHardRules,
} from '@care/dispatch';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { migrate } from '../../apps/api/src/cli/migrate';

const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'mysql://root:@127.0.0.1:3306/';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const DISPATCHER = join(__dirname, '..', '..', 'apps', 'dispatcher', 'src', 'main.js');
const ADMIN_PASSWORD = 'bench-admin-password';
const CONCURRENCY = 8;
const DAY_MS = 24 * 3600_000;
const ORDERS = 300;
const CAREGIVERS = 60;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : Number.NaN;
};

interface Env {
  config: AppConfig;
  db: DataSource;
  prefix: string;
  drop: () => Promise<void>;
}

async function freshEnvironment(label: string): Promise<Env> {
  const name = `care_test_bench_${label}_${randomBytes(3).toString('hex')}`;
  const server = await createConnection({ uri: SERVER_URL });
  await server.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await server.end();
  const url = withDatabase(SERVER_URL, name);
  await migrate(url, () => undefined);
  const prefix = `{bench-${randomBytes(3).toString('hex')}}`;
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, REDIS_URL, ADMIN_PASSWORD, QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' });
  const db = new DataSource(dataSourceOptions(config, { migrations: [] }));
  await db.initialize();
  return {
    config,
    db,
    prefix,
    drop: async () => {
      await db.destroy();
      const c = await createConnection({ uri: SERVER_URL });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
      await deleteKeysWithPrefix(REDIS_URL, prefix);
    },
  };
}

// --- 1. BullMQ empty-job baseline ---------------------------------------------------------------------------

async function emptyJobBaseline(workers: number, jobs: number): Promise<number> {
  const prefix = `{bench-empty-${randomBytes(3).toString('hex')}}`;
  const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('dispatch', { connection, prefix });
  let done = 0;
  let finished: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (finished = resolve));
  const started = Date.now();
  await queue.addBulk(
    Array.from({ length: jobs }, (_, i) => ({
      name: 'Empty',
      data: { orderId: String(i) },
      opts: { jobId: `Empty-${i}`, attempts: 8, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: { age: 3600, count: 10_000 } },
    })),
  );
  const connections = Array.from({ length: workers }, () => new IORedis(REDIS_URL, { maxRetriesPerRequest: null }));
  const pool = connections.map(
    (c) =>
      new Worker(
        'dispatch',
        async () => {
          if (++done === jobs) finished();
        },
        { connection: c, prefix, concurrency: CONCURRENCY },
      ),
  );
  await all;
  const seconds = (Date.now() - started) / 1000;
  await Promise.all(pool.map((w) => w.close()));
  for (const c of connections) c.disconnect();
  await queue.close();
  connection.disconnect();
  await deleteKeysWithPrefix(REDIS_URL, prefix);
  return jobs / seconds;
}

// --- 2. dispatch throughput -----------------------------------------------------------------------------------

interface Proc {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

function startDispatcher(env: Env): Promise<Proc> {
  const child = spawn(process.execPath, [DISPATCHER], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: env.config.databaseUrl,
      REDIS_URL,
      QUEUE_PREFIX: env.prefix,
      DISPATCH_CONCURRENCY: String(CONCURRENCY),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dispatcher did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/dispatcher ready/.test(out)) {
        clearTimeout(timer);
        resolve({ child, exited, output: () => out });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!/dispatcher ready/.test(out)) reject(new Error(`dispatcher exited (${code}): ${out}`));
    });
  });
}

/** The highest peak RSS (VmHWM, MB) seen in any dispatcher process of this run. */
let dispatcherPeakRssMb = 0;

function peakRssMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Stops the dispatchers (SIGTERM) and returns how many jobs failed an attempt (and were retried) in them. */
async function stopAll(procs: Proc[]): Promise<number> {
  for (const p of procs) dispatcherPeakRssMb = Math.max(dispatcherPeakRssMb, peakRssMb(p.child.pid));
  for (const p of procs) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
  const failed = procs.reduce((n, p) => n + (p.output().match(/failed \(attempt/g) ?? []).length, 0);
  if (process.env.BENCH_VERBOSE) for (const p of procs) console.log(p.output());
  return failed;
}

/** Polls MySQL until every order in `ids` left `pending`; returns when each did (ms since epoch). */
async function watchDecisions(db: DataSource, ids: Set<string>, timeoutMs = 300_000): Promise<Map<string, number>> {
  const decided = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  while (decided.size < ids.size) {
    if (Date.now() > deadline) throw new Error(`only ${decided.size}/${ids.size} orders decided in time`);
    const rows: { id: string }[] = await db.query(`SELECT id FROM care_orders WHERE status IN ('assigned', 'unassigned')`);
    const now = Date.now();
    for (const r of rows) if (ids.has(r.id) && !decided.has(r.id)) decided.set(r.id, now);
    await sleep(20);
  }
  return decided;
}

interface ThroughputResult {
  ordersPerSecond: number;
  failedAttempts: number;
  postPerSecond?: number;
  p50Ms?: number;
  p95Ms?: number;
  metrics: PlanMetrics;
  violations: number;
}

function countyDay(seed: number): CountyDay {
  return generateCountyDay({ seed, date: localDateOf(Date.now() + 3 * DAY_MS), orders: ORDERS, caregivers: CAREGIVERS });
}

/** Orders are POSTed to the api (16 at a time); the clock runs from the first POST to the last decision. */
async function postToAssigned(dispatchers: number, seed: number): Promise<ThroughputResult> {
  const env = await freshEnvironment(`post${dispatchers}`);
  const day = countyDay(seed);
  await seedCountyDay(env.db, day, { prefix: 'bench', orders: false });
  const app = await createApiApp(env.config);
  await app.listen(0, '127.0.0.1');
  const base = `${await app.getUrl()}/api/v1`.replace('[::1]', '127.0.0.1');
  const login = (await (
    await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) })
  ).json()) as { accessToken: string };
  const procs = await Promise.all(Array.from({ length: dispatchers }, () => startDispatcher(env)));

  const posted = new Map<string, number>();
  const ids = new Set<string>();
  const started = Date.now();
  let next = 0;
  const poster = async () => {
    while (next < day.orders.length) {
      const o = day.orders[next++];
      const res = await fetch(`${base}/care-orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${login.accessToken}` },
        body: JSON.stringify({
          residentId: seededId('bench', o.residentId),
          services: o.services,
          windowStart: formatLocal(o.windowStart),
          windowEnd: formatLocal(o.windowEnd),
          ...(o.durationMinutes ? { durationMinutes: o.durationMinutes } : {}),
          priority: o.priority,
        }),
      });
      if (res.status !== 202) throw new Error(`POST /care-orders → ${res.status}: ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      posted.set(id, Date.now());
      ids.add(id);
    }
  };
  const watcher = (async () => {
    while (ids.size < day.orders.length) await sleep(20);
    return watchDecisions(env.db, ids);
  })();
  await Promise.all(Array.from({ length: 16 }, poster));
  const postSeconds = (Date.now() - started) / 1000;
  const decided = await watcher;
  const seconds = (Math.max(...decided.values()) - started) / 1000;
  const latencies = [...decided].map(([id, at]) => at - (posted.get(id) ?? at));
  const audit = await auditDispatch(env.db);
  const failedAttempts = await stopAll(procs);
  await app.close();
  await env.drop();
  return {
    ordersPerSecond: ids.size / seconds,
    failedAttempts,
    postPerSecond: ids.size / postSeconds,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    metrics: planMetrics(onlyDay(audit.plan, day)),
    violations: audit.violations.length,
  };
}

/** Orders already in MySQL, all DispatchOrder jobs enqueued at once: the dispatcher's own rate. */
async function queueToAssigned(dispatchers: number, seed: number): Promise<ThroughputResult> {
  const env = await freshEnvironment(`queue${dispatchers}`);
  const day = countyDay(seed);
  const { orderIds } = await seedCountyDay(env.db, day, { prefix: 'bench' });
  const procs = await Promise.all(Array.from({ length: dispatchers }, () => startDispatcher(env)));
  const connection = new IORedis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('dispatch', { connection, prefix: env.prefix });
  const started = Date.now();
  await queue.addBulk(orderIds.map((id) => ({ name: 'DispatchOrder', data: { orderId: id }, opts: { jobId: dispatchJobId(id, 0), attempts: 8, backoff: { type: 'exponential', delay: 500 } } })));
  const decided = await watchDecisions(env.db, new Set(orderIds));
  const seconds = (Math.max(...decided.values()) - started) / 1000;
  const audit = await auditDispatch(env.db);
  await queue.close();
  connection.disconnect();
  const failedAttempts = await stopAll(procs);
  await env.drop();
  return { ordersPerSecond: orderIds.length / seconds, failedAttempts, metrics: planMetrics(onlyDay(audit.plan, day)), violations: audit.violations.length };
}

/** The plan restricted to the day's orders (the seed also writes past completed visits for continuity). */
function onlyDay(plan: Plan, day: CountyDay): Plan {
  const orders = plan.orders.filter((o) => localDateOf(o.windowStart) === day.date);
  const ids = new Set(orders.map((o) => o.id));
  return { ...plan, orders, assignments: plan.assignments.filter((a) => ids.has(a.orderId)), unassigned: plan.unassigned.filter((u) => ids.has(u.orderId)) };
}

// --- 3. quality ------------------------------------------------------------------------------------------------

function qualityRow(label: string, m: PlanMetrics, ms?: number): string {
  return [
    label.padEnd(28),
    `${m.assigned}/${m.orders}`.padStart(8),
    `${m.urgentAssigned}/${m.urgentOrders}`.padStart(7),
    fmt(m.travelMinutesPerVisit).padStart(8),
    String(m.totalTravelMinutes).padStart(7),
    String(m.continuityAssigned).padStart(6),
    fmt(m.visitsPerCaregiverStdDev, 2).padStart(6),
    ms === undefined ? '' : `${fmt(ms, 0)} ms`.padStart(9),
  ].join(' ');
}

/** DISPATCH_BENCH_PARTS=baseline,queue,post,quality (default: all). */
const PARTS = new Set((process.env.DISPATCH_BENCH_PARTS ?? 'baseline,queue,post,quality').split(','));

async function main(): Promise<void> {
  let failed = false;
  console.log('dispatch benchmark — generated county day: %d orders, %d caregivers, concurrency %d per worker', ORDERS, CAREGIVERS, CONCURRENCY);

  const empty: Record<number, number> = {};
  if (PARTS.has('baseline')) {
    console.log('\n[1] BullMQ empty-job baseline (2000 jobs)');
    for (const k of [1, 2]) {
      empty[k] = await emptyJobBaseline(k, 2000);
      console.log(`  ${k} worker(s): ${fmt(empty[k], 0)} jobs/s`);
    }
  }
  const ofBaseline = (rate: number, k: number) => (empty[k] ? `  (${fmt((100 * rate) / empty[k], 1)} % of empty jobs)` : '');

  const online: Record<string, ThroughputResult> = {};
  if (PARTS.has('queue') || PARTS.has('post')) {
    console.log('\n[2] dispatch throughput (built dispatcher processes, MariaDB, Redis)');
    for (const k of [1, 2]) {
      if (PARTS.has('queue')) {
        const q = (online[`queue${k}`] = await queueToAssigned(k, 2026));
        console.log(
          `  queue→decided, ${k} dispatcher(s): ${fmt(q.ordersPerSecond)} orders/s${ofBaseline(q.ordersPerSecond, k)}  retried attempts: ${q.failedAttempts}  violations: ${q.violations}`,
        );
        if (q.violations > 0) failed = true;
      }
      if (PARTS.has('post')) {
        const p = (online[`post${k}`] = await postToAssigned(k, 2026));
        console.log(
          `  POST→decided,  ${k} dispatcher(s): ${fmt(p.ordersPerSecond)} orders/s${ofBaseline(p.ordersPerSecond, k)}  (POST alone ${fmt(p.postPerSecond ?? 0)}/s; latency POST→decided p50 ${fmt(p.p50Ms ?? 0, 0)} ms, p95 ${fmt(p.p95Ms ?? 0, 0)} ms)  retried attempts: ${p.failedAttempts}  violations: ${p.violations}`,
        );
        if (p.violations > 0) failed = true;
      }
    }
    const scale = (key: string) => (online[`${key}1`] && online[`${key}2`] ? `×${fmt(online[`${key}2`].ordersPerSecond / online[`${key}1`].ordersPerSecond, 2)} (${key})` : '');
    console.log(`  scaling 1 → 2 dispatchers: ${[scale('queue'), scale('post')].filter(Boolean).join(', ')}`);
    console.log(`  dispatcher peak RSS: ${fmt(dispatcherPeakRssMb, 0)} MB (target < 200 MB per dispatcher)`);
  }

  if (PARTS.has('quality')) {
    console.log('\n[3] quality on generated county days (300 orders, 60 caregivers each)');
    console.log(`  ${'plan'.padEnd(28)} ${'assigned'.padStart(8)} ${'urgent'.padStart(7)} ${'min/vis'.padStart(8)} ${'travel'.padStart(7)} ${'contin'.padStart(6)} ${'sd'.padStart(6)} ${'time'.padStart(9)}`);
    const totals = { plan: 0, greedy: 0, urgentPlan: 0, urgentGreedy: 0, travelPlan: 0, travelGreedy: 0 };
    const seeds = [1, 2, 3, 4, 5];
    for (const seed of seeds) {
      const day = generateCountyDay({ seed });
      let t = process.hrtime.bigint();
      const plan = planDay(day.orders, day.caregivers, day.catalogue);
      const planMs = Number(process.hrtime.bigint() - t) / 1e6;
      t = process.hrtime.bigint();
      const greedy = greedyNearestFeasible(day.orders, day.caregivers, day.catalogue);
      const greedyMs = Number(process.hrtime.bigint() - t) / 1e6;
      const violations = verifyHardRules(plan).length + verifyHardRules(greedy).length;
      if (violations > 0) failed = true;
      const pm = planMetrics(plan);
      const gm = planMetrics(greedy);
      totals.plan += pm.assigned;
      totals.greedy += gm.assigned;
      totals.urgentPlan += pm.urgentAssigned;
      totals.urgentGreedy += gm.urgentAssigned;
      totals.travelPlan += pm.travelMinutesPerVisit;
      totals.travelGreedy += gm.travelMinutesPerVisit;
      console.log(`  ${qualityRow(`seed ${seed} planDay${plan.notes?.startedFromBaseline ? '*' : ''}`, pm, planMs)}`);
      console.log(`  ${qualityRow(`seed ${seed} greedy`, gm, greedyMs)}${violations ? `  VIOLATIONS: ${violations}` : ''}`);
    }
    // the day the online dispatcher ran on (seed 2026): the same orders, caregivers and declines
    const same = countyDay(2026);
    console.log(`  ${qualityRow('seed 2026 planDay', planMetrics(planDay(same.orders, same.caregivers, same.catalogue)))}`);
    console.log(`  ${qualityRow('seed 2026 greedy', planMetrics(greedyNearestFeasible(same.orders, same.caregivers, same.catalogue)))}`);
    for (const key of ['queue1', 'queue2']) {
      if (online[key]) console.log(`  ${qualityRow(`seed 2026 online (${key.slice(-1)} proc)`, online[key].metrics)}  (orders one at a time, in queue order)`);
    }
    console.log(
      `  planDay vs greedy over ${seeds.length} days: assigned ×${fmt(totals.plan / totals.greedy, 3)} (${totals.plan} vs ${totals.greedy}), urgent ${totals.urgentPlan} vs ${totals.urgentGreedy}, travel per visit ${fmt(totals.travelPlan / seeds.length)} vs ${fmt(totals.travelGreedy / seeds.length)} min`,
    );
    console.log("  (* planDay started from the baseline's assignments. Columns: assigned, urgent assigned, travel minutes per visit, total route travel, visits with continuity, sd of visits per active caregiver)");
  }
  if (failed) console.error('hard-rule violations found');
  process.exitCode = failed ? 1 : 0;
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  // stray keep-alive sockets must not hold the run open
  .finally(() => process.exit());
