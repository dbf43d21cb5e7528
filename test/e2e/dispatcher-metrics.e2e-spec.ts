import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { createDispatcher } from '../../apps/dispatcher/src/bootstrap';
import { auth, createTestApp, type TestContext } from '@care/testing';
import { createFacility } from './support/care-homes';
import { metricSum } from './support/metrics';
import { freePort, orderBody, seedCounty, sleep } from './support/outage';
import { buildApp } from '../support/apps';

/**
 * The dispatcher's own /metrics (DISPATCHER_METRICS_PORT): the same access rule as the api's, and dispatch decisions
 * counted as the dispatch job handlers report them, matching what the database holds.
 */
describe('dispatcher metrics', () => {
  let t: TestContext;
  let dispatcher: INestApplicationContext;
  let url: string;

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'dispmetrics');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    dispatcher = await createDispatcher({ ...t.config, metrics: { allow: [], dispatcherPort: port } }, ['dispatch']);
  });
  afterAll(async () => {
    await dispatcher?.close();
    await t?.close();
  });

  const get = (path: string, token?: string) => fetch(`${url}${path}`, { headers: token ? auth(token) : {} });

  it('answers admins only (401 anonymous, 403 another role), GET /metrics only', async () => {
    const ok = await get('/metrics', t.adminToken);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toContain('care_dispatch_decisions_total');
    const anonymous = await get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    const manager = await t.userToken('manager', { facilityIds: [await createFacility(t)] });
    const forbidden = await get('/metrics', manager);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect((await get('/health', t.adminToken)).status).toBe(404);
    expect((await fetch(`${url}/metrics`, { method: 'POST', headers: auth(t.adminToken) })).status).toBe(405);
  });

  it('counts each dispatch decision by outcome, as the orders end up in the database', async () => {
    const residents = await seedCounty(t.app, t.adminToken, 4);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(t.adminToken))
        .set('Idempotency-Key', randomUUID())
        .send(orderBody(residents[i], i))
        .expect(202);
      ids.push(String(res.body.id));
    }
    // orders are decided by dispatch rounds (DispatchRound) or one by one (DispatchOrder), whichever job took them
    const decided = async (text?: string) => {
      const t2 = text ?? (await (await get('/metrics', t.adminToken)).text());
      return (
        metricSum(t2, 'care_dispatch_decisions_total', { outcome: 'assigned' }) +
        metricSum(t2, 'care_dispatch_decisions_total', { outcome: 'unassigned' })
      );
    };
    for (let i = 0; i < 150 && (await decided()) < 4; i++) await sleep(200);
    const text = await (await get('/metrics', t.adminToken)).text();
    const rows: { status: string; n: number | string }[] = await t.db.query(
      'SELECT status, COUNT(*) AS n FROM care_orders WHERE id IN (?) GROUP BY status',
      [ids],
    );
    const inDb = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    expect(inDb('assigned')).toBeGreaterThan(0);
    expect(metricSum(text, 'care_dispatch_decisions_total', { outcome: 'assigned' })).toBe(inDb('assigned'));
    expect(metricSum(text, 'care_dispatch_decisions_total', { outcome: 'unassigned' })).toBe(inDb('unassigned'));
    expect(await decided(text)).toBe(4);
    expect(metricSum(text, 'care_dispatch_decisions_total', { outcome: 'failed' })).toBe(0);
    expect(metricSum(text, 'care_dispatch_job_duration_seconds_count')).toBeGreaterThan(0);
    expect(metricSum(text, 'care_dispatch_job_duration_seconds_sum')).toBeGreaterThan(0);
    // the api wrote the orders on its hot-path pool: its figures appear beside TypeORM's
    const apiText = (await t.http().get('/metrics').set(auth(t.adminToken)).expect(200)).text;
    expect(
      metricSum(apiText, 'care_db_pool_acquire_seconds_count', { pool: 'hot', ok: 'true' }),
    ).toBeGreaterThanOrEqual(4);
    expect(metricSum(apiText, 'care_db_pool_connections', { pool: 'hot', state: 'limit' })).toBe(
      t.config.database.hotPoolSize,
    );
    expect(metricSum(apiText, 'care_db_pool_connections', { pool: 'typeorm', state: 'limit' })).toBeGreaterThan(0);
    // the dispatch queue is empty again once every order is decided
    expect(metricSum(text, 'care_queue_jobs', { queue: 'dispatch', state: 'wait' })).toBe(0);
  });
});
