import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@care/core';
import { dispatchIntakeJob, urgentRoundJob } from '@care/care-orders';
import { localDateOf } from '@care/dispatch';
import { auditDispatch, generateCountyDay, seedCountyDay, seededId } from '@care/dispatch/test-support';
import { createTestDatabase } from '@care/testing';
import { migrate } from '../../apps/api/src/cli/migrate';
import { freePort } from '../support/free-port';
import { ROOT, type StartedProcess, startBuiltProcess } from '../support/processes';

/**
 * Faults in the middle of dispatching a county day, on the built processes (npm test builds first), on rounds:
 * two dispatcher processes work through 1,200 orders; one is killed with SIGKILL mid-run and started again, and
 * Redis itself is killed and restarted mid-run. Then a dispatcher is killed while it holds a partition's lease in
 * the middle of a round's commit (the test-only fault hook pauses it there and says so in Redis). Afterwards MySQL
 * must show no order left pending, no caregiver double-booked and every hard rule kept.
 *
 * Redis here is a private redis-server on a free port with an append-only file fsynced on every write (the
 * persistence BullMQ needs in production), so restarting it never disturbs other test files.
 */
const DISPATCHER_SCRIPT = 'dist/apps/dispatcher/src/main.js';
const DISPATCHER = join(ROOT, DISPATCHER_SCRIPT);
const DAY_MS = 24 * 3600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class RedisServer {
  private child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
      ],
      { stdio: 'ignore' },
    );
    const probe = new IORedis(this.port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      retryStrategy: () => null,
    });
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

type Dispatcher = StartedProcess;

const startDispatcher = (env: Record<string, string>) =>
  startBuiltProcess(DISPATCHER_SCRIPT, env, /dispatcher ready/, 30_000);

/** The DispatchRound jobs care-orders' enqueuer makes for these orders (one intake job; urgent ones their own). */
async function enqueueAsPosted(
  queue: Queue,
  day: ReturnType<typeof generateCountyDay>,
  orderIds: string[],
  prefix: string,
): Promise<void> {
  const urgent = new Set(day.orders.filter((o) => o.priority === 'urgent').map((o) => seededId(prefix, o.id)));
  const retried = { attempts: 8, backoff: { type: 'exponential' as const, delay: 500 } };
  const urgentJobs = orderIds
    .filter((id) => urgent.has(id))
    .map((id) => urgentRoundJob({ id, version: 0, priority: 'urgent' }))
    .map((j) => ({ name: 'DispatchRound', data: j.payload, opts: { ...j.options, ...retried } }));
  const intake = dispatchIntakeJob(Date.now());
  await queue.addBulk([
    ...urgentJobs,
    { name: 'DispatchRound', data: intake.payload, opts: { ...intake.options, ...retried } },
  ]);
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
    // enough work that neither fault finds it all done: a round decides up to 250 orders at once
    const ORDERS = 1200;
    const day = generateCountyDay({ seed: 2026, date, orders: ORDERS, caregivers: 120 });
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
    // as single POSTs would enqueue them (care-orders' enqueuer): urgent orders a round each, the rest the intake
    await enqueueAsPosted(queue, day, orderIds, 'fault');

    const pending = async (): Promise<number> => {
      const rows: { n: number | string }[] = await db.query(
        `SELECT COUNT(*) AS n FROM care_orders WHERE status = 'pending'`,
      );
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
    /** Waits until at most `most` orders are pending and returns how many were, as seen just before the fault. */
    const waitForPendingAtMost = async (what: string, most: number, timeoutMs: number): Promise<number> => {
      let seen = Infinity;
      await waitUntil(what, async () => (seen = await pending()) <= most, timeoutMs);
      return seen;
    };

    // 1. SIGKILL one dispatcher once a fifth of the orders are done, mid-transaction most likely
    const pendingAtKill = await waitForPendingAtMost('a tenth dispatched', ORDERS * 0.9, 60_000);
    dispatchers[0].child.kill('SIGKILL');
    const killed = await dispatchers[0].exited;
    expect(killed.signal).toBe('SIGKILL');

    // 2. kill Redis itself a little later and bring it back (same port, same append-only file)
    const pendingAtRedisKill = await waitForPendingAtMost('a fifth dispatched', ORDERS * 0.8, 60_000);
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
    expect((audit.byStatus.assigned ?? 0) + (audit.byStatus.unassigned ?? 0)).toBe(ORDERS);
    expect(audit.byStatus.assigned ?? 0).toBeGreaterThan(ORDERS / 3);
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
  it('rounds: a dispatcher killed while holding a partition lease mid-commit; the lease runs out and the work is done once', async () => {
    for (const d of dispatchers) if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
    const date = localDateOf(Date.now() + 3 * DAY_MS);
    const day = generateCountyDay({ seed: 2027, date, orders: 300, caregivers: 40 });
    const { orderIds } = await seedCountyDay(db, day, { prefix: 'lease' });
    const ours = `id IN (${orderIds.map(() => '?').join(',')})`;
    const redisUrl = `redis://127.0.0.1:${redis.port}/0`;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redisUrl,
      QUEUE_PREFIX: '{lease}',
      DISPATCH_SWEEP_SECONDS: '3',
      DISPATCH_CONCURRENCY: '4',
    };
    // the first dispatcher stops inside every round's commit (writes made, nothing committed, locks and lease held)
    const first = await startDispatcher({ ...env, DISPATCH_FAULT_PAUSE_IN_COMMIT_MS: '120000' });
    dispatchers.push(first);
    const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    const queue = new Queue('dispatch', { connection, prefix: '{lease}' });
    await enqueueAsPosted(queue, day, orderIds, 'lease');
    const pending = async (): Promise<number> => {
      const rows: { n: number | string }[] = await db.query(
        `SELECT COUNT(*) AS n FROM care_orders WHERE status = 'pending' AND ${ours}`,
        orderIds,
      );
      return Number(rows[0].n);
    };

    // 1. wait for the dispatcher's own signal that it is paused inside a round's commit, then SIGKILL it there
    const marker = '{lease}:dispatch:fault:paused-in-commit';
    const deadline = Date.now() + 60_000;
    let partition: string | null = null;
    while (Date.now() < deadline && partition === null) {
      partition = await connection.get(marker);
      if (partition === null) await sleep(20);
    }
    expect(partition).not.toBeNull();
    // the round's transaction is open with rows locked in our database: the kill lands inside the commit
    const dbName: string = (await db.query('SELECT DATABASE() AS d'))[0].d;
    const open: { n: number | string }[] = await db.query(
      `SELECT COUNT(*) AS n FROM information_schema.innodb_trx t JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id
        WHERE p.db = ? AND t.trx_rows_locked > 0`,
      [dbName],
    );
    expect(Number(open[0].n)).toBeGreaterThan(0);
    const leaseKey = `{lease}:dispatch:lease:${partition}`;
    expect(await connection.exists(leaseKey)).toBe(1);
    const pendingBefore = await pending();
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    // nothing of the paused round was committed, and the dead dispatcher's lease is still there: nobody released it
    expect(await pending()).toBe(pendingBefore);
    expect(await pending()).toBeGreaterThan(0);
    expect(await connection.exists(leaseKey)).toBe(1);

    // 2. another dispatcher takes over once the lease ran out (the stalled job, the sweep)
    dispatchers.push(await startDispatcher(env));
    const until = Date.now() + 150_000;
    while (Date.now() < until && (await pending()) > 0) await sleep(200);
    expect(await pending()).toBe(0);
    await queue.close();
    connection.disconnect();

    const audit = await auditDispatch(db);
    expect(audit.violations).toEqual([]);
    const doubles: unknown[] = await db.query(
      `SELECT a.id FROM care_orders a JOIN care_orders b ON a.caregiver_id = b.caregiver_id AND a.id < b.id
        WHERE a.status = 'assigned' AND b.status = 'assigned' AND a.planned_start < b.planned_end AND b.planned_start < a.planned_end`,
    );
    expect(doubles).toEqual([]);
    const decided: { n: number | string }[] = await db.query(
      `SELECT COUNT(*) AS n FROM care_orders WHERE status IN ('assigned', 'unassigned') AND ${ours}`,
      orderIds,
    );
    expect(Number(decided[0].n)).toBe(300);
    const last = dispatchers[dispatchers.length - 1];
    last.child.kill('SIGTERM');
    expect((await last.exited).code).toBe(0);
  }, 240_000);
});
