import IORedis, { RedisOptions } from 'ioredis';

/**
 * An ioredis connection from REDIS_URL (the database number in the URL is honoured by ioredis).
 * BullMQ workers need maxRetriesPerRequest: null so that a Redis restart pauses them instead of failing jobs.
 */
export function createRedis(url: string, options: RedisOptions = {}): IORedis {
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...options });
}

/**
 * Options of a connection that a request waits on (producers, health, throttling): a command fails at once while
 * Redis is unreachable (no offline queue, one retry) or after `commandTimeout`, so the request can answer 503 in
 * time, while the connection keeps reconnecting in the background and serves again as soon as Redis is back.
 * Workers' blocking connections keep `maxRetriesPerRequest: null` (see createRedis).
 */
export const FAIL_FAST_REDIS_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 1,
  enableOfflineQueue: false,
  commandTimeout: 2000,
  connectTimeout: 2000,
  retryStrategy: (times: number) => Math.min(200 * times, 2000),
};

/** A connection for request paths: fails fast instead of queueing commands until Redis returns. */
export function createFailFastRedis(url: string, options: RedisOptions = {}): IORedis {
  return new IORedis(url, { ...FAIL_FAST_REDIS_OPTIONS, enableReadyCheck: true, ...options });
}

/** Connects once and fails fast (for start-up checks), instead of ioredis's endless reconnecting. */
export async function assertRedisReachable(url: string, timeoutMs = 5000): Promise<void> {
  const probe = new IORedis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } finally {
    probe.disconnect();
  }
}

/** Deletes every key under a queue prefix (a test's or a benchmark's queues once it is done), in scan batches. */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
