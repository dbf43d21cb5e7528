import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * How production starts a process: the environment defaults and node flags of package.json's `start:<name>`
 * script, e.g. `MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} node --max-old-space-size=1024 dist/apps/api/src/main.js`.
 * The Dockerfile and scripts/demo.sh repeat them (production-start.spec.ts checks that they agree); the benches
 * start the built api and dispatcher with them, so what a bench measures is what production runs.
 */
export interface ProductionStart {
  /** variables the script sets, each with its default (`${X:-2}` → 2): the caller's own value wins, as in the shell */
  env: Record<string, string>;
  /** the flags given to node before the script */
  nodeArgs: string[];
  /** the script node runs, relative to the repository root */
  script: string;
}

const ASSIGNMENT = /^([A-Z][A-Z0-9_]*)=(.*)$/;
const SHELL_DEFAULT = /^"?\$\{([A-Z][A-Z0-9_]*):-([^}]*)\}"?$/;

/** Parses one command line: assignments, then `node`, its flags, then the script. */
export function parseStartCommand(command: string): ProductionStart {
  const words = command.trim().split(/\s+/);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length && ASSIGNMENT.test(words[i]); i++) {
    const [, name, value] = ASSIGNMENT.exec(words[i]) ?? [];
    env[name] = SHELL_DEFAULT.exec(value)?.[2] ?? value.replace(/^"|"$/g, '');
  }
  if (words[i] !== 'node') throw new Error(`not a node start command: ${command}`);
  const nodeArgs: string[] = [];
  for (i++; i < words.length && words[i].startsWith('-'); i++) nodeArgs.push(words[i]);
  const script = words[i];
  if (!script || i !== words.length - 1) throw new Error(`expected one script after node's flags: ${command}`);
  return { env, nodeArgs, script };
}

/** The repository root: the nearest folder above with a package.json (from sources or from dist-bench). */
export function repositoryRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** `npm run start:<name>` read from package.json. */
export function productionStart(name: 'api' | 'dispatcher', root = repositoryRoot()): ProductionStart {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  const command = scripts[`start:${name}`];
  if (!command) throw new Error(`package.json has no start:${name} script`);
  return parseStartCommand(command);
}

/** The environment a bench gives a started process: the script's defaults, unless this process's environment overrides one. */
export function productionEnv(start: ProductionStart, own: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(Object.entries(start.env).map(([name, value]) => [name, own[name] ?? value]));
}
