import { createConnection } from 'mysql2/promise';
import { databaseNameOf } from './data-source-options';

/** Connects once with a short time-out, so a process can exit with a clear message instead of retrying forever. */
export async function assertDatabaseReachable(url: string, timeoutMs = 5000): Promise<void> {
  const connection = await createConnection({ uri: url, connectTimeout: timeoutMs });
  try {
    await connection.query('SELECT 1');
  } finally {
    await connection.end();
  }
}

/** CREATE DATABASE IF NOT EXISTS for the database named in the URL (utf8mb4, so Chinese names fit). */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const name = databaseNameOf(url);
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Database name "${name}" must be letters, digits and _`);
  const server = new URL(url);
  server.pathname = '/';
  const connection = await createConnection({ uri: server.toString(), connectTimeout: 5000 });
  try {
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}
