import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthService } from '@care/auth';
import { countyMonth, computeIndicators, previousMonth } from '@care/stats';
import { ADMIN_PASSWORD, auth, createTestConfig } from '@care/testing';
import { createApiApp } from '../../../../apps/api/src/bootstrap';
import { createSeedContext } from '../../../../apps/api/src/cli/seed-demo';

import { expectedCoverageCounts } from '../data/expected';
import { generateDemoCounty } from '../data/generate';
import { DatabaseNotEmptyError, seedDemo } from './seed-demo';

jest.setTimeout(300_000);

describe('seed:demo (e2e)', () => {
  const month = previousMonth(countyMonth(new Date()));
  let drop: () => Promise<void>;
  let close: () => Promise<void> = async () => undefined;
  let http: () => request.Agent;
  let token: string;

  beforeAll(async () => {
    const made = await createTestConfig('seeddemo');
    drop = made.drop;
    const ctx = await createSeedContext(made.config);
    try {
      const result = await seedDemo(ctx, { month });
      expect(result).toMatchObject({
        month,
        facilities: 3,
        beds: 144,
        stays: 118,
        servicePoints: 315,
        caregivers: 315,
        visits: 3780,
        plannedCapacity: 6,
      });
      // a one-key device on each elder living alone at home, with the demo prefix
      expect(result.devices).toBeGreaterThan(0);
      const [devices]: { n: string; wrong: string | null }[] = await ctx.get(DataSource).query(
        `SELECT COUNT(*) AS n, SUM(CASE WHEN r.living_arrangement <> 'home' OR c.category IS NULL OR d.device_id NOT LIKE 'DEMO-%' THEN 1 ELSE 0 END) AS wrong
           FROM resident_devices d JOIN residents r ON r.id = d.resident_id
           LEFT JOIN resident_categories c ON c.resident_id = r.id AND c.category = 'living_alone'`,
      );
      expect(Number(devices.n)).toBe(result.devices);
      expect(Number(devices.wrong ?? 0)).toBe(0);
      await expect(seedDemo(ctx, { month })).rejects.toBeInstanceOf(DatabaseNotEmptyError);
    } finally {
      await ctx.close();
    }
    const app = await createApiApp(made.config);
    await app.init();
    const server = app.getHttpServer();
    http = () => request.agent(server);
    token = (await app.get(AuthService).login('admin', ADMIN_PASSWORD)).accessToken;
    close = () => app.close();
  });
  afterAll(async () => {
    await close();
    await drop?.();
  });

  it('the first look: utilisation 118/142 = 0.831, nursing share 67/142 = 0.4718 below 0.55', async () => {
    const res = await http().get('/api/v1/stats/coverage').set(auth(token)).expect(200);
    const i = Object.fromEntries(res.body.indicators.map((x: { key: string }) => [x.key, x]));
    expect(i.bed_utilization).toMatchObject({ value: 0.831, numerator: 118, denominator: 142 });
    expect(i.nursing_bed_share).toMatchObject({ value: 0.4718, numerator: 67, denominator: 142, met: false });
  });

  it('every indicator of the seeded month equals the figure computed from the demo data itself', async () => {
    const expected = expectedCoverageCounts(generateDemoCounty({ month }));
    const want = computeIndicators({ ...expected, socialWorkers: null }); // no staff table: left out
    const res = await http().get(`/api/v1/stats/coverage?month=${month}`).set(auth(token)).expect(200);
    expect(res.body.indicators).toEqual(want);
  });

  it('next steps for the county, with the planned capacity of the plan', async () => {
    const res = await http().get(`/api/v1/stats/next-steps?month=${month}`).set(auth(token)).expect(200);
    expect(res.body.total.nursingBeds).toMatchObject({
      toConvert: 12,
      toAdd: 25,
      plannedBeds: 978,
      plannedMustBeNursing: 549,
    });
    const hepan = res.body.byRegion.find((r: { regionCode: string }) => r.regionCode === '620422102');
    expect(hepan.nursingBeds).toMatchObject({ bedsInService: 22, nursingBeds: 0, toConvert: 13, plannedBeds: 78 });
  });

  it('facilities: the welfare institute with 70 destitute residents among 74, grades from the seeded assessments', async () => {
    const res = await http().get('/api/v1/stats/facilities').set(auth(token)).expect(200);
    const wi = res.body.items.find((f: { name: string }) => f.name === '会宁县社会福利院');
    expect(wi).toMatchObject({
      beds: { total: 81, nursing: 67, ordinary: 14, closed: 0 },
      occupied: 74,
      nursingShare: 0.8272,
    });
    const byLevel = wi.residentsByLevel;
    // 16 full care (levels 3–4) and 47 + 2 half care (levels 1–2) among the destitute; 2 + 1 self-care others
    expect(byLevel['3'] + byLevel['4']).toBe(16);
    expect(byLevel['0']).toBe(8);
    expect(byLevel['1'] + byLevel['2']).toBe(50);
  });
});
