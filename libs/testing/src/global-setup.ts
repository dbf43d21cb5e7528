import { createConnection } from 'mysql2/promise';
import IORedis, { Cluster } from 'ioredis';

/**
 * A URL's hosts, each as a plain URL: `mysql://root:@h1:3311,h2:3312/` (a Galera cluster) or `redis+cluster://h1:7001,h2:7002`.
 * Jest runs global set-up outside the projects' module mapping, so @care/core's parsers are not at hand here.
 */
function nodeUrls(url: string): string[] {
  const match = /^([^/]+\/\/(?:[^@/]*@)?)([^/?#]*)(.*)$/.exec(url);
  return match ? match[2].split(',').map((host) => `${match[1]}${host}${match[3]}`) : [url];
}

/** Fails the e2e run at once, with instructions, when MariaDB or Redis is not there. */
export default async function globalSetup(): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'mysql://root:@127.0.0.1:3306/';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  let reached = false;
  let failure = '';
  for (const url of nodeUrls(databaseUrl)) {
    try {
      const connection = await createConnection({ uri: url, connectTimeout: 3000 });
      await connection.end();
      reached = true;
      break;
    } catch (error) {
      failure = (error as Error).message;
    }
  }
  if (!reached) {
    throw new Error(
      `e2e tests need MariaDB/MySQL at ${databaseUrl} (root, empty password): ${failure}. Run scripts/services.sh.`,
    );
  }
  const redis = /^rediss?\+cluster:/.test(redisUrl)
    ? new Cluster(
        nodeUrls(redisUrl).map((u) => {
          const { hostname, port } = new URL(u.replace(/^rediss?\+cluster:/, 'redis:'));
          return { host: hostname, port: Number(port) };
        }),
        { lazyConnect: true, clusterRetryStrategy: () => null },
      )
    : new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(`e2e tests need Redis at ${redisUrl}: ${(error as Error).message}. Run scripts/services.sh.`);
  } finally {
    redis.disconnect();
  }
}
