import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, AppConfig, DomainError, createRedis, type RedisClient } from '@care/core';
import { HashGate, HashGateBusy } from './hash-gate';

/** 429 TOO_MANY_ATTEMPTS, with Retry-After: the seconds until the counting window of the blocked key ends. */
export class TooManyAttemptsError extends DomainError {
  readonly status = 429;
  constructor(override readonly retryAfterSeconds: number) {
    super('TOO_MANY_ATTEMPTS', `Too many failed logins; try again in ${retryAfterSeconds} s`);
  }
}

/** 503 SERVICE_UNAVAILABLE for a login that cannot be counted (Redis unreachable) or checked now (hashing full). */
export class LoginUnavailableError extends DomainError {
  readonly status = 503;
  constructor(
    message: string,
    override readonly retryAfterSeconds = 1,
  ) {
    super('SERVICE_UNAVAILABLE', message);
  }
}

/** How long a counter command may take before the login answers 503 (well inside the contract's 5 s). */
const REDIS_COMMAND_TIMEOUT_MS = 2000;

/**
 * Guards every password check (login, one's own password change):
 * - failed attempts are counted in Redis (rate-limiter-flexible on an ioredis connection of its own), per username and
 *   per client address, in fixed windows of `login.windowSeconds`. An attempt is counted BEFORE the password is
 *   checked (an atomic INCR), so parallel guesses cannot slip past the limit; a success deletes the username's count
 *   and gives the address its point back. Once a count is over its limit, every attempt, a correct password
 *   included, answers 429 until the key expires.
 * - Redis unreachable: the login answers 503 at once (no offline queue, a 2 s command timeout), never unthrottled.
 * - scrypt runs behind a HashGate (see there): beyond it a login answers 503 with Retry-After 1.
 * Keys: `<queuePrefix>:login:user:<user id or normalised name>` and `<queuePrefix>:login:addr:<address>`, inside the
 * deployment's Redis Cluster hash tag, removed with the queue prefix.
 */
@Injectable()
export class LoginGuard implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LoginGuard.name);
  private readonly redis: RedisClient;
  private readonly byUsername: RateLimiterRedis;
  private readonly byAddress: RateLimiterRedis;
  readonly gate: HashGate;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { login } = config;
    this.redis = createRedis(config.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      connectTimeout: REDIS_COMMAND_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.redis.on('error', (error: Error) => this.logger.warn(`login counters: Redis ${error.message}`));
    const common = { storeClient: this.redis, duration: login.windowSeconds, rejectIfRedisNotReady: true };
    this.byUsername = new RateLimiterRedis({
      ...common,
      keyPrefix: `${config.queuePrefix}:login:user`,
      points: login.maxFailuresPerUsername,
    });
    this.byAddress = new RateLimiterRedis({
      ...common,
      keyPrefix: `${config.queuePrefix}:login:addr`,
      points: login.maxFailuresPerAddress,
    });
    this.gate = new HashGate(login.hashConcurrency, login.hashQueue, login.hashWaitMs);
  }

  async onModuleInit(): Promise<void> {
    // Connect now, so the first login finds the connection ready; an unreachable Redis is the start-up check's
    // business (the api refuses to start): here it only means logins answer 503 until ioredis reconnects.
    await this.redis.connect().catch((error: Error) => this.logger.warn(`login counters: ${error.message}`));
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }

  /**
   * One password check, guarded: counts the attempt for the username key (and the address, when known), refuses it
   * with 429 when either count is over its limit, then runs `verify` within the hashing cap. A check the cap turns
   * away (503) gives its point back: a busy server must not lock anyone out. After a correct password call
   * `succeeded`; a wrong one stays counted.
   */
  async check(userKey: string, address: string | undefined, verify: () => Promise<boolean>): Promise<boolean> {
    await this.attempt(userKey, address);
    try {
      return await this.gate.run(verify);
    } catch (error) {
      if (!(error instanceof HashGateBusy)) throw error;
      await this.refund(userKey, address).catch(() => undefined);
      throw new LoginUnavailableError('Too many logins at once; retry shortly');
    }
  }

  /** A correct password: the username's count starts again, and the address gets this attempt back. */
  async succeeded(userKey: string, address: string | undefined): Promise<void> {
    try {
      await Promise.all([this.byUsername.delete(userKey), ...(address ? [this.byAddress.reward(address, 1)] : [])]);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** Runs a password hash within the hashing cap; 503 when the cap and its queue are full. */
  async hash<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.gate.run(work);
    } catch (error) {
      if (error instanceof HashGateBusy)
        throw new LoginUnavailableError('Too many password checks at once; retry shortly');
      throw error;
    }
  }

  private async attempt(userKey: string, address: string | undefined): Promise<void> {
    const results = await Promise.allSettled([
      this.byUsername.consume(userKey),
      ...(address ? [this.byAddress.consume(address)] : []),
    ]);
    let retryAfterMs = 0;
    for (const result of results) {
      if (result.status === 'fulfilled') continue;
      if (result.reason instanceof RateLimiterRes) retryAfterMs = Math.max(retryAfterMs, result.reason.msBeforeNext);
      else throw this.unavailable(result.reason);
    }
    if (retryAfterMs > 0) throw new TooManyAttemptsError(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  }

  private async refund(userKey: string, address: string | undefined): Promise<void> {
    await Promise.all([this.byUsername.reward(userKey, 1), ...(address ? [this.byAddress.reward(address, 1)] : [])]);
  }

  private unavailable(error: unknown): LoginUnavailableError {
    this.logger.warn(`login counters unavailable: ${error instanceof Error ? error.message : String(error)}`);
    return new LoginUnavailableError('Logins cannot be checked right now; retry shortly', 5);
  }
}
