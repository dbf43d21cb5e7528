import { createServer } from 'node:net';
import type { Pool, PoolConnection } from 'mysql2';
import { DataSource } from 'typeorm';
import { createTestDatabase } from '@care/testing';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { databaseNodeUrls, databaseNodes } from './database-url';
import { API_DATABASE_LIMITS, NODE_CHANGED_EVENT, abandonNode, currentNodeOf, guardedMysql2 } from './guarded-pool';
import { SqlTransactionRunner, rowsOf, stmt } from './sql-transaction';
import { TransactionRunner } from './transaction-runner';

/** A port nothing listens on: a node that is down. */
function deadPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * DATABASE_URL naming several nodes, on the single test server: the first node listed is down, so every pool must
 * move to the next one (the same server under another entry) — TypeORM's, the hot path's, and one moved off a node
 * by a failed connection (abandonNode) comes round the list again. The cluster suite (npm run test:cluster) kills
 * real Galera nodes; this keeps the failover itself inside npm test.
 */
describe('DATABASE_URL with a node down', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase('failover');
    const live = new URL(databaseNodeUrls(database.url)[0]);
    url = `mysql://${live.username}:${live.password}@127.0.0.1:${await deadPort()},${live.host}${live.pathname}`;
  });
  afterAll(() => database.drop());

  it('TypeORM starts on the next node when the first refuses', async () => {
    const db = new DataSource(dataSourceOptions({ databaseUrl: url }, { migrations: [] }, API_DATABASE_LIMITS));
    await db.initialize();
    try {
      const rows: { d: string }[] = await db.query('SELECT DATABASE() AS d');
      expect(rows[0].d).toBe(database.name);
    } finally {
      await db.destroy();
    }
  });

  it('the hot path runs its transactions on the next node', async () => {
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url });
    const tx = new TransactionRunner(new DataSource({ type: 'mysql', url: databaseNodeUrls(database.url)[0] }));
    const runner = new SqlTransactionRunner(config, API_DATABASE_LIMITS, tx);
    try {
      const [rows] = await runner.run((t) => t.batch([stmt('SELECT DATABASE() AS d')]), { audit: false });
      expect(rowsOf<{ d: string }>(rows)[0].d).toBe(database.name);
    } finally {
      await runner.onModuleDestroy();
    }
  });

  it('a pool moved off its node by a failed connection goes round the list, each node once per acquire', async () => {
    const nodes = databaseNodes(url);
    const pool: Pool = guardedMysql2(API_DATABASE_LIMITS, nodes).createPool({
      uri: databaseNodeUrls(url)[0],
      connectionLimit: 2,
    });
    const moves: string[] = [];
    pool.on(NODE_CHANGED_EVENT as 'connection', (failed: unknown, next: unknown) =>
      moves.push(`${(failed as { port: number }).port}→${(next as { port: number }).port}`),
    );
    const get = () =>
      new Promise<PoolConnection>((resolve, reject) => pool.getConnection((e, c) => (e ? reject(e) : resolve(c))));
    try {
      const first = await get();
      expect(currentNodeOf(pool)).toEqual(nodes[1]);
      // the live node "fails" (as a lost connection or WSREP not ready would say): the pool moves on, to the dead one
      abandonNode(first);
      expect(currentNodeOf(pool)).toEqual(nodes[0]);
      // the next acquire finds it down and comes round to the live node again
      const second = await get();
      expect(currentNodeOf(pool)).toEqual(nodes[1]);
      second.release();
      expect(moves).toEqual([
        `${nodes[0].port}→${nodes[1].port}`,
        `${nodes[1].port}→${nodes[0].port}`,
        `${nodes[0].port}→${nodes[1].port}`,
      ]);
    } finally {
      await new Promise<void>((resolve) => pool.end(() => resolve()));
    }
  });
});
