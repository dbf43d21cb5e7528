// npm run test:cluster (scripts/test-cluster.sh): against a Galera cluster and a Redis Cluster that scripts/cluster.sh
// starts. Not part of npm test. Two projects: the fault suite, and existing race and dispatch suites pointed at the
// cluster by TEST_DATABASE_URL / TEST_REDIS_URL.
const base = require('./jest.config.js');

const e2e = base.projects.find((p) => p.displayName === 'e2e');

/** Existing suites that run unchanged on the cluster (in-process api on a multi-node DATABASE_URL, Redis Cluster). */
const ON_CLUSTER = ['<rootDir>/test/e2e/admission-races.e2e-spec.ts', '<rootDir>/test/e2e/dispatch.e2e-spec.ts'];

module.exports = {
  testTimeout: 120000,
  projects: [
    { ...e2e, displayName: 'cluster', testMatch: ['<rootDir>/test/cluster/**/*.cluster-spec.ts'] },
    { ...e2e, displayName: 'e2e-on-cluster', testMatch: ON_CLUSTER },
  ],
};
