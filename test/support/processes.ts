import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The repository's root (the built apps are under dist/). */
export const ROOT = join(__dirname, '..', '..');

/** A process a test started, its output so far and its exit. */
export interface StartedProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a built script (a path under the repository's root, e.g. `dist/apps/dispatcher/src/main.js`) with a test
 * environment plus `env`, and resolves once its output matches `ready`; rejects when it exits first or takes longer
 * than `timeoutMs`. `nodeArgs` go to node before the script (e.g. production's, from productionStart). The output is
 * kept (its last 100 KB at least) for the test's messages.
 */
export function startBuiltProcess(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs = 60_000,
  nodeArgs: readonly string[] = [],
): Promise<StartedProcess> {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, script)], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', LOG_LEVEL: 'warn', MALLOC_ARENA_MAX: '2', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start: ${out}`)), timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve({ child, output: () => out, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      if (!ready.test(out)) reject(new Error(`${script} exited (${code}) before it was ready: ${out}`));
    });
  });
}
