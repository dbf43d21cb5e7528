import { randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';
import { API_DATABASE_LIMITS, asServiceUnavailable, dataSourceOptions } from '@care/core';
import { auditDispatch } from '@care/dispatch/test-support';
import { createTestConfig } from '@care/testing';
import { createApiApp } from '../../apps/api/src/bootstrap';
import {
  TcpProxy,
  adminToken,
  freePort,
  orderBody,
  seedCounty,
  sleep,
  startDispatcher,
  timedClient,
  type Timed,
} from './support/outage';
import { buildApp } from '../support/apps';

/**
 * MariaDB becomes unreachable mid-traffic: the api and a dispatcher reach the shared server through a TCP proxy of
 * this test's own, which the test cuts (open connections reset, new ones refused) and restores. The shared server
 * is never touched. While it is cut every request answers within 5 s, 503 SERVICE_UNAVAILABLE where it needs the
 * database; afterwards the requests that failed are retried with their Idempotency-Key, and every order is
 * committed once and dispatched once. Also: the pool's acquire bound and the statement time limit.
 */
describe('outage: MariaDB unreachable mid-traffic', () => {
  let proxy: TcpProxy;
  let app: INestApplication;
  let worker: INestApplicationContext | null = null;
  let direct: DataSource;
  let drop: () => Promise<void>;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    const test = await createTestConfig(buildApp, 'outdb');
    drop = test.drop;
    const target = new URL(test.config.databaseUrl);
    proxy = new TcpProxy(await freePort(), { host: target.hostname, port: Number(target.port || 3306) });
    await proxy.start();
    const proxied = new URL(test.config.databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const config = {
      ...test.config,
      databaseUrl: proxied.toString(),
      dispatch: { ...test.config.dispatch, sweepSeconds: 2 },
    };
    app = await createApiApp(config);
    await app.init();
    worker = await startDispatcher(config);
    // the test's own view of the database, past the proxy
    direct = new DataSource(dataSourceOptions({ databaseUrl: test.config.databaseUrl }, { migrations: [] }));
    await direct.initialize();
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await proxy?.stop();
    await direct?.destroy();
    await drop?.();
    process.off('unhandledRejection', onUnhandled);
  });

  it('answers 503 within 5 s while the database is cut, then commits and dispatches every order once', async () => {
    const token = await adminToken(app);
    const send = timedClient(app, token);
    const residents = await seedCounty(app, token, 30);
    const answers: Timed[] = [];
    /** Idempotency-Key → the order id it was answered with (undefined while only a 503 came back). */
    const keys = new Map<string, string | undefined>();
    let n = 0;
    const postOrder = async (key: string = randomUUID(), i = n++) => {
      const res = await send('POST /care-orders', (r) =>
        r
          .post('/api/v1/care-orders')
          .set('Idempotency-Key', key)
          .send(orderBody(residents[i % residents.length], i)),
      );
      answers.push(res);
      keys.set(key, res.status === 202 ? String(res.body.id) : keys.get(key));
      return res;
    };
    const bodies = new Map<string, number>();

    for (let i = 0; i < 5; i++) expect((await postOrder()).status).toBe(202);

    // cut while requests are in flight
    const inFlight = Promise.all(
      Array.from({ length: 8 }, async () => {
        const key = randomUUID();
        bodies.set(key, n);
        return postOrder(key, n++);
      }),
    );
    await sleep(20);
    await proxy.cut();
    for (const res of await inFlight) expect([202, 503]).toContain(res.status);

    const during: Timed[] = [];
    for (let round = 0; round < 3; round++) {
      const key = randomUUID();
      bodies.set(key, n);
      const batch = await Promise.all([
        postOrder(key, n++),
        send('GET /care-orders', (r) => r.get('/api/v1/care-orders?limit=5')),
        send('GET /residents', (r) => r.get('/api/v1/residents?limit=5')),
        send('GET /health', (r) => r.get('/health')),
      ]);
      during.push(...batch);
      answers.push(...batch.slice(1));
    }
    for (const res of during) {
      expect(res.status).toBe(503);
      if (res.what === 'GET /health') {
        expect(res.body.info).toEqual({ database: { status: 'down' }, redis: { status: 'up' } });
      } else {
        expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
        expect(String(res.body.message)).not.toMatch(/ECONN|PROTOCOL|127\.0\.0\.1|SELECT|INSERT/);
      }
    }

    // the database is back: the pool reconnects, and every order that got no 202 is retried with its key
    await proxy.restore();
    for (const [key, id] of keys) {
      if (id !== undefined) continue;
      const res = await postOrder(key, bodies.get(key));
      expect(res.status).toBe(202);
    }
    for (let i = 0; i < 3; i++) expect((await postOrder()).status).toBe(202);

    for (const res of answers) {
      expect(res.status).not.toBe(0); // nothing hung
      expect(res.ms).toBeLessThan(5000);
    }

    // nothing lost, nothing twice: one order per key, and no other order
    const ids = [...keys.values()];
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect(new Set(ids).size).toBe(keys.size);
    const count: { n: string }[] = await direct.query('SELECT COUNT(*) AS n FROM care_orders');
    expect(Number(count[0].n)).toBe(keys.size);

    // every order is dispatched (by its job, or by the sweep once the database is back), each once
    const pending = async () =>
      Number(
        ((await direct.query(`SELECT COUNT(*) AS n FROM care_orders WHERE status = 'pending'`)) as { n: string }[])[0]
          .n,
      );
    const deadline = Date.now() + 90_000;
    while ((await pending()) > 0 && Date.now() < deadline) await sleep(250);
    expect(await pending()).toBe(0);
    const doubles: unknown[] = await direct.query(
      `SELECT a.id FROM care_orders a JOIN care_orders b ON a.caregiver_id = b.caregiver_id AND a.id < b.id
        WHERE a.status = 'assigned' AND b.status = 'assigned' AND a.planned_start < b.planned_end AND b.planned_start < a.planned_end`,
    );
    expect(doubles).toEqual([]);
    const audit = await auditDispatch(direct);
    expect(audit.violations).toEqual([]);
    expect(audit.byStatus.assigned ?? 0).toBeGreaterThan(0);
    expect((await send('GET /health', (r) => r.get('/health'))).status).toBe(200);
    expect(unhandled).toEqual([]);
  }, 180_000);

  it('answers 503 within 5 s when every pooled connection is busy (the acquire bound)', async () => {
    const token = await adminToken(app);
    const send = timedClient(app, token);
    const db = app.get(DataSource);
    const held: QueryRunner[] = [];
    try {
      // take every connection of the api's pool (connectionLimit 20)
      for (let i = 0; i < 20; i++) {
        const runner = db.createQueryRunner();
        await runner.connect();
        held.push(runner);
      }
      const res = await send('GET /care-orders', (r) => r.get('/api/v1/care-orders?limit=5'));
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.ms).toBeGreaterThanOrEqual(API_DATABASE_LIMITS.acquireTimeoutMs - 100);
      expect(res.ms).toBeLessThan(5000);
    } finally {
      for (const runner of held) await runner.release();
    }
    expect((await send('GET /care-orders', (r) => r.get('/api/v1/care-orders?limit=5'))).status).toBe(200);
  });

  it('limits every statement of the api to its time limit, set once per connection', async () => {
    const db = app.get(DataSource);
    const version: { v: string }[] = await db.query('SELECT VERSION() AS v');
    const mariadb = /mariadb/i.test(version[0].v);
    const limit: Record<string, string | number>[] = await db.query(
      mariadb ? 'SELECT @@SESSION.max_statement_time AS t' : 'SELECT @@SESSION.max_execution_time AS t',
    );
    expect(Number(limit[0].t)).toBe(
      mariadb ? API_DATABASE_LIMITS.statementTimeoutMs! / 1000 : API_DATABASE_LIMITS.statementTimeoutMs,
    );
    // a statement past the limit is interrupted by the server, and that is a 503, not a 500
    const started = Date.now();
    const error = await db.query('SELECT COUNT(*) AS n FROM care_orders WHERE SLEEP(10) = 0').then(
      () => undefined,
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(5000);
    // SLEEP() on an empty table never runs: make sure there was a row to sleep on
    if (error !== undefined) expect(asServiceUnavailable(error)?.code).toBe('SERVICE_UNAVAILABLE');
    else throw new Error(`no statement limit: the query ran ${elapsed} ms`);
  });
});
