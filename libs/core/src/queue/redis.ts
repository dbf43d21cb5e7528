import IORedis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';

/**
 * A Redis connection: one server (`redis://host:port/db`, `rediss://`) or a Redis Cluster
 * (`redis+cluster://[user:password@]host1:port1,host2:port2,.../` — any reachable nodes; the rest are discovered).
 * Both speak the same commands; every key this system uses carries the `{care}` hash tag of QUEUE_PREFIX, so a
 * cluster keeps them in one slot (BullMQ's multi-key scripts, the leases, the login counters).
 */
export type RedisClient = IORedis | Cluster;

export interface RedisClusterTarget {
  nodes: { host: string; port: number }[];
  username?: string;
  password?: string;
  tls: boolean;
}

const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/?(\?.*)?$/i;

/** Whether REDIS_URL names a Redis Cluster. */
export function isRedisClusterUrl(url: string): boolean {
  return /^rediss?\+cluster:/i.test(url);
}

/** The nodes and credentials of a `redis+cluster://` URL; throws with a message naming the problem. */
export function parseRedisClusterUrl(url: string): RedisClusterTarget {
  const match = CLUSTER_URL.exec(url.trim());
  if (!match) throw new Error('REDIS_URL: a cluster is redis+cluster://[user:password@]host:port,host:port,...');
  const [, scheme, user, password, hostList] = match;
  const nodes = hostList.split(',').map((entry) => {
    const hostPort = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(entry.trim());
    if (!hostPort || Number(hostPort[2]) < 1 || Number(hostPort[2]) > 65535) {
      throw new Error(`REDIS_URL: "${entry}" is not host:port`);
    }
    return { host: hostPort[1], port: Number(hostPort[2]) };
  });
  return {
    nodes,
    username: user ? decodeURIComponent(user) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
    tls: scheme.toLowerCase() === 'rediss',
  };
}

/**
 * How long a patient cluster command (a worker's, a lease's) keeps retrying through a failover before it fails: a master
 * is declared failed after `cluster-node-timeout` (15 s by default) and its replica elected within a second or two.
 * Meanwhile the slot answers CLUSTERDOWN or TRYAGAIN, or its node's connection is closed, and ioredis retries each
 * after a delay, at most `maxRedirections` times: its default (16 × 300 ms ≈ 5 s) gave up in the middle of a failover.
 */
export const CLUSTER_FAILOVER_PATIENCE_MS = 30_000;
const CLUSTER_DOWN_RETRY_MS = 300;
const CLUSTER_FAILOVER_RETRY_MS = 200;

/**
 * One server's options as a cluster's: the connection-wide ones at the top (offline queue, ready check, lazy
 * connect, reconnecting — ioredis reconnects a cluster with clusterRetryStrategy, never the nodes' own strategy),
 * the per-command ones (retries per request, command and connect time-outs) for every node. Slots are re-read at
 * once when a master fails, so its replica's promotion is followed quickly. A connection with an offline queue waits
 * for Redis, so its commands retry through a failover for CLUSTER_FAILOVER_PATIENCE_MS; a fail-fast one (no offline
 * queue) keeps ioredis's few retries, its callers have their own deadline.
 */
export function redisClusterOptions(target: RedisClusterTarget, options: RedisOptions): ClusterOptions {
  const { lazyConnect, enableOfflineQueue, enableReadyCheck, retryStrategy, ...perNode } = options;
  const patient = enableOfflineQueue !== false;
  return {
    lazyConnect,
    enableOfflineQueue,
    enableReadyCheck,
    clusterRetryStrategy: retryStrategy ?? ((times: number) => Math.min(100 * times, 2000)),
    retryDelayOnFailover: CLUSTER_FAILOVER_RETRY_MS,
    retryDelayOnClusterDown: CLUSTER_DOWN_RETRY_MS,
    retryDelayOnTryAgain: CLUSTER_FAILOVER_RETRY_MS,
    // each retry (CLUSTERDOWN, TRYAGAIN, a closed node, MOVED) counts as one redirection
    ...(patient ? { maxRedirections: Math.ceil(CLUSTER_FAILOVER_PATIENCE_MS / CLUSTER_FAILOVER_RETRY_MS) } : {}),
    slotsRefreshTimeout: 2000,
    redisOptions: {
      ...perNode,
      username: target.username,
      password: target.password,
      ...(target.tls ? { tls: {} } : {}),
    },
  };
}

function connect(url: string, options: RedisOptions): RedisClient {
  if (!isRedisClusterUrl(url)) return new IORedis(url, options);
  const target = parseRedisClusterUrl(url);
  return new Cluster(target.nodes, redisClusterOptions(target, options));
}

/**
 * An ioredis connection from REDIS_URL (the database number in the URL is honoured by ioredis; a cluster has only 0).
 * BullMQ workers need maxRetriesPerRequest: null so that a Redis restart pauses them instead of failing jobs.
 */
export function createRedis(url: string, options: RedisOptions = {}): RedisClient {
  return connect(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...options });
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
export function createFailFastRedis(url: string, options: RedisOptions = {}): RedisClient {
  return connect(url, { ...FAIL_FAST_REDIS_OPTIONS, enableReadyCheck: true, ...options });
}

/** Connects once and fails fast (for start-up checks), instead of ioredis's endless reconnecting. */
export async function assertRedisReachable(url: string, timeoutMs = 5000): Promise<void> {
  const probe = connect(url, {
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

/**
 * Deletes every key under a queue prefix (a test's or a benchmark's queues once it is done), in scan batches; on a
 * cluster, on every master (the hash tag keeps them on one, but which one is the cluster's business).
 */
export async function deleteKeysWithPrefix(url: string, prefix: string): Promise<void> {
  const client = connect(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    if (client.status !== 'ready') {
      // a cluster's node list is known once it is ready; a server that never answers fails like a command would
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Redis at ${url} not ready within 10 s`)), 10_000);
        client.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const servers = client instanceof Cluster ? client.nodes('master') : [client];
    for (const server of servers) {
      let cursor = '0';
      do {
        const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        // one key per DEL: keys of different slots may not share a command on a cluster
        for (const key of keys) await client.del(key);
      } while (cursor !== '0');
    }
  } finally {
    client.disconnect();
  }
}
