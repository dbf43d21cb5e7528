import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { type DynamicModule, type INestApplication, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import IORedis from 'ioredis';
import request from 'supertest';
import { AuthService } from '@care/auth';
import { type AppConfig, CoreModule, JobWorkerHost } from '@care/core';
import { DispatchModule, localDateOf } from '@care/dispatch';
import { idNumberCheckCharacter } from '@care/residents';
import { ADMIN_PASSWORD, auth } from '@care/testing';
import { freePort } from '../../support/free-port';
export { freePort };

/** Helpers of the outage tests: a private redis-server, a TCP proxy that can be cut, timed requests, a county. */

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A redis-server of the test's own on a free port (never the shared one), without persistence unless asked. */
export class RedisServer {
  private child: ChildProcess | null = null;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
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

  /** SIGKILL: Redis vanishes mid-traffic and comes back empty (it keeps no data), the harder case for recovery. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * A TCP proxy in front of the shared MariaDB. `cut()` makes the database unreachable as a crashed or partitioned
 * server would: every open connection is reset and new ones are refused. `restore()` listens again on the same port.
 * The shared server itself is never touched.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream);
      upstream.pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    const closed = server ? new Promise((resolve) => server.close(resolve)) : Promise.resolve();
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    await closed;
  }

  async restore(): Promise<void> {
    await this.start();
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}

/** One answered request: its status and how long the answer took. */
export interface Timed {
  what: string;
  status: number;
  ms: number;
  body: Record<string, unknown>;
}

/**
 * Requests through supertest with a client-side limit well above the contract's 5 s, so a hanging request shows as
 * a 0 status with its time instead of stalling the test.
 */
export function timedClient(app: INestApplication, token: string) {
  const server = app.getHttpServer();
  const send = async (what: string, make: (agent: ReturnType<typeof request>) => request.Test): Promise<Timed> => {
    const started = Date.now();
    try {
      const res = await make(request(server)).set(auth(token)).timeout(15_000);
      return { what, status: res.status, ms: Date.now() - started, body: (res.body ?? {}) as Record<string, unknown> };
    } catch {
      return { what, status: 0, ms: Date.now() - started, body: {} };
    }
  };
  return send;
}

export async function adminToken(app: INestApplication): Promise<string> {
  return (await app.get(AuthService).login('admin', ADMIN_PASSWORD)).accessToken;
}

@Module({})
class DispatcherUnderTest {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: DispatcherUnderTest, imports: [CoreModule.forRoot(config), DispatchModule] };
  }
}

/** A dispatcher worker in-process (the dispatch queue's handlers and its sweep timer), as the dispatcher app runs it. */
export async function startDispatcher(config: AppConfig): Promise<INestApplicationContext> {
  const worker = await NestFactory.createApplicationContext(DispatcherUnderTest.forRoot(config), { logger: false });
  await worker.get(JobWorkerHost).start(['dispatch'], { dispatch: 4 });
  return worker;
}

function idNumber(seq: number): string {
  const first17 = `62042219450101${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** A service point with caregivers enough for every order, and residents at home; returns the resident ids. */
export async function seedCounty(app: INestApplication, token: string, residents: number): Promise<string[]> {
  const server = app.getHttpServer();
  const post = async (path: string, body: object) => {
    const res = await request(server).post(`/api/v1${path}`).set(auth(token)).send(body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const seat = { lat: 35.6929, lng: 105.0466 };
  const point = await post('/service-points', { name: '会师镇服务站', regionCode: '620422100', ...seat });
  for (let i = 0; i < 12; i++) {
    await post('/caregivers', {
      name: `护理员${i}`,
      phone: '13800000000',
      gender: 'female',
      servicePointId: point.id,
      skills: ['housekeeping', 'health'],
      shiftStart: '07:00',
      shiftEnd: '20:00',
      maxDailyVisits: 8,
    });
  }
  const ids: string[] = [];
  for (let i = 0; i < residents; i++) {
    const r = await post('/residents', {
      name: `老人${i}`,
      idNumber: idNumber(100 + i),
      regionCode: '620422100',
      livingArrangement: 'home',
      categories: ['destitute'],
      lat: seat.lat + 0.002 * (i % 10),
      lng: seat.lng + 0.002 * Math.floor(i / 10),
    });
    ids.push(r.id);
  }
  return ids;
}

/** The body of a care order for a resident, two days ahead, in a window that leaves room to plan. */
export function orderBody(residentId: string, n: number): Record<string, unknown> {
  const date = localDateOf(Date.now() + 2 * 24 * 3600_000);
  const hour = 8 + (n % 10);
  const hh = String(hour).padStart(2, '0');
  const end = String(hour + 2).padStart(2, '0');
  return {
    residentId,
    services: ['health_check'],
    windowStart: `${date}T${hh}:00:00+08:00`,
    windowEnd: `${date}T${end}:00:00+08:00`,
  };
}
