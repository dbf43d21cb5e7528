import { randomUUID } from 'node:crypto';
import { auth, createTestApp, type TestContext } from '@care/testing';
import { readXlsx } from '@care/testing/xlsx';
import { itemsForLevel } from '@care/assessments';

import { CoverageService } from './coverage.service';
import { countyMonth, previousMonth, statsPeriod } from './rules/period';
import { buildApp } from '@test/apps';

/**
 * A small county whose every indicator is computed by hand (see the comments), through the API where the API
 * exists (facilities, beds, residents, assessments, admissions) and with plain SQL for the doorstep tables.
 *
 * Institutions: A welfare institute in 会师镇 (comprehensive): 2 nursing + 2 ordinary beds, + 1 nursing bed closed;
 *               B nursing home in 河畔镇: 3 ordinary beds; C community station in 河畔镇: 2 nursing beds (day care).
 *   beds in service 4 + 3 = 7 (C and the closed bed out), nursing 2 → 2/7 = 0.2857; occupied A 2, B 1 → 3/7 = 0.4286.
 * Residents in beds: r1 (A, valid assessment), r2 (A, none), r3 (B, expired).
 * At home in 河畔镇: e1 destitute, 2 km from the point, 3 completed visits, valid assessment;
 *                     e2 economic_hardship, 30 km away, 2 completed visits, no assessment;
 *                     e3 low_income only (not eligible); e4 destitute but born 1970 (not an elder).
 *   eligible 2: with 3 visits 1 → 0.5; inside a circle of a point with an active caregiver 1 → 0.5
 *   (a second point next to e2 has only an inactive caregiver).
 * Assessment coverage: r1, r2, r3, e1, e2 = 5; valid r1, e1 = 2 → 0.4; expired r3 = 1; never r2, e2 = 2.
 * Townships with a comprehensive facility: 会师镇 → 1/28 = 0.0357.
 */

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idNumber(birth: string, seq: number): string {
  const body = `620422${birth.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  const s = [...body].reduce((sum, d, i) => sum + Number(d) * W[i], 0);
  return body + '10X98765432'[s % 11];
}

const HEPAN = { lat: 36.1967, lng: 105.3935 };
const kmNorth = (p: { lat: number; lng: number }, km: number) => ({
  lat: Number((p.lat + km / 111.32).toFixed(6)),
  lng: p.lng,
});
const NO_CONDITIONS = {
  coma: false,
  dementia: false,
  mentalDisorder: false,
  riskEvents30d: { falls: 0, wandering: 0, choking: 0, suicideOrSelfHarm: 0, other: 0 },
};

describe('stats (e2e)', () => {
  let t: TestContext;
  const month = previousMonth(countyMonth(new Date()));
  const period = statsPeriod(month, new Date());
  const inMonth = (day: number, hour = 10) =>
    new Date(period.start.getTime() + (day - 1) * 86_400_000 + hour * 3600_000);
  const iso = (d: Date) => d.toISOString().replace('Z', '+00:00');
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'stats');
    const admin = auth(t.adminToken);
    const post = async (path: string, body: object) => {
      const res = await t.http().post(`/api/v1${path}`).set(admin).send(body);
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { id: string };
    };
    const facility = (name: string, type: string, regionCode: string, comprehensive: boolean) =>
      post('/facilities', {
        name,
        type,
        regionCode,
        lat: HEPAN.lat,
        lng: HEPAN.lng,
        ownership: 'public',
        comprehensive,
      });
    ids.A = (await facility('A 福利院', 'welfare_institute', '620422100', true)).id;
    ids.B = (await facility('B 敬老院', 'nursing_home', '620422102', false)).id;
    ids.C = (await facility('C 服务站', 'community_station', '620422102', false)).id;
    const bed = (f: string, room: string, label: string, type: string) =>
      post(`/facilities/${f}/beds`, { room, label, type });
    ids.An1 = (await bed(ids.A, '101', '1', 'nursing')).id;
    ids.An2 = (await bed(ids.A, '101', '2', 'nursing')).id;
    ids.Ao1 = (await bed(ids.A, '102', '1', 'ordinary')).id;
    ids.Ao2 = (await bed(ids.A, '102', '2', 'ordinary')).id;
    ids.Aclosed = (await bed(ids.A, '103', '1', 'nursing')).id;
    await t.http().patch(`/api/v1/beds/${ids.Aclosed}`).set(admin).send({ status: 'closed' }).expect(200);
    for (const l of ['1', '2', '3']) ids[`Bo${l}`] = (await bed(ids.B, '101', l, 'ordinary')).id;
    for (const l of ['1', '2']) await bed(ids.C, '101', l, 'nursing');

    const resident = (
      name: string,
      birth: string,
      seq: number,
      regionCode: string,
      livingArrangement: string,
      categories: string[],
      at?: { lat: number; lng: number },
    ) =>
      post('/residents', {
        name,
        idNumber: idNumber(birth, seq),
        regionCode,
        livingArrangement,
        categories,
        ...(at ?? {}),
      });
    ids.r1 = (await resident('甲', '1940-03-01', 11, '620422100', 'institution', ['destitute'])).id;
    ids.r2 = (await resident('乙', '1941-03-01', 12, '620422100', 'institution', ['destitute'])).id;
    ids.r3 = (await resident('丙', '1942-03-01', 13, '620422102', 'institution', ['destitute'])).id;
    ids.e1 = (await resident('丁', '1943-03-01', 15, '620422102', 'home', ['destitute'], kmNorth(HEPAN, 2))).id;
    ids.e2 = (
      await resident('戊', '1944-03-01', 17, '620422102', 'home', ['economic_hardship'], kmNorth(HEPAN, 30))
    ).id;
    ids.e3 = (await resident('己', '1945-03-01', 19, '620422102', 'home', ['low_income'], kmNorth(HEPAN, 1))).id;
    ids.e4 = (await resident('庚', '1970-03-01', 21, '620422102', 'home', ['destitute'], kmNorth(HEPAN, 1))).id;

    const assess = (r: string, at: Date, level: 0 | 1 | 2 | 3 | 4) =>
      post(`/residents/${r}/assessments`, {
        assessedAt: iso(at),
        assessors: ['评估员甲', '评估员乙'],
        reason: 'initial',
        items: itemsForLevel(level),
        conditions: NO_CONDITIONS,
      });
    await assess(ids.r1, inMonth(1), 1);
    await assess(ids.r3, new Date(period.start.getTime() - 400 * 86_400_000), 1); // expired before the month ends
    await assess(ids.e1, inMonth(2), 0);

    const admit = (f: string, r: string, b: string) =>
      post(`/facilities/${f}/admissions`, { residentId: r, bedId: b, admittedAt: iso(inMonth(3)) });
    await admit(ids.A, ids.r1, ids.An1);
    await admit(ids.A, ids.r2, ids.Ao1);
    await admit(ids.B, ids.r3, ids.Bo1);

    // doorstep tables: no HTTP in this test app, plain rows
    const sp1 = randomUUID();
    const sp2 = randomUUID();
    await t.db.query(
      `INSERT INTO service_points (id, name, region_code, lat, lng) VALUES (?, '河畔1号', '620422102', ?, ?), (?, '河畔2号', '620422102', ?, ?)`,
      [sp1, HEPAN.lat, HEPAN.lng, sp2, kmNorth(HEPAN, 29).lat, HEPAN.lng],
    );
    const cg1 = randomUUID();
    const cg2 = randomUUID();
    await t.db.query(
      `INSERT INTO caregivers (id, name, phone, gender, service_point_id, shift_start, shift_end, max_daily_visits, active)
       VALUES (?, '护理员一', '13900000001', 'female', ?, '08:00', '18:00', 4, 1), (?, '护理员二', '13900000002', 'female', ?, '08:00', '18:00', 4, 0)`,
      [cg1, sp1, cg2, sp2],
    );
    ids.cg1 = cg1;
    const order = (r: string, day: number, status = 'completed') =>
      t.db.query(
        `INSERT INTO care_orders (id, resident_id, region_code, window_start, window_end, duration_minutes, status, caregiver_id, completed_at, visit_plan_month, visit_slot, source)
         VALUES (?, ?, '620422102', ?, ?, 90, ?, ?, ?, ?, ?, 'visit_plan')`,
        [
          randomUUID(),
          r,
          inMonth(day, 9),
          inMonth(day, 17),
          status,
          cg1,
          status === 'completed' ? inMonth(day, 11) : null,
          month,
          Math.floor(day / 10),
        ],
      );
    await order(ids.e1, 3);
    await order(ids.e1, 13);
    await order(ids.e1, 23);
    await order(ids.e2, 4);
    await order(ids.e2, 14);
    await order(ids.e2, 24, 'cancelled');
  });
  afterAll(() => t?.close());

  const get = (path: string, token = t.adminToken) => t.http().get(`/api/v1${path}`).set(auth(token));
  const byKey = (indicators: { key: string }[]) => Object.fromEntries(indicators.map((i) => [i.key, i]));

  it('county indicators of the month, computed by hand', async () => {
    const res = await get(`/stats/coverage?month=${month}`).expect(200);
    expect(res.body.month).toBe(month);
    expect(res.body.asOf).toMatch(/T23:59:59\+08:00$/);
    const i = byKey(res.body.indicators);
    expect(i.nursing_bed_share).toEqual({
      key: 'nursing_bed_share',
      value: 0.2857,
      numerator: 2,
      denominator: 7,
      target: 0.55,
      comparator: '>=',
      met: false,
    });
    expect(i.bed_utilization).toEqual({
      key: 'bed_utilization',
      value: 0.4286,
      numerator: 3,
      denominator: 7,
      target: null,
      comparator: null,
      met: null,
    });
    expect(i.township_comprehensive_coverage).toMatchObject({
      value: 0.0357,
      numerator: 1,
      denominator: 28,
      met: false,
    });
    expect(i.doorstep_visit_coverage).toMatchObject({
      value: 0.5,
      numerator: 1,
      denominator: 2,
      target: 1,
      met: false,
    });
    expect(i.service_circle_coverage).toMatchObject({ value: 0.5, numerator: 1, denominator: 2, met: false });
    expect(i.assessment_coverage).toMatchObject({ value: 0.4, numerator: 2, denominator: 5, met: false });
    expect(i.social_workers_per_100_beds).toBeUndefined(); // no staff records
    expect(res.body.byRegion).toHaveLength(28);
  });

  it('per township; an empty township reports null values, not 0', async () => {
    const res = await get(`/stats/coverage?month=${month}`).expect(200);
    const region = (code: string) =>
      byKey(res.body.byRegion.find((r: { regionCode: string }) => r.regionCode === code).indicators);
    expect(region('620422100').nursing_bed_share).toMatchObject({
      value: 0.5,
      numerator: 2,
      denominator: 4,
      met: false,
    });
    expect(region('620422100').bed_utilization).toMatchObject({ value: 0.5, numerator: 2, denominator: 4 });
    expect(region('620422100').township_comprehensive_coverage).toMatchObject({ value: 1, met: true });
    expect(region('620422102').nursing_bed_share).toMatchObject({ value: 0, numerator: 0, denominator: 3 });
    expect(region('620422102').doorstep_visit_coverage).toMatchObject({ value: 0.5, numerator: 1, denominator: 2 });
    expect(region('620422102').assessment_coverage).toMatchObject({ value: 0.3333, numerator: 1, denominator: 3 }); // r3, e1, e2
    const empty = region('620422103');
    for (const key of [
      'nursing_bed_share',
      'bed_utilization',
      'doorstep_visit_coverage',
      'service_circle_coverage',
      'assessment_coverage',
    ]) {
      expect(empty[key]).toMatchObject({ value: null, met: null, denominator: 0 });
    }
    const one = await get(`/stats/coverage?month=${month}&regionCode=620422102`).expect(200);
    expect(one.body.byRegion).toHaveLength(1);
    expect(byKey(one.body.indicators).bed_utilization).toMatchObject({ numerator: 1, denominator: 3 });
  });

  it('the current month by default; 400 for a bad or future month; 404 for an unknown region', async () => {
    const res = await get('/stats/coverage').expect(200);
    expect(res.body.month).toBe(countyMonth(new Date()));
    expect(byKey(res.body.indicators).nursing_bed_share).toMatchObject({ numerator: 2, denominator: 7 });
    expect((await get('/stats/coverage?month=2026-13').expect(400)).body.code).toBe('VALIDATION_FAILED');
    await get('/stats/coverage?month=2999-01').expect(400);
    await get('/stats/coverage?regionCode=999999').expect(404);
    await get('/stats/coverage?bogus=1').expect(400);
  });

  it('next steps: beds to convert or add, elders outside the circles, expired and missing assessments', async () => {
    const res = await get(`/stats/next-steps?month=${month}`).expect(200);
    expect(res.body.total).toMatchObject({
      nursingBeds: { nursingBeds: 2, bedsInService: 7, toConvert: 2, toAdd: 5 }, // 4/7 = 0.571; 7/12 = 0.583, 6/11 = 0.545
      townshipsWithoutComprehensive: 27,
      eligibleOutsideServiceCircle: 1,
      eligibleShortOfVisits: 1,
      expiredAssessments: 1,
      neverAssessed: 2,
    });
    const hepan = res.body.byRegion.find((r: { regionCode: string }) => r.regionCode === '620422102');
    expect(hepan.nursingBeds).toMatchObject({ toConvert: 2, toAdd: 4 }); // 2/3 = 0.667; 4/7 = 0.571, 3/6 = 0.5
  });

  it('facilities: one row each with beds by type, occupancy and residents by level; a manager sees its own', async () => {
    const res = await get('/stats/facilities').expect(200);
    expect(res.body.total).toBe(3);
    const a = res.body.items.find((f: { facilityId: string }) => f.facilityId === ids.A);
    expect(a).toMatchObject({
      beds: { total: 4, nursing: 2, ordinary: 2, closed: 1 },
      occupied: 2,
      nursingShare: 0.5,
      utilization: 0.5,
      residentsByLevel: { '0': 0, '1': 1, '2': 0, '3': 0, '4': 0, unassessed: 1 },
    });
    const b = res.body.items.find((f: { facilityId: string }) => f.facilityId === ids.B);
    expect(b).toMatchObject({ occupied: 1, residentsWithExpiredAssessment: 1, nursingShare: 0 });
    const manager = await t.userToken('manager', { facilityIds: [ids.B] });
    const mine = await get('/stats/facilities', manager).expect(200);
    expect(mine.body).toMatchObject({ total: 1, items: [{ facilityId: ids.B }] });
  });

  it('roles: bureau and admin see all statistics; manager, dispatcher and caregiver may not read coverage', async () => {
    const bureau = await t.userToken('bureau');
    await get(`/stats/coverage?month=${month}`, bureau).expect(200);
    await get('/stats/next-steps', bureau).expect(200);
    await get('/stats/coverage/export?format=csv', bureau).expect(200);
    for (const role of ['manager', 'dispatcher', 'caregiver'] as const) {
      const extra =
        role === 'caregiver' ? { caregiverId: ids.cg1 } : role === 'manager' ? { facilityIds: [ids.A] } : {};
      const token = await t.userToken(role, extra);
      await get('/stats/coverage', token).expect(403);
      await get('/stats/coverage/export', token).expect(403);
      await get('/stats/coverage/history?from=2026-01&to=2026-02', token).expect(403);
    }
    await get('/stats/facilities', await t.userToken('caregiver', { caregiverId: ids.cg1 })).expect(403);
    await t.http().get('/api/v1/stats/coverage').expect(401);
  });

  it('export: the xlsx opens and reads back the same figures', async () => {
    const res = await get(`/stats/coverage/export?format=xlsx&month=${month}`)
      .buffer(true)
      .parse((response, callback) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => callback(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`coverage-${month}.xlsx`);
    const [sheet] = readXlsx(res.body as Buffer);
    expect(sheet.name).toBe(`覆盖率 ${month}`);
    expect(sheet.rows[1]).toEqual(['区域代码', '区域', '指标代码', '指标', '数值', '分子', '分母', '目标', '是否达标']);
    const rows = sheet.rows.slice(2);
    expect(rows).toHaveLength(6 * 29); // county + 28 townships, 6 indicators each
    expect(rows[0]).toEqual([
      '',
      '全县',
      'nursing_bed_share',
      '养老机构护理型床位占比',
      0.2857,
      2,
      7,
      '>= 0.55',
      '未达标',
    ]);
    const hepanUtil = rows.find((r) => r[0] === '620422102' && r[2] === 'bed_utilization');
    expect(hepanUtil?.slice(4, 7)).toEqual([0.3333, 1, 3]);
  });

  it('export: csv with a BOM and the same rows', async () => {
    const res = await get(`/stats/coverage/export?format=csv&month=${month}`).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const text = res.text;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const lines = text.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('区域代码,区域,指标代码,指标,数值,分子,分母,目标,是否达标');
    expect(lines[2]).toBe(',全县,bed_utilization,床位利用率,0.4286,3,7,,—');
    expect(lines).toHaveLength(1 + 6 * 29);
    await get('/stats/coverage/export?format=pdf').expect(400);
  });

  it('export: a cell a spreadsheet would run as a formula is neutralised, in csv and xlsx', async () => {
    const formula = '=HYPERLINK("http://evil.example","点我")';
    const [{ name }]: { name: string }[] = await t.db.query('SELECT name FROM regions WHERE code = ?', ['620422102']);
    await t.db.query('UPDATE regions SET name = ? WHERE code = ?', [formula, '620422102']);
    try {
      const csv = (await get(`/stats/coverage/export?format=csv&month=${month}`).expect(200)).text;
      const line = csv.split('\r\n').find((l) => l.startsWith('620422102,'));
      expect(line?.split(',"')[1]).toBe(`'=HYPERLINK(""http://evil.example""`);
      const res = await get(`/stats/coverage/export?format=xlsx&month=${month}`)
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const names = readXlsx(res.body as Buffer)[0]
        .rows.filter((values) => values[0] === '620422102')
        .map((values) => values[1]);
      expect(names.length).toBeGreaterThan(0);
      for (const cell of names) expect(cell).toBe(`'${formula}`);
    } finally {
      await t.db.query('UPDATE regions SET name = ? WHERE code = ?', [name, '620422102']);
    }
  });

  it('history: a snapshot of the month is kept and read back; months without one are listed as missing', async () => {
    await t.app.get(CoverageService).snapshot(month);
    await t.app.get(CoverageService).snapshot(month); // idempotent
    const from = previousMonth(month);
    const res = await get(`/stats/coverage/history?from=${from}&to=${month}`).expect(200);
    expect(res.body.missing).toEqual([from]);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0].month).toBe(month);
    expect(byKey(res.body.items[0].indicators).assessment_coverage).toMatchObject({ numerator: 2, denominator: 5 });
    expect(byKey(res.body.items[0].indicators).nursing_bed_share).toMatchObject({ numerator: 2, denominator: 7 });
    const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM stats_coverage_snapshots WHERE month = ?`, [month]);
    expect(Number(n)).toBe(28);
    await get(`/stats/coverage/history?from=${month}&to=${from}`).expect(400);
    await get('/stats/coverage/history?from=2026-1&to=2026-02').expect(400);
    const queued = await t
      .http()
      .post('/api/v1/stats/coverage/snapshots')
      .set(auth(t.adminToken))
      .send({ month })
      .expect(202);
    expect(queued.body).toMatchObject({ month, jobId: expect.any(String) });
  });
});
