import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { deleteKeysWithPrefix } from '@care/core';
import { createTestDatabase } from '@care/testing';

/** The process contract of api-contract.md, checked on the built processes (npm test builds first). */
const ROOT = join(__dirname, '..', '..');
const API = join(ROOT, 'dist/apps/api/src/main.js');
const DISPATCHER = join(ROOT, 'dist/apps/dispatcher/src/main.js');
const MIGRATE = join(ROOT, 'dist/apps/api/src/cli/migrate.js');

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function run(
  script: string,
  env: Record<string, string>,
  opts: { until?: RegExp; thenSignal?: NodeJS.Signals; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish in time; stdout: ${stdout} stderr: ${stderr}`));
    }, opts.timeoutMs ?? 30_000);
    const onData = () => {
      if (opts.until && !signalled && opts.until.test(stdout + stderr)) {
        signalled = true;
        child.kill(opts.thenSignal ?? 'SIGTERM');
      }
    };
    child.stdout.on('data', (d: Buffer) => ((stdout += d.toString()), onData()));
    child.stderr.on('data', (d: Buffer) => ((stderr += d.toString()), onData()));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe('process contract', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  // the dispatchers' queues, removed afterwards like every test's (its schedulers would stay in Redis otherwise)
  const prefix = `test-process-${randomBytes(3).toString('hex')}`;
  beforeAll(async () => {
    for (const file of [API, DISPATCHER, MIGRATE]) {
      if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first (npm test does)`);
    }
    db = await createTestDatabase('process');
  });
  afterAll(async () => {
    await db.drop();
    await deleteKeysWithPrefix(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0', `{${prefix}`);
  });

  it('migrate applies everything, then a second run changes nothing', async () => {
    const first = await run(MIGRATE, { DATABASE_URL: db.url });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied \d+ migration/);
    expect(first.stdout).toMatch(/reference data: 28 townships/);
    const second = await run(MIGRATE, { DATABASE_URL: db.url });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/schema up to date/);
  });

  it('exits non-zero naming every invalid setting', async () => {
    const result = await run(API, { PORT: 'abc', REDIS_URL: 'http://x', NODE_ENV: 'production' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/PORT/);
    expect(result.stderr).toMatch(/REDIS_URL/);
    expect(result.stderr).toMatch(/JWT_SECRET/);
    expect(result.stderr).toMatch(/DATA_ENCRYPTION_KEY/);
  });

  it('exits non-zero with a clear message when the database cannot be reached', async () => {
    const result = await run(DISPATCHER, { DATABASE_URL: 'mysql://root:secret@127.0.0.1:1/care' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot reach the database/);
    expect(result.stderr).not.toMatch(/secret/);
  });

  it('exits non-zero when Redis cannot be reached', async () => {
    const result = await run(API, {
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://127.0.0.1:1/0',
      ADMIN_PASSWORD: 'password-123',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot reach Redis/);
  });

  it('the api refuses a first start without ADMIN_PASSWORD', async () => {
    const fresh = await createTestDatabase('noadmin');
    try {
      await run(MIGRATE, { DATABASE_URL: fresh.url });
      const result = await run(API, { DATABASE_URL: fresh.url, PORT: '3999' });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/ADMIN_PASSWORD/);
    } finally {
      await fresh.drop();
    }
  });

  it('the api starts, serves, and stops cleanly on SIGTERM', async () => {
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const result = await run(
      API,
      { DATABASE_URL: db.url, PORT: port, ADMIN_PASSWORD: 'password-123' },
      { until: /api listening/ },
    );
    expect(result.stdout).toMatch(/api listening/);
    expect(result.code).toBe(0);
  });

  it('the dispatcher starts, says it is ready, and stops cleanly on SIGTERM', async () => {
    const result = await run(
      DISPATCHER,
      { DATABASE_URL: db.url, QUEUE_PREFIX: `{${prefix}}` },
      { until: /dispatcher ready/ },
    );
    expect(result.stdout).toMatch(/dispatcher ready/);
    expect(result.code).toBe(0);
  });

  it('a SIGTERM at once after ready stops the dispatcher cleanly every time (queues and schedulers still connecting)', async () => {
    // before queues and workers were closed only once their connections were ready, about one start in six died
    // here with an unhandled "Connection is closed" from a connection still initialising
    const codes: (number | null)[] = [];
    for (let i = 0; i < 8; i++) {
      const result = await run(
        DISPATCHER,
        { DATABASE_URL: db.url, QUEUE_PREFIX: `{${prefix}-${i}}` },
        { until: /dispatcher ready/ },
      );
      if (result.code !== 0) throw new Error(`start ${i}: exit ${result.code}\n${result.stderr.slice(-1500)}`);
      codes.push(result.code);
    }
    expect(codes).toEqual(Array(8).fill(0));
  }, 120_000);
});
