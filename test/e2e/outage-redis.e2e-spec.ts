import { randomUUID } from 'node:crypto';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { auditDispatch } from '@care/dispatch/test-support';
import { createTestConfig } from '@care/testing';
import { createApiApp } from '../../apps/api/src/bootstrap';
import {
  RedisServer,
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
 * Redis stops mid-traffic (a private redis-server, SIGKILLed: it comes back empty). While it is gone every request
 * answers within 5 s: a care order is committed and answers 202, what needs Redis answers 503
 * SERVICE_UNAVAILABLE, /health says `down` without the driver's words. When Redis returns, the dispatcher's sweep
 * enqueues the orders committed during the outage: every order is dispatched, exactly once.
 */
describe('outage: Redis stops mid-traffic', () => {
  let redis: RedisServer;
  let app: INestApplication;
  let worker: INestApplicationContext | null = null;
  let drop: () => Promise<void>;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    redis = new RedisServer(await freePort());
    await redis.start();
    const test = await createTestConfig(buildApp, 'outredis');
    drop = test.drop;
    // a short sweep period, so orders left pending are picked up within seconds of Redis's return
    const config = { ...test.config, redisUrl: redis.url, dispatch: { ...test.config.dispatch, sweepSeconds: 2 } };
    app = await createApiApp(config);
    await app.init();
    worker = await startDispatcher(config);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await redis?.kill();
    await drop?.();
    process.off('unhandledRejection', onUnhandled);
  });

  it('answers 202 for committed orders and 503 for what needs Redis, then dispatches every order once', async () => {
    const token = await adminToken(app);
    const send = timedClient(app, token);
    const residents = await seedCounty(app, token, 30);
    const db = app.get(DataSource);
    const answers: Timed[] = [];
    const accepted = new Set<string>();
    let n = 0;
    const postOrder = async () => {
      const i = n++;
      const res = await send('POST /care-orders', (r) =>
        r
          .post('/api/v1/care-orders')
          .set('Idempotency-Key', randomUUID())
          .send(orderBody(residents[i % residents.length], i)),
      );
      answers.push(res);
      if (res.status === 202) accepted.add(String(res.body.id));
      return res;
    };

    // before: orders flow and get dispatched
    for (let i = 0; i < 5; i++) expect((await postOrder()).status).toBe(202);

    // Redis goes away while requests are in flight
    const inFlight = Promise.all(Array.from({ length: 6 }, () => postOrder()));
    await redis.kill();
    await inFlight;

    const during: Timed[] = [];
    for (let round = 0; round < 3; round++) {
      const batch = await Promise.all([
        postOrder(),
        postOrder(),
        send('GET /health', (r) => r.get('/health')),
        send('POST /stats/coverage/snapshots', (r) => r.post('/api/v1/stats/coverage/snapshots').send({})),
        send('GET /care-orders', (r) => r.get('/api/v1/care-orders?limit=5')),
      ]);
      during.push(...batch);
      answers.push(...batch);
    }
    for (const res of during) {
      if (res.what === 'POST /care-orders') expect(res.status).toBe(202); // committed: the sweep enqueues it later
      if (res.what === 'GET /health') {
        expect(res.status).toBe(503);
        expect(res.body.info).toEqual({ database: { status: 'up' }, redis: { status: 'down' } });
      }
      if (res.what === 'POST /stats/coverage/snapshots') {
        expect(res.status).toBe(503); // needs Redis to enqueue the snapshot
        expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
        expect(String(res.body.message)).not.toMatch(/ECONNREFUSED|Stream|127\.0\.0\.1|enableOfflineQueue/);
      }
      if (res.what === 'GET /care-orders') expect(res.status).toBe(200); // needs only MariaDB
    }

    // Redis returns (empty: every job it held is gone)
    await redis.start();
    for (let i = 0; i < 4; i++) expect((await postOrder()).status).toBe(202);

    // every request of the whole run answered, and within the contract's 5 s
    for (const res of answers) {
      expect(res.status).not.toBe(0);
      expect(res.ms).toBeLessThan(5000);
    }

    // every accepted order leaves pending: dispatched by its job or by the sweep after Redis's return
    const ids = [...accepted];
    const pending = async () =>
      Number(
        (
          (await db.query(`SELECT COUNT(*) AS n FROM care_orders WHERE status = 'pending' AND id IN (?)`, [ids])) as {
            n: string;
          }[]
        )[0].n,
      );
    const deadline = Date.now() + 90_000;
    while ((await pending()) > 0 && Date.now() < deadline) await sleep(250);
    expect(await pending()).toBe(0);
    expect(ids).toHaveLength(n); // every POST was accepted: nothing lost

    // exactly once: as many orders as accepted answers, each with at most one caregiver slot, no caregiver
    // double-booked, every hard rule of the plan kept
    const rows: { n: string }[] = await db.query('SELECT COUNT(*) AS n FROM care_orders');
    expect(Number(rows[0].n)).toBe(ids.length);
    const doubles: unknown[] = await db.query(
      `SELECT a.id FROM care_orders a JOIN care_orders b ON a.caregiver_id = b.caregiver_id AND a.id < b.id
        WHERE a.status = 'assigned' AND b.status = 'assigned' AND a.planned_start < b.planned_end AND b.planned_start < a.planned_end`,
    );
    expect(doubles).toEqual([]);
    const audit = await auditDispatch(db);
    expect(audit.violations).toEqual([]);
    expect(audit.byStatus.assigned ?? 0).toBeGreaterThan(0);

    // health is back
    const health = await send('GET /health', (r) => r.get('/health'));
    expect(health.status).toBe(200);
    expect(unhandled).toEqual([]);
  }, 180_000);
});
