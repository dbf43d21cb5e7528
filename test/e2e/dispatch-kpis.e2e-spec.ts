import { auth, createTestApp, type TestContext } from '@care/testing';
import {
  at,
  countyDay,
  createCaregiver,
  createServicePoint,
  insertResident,
  SEAT,
} from '@care/care-orders/test-support';
import { buildApp } from '../support/apps';

/** GET /dispatch/kpis over MySQL: the day's orders through the one pure function. */
describe('GET /dispatch/kpis', () => {
  let t: TestContext;
  const day = countyDay(2);
  const other = countyDay(3);

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'dispatchKpis');
  });
  afterAll(async () => t?.close());

  async function order(
    residentId: string,
    extra: { priority?: string; window?: [string, string] } = {},
  ): Promise<string> {
    const [from, to] = extra.window ?? [at(day, '09:00'), at(day, '17:00')];
    const res = await t
      .http()
      .post('/api/v1/care-orders')
      .set(auth(t.adminToken))
      .send({
        residentId,
        services: ['health_check'],
        windowStart: from,
        windowEnd: to,
        priority: extra.priority ?? 'normal',
      })
      .expect(202);
    return res.body.id as string;
  }

  it("figures the day's orders: placed, urgent, reasons, travel, continuity, spread, time to assign", async () => {
    const sp = await createServicePoint(t);
    const c1 = await createCaregiver(t, sp);
    await createCaregiver(t, sp, { name: '李秀兰' });
    const r1 = await insertResident(t.db);
    const r2 = await insertResident(t.db, { lat: SEAT.lat + 0.02 });
    const a = await order(r1);
    const b = await order(r2, { priority: 'urgent' });
    const u = await order(r2, { priority: 'urgent' });
    await order(r1, { window: [at(other, '09:00'), at(other, '17:00')] });
    // placed as the dispatcher would: 10:00 and 11:00 on c1, assigned 4 s and 8 s after creation
    await t.db.query(
      `UPDATE care_orders SET status = 'assigned', caregiver_id = ?, planned_start = ?, planned_end = ?, travel_minutes = 5,
              assigned_at = created_at + INTERVAL 4 SECOND, version = version + 1 WHERE id = ?`,
      [c1, new Date(at(day, '10:00')), new Date(at(day, '10:30')), a],
    );
    await t.db.query(
      `UPDATE care_orders SET status = 'assigned', caregiver_id = ?, planned_start = ?, planned_end = ?, travel_minutes = 5,
              assigned_at = created_at + INTERVAL 8 SECOND, version = version + 1 WHERE id = ?`,
      [c1, new Date(at(day, '11:00')), new Date(at(day, '11:30')), b],
    );
    await t.db.query(
      `UPDATE care_orders SET status = 'unassigned', unassigned_reason = 'NO_CAPACITY', version = version + 1 WHERE id = ?`,
      [u],
    );
    // r1 was served by c1 a month ago (continuity for order a)
    const past = await order(r1, { window: [at(day, '09:00'), at(day, '17:00')] });
    await t.db.query(
      `UPDATE care_orders SET status = 'completed', caregiver_id = ?, window_start = ?, window_end = ?, planned_start = ?, planned_end = ?
        WHERE id = ?`,
      [
        c1,
        new Date(Date.now() - 30 * 86_400_000),
        new Date(Date.now() - 30 * 86_400_000 + 3600_000),
        new Date(Date.now() - 30 * 86_400_000),
        new Date(Date.now() - 30 * 86_400_000 + 1800_000),
        past,
      ],
    );

    const dispatcher = await t.userToken('dispatcher');
    const res = await t.http().get(`/api/v1/dispatch/kpis?date=${day}`).set(auth(dispatcher)).expect(200);
    expect(res.body).toMatchObject({
      date: day,
      orders: 3,
      assigned: 2,
      urgentOrders: 2,
      urgentAssigned: 1,
      unassignedByReason: { NO_CAPACITY: 1 },
      continuityShare: 0.5,
      // two active caregivers with 2 and 0 visits
      visitsPerCaregiverSd: 1,
      assignSecondsP50: 4,
      assignSecondsP95: 8,
    });
    // seat → r1 (1.11 km) → r2 (+2.22 km) → seat (3.33 km), urban: 5 + 4 (+ rounding) + 6 minutes or so, over 2 visits
    expect(res.body.travelMinutesPerVisit).toBeGreaterThan(4);
    expect(res.body.travelMinutesPerVisit).toBeLessThan(12);

    const byRegion = await t
      .http()
      .get(`/api/v1/dispatch/kpis?date=${day}&regionCode=620422101`)
      .set(auth(t.adminToken))
      .expect(200);
    expect(byRegion.body).toMatchObject({ orders: 0, assigned: 0, travelMinutesPerVisit: null });
    const bureau = await t.userToken('bureau');
    await t.http().get(`/api/v1/dispatch/kpis?date=${other}&regionCode=620422100`).set(auth(bureau)).expect(200);
  });

  it('refuses other roles (a caregiver) and bad input', async () => {
    const cg = await createCaregiver(t, await createServicePoint(t, { name: '另一服务站' }));
    const caregiver = await t.userToken('caregiver', { caregiverId: cg });
    await t.http().get(`/api/v1/dispatch/kpis?date=${day}`).set(auth(caregiver)).expect(403);
    const bad = await t.http().get('/api/v1/dispatch/kpis?date=2026-02-30').set(auth(t.adminToken)).expect(400);
    expect(bad.body.message).toMatch(/date/);
    const badRegion = await t.http().get('/api/v1/dispatch/kpis?regionCode=x').set(auth(t.adminToken)).expect(400);
    expect(badRegion.body.message).toMatch(/regionCode/);
  });
});
