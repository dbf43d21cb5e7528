import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@care/core';
import { dispatchJobId } from '@care/care-orders';
import { auditDispatch, generateCountyDay, localDateOf, seedCountyDay } from '@care/dispatch';
import { createTestDatabase } from '@care/testing';
import { migrate } from '../../apps/api/src/cli/migrate';

/**
 * Faults in the middle of dispatching a county day, on the built processes (npm test builds first):
 * two dispatcher processes work through 600 orders; one is killed with SIGKILL mid-run and started again, and
 * Redis itself is killed and restarted mid-run. Afterwards MySQL must show no order left pending, no caregiver
 * double-booked and every hard rule kept.
 *
 * Redis here is a private redis-server on a free port with an append-only file fsynced on every write (the
 * persistence BullMQ needs in production), so restarting it never disturbs other test files.
 */
const ROOT = join(__dirname, '..', '..');
const DISPATCHER = join(ROOT, 'dist/apps/dispatcher/src/main.js');
const DAY_MS = 24 * 3600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

class RedisServer {
  private child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
      { stdio: 'ignore' },
    );
    const probe = new IORedis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    probe.on('error', () => undefined);
    for (let i = 0; i < 100; i++) {
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return;
      } catch {
        probe.disconnect();
        await sleep(100);
      }
    }
    throw new Error('private redis-server did not start');
  }

  /** SIGKILL: no shutdown save; what survives is what the append-only file already holds. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

interface Dispatcher {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startDispatcher(env: Record<string, string>): Promise<Dispatcher> {
  const child = spawn(process.execPath, [DISPATCHER], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dispatcher did not start: ${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/dispatcher ready/.test(out)) {
        clearTimeout(timer);
        resolve({ child, output: () => out, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      if (!/dispatcher ready/.test(out)) reject(new Error(`dispatcher exited (${code}) before it was ready: ${out}`));
    });
  });
}

describe('dispatch under faults (SIGKILL a dispatcher, restart Redis)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'care-redis-'));
  let redis: RedisServer;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: DataSource;
  const dispatchers: Dispatcher[] = [];

  beforeAll(async () => {
    if (!existsSync(DISPATCHER)) throw new Error(`${DISPATCHER} is missing: run "npm run build" first (npm test does)`);
    redis = new RedisServer(await freePort(), dir);
    await redis.start();
    database = await createTestDatabase('dispatchfault');
    await migrate(database.url, () => undefined);
    db = new DataSource(dataSourceOptions({ databaseUrl: database.url }, { migrations: [] }));
    await db.initialize();
  }, 60_000);

  afterAll(async () => {
    for (const d of dispatchers) if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
    await redis?.kill();
    await db?.destroy();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no order pending, double-books nobody and keeps every hard rule', async () => {
    const date = localDateOf(Date.now() + 2 * DAY_MS);
    const day = generateCountyDay({ seed: 2026, date, orders: 600, caregivers: 60 });
    const { orderIds } = await seedCountyDay(db, day, { prefix: 'fault' });

    const redisUrl = `redis://127.0.0.1:${redis.port}/0`;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: '{fault}',
      DISPATCH_SWEEP_SECONDS: '3',
      DISPATCH_CONCURRENCY: '4',
    };
    dispatchers.push(await startDispatcher(env), await startDispatcher(env));

    const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const queue = new Queue('dispatch', { connection, prefix: '{fault}' });
    await queue.addBulk(
      orderIds.map((id) => ({
        name: 'DispatchOrder',
        data: { orderId: id },
        opts: { jobId: dispatchJobId(id, 0), attempts: 8, backoff: { type: 'exponential', delay: 500 } },
      })),
    );

    const pending = async (): Promise<number> => {
      const rows: { n: number | string }[] = await db.query(`SELECT COUNT(*) AS n FROM care_orders WHERE status = 'pending'`);
      return Number(rows[0].n);
    };
    const waitUntil = async (what: string, ok: () => Promise<boolean>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await ok()) return;
        await sleep(50);
      }
      throw new Error(`timed out: ${what} (${await pending()} pending)`);
    };

    // 1. SIGKILL one dispatcher once a fifth of the orders are done, mid-transaction most likely
    await waitUntil('a tenth dispatched', async () => (await pending()) <= 540, 60_000);
    dispatchers[0].child.kill('SIGKILL');
    const killed = await dispatchers[0].exited;
    expect(killed.signal).toBe('SIGKILL');
    const pendingAtKill = await pending();

    // 2. kill Redis itself a little later and bring it back (same port, same append-only file)
    await waitUntil('a fifth dispatched', async () => (await pending()) <= 480, 60_000);
    const pendingAtRedisKill = await pending();
    await redis.kill();
    await sleep(1500);
    await redis.start();
    // both faults struck mid-run: work was left for after each of them
    expect(pendingAtKill).toBeGreaterThan(0);
    expect(pendingAtRedisKill).toBeGreaterThan(0);

    // 3. a replacement dispatcher joins
    dispatchers.push(await startDispatcher(env));

    await waitUntil('no order pending', async () => (await pending()) === 0, 150_000);
    await queue.close();
    connection.disconnect();

    const audit = await auditDispatch(db);
    expect(audit.violations).toEqual([]);
    expect((audit.byStatus.assigned ?? 0) + (audit.byStatus.unassigned ?? 0)).toBe(600);
    expect(audit.byStatus.assigned ?? 0).toBeGreaterThan(200);
    // the order-level half of rule 6: each order holds at most one slot (one row, one caregiver) — and no caregiver's
    // visits overlap (rule 4, in the audit above)
    const doubles: unknown[] = await db.query(
      `SELECT a.id FROM care_orders a JOIN care_orders b ON a.caregiver_id = b.caregiver_id AND a.id < b.id
        WHERE a.status = 'assigned' AND b.status = 'assigned' AND a.planned_start < b.planned_end AND b.planned_start < a.planned_end`,
    );
    expect(doubles).toEqual([]);

    // the surviving dispatchers shut down cleanly on SIGTERM
    for (const d of dispatchers.slice(1)) d.child.kill('SIGTERM');
    for (const d of dispatchers.slice(1)) expect((await d.exited).code).toBe(0);
  }, 240_000);
});
