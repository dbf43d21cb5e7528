// ESLint plugin `care`, rule `imports`: the library boundaries (eslint.config.mjs turns it on; its test is
// test/architecture/lint-boundaries.spec.ts).
const { readFileSync } = require('node:fs');
const { dirname, relative, resolve, sep } = require('node:path');

const ROOT = resolve(__dirname, '..');
const PATHS = JSON.parse(readFileSync(resolve(ROOT, 'tsconfig.json'), 'utf8')).compilerOptions.paths;
/** The import paths a library offers: @care/<name> and the subpaths it exports on purpose (tsconfig.json's paths). */
const PUBLIC_PATHS = new Set(Object.keys(PATHS));
/**
 * A library's pure sub-modules: the subpaths @care/<name>/<sub> it exports on purpose (its test fixtures aside),
 * each a folder or one file (`target`, as in tsconfig paths, without `.ts`). Other libraries import one without its
 * library's Nest side, so it must not bring that side, nor another library, along: it imports only inside itself and
 * @care/core (core's own sub-modules not even that). This is what lets an owner import @care/stats/outbox while
 * statistics import the owner's library, without a cycle.
 */
const SUB_MODULES = Object.entries(PATHS)
  .filter(
    ([alias, [target]]) =>
      /^@care\/[^/]+\/./.test(alias) && !alias.endsWith('/test-support') && target.startsWith('libs/'),
  )
  .map(([alias, [target]]) => ({
    alias,
    lib: /^libs\/([^/]+)\//.exec(target)[1],
    target: target.replace(/(\.ts)?\/?$/, ''),
  }));
/** The sub-module a file belongs to, if any. */
const subModuleOf = (file) => SUB_MODULES.find((m) => file === `${m.target}.ts` || file.startsWith(`${m.target}/`));
const TEST_FILE = /(\.spec\.ts|\.e2e-spec\.ts)$|^libs\/[^/]+\/test\//;

/**
 * Library boundaries: another library is imported only through its public path (@care/<name>, or a subpath it
 * exports on purpose such as @care/core/privacy): no relative path into it, no deep path (@care/<name>/src/...); and a
 * library imports no app (apps/*, nor the test tree's app builders outside its tests: @test/apps).
 */
const boundaries = {
  rules: {
    imports: {
      meta: {
        type: 'problem',
        schema: [],
        messages: {
          relative: 'Import library "{{lib}}" through @care/{{lib}}, not a relative path into it.',
          deep: '"{{source}}" is not a public path of a library: import @care/<name> (or a subpath in tsconfig paths).',
          app: 'A library imports no app ("{{source}}"): take what you need as a parameter (tests: @test/apps).',
          testTree: 'Only tests import "{{source}}".',
          subModule:
            '{{alias}} is a pure sub-module: it imports only its own files and @care/core (core\'s own: only its files), not "{{source}}".',
        },
      },
      create(context) {
        const file = relative(ROOT, context.filename).split(sep).join('/');
        const fromLib = /^libs\/([^/]+)\//.exec(file)?.[1];
        const subModule = TEST_FILE.test(file) ? undefined : subModuleOf(file);
        /** A sub-module's import that leaves it (relative, or another library than core). */
        const leavesSubModule = (source) => {
          if (source.startsWith('.')) {
            const target = relative(ROOT, resolve(dirname(context.filename), source))
              .split(sep)
              .join('/');
            return !target.startsWith(`${subModule.target}/`);
          }
          if (!/^(@care|@test|apps|libs|test)\//.test(source)) return false; // a package
          return subModule.lib === 'core' || !/^@care\/core(\/|$)/.test(source);
        };
        const check = (node) => {
          const source = node?.value;
          if (typeof source !== 'string') return;
          if (subModule && leavesSubModule(source)) {
            context.report({ node, messageId: 'subModule', data: { alias: subModule.alias, source } });
            return;
          }
          if (source.startsWith('.')) {
            const target = relative(ROOT, resolve(dirname(context.filename), source))
              .split(sep)
              .join('/');
            const toLib = /^libs\/([^/]+)/.exec(target)?.[1];
            if (fromLib && /^apps(\/|$)/.test(target)) context.report({ node, messageId: 'app', data: { source } });
            else if (toLib && toLib !== fromLib) context.report({ node, messageId: 'relative', data: { lib: toLib } });
          } else if (source.startsWith('@care/')) {
            if (!PUBLIC_PATHS.has(source)) context.report({ node, messageId: 'deep', data: { source } });
            // a library's test fixtures (@care/<name>/test-support) serve tests only
            else if (source.endsWith('/test-support') && !TEST_FILE.test(file) && !file.startsWith('test/'))
              context.report({ node, messageId: 'testTree', data: { source } });
          } else if (/^(apps|libs)\//.test(source)) {
            context.report({
              node,
              messageId: fromLib && source.startsWith('apps/') ? 'app' : 'deep',
              data: { source },
            });
          } else if (source.startsWith('@test/') && !TEST_FILE.test(file) && !file.startsWith('test/')) {
            context.report({ node, messageId: 'testTree', data: { source } });
          }
        };
        return {
          ImportDeclaration: (node) => check(node.source),
          ExportNamedDeclaration: (node) => check(node.source),
          ExportAllDeclaration: (node) => check(node.source),
          ImportExpression: (node) => check(node.source),
          TSImportEqualsDeclaration: (node) => check(node.moduleReference?.expression),
          CallExpression: (node) => {
            if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
          },
          'CallExpression > MemberExpression[object.name="jest"]': (node) => {
            // jest.mock('<path>') names a module like an import does
            const call = node.parent;
            if (['mock', 'requireActual', 'doMock'].includes(node.property.name)) check(call.arguments[0]);
          },
        };
      },
    },
  },
};

module.exports = boundaries;
