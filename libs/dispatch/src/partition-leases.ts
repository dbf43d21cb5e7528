import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, createRedis, type RedisClient } from '@care/core';

/** How long a lease lives unless renewed: a dead dispatcher's partition is free again after this. */
export const LEASE_TTL_MS = 15_000;

/** Deletes the key only if it still holds our token (a lease that ran out and was taken by another is left alone). */
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
/** Extends the key's life only if it still holds our token. */
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/** A lease held on one partition. */
export interface PartitionLease {
  readonly partition: string;
  readonly key: string;
  readonly token: string;
}

/**
 * Partition leases in Redis, so two dispatchers plan different partitions and a dead one's lease runs out:
 * `SET key token NX PX ttl` to take, a compare-and-PEXPIRE script to renew, a compare-and-delete script to release.
 * Keys live under the queue prefix, whose hash tag (`{care}`) puts them in the queues' slot: Redis Cluster safe, one
 * prefix for everything.
 */
@Injectable()
export class PartitionLeases implements OnApplicationShutdown {
  private readonly logger = new Logger(PartitionLeases.name);
  private redis: RedisClient | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private client(): RedisClient {
    if (!this.redis) {
      this.redis = createRedis(this.config.redisUrl, { maxRetriesPerRequest: 2 });
      this.redis.on('error', (error) => this.logger.warn(`redis: ${error.message}`));
    }
    return this.redis;
  }

  keyOf(partition: string): string {
    return `${this.config.queuePrefix}:dispatch:lease:${partition}`;
  }

  /**
   * The partition's "want" flag: set by a dispatcher that found the lease taken, so the holder runs one more round
   * before it lets go (the request is never lost). Same prefix, same hash tag: the lease's slot.
   */
  wantKeyOf(partition: string): string {
    return `${this.config.queuePrefix}:dispatch:want:${partition}`;
  }

  /** Asks the partition's holder for another round (the flag outlives a dead holder by a little, then the sweep). */
  async want(partition: string): Promise<void> {
    await this.client().set(this.wantKeyOf(partition), '1', 'PX', LEASE_TTL_MS * 4);
  }

  /** Clears the flag, before a round reads the pending orders: a request made after this needs another round. */
  async clearWant(partition: string): Promise<void> {
    await this.client().del(this.wantKeyOf(partition));
  }

  async wanted(partition: string): Promise<boolean> {
    return (await this.client().exists(this.wantKeyOf(partition))) === 1;
  }

  /**
   * The partition's "urgent" flag: an urgent order found the lease taken. The holder runs an urgent-only round
   * next (before more of a backlog), so the order waits for the round under way at most, not for the backlog.
   */
  urgentKeyOf(partition: string): string {
    return `${this.config.queuePrefix}:dispatch:urgent:${partition}`;
  }

  async wantUrgent(partition: string): Promise<void> {
    await this.client().set(this.urgentKeyOf(partition), '1', 'PX', LEASE_TTL_MS * 4);
  }

  /** Takes the urgent flag (true when it was set): DEL is atomic, so one holder takes each request. */
  async takeUrgent(partition: string): Promise<boolean> {
    return (await this.client().del(this.urgentKeyOf(partition))) === 1;
  }

  /** A short-lived marker, for the fault test: the dispatcher is paused inside a round's commit. */
  async markPausedInCommit(partition: string, ttlMs: number): Promise<void> {
    await this.client().set(
      `${this.config.queuePrefix}:dispatch:fault:paused-in-commit`,
      partition,
      'PX',
      Math.max(1, ttlMs),
    );
  }

  /** Takes the partition's lease, or null when another dispatcher holds it. */
  async acquire(partition: string, ttlMs = LEASE_TTL_MS): Promise<PartitionLease | null> {
    const key = this.keyOf(partition);
    const token = randomUUID();
    const ok = await this.client().set(key, token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? { partition, key, token } : null;
  }

  /** Extends a lease still held; false when it ran out (and may be another's now). */
  async renew(lease: PartitionLease, ttlMs = LEASE_TTL_MS): Promise<boolean> {
    return Number(await this.client().eval(RENEW_SCRIPT, 1, lease.key, lease.token, String(ttlMs))) === 1;
  }

  /** Gives the lease back, only if still ours. */
  async release(lease: PartitionLease): Promise<boolean> {
    return Number(await this.client().eval(RELEASE_SCRIPT, 1, lease.key, lease.token)) === 1;
  }

  /** Runs `work` under the partition's lease, renewing it every third of its life; null when the lease is taken. */
  async withLease<T>(partition: string, work: () => Promise<T>, ttlMs = LEASE_TTL_MS): Promise<{ value: T } | null> {
    const lease = await this.acquire(partition, ttlMs);
    if (!lease) return null;
    const timer = setInterval(
      () => {
        this.renew(lease, ttlMs).catch((error: Error) =>
          this.logger.warn(`lease renewal of ${partition}: ${error.message}`),
        );
      },
      Math.max(1, Math.floor(ttlMs / 3)),
    );
    timer.unref();
    try {
      return { value: await work() };
    } finally {
      clearInterval(timer);
      await this.release(lease).catch((error: Error) =>
        this.logger.warn(`lease release of ${partition}: ${error.message}`),
      );
    }
  }

  onApplicationShutdown(): void {
    this.redis?.disconnect();
    this.redis = null;
  }
}
