// Two projects: pure unit tests beside the code, and e2e/integration tests that talk to real MariaDB and Redis.
const { pathsToModuleNameMapper } = require('./scripts/jest-paths');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/**
 * ESM-only packages the server requires (Node ≥ 20.19 loads them with require(esm); jest's CommonJS runtime
 * cannot): compiled to CommonJS like our own sources. content-disposition 3 comes with @fastify/static.
 */
const ESM_ONLY = ['content-disposition'];

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.tsx?$': swc, [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: swc },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleNameMapper: {
    ...pathsToModuleNameMapper(),
    // the console's aliases for the server's pure rules (apps/console/vite.config.ts), for its unit tests
    '^@rules/assessments$': '<rootDir>/libs/assessments/src/rules/index.ts',
    '^@rules/id-number$': '<rootDir>/libs/residents/src/rules/id-number.ts',
  },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/dist-bench/'],
};

module.exports = {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{test,libs,apps}/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
    },
  ],
};
