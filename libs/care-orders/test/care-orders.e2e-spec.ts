import { Worker } from 'bullmq';
import { CareOrdersService, ROUND_DEBOUNCE_MS, urgentRoundJob } from '@care/care-orders';
import { JobQueue, createRedis } from '@care/core';
import { auth, createTestApp, type TestContext } from '@care/testing';
import {
  SEAT,
  assignInSql,
  at,
  countOrders,
  countyDay,
  createCaregiver,
  createServicePoint,
  insertResident,
  orderRow,
} from './support';
import { buildApp } from '@test/apps';

describe('care orders: create, idempotency, lists, caregiver actions', () => {
  let t: TestContext;
  let dispatcher: string;
  let bureau: string;
  let manager: string;
  let sp: string;
  let caregiver: string;
  let caregiverToken: string;
  let otherCaregiver: string;
  let otherToken: string;
  let resident: string;
  const day = countyDay(2);
  const body = (extra: Record<string, unknown> = {}) => ({
    residentId: resident,
    services: ['health_check', 'safety_check'],
    windowStart: at(day, '09:00'),
    windowEnd: at(day, '17:00'),
    ...extra,
  });
  const create = async (extra: Record<string, unknown> = {}): Promise<string> =>
    (await t.http().post('/api/v1/care-orders').set(auth(dispatcher)).send(body(extra)).expect(202)).body.id as string;
  /** An order assigned to `cg` (set in SQL, as the dispatcher would). */
  const assigned = async (cg: string, start = '10:00', end = '10:30'): Promise<string> => {
    const id = await create();
    await assignInSql(t.db, id, cg, at(day, start), at(day, end));
    return id;
  };

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'careorders');
    dispatcher = await t.userToken('dispatcher');
    bureau = await t.userToken('bureau');
    const facility = await t
      .http()
      .post('/api/v1/facilities')
      .set(auth(t.adminToken))
      .send({
        name: '会宁县敬老院',
        type: 'nursing_home',
        regionCode: '620422100',
        ...SEAT,
        ownership: 'public',
        comprehensive: false,
      });
    expect(facility.status).toBe(201);
    manager = await t.userToken('manager', { facilityIds: [facility.body.id] });
    sp = await createServicePoint(t);
    caregiver = await createCaregiver(t, sp, { name: '甲' });
    otherCaregiver = await createCaregiver(t, sp, { name: '乙' });
    caregiverToken = await t.userToken('caregiver', { caregiverId: caregiver });
    otherToken = await t.userToken('caregiver', { caregiverId: otherCaregiver });
    resident = await insertResident(t.db, { categories: ['destitute'] });
  });
  afterAll(() => t.close());

  describe('POST /care-orders', () => {
    it('202 { id, status: pending }, stored with services and duration, its round (DispatchRound) enqueued after commit', async () => {
      const res = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .send(body({ priority: 'urgent', notes: '老人腿脚不便' }))
        .expect(202);
      expect(res.body).toEqual({ id: expect.any(String), status: 'pending' });
      // urgent: a round of its own, at once, priority 1
      const job = await t.app
        .get(JobQueue)
        .queue('dispatch')
        .getJob(urgentRoundJob({ id: res.body.id, version: 0, priority: 'urgent' }).options.jobId);
      expect(job).toMatchObject({ name: 'DispatchRound', data: { orderId: res.body.id }, opts: { priority: 1 } });
      const got = await t.http().get(`/api/v1/care-orders/${res.body.id}`).set(auth(dispatcher)).expect(200);
      expect(got.body).toMatchObject({
        id: res.body.id,
        residentId: resident,
        services: ['health_check', 'safety_check'],
        windowStart: at(day, '09:00'),
        windowEnd: at(day, '17:00'),
        durationMinutes: 30,
        priority: 'urgent',
        notes: '老人腿脚不便',
        status: 'pending',
        caregiverId: null,
        plannedStart: null,
        plannedEnd: null,
        travelMinutes: null,
        unassignedReason: null,
        regionCode: '620422100',
        source: 'manual',
        declinedBy: [],
      });
    });

    it('an urgent order starts its round at once; normal orders wait for their debounced intake, one job per window', async () => {
      const queue = t.app.get(JobQueue).queue('dispatch');
      await queue.drain(true); // the jobs of the tests above, delayed ones too
      const before = Date.now();
      const normal = [await create(), await create(), await create()];
      const after = Date.now();
      const urgent = await create({ priority: 'urgent' });
      const waiting = await queue.getJobs(['delayed', 'waiting', 'prioritized']);
      const intake = waiting.filter((j) => j.name === 'DispatchRound' && j.data.orderId === undefined);
      // one intake job per debounce window the POSTs fell in, never one per order (three POSTs span one or two
      // windows on a quiet machine, possibly more under load)
      const firstWindow = Math.floor(before / ROUND_DEBOUNCE_MS);
      const lastWindow = Math.floor(after / ROUND_DEBOUNCE_MS);
      const windows = intake.map((j) => Number(/^DispatchRound-intake-(\d+)$/.exec(j.id ?? '')?.[1]));
      expect(intake.length).toBeGreaterThanOrEqual(1);
      expect(intake.length).toBeLessThanOrEqual(Math.min(normal.length, lastWindow - firstWindow + 1));
      expect(new Set(windows).size).toBe(windows.length);
      for (const [i, j] of intake.entries()) {
        expect(j.data).toEqual({});
        expect(windows[i]).toBeGreaterThanOrEqual(firstWindow);
        expect(windows[i]).toBeLessThanOrEqual(lastWindow);
        expect(j.opts.delay).toBeGreaterThan(0);
        expect(j.opts.delay).toBeLessThanOrEqual(ROUND_DEBOUNCE_MS + 5);
      }
      // a worker that only takes jobs, in the order any dispatcher would
      // on a connection of its own: the producers' connection fails fast, which BullMQ refuses for a worker
      const connection = createRedis(t.config.redisUrl);
      const worker = new Worker(queue.name, undefined, {
        connection,
        prefix: queue.opts.prefix,
        autorun: false,
      });
      try {
        const first = await worker.getNextJob('test-0', { block: false });
        expect(first).toMatchObject({ name: 'DispatchRound', data: { orderId: urgent } });
      } finally {
        await worker.close();
        connection.disconnect();
      }
    });

    it('takes durationMinutes when given', async () => {
      const id = await create({ durationMinutes: 50 });
      const got = await t.http().get(`/api/v1/care-orders/${id}`).set(auth(dispatcher)).expect(200);
      expect(got.body.durationMinutes).toBe(50);
    });

    it('400 naming every offending field, unknown fields included', async () => {
      const res = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .send({
          residentId: 'x',
          services: [],
          windowStart: '2026-12-01',
          windowEnd: 'tomorrow',
          durationMinutes: 0,
          priority: 'high',
          colour: 'red',
        })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      for (const field of [
        'residentId',
        'services',
        'windowStart',
        'windowEnd',
        'durationMinutes',
        'priority',
        'colour',
      ]) {
        expect(res.body.message).toMatch(field);
      }
    });

    it('400 for unknown service codes, a window that ends before it starts, a visit that does not fit, a past window', async () => {
      const unknown = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .send(body({ services: ['health_check', 'massage'] }))
        .expect(400);
      expect(unknown.body.message).toMatch(/services: unknown service code\(s\) massage/);
      const reversed = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .send(body({ windowStart: at(day, '17:00'), windowEnd: at(day, '09:00') }))
        .expect(400);
      expect(reversed.body.message).toMatch(/windowEnd: must be after windowStart/);
      const tight = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .send(body({ windowEnd: at(day, '09:20') }))
        .expect(400);
      expect(tight.body.message).toMatch(/services: the visit \(30 min\) does not fit/);
      const tightGiven = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .send(body({ durationMinutes: 600 }))
        .expect(400);
      expect(tightGiven.body.message).toMatch(/durationMinutes:/);
      const past = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .send(body({ windowStart: at(countyDay(-3), '09:00'), windowEnd: at(countyDay(-3), '17:00') }))
        .expect(400);
      expect(past.body.message).toMatch(/windowEnd: lies in the past/);
    });

    it('400 for an unknown resident; 422 RESIDENT_NOT_AT_HOME for one in an institution', async () => {
      const unknown = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .send(body({ residentId: '00000000-0000-4000-8000-000000000000' }))
        .expect(400);
      expect(unknown.body.message).toMatch(/residentId: unknown resident/);
      const inside = await insertResident(t.db, { livingArrangement: 'institution' });
      const res = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .send(body({ residentId: inside }))
        .expect(422);
      expect(res.body).toMatchObject({ statusCode: 422, code: 'RESIDENT_NOT_AT_HOME' });
    });

    it('roles: admin and dispatcher create; bureau, manager and caregiver may not; no token 401', async () => {
      await t.http().post('/api/v1/care-orders').set(auth(t.adminToken)).send(body()).expect(202);
      await t.http().post('/api/v1/care-orders').set(auth(bureau)).send(body()).expect(403);
      await t.http().post('/api/v1/care-orders').set(auth(caregiverToken)).send(body()).expect(403);
      await t.http().post('/api/v1/care-orders').set(auth(manager)).send(body()).expect(403);
      await t.http().post('/api/v1/care-orders').send(body()).expect(401);
    });
  });

  describe('Idempotency-Key', () => {
    it('a key lives 24 hours: then it names a new request, and the hourly prune forgets it', async () => {
      const post = (key: string, extra: Record<string, unknown> = {}) =>
        t.http().post('/api/v1/care-orders').set(auth(dispatcher)).set('Idempotency-Key', key).send(body(extra));
      const old = await post('key-lifetime-1').expect(202);
      const fresh = await post('key-lifetime-2').expect(202);
      // the first key was stored a day and a minute ago
      await t.db.query(`UPDATE idempotency_keys SET created_at = ? WHERE idem_key = 'key-lifetime-1'`, [
        new Date(Date.now() - 24 * 3600_000 - 60_000),
      ]);
      const reused = await post('key-lifetime-1', { notes: '另一个请求' }).expect(202); // not 409 IDEMPOTENCY_KEY_REUSED
      expect(reused.body.id).not.toBe(old.body.id);
      expect(reused.headers['idempotent-replayed']).toBeUndefined();
      await post('key-lifetime-1', { notes: '另一个请求' }).expect(202); // the new request is named by the key now
      await post('key-lifetime-1').expect(409);

      await t.db.query(`UPDATE idempotency_keys SET created_at = ? WHERE idem_key = 'key-lifetime-2'`, [
        new Date(Date.now() - 25 * 3600_000),
      ]);
      expect(await t.app.get(CareOrdersService).pruneIdempotencyKeys()).toBeGreaterThanOrEqual(1);
      const left = (await t.db.query(
        `SELECT idem_key FROM idempotency_keys WHERE idem_key IN ('key-lifetime-1', 'key-lifetime-2')`,
      )) as { idem_key: string }[];
      expect(left.map((k) => k.idem_key)).toEqual(['key-lifetime-1']);
      expect(await countOrders(t.db, 'id = ?', [fresh.body.id])).toBe(1); // the orders stay
    });

    it('same key + same body → the same order and status code', async () => {
      const first = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .set('Idempotency-Key', 'key-same-1')
        .send(body())
        .expect(202);
      // same members in another order: the same request
      const again = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .set('Idempotency-Key', 'key-same-1')
        .send({
          windowEnd: at(day, '17:00'),
          windowStart: at(day, '09:00'),
          services: ['health_check', 'safety_check'],
          residentId: resident,
        })
        .expect(202);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(await countOrders(t.db, 'id = ?', [first.body.id])).toBe(1);
    });

    it('same key + another body → 409 IDEMPOTENCY_KEY_REUSED', async () => {
      await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .set('Idempotency-Key', 'key-reused')
        .send(body())
        .expect(202);
      const res = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .set('Idempotency-Key', 'key-reused')
        .send(body({ notes: 'another order' }))
        .expect(409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('10 concurrent requests with one key → one order, every answer the same', async () => {
      const before = await countOrders(t.db);
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          t
            .http()
            .post('/api/v1/care-orders')
            .set(auth(dispatcher))
            .set('Idempotency-Key', 'key-concurrent')
            .send(body({ notes: 'race' })),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
      expect(await countOrders(t.db)).toBe(before + 1);
    });

    it('a key belongs to its user: another user with the same key makes another order', async () => {
      const a = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .set('Idempotency-Key', 'key-per-user')
        .send(body())
        .expect(202);
      const b = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(t.adminToken))
        .set('Idempotency-Key', 'key-per-user')
        .send(body())
        .expect(202);
      expect(a.body.id).not.toBe(b.body.id);
    });

    it('a failed request stores nothing: the key can be used again', async () => {
      await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .set('Idempotency-Key', 'key-after-error')
        .send(body({ services: ['massage'] }))
        .expect(400);
      await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .set('Idempotency-Key', 'key-after-error')
        .send(body())
        .expect(202);
    });

    it('400 for a key that is not printable ASCII or too long', async () => {
      const res = await t
        .http()
        .post('/api/v1/care-orders')
        .set(auth(dispatcher))
        .set('Idempotency-Key', 'x'.repeat(300))
        .send(body())
        .expect(400);
      expect(res.body.message).toMatch(/Idempotency-Key/);
    });
  });

  describe('GET /care-orders', () => {
    it('filters by status, regionCode, date and caregiverId; { items, total } with limit/offset', async () => {
      const ruralResident = await insertResident(t.db, { regionCode: '620422101', lat: 35.9, lng: 105.1 });
      const rural = await create({ residentId: ruralResident });
      const mine = await assigned(caregiver, '14:00', '14:30');
      const byRegion = await t.http().get('/api/v1/care-orders?regionCode=620422101').set(auth(bureau)).expect(200);
      expect(byRegion.body).toMatchObject({ total: 1, items: [{ id: rural, regionCode: '620422101' }] });
      const byCaregiver = await t
        .http()
        .get(`/api/v1/care-orders?caregiverId=${caregiver}&status=assigned`)
        .set(auth(dispatcher))
        .expect(200);
      expect(byCaregiver.body.items.map((o: { id: string }) => o.id)).toContain(mine);
      expect(
        byCaregiver.body.items.every(
          (o: { caregiverId: string; status: string }) => o.caregiverId === caregiver && o.status === 'assigned',
        ),
      ).toBe(true);
      const byDate = await t.http().get(`/api/v1/care-orders?date=${day}&limit=500`).set(auth(dispatcher)).expect(200);
      expect(byDate.body.items.map((o: { id: string }) => o.id)).toEqual(expect.arrayContaining([rural, mine]));
      const otherDay = await t
        .http()
        .get(`/api/v1/care-orders?date=${countyDay(20)}`)
        .set(auth(dispatcher))
        .expect(200);
      expect(otherDay.body).toEqual({ items: [], total: 0 });
      const page = await t.http().get('/api/v1/care-orders?limit=2&offset=1').set(auth(dispatcher)).expect(200);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.total).toBeGreaterThan(3);
    });

    it('400 for bad filters', async () => {
      const res = await t
        .http()
        .get('/api/v1/care-orders?status=done&date=2026-13-01&caregiverId=x&limit=501')
        .set(auth(dispatcher))
        .expect(400);
      for (const field of ['status', 'date', 'caregiverId', 'limit']) expect(res.body.message).toMatch(field);
    });

    it('a caregiver sees only its own orders; others are 404; manager 403', async () => {
      const mine = await assigned(caregiver);
      const theirs = await assigned(otherCaregiver);
      const list = await t.http().get('/api/v1/care-orders').set(auth(caregiverToken)).expect(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      expect(list.body.items.every((o: { caregiverId: string }) => o.caregiverId === caregiver)).toBe(true);
      expect(list.body.items[0].declinedBy).toBeUndefined();
      const sneaky = await t
        .http()
        .get(`/api/v1/care-orders?caregiverId=${otherCaregiver}`)
        .set(auth(caregiverToken))
        .expect(200);
      expect(sneaky.body.total).toBe(0);
      await t.http().get(`/api/v1/care-orders/${mine}`).set(auth(caregiverToken)).expect(200);
      await t.http().get(`/api/v1/care-orders/${theirs}`).set(auth(caregiverToken)).expect(404);
      await t.http().get(`/api/v1/care-orders/${theirs}`).set(auth(bureau)).expect(200);
      await t.http().get('/api/v1/care-orders').set(auth(manager)).expect(403);
      await t.http().get('/api/v1/care-orders/00000000-0000-4000-8000-000000000000').set(auth(dispatcher)).expect(404);
    });
  });

  describe('caregiver actions', () => {
    it('accept → check-in → check-out: the full visit, with its service record', async () => {
      const id = await assigned(caregiver, '10:00', '10:30');
      const accepted = await t.http().post(`/api/v1/care-orders/${id}/accept`).set(auth(caregiverToken)).expect(200);
      expect(accepted.body).toMatchObject({
        status: 'accepted',
        caregiverId: caregiver,
        acceptedAt: expect.any(String),
      });
      // checking in two days early, 1.1 km from the home: kept and flagged, never refused
      const checkIn = await t
        .http()
        .post(`/api/v1/care-orders/${id}/check-in`)
        .set(auth(caregiverToken))
        .send({ lat: SEAT.lat, lng: SEAT.lng })
        .expect(200);
      expect(checkIn.body.status).toBe('in_progress');
      expect(checkIn.body.flags).toEqual(['early', 'far']);
      expect(checkIn.body.checkInAt).toEqual(expect.any(String));
      expect(checkIn.body.visit).toMatchObject({
        checkInLat: SEAT.lat,
        checkInLng: SEAT.lng,
        checkInDistanceMeters: 1112,
      });
      const checkOut = await t
        .http()
        .post(`/api/v1/care-orders/${id}/check-out`)
        .set(auth(caregiverToken))
        .send({
          servicesDone: ['health_check', 'safety_check'],
          notes: '血压偏高，已提醒服药',
          vitals: { systolic: 150, diastolic: 92, heartRate: 78, bloodGlucose: 6.2, temperature: 36.5 },
        })
        .expect(200);
      expect(checkOut.body).toMatchObject({
        status: 'completed',
        completedAt: expect.any(String),
        checkOutAt: expect.any(String),
      });
      expect(checkOut.body.visit).toMatchObject({
        servicesDone: ['health_check', 'safety_check'],
        notes: '血压偏高，已提醒服药',
        vitals: { systolic: 150, diastolic: 92, heartRate: 78, bloodGlucose: 6.2, temperature: 36.5 },
      });
      // nothing more to do on a completed order
      const again = await t
        .http()
        .post(`/api/v1/care-orders/${id}/check-out`)
        .set(auth(caregiverToken))
        .send({ servicesDone: [] })
        .expect(409);
      expect(again.body.code).toBe('INVALID_TRANSITION');
      await t.http().post(`/api/v1/care-orders/${id}/cancel`).set(auth(dispatcher)).send({ reason: 'x' }).expect(409);
    });

    it('check-in without a position is kept and flagged no_location', async () => {
      const id = await assigned(caregiver);
      await t.http().post(`/api/v1/care-orders/${id}/accept`).set(auth(caregiverToken)).expect(200);
      const res = await t
        .http()
        .post(`/api/v1/care-orders/${id}/check-in`)
        .set(auth(caregiverToken))
        .send({})
        .expect(200);
      expect(res.body.flags).toEqual(expect.arrayContaining(['no_location']));
      await t.http().post(`/api/v1/care-orders/${id}/check-in`).set(auth(caregiverToken)).send({}).expect(409);
    });

    it('409 INVALID_TRANSITION for actions the status does not allow', async () => {
      const pending = await create();
      for (const action of ['accept', 'check-in']) {
        const res = await t
          .http()
          .post(`/api/v1/care-orders/${pending}/${action}`)
          .set(auth(dispatcher))
          .send({})
          .expect(409);
        expect(res.body).toMatchObject({ statusCode: 409, code: 'INVALID_TRANSITION' });
      }
      await t
        .http()
        .post(`/api/v1/care-orders/${pending}/decline`)
        .set(auth(dispatcher))
        .send({ reason: 'x' })
        .expect(409);
      await t
        .http()
        .post(`/api/v1/care-orders/${pending}/check-out`)
        .set(auth(dispatcher))
        .send({ servicesDone: [] })
        .expect(409);
      const fresh = await assigned(caregiver);
      // check-in before accepting
      await t
        .http()
        .post(`/api/v1/care-orders/${fresh}/check-in`)
        .set(auth(caregiverToken))
        .send({ lat: SEAT.lat, lng: SEAT.lng })
        .expect(409);
      await t.http().post(`/api/v1/care-orders/${fresh}/accept`).set(auth(caregiverToken)).expect(200);
      await t.http().post(`/api/v1/care-orders/${fresh}/accept`).set(auth(caregiverToken)).expect(409);
    });

    it('decline records the caregiver and dispatches the order again', async () => {
      const id = await assigned(caregiver);
      const declinedFrom = Date.now();
      const res = await t
        .http()
        .post(`/api/v1/care-orders/${id}/decline`)
        .set(auth(caregiverToken))
        .send({ reason: '身体不适' })
        .expect(200);
      expect(res.body).toMatchObject({ status: 'pending', caregiverId: null, plannedStart: null });
      const view = await t.http().get(`/api/v1/care-orders/${id}`).set(auth(dispatcher)).expect(200);
      expect(view.body.declinedBy).toEqual([caregiver]);
      // a normal order: the intake of the current debounce window (one job for every order of the window)
      const queue = t.app.get(JobQueue).queue('dispatch');
      const intake = (await queue.getJobs(['delayed', 'waiting', 'prioritized'])).filter(
        (j) =>
          j.name === 'DispatchRound' &&
          Number(/^DispatchRound-intake-(\d+)$/.exec(String(j.id))?.[1] ?? -1) >=
            Math.floor(declinedFrom / ROUND_DEBOUNCE_MS),
      );
      expect(intake.length).toBeGreaterThanOrEqual(1);
      // no longer theirs
      await t.http().get(`/api/v1/care-orders/${id}`).set(auth(caregiverToken)).expect(404);
      const reasons: { reason: string }[] = await t.db.query('SELECT reason FROM order_declines WHERE order_id = ?', [
        id,
      ]);
      expect(reasons).toEqual([{ reason: '身体不适' }]);
    });

    it('another caregiver’s order answers 404 to every action', async () => {
      const id = await assigned(otherCaregiver);
      await t.http().post(`/api/v1/care-orders/${id}/accept`).set(auth(caregiverToken)).expect(404);
      await t
        .http()
        .post(`/api/v1/care-orders/${id}/decline`)
        .set(auth(caregiverToken))
        .send({ reason: 'x' })
        .expect(404);
      await t.http().post(`/api/v1/care-orders/${id}/check-in`).set(auth(caregiverToken)).send({}).expect(404);
      await t.http().post(`/api/v1/care-orders/${id}/accept`).set(auth(otherToken)).expect(200);
    });

    it('check-out: implausible vitals and unknown services are 400 naming the fields; the order stays in progress', async () => {
      const id = await assigned(caregiver);
      await t.http().post(`/api/v1/care-orders/${id}/accept`).set(auth(caregiverToken)).expect(200);
      await t
        .http()
        .post(`/api/v1/care-orders/${id}/check-in`)
        .set(auth(caregiverToken))
        .send({ lat: SEAT.lat + 0.01, lng: SEAT.lng })
        .expect(200);
      const bad = await t
        .http()
        .post(`/api/v1/care-orders/${id}/check-out`)
        .set(auth(caregiverToken))
        .send({
          servicesDone: ['health_check'],
          vitals: { systolic: 400, diastolic: 10, heartRate: 0, bloodGlucose: 99, temperature: 50, weight: 60 },
        })
        .expect(400);
      for (const field of [
        'vitals.systolic',
        'vitals.diastolic',
        'vitals.heartRate',
        'vitals.bloodGlucose',
        'vitals.temperature',
        'vitals.weight',
      ]) {
        expect(bad.body.message).toContain(field);
      }
      const inverted = await t
        .http()
        .post(`/api/v1/care-orders/${id}/check-out`)
        .set(auth(caregiverToken))
        .send({ servicesDone: ['health_check'], vitals: { systolic: 90, diastolic: 100 } })
        .expect(400);
      expect(inverted.body.message).toMatch(/vitals.diastolic: must be below vitals.systolic/);
      const unknown = await t
        .http()
        .post(`/api/v1/care-orders/${id}/check-out`)
        .set(auth(caregiverToken))
        .send({ servicesDone: ['massage'] })
        .expect(400);
      expect(unknown.body.message).toMatch(/servicesDone: unknown service code/);
      await t.http().post(`/api/v1/care-orders/${id}/check-out`).set(auth(caregiverToken)).send({}).expect(400);
      expect((await orderRow(t.db, id)).status).toBe('in_progress');
      await t
        .http()
        .post(`/api/v1/care-orders/${id}/check-out`)
        .set(auth(caregiverToken))
        .send({ servicesDone: ['health_check'] })
        .expect(200);
    });

    it('check-in with half a position is 400', async () => {
      const id = await assigned(caregiver);
      await t.http().post(`/api/v1/care-orders/${id}/accept`).set(auth(caregiverToken)).expect(200);
      const res = await t
        .http()
        .post(`/api/v1/care-orders/${id}/check-in`)
        .set(auth(caregiverToken))
        .send({ lat: 35.7 })
        .expect(400);
      expect(res.body.message).toMatch(/lng/);
      const out = await t
        .http()
        .post(`/api/v1/care-orders/${id}/check-in`)
        .set(auth(caregiverToken))
        .send({ lat: 135, lng: 'x' })
        .expect(400);
      expect(out.body.message).toMatch(/lat/);
      expect(out.body.message).toMatch(/lng/);
    });

    it('cancel is for dispatchers: a caregiver gets 403; reason required', async () => {
      const id = await assigned(caregiver);
      await t
        .http()
        .post(`/api/v1/care-orders/${id}/cancel`)
        .set(auth(caregiverToken))
        .send({ reason: 'x' })
        .expect(403);
      await t.http().post(`/api/v1/care-orders/${id}/cancel`).set(auth(bureau)).send({ reason: 'x' }).expect(403);
      const missing = await t
        .http()
        .post(`/api/v1/care-orders/${id}/cancel`)
        .set(auth(dispatcher))
        .send({})
        .expect(400);
      expect(missing.body.message).toMatch(/reason/);
      const res = await t
        .http()
        .post(`/api/v1/care-orders/${id}/cancel`)
        .set(auth(dispatcher))
        .send({ reason: '老人住院' })
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'cancelled',
        cancelReason: '老人住院',
        cancelledAt: expect.any(String),
      });
      await t.http().post(`/api/v1/care-orders/${id}/accept`).set(auth(caregiverToken)).expect(409);
      // cancelled visits leave the caregiver's schedule
      const schedule = await t
        .http()
        .get(`/api/v1/caregivers/${caregiver}/schedule?date=${day}`)
        .set(auth(caregiverToken))
        .expect(200);
      expect(schedule.body.visits.map((v: { orderId: string }) => v.orderId)).not.toContain(id);
    });

    it('a pending or unassigned order can be cancelled too', async () => {
      const pending = await create();
      await t
        .http()
        .post(`/api/v1/care-orders/${pending}/cancel`)
        .set(auth(t.adminToken))
        .send({ reason: 'dup' })
        .expect(200);
      const unassigned = await create();
      await t.db.query("UPDATE care_orders SET status = 'unassigned', unassigned_reason = 'NO_CAPACITY' WHERE id = ?", [
        unassigned,
      ]);
      const view = await t.http().get(`/api/v1/care-orders/${unassigned}`).set(auth(dispatcher)).expect(200);
      expect(view.body).toMatchObject({ status: 'unassigned', unassignedReason: 'NO_CAPACITY' });
      await t
        .http()
        .post(`/api/v1/care-orders/${unassigned}/cancel`)
        .set(auth(dispatcher))
        .send({ reason: 'x' })
        .expect(200);
    });

    it('flagged=true lists visits whose check-in was flagged', async () => {
      const res = await t.http().get('/api/v1/care-orders?flagged=true&limit=500').set(auth(dispatcher)).expect(200);
      expect(res.body.total).toBeGreaterThan(0);
      expect(res.body.items.every((o: { flags: string[] }) => o.flags.length > 0)).toBe(true);
    });

    it('malformed ids are 400, unknown ids 404', async () => {
      await t.http().post('/api/v1/care-orders/nope/accept').set(auth(dispatcher)).expect(400);
      await t
        .http()
        .post('/api/v1/care-orders/00000000-0000-4000-8000-000000000000/accept')
        .set(auth(dispatcher))
        .expect(404);
    });
  });
});
