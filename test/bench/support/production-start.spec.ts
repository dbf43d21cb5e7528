import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseStartCommand, productionEnv, productionStart, repositoryRoot } from './production-start';

const root = repositoryRoot();
const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('production start', () => {
  it('parses assignments with shell defaults, node flags and the script', () => {
    expect(
      parseStartCommand(
        'MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} node --max-old-space-size=1024 dist/apps/api/src/main.js',
      ),
    ).toEqual({
      env: { MALLOC_ARENA_MAX: '2' },
      nodeArgs: ['--max-old-space-size=1024'],
      script: 'dist/apps/api/src/main.js',
    });
    expect(parseStartCommand('node dist/x.js')).toEqual({ env: {}, nodeArgs: [], script: 'dist/x.js' });
    expect(() => parseStartCommand('npm run build')).toThrow('not a node start command');
    expect(() => parseStartCommand('node a.js b.js')).toThrow('one script');
  });

  it('lets the caller’s environment override a default, as the shell does', () => {
    const start = parseStartCommand('A=${A:-2} B=${B:-3} node x.js');
    expect(productionEnv(start, { A: '8' })).toEqual({ A: '8', B: '3' });
  });

  // the image and the demo must start the api as start:api does, or the benches measure something else
  it('the Dockerfile runs the api with start:api’s node flags and environment', () => {
    const api = productionStart('api');
    const dockerfile = read('docker/Dockerfile');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[];
    expect(cmd).toEqual(['node', ...api.nodeArgs, api.script]);
    for (const [name, value] of Object.entries(api.env))
      expect(dockerfile).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
  });

  it('compose runs the dispatcher with start:dispatcher’s node flags (and the api with the image’s CMD)', () => {
    const dispatcher = productionStart('dispatcher');
    const compose = read('docker/compose.yml');
    const command = /^ {2}dispatcher:\n(?: {4}.*\n)*? {4}command: (\[.*\])$/m.exec(compose)?.[1];
    expect(JSON.parse((command ?? '[]').replace(/'/g, '"'))).toEqual([
      'node',
      ...dispatcher.nodeArgs,
      dispatcher.script,
    ]);
    expect(/^ {2}api:\n(?: {4}.*\n)*? {4}command:/m.test(compose)).toBe(false);
  });

  it('the demo starts the api and the dispatcher as start:api and start:dispatcher do', () => {
    const demo = read('scripts/demo.sh');
    for (const name of ['api', 'dispatcher'] as const) {
      const start = productionStart(name);
      const line = demo.split('\n').find((l) => l.includes(` ${start.script}`));
      expect(line).toBeDefined();
      expect(parseStartCommand((line ?? '').replace(/\s*&$/, ''))).toEqual(start);
    }
  });
});
