import 'reflect-metadata';
import { assertServicesReachable, closeOnSignals, loadConfig, runMain } from '@care/core';
import { createApiApp } from './bootstrap';

runMain('api', async () => {
  const config = loadConfig();
  await assertServicesReachable(config);
  const app = await createApiApp(config);
  closeOnSignals('api', app);
  await app.listen(config.port, '0.0.0.0');
  // one plain line for people; the structured logs carry the rest
  console.log(`api listening on http://localhost:${config.port}  (console /, API /api/v1, docs /docs)`);
});
