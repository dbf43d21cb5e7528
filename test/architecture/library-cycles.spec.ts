import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ROOT, rel, sourceFiles } from './source-scan';

/**
 * No import cycle between libraries at module level: a library (@care/<name>) and each pure sub-module it exports
 * (@care/<name>/<sub>, tsconfig paths) is one node; a source file's imports of another node are edges. A sub-module
 * is its own node because that is how an owner uses a library that may use the owner: beds, residents, assessments,
 * care-orders and facilities write the statistics outbox with @care/stats/outbox, and @care/stats may import their
 * libraries (their rules); only the sub-module's own imports (its files and @care/core: care/imports) keep that
 * free of a cycle. Tests aside (they compose whatever they need).
 */
const PATHS = (
  JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  }
).compilerOptions.paths;

const NODES = Object.entries(PATHS)
  .filter(
    ([alias, [target]]) => alias.startsWith('@care/') && !alias.endsWith('/test-support') && target.startsWith('libs/'),
  )
  .map(([alias, [target]]) => ({ alias, target: target.replace(/(\.ts)?\/?$/, '') }))
  // the most specific first: a file of libs/stats/src/outbox belongs to @care/stats/outbox, not @care/stats
  .sort((a, b) => b.target.length - a.target.length);

/** The node a repository path (a file, or an import's resolved path without extension) belongs to. */
function nodeOf(path: string): string | undefined {
  return NODES.find((n) => path === n.target || path === `${n.target}.ts` || path.startsWith(`${n.target}/`))?.alias;
}

/** The import specifiers of a source (import/export … from, dynamic import, require). */
function importsOf(text: string): string[] {
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map(
    (m) => m[1],
  );
}

function graph(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>(NODES.map((n) => [n.alias, new Set<string>()]));
  const libs = readdirSync(join(ROOT, 'libs')).filter((lib) => existsSync(join(ROOT, 'libs', lib, 'src')));
  for (const path of libs.flatMap((lib) => sourceFiles(join(ROOT, 'libs', lib, 'src')))) {
    const from = nodeOf(rel(path));
    if (!from) continue;
    for (const source of importsOf(readFileSync(path, 'utf8'))) {
      const to = source.startsWith('.') ? nodeOf(rel(resolve(dirname(path), source))) : PATHS[source] && source;
      if (to && to !== from && edges.has(to)) edges.get(from)?.add(to);
    }
  }
  return edges;
}

/** The cycles met by a depth-first walk, each as the path that closes it. */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const walk = (node: string, path: string[]) => {
    if (path.includes(node)) {
      found.push([...path.slice(path.indexOf(node)), node]);
      return;
    }
    if (done.has(node)) return;
    for (const next of edges.get(node) ?? []) walk(next, [...path, node]);
    done.add(node);
  };
  for (const node of edges.keys()) walk(node, []);
  return found;
}

describe('library imports', () => {
  const edges = graph();

  it('form no cycle', () => {
    expect(cycles(edges).map((c) => c.join(' → '))).toEqual([]);
  });

  it('are seen (the scan works)', () => {
    expect([...(edges.get('@care/beds') ?? [])]).toEqual(expect.arrayContaining(['@care/core', '@care/residents']));
    expect(
      cycles(
        new Map([
          ['a', new Set(['b'])],
          ['b', new Set(['c'])],
          ['c', new Set(['a'])],
        ]),
      ),
    ).toEqual([['a', 'b', 'c', 'a']]);
  });
});
