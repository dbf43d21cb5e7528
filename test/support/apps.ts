/**
 * The apps, for tests: the one place tests (those of the libraries included) get the api, the dispatcher and the
 * CLIs from. Libraries never import `apps/*` (ESLint forbids it): their tests pass `buildApp` to the harness of
 * @care/testing, which builds whatever app it is given.
 */
import type { AppBuilder } from '@care/testing';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { migrate } from '../../apps/api/src/cli/migrate';
import { createSeedContext } from '../../apps/api/src/cli/seed-demo';
import { createDispatcher } from '../../apps/dispatcher/src/bootstrap';

/** The api app and its migrations, for createTestApp / createTestConfig. */
export const buildApp: AppBuilder = {
  createApp: createApiApp,
  migrate: (databaseUrl) => migrate(databaseUrl, () => undefined),
};

export { createApiApp, createDispatcher, createSeedContext, migrate };
