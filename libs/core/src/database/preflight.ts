import { createConnection } from 'mysql2/promise';
import { databaseNameOf } from './data-source-options';
import { databaseNodeUrls, mapDatabaseUrl } from './database-url';

/**
 * Connects once with a short time-out, so a process can exit with a clear message instead of retrying forever. With
 * several nodes (a cluster), one answering is enough: the pools fail over to it. Returns the URL of that node.
 */
export async function assertDatabaseReachable(url: string, timeoutMs = 5000): Promise<string> {
  let failure: unknown;
  for (const nodeUrl of databaseNodeUrls(url)) {
    try {
      const connection = await createConnection({ uri: nodeUrl, connectTimeout: timeoutMs });
      try {
        await connection.query('SELECT 1');
        return nodeUrl;
      } finally {
        await connection.end();
      }
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}

/** CREATE DATABASE IF NOT EXISTS for the database named in the URL (utf8mb4, so Chinese names fit). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const name = databaseNameOf(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Database name "${name}" must be letters, digits and _`);
  const server = await assertDatabaseReachable(
    mapDatabaseUrl(url, (node) => {
      node.pathname = '/';
    }),
  );
  const connection = await createConnection({ uri: server, connectTimeout: 5000 });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}
