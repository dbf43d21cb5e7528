import type { EventEmitter } from 'node:events';
import { Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { DataSource } from 'typeorm';
import { JobQueue, POOL_ACQUIRED_EVENT, QUEUE_NAMES, SqlTransactionRunner } from '@care/core';
import { AlertsService } from '@care/emergency';

/** No scrape waits longer than this for Redis or the database: a scrape during an outage answers, with `up` 0. */
export const SCRAPE_PROBE_TIMEOUT_MS = 1000;

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUEUE_STATES = ['wait', 'active', 'delayed', 'prioritized', 'failed'] as const;

/** mysql2's pool keeps its counts in private queues; read at scrape time, nothing is hooked into the hot path. */
interface Mysql2PoolInternals extends EventEmitter {
  config?: { connectionLimit?: number };
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The process's Prometheus registry and every metric of the system (README, "Metrics"). A registry per application,
 * not prom-client's global one, so that two applications in one process (the tests) keep apart.
 *
 * Request and dispatch figures are recorded as they happen; queue depths, open alerts and the database pool are read
 * when scraped, each source bounded by SCRAPE_PROBE_TIMEOUT_MS.
 */
@Injectable()
export class MetricsService implements OnModuleInit {
  readonly registry = new Registry();

  private readonly httpDuration = new Histogram({
    name: 'care_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status: latency; _count is the request count',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  private readonly httpErrors = new Counter({
    name: 'care_http_errors_total',
    help: 'HTTP answers with an error body, by the contract error code and status',
    labelNames: ['code', 'status'] as const,
    registers: [this.registry],
  });
  private readonly poolAcquire = new Histogram({
    name: 'care_db_pool_acquire_seconds',
    help: 'Time to get a database connection, per pool (typeorm, hot); ok="false" for acquires that failed or timed out',
    labelNames: ['pool', 'ok'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3, 10],
    registers: [this.registry],
  });
  private readonly queueJobs = new Gauge({
    name: 'care_queue_jobs',
    help: 'Jobs per BullMQ queue and state (wait, active, delayed, prioritized, failed), read when scraped',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });
  private readonly queueOldestAge = new Gauge({
    name: 'care_queue_oldest_waiting_age_seconds',
    help: 'Age of the oldest job waiting in the queue (0 when none waits), read when scraped',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });
  private readonly alertsOpen = new Gauge({
    name: 'care_alerts_open',
    help: 'Alerts open, by alert type, read when scraped',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  private readonly sourceUp = new Gauge({
    name: 'care_metrics_source_up',
    help: 'Whether the last scrape could read the source (redis: queues, database: alerts): 1 yes, 0 no',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  private readonly dispatchDecisions = new Counter({
    name: 'care_dispatch_decisions_total',
    help: 'Orders decided by dispatch jobs (DispatchRound, DispatchOrder, DispatchBatch), by outcome (assigned, unassigned, skipped, failed)',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly dispatchDuration = new Histogram({
    name: 'care_dispatch_job_duration_seconds',
    help: 'Time a dispatch job took (DispatchRound: a round of a partition; DispatchOrder: one order; DispatchBatch: requesting its rounds)',
    labelNames: ['job'] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });

  /** Pools whose acquire event this service already listens to (the hot pool appears on first use). */
  private readonly watched = new WeakSet<object>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly alerts: AlertsService,
    @Optional() private readonly hot?: SqlTransactionRunner,
  ) {
    collectDefaultMetrics({ register: this.registry });
    const pools = (): [string, Mysql2PoolInternals | undefined][] => this.pools();
    new Gauge({
      name: 'care_db_pool_connections',
      help: 'Database pool connections per pool (typeorm, hot): open, in_use, free, and limit (the pool size)',
      labelNames: ['pool', 'state'] as const,
      registers: [this.registry],
      collect() {
        for (const [pool, p] of pools()) {
          const open = p?._allConnections?.length ?? 0;
          const free = p?._freeConnections?.length ?? 0;
          this.set({ pool, state: 'open' }, open);
          this.set({ pool, state: 'free' }, free);
          this.set({ pool, state: 'in_use' }, open - free);
          this.set({ pool, state: 'limit' }, p?.config?.connectionLimit ?? 0);
        }
      },
    });
    new Gauge({
      name: 'care_db_pool_waiting',
      help: 'Requests waiting for a database connection, per pool',
      labelNames: ['pool'] as const,
      registers: [this.registry],
      collect() {
        for (const [pool, p] of pools()) this.set({ pool }, p?._connectionQueue?.length ?? 0);
      },
    });
  }

  onModuleInit(): void {
    this.pools();
    // the hot pool is made on the first hot-path transaction: listen to it from its first acquire
    this.hot?.watchPool(() => this.pools());
  }

  /** TypeORM's pool and, once created, the hot-path pool; starts listening to each one's acquire event. */
  private pools(): [string, Mysql2PoolInternals | undefined][] {
    const pools: [string, Mysql2PoolInternals | undefined][] = [
      ['typeorm', (this.dataSource.driver as unknown as { pool?: Mysql2PoolInternals }).pool],
    ];
    const hot = this.hot?.hotPool as unknown as Mysql2PoolInternals | null | undefined;
    if (hot) pools.push(['hot', hot]);
    for (const [name, pool] of pools) {
      if (!pool || this.watched.has(pool)) continue;
      this.watched.add(pool);
      pool.on(POOL_ACQUIRED_EVENT, (ms: number, ok: boolean) =>
        this.poolAcquire.observe({ pool: name, ok: String(ok) }, ms / 1000),
      );
    }
    return pools;
  }

  observeRequest(method: string, route: string, status: number, seconds: number, errorCode: string | undefined): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
    if (errorCode !== undefined) this.httpErrors.inc({ code: errorCode, status: String(status) });
  }

  dispatchDecided(job: string, outcomes: Readonly<Record<string, number>>, seconds: number): void {
    for (const [outcome, count] of Object.entries(outcomes)) {
      if (count > 0) this.dispatchDecisions.inc({ job, outcome }, count);
    }
    this.dispatchDuration.observe({ job }, seconds);
  }

  /** The text exposition, after reading queues and alerts (each bounded in time; a source that fails reads as down). */
  async scrape(): Promise<string> {
    this.pools(); // the hot pool may have appeared since
    await Promise.all([this.readQueues(), this.readAlerts()]);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async readQueues(): Promise<void> {
    try {
      const now = Date.now();
      const read = await within(
        Promise.all(
          QUEUE_NAMES.map(async (name) => {
            const queue = this.jobs.queue(name);
            const [counts, oldest] = await Promise.all([
              queue.getJobCounts(...QUEUE_STATES),
              // the wait list's far end holds its oldest job
              queue.getJobs(['wait'], 0, 0, true),
            ]);
            return { name, counts, oldestAt: oldest[0]?.timestamp };
          }),
        ),
        SCRAPE_PROBE_TIMEOUT_MS,
      );
      for (const { name, counts, oldestAt } of read) {
        for (const state of QUEUE_STATES) this.queueJobs.set({ queue: name, state }, counts[state] ?? 0);
        this.queueOldestAge.set({ queue: name }, oldestAt ? Math.max(0, (now - oldestAt) / 1000) : 0);
      }
      this.sourceUp.set({ source: 'redis' }, 1);
    } catch {
      // figures we could not read are left out rather than shown stale
      this.queueJobs.reset();
      this.queueOldestAge.reset();
      this.sourceUp.set({ source: 'redis' }, 0);
    }
  }

  private async readAlerts(): Promise<void> {
    try {
      const rows = await within(this.alerts.openCounts(), SCRAPE_PROBE_TIMEOUT_MS);
      this.alertsOpen.reset();
      for (const row of rows) this.alertsOpen.set({ type: row.type }, row.open);
      this.sourceUp.set({ source: 'database' }, 1);
    } catch {
      this.alertsOpen.reset();
      this.sourceUp.set({ source: 'database' }, 0);
    }
  }
}
