import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { assertDatabaseReachable, withDatabase } from '@care/core';

/** One server, or a Galera cluster's nodes (`mysql://root:@h1:3311,h2:3312,h3:3313/`, npm run test:cluster). */
const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'mysql://root:@127.0.0.1:3306/';

/** A fresh, uniquely named database for one test file. Names always contain "test", never a real database. */
export async function createTestDatabase(
  label = 'e2e',
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `care_test_${label.replace(/[^a-z0-9]/gi, '').slice(0, 20)}_${randomBytes(4).toString('hex')}`;
  // on a cluster, any node that answers: the database is replicated to the others
  const connection = await createConnection({ uri: await assertDatabaseReachable(SERVER_URL) });
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.end();
  return {
    name,
    url: withDatabase(SERVER_URL, name),
    drop: async () => {
      if (!name.includes('test')) throw new Error(`refusing to drop ${name}`);
      const c = await createConnection({ uri: await assertDatabaseReachable(SERVER_URL) });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
