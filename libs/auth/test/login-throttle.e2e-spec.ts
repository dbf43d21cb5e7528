import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import IORedis from 'ioredis';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { AppConfig } from '@care/core';
import { auth, createTestApp, type TestContext } from '@care/testing';
import { buildApp, createApiApp } from '@test/apps';
import { freePort } from '../../../test/support/free-port';

const LOGIN = '/api/v1/auth/login';
const PASSWORD = 'right-password-1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A private redis-server on a free port, for the outage test (the shared one is never stopped). */
class PrivateRedis {
  private child: ChildProcess | null = null;

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
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

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Login throttling (contract, Auth and users): 5 failures per username within the window, 50 per client address,
 * then 429 TOO_MANY_ATTEMPTS with Retry-After for every attempt, a correct password included; counted in Redis, so
 * shared by api processes (two app instances here); the hashing cap; Redis down answers 503.
 * Each test logs in from an address of its own (X-Forwarded-For: the api trusts loopback proxies).
 */
describe('login throttling (e2e)', () => {
  let t: TestContext;
  let other: INestApplication;
  let otherHttp: () => TestAgent;
  const extraApps: INestApplication[] = [];
  let seq = 0;

  const createUser = async (): Promise<string> => {
    const username = `throttled${++seq}`;
    await t
      .http()
      .post('/api/v1/users')
      .set(auth(t.adminToken))
      .send({ username, password: PASSWORD, role: 'dispatcher' })
      .expect(201);
    return username;
  };
  const attempt = (http: () => TestAgent, from: string, username: string, password: string) =>
    http().post(LOGIN).set('X-Forwarded-For', from).send({ username, password });

  /** Another api instance on the same database, with other login settings and key prefix (a sub-prefix of the test's). */
  const startApp = async (name: string, change: (config: AppConfig) => AppConfig): Promise<() => TestAgent> => {
    const app = await createApiApp(change({ ...t.config, queuePrefix: `${t.config.queuePrefix}:${name}` }));
    await app.init();
    extraApps.push(app);
    const server = app.getHttpServer();
    return () => request(server);
  };

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'throttle');
    other = await createApiApp(t.config);
    await other.init();
    const server = other.getHttpServer();
    otherHttp = () => request(server);
  });
  afterAll(async () => {
    for (const app of extraApps) await app.close();
    await other?.close();
    await t?.close();
  });

  it('after 5 failures for a username, every attempt answers 429 with Retry-After, the right password too', async () => {
    const username = await createUser();
    for (let i = 0; i < 5; i++) await attempt(t.http, '198.51.100.1', username, 'wrong-password').expect(401);
    const blocked = await attempt(t.http, '198.51.100.1', username, 'wrong-password').expect(429);
    expect(blocked.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_ATTEMPTS' });
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // the right password, from another address, in another spelling of the name: still 429
    await attempt(t.http, '198.51.100.2', username, PASSWORD).expect(429).expect('Retry-After', /^\d+$/);
    await attempt(t.http, '198.51.100.3', username.toUpperCase(), PASSWORD).expect(429);
  });

  it('counts unknown usernames too (without revealing that they are unknown)', async () => {
    for (let i = 0; i < 5; i++) await attempt(t.http, '198.51.100.4', 'nobody.here', 'wrong-password').expect(401);
    const res = await attempt(t.http, '198.51.100.4', 'Nobody.Here ', 'wrong-password').expect(429);
    expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
  });

  it('a success resets the username’s count', async () => {
    const username = await createUser();
    for (let i = 0; i < 4; i++) await attempt(t.http, '198.51.100.5', username, 'wrong-password').expect(401);
    await attempt(t.http, '198.51.100.5', username, PASSWORD).expect(200);
    for (let i = 0; i < 5; i++) await attempt(t.http, '198.51.100.5', username, 'wrong-password').expect(401);
    await attempt(t.http, '198.51.100.5', username, PASSWORD).expect(429);
  });

  it('the count is shared by api instances', async () => {
    const username = await createUser();
    for (let i = 0; i < 5; i++) {
      await attempt(i % 2 === 0 ? t.http : otherHttp, '198.51.100.6', username, 'wrong-password').expect(401);
    }
    await attempt(otherHttp, '198.51.100.6', username, PASSWORD).expect(429);
    await attempt(t.http, '198.51.100.6', username, PASSWORD).expect(429);
  });

  it('after the address limit (50 by default; 12 here, to spare the shared machine 50 hashes) that address gets 429 on every instance; others do not', async () => {
    const limited = (c: AppConfig) => ({ ...c, login: { ...c.login, maxFailuresPerAddress: 12, hashWaitMs: 10_000 } });
    const one = await startApp('address', limited);
    const two = await startApp('address', limited); // the same key prefix: a second process of that deployment
    const from = '203.0.113.9';
    for (let batch = 0; batch < 12; batch += 4) {
      const answers = await Promise.all(
        [0, 1, 2, 3].map((i) => attempt(i % 2 ? two : one, from, `guess${batch + i}`, 'wrong-password')),
      );
      expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    }
    const username = await createUser();
    const blocked = await attempt(one, from, username, PASSWORD).expect(429);
    expect(blocked.body.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(800);
    await attempt(two, from, username, PASSWORD).expect(429);
    // the username itself is not blocked: from another address it logs in
    await attempt(one, '203.0.113.10', username, PASSWORD).expect(200);
  });

  it('once the window has passed, logins are counted afresh', async () => {
    const short = await startApp('short', (c) => ({
      ...c,
      login: { ...c.login, windowSeconds: 10, hashWaitMs: 10_000 },
    }));
    const username = await createUser();
    const failures = await Promise.all(
      [0, 1, 2, 3, 4].map(() => attempt(short, '198.51.100.7', username, 'wrong-password')),
    );
    expect(failures.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    const blocked = await attempt(short, '198.51.100.7', username, PASSWORD).expect(429);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(10);
    await sleep(retryAfter * 1000 + 300);
    await attempt(short, '198.51.100.7', username, PASSWORD).expect(200);
  });

  it('the hashing cap: a login flood gets 503 with Retry-After at once, and the turned-away do not count as failures', async () => {
    const capped = await startApp('capped', (c) => ({
      ...c,
      login: { ...c.login, hashConcurrency: 1, hashQueue: 1, hashWaitMs: 50 },
    }));
    const username = await createUser();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        attempt(capped, `192.0.2.${i + 1}`, username, i % 2 ? PASSWORD : 'wrong-password'),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(Date.now() - started).toBeLessThan(5000);
    // 429: an attempt counted while five others on the username were in flight (each is counted before its hash);
    // a fast machine hashes more of the flood, so more of it is counted
    expect(statuses.every((s) => [200, 401, 429, 503].includes(s))).toBe(true);
    const refused = answers.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(6);
    for (const r of refused) {
      expect(r.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(r.headers['retry-after']).toBe('1');
    }
    // what was turned away did not count: the user is not locked out
    await attempt(capped, '192.0.2.100', username, PASSWORD).expect(200);
  });

  it('with Redis unreachable, a login answers 503 SERVICE_UNAVAILABLE within 5 s (never unthrottled), and recovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'throttle-redis-'));
    const redis = new PrivateRedis(await freePort(), dir);
    await redis.start();
    let isolatedApp: INestApplication | undefined;
    try {
      const isolated = await startApp('outage', (c) => ({ ...c, redisUrl: `redis://127.0.0.1:${redis.port}/0` }));
      isolatedApp = extraApps[extraApps.length - 1];
      const username = await createUser();
      await attempt(isolated, '198.51.100.8', username, PASSWORD).expect(200);
      await redis.kill();
      for (const password of [PASSWORD, 'wrong-password']) {
        const started = Date.now();
        const res = await attempt(isolated, '198.51.100.8', username, password);
        expect(Date.now() - started).toBeLessThan(5000);
        expect(res.status).toBe(503);
        expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
        expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|writeable|127\.0\.0\.1/);
      }
      await redis.start();
      let status = 0;
      for (let i = 0; i < 40 && status !== 200; i++) {
        await sleep(250);
        status = (await attempt(isolated, '198.51.100.8', username, PASSWORD)).status;
      }
      expect(status).toBe(200);
    } finally {
      if (!redis.running) await redis.start(); // the app's close needs its Redis
      if (isolatedApp) {
        extraApps.splice(extraApps.indexOf(isolatedApp), 1);
        await isolatedApp.close();
      }
      await redis.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
