import { createHash, randomUUID } from 'node:crypto';
import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { type AppConfig, CoreModule, countyDate, DAY_MS, JobQueue, JobWorkerHost } from '@care/core';
import { dispatchJob } from '@care/care-orders';
import { DispatchModule } from '@care/dispatch';
import { AlertsService, EmergencyJobsModule } from '@care/emergency';
import { auth, createTestApp, type TestContext } from '@care/testing';
import { buildApp } from '@test/apps';

/**
 * Emergency calls (一键呼叫) and alerts through the api and TWO dispatcher processes' worth of workers (each with the
 * dispatch and alerts queues), against real MariaDB and Redis.
 */
@Module({})
class WorkerHost {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerHost, imports: [CoreModule.forRoot(config), DispatchModule, EmergencyJobsModule] };
  }
}

const SEAT = { lat: 35.6929, lng: 105.0466 };
const URBAN = '620422100';
const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(
  what: string,
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function insertResident(
  db: DataSource,
  at: { lat: number; lng: number } = { lat: SEAT.lat + 0.01, lng: SEAT.lng },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO residents (id, name, id_number_cipher, id_number_hash, id_number_masked, gender, birth_date, region_code,
                            living_arrangement, lat, lng)
     VALUES (?, '张大爷', 'cipher', ?, '620422***********7', 'male', '1945-01-01', ?, 'home', ?, ?)`,
    [id, createHash('sha256').update(id).digest('hex'), URBAN, at.lat, at.lng],
  );
  await db.query("INSERT INTO resident_categories (resident_id, category) VALUES (?, 'living_alone')", [id]);
  return id;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

describe('emergency calls and alerts (api + two dispatchers)', () => {
  let ctx: TestContext;
  let db: DataSource;
  const workers: INestApplicationContext[] = [];
  let dispatcher: Record<string, string>;
  let integration: Record<string, string>;
  let admin: Record<string, string>;
  const caregiverIds: string[] = [];

  beforeAll(async () => {
    ctx = await createTestApp(buildApp, 'emergency');
    db = ctx.db;
    admin = auth(ctx.adminToken);
    dispatcher = auth(await ctx.userToken('dispatcher'));
    integration = auth(await ctx.userToken('integration'));
    const sp = await ctx
      .http()
      .post('/api/v1/service-points')
      .set(admin)
      .send({ name: '会师镇服务站', regionCode: URBAN, ...SEAT })
      .expect(201);
    for (let i = 0; i < 15; i++) {
      const res = await ctx
        .http()
        .post('/api/v1/caregivers')
        .set(admin)
        .send({
          name: `护理员${i}`,
          phone: '13800000000',
          gender: 'female',
          servicePointId: sp.body.id,
          skills: ['housekeeping', 'health'],
          shiftStart: '00:00',
          shiftEnd: '24:00',
          maxDailyVisits: 6,
        })
        .expect(201);
      caregiverIds.push(res.body.id);
    }
    for (let i = 0; i < 2; i++) {
      const w = await NestFactory.createApplicationContext(WorkerHost.forRoot(ctx.config), { logger: false });
      await w.get(JobWorkerHost).start(['dispatch', 'alerts'], { dispatch: 4 });
      workers.push(w);
    }
  });

  afterAll(async () => {
    for (const w of workers) await w.close();
    await ctx?.close();
  });

  const post = (path: string, who: Record<string, string>) => ctx.http().post(`/api/v1${path}`).set(who);
  const orderOf = async (id: string) =>
    (
      (await db.query(
        'SELECT status, caregiver_id, circle_widened, unassigned_reason, assigned_at, source, priority FROM care_orders WHERE id = ?',
        [id],
      )) as {
        status: string;
        caregiver_id: string | null;
        circle_widened: number;
        unassigned_reason: string | null;
        assigned_at: Date | null;
        source: string;
        priority: string;
      }[]
    )[0];
  const alertsOf = async (orderId: string) =>
    (await db.query('SELECT id, type, status FROM alerts WHERE order_id = ? ORDER BY type', [orderId])) as {
      id: string;
      type: string;
      status: string;
    }[];

  it('role checks: integration raises calls and does nothing else; devices by dispatcher and admin', async () => {
    const residentId = await insertResident(db);
    await ctx
      .http()
      .put(`/api/v1/residents/${residentId}/device`)
      .set(integration)
      .send({ deviceId: 'YJT-1' })
      .expect(403);
    await ctx
      .http()
      .put(`/api/v1/residents/${residentId}/device`)
      .set(dispatcher)
      .send({ deviceId: 'YJT-1' })
      .expect(200);
    await ctx.http().put(`/api/v1/residents/${residentId}/device`).set(admin).send({ deviceId: 'DEMO-9' }).expect(400);
    const other = await insertResident(db);
    const taken = await ctx
      .http()
      .put(`/api/v1/residents/${other}/device`)
      .set(admin)
      .send({ deviceId: 'YJT-1' })
      .expect(409);
    expect(taken.body.code).toBe('DEVICE_TAKEN');
    await ctx.http().put(`/api/v1/residents/${randomUUID()}/device`).set(admin).send({ deviceId: 'YJT-2' }).expect(404);

    const created = await post('/emergency-calls', integration)
      .send({ deviceId: 'YJT-1', source: 'one_key_device' })
      .expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      residentId,
      orderId: expect.any(String),
      status: 'open',
      receivedAt: expect.stringMatching(/\+08:00$/),
    });
    const order = await orderOf(created.body.orderId);
    expect(order).toMatchObject({ source: 'emergency', priority: 'urgent' });

    await ctx.http().get('/api/v1/emergency-calls').set(integration).expect(403);
    await ctx.http().get('/api/v1/alerts').set(integration).expect(403);
    await post('/care-orders', integration).send({}).expect(403);
    await ctx.http().get('/api/v1/residents').set(integration).expect(403);
    await post(`/emergency-calls/${created.body.id}/resolve`, integration).send({ outcome: 'other' }).expect(403);
    await post('/emergency-calls', auth(await ctx.userToken('caregiver', { caregiverId: caregiverIds[0] })))
      .send({ residentId, source: 'phone' })
      .expect(403);
    await post('/emergency-calls', auth(await ctx.userToken('bureau')))
      .send({ residentId, source: 'phone' })
      .expect(403);
    await ctx
      .http()
      .get('/api/v1/alerts')
      .set(auth(await ctx.userToken('bureau')))
      .expect(200);

    const unknown = await post('/emergency-calls', integration)
      .send({ deviceId: 'NO-SUCH', source: 'one_key_device' })
      .expect(422);
    expect(unknown.body.code).toBe('UNKNOWN_DEVICE');
    const both = await post('/emergency-calls', dispatcher)
      .send({ residentId, deviceId: 'YJT-1', source: 'phone' })
      .expect(400);
    expect(both.body.message).toContain('residentId');
    const badSource = await post('/emergency-calls', dispatcher).send({ residentId, source: 'pager' }).expect(400);
    expect(badSource.body.message).toContain('source');

    // the console's "simulate a press": admin only, demo residents only
    const demo = await insertResident(db);
    await db.query("INSERT INTO resident_devices (device_id, resident_id) VALUES ('DEMO-0001', ?)", [demo]);
    await post('/emergency-calls/simulate', dispatcher).send({ residentId: demo }).expect(403);
    const refused = await post('/emergency-calls/simulate', admin).send({ residentId: other }).expect(422);
    expect(refused.body.code).toBe('NOT_DEMO_DATA');
    const simulated = await post('/emergency-calls/simulate', admin).send({ residentId: demo }).expect(201);
    expect(simulated.body.residentId).toBe(demo);
    for (const id of [created.body.id, simulated.body.id])
      await post(`/emergency-calls/${id}/resolve`, dispatcher).send({ outcome: 'false_alarm' }).expect(200);
  });

  it('a gateway retry never raises two calls: same key, concurrent retries, repeated presses while open', async () => {
    const residentId = await insertResident(db);
    await ctx
      .http()
      .put(`/api/v1/residents/${residentId}/device`)
      .set(admin)
      .send({ deviceId: 'YJT-RETRY' })
      .expect(200);
    const body = { deviceId: 'YJT-RETRY', source: 'one_key_device' };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        post('/emergency-calls', integration).set('Idempotency-Key', 'press-42').send(body),
      ),
    );
    for (const a of answers) expect(a.status).toBe(201);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const callId = answers[0].body.id as string;
    // the same key with another body is refused
    const reused = await post('/emergency-calls', integration)
      .set('Idempotency-Key', 'press-42')
      .send({ ...body, notes: 'x' })
      .expect(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // a press without a key (or with a new one) while the call is open joins it
    const again = await post('/emergency-calls', integration).set('Idempotency-Key', 'press-43').send(body).expect(201);
    expect(again.body.id).toBe(callId);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const byPhone = await post('/emergency-calls', dispatcher).send({ residentId, source: 'phone' }).expect(201);
    expect(byPhone.body.id).toBe(callId);
    const rows: { n: number | string }[] = await db.query(
      "SELECT COUNT(*) AS n FROM care_orders WHERE resident_id = ? AND source = 'emergency'",
      [residentId],
    );
    expect(Number(rows[0].n)).toBe(1);
    const listed = await ctx.http().get('/api/v1/emergency-calls?status=open').set(dispatcher).expect(200);
    expect(listed.body.items.find((c: { id: string }) => c.id === callId).repeats).toBeGreaterThanOrEqual(2);

    // once resolved, the next press is a new call; the retry of the old key still answers the old one
    const resolved = await post(`/emergency-calls/${callId}/resolve`, dispatcher)
      .send({ outcome: 'false_alarm', notes: '误触' })
      .expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', outcome: 'false_alarm', orderStatus: 'cancelled' });
    await post(`/emergency-calls/${callId}/resolve`, dispatcher).send({ outcome: 'visited' }).expect(409);
    const old = await post('/emergency-calls', integration).set('Idempotency-Key', 'press-42').send(body).expect(201);
    expect(old.body.id).toBe(callId);
    const fresh = await post('/emergency-calls', integration).set('Idempotency-Key', 'press-44').send(body).expect(201);
    expect(fresh.body.id).not.toBe(callId);
    await post(`/emergency-calls/${fresh.body.id}/resolve`, dispatcher).send({ outcome: 'false_alarm' }).expect(200);
  });

  it('call → assigned ahead of 2,000 queued normal orders (two dispatchers): p50/p95 measured', async () => {
    // the normal backlog: 2,000 orders two days ahead, written and enqueued like POST /care-orders does
    const day = countyDate(Date.now() + 2 * DAY_MS);
    const normalResidents: string[] = [];
    for (let i = 0; i < 50; i++)
      normalResidents.push(
        await insertResident(db, { lat: SEAT.lat + 0.002 * (i % 10), lng: SEAT.lng + 0.002 * Math.floor(i / 10) }),
      );
    const ids: string[] = [];
    for (let chunk = 0; chunk < 4; chunk++) {
      const rows: unknown[] = [];
      const services: unknown[] = [];
      for (let i = 0; i < 500; i++) {
        const id = randomUUID();
        ids.push(id);
        rows.push(
          id,
          normalResidents[i % 50],
          URBAN,
          new Date(`${day}T09:00:00+08:00`),
          new Date(`${day}T17:00:00+08:00`),
          30,
          'normal',
          'pending',
          'manual',
          0,
        );
        services.push(id, 'health_check', 0);
      }
      await db.query(
        `INSERT INTO care_orders (id, resident_id, region_code, window_start, window_end, duration_minutes, priority, status, source, version)
         VALUES ${Array.from({ length: 500 }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows,
      );
      await db.query(
        `INSERT INTO care_order_services (order_id, service_code, position) VALUES ${Array.from({ length: 500 }, () => '(?, ?, ?)').join(', ')}`,
        services,
      );
    }
    await workers[0].get(JobQueue).addBulk(
      'DispatchOrder',
      ids.map((id) => dispatchJob({ id, version: 0, priority: 'normal' })),
    );
    const pendingNormal = async () =>
      Number(
        (
          (await db.query("SELECT COUNT(*) AS n FROM care_orders WHERE source = 'manual' AND status = 'pending'")) as {
            n: string;
          }[]
        )[0].n,
      );

    const residents: string[] = [];
    for (let i = 0; i < 20; i++)
      residents.push(await insertResident(db, { lat: SEAT.lat + 0.005 + 0.001 * i, lng: SEAT.lng }));
    const latencies: number[] = [];
    const backlogAtAssignment: number[] = [];
    const callIds: string[] = [];
    for (const residentId of residents) {
      const started = Date.now();
      const res = await post('/emergency-calls', integration)
        .send({ residentId, source: 'one_key_device' })
        .expect(201);
      callIds.push(res.body.id);
      const order = await waitFor('the emergency order assigned', async () => {
        const o = await orderOf(res.body.orderId);
        return o.status === 'assigned' ? o : null;
      });
      latencies.push(Date.now() - started);
      backlogAtAssignment.push(await pendingNormal());
      expect(order.caregiver_id).not.toBeNull();
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    console.log(
      `emergency call → assigned with 2,000 normal orders queued, two dispatchers (${latencies.length} calls): ` +
        `p50 ${p50} ms, p95 ${p95} ms, max ${sorted[sorted.length - 1]} ms; normal orders still pending at each assignment: ` +
        `${backlogAtAssignment.join(', ')}`,
    );
    // the urgent orders were decided while the normal backlog still waited
    expect(backlogAtAssignment[0]).toBeGreaterThan(1000);
    // GET /emergency-calls reports the seconds to assign
    const listed = await ctx.http().get('/api/v1/emergency-calls?status=open&limit=100').set(dispatcher).expect(200);
    const ours = listed.body.items.filter((c: { id: string }) => callIds.includes(c.id));
    expect(ours).toHaveLength(20);
    for (const c of ours) {
      expect(typeof c.secondsToAssign).toBe('number');
      expect(c.secondsToArrive).toBeNull();
    }
    for (const id of callIds)
      await post(`/emergency-calls/${id}/resolve`, dispatcher).send({ outcome: 'false_alarm' }).expect(200);
    // let the backlog drain so later tests are not slowed down by it
    await waitFor('the backlog dispatched', async () => (await pendingNormal()) === 0, 120_000);
  }, 240_000);

  it('widening: an emergency order nobody in the circle can take goes past it (flagged); else unassigned + alert at once', async () => {
    // 0.1° north: ~43 min away in town, outside the 15-minute circle of every caregiver, inside the 2-hour window
    const far = { lat: SEAT.lat + 0.1, lng: SEAT.lng };
    const residentId = await insertResident(db, far);
    const now = Date.now();
    const normal = await post('/care-orders', dispatcher)
      .send({
        residentId,
        services: ['health_check'],
        windowStart: new Date(now + 3600_000).toISOString(),
        windowEnd: new Date(now + 5 * 3600_000).toISOString(),
        priority: 'urgent',
      })
      .expect(202);
    const normalOrder = await waitFor('the ordinary urgent order decided', async () => {
      const o = await orderOf(normal.body.id);
      return o.status !== 'pending' ? o : null;
    });
    expect(normalOrder).toMatchObject({ status: 'unassigned', unassigned_reason: 'OUT_OF_SERVICE_CIRCLE' });

    const call = await post('/emergency-calls', integration).send({ residentId, source: 'one_key_device' }).expect(201);
    const widened = await waitFor('the emergency order decided', async () => {
      const o = await orderOf(call.body.orderId);
      return o.status !== 'pending' ? o : null;
    });
    expect(widened).toMatchObject({ status: 'assigned', circle_widened: 1 });
    const view = await ctx.http().get(`/api/v1/care-orders/${call.body.orderId}`).set(dispatcher).expect(200);
    expect(view.body.orderFlags).toEqual(['circle_widened']);
    const listed = await ctx.http().get(`/api/v1/emergency-calls?residentId=${residentId}`).set(dispatcher).expect(200);
    expect(listed.body.items[0].circleWidened).toBe(true);
    await post(`/emergency-calls/${call.body.id}/resolve`, dispatcher).send({ outcome: 'false_alarm' }).expect(200);

    // a service nobody is skilled for, even past the circle: left unassigned, and the alert is raised without
    // waiting for the minute's scan
    const nobody = await insertResident(db, far);
    const lost = await post('/emergency-calls', dispatcher)
      .send({ residentId: nobody, source: 'phone', services: ['rehab_care'] })
      .expect(201);
    const unassigned = await waitFor('the emergency order decided', async () => {
      const o = await orderOf(lost.body.orderId);
      return o.status !== 'pending' ? o : null;
    });
    expect(unassigned).toMatchObject({ status: 'unassigned', unassigned_reason: 'NO_SKILLED_CAREGIVER' });
    const alerts = await waitFor(
      'the alert raised',
      async () => {
        const a = await alertsOf(lost.body.orderId);
        return a.length > 0 ? a : null;
      },
      10_000,
    );
    expect(alerts.map((a) => a.type)).toEqual(['emergency_not_accepted']);
    const call2 = await ctx.http().get(`/api/v1/emergency-calls/${lost.body.id}`).set(dispatcher).expect(200);
    expect(call2.body.escalations.map((e: { type: string }) => e.type)).toEqual(['emergency_not_accepted']);
    await post(`/emergency-calls/${lost.body.id}/resolve`, dispatcher).send({ outcome: 'hospital' }).expect(200);
  }, 60_000);

  it('each alert type is raised exactly once, also with two dispatchers scanning at once; acknowledge; expire', async () => {
    const now = Date.now();
    const cg = caregiverIds[14];
    const residentId = await insertResident(db);
    const insertOrder = async (status: string, windowStart: number, windowEnd: number, duration = 30) => {
      const id = randomUUID();
      await db.query(
        `INSERT INTO care_orders (id, resident_id, region_code, window_start, window_end, duration_minutes, status, caregiver_id,
                                  planned_start, planned_end, assigned_at, source, version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'manual', 1)`,
        [
          id,
          residentId,
          URBAN,
          new Date(windowStart),
          new Date(windowEnd),
          duration,
          status,
          cg,
          new Date(windowStart),
          new Date(windowStart + duration * MINUTE),
          new Date(windowStart - 3600_000),
        ],
      );
      return id;
    };
    // window ends in 20 min, nobody checked in
    const notStarted = await insertOrder('assigned', now - 3 * 3600_000, now + 20 * MINUTE);
    // window over a minute ago, accepted but never checked in
    const missed = await insertOrder('accepted', now - 3 * 3600_000, now - MINUTE);
    // in progress for 61 minutes on a 30-minute visit
    const overrun = await insertOrder('in_progress', now - 2 * 3600_000, now + 3600_000);
    await db.query('INSERT INTO care_visits (order_id, caregiver_id, resident_id, checked_in_at) VALUES (?, ?, ?, ?)', [
      overrun,
      cg,
      residentId,
      new Date(now - 61 * MINUTE),
    ]);
    // an emergency call whose order nobody accepts and nobody reaches
    const callee = await insertResident(db, { lat: SEAT.lat + 0.02, lng: SEAT.lng });
    const call = await post('/emergency-calls', dispatcher).send({ residentId: callee, source: 'family' }).expect(201);
    await waitFor('the emergency order assigned', async () => (await orderOf(call.body.orderId)).status === 'assigned');

    const [a, b] = workers.map((w) => w.get(AlertsService));
    // ten scans at once from both dispatchers, 61 minutes on
    const later = new Date(now + 61 * MINUTE);
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).scan(later)));
    await a.scan(later);

    expect((await alertsOf(notStarted)).map((x) => x.type)).toEqual(['visit_missed']); // 61 min on, its window is over
    expect((await alertsOf(missed)).map((x) => x.type)).toEqual(['visit_missed']);
    expect((await alertsOf(overrun)).map((x) => x.type)).toEqual(['visit_overrun']);
    const order = await orderOf(call.body.orderId);
    // its window (2 h) ends 59 min after the scan: no visit alert yet, only the two emergency ones
    expect(order.status).toBe('assigned');
    expect((await alertsOf(call.body.orderId)).map((x) => x.type)).toEqual([
      'emergency_not_accepted',
      'emergency_not_arrived',
    ]);

    // visit_not_started: before the window's end, not after
    const soon = await insertOrder('assigned', now - 3600_000, now + 25 * MINUTE);
    await Promise.all([a.scan(new Date(now)), b.scan(new Date(now))]);
    expect((await alertsOf(soon)).map((x) => x.type)).toEqual(['visit_not_started']);
    await Promise.all([a.scan(new Date(now + 30 * MINUTE)), b.scan(new Date(now + 30 * MINUTE))]);
    expect((await alertsOf(soon)).map((x) => x.type)).toEqual(['visit_missed', 'visit_not_started']);

    // the scheduled job path: the alerts queue's handler raises nothing twice either
    const before = Number(((await db.query('SELECT COUNT(*) AS n FROM alerts')) as { n: string }[])[0].n);
    await Promise.all([a.scan(), b.scan()]);
    const after = Number(((await db.query('SELECT COUNT(*) AS n FROM alerts')) as { n: string }[])[0].n);
    expect(after).toBe(before);

    // listing and acknowledgement
    const listed = await ctx.http().get('/api/v1/alerts?status=open&type=visit_overrun').set(dispatcher).expect(200);
    const overrunAlert = listed.body.items.find((x: { orderId: string }) => x.orderId === overrun);
    expect(overrunAlert).toMatchObject({ type: 'visit_overrun', status: 'open', residentId });
    await ctx.http().get('/api/v1/alerts?type=nonsense').set(dispatcher).expect(400);
    await post(`/alerts/${overrunAlert.id}/acknowledge`, auth(await ctx.userToken('bureau')))
      .send({})
      .expect(403);
    const acked = await post(`/alerts/${overrunAlert.id}/acknowledge`, dispatcher)
      .send({ note: '已电话联系护理员' })
      .expect(200);
    expect(acked.body).toMatchObject({
      status: 'acknowledged',
      note: '已电话联系护理员',
      acknowledgedAt: expect.any(String),
    });
    const twice = await post(`/alerts/${overrunAlert.id}/acknowledge`, dispatcher).send({}).expect(409);
    expect(twice.body.code).toBe('INVALID_TRANSITION');
    const ackedList = await ctx.http().get('/api/v1/alerts?status=acknowledged').set(dispatcher).expect(200);
    expect(ackedList.body.items.map((x: { id: string }) => x.id)).toContain(overrunAlert.id);

    // still in progress a day after its overrun alert: closed as incomplete, once
    const dayLater = new Date(now + 61 * MINUTE + 24 * 3600_000);
    const results = await Promise.all([a.scan(dayLater), b.scan(dayLater)]);
    expect(results.reduce((n, r) => n + r.expired, 0)).toBe(1);
    const closed = await ctx.http().get(`/api/v1/care-orders/${overrun}`).set(dispatcher).expect(200);
    expect(closed.body).toMatchObject({ status: 'incomplete', closeReason: expect.stringContaining('overrun') });
    await post(`/emergency-calls/${call.body.id}/resolve`, dispatcher).send({ outcome: 'other' }).expect(200);
  });

  it('the dispatcher closes a visit left in progress, with a reason; the full call path reports seconds to arrive', async () => {
    const residentId = await insertResident(db);
    const call = await post('/emergency-calls', dispatcher)
      .send({ residentId, source: 'phone', notes: '老人摔倒' })
      .expect(201);
    const assigned = await waitFor('assigned', async () => {
      const o = await orderOf(call.body.orderId);
      return o.status === 'assigned' ? o : null;
    });
    const caregiver = auth(await ctx.userToken('caregiver', { caregiverId: assigned.caregiver_id as string }));
    // the caregiver's own list shows it, urgent
    const mine = await ctx.http().get('/api/v1/care-orders').set(caregiver).expect(200);
    expect(mine.body.items.find((o: { id: string }) => o.id === call.body.orderId)).toMatchObject({
      priority: 'urgent',
      source: 'emergency',
    });
    await post(`/care-orders/${call.body.orderId}/close`, dispatcher).send({ reason: '未签退' }).expect(409);
    await post(`/care-orders/${call.body.orderId}/accept`, caregiver).expect(200);
    await post(`/care-orders/${call.body.orderId}/check-in`, caregiver)
      .send({ lat: SEAT.lat + 0.01, lng: SEAT.lng })
      .expect(200);

    const listed = await ctx.http().get(`/api/v1/emergency-calls?residentId=${residentId}`).set(dispatcher).expect(200);
    expect(listed.body.items[0]).toMatchObject({
      status: 'open',
      orderStatus: 'in_progress',
      secondsToAssign: expect.any(Number),
      secondsToArrive: expect.any(Number),
    });

    await post(`/care-orders/${call.body.orderId}/close`, caregiver).send({ reason: '未签退' }).expect(403);
    await post(`/care-orders/${call.body.orderId}/close`, dispatcher).send({}).expect(400);
    const closed = await post(`/care-orders/${call.body.orderId}/close`, dispatcher)
      .send({ reason: '护理员忘记签退，已电话确认' })
      .expect(200);
    expect(closed.body).toMatchObject({
      status: 'incomplete',
      closeReason: '护理员忘记签退，已电话确认',
      allowedActions: [],
    });
    await post(`/care-orders/${call.body.orderId}/check-out`, caregiver)
      .send({ servicesDone: ['health_check'] })
      .expect(409);
    const resolved = await post(`/emergency-calls/${call.body.id}/resolve`, dispatcher)
      .send({ outcome: 'visited' })
      .expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', outcome: 'visited', orderStatus: 'incomplete' });

    // the bureau's figures: this month's calls in the township, one reached within minutes
    const bureau = auth(await ctx.userToken('bureau'));
    await ctx.http().get('/api/v1/stats/emergency-calls').set(dispatcher).expect(403);
    const stats = await ctx.http().get(`/api/v1/stats/emergency-calls?regionCode=${URBAN}`).set(bureau).expect(200);
    const township = stats.body.byRegion.find((r: { regionCode: string }) => r.regionCode === URBAN);
    const callsInDb = Number(((await db.query('SELECT COUNT(*) AS n FROM emergency_calls')) as { n: string }[])[0].n);
    expect(stats.body.county.calls).toBe(callsInDb);
    expect(township).toMatchObject({ calls: callsInDb, reached: 1, answeredWithin60: 1 });
    expect(township.medianMinutesToArrive).toBeLessThan(5);
    // the closed visit is counted nowhere as a completed one
    const completed = Number(
      (
        (await db.query("SELECT COUNT(*) AS n FROM care_orders WHERE id = ? AND status = 'completed'", [
          call.body.orderId,
        ])) as { n: string }[]
      )[0].n,
    );
    expect(completed).toBe(0);
  });
});
