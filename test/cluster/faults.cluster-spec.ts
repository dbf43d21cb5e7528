import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dispatchIntakeJob, urgentRoundJob } from '@care/care-orders';
import {
  API_DATABASE_LIMITS,
  SqlTransactionRunner,
  TransactionRunner,
  dataSourceOptions,
  deleteKeysWithPrefix,
  loadConfig,
  mustMatchOne,
  rowsOf,
  stmt,
} from '@care/core';
import { localDateOf } from '@care/dispatch';
import { auditDispatch, generateCountyDay, seedCountyDay, seededId } from '@care/dispatch/test-support';
import { createTestDatabase } from '@care/testing';
import { migrate } from '../../apps/api/src/cli/migrate';
import { hardRulesInSql } from '../bench/support/hard-rules-sql';
import { productionEnv, productionStart } from '../bench/support/production-start';
import { makeIdNumber } from '../e2e/support/care-homes';
import {
  CLUSTER_DIR,
  REDIS_URL,
  ROOT,
  alive,
  clusterCtl,
  clusterCtlAsync,
  clusterUrl,
  connectNode,
  freePort,
  galeraState,
  killRedisMasterOf,
  nodeUrl,
  redisCluster,
  sleep,
  waitForFailover,
} from './support/cluster';
import { type StartedProcess, startBuiltProcess } from '../support/processes';

/**
 * The invariants on a three-node Galera cluster and a Redis Cluster, with faults: two api processes on different
 * Galera nodes and two dispatchers on two others.
 *
 * 1. Admissions and discharges race across both apis while Galera node 1 (api A's node) is SIGKILLed mid-traffic and
 *    brought back (IST). Afterwards, on every node: no bed with two active stays, no resident with two, every
 *    acknowledged admission and discharge present, and the nodes hold the same rows.
 * 2. A county day is dispatched by two dispatchers while the Redis master holding the queues' slot is SIGKILLed (its
 *    replica takes over) and a dispatcher is SIGKILLed. Afterwards, on every node: no order pending, none assigned
 *    twice, no caregiver double-booked, every hard rule kept.
 */
/** Started as `npm run start:api` / `start:dispatcher` start them: their node flags and environment defaults. */
function startAsProduction(app: 'api' | 'dispatcher', ready: RegExp, env: Record<string, string>) {
  const start = productionStart(app);
  return startBuiltProcess(start.script, { ...productionEnv(start), ...env }, ready, 60_000, start.nodeArgs);
}
const startApi = (env: Record<string, string>) => startAsProduction('api', /api listening/, env);
const startDispatcher = (env: Record<string, string>) => startAsProduction('dispatcher', /dispatcher ready/, env);
const ADMIN_PASSWORD = 'admin-password-for-cluster';
const API = '/api/v1';
const DAY_MS = 24 * 3600_000;
const NODES = [1, 2, 3];

const processes: StartedProcess[] = [];
afterAll(() => {
  for (const p of processes) if (alive(p)) p.child.kill('SIGKILL');
});

async function everyNode<T>(database: string, check: (db: DataSource, node: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const node of NODES) {
    const db = new DataSource(dataSourceOptions({ databaseUrl: nodeUrl(node, database) }, { migrations: [] }));
    await db.initialize();
    try {
      results.push(await check(db, node));
    } finally {
      await db.destroy();
    }
  }
  return results;
}

/** Waits until every node is Synced in a cluster of three, and the last writes have been applied everywhere. */
async function waitForSyncedCluster(timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(NODES.map((i) => galeraState(i).catch(() => null)));
    if (states.every((s) => s?.state === 'Synced' && s.size === 3 && s.ready)) break;
    if (Date.now() > deadline) throw new Error(`cluster not synced: ${JSON.stringify(states)}`);
    await sleep(500);
  }
  // a causal read on each node waits for every write-set the cluster committed before it
  for (const i of NODES) {
    const c = await connectNode(i, '');
    await c.query('SET SESSION wsrep_sync_wait = 1');
    await c.query('SELECT 1');
    await c.end();
  }
}

describe('Galera + Redis Cluster under faults', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    await waitForSyncedCluster();
    database = await createTestDatabase('cluster');
    await migrate(clusterUrl(database.name), () => undefined);
  }, 120_000);

  afterAll(async () => {
    await database?.drop();
  });

  it('the schema is fit for Galera: every table InnoDB with a primary key, and no LOCK TABLES or GET_LOCK in the code', async () => {
    const c = await connectNode(1, database.name);
    try {
      const [rows] = await c.query(
        `SELECT t.table_name AS name, t.engine FROM information_schema.tables t
          WHERE t.table_schema = ? AND t.table_type = 'BASE TABLE'
            AND (t.engine <> 'InnoDB' OR NOT EXISTS (SELECT 1 FROM information_schema.table_constraints k
                  WHERE k.table_schema = t.table_schema AND k.table_name = t.table_name AND k.constraint_type = 'PRIMARY KEY'))`,
        [database.name],
      );
      expect(rows).toEqual([]);
    } finally {
      await c.end();
    }
    // Galera replicates neither table locks nor user-level locks: nothing may rely on them
    const grep = spawnSync('grep', ['-rliE', 'LOCK TABLES|GET_LOCK\\(', 'apps', 'libs', '--include=*.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const offenders = grep.stdout.split('\n').filter((f) => f && !/\.spec\.ts$|mysql-errors\.ts$/.test(f));
    expect(offenders).toEqual([]);
  });

  // issue 16, the cause of the bed whose status disagreed with its stays: node 1's write-set needs a row that a hot-path
  // transaction on node 2 has locked, so node 2's applier aborts that transaction while a statement of its commit round
  // trip runs (a sleep here, so the timing is certain; in the fault run, any statement that missed the abort). MariaDB
  // reported no deadlock then, and the rest of the round trip ran with autocommit: the stay committed, the bed not.
  it('a hot-path transaction aborted by a replicated write during its commit round trip commits nothing of it, and is retried', async () => {
    const node1 = await connectNode(1, database.name);
    await node1.query('CREATE TABLE probe_beds (id INT PRIMARY KEY, status VARCHAR(16) NOT NULL) ENGINE=InnoDB');
    await node1.query('CREATE TABLE probe_stays (id INT PRIMARY KEY, bed_id INT NOT NULL) ENGINE=InnoDB');
    await node1.query("INSERT INTO probe_beds (id, status) VALUES (1, 'vacant')");
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: clusterUrl(database.name, 2), DB_HOT_POOL_SIZE: '1' });
    // TypeORM's runner only lends its (absent) audit hook; its DataSource is never connected
    const lender = new TransactionRunner(new DataSource({ type: 'mysql', url: nodeUrl(2, database.name) }));
    const runner = new SqlTransactionRunner(config, API_DATABASE_LIMITS, lender);
    let attempts = 0;
    let closing: Promise<unknown> = Promise.resolve();
    try {
      const outcome = await runner.run(async (tx) => {
        attempts++;
        const [rows] = await tx.batch([stmt('SELECT status FROM probe_beds WHERE id = ? FOR UPDATE', [1])]);
        if (rowsOf<{ status: string }>(rows)[0].status !== 'vacant') return 'refused: the bed is not vacant';
        // node 1 closes the bed while this transaction, on node 2, holds its lock and sends its writes
        if (attempts === 1)
          closing = sleep(200).then(() => node1.query("UPDATE probe_beds SET status = 'closed' WHERE id = 1"));
        await tx.commit([
          stmt('DO SLEEP(?)', [1]),
          stmt('INSERT INTO probe_stays (id, bed_id) VALUES (?, ?)', [attempts, 1]),
          mustMatchOne(stmt("UPDATE probe_beds SET status = 'occupied' WHERE id = ? AND status = 'vacant'", [1])),
        ]);
        return 'admitted';
      });
      await closing;
      expect({ outcome, attempts }).toEqual({ outcome: 'refused: the bed is not vacant', attempts: 2 });
      await waitForSyncedCluster();
      const states = await everyNode(database.name, async (db) => ({
        beds: (await db.query('SELECT status FROM probe_beds')) as unknown[],
        stays: (await db.query('SELECT id FROM probe_stays')) as unknown[],
      }));
      for (const state of states) expect(state).toEqual({ beds: [{ status: 'closed' }], stays: [] });
    } finally {
      await closing.catch(() => undefined);
      await runner.onModuleDestroy();
      await node1.end();
    }
  }, 120_000);

  it('admissions race on two apis (two nodes) while node 1 is killed and rejoins by IST: every node agrees, nothing doubled, nothing acknowledged lost', async () => {
    const prefix = `{cl-${randomBytes(3).toString('hex')}}`;
    const common = { REDIS_URL, QUEUE_PREFIX: prefix, ADMIN_PASSWORD, DISPATCH_SWEEP_SECONDS: '3' };
    const portA = await freePort();
    const portB = await freePort();
    // api A starts on node 1 (then 2, 3), api B on node 2 (then 3, 1)
    const apiA = await startApi({ ...common, PORT: String(portA), DATABASE_URL: clusterUrl(database.name, 1) });
    processes.push(apiA);
    const apiB = await startApi({ ...common, PORT: String(portB), DATABASE_URL: clusterUrl(database.name, 2) });
    processes.push(apiB);
    const a = () => request(`http://127.0.0.1:${portA}`);
    const b = () => request(`http://127.0.0.1:${portB}`);

    const admin = (
      await a().post(`${API}/auth/login`).send({ username: 'admin', password: ADMIN_PASSWORD }).expect(200)
    ).body.accessToken as string;
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    const facility = (
      await a()
        .post(`${API}/facilities`)
        .set(as(admin))
        .send({
          name: '集群测试院',
          type: 'nursing_home',
          regionCode: '620422100',
          address: '会师镇西关街1号',
          lat: 35.6929,
          lng: 105.0466,
          ownership: 'public',
          comprehensive: true,
        })
        .expect(201)
    ).body.id as string;
    await a()
      .post(`${API}/users`)
      .set(as(admin))
      .send({ username: 'cluster_manager', password: 'password-123', role: 'manager', facilityIds: [facility] })
      .expect(201);
    const manager = (
      await b().post(`${API}/auth/login`).send({ username: 'cluster_manager', password: 'password-123' }).expect(200)
    ).body.accessToken as string;
    const bedCount = 36;
    await a()
      .post(`${API}/facilities/${facility}/beds/bulk`)
      .set(as(admin))
      .send({
        beds: Array.from({ length: bedCount }, (_, i) => ({
          room: `C${Math.floor(i / 6)}`,
          label: String(i % 6),
          type: 'nursing',
        })),
      })
      .expect(201);
    const node1 = await connectNode(1, database.name);
    const beds = (
      (await node1.query('SELECT id FROM beds WHERE facility_id = ?', [facility]))[0] as { id: string }[]
    ).map((r) => r.id);
    await node1.end();
    expect(beds).toHaveLength(bedCount);
    const residents: string[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await (i % 2 ? a() : b())
        .post(`${API}/residents`)
        .set(as(admin))
        .send({
          name: '张桂兰',
          idNumber: makeIdNumber(),
          regionCode: '620422100',
          livingArrangement: 'home',
          categories: ['destitute'],
          facilityId: facility,
        })
        .expect(201);
      residents.push(res.body.id as string);
    }

    // traffic: 12 workers, alternating apis, admit a random resident into a random bed, discharge 80 % of the stays at
    // once and keep the others for a while: a worker whose admission found the bed or the resident taken discharges
    // one of its kept stays (the beds keep turning over: otherwise they all filled before the kill once the client
    // ran at full speed, and nothing more could be admitted)
    const admitted = new Set<string>();
    const discharged = new Set<string>();
    const statuses: Record<string, number> = {};
    // the slowest answers, as the client saw them (ms, with what they answered)
    const slowest: { ms: number; what: string }[] = [];
    const note = (api: string, status: number, code: string | undefined, ms: number) => {
      const key = `${api} ${status}${code ? ` ${code}` : ''}`;
      statuses[key] = (statuses[key] ?? 0) + 1;
      slowest.push({ ms: Math.round(ms), what: key });
      slowest.sort((x, y) => y.ms - x.ms).splice(5);
    };
    let stop = false;
    const worker = async (w: number) => {
      let n = 0;
      const kept: string[] = [];
      while (!stop) {
        const api = (w + n++) % 2 ? 'A' : 'B';
        const http = api === 'A' ? a : b;
        const resident = residents[Math.floor(Math.random() * residents.length)];
        const bed = beds[Math.floor(Math.random() * beds.length)];
        const sent = performance.now();
        const res = await http()
          .post(`${API}/facilities/${facility}/admissions`)
          .set(as(manager))
          .send({ residentId: resident, bedId: bed })
          .timeout(8_000)
          .catch((error: Error) => ({ status: 0, body: { code: error.message.slice(0, 40) } }));
        note(api, res.status, (res.body as { code?: string }).code, performance.now() - sent);
        let leaving: string | undefined;
        if (res.status === 201) {
          const stayId = (res.body as { id: string }).id;
          admitted.add(stayId);
          if (Math.random() < 0.8) leaving = stayId;
          else kept.push(stayId);
        } else if (res.status === 409 && Math.random() < 0.5) leaving = kept.shift();
        if (leaving) {
          const again = performance.now();
          const out = await http()
            .post(`${API}/stays/${leaving}/discharge`)
            .set(as(manager))
            .send({ reason: 'other' })
            .timeout(8_000)
            .catch((error: Error) => ({ status: 0, body: { code: error.message.slice(0, 40) } }));
          note(`${api} discharge`, out.status, (out.body as { code?: string }).code, performance.now() - again);
          if (out.status === 200) discharged.add(leaving);
        }
        if (res.status >= 500 || res.status === 0) await sleep(100);
      }
    };
    const workers = Array.from({ length: 12 }, (_, w) => worker(w));
    await sleep(4000);
    const beforeKill = admitted.size;
    // not execFileSync: the workers keep sending and reading answers while the script runs
    await clusterCtlAsync('stop-node', '1');
    // Galera stalls commits until the dead node is declared dead (evs.suspect_timeout, 3 s here): give it 12 s
    await sleep(12_000);
    const duringOutage = admitted.size - beforeKill;
    await clusterCtlAsync('start-node', '1');
    await sleep(4000);
    stop = true;
    await Promise.all(workers);

    // both apis kept admitting while node 1 was down (api A moved to node 2), nothing answered 500, and every request
    // had its answer within the client's 8 s (the contract's 5 s is what the apis' limits aim at: the slowest answers
    // are printed below)
    const seen = { beforeKill, duringOutage, statuses, slowest };
    if (beforeKill < 1 || duringOutage < 1) throw new Error(`too few admissions: ${JSON.stringify(seen)}`);
    expect(Object.keys(statuses).filter((k) => / (500|0)\b/.test(k))).toEqual([]);
    const ist = clusterCtl('status');
    expect(ist).toMatch(/galera node 1 .*Synced size=3/);
    // it came back by IST: only the write-sets it missed (a full transfer would prepare to receive from 0)
    const log = readFileSync(join(CLUSTER_DIR, 'db1.err'), 'utf8');
    const rejoin = log.slice(log.lastIndexOf('Prepared IST receiver for'));
    expect(Number(/^Prepared IST receiver for (\d+)-/.exec(rejoin)?.[1])).toBeGreaterThan(0);
    expect(rejoin).toMatch(/IST received/);

    await waitForSyncedCluster();
    const views = await everyNode(database.name, async (db, node) => {
      const q = async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)) as T[];
      expect(
        await q(`SELECT bed_id, COUNT(*) AS n FROM stays WHERE status = 'active' GROUP BY bed_id HAVING n > 1`),
      ).toEqual([]);
      expect(
        await q(
          `SELECT resident_id, COUNT(*) AS n FROM stays WHERE status = 'active' GROUP BY resident_id HAVING n > 1`,
        ),
      ).toEqual([]);
      // a bed whose status disagrees with its active stays (issue 16: once, before guarded writes failed their
      // transaction before COMMIT): shown with its stays and periods, so a failure says what happened to it
      const mismatched = await q<{ id: string; status: string }>(
        `SELECT b.id, b.status FROM beds b LEFT JOIN stays s ON s.bed_id = b.id AND s.status = 'active'
          WHERE (b.status = 'occupied') <> (s.id IS NOT NULL)`,
      );
      const evidence = [];
      for (const bed of mismatched) {
        evidence.push({
          bed,
          stays: await q('SELECT id, status, admitted_at, discharged_at, updated_at FROM stays WHERE bed_id = ?', [
            bed.id,
          ]),
          periods: await q('SELECT stay_id, started_at, ended_at, end_reason FROM bed_occupancies WHERE bed_id = ?', [
            bed.id,
          ]),
        });
      }
      expect({ node, evidence }).toEqual({ node, evidence: [] });
      // every acknowledged write is on this node
      const stays = await q<{ id: string; status: string }>('SELECT id, status FROM stays');
      const byId = new Map(stays.map((s) => [s.id, s.status]));
      const missing = [...admitted].filter((id) => !byId.has(id));
      const notDischarged = [...discharged].filter((id) => byId.get(id) !== 'discharged');
      expect({ node, missing, notDischarged }).toEqual({ node, missing: [], notDischarged: [] });
      const [sum] = await q<{ n: string; c: string | null }>(
        `SELECT COUNT(*) AS n, SUM(CRC32(CONCAT(id, status, bed_id, resident_id))) AS c FROM stays`,
      );
      const [audit] = await q<{ n: string }>('SELECT COUNT(*) AS n FROM audit_events');
      // beds too: a bed that differs between nodes would be a replication fault, not a transaction's
      const [beds] = await q<{ c: string | null }>(`SELECT SUM(CRC32(CONCAT(id, status))) AS c FROM beds`);
      return { stays: sum.n, checksum: sum.c, beds: beds.c, audit: audit.n };
    });
    // the three nodes hold the same rows
    expect(views[1]).toEqual(views[0]);
    expect(views[2]).toEqual(views[0]);
    // the transactions the apis retried, by cause (deadlock or certification failure, a guarded write that matched no
    // row, a transaction that ended under its commit round trip, a node out of the cluster)
    const retries: Record<string, number> = {};
    for (const p of [apiA, apiB]) {
      for (const [, code] of p.output().matchAll(/transaction retried after (\w+)/g))
        retries[code] = (retries[code] ?? 0) + 1;
    }
    console.log(
      `[cluster] retried transactions ${JSON.stringify(retries)}; slowest answers ${JSON.stringify(slowest)}; ` +
        `admissions: ${admitted.size} admitted (${beforeKill} before the kill, ${duringOutage} while node 1 was down), ` +
        `${discharged.size} discharged; answers ${JSON.stringify(statuses)}; every node: ${JSON.stringify(views[0])}`,
    );

    for (const p of [apiA, apiB]) p.child.kill('SIGTERM');
    for (const p of [apiA, apiB]) expect((await p.exited).code).toBe(0);
    await deleteKeysWithPrefix(REDIS_URL, prefix).catch(() => undefined);
  }, 300_000);

  it('dispatch on two dispatchers while the queues’ Redis master and a dispatcher are SIGKILLed: no order pending or doubled, every hard rule kept, on every node', async () => {
    const prefix = `{cd-${randomBytes(3).toString('hex')}}`;
    const db = new DataSource(dataSourceOptions({ databaseUrl: clusterUrl(database.name, 3) }, { migrations: [] }));
    await db.initialize();
    // three waves of a county day, each seeded and enqueued through the cluster: the faults strike between them, so
    // work is always left (a round decides a whole wave at once, faster than any progress threshold)
    const orderIds: string[] = [];
    const urgent = new Set<string>();
    const ours = () => `id IN (${orderIds.map(() => '?').join(',')})`;
    const pending = async (): Promise<number> =>
      Number(
        (
          (await db.query(
            `SELECT COUNT(*) AS n FROM care_orders WHERE status = 'pending' AND ${ours()}`,
            orderIds,
          )) as {
            n: string;
          }[]
        )[0].n,
      );
    const perWave = 250;
    const seedWave = async (wave: number): Promise<void> => {
      const day = generateCountyDay({
        seed: 2030 + wave,
        date: localDateOf(Date.now() + (2 + wave) * DAY_MS),
        orders: perWave,
        caregivers: 40,
      });
      // in one transaction, as POST /care-orders writes an order with its services: the dispatchers are running, and
      // an order seen before its services were inserted would be placed without its skills (a test artefact)
      const seeded = await db.transaction((em) => seedCountyDay(em, day, { prefix: `cd${wave}` }));
      orderIds.push(...seeded.orderIds);
      for (const o of day.orders) if (o.priority === 'urgent') urgent.add(seededId(`cd${wave}`, o.id));
    };
    const redis = redisCluster();
    const queue = new Queue('dispatch', { connection: redis, prefix });
    const retried = { attempts: 8, backoff: { type: 'exponential' as const, delay: 500 } };
    /** As POST /care-orders would: urgent orders a round each, the rest the intake; retried through a fail-over. */
    const enqueueWave = async (ids: string[]): Promise<void> => {
      const jobs = [
        ...ids.filter((id) => urgent.has(id)).map((id) => urgentRoundJob({ id, version: 0, priority: 'urgent' })),
        dispatchIntakeJob(Date.now()),
      ];
      for (const job of jobs) {
        for (let attempt = 0; ; attempt++) {
          try {
            await queue.add('DispatchRound', job.payload, { ...job.options, ...retried });
            break;
          } catch (error) {
            if (attempt > 50) throw error;
            await sleep(200);
          }
        }
      }
    };
    const waitUntil = async (what: string, ok: () => Promise<boolean>, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (await ok()) return;
        await sleep(100);
      }
      throw new Error(`timed out: ${what} (${await pending()} pending)`);
    };

    const env = (first: number) => ({
      DATABASE_URL: clusterUrl(database.name, first),
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      DISPATCH_SWEEP_SECONDS: '3',
      DISPATCH_CONCURRENCY: '4',
    });
    // dispatchers on node 3 and node 2 (the apis of the first test sat on 1 and 2)
    const first = await startDispatcher(env(3));
    const second = await startDispatcher(env(2));
    processes.push(first, second);

    // wave 1, then the Redis master of the queues' slot is SIGKILLed while it is dispatched; its replica takes over
    await seedWave(1);
    await enqueueWave(orderIds);
    await waitUntil('wave 1 under way', async () => (await pending()) < perWave, 120_000);
    const pendingAtRedisKill = await pending();
    const deadPort = await killRedisMasterOf(redis, `${prefix}:x`);
    // wave 2 is enqueued while the cluster fails over (the adds retry until a master serves the slot)
    const wave2From = orderIds.length;
    await seedWave(2);
    const failoverStarted = Date.now();
    await enqueueWave(orderIds.slice(wave2From));
    const promoted = await waitForFailover(redis, `${prefix}:x`, deadPort);
    const failoverSeconds = (Date.now() - failoverStarted) / 1000;
    // wave 3, and a dispatcher is SIGKILLed while it works; a replacement joins on node 1
    const wave3From = orderIds.length;
    await seedWave(3);
    await enqueueWave(orderIds.slice(wave3From));
    await sleep(300);
    const pendingAtDispatcherKill = await pending();
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const third = await startDispatcher(env(1));
    processes.push(third);
    expect(pendingAtRedisKill + pendingAtDispatcherKill).toBeGreaterThan(0);
    const orders = orderIds.length;

    await waitUntil('no order pending', async () => (await pending()) === 0, 240_000);
    await queue.close();
    redis.disconnect();
    await db.destroy();
    // the dead master comes back as a replica of the promoted one
    clusterCtl('up');

    await waitForSyncedCluster();
    const views = await everyNode(database.name, async (node) => {
      const audit = await auditDispatch(node);
      expect(audit.violations).toEqual([]);
      const rules = await hardRulesInSql(node);
      expect(Object.entries(rules).filter(([, n]) => n > 0)).toEqual([]);
      // no order assigned twice: one row per order, and no caregiver's assigned visits overlap
      const doubles: unknown[] = await node.query(
        `SELECT a.id FROM care_orders a JOIN care_orders b ON a.caregiver_id = b.caregiver_id AND a.id < b.id
          WHERE a.status = 'assigned' AND b.status = 'assigned' AND a.planned_start < b.planned_end AND b.planned_start < a.planned_end`,
      );
      expect(doubles).toEqual([]);
      const rows: { status: string; n: string; c: string }[] = await node.query(
        `SELECT status, COUNT(*) AS n, SUM(CRC32(CONCAT(id, COALESCE(caregiver_id, ''), COALESCE(planned_start, '')))) AS c
           FROM care_orders WHERE ${ours()} GROUP BY status ORDER BY status`,
        orderIds,
      );
      return rows.map((r) => `${r.status}:${r.n}:${r.c}`).join(' ');
    });
    expect(views[0]).not.toMatch(/pending/);
    // why orders went unassigned (a reason each: the hard rules above say none was refused wrongly)
    const reasons = await everyNode(database.name, async (db1, n) =>
      n === 1
        ? ((await db1.query(
            `SELECT unassigned_reason AS reason, COUNT(*) AS n FROM care_orders WHERE status = 'unassigned' AND ${ours()}
              GROUP BY unassigned_reason ORDER BY unassigned_reason`,
            orderIds,
          )) as { reason: string | null; n: string }[])
        : [],
    );
    expect(views[1]).toEqual(views[0]);
    expect(views[2]).toEqual(views[0]);
    console.log(
      `[cluster] dispatch: ${orders} orders in 3 waves; Redis master :${deadPort} killed at ${pendingAtRedisKill} pending, ` +
        `replica :${promoted} served the slot ${failoverSeconds.toFixed(1)} s later; ` +
        `dispatcher killed at ${pendingAtDispatcherKill} pending; every node: ${views[0].replace(/:\d+(?= |$)/g, '')}; ` +
        `unassigned: ${reasons[0].map((r) => `${r.reason ?? 'none'} ${r.n}`).join(', ')}`,
    );
    for (const p of [second, third]) p.child.kill('SIGTERM');
    const stopStarted = Date.now();
    for (const p of [second, third]) {
      // a clean stop; when not, what the dispatcher said last
      const { code } = await p.exited;
      expect({ code, said: code === 0 ? '' : p.output().slice(-4000) }).toEqual({ code: 0, said: '' });
    }
    // how they stopped: BullMQ's close, or their connections cut after the last job (JobWorkerHost.stop)
    const cut = [second, third].filter((p) => /connections were cut/.test(p.output())).length;
    console.log(`[cluster] dispatchers stopped in ${Date.now() - stopStarted} ms; connections cut in ${cut} of 2`);
    await deleteKeysWithPrefix(REDIS_URL, prefix).catch(() => undefined);
  }, 480_000);
});
