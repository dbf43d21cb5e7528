import { DataSource } from 'typeorm';
import { createTestConfig } from '@care/testing';
import { createSeedContext, seedDemoCounty } from '../../apps/api/src/cli/seed-demo';
import { buildApp } from '../support/apps';

/**
 * The demo users share a published password (DEMO_PASSWORD, default demo-2026), so they may exist only in a database
 * that seed:demo filled from empty. On a database that holds anything, seed:demo changes nothing, users included.
 * (The filled-from-empty path, which creates them, runs in libs/demo's seed:demo e2e and in `npm run demo`.)
 */
describe('seed:demo on a database with data creates no demo users (e2e)', () => {
  it('leaves a database holding a facility as it is: no demo data, no demo users', async () => {
    const { config, drop } = await createTestConfig(buildApp, 'demousers');
    const app = await createSeedContext(config);
    try {
      const db = app.get(DataSource);
      await db.query(`INSERT INTO facilities (id, name, type, region_code, lat, lng, ownership, comprehensive)
                      VALUES (UUID(), '会宁县敬老院', 'nursing_home', '620422100', 35.69, 105.04, 'public', 0)`);
      const outcome = await seedDemoCounty(app, config, { month: '2026-11' });
      expect(outcome).toEqual({ skipped: expect.stringMatching(/already exist/) });
      const users: { username: string }[] = await db.query('SELECT username FROM users ORDER BY username');
      expect(users.map((u) => u.username)).toEqual(['admin']);
    } finally {
      await app.close();
      await drop();
    }
  });
});
