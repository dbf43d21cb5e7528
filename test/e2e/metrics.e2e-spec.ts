import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { JobQueue } from '@care/core';
import { auth, createTestApp, type TestContext } from '@care/testing';
import { createFacility } from './support/care-homes';
import { hasSeries, metricSum } from './support/metrics';
import { buildApp } from '../support/apps';

/**
 * GET /metrics: who may read it (an admin's token, or an address in METRICS_ALLOW), and that the figures follow what
 * happens: requests per route template and status, errors by contract code, queue depth and age, open alerts, pool.
 */
describe('metrics', () => {
  let t: TestContext;
  const scrape = async (): Promise<string> => {
    const res = await t.http().get('/metrics').set(auth(t.adminToken)).expect(200);
    return res.text;
  };

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'metrics');
  });
  afterAll(() => t?.close());

  it('answers an admin in the Prometheus text format, outside /api/v1', async () => {
    const res = await t.http().get('/metrics').set(auth(t.adminToken)).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain('# TYPE care_http_request_duration_seconds histogram');
    expect(res.text).toContain('# TYPE process_resident_memory_bytes gauge');
    await t.http().get('/api/v1/metrics').set(auth(t.adminToken)).expect(404);
  });

  it('refuses other roles (403) and anonymous callers (401) with the contract error shape', async () => {
    const manager = await t.userToken('manager', { facilityIds: [await createFacility(t)] });
    const forbidden = await t.http().get('/metrics').set(auth(manager)).expect(403);
    expect(forbidden.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    expect(typeof forbidden.body.requestId).toBe('string');
    const anonymous = await t.http().get('/metrics').expect(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    const bad = await t.http().get('/metrics').set(auth('not-a-token')).expect(401);
    expect(bad.body.code).toBe('UNAUTHORIZED');
  });

  it('answers a client from an allowed address without a token; the list is exact', async () => {
    const open = async (allow: string[]): Promise<INestApplication> => {
      const app = await createApiApp({ ...t.config, metrics: { allow, dispatcherPort: null } });
      await app.init();
      return app;
    };
    const allowed = await open(['127.0.0.1', '::1']);
    const elsewhere = await open(['10.0.0.0/8']);
    try {
      const res = await request(allowed.getHttpServer()).get('/metrics').expect(200);
      expect(res.text).toContain('care_queue_jobs');
      // the list opens /metrics only: the api's routes still need a token
      await request(allowed.getHttpServer()).get('/api/v1/regions').expect(401);
      await request(elsewhere.getHttpServer()).get('/metrics').expect(401);
    } finally {
      await allowed.close();
      await elsewhere.close();
    }
  });

  it('counts requests per route template and status, refused ones included', async () => {
    const series = { method: 'GET', route: '/regions/:code', status: '200' };
    const before = await scrape();
    for (const code of ['620422100', '620422101', '620422102']) {
      await t.http().get(`/api/v1/regions/${code}`).set(auth(t.adminToken)).expect(200);
    }
    await t.http().get('/api/v1/regions/620422100').expect(401);
    const after = await scrape();
    const count = (text: string, labels: Record<string, string>) =>
      metricSum(text, 'care_http_request_duration_seconds_count', labels);
    expect(count(after, series) - count(before, series)).toBe(3);
    expect(count(after, { ...series, status: '401' }) - count(before, { ...series, status: '401' })).toBe(1);
    // the template, never the raw URL
    expect(after).not.toContain('route="/regions/620422100"');
    const sum = metricSum(after, 'care_http_request_duration_seconds_sum', series);
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(30);
  });

  it('counts errors by the code of the answer', async () => {
    const errors = (text: string, code: string, status: string) =>
      metricSum(text, 'care_http_errors_total', { code, status });
    const before = await scrape();
    await t.http().get(`/api/v1/care-orders/${randomUUID()}`).set(auth(t.adminToken)).expect(404);
    await t.http().get(`/api/v1/care-orders/${randomUUID()}`).set(auth(t.adminToken)).expect(404);
    const invalid = await t.http().post('/api/v1/facilities').set(auth(t.adminToken)).send({ name: '' }).expect(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    await t.http().get('/api/v1/care-orders').expect(401);
    const after = await scrape();
    expect(errors(after, 'NOT_FOUND', '404') - errors(before, 'NOT_FOUND', '404')).toBe(2);
    expect(errors(after, 'VALIDATION_FAILED', '400') - errors(before, 'VALIDATION_FAILED', '400')).toBe(1);
    expect(errors(after, 'UNAUTHORIZED', '401') - errors(before, 'UNAUTHORIZED', '401')).toBe(1);
  });

  it('shows each queue’s depth and the age of its oldest waiting job, as Redis holds them', async () => {
    const jobs = t.app.get(JobQueue);
    const empty = await scrape();
    expect(metricSum(empty, 'care_queue_jobs', { queue: 'stats', state: 'wait' })).toBe(0);
    expect(metricSum(empty, 'care_queue_oldest_waiting_age_seconds', { queue: 'stats' })).toBe(0);
    // no worker runs in this test: the jobs stay waiting
    for (const month of ['2026-01', '2026-02', '2026-03']) {
      await jobs.add('SnapshotCoverage', { month }, { jobId: `metrics-test-${month}` });
    }
    await jobs.add('SnapshotCoverage', { month: '2026-04' }, { jobId: 'metrics-test-delayed', delay: 3_600_000 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const text = await scrape();
    const queue = jobs.queue('stats');
    expect(metricSum(text, 'care_queue_jobs', { queue: 'stats', state: 'wait' })).toBe(await queue.getWaitingCount());
    expect(metricSum(text, 'care_queue_jobs', { queue: 'stats', state: 'wait' })).toBe(3);
    expect(metricSum(text, 'care_queue_jobs', { queue: 'stats', state: 'delayed' })).toBe(1);
    const age = metricSum(text, 'care_queue_oldest_waiting_age_seconds', { queue: 'stats' });
    expect(age).toBeGreaterThanOrEqual(1.1);
    expect(age).toBeLessThan(30);
    expect(metricSum(text, 'care_metrics_source_up', { source: 'redis' })).toBe(1);
    for (const name of ['dispatch', 'planning', 'stats', 'alerts'])
      expect(hasSeries(text, 'care_queue_jobs', { queue: name, state: 'active' })).toBe(true);
    await queue.drain(true);
  });

  it('shows open alerts by type and the database pool', async () => {
    const runner = t.db.createQueryRunner();
    try {
      // an alert needs an order (foreign key); the figure only counts rows, so the checks are off for this insert
      await runner.query('SET FOREIGN_KEY_CHECKS = 0');
      const insert =
        'INSERT INTO alerts (id, type, order_id, resident_id, region_code, status, raised_at) VALUES (?, ?, ?, ?, ?, ?, NOW(3))';
      await runner.query(insert, [randomUUID(), 'visit_missed', randomUUID(), randomUUID(), '620422100', 'open']);
      await runner.query(insert, [randomUUID(), 'visit_missed', randomUUID(), randomUUID(), '620422100', 'open']);
      await runner.query(insert, [
        randomUUID(),
        'visit_missed',
        randomUUID(),
        randomUUID(),
        '620422100',
        'acknowledged',
      ]);
      await runner.query('SET FOREIGN_KEY_CHECKS = 1');
    } finally {
      await runner.release();
    }
    const text = await scrape();
    expect(metricSum(text, 'care_alerts_open', { type: 'visit_missed' })).toBe(2);
    expect(metricSum(text, 'care_alerts_open')).toBe(2);
    expect(metricSum(text, 'care_metrics_source_up', { source: 'database' })).toBe(1);
    expect(metricSum(text, 'care_db_pool_connections', { state: 'limit' })).toBeGreaterThan(0);
    expect(metricSum(text, 'care_db_pool_connections', { state: 'open' })).toBeGreaterThan(0);
    expect(metricSum(text, 'care_db_pool_acquire_seconds_count', { ok: 'true' })).toBeGreaterThan(0);
    expect(hasSeries(text, 'care_db_pool_waiting')).toBe(true);
  });
});
