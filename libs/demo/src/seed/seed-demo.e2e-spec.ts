import request from 'supertest';
import { DataSource } from 'typeorm';
import { AuthService } from '@care/auth';
import { insertSeededOrders, type SeededOrder } from '@care/care-orders';
import { InvalidInputError, countyDate } from '@care/core';
import { EmergencyCallsService } from '@care/emergency';
import { RegionsService } from '@care/regions';
import { countyMonth, computeIndicators, previousMonth } from '@care/stats';
import { ADMIN_PASSWORD, auth, createTestConfig } from '@care/testing';

import { expectedCoverageCounts } from '../../test/support/expected';
import { generateDemoCounty } from '../data/generate';
import { DatabaseNotEmptyError, seedDemo } from './seed-demo';
import { buildApp, createApiApp, createSeedContext } from '@test/apps';

jest.setTimeout(300_000);

describe('seed:demo (e2e)', () => {
  const month = previousMonth(countyMonth(new Date()));
  const today = countyDate(new Date());
  const options = { month, historyMonths: 4, today };
  let drop: () => Promise<void>;
  let close: () => Promise<void> = async () => undefined;
  let http: () => request.Agent;
  let token: string;
  let dbQuery: <T>(sql: string, params?: unknown[]) => Promise<T[]>;
  let get: <T>(type: new (...args: never[]) => T) => T;

  beforeAll(async () => {
    const made = await createTestConfig(buildApp, 'seeddemo');
    drop = made.drop;
    const ctx = await createSeedContext(made.config);
    try {
      const result = await seedDemo(ctx, options);
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
      expect(result.otherMonths.map((m) => m.month)).toEqual([
        previousMonth(previousMonth(previousMonth(previousMonth(month)))),
        previousMonth(previousMonth(previousMonth(month))),
        previousMonth(previousMonth(month)),
        previousMonth(month),
        today.slice(0, 7),
      ]);
      // a one-key device on each elder living alone at home, with the demo prefix
      expect(result.devices).toBeGreaterThan(0);
      const [devices]: { n: string; wrong: string | null }[] = await ctx.get(DataSource).query(
        `SELECT COUNT(*) AS n, SUM(CASE WHEN r.living_arrangement <> 'home' OR c.category IS NULL OR d.device_id NOT LIKE 'DEMO-%' THEN 1 ELSE 0 END) AS wrong
           FROM resident_devices d JOIN residents r ON r.id = d.resident_id
           LEFT JOIN resident_categories c ON c.resident_id = r.id AND c.category = 'living_alone'`,
      );
      expect(Number(devices.n)).toBe(result.devices);
      expect(Number(devices.wrong ?? 0)).toBe(0);
      await expect(seedDemo(ctx, options)).rejects.toBeInstanceOf(DatabaseNotEmptyError);
    } finally {
      await ctx.close();
    }
    const app = await createApiApp(made.config);
    await app.init();
    const db = app.get(DataSource);
    dbQuery = <T>(sql: string, params: unknown[] = []) => db.query(sql, params) as Promise<T[]>;
    const server = app.getHttpServer();
    http = () => request.agent(server);
    token = (await app.get(AuthService).login('admin', ADMIN_PASSWORD)).accessToken;
    get = (type) => app.get(type);
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

  it('the caregiver walk-through works today: the demo caregiver (as demo-users picks it) has two visits waiting', async () => {
    const [caregiver]: { id: string }[] = await dbQuery(
      `SELECT c.id FROM caregivers c JOIN service_points p ON p.id = c.service_point_id
       WHERE c.active = 1 ORDER BY p.region_code = '620422100' DESC, c.name LIMIT 1`,
    );
    const res = await http()
      .get(`/api/v1/care-orders?caregiverId=${caregiver.id}&date=${today}`)
      .set(auth(token))
      .expect(200);
    expect(res.body.items.map((o: { status: string }) => o.status)).toEqual(['assigned', 'assigned']);
    expect(res.body.items.every((o: { allowedActions: string[] }) => o.allowedActions.includes('accept'))).toBe(true);
  });

  it('the monthly trend: five closed months kept, and the live month has its visits up to today', async () => {
    const from = previousMonth(previousMonth(previousMonth(previousMonth(month))));
    const res = await http()
      .get(`/api/v1/stats/coverage/history?from=${from}&to=${month}`)
      .set(auth(token))
      .expect(200);
    expect(res.body.items).toHaveLength(5);
    for (const item of res.body.items) {
      const doorstep = item.indicators.find((i: { key: string }) => i.key === 'doorstep_visit_coverage');
      expect(doorstep.numerator).toBeGreaterThan(1000);
    }
    const expectedDone = generateDemoCounty(options)
      .otherMonths.find((m) => m.month === today.slice(0, 7))
      ?.visits.filter((v) => v.status === 'completed').length;
    const [{ n }]: { n: string }[] = await dbQuery(
      `SELECT COUNT(*) AS n FROM care_orders WHERE visit_plan_month = ? AND status = 'completed'`,
      [today.slice(0, 7)],
    );
    expect(Number(n)).toBe(expectedDone);
    if (Number(today.slice(8)) > 1) expect(Number(n)).toBeGreaterThan(0);
  });

  it("the owners' bulk writers the seed uses refuse bad input, naming the field, and write nothing", async () => {
    const [resident]: { id: string }[] = await dbQuery('SELECT id FROM residents LIMIT 1');
    await expect(
      get(EmergencyCallsService).registerDemoDevices([
        { deviceId: 'DEMO-YJT-9998', residentId: resident.id },
        { deviceId: 'YJT-9999', residentId: resident.id },
      ]),
    ).rejects.toThrow(new InvalidInputError('devices[1].deviceId: a demo device id starts with DEMO-'));
    await expect(
      get(RegionsService).setPositions([
        { code: '620422100', lat: 0, lng: 0, coordinatesGenerated: true },
        { code: '999999999', lat: 0, lng: 0, coordinatesGenerated: true },
      ]),
    ).rejects.toBeInstanceOf(InvalidInputError);
    const completedWithoutRecord = { status: 'completed', visit: null } as unknown as SeededOrder;
    await expect(insertSeededOrders(get(DataSource), [completedWithoutRecord])).rejects.toThrow(
      /^orders\[0\]\.visit: /,
    );
    expect(await dbQuery(`SELECT device_id FROM resident_devices WHERE device_id = 'DEMO-YJT-9998'`)).toEqual([]);
    expect(await dbQuery(`SELECT code FROM regions WHERE code = '620422100' AND lat = 0`)).toEqual([]);
  });
});
