import 'reflect-metadata';
import { assertServicesReachable, loadConfig, runMain } from '@care/core';
import { createDispatcher } from './bootstrap';

runMain('dispatcher', async () => {
  const config = loadConfig();
  await assertServicesReachable(config);
  await createDispatcher(config);
  console.log(`dispatcher ready (pid ${process.pid})`);
});
