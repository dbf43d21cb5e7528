import 'reflect-metadata';
import { DataSource } from 'typeorm';
import {
  assertDatabaseReachable,
  dataSourceOptions,
  ensureDatabaseExists,
  loadMigrateConfig,
  mapDatabaseUrl,
  redactUrl,
  runMain,
} from '@care/core';
import { REFERENCE_DATA_LOADERS } from './reference-data';

/** Applies every pending migration to DATABASE_URL, then (re)loads the reference data. */
export async function migrate(databaseUrl: string, log: (line: string) => void = console.log): Promise<void> {
  const server = mapDatabaseUrl(databaseUrl, (node) => {
    node.pathname = '/';
  });
  await assertDatabaseReachable(server).catch((error: Error) => {
    throw new Error(`Cannot reach the database server at ${redactUrl(databaseUrl)}: ${error.message}`);
  });
  await ensureDatabaseExists(databaseUrl);
  const dataSource = new DataSource(dataSourceOptions({ databaseUrl }));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    log(
      applied.length
        ? `applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}`
        : 'schema up to date',
    );
    for (const loader of REFERENCE_DATA_LOADERS) {
      const count = await loader.load(dataSource);
      log(`reference data: ${count} ${loader.name}`);
    }
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  runMain('migrate', async () => {
    const config = loadMigrateConfig();
    await migrate(config.databaseUrl);
  });
}
