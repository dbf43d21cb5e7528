import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig, CoreModule, JobQueue, JobWorkerHost } from '@care/core';
import { DispatchEnqueuer, dispatchJobId } from '@care/care-orders';
import {
  DispatchModule,
  DispatchRepository,
  DispatchRoundService,
  DispatchService,
  partitionOf,
  PartitionLeases,
  serviceCircleRadiusKm,
  servicePointPartitions,
  greedyNearestFeasible,
  localDateOf,
} from '@care/dispatch';
import { auditDispatch, generateCountyDay, seedCountyDay, seededId } from '@care/dispatch/test-support';
import { createTestConfig } from '@care/testing';
import { buildApp } from '../support/apps';

/**
 * The dispatcher against real MariaDB and Redis with TWO dispatch workers (two application contexts, each with its
 * own connection pool and BullMQ worker at concurrency 8), so every order is raced for.
 */
@Module({})
class DispatchWorkerHost {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: DispatchWorkerHost, imports: [CoreModule.forRoot(config), DispatchModule] };
  }
}

async function startWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(DispatchWorkerHost.forRoot(config), { logger: false });
  await app.get(JobWorkerHost).start(['dispatch'], { dispatch: 8 });
  return app;
}

const DAY_MS = 24 * 3600_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function count(db: DataSource, where: string, params: unknown[] = []): Promise<number> {
  const rows: { n: number | string }[] = await db.query(`SELECT COUNT(*) AS n FROM care_orders WHERE ${where}`, params);
  return Number(rows[0].n);
}

async function orderRow(db: DataSource, id: string) {
  const rows: {
    status: string;
    caregiver_id: string | null;
    unassigned_reason: string | null;
    version: number;
    planned_start: Date | null;
  }[] = await db.query(
    'SELECT status, caregiver_id, unassigned_reason, version, planned_start FROM care_orders WHERE id = ?',
    [id],
  );
  return rows[0];
}

describe('dispatcher (two workers, MariaDB + Redis)', () => {
  // each scenario gets a database, a queue prefix and two workers of its own
  let a: INestApplicationContext | undefined;
  let b: INestApplicationContext | undefined;
  let drop: (() => Promise<void>) | undefined;
  let db: DataSource;
  let queue: JobQueue;
  // two days ahead in county time: every window is in the future
  const date = localDateOf(Date.now() + 2 * DAY_MS);

  async function setup(label: string, sweepSeconds = 2): Promise<void> {
    const created = await createTestConfig(buildApp, label);
    drop = created.drop;
    const config = { ...created.config, dispatch: { ...created.config.dispatch, sweepSeconds } };
    a = await startWorker(config);
    b = await startWorker(config);
    db = a.get(DataSource);
    queue = a.get(JobQueue);
  }

  afterEach(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
    a = b = drop = undefined;
  });

  const enqueue = (ids: { id: string; version: number }[]) =>
    queue.addBulk(
      'DispatchOrder',
      ids.map((o) => ({ payload: { orderId: o.id }, options: { jobId: dispatchJobId(o.id, o.version) } })),
    );

  it('dispatches a generated county day: every order assigned or unassigned with a reason, no hard rule broken', async () => {
    await setup('countyday');
    const day = generateCountyDay({ seed: 42, date, orders: 160, caregivers: 24 });
    const { orderIds } = await seedCountyDay(db, day, { prefix: 'day1' });
    await enqueue(orderIds.map((id) => ({ id, version: 0 })));
    await waitFor('all orders dispatched', async () => (await count(db, `status = 'pending'`)) === 0);

    const audit = await auditDispatch(db);
    expect(audit.violations).toEqual([]);
    const assigned = audit.byStatus.assigned ?? 0;
    const unassigned = audit.byStatus.unassigned ?? 0;
    expect(assigned + unassigned).toBe(160);
    expect(assigned).toBeGreaterThan(40);
    const reasons: { unassigned_reason: string }[] = await db.query(
      `SELECT DISTINCT unassigned_reason FROM care_orders WHERE status = 'unassigned'`,
    );
    for (const r of reasons)
      expect(['NO_SKILLED_CAREGIVER', 'OUT_OF_SERVICE_CIRCLE', 'NO_CAPACITY']).toContain(r.unassigned_reason);
    // the online dispatcher (orders in queue order, racing workers) still does at least as well as the greedy baseline
    const greedy = greedyNearestFeasible(day.orders, day.caregivers, day.catalogue);
    expect(assigned).toBeGreaterThanOrEqual(greedy.assignments.length * 0.9);

    // idempotent: the same jobs again change nothing, and so does calling the use case directly
    const before: { id: string; version: number }[] = await db.query('SELECT id, version FROM care_orders ORDER BY id');
    await enqueue(orderIds.map((id) => ({ id, version: 0 })));
    const outcome = await a!.get(DispatchService).dispatch(orderIds[0]);
    expect(outcome.outcome).toBe('skipped');
    await sleep(500);
    expect(await db.query('SELECT id, version FROM care_orders ORDER BY id')).toEqual(before);
  });

  it('dispatches a county day posted as one batch in rounds: planned together, never fewer than greedy, no rule broken', async () => {
    await setup('rounds');
    const day = generateCountyDay({ seed: 42, date, orders: 160, caregivers: 24 });
    const { orderIds } = await seedCountyDay(db, day, { prefix: 'rounds' });
    // the batch as POST /care-orders/batch writes it, and its one job (both workers race for nothing: one job)
    await db.query(`INSERT INTO care_order_batches (id, source, order_count) VALUES ('batch-rounds', 'manual', ?)`, [
      orderIds.length,
    ]);
    await db.query(
      `INSERT INTO care_order_batch_items (batch_id, position, order_id) VALUES ${orderIds.map(() => "('batch-rounds', ?, ?)").join(', ')}`,
      orderIds.flatMap((id, i) => [i, id]),
    );
    await queue.add('DispatchBatch', { batchId: 'batch-rounds' }, { jobId: 'DispatchBatch-batch-rounds' });
    await waitFor('the batch dispatched', async () => (await count(db, `status = 'pending'`)) === 0, 90_000);

    const audit = await auditDispatch(db);
    expect(audit.violations).toEqual([]);
    const assigned = audit.byStatus.assigned ?? 0;
    expect(assigned + (audit.byStatus.unassigned ?? 0)).toBe(160);
    const greedy = greedyNearestFeasible(day.orders, day.caregivers, day.catalogue);
    expect(assigned).toBeGreaterThanOrEqual(greedy.assignments.length);
    const urgentIds = new Set(day.orders.filter((o) => o.priority === 'urgent').map((o) => o.id));
    const greedyUrgent = greedy.assignments.filter((a) => urgentIds.has(a.orderId)).length;
    const urgentAssigned = await count(db, `status = 'assigned' AND priority = 'urgent'`);
    expect(urgentAssigned).toBeGreaterThanOrEqual(greedyUrgent);
    // every assignment has its accept timeout waiting
    const one: { id: string; assigned_at: Date }[] = await db.query(
      `SELECT id, assigned_at FROM care_orders WHERE status = 'assigned' LIMIT 1`,
    );
    expect(
      await queue.queue('dispatch').getJob(`AcceptTimeout-${one[0].id}-${new Date(one[0].assigned_at).getTime()}`),
    ).toBeDefined();
  });

  it("leases partitions in Redis: one holder at a time, compare-and-delete, a dead holder's lease runs out; a batch waits for it", async () => {
    await setup('lease');
    const leases = a!.get(PartitionLeases);
    const first = await leases.acquire('p-test', 60_000);
    expect(first).not.toBeNull();
    // under the queue prefix's hash tag: the queues' Redis Cluster slot
    expect(first!.key.startsWith(`${a!.get<AppConfig>(APP_CONFIG).queuePrefix}:dispatch:lease:`)).toBe(true);
    expect(first!.key).toMatch(/\{[^}]+\}/);
    expect(await b!.get(PartitionLeases).acquire('p-test')).toBeNull();
    expect(await leases.release({ ...first!, token: 'not-mine' })).toBe(false);
    expect(await leases.renew(first!, 60_000)).toBe(true);
    expect(await leases.release(first!)).toBe(true);
    expect(await leases.release(first!)).toBe(false);
    // a holder that dies: its lease runs out
    expect(await leases.acquire('p-dead', 300)).not.toBeNull();
    expect(await leases.acquire('p-dead', 300)).toBeNull();
    await sleep(400);
    expect(await leases.acquire('p-dead', 300)).not.toBeNull();

    // a batch whose partitions are all held by a (dead) dispatcher: nothing is placed until the leases run out
    const day = generateCountyDay({ seed: 43, date, orders: 30, caregivers: 8 });
    const { orderIds } = await seedCountyDay(db, day, { prefix: 'lease' });
    const points = (await db.query('SELECT id, lat, lng FROM service_points')).map(
      (r: { id: string; lat: string; lng: string }) => ({
        id: r.id,
        location: { lat: Number(r.lat), lng: Number(r.lng) },
      }),
    );
    const partitions = new Set(servicePointPartitions(points, serviceCircleRadiusKm()).values());
    for (const p of [...partitions, 'none']) expect(await leases.acquire(p, 2500)).not.toBeNull();
    await db.query(`INSERT INTO care_order_batches (id, source, order_count) VALUES ('batch-lease', 'manual', ?)`, [
      orderIds.length,
    ]);
    await db.query(
      `INSERT INTO care_order_batch_items (batch_id, position, order_id) VALUES ${orderIds.map(() => "('batch-lease', ?, ?)").join(', ')}`,
      orderIds.flatMap((id, i) => [i, id]),
    );
    await queue.add('DispatchBatch', { batchId: 'batch-lease' }, { jobId: 'DispatchBatch-batch-lease' });
    await sleep(1500);
    expect(await count(db, `status = 'pending'`)).toBe(30);
    await waitFor(
      'the batch dispatched once the leases ran out',
      async () => (await count(db, `status = 'pending'`)) === 0,
      60_000,
    );
    expect((await auditDispatch(db)).violations).toEqual([]);
  });

  it('single orders go to rounds: a burst of one-at-a-time enqueues becomes a few debounced rounds, urgent ones at once', async () => {
    await setup('live');
    const day = generateCountyDay({ seed: 44, date, orders: 120, caregivers: 20 });
    const { orderIds } = await seedCountyDay(db, day, { prefix: 'live' });
    const urgentIds = new Set(day.orders.filter((o) => o.priority === 'urgent').map((o) => seededId('live', o.id)));
    // as 120 single POSTs would: one enqueue per order, through care-orders' enqueuer
    const enqueuer = a!.get(DispatchEnqueuer);
    const startedAt = Date.now();
    for (const id of orderIds)
      await enqueuer.dispatch([{ id, version: 0, priority: urgentIds.has(id) ? 'urgent' : 'normal' }]);
    await waitFor('every order decided', async () => (await count(db, `status = 'pending'`)) === 0, 60_000);
    // an urgent round also places the partition's other urgent orders, so the last order can be decided while
    // another urgent order's own round is still queued or running: count the rounds once the queue is idle
    // (the dispatch queue always holds the sweep's delayed job: only rounds count)
    await waitFor('no dispatch round left to run', async () => {
      const open = await queue.queue('dispatch').getJobs(['waiting', 'active', 'delayed', 'prioritized']);
      return !open.some((j) => j?.name === 'DispatchRound');
    });
    const jobs = await queue.queue('dispatch').getJobs(['completed']);
    const intake = jobs.filter((j) => j.name === 'DispatchRound' && String(j.id).startsWith('DispatchRound-intake-'));
    const urgent = jobs.filter((j) => j.name === 'DispatchRound' && String(j.id).startsWith('DispatchRound-urgent-'));
    // one intake job per debounce window, not one per order
    expect(intake.length).toBeLessThanOrEqual(Math.ceil((Date.now() - startedAt) / 250) + 1);
    expect(intake.length).toBeLessThan(orderIds.length - urgentIds.size);
    expect(urgent.length).toBe(urgentIds.size);
    expect(jobs.filter((j) => j.name === 'DispatchOrder')).toEqual([]);
    const audit = await auditDispatch(db);
    expect(audit.violations).toEqual([]);
    expect((audit.byStatus.assigned ?? 0) + (audit.byStatus.unassigned ?? 0)).toBe(120);
    const greedy = greedyNearestFeasible(day.orders, day.caregivers, day.catalogue);
    expect(audit.byStatus.assigned ?? 0).toBeGreaterThanOrEqual(greedy.assignments.length);
  });

  it("a partition leased by another dispatcher: the request sets the partition's want flag and the holder runs another round", async () => {
    await setup('want', 600); // no sweep: only the two calls below may run rounds
    const day = generateCountyDay({ seed: 45, date, orders: 40, caregivers: 10 });
    const { orderIds } = await seedCountyDay(db, day, { prefix: 'want' });
    const config = a!.get<AppConfig>(APP_CONFIG);
    const points = (await db.query('SELECT id, lat, lng FROM service_points')).map(
      (r: { id: string; lat: string; lng: string }) => ({
        id: r.id,
        location: { lat: Number(r.lat), lng: Number(r.lng) },
      }),
    );
    const partitions = servicePointPartitions(points, serviceCircleRadiusKm());
    const refs = await a!.get(DispatchRepository).pendingOrderRefs(orderIds);
    const partitionOfOrder = new Map(
      refs.map((r) => [
        r.id,
        (r.location && partitionOf(r.location, points, partitions, serviceCircleRadiusKm())) || 'none',
      ]),
    );
    // the partition with the most orders; half its orders are held back (not pending) until the holder's first round
    const counts = new Map<string, string[]>();
    for (const [id, p] of partitionOfOrder) counts.set(p, [...(counts.get(p) ?? []), id]);
    const [partition, ids] = [...counts].filter(([p]) => p !== 'none').sort((x, y) => y[1].length - x[1].length)[0];
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const late = ids.slice(0, Math.floor(ids.length / 2));
    await db.query(`UPDATE care_orders SET status = 'unassigned' WHERE id IN (${late.map(() => '?').join(',')})`, late);

    const holder = a!.get(DispatchRoundService);
    const other = b!.get(DispatchRoundService);
    const wantKey = a!.get(PartitionLeases).wantKeyOf(partition);
    expect(wantKey).toBe(`${config.queuePrefix}:dispatch:want:${partition}`);
    const redis = a!.get(JobQueue).redis;
    const original = holder.roundOf.bind(holder);
    let requested: unknown = null;
    const spy = jest.spyOn(holder, 'roundOf').mockImplementation(async (orderIds, p) => {
      if (requested === null) {
        // while the holder plans its first round: the held-back orders arrive, and another dispatcher asks for a round
        await db.query(
          `UPDATE care_orders SET status = 'pending' WHERE id IN (${late.map(() => '?').join(',')})`,
          late,
        );
        requested = await other.runPartition(partition);
        expect(await redis.exists(wantKey)).toBe(1);
      }
      return original(orderIds, p);
    });
    try {
      const outcome = await holder.runPartition(partition);
      expect(requested).toEqual({ outcome: 'deferred', partition });
      expect(outcome).toMatchObject({ outcome: 'rounds', partition });
      expect((outcome as { rounds: number }).rounds).toBeGreaterThanOrEqual(2);
    } finally {
      spy.mockRestore();
    }
    // every order of the partition decided, the late ones included, by the holder's second round
    expect(await count(db, `status = 'pending' AND id IN (${ids.map(() => '?').join(',')})`, ids)).toBe(0);
    expect(await redis.exists(wantKey)).toBe(0);
    expect((await auditDispatch(db)).violations).toEqual([]);
  });

  it('an urgent order whose partition is held: the holder runs an urgent-only round for it next, then the full round', async () => {
    await setup('urgent-want', 600); // no sweep: only the calls below may run rounds
    const day = generateCountyDay({ seed: 46, date, orders: 40, caregivers: 10 });
    const { orderIds } = await seedCountyDay(db, day, { prefix: 'uwant' });
    const points = (await db.query('SELECT id, lat, lng FROM service_points')).map(
      (r: { id: string; lat: string; lng: string }) => ({
        id: r.id,
        location: { lat: Number(r.lat), lng: Number(r.lng) },
      }),
    );
    const partitions = servicePointPartitions(points, serviceCircleRadiusKm());
    const refs = await a!.get(DispatchRepository).pendingOrderRefs(orderIds);
    const byPartition = new Map<string, string[]>();
    for (const r of refs) {
      const p = (r.location && partitionOf(r.location, points, partitions, serviceCircleRadiusKm())) || 'none';
      byPartition.set(p, [...(byPartition.get(p) ?? []), r.id]);
    }
    const [partition, ids] = [...byPartition]
      .filter(([p]) => p !== 'none')
      .sort((x, y) => y[1].length - x[1].length)[0];
    expect(ids.length).toBeGreaterThanOrEqual(4);
    // held back until the holder's first round: one urgent order and a few normal ones
    const late = ids.slice(0, Math.floor(ids.length / 2));
    const [urgentId, ...normalLate] = late;
    const inList = (list: readonly string[]) => `id IN (${list.map(() => '?').join(',')})`;
    await db.query(`UPDATE care_orders SET status = 'unassigned' WHERE ${inList(late)}`, late);
    await db.query(`UPDATE care_orders SET priority = 'urgent' WHERE id = ?`, [urgentId]);
    await db.query(`UPDATE care_orders SET priority = 'normal' WHERE ${inList(normalLate)}`, normalLate);

    const holder = a!.get(DispatchRoundService);
    const other = b!.get(DispatchRoundService);
    const leases = a!.get(PartitionLeases);
    const redis = a!.get(JobQueue).redis;
    const original = holder.roundOf.bind(holder);
    const rounds: string[][] = [];
    let requested: unknown = null;
    const spy = jest.spyOn(holder, 'roundOf').mockImplementation(async (orderIds, p, pickMs, budget) => {
      rounds.push([...orderIds]);
      if (requested === null) {
        // while the holder plans its first round: the held-back orders arrive, the urgent one's job finds the lease taken
        await db.query(`UPDATE care_orders SET status = 'pending' WHERE ${inList(late)}`, late);
        requested = await other.urgent(urgentId);
        expect(await redis.exists(leases.urgentKeyOf(partition))).toBe(1);
      }
      return original(orderIds, p, pickMs, budget);
    });
    try {
      const outcome = await holder.runPartition(partition);
      expect(requested).toEqual({ outcome: 'deferred', partition });
      expect(outcome).toMatchObject({ outcome: 'rounds', partition });
    } finally {
      spy.mockRestore();
    }
    // the second round took the urgent order alone (the normal ones waited for the third)
    expect(rounds.length).toBeGreaterThanOrEqual(3);
    expect(rounds[1]).toEqual([urgentId]);
    expect(rounds.slice(2).flat()).toEqual(expect.arrayContaining(normalLate.filter((id) => !rounds[1].includes(id))));
    expect(await count(db, `status = 'pending' AND ${inList(ids)}`, ids)).toBe(0);
    expect(await redis.exists(leases.urgentKeyOf(partition))).toBe(0);
    expect((await auditDispatch(db)).violations).toEqual([]);
  });

  it('never double-books when many orders race for one caregiver', async () => {
    await setup('race');
    const day = generateCountyDay({ seed: 7, date, orders: 40, caregivers: 1 });
    // one caregiver at the seat, able to do everything, 8 visits a day; 40 companionship visits around the seat
    const caregiver = {
      ...day.caregivers[0],
      active: true,
      skills: ['housekeeping', 'personal_care', 'health', 'escort', 'nursing'],
      maxDailyVisits: 8,
      shiftStart: '08:00',
      shiftEnd: '18:00',
      servicePoint: day.servicePoints[0].location,
      servicePointId: day.servicePoints[0].id,
    };
    const orders = day.orders.map((o, i) => ({
      ...o,
      services: ['companionship'],
      durationMinutes: null,
      declinedBy: [],
      regionCode: '620422100',
      kind: 'urban' as const,
      location: { lat: day.servicePoints[0].location.lat + (i % 5) * 0.002, lng: day.servicePoints[0].location.lng },
    }));
    const { orderIds } = await seedCountyDay(db, { ...day, caregivers: [caregiver], orders }, { prefix: 'race' });
    await enqueue(orderIds.map((id) => ({ id, version: 0 })));
    await waitFor('race orders dispatched', async () => (await count(db, `status = 'pending'`)) === 0);
    const audit = await auditDispatch(db);
    expect(audit.violations).toEqual([]);
    const mine = await count(db, `caregiver_id = ? AND status = 'assigned'`, [seededId('race', caregiver.id)]);
    expect(mine).toBe(8);
  });

  it('re-dispatches a declined order, never to the decliner', async () => {
    await setup('decline');
    const day = generateCountyDay({ seed: 11, date, orders: 1, caregivers: 2 });
    const sp = day.servicePoints[0];
    const caregivers = day.caregivers.map((c) => ({
      ...c,
      active: true,
      skills: ['housekeeping', 'health'],
      servicePoint: sp.location,
      servicePointId: sp.id,
      shiftStart: '08:00',
      shiftEnd: '18:00',
      maxDailyVisits: 8,
    }));
    const orders = day.orders.map((o) => ({
      ...o,
      services: ['health_check'],
      durationMinutes: null,
      declinedBy: [],
      location: sp.location,
      regionCode: sp.regionCode,
      kind: sp.regionCode === '620422100' ? ('urban' as const) : ('rural' as const),
    }));
    const { orderIds } = await seedCountyDay(db, { ...day, caregivers, orders }, { prefix: 'decline' });
    const [id] = orderIds;
    await enqueue([{ id, version: 0 }]);
    await waitFor('first assignment', async () => (await orderRow(db, id)).status === 'assigned');
    const first = await orderRow(db, id);
    // the decline as the care-orders library records it: a decline row, back to pending, version + 1, a new job
    await db.query('INSERT INTO order_declines (order_id, caregiver_id, reason) VALUES (?, ?, ?)', [
      id,
      first.caregiver_id,
      'ill',
    ]);
    await db.query(
      `UPDATE care_orders SET status = 'pending', caregiver_id = NULL, planned_start = NULL, planned_end = NULL, assigned_at = NULL, version = version + 1 WHERE id = ?`,
      [id],
    );
    await enqueue([{ id, version: Number(first.version) + 1 }]);
    await waitFor('second assignment', async () => (await orderRow(db, id)).status !== 'pending');
    const second = await orderRow(db, id);
    expect(second.status).toBe('assigned');
    expect(second.caregiver_id).not.toBe(first.caregiver_id);

    // declined by both: unassigned, NO_CAPACITY
    await db.query('INSERT INTO order_declines (order_id, caregiver_id, reason) VALUES (?, ?, ?)', [
      id,
      second.caregiver_id,
      'busy',
    ]);
    await db.query(
      `UPDATE care_orders SET status = 'pending', caregiver_id = NULL, planned_start = NULL, planned_end = NULL, assigned_at = NULL, version = version + 1 WHERE id = ?`,
      [id],
    );
    await enqueue([{ id, version: Number(second.version) + 1 }]);
    await waitFor('unassigned', async () => (await orderRow(db, id)).status === 'unassigned');
    expect((await orderRow(db, id)).unassigned_reason).toBe('NO_CAPACITY');
  });

  it('retries unassigned orders when a caregiver is added, and marks residents not at home', async () => {
    await setup('retry');
    const day = generateCountyDay({ seed: 12, date, orders: 2, caregivers: 1 });
    const sp = day.servicePoints[0];
    const caregivers = day.caregivers.map((c) => ({
      ...c,
      active: true,
      skills: ['housekeeping'],
      servicePoint: sp.location,
      servicePointId: sp.id,
      shiftStart: '08:00',
      shiftEnd: '18:00',
    }));
    const orders = day.orders.map((o) => ({
      ...o,
      services: ['rehab_care'],
      durationMinutes: null,
      declinedBy: [],
      location: sp.location,
      regionCode: sp.regionCode,
      kind: sp.regionCode === '620422100' ? ('urban' as const) : ('rural' as const),
    }));
    const { orderIds } = await seedCountyDay(db, { ...day, caregivers, orders }, { prefix: 'retry' });
    const [rehab, away] = orderIds;
    await db.query(
      `UPDATE residents SET living_arrangement = 'institution' WHERE id = (SELECT resident_id FROM care_orders WHERE id = ?)`,
      [away],
    );
    await enqueue(orderIds.map((id) => ({ id, version: 0 })));
    await waitFor(
      'unassigned',
      async () => (await count(db, `id IN (?, ?) AND status = 'unassigned'`, [rehab, away])) === 2,
    );
    expect((await orderRow(db, rehab)).unassigned_reason).toBe('NO_SKILLED_CAREGIVER');
    expect((await orderRow(db, away)).unassigned_reason).toBe('RESIDENT_NOT_AT_HOME');

    // a nurse joins the same service point (as the care-orders library does it: a caregiver row, then RetryUnassigned)
    const nurse = seededId('retry', 'nurse');
    await db.query(
      `INSERT INTO caregivers (id, name, phone, gender, service_point_id, shift_start, shift_end, max_daily_visits) VALUES (?, 'nurse', '1', 'female', ?, '08:00', '18:00', 6)`,
      [nurse, seededId('retry', sp.id)],
    );
    await db.query(`INSERT INTO caregiver_skills (caregiver_id, skill) VALUES (?, 'nursing')`, [nurse]);
    await queue.add('RetryUnassigned', { reason: 'nurse added' }, { jobId: `RetryUnassigned-caregiver-${nurse}-0` });
    await waitFor('the rehab order assigned', async () => (await orderRow(db, rehab)).status === 'assigned');
    expect((await orderRow(db, rehab)).caregiver_id).toBe(nurse);
    expect((await orderRow(db, away)).status).toBe('unassigned');
  });

  it('picks up an order whose job was lost (the sweep)', async () => {
    await setup('sweep');
    const day = generateCountyDay({ seed: 13, date, orders: 1, caregivers: 1 });
    const sp = day.servicePoints[0];
    const caregivers = day.caregivers.map((c) => ({
      ...c,
      active: true,
      skills: ['housekeeping', 'health'],
      servicePoint: sp.location,
      servicePointId: sp.id,
      shiftStart: '08:00',
      shiftEnd: '18:00',
      maxDailyVisits: 8,
    }));
    const orders = day.orders.map((o) => ({
      ...o,
      services: ['health_check'],
      durationMinutes: null,
      declinedBy: [],
      location: sp.location,
      regionCode: sp.regionCode,
      kind: sp.regionCode === '620422100' ? ('urban' as const) : ('rural' as const),
    }));
    const { orderIds } = await seedCountyDay(db, { ...day, caregivers, orders }, { prefix: 'sweep' });
    // no job enqueued at all: the api "died" between commit and enqueue
    await waitFor(
      'the sweep to dispatch it',
      async () => (await orderRow(db, orderIds[0])).status === 'assigned',
      20_000,
    );
  });
});

describe('dispatcher: accept timeout', () => {
  let drop: () => Promise<void>;
  let worker: INestApplicationContext;

  afterAll(async () => {
    await worker?.close();
    await drop?.();
  });

  it('an assignment not accepted in time goes to another caregiver', async () => {
    const created = await createTestConfig(buildApp, 'accepttimeout');
    drop = created.drop;
    // 0.02 min = 1.2 s
    worker = await startWorker({
      ...created.config,
      dispatch: { ...created.config.dispatch, acceptTimeoutMinutes: 0.02, sweepSeconds: 60 },
    });
    const db = worker.get(DataSource);
    const date = localDateOf(Date.now() + 2 * DAY_MS);
    const day = generateCountyDay({ seed: 21, date, orders: 1, caregivers: 2 });
    const sp = day.servicePoints[0];
    const caregivers = day.caregivers.map((c) => ({
      ...c,
      active: true,
      skills: ['housekeeping', 'health'],
      servicePoint: sp.location,
      servicePointId: sp.id,
      shiftStart: '08:00',
      shiftEnd: '18:00',
      maxDailyVisits: 8,
    }));
    const orders = day.orders.map((o) => ({
      ...o,
      services: ['health_check'],
      durationMinutes: null,
      declinedBy: [],
      location: sp.location,
      regionCode: sp.regionCode,
      kind: sp.regionCode === '620422100' ? ('urban' as const) : ('rural' as const),
    }));
    const { orderIds } = await seedCountyDay(db, { ...day, caregivers, orders }, { prefix: 'lapse' });
    const [id] = orderIds;
    await worker.get(JobQueue).add('DispatchOrder', { orderId: id }, { jobId: dispatchJobId(id, 0) });
    await waitFor('first assignment', async () => (await orderRow(db, id)).status === 'assigned');
    const first = await orderRow(db, id);
    await waitFor('re-assignment to the other caregiver', async () => {
      const now = await orderRow(db, id);
      return now.status === 'assigned' && now.caregiver_id !== first.caregiver_id;
    });
    const lapses: { caregiver_id: string; reason: string }[] = await db.query(
      'SELECT caregiver_id, reason FROM order_declines WHERE order_id = ?',
      [id],
    );
    expect(lapses).toEqual([expect.objectContaining({ caregiver_id: first.caregiver_id })]);
    expect(lapses[0].reason).toMatch(/ACCEPT_TIMEOUT/);
    // the second caregiver lets it lapse too: nobody is left
    await waitFor('unassigned after both lapsed', async () => (await orderRow(db, id)).status === 'unassigned');
  });
});

describe('dispatcher: a caregiver deactivation racing an assignment', () => {
  let drop: () => Promise<void>;
  let app: INestApplicationContext;

  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  it('the assignment waits for the deactivation (shared lock on the caregiver row) and then does not place the order', async () => {
    const created = await createTestConfig(buildApp, 'deactrace');
    drop = created.drop;
    // no worker started: the test calls the use case itself
    app = await NestFactory.createApplicationContext(DispatchWorkerHost.forRoot(created.config), { logger: false });
    const db = app.get(DataSource);
    const date = localDateOf(Date.now() + 2 * DAY_MS);
    const day = generateCountyDay({ seed: 31, date, orders: 1, caregivers: 1 });
    const sp = day.servicePoints[0];
    const caregivers = day.caregivers.map((c) => ({
      ...c,
      active: true,
      skills: ['housekeeping', 'health'],
      servicePoint: sp.location,
      servicePointId: sp.id,
      shiftStart: '08:00',
      shiftEnd: '18:00',
      maxDailyVisits: 8,
    }));
    const orders = day.orders.map((o) => ({
      ...o,
      services: ['health_check'],
      durationMinutes: null,
      declinedBy: [],
      location: sp.location,
      regionCode: sp.regionCode,
      kind: sp.regionCode === '620422100' ? ('urban' as const) : ('rural' as const),
    }));
    const { orderIds } = await seedCountyDay(db, { ...day, caregivers, orders }, { prefix: 'deact' });
    const [id] = orderIds;
    const caregiverId = seededId('deact', caregivers[0].id);
    const orderDate = localDateOf(
      (await db.query('SELECT window_start FROM care_orders WHERE id = ?', [id]))[0].window_start.getTime(),
    );
    // the caregiver-day row exists and this process knows it (no INSERT, whose foreign-key check would also wait)
    await app.get(DispatchRepository).ensureCaregiverDay(caregiverId, orderDate);

    // a caregiver PATCH in flight: the row locked FOR UPDATE and the deactivation written, not yet committed
    const patch = db.createQueryRunner();
    await patch.connect();
    await patch.startTransaction();
    try {
      await patch.query('SELECT id FROM caregivers WHERE id = ? FOR UPDATE', [caregiverId]);
      await patch.query('UPDATE caregivers SET active = 0, version = version + 1 WHERE id = ?', [caregiverId]);
      const dispatching = app.get(DispatchService).dispatch(id);
      await sleep(800);
      // the assignment is waiting for the caregiver's row: nothing written yet
      expect((await orderRow(db, id)).status).toBe('pending');
      await patch.commitTransaction();
      const outcome = await dispatching;
      expect(outcome.outcome).toBe('unassigned');
    } finally {
      if (patch.isTransactionActive) await patch.rollbackTransaction();
      await patch.release();
    }
    const after = await orderRow(db, id);
    expect(after.status).toBe('unassigned');
    expect(after.unassigned_reason).toBe('NO_SKILLED_CAREGIVER');
    expect(after.caregiver_id).toBeNull();
  });
});
