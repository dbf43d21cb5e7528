import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { auth, createTestConfig } from '@care/testing';
import { metricSum } from './support/metrics';
import { RedisServer, adminToken, freePort } from './support/outage';
import { buildApp } from '../support/apps';

/**
 * /metrics while Redis is gone (a private redis-server, SIGKILLed): the scrape still answers, quickly, with the
 * queue figures left out and `care_metrics_source_up{source="redis"}` at 0; they come back with Redis.
 */
describe('metrics: Redis stops', () => {
  let redis: RedisServer;
  let app: INestApplication;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
    const test = await createTestConfig(buildApp, 'metricsredis');
    drop = test.drop;
    app = await createApiApp({ ...test.config, redisUrl: redis.url });
    await app.init();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await redis?.kill();
    await drop?.();
  });

  it('answers within bounded time with Redis down, then reads the queues again when it returns', async () => {
    const token = await adminToken(app);
    const scrape = async () => {
      const started = Date.now();
      const res = await request(app.getHttpServer()).get('/metrics').set(auth(token)).timeout(15_000);
      return { status: res.status, text: res.text, ms: Date.now() - started };
    };
    const up = await scrape();
    expect(up.status).toBe(200);
    expect(metricSum(up.text, 'care_metrics_source_up', { source: 'redis' })).toBe(1);

    await redis.kill();
    for (let i = 0; i < 3; i++) {
      const down = await scrape();
      expect(down.status).toBe(200);
      expect(down.ms).toBeLessThan(2500); // the probe gives up after 1 s
      expect(metricSum(down.text, 'care_metrics_source_up', { source: 'redis' })).toBe(0);
      expect(down.text).not.toMatch(/^care_queue_jobs\{/m);
      expect(metricSum(down.text, 'care_metrics_source_up', { source: 'database' })).toBe(1);
    }

    await redis.start();
    let back = await scrape();
    for (let i = 0; i < 50 && metricSum(back.text, 'care_metrics_source_up', { source: 'redis' }) !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      back = await scrape();
    }
    expect(metricSum(back.text, 'care_metrics_source_up', { source: 'redis' })).toBe(1);
    expect(back.text).toMatch(/^care_queue_jobs\{queue="dispatch",state="wait"\} 0$/m);
  });
});
