import { CLUSTER_FAILOVER_PATIENCE_MS, FAIL_FAST_REDIS_OPTIONS, redisClusterOptions } from './redis';

const target = { nodes: [{ host: '127.0.0.1', port: 7001 }], tls: false };

describe('Redis Cluster options through a fail-over', () => {
  it('a connection that waits for Redis retries each command for the whole patience, however the slot answers', () => {
    const options = redisClusterOptions(target, { maxRetriesPerRequest: null });
    const redirections = options.maxRedirections ?? 16;
    // each CLUSTERDOWN, TRYAGAIN, closed node or MOVED answer counts as one redirection, after its own delay
    for (const delay of [options.retryDelayOnClusterDown, options.retryDelayOnTryAgain, options.retryDelayOnFailover]) {
      expect(redirections * (delay ?? 0)).toBeGreaterThanOrEqual(CLUSTER_FAILOVER_PATIENCE_MS);
    }
    expect(CLUSTER_FAILOVER_PATIENCE_MS).toBeGreaterThanOrEqual(30_000);
  });

  it('a fail-fast connection keeps ioredis’s few retries: its request answers 503 in time', () => {
    const options = redisClusterOptions(target, FAIL_FAST_REDIS_OPTIONS);
    expect(options.maxRedirections).toBeUndefined();
    expect(options.enableOfflineQueue).toBe(false);
    expect(options.redisOptions?.commandTimeout).toBe(FAIL_FAST_REDIS_OPTIONS.commandTimeout);
  });
});
