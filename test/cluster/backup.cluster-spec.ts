import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { createTestDatabase } from '@care/testing';
import { startBuiltProcess } from '../support/processes';
import { CLUSTER_DIR, REDIS_URL, clusterUrl, freePort, nodePort, sleep } from './support/cluster';

/**
 * Backup and restore of the demo county with mariadb-backup: the demo county is seeded through the cluster, node 2
 * is backed up hot (with its Galera position), the backup is prepared and started as a fresh stand-alone instance,
 * and every table of the county holds the same rows there as on the cluster (count and a checksum of the values).
 * The times are printed (they bound the recovery time of docs/scaling.md). The comparison is by values, not CHECKSUM
 * TABLE: that differed once for `stays` with equal counts (cause not found yet; see docs/scaling.md).
 */
describe('mariadb-backup of the demo county', () => {
  const target = join(CLUSTER_DIR, `backup-${randomBytes(3).toString('hex')}`);
  let restored: ChildProcess | null = null;
  let database: Awaited<ReturnType<typeof createTestDatabase>>;

  afterAll(async () => {
    if (restored && restored.exitCode === null) {
      const exited = new Promise((resolve) => restored!.once('exit', resolve));
      restored.kill('SIGTERM');
      await exited;
    }
    rmSync(target, { recursive: true, force: true });
    await database?.drop();
  });

  it('backs up a node hot, restores into a fresh instance, and every table of the county has the same rows', async () => {
    database = await createTestDatabase('demo');
    const seedStarted = Date.now();
    const seed = await startBuiltProcess(
      'dist/apps/api/src/cli/seed-demo.js',
      {
        DATABASE_URL: clusterUrl(database.name, 2),
        REDIS_URL,
        QUEUE_PREFIX: `{demo-${randomBytes(3).toString('hex')}}`,
        ADMIN_PASSWORD: 'admin-password-for-cluster',
        LOG_LEVEL: 'warn',
      },
      /seed:demo/,
    );
    const seeded = await seed.exited;
    expect({ code: seeded.code, output: seeded.code === 0 ? '' : seed.output() }).toEqual({ code: 0, output: '' });
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    // 1. hot backup of node 2 (every database of the node; --galera-info keeps the cluster position beside it)
    const backupStarted = Date.now();
    execFileSync(
      'mariadb-backup',
      [
        '--backup',
        `--target-dir=${target}`,
        `--datadir=${join(CLUSTER_DIR, 'db2')}`,
        '--host=127.0.0.1',
        `--port=${nodePort(2)}`,
        '--user=root',
        '--galera-info',
      ],
      { stdio: 'pipe', timeout: 300_000 },
    );
    const backupSeconds = (Date.now() - backupStarted) / 1000;
    expect(
      existsSync(join(target, 'xtrabackup_galera_info')) || existsSync(join(target, 'mariadb_backup_galera_info')),
    ).toBe(true);

    // 2. prepare (apply the redo log) and start it as a fresh stand-alone instance on a port of its own
    const restoreStarted = Date.now();
    execFileSync('mariadb-backup', ['--prepare', `--target-dir=${target}`], { stdio: 'pipe', timeout: 300_000 });
    execFileSync('chown', ['-R', 'mysql:mysql', target]);
    const port = await freePort();
    restored = spawn(
      '/usr/sbin/mariadbd',
      [
        '--no-defaults',
        '--user=mysql',
        `--datadir=${target}`,
        `--socket=${target}/restored.sock`,
        `--pid-file=${target}/restored.pid`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        `--log-error=${target}/restored.err`,
        '--innodb-buffer-pool-size=128M',
      ],
      { stdio: 'ignore' },
    );
    const url = `mysql://root:@127.0.0.1:${port}/${database.name}`;
    let restoredDb = null;
    for (let i = 0; i < 120 && !restoredDb; i++) {
      restoredDb = await createConnection({ uri: url, connectTimeout: 1000 }).catch(() => null);
      if (!restoredDb) await sleep(250);
    }
    if (!restoredDb) throw new Error(`the restored instance did not start (see ${target}/restored.err)`);
    const restoreSeconds = (Date.now() - restoreStarted) / 1000;

    // 3. every table of the county: the same count (and checksum) on the cluster and in the restored instance
    const cluster = await createConnection({ uri: `mysql://root:@127.0.0.1:${nodePort(2)}/${database.name}` });
    try {
      const [tables] = await cluster.query(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY 1`,
        [database.name],
      );
      const names = (tables as { t: string }[]).map((r) => r.t);
      expect(names.length).toBeGreaterThan(20);
      // per table: the row count and a checksum of the rows' values (every column, in primary-key order-free form:
      // a sum of CRC32s), computed the same way on both servers
      const [columnRows] = await cluster.query(
        `SELECT table_name AS t, GROUP_CONCAT(CONCAT('\`', column_name, '\`') ORDER BY ordinal_position) AS cols
           FROM information_schema.columns WHERE table_schema = ? GROUP BY table_name`,
        [database.name],
      );
      const columns = new Map((columnRows as { t: string; cols: string }[]).map((r) => [r.t, r.cols]));
      const counts = async (c: typeof cluster) => {
        const out: Record<string, string> = {};
        for (const name of names) {
          const [rows] = await c.query(
            `SELECT COUNT(*) AS n, COALESCE(SUM(CRC32(CONCAT_WS('|', ${columns.get(name)}))), 0) AS sum FROM \`${name}\``,
          );
          const row = (rows as { n: number; sum: string }[])[0];
          out[name] = `${row.n}/${row.sum}`;
        }
        return out;
      };
      const onCluster = await counts(cluster);
      const inRestore = await counts(restoredDb);
      expect(inRestore).toEqual(onCluster);
      const total = Object.values(onCluster).reduce((sum, v) => sum + Number(v.split('/')[0]), 0);
      expect(Number(onCluster.residents.split('/')[0])).toBeGreaterThan(1000);
      console.log(
        `[cluster] backup: demo county seeded in ${seedSeconds.toFixed(0)} s (${total} rows in ${names.length} tables, ` +
          `residents ${onCluster.residents.split('/')[0]}, care_orders ${onCluster.care_orders.split('/')[0]}); ` +
          `mariadb-backup --backup ${backupSeconds.toFixed(1)} s, --prepare + start of the restored instance ${restoreSeconds.toFixed(1)} s; ` +
          `row counts and value checksums equal in every table`,
      );
    } finally {
      await cluster.end();
      await restoredDb.end();
    }
  }, 600_000);
});
