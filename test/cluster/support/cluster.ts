import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type Connection, createConnection } from 'mysql2/promise';
import { Cluster } from 'ioredis';
import { createRedis } from '@care/core';
import { freePort } from '../../support/free-port';
import type { StartedProcess } from '../../support/processes';
export { freePort };

/**
 * The cluster `scripts/cluster.sh up` started (npm run test:cluster starts it and passes these): three Galera nodes,
 * a Redis Cluster of three masters with a replica each.
 */
export const ROOT = join(__dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'cluster.sh');
export const CLUSTER_DIR = process.env.CLUSTER_DIR ?? '/var/tmp/care-cluster';
const DB_PORT = Number(process.env.CLUSTER_DB_PORT ?? 3311);
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis+cluster://127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Node i's port (1–3). */
export const nodePort = (i: number): number => DB_PORT + i - 1;

/** A DATABASE_URL listing the three nodes, starting with `first` (so processes sit on different nodes). */
export function clusterUrl(database: string, first = 1): string {
  const order = [0, 1, 2].map((k) => ((first - 1 + k) % 3) + 1);
  return `mysql://root:@${order.map((i) => `127.0.0.1:${nodePort(i)}`).join(',')}/${database}`;
}

/** One node's URL (for checks that must read that very node). */
export const nodeUrl = (i: number, database: string): string => `mysql://root:@127.0.0.1:${nodePort(i)}/${database}`;

export function clusterCtl(...args: string[]): string {
  return execFileSync('bash', [SCRIPT, ...args], {
    env: { ...process.env, CLUSTER_DIR },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
}

/**
 * clusterCtl without blocking this process: what a test runs while its own clients send traffic. (execFileSync froze
 * the test's event loop for the whole `start-node`, ≈ 9 s: its clients' 8 s time-outs fired on answers the apis had
 * already sent — the "answers beyond 5 s" of issue 16 — and no request went out meanwhile.)
 */
export function clusterCtlAsync(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [SCRIPT, ...args],
      { env: { ...process.env, CLUSTER_DIR }, encoding: 'utf8', timeout: 180_000 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
  });
}

/** Galera's view of node i: its state (Synced, Donor/Desynced, Joining…) and the cluster size it sees. */
export async function galeraState(i: number): Promise<{ state: string; size: number; ready: boolean }> {
  const c = await createConnection({ uri: nodeUrl(i, ''), connectTimeout: 2000 });
  try {
    const [rows] = await c.query(
      `SHOW STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_cluster_size', 'wsrep_ready')`,
    );
    const v = Object.fromEntries(
      (rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, r.Value]),
    );
    return { state: v.wsrep_local_state_comment, size: Number(v.wsrep_cluster_size), ready: v.wsrep_ready === 'ON' };
  } finally {
    await c.end();
  }
}

/** A connection to node i, for checks that must see what that node holds. */
export function connectNode(i: number, database: string): Promise<Connection> {
  return createConnection({ uri: nodeUrl(i, database), supportBigNumbers: true, bigNumberStrings: true });
}

export function alive(p: StartedProcess): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}

/**
 * A Redis Cluster client for the test's own reads and writes (the queue's counts, which master holds a slot): the
 * product's patient connection (createRedis), whose commands retry through a failover's CLUSTERDOWN, TRYAGAIN and
 * MOVED answers for CLUSTER_FAILOVER_PATIENCE_MS (ioredis's default gave up after ≈ 5 s, in the middle of one).
 */
export function redisCluster(): Cluster {
  const cluster = createRedis(REDIS_URL);
  if (!(cluster instanceof Cluster)) throw new Error(`TEST_REDIS_URL is not a cluster: ${REDIS_URL}`);
  cluster.on('error', () => undefined);
  return cluster;
}

/**
 * SIGKILLs the Redis master that serves `key`'s slot (the queues' hash tag), so its replica must take over.
 * Returns the killed node's port.
 */
export async function killRedisMasterOf(cluster: Cluster, key: string): Promise<number> {
  const slot = Number(await cluster.cluster('KEYSLOT', key));
  const slots = (await cluster.cluster('SLOTS')) as unknown as [number, number, [string, number, string]][];
  const range = slots.find(([from, to]) => slot >= from && slot <= to);
  if (!range) throw new Error(`no master serves slot ${slot}`);
  const port = range[2][1];
  const redisPort = Number(process.env.CLUSTER_REDIS_PORT ?? 7001);
  const pid = execFileSync('cat', [join(CLUSTER_DIR, `redis${port - redisPort + 1}.pid`)], { encoding: 'utf8' }).trim();
  process.kill(Number(pid), 'SIGKILL');
  return port;
}

/** Waits until the cluster answers for `key` again from a master other than `deadPort` (the replica was promoted). */
export async function waitForFailover(
  cluster: Cluster,
  key: string,
  deadPort: number,
  timeoutMs = 30_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const slot = Number(await cluster.cluster('KEYSLOT', key));
      const slots = (await cluster.cluster('SLOTS')) as unknown as [number, number, [string, number, string]][];
      const port = slots.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
      if (port && port !== deadPort) {
        await cluster.set(`${key}:probe`, '1', 'PX', 1000);
        return port;
      }
    } catch {
      // the cluster is still electing
    }
    await sleep(200);
  }
  throw new Error(`no replica took over from ${deadPort} within ${timeoutMs} ms`);
}
