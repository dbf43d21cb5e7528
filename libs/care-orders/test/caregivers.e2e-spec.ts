import { ROUND_DEBOUNCE_MS, retryUnassignedJobId } from '@care/care-orders';
import { JobQueue as CoreJobQueue } from '@care/core';
import { auth, createTestApp, type TestContext } from '@care/testing';
import {
  RURAL,
  SEAT,
  URBAN,
  assignInSql,
  at,
  countyDay,
  createCaregiver,
  createServicePoint,
  insertResident,
  orderRow,
} from './support';
import { buildApp } from '@test/apps';

describe('care orders: catalogue, service points, caregivers, schedule, queue board', () => {
  let t: TestContext;
  let dispatcher: string;
  let bureau: string;
  let manager: string;
  let sp: string;

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'caregivers');
    dispatcher = await t.userToken('dispatcher');
    bureau = await t.userToken('bureau');
    const facility = await t
      .http()
      .post('/api/v1/facilities')
      .set(auth(t.adminToken))
      .send({
        name: '会宁县敬老院',
        type: 'nursing_home',
        regionCode: URBAN,
        ...SEAT,
        ownership: 'public',
        comprehensive: false,
      })
      .expect(201);
    manager = await t.userToken('manager', { facilityIds: [facility.body.id] });
    sp = await createServicePoint(t);
  });
  afterAll(() => t.close());

  it('the OpenAPI document describes the doorstep-care endpoints', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    for (const path of [
      '/api/v1/services',
      '/api/v1/service-points',
      '/api/v1/caregivers/{id}/schedule',
      '/api/v1/care-orders',
      '/api/v1/care-orders/{id}/check-out',
      '/api/v1/visit-plans/generate',
    ]) {
      expect(res.body.paths[path]).toBeDefined();
    }
  });

  describe('GET /services', () => {
    it('lists the catalogue of domain.md §5 (loaded by migrate), to every role', async () => {
      const res = await t.http().get('/api/v1/services').set(auth(bureau)).expect(200);
      expect(res.body.total).toBe(11);
      expect(res.body.items.map((s: { code: string }) => s.code)).toEqual([
        'home_cleaning',
        'personal_hygiene',
        'laundry',
        'health_check',
        'safety_check',
        'meal_assist',
        'bathing',
        'medical_escort',
        'rehab_care',
        'companionship',
        'errand',
      ]);
      expect(res.body.items[0]).toMatchObject({
        code: 'home_cleaning',
        name: '居家环境清扫',
        defaultMinutes: 60,
        skill: 'housekeeping',
      });
      expect(res.body.items.find((s: { code: string }) => s.code === 'errand')).toMatchObject({
        defaultMinutes: 60,
        skill: null,
      });
      await t.http().get('/api/v1/services').expect(401);
    });

    it('the loader is idempotent and keeps a bureau’s changes', async () => {
      const { loadServiceCatalogue } = await import('@care/care-orders');
      await t.db.query("UPDATE services SET default_minutes = 20 WHERE code = 'health_check'");
      await loadServiceCatalogue(t.db);
      const rows: { n: string }[] = await t.db.query('SELECT COUNT(*) AS n FROM services');
      expect(Number(rows[0].n)).toBe(11);
      const hc: { default_minutes: number }[] = await t.db.query(
        "SELECT default_minutes FROM services WHERE code = 'health_check'",
      );
      expect(hc[0].default_minutes).toBe(20);
      await t.db.query("UPDATE services SET default_minutes = 15 WHERE code = 'health_check'");
    });
  });

  describe('service points', () => {
    it('creates and lists, filtered by region', async () => {
      const res = await t
        .http()
        .post('/api/v1/service-points')
        .set(auth(dispatcher))
        .send({ name: '郭城驿镇服务站', regionCode: RURAL, lat: 35.9, lng: 105.1 })
        .expect(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        name: '郭城驿镇服务站',
        regionCode: RURAL,
        lat: 35.9,
        lng: 105.1,
      });
      const list = await t.http().get(`/api/v1/service-points?regionCode=${RURAL}`).set(auth(bureau)).expect(200);
      expect(list.body.items.map((p: { id: string }) => p.id)).toEqual([res.body.id]);
      expect(list.body.total).toBe(1);
      await t.http().get(`/api/v1/service-points/${res.body.id}`).set(auth(dispatcher)).expect(200);
    });

    it('400 naming the fields; unknown region 400', async () => {
      const bad = await t
        .http()
        .post('/api/v1/service-points')
        .set(auth(dispatcher))
        .send({ name: '', lat: 100, extra: 1 })
        .expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      for (const field of ['name', 'regionCode', 'lat', 'lng', 'extra']) expect(bad.body.message).toMatch(field);
      const region = await t
        .http()
        .post('/api/v1/service-points')
        .set(auth(dispatcher))
        .send({ name: 'x', regionCode: '999', ...SEAT })
        .expect(400);
      expect(region.body.message).toMatch(/regionCode: unknown region/);
    });

    it('roles: bureau reads but may not create; caregiver and manager neither', async () => {
      await t
        .http()
        .post('/api/v1/service-points')
        .set(auth(bureau))
        .send({ name: 'x', regionCode: URBAN, ...SEAT })
        .expect(403);
      await t.http().get('/api/v1/service-points').set(auth(manager)).expect(403);
      await t.http().get('/api/v1/caregivers').set(auth(manager)).expect(403);
      await t.http().get('/api/v1/services').set(auth(manager)).expect(200);
      await t.http().get('/api/v1/service-points').expect(401);
    });
  });

  describe('caregivers', () => {
    it('creates a caregiver (201) and enqueues RetryUnassigned', async () => {
      const res = await t
        .http()
        .post('/api/v1/caregivers')
        .set(auth(dispatcher))
        .send({
          name: '李桂兰',
          phone: '13900000001',
          gender: 'female',
          servicePointId: sp,
          skills: ['health', 'housekeeping'],
          shiftStart: '08:00',
          shiftEnd: '17:00',
          maxDailyVisits: 6,
        })
        .expect(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        name: '李桂兰',
        servicePointId: sp,
        regionCode: URBAN,
        skills: ['housekeeping', 'health'],
        shiftStart: '08:00',
        shiftEnd: '17:00',
        maxDailyVisits: 6,
        active: true,
      });
      const job = await t.app.get(CoreJobQueue).queue('dispatch').getJob(retryUnassignedJobId(res.body.id, 0));
      expect(job?.name).toBe('RetryUnassigned');
    });

    it('400 naming every bad field: skills outside the catalogue, shift format, cap, unknown fields', async () => {
      const res = await t
        .http()
        .post('/api/v1/caregivers')
        .set(auth(dispatcher))
        .send({
          name: '',
          phone: 'x',
          gender: 'other',
          servicePointId: 'nope',
          skills: ['cooking'],
          shiftStart: '8am',
          shiftEnd: '25:00',
          maxDailyVisits: 0,
          age: 40,
        })
        .expect(400);
      for (const field of [
        'name',
        'phone',
        'gender',
        'servicePointId',
        'skills',
        'shiftStart',
        'shiftEnd',
        'maxDailyVisits',
        'age',
      ]) {
        expect(res.body.message).toMatch(field);
      }
    });

    it('400 for a shift that ends before it starts and for an unknown service point', async () => {
      const shift = await t
        .http()
        .post('/api/v1/caregivers')
        .set(auth(dispatcher))
        .send({
          name: 'a',
          phone: '13800000000',
          gender: 'male',
          servicePointId: sp,
          skills: [],
          shiftStart: '17:00',
          shiftEnd: '08:00',
          maxDailyVisits: 4,
        })
        .expect(400);
      expect(shift.body.message).toMatch(/shiftEnd: must be after shiftStart/);
      const point = await t
        .http()
        .post('/api/v1/caregivers')
        .set(auth(dispatcher))
        .send({
          name: 'a',
          phone: '13800000000',
          gender: 'male',
          servicePointId: '00000000-0000-4000-8000-000000000000',
          skills: [],
          shiftStart: '08:00',
          shiftEnd: '17:00',
          maxDailyVisits: 4,
        })
        .expect(400);
      expect(point.body.message).toMatch(/servicePointId: unknown service point/);
    });

    it('lists by the service point’s region, skill and active', async () => {
      const ruralSp = await createServicePoint(t, { name: '河畔', regionCode: '620422102', lat: 35.8, lng: 105.2 });
      const rural = await createCaregiver(t, ruralSp, { name: '赵一', skills: ['escort'] });
      const urban = await t.http().get(`/api/v1/caregivers?regionCode=${URBAN}`).set(auth(bureau)).expect(200);
      expect(urban.body.items.map((c: { id: string }) => c.id)).not.toContain(rural);
      const byRegion = await t.http().get('/api/v1/caregivers?regionCode=620422102').set(auth(dispatcher)).expect(200);
      expect(byRegion.body).toMatchObject({
        total: 1,
        items: [{ id: rural, regionCode: '620422102', skills: ['escort'] }],
      });
      const bySkill = await t.http().get('/api/v1/caregivers?skill=escort').set(auth(dispatcher)).expect(200);
      expect(bySkill.body.items.map((c: { id: string }) => c.id)).toEqual([rural]);
      await t.http().get('/api/v1/caregivers?skill=cooking&limit=501').set(auth(dispatcher)).expect(400);
    });

    it('GET /caregivers/:id: 404 unknown, 400 malformed; a caregiver user sees itself only', async () => {
      const own = await createCaregiver(t, sp, { name: '自己' });
      const other = await createCaregiver(t, sp, { name: '别人' });
      const token = await t.userToken('caregiver', { caregiverId: own });
      await t.http().get(`/api/v1/caregivers/${own}`).set(auth(token)).expect(200);
      await t.http().get(`/api/v1/caregivers/${other}`).set(auth(token)).expect(404);
      await t.http().get('/api/v1/caregivers').set(auth(token)).expect(403);
      await t.http().get('/api/v1/caregivers/00000000-0000-4000-8000-000000000000').set(auth(dispatcher)).expect(404);
      await t.http().get('/api/v1/caregivers/not-a-uuid').set(auth(dispatcher)).expect(400);
    });

    it('POST /users checks a caregiver user’s caregiverId (CAREGIVER_LOOKUP)', async () => {
      const own = await createCaregiver(t, sp);
      await t
        .http()
        .post('/api/v1/users')
        .set(auth(t.adminToken))
        .send({ username: 'cg.ok', password: 'password-123', role: 'caregiver', caregiverId: own })
        .expect(201);
      const bad = await t
        .http()
        .post('/api/v1/users')
        .set(auth(t.adminToken))
        .send({
          username: 'cg.bad',
          password: 'password-123',
          role: 'caregiver',
          caregiverId: '00000000-0000-4000-8000-000000000009',
        })
        .expect(400);
      expect(bad.body.message).toMatch(/caregiverId: unknown caregiver/);
    });

    it('PATCH changes skills, shift, cap and active; 400 for a bad shift; enqueues RetryUnassigned', async () => {
      const id = await createCaregiver(t, sp);
      const res = await t
        .http()
        .patch(`/api/v1/caregivers/${id}`)
        .set(auth(dispatcher))
        .send({ skills: ['nursing'], shiftStart: '09:00', shiftEnd: '18:00', maxDailyVisits: 3 })
        .expect(200);
      expect(res.body).toMatchObject({
        skills: ['nursing'],
        shiftStart: '09:00',
        shiftEnd: '18:00',
        maxDailyVisits: 3,
        version: 1,
        releasedOrders: [],
      });
      expect(await t.app.get(CoreJobQueue).queue('dispatch').getJob(retryUnassignedJobId(id, 1))).toBeDefined();
      const bad = await t
        .http()
        .patch(`/api/v1/caregivers/${id}`)
        .set(auth(dispatcher))
        .send({ shiftEnd: '08:00' })
        .expect(400);
      expect(bad.body.message).toMatch(/shiftEnd: must be after shiftStart/);
      await t.http().patch(`/api/v1/caregivers/${id}`).set(auth(dispatcher)).send({ active: 'yes' }).expect(400);
      await t.http().patch(`/api/v1/caregivers/${id}`).set(auth(bureau)).send({ active: false }).expect(403);
      await t
        .http()
        .patch('/api/v1/caregivers/00000000-0000-4000-8000-000000000000')
        .set(auth(dispatcher))
        .send({ active: false })
        .expect(404);
    });

    it('deactivating a caregiver sends its visits not yet started back to dispatch', async () => {
      const id = await createCaregiver(t, sp);
      const resident = await insertResident(t.db);
      const day = countyDay(3);
      const order = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .send({
          residentId: resident,
          services: ['health_check'],
          windowStart: at(day, '09:00'),
          windowEnd: at(day, '17:00'),
        })
        .expect(202);
      await assignInSql(t.db, order.body.id, id, at(day, '10:00'), at(day, '10:15'));
      const releasedFrom = Date.now();
      const res = await t
        .http()
        .patch(`/api/v1/caregivers/${id}`)
        .set(auth(dispatcher))
        .send({ active: false })
        .expect(200);
      expect(res.body.active).toBe(false);
      expect(res.body.releasedOrders).toEqual([{ id: order.body.id, reason: 'CAREGIVER_INACTIVE' }]);
      const row = await orderRow(t.db, order.body.id);
      expect(row).toMatchObject({ status: 'pending', caregiver_id: null });
      // back to the rounds: the intake of the debounce window it was released in
      const intake = (
        await t.app.get(CoreJobQueue).queue('dispatch').getJobs(['delayed', 'waiting', 'prioritized'])
      ).filter(
        (j) =>
          j.name === 'DispatchRound' &&
          Number(/^DispatchRound-intake-(\d+)$/.exec(String(j.id))?.[1] ?? -1) >=
            Math.floor(releasedFrom / ROUND_DEBOUNCE_MS),
      );
      expect(intake.length).toBeGreaterThanOrEqual(1);
    });
  });

  describe('GET /caregivers/:id/schedule', () => {
    it('the day’s visits in order with travel minutes between them', async () => {
      const id = await createCaregiver(t, sp);
      const day = countyDay(4);
      // 0.01° north of the seat (urban): 1.4455 km by road → 5 min; 0.02° north: 6 min from the first (5 min), 9 back
      const near = await insertResident(t.db, { name: '近', lat: SEAT.lat + 0.01, lng: SEAT.lng });
      const far = await insertResident(t.db, { name: '远', lat: SEAT.lat + 0.02, lng: SEAT.lng });
      const ids: string[] = [];
      for (const [resident, start, end] of [
        [far, '11:00', '11:15'],
        [near, '09:00', '09:15'],
      ] as const) {
        const res = await t
          .http()
          .post('/api/v1/care-orders')
          .set(auth(dispatcher))
          .send({
            residentId: resident,
            services: ['health_check'],
            windowStart: at(day, '08:00'),
            windowEnd: at(day, '17:00'),
          })
          .expect(202);
        await assignInSql(t.db, res.body.id, id, at(day, start), at(day, end));
        ids.push(res.body.id);
      }
      const res = await t.http().get(`/api/v1/caregivers/${id}/schedule?date=${day}`).set(auth(dispatcher)).expect(200);
      expect(res.body).toMatchObject({ caregiverId: id, date: day, shiftStart: '08:00', shiftEnd: '17:00' });
      expect(res.body.visits.map((v: { orderId: string }) => v.orderId)).toEqual([ids[1], ids[0]]);
      expect(res.body.visits[0]).toMatchObject({
        residentName: '近',
        plannedStart: at(day, '09:00'),
        plannedEnd: at(day, '09:15'),
        status: 'assigned',
        services: ['health_check'],
        travelMinutes: 5,
      });
      expect(res.body.visits[1].travelMinutes).toBe(5);
      // 0.02° = 2.891 km by road at 20 km/h → 8.67 → 9
      expect(res.body.returnTravelMinutes).toBe(9);
      expect(res.body.totalTravelMinutes).toBe(19);

      const empty = await t
        .http()
        .get(`/api/v1/caregivers/${id}/schedule?date=${countyDay(5)}`)
        .set(auth(dispatcher))
        .expect(200);
      expect(empty.body.visits).toEqual([]);
    });

    it('a caregiver sees its own schedule only; bad dates are 400', async () => {
      const own = await createCaregiver(t, sp);
      const other = await createCaregiver(t, sp);
      const token = await t.userToken('caregiver', { caregiverId: own });
      await t
        .http()
        .get(`/api/v1/caregivers/${own}/schedule?date=${countyDay(1)}`)
        .set(auth(token))
        .expect(200);
      await t
        .http()
        .get(`/api/v1/caregivers/${other}/schedule?date=${countyDay(1)}`)
        .set(auth(token))
        .expect(404);
      const bad = await t.http().get(`/api/v1/caregivers/${own}/schedule?date=2026-02-30`).set(auth(token)).expect(400);
      expect(bad.body.message).toMatch(/date/);
      await t.http().get(`/api/v1/caregivers/${own}/schedule`).set(auth(token)).expect(400);
    });
  });

  describe('queue board at /admin/queues', () => {
    it('401 without credentials, 403 for a non-admin', async () => {
      await t.http().get('/admin/queues').expect(401);
      await t.http().get('/admin/queues').set(auth(dispatcher)).expect(403);
      await t.http().get(`/admin/queues?token=${dispatcher}`).expect(403);
      await t.http().get('/admin/queues?token=garbage').expect(401);
    });

    it('serves the board to an admin by bearer header', async () => {
      const res = await t.http().get('/admin/queues').set(auth(t.adminToken)).expect(200);
      expect(res.text).toMatch(/<html/i);
      const api = await t.http().get('/admin/queues/api/queues').set(auth(t.adminToken)).expect(200);
      expect(api.body.queues.map((q: { name: string }) => q.name).sort()).toEqual([
        'alerts',
        'dispatch',
        'planning',
        'stats',
      ]);
    });

    it('?token= once: sets an httpOnly SameSite=Strict cookie and redirects without the token', async () => {
      const res = await t.http().get(`/admin/queues?token=${t.adminToken}`).expect(303);
      expect(res.headers.location).toBe('/admin/queues');
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/care_queue_board=/);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
      expect(cookie).toMatch(/Path=\/admin\/queues/);
      const page = await t.http().get('/admin/queues').set('Cookie', cookie.split(';')[0]).expect(200);
      expect(page.text).toMatch(/<html/i);
    });
  });
});
