import 'reflect-metadata';
import { assertServicesReachable, closeOnSignals, loadConfig, runMain } from '@care/core';
import { createDispatcher, stopDispatcher } from './bootstrap';

runMain('dispatcher', async () => {
  const config = loadConfig();
  await assertServicesReachable(config);
  const app = await createDispatcher(config);
  closeOnSignals('dispatcher', { close: () => stopDispatcher(app) });
  console.log(`dispatcher ready (pid ${process.pid})`);
});
