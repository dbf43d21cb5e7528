import { createConnection } from 'mysql2/promise';
import IORedis from 'ioredis';

/** Fails the e2e run at once, with instructions, when MariaDB or Redis is not there. */
export default async function globalSetup(): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'mysql://root:@127.0.0.1:3306/';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
  try {
    const connection = await createConnection({ uri: databaseUrl, connectTimeout: 3000 });
    await connection.end();
  } catch (error) {
    throw new Error(
      `e2e tests need MariaDB/MySQL at ${databaseUrl} (root, empty password): ${(error as Error).message}. Run scripts/services.sh.`,
    );
  }
  const redis = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
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
