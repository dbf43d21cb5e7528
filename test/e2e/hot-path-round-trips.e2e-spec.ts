/**
 * Holds the hot write paths to their round trips (issue 14): every command the api's mysql2 connections send while
 * one request runs is counted (a multi-statement query is one round trip), split into the hot-path pool's (the
 * transaction on SqlTransactionRunner: the locking reads in one round trip, the writes with COMMIT in another) and
 * everything else (TypeORM's pool: the checks before the transaction). Each request follows a warm-up call with the
 * same token (the auth guard's user cache, read before the audit scope opens, is not counted anyway).
 */
import { createRequire } from 'node:module';
import { auditContext } from '@care/core';
import { auth, createTestApp, type TestContext } from '@care/testing';
import {
  SEAT,
  assignInSql,
  at,
  countyDay,
  createCaregiver,
  createServicePoint,
  insertResident,
} from '@care/care-orders/test-support';
import { API, createBed, createFacility, createResident } from './support/care-homes';
import { buildApp } from '../support/apps';

interface Counts {
  hot: number;
  other: number;
}

/**
 * Counts mysql2 commands (Query, Execute) per pool, from `start` until `stop`, sent on behalf of an audited write
 * request (the request's audit scope is current): the dispatch worker's jobs in the background are not counted.
 */
function commandCounter() {
  const load = createRequire(require.resolve('mysql2'));
  const { prototype } = load('./lib/base/connection.js') as { prototype: { addCommand(cmd: unknown): unknown } };
  const original = prototype.addCommand;
  let counting = false;
  const counts: Counts = { hot: 0, other: 0 };
  prototype.addCommand = function (this: { config?: { multipleStatements?: boolean } }, cmd: unknown) {
    const kind = (cmd as { constructor?: { name?: string } })?.constructor?.name;
    if (counting && (kind === 'Query' || kind === 'Execute') && auditContext.current()?.kind === 'write') {
      if (this.config?.multipleStatements) counts.hot++;
      else counts.other++;
    }
    return original.call(this, cmd);
  };
  return {
    start() {
      counts.hot = 0;
      counts.other = 0;
      counting = true;
    },
    stop(): Counts {
      counting = false;
      return { ...counts };
    },
    restore() {
      prototype.addCommand = original;
    },
  };
}

describe('hot paths: round trips per request', () => {
  let t: TestContext;
  let counter: ReturnType<typeof commandCounter>;
  let facility: string;
  let manager: string;
  let dispatcher: string;
  let caregiverToken: string;
  let caregiver: string;
  const measured: Record<string, Counts> = {};

  /** Runs `request` once with the counter on, after `warm` (same token, so the user is cached). */
  const measure = async <T>(name: string, warm: () => Promise<unknown>, request: () => Promise<T>): Promise<T> => {
    await warm();
    counter.start();
    try {
      return await request();
    } finally {
      measured[name] = counter.stop();
    }
  };

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'hotpath');
    counter = commandCounter();
    facility = await createFacility(t, { name: '会师镇敬老院', type: 'nursing_home' });
    manager = await t.userToken('manager', { facilityIds: [facility] });
    dispatcher = await t.userToken('dispatcher');
    const sp = await createServicePoint(t);
    caregiver = await createCaregiver(t, sp, { name: '丙' });
    caregiverToken = await t.userToken('caregiver', { caregiverId: caregiver });
  });
  afterAll(async () => {
    counter.restore();
    // the figures the README quotes
    console.log(`round trips per request (hot-path transaction + other): ${JSON.stringify(measured)}`);
    await t.close();
  });

  it('admission: 2 round trips for its transaction (locking reads, then writes with COMMIT)', async () => {
    // the hot pool's first connection sets its session up (isolation, statement limit) once: not per transaction
    const first = await createResident(t, { facilityId: facility });
    const firstBed = await createBed(t, facility, { room: '100', label: '1', type: 'nursing' });
    await t
      .http()
      .post(`${API}/facilities/${facility}/admissions`)
      .set(auth(manager))
      .send({ residentId: first.id, bedId: firstBed })
      .expect(201);
    const resident = await createResident(t, { facilityId: facility });
    const bed = await createBed(t, facility, { room: '101', label: '1', type: 'nursing' });
    const warm = () => t.http().get(`${API}/facilities/${facility}/beds`).set(auth(manager)).expect(200);
    const res = await measure('admission', warm, () =>
      t
        .http()
        .post(`${API}/facilities/${facility}/admissions`)
        .set(auth(manager))
        .send({ residentId: resident.id, bedId: bed }),
    );
    expect(res.status).toBe(201);
    expect(measured.admission).toEqual({ hot: 2, other: 0 });
  });

  it('transfer and discharge: 2 round trips each', async () => {
    const resident = await createResident(t, { facilityId: facility });
    const [from, to] = [
      await createBed(t, facility, { room: '102', label: '1', type: 'nursing' }),
      await createBed(t, facility, { room: '102', label: '2', type: 'nursing' }),
    ];
    const stay = await t
      .http()
      .post(`${API}/facilities/${facility}/admissions`)
      .set(auth(manager))
      .send({ residentId: resident.id, bedId: from })
      .expect(201);
    const stayId = stay.body.id as string;
    const warm = () => t.http().get(`${API}/stays/${stayId}`).set(auth(manager)).expect(200);
    const moved = await measure('transfer', warm, () =>
      t.http().post(`${API}/stays/${stayId}/transfer`).set(auth(manager)).send({ bedId: to }),
    );
    expect(moved.status).toBe(200);
    expect(moved.body.bedId).toBe(to);
    expect(measured.transfer).toEqual({ hot: 2, other: 0 });
    const left = await measure('discharge', warm, () =>
      t.http().post(`${API}/stays/${stayId}/discharge`).set(auth(manager)).send({ reason: 'returned_home' }),
    );
    expect(left.status).toBe(200);
    expect(left.body.status).toBe('discharged');
    expect(measured.discharge).toEqual({ hot: 2, other: 0 });
  });

  it('POST /care-orders: 2 round trips, with or without an Idempotency-Key; check-in and check-out: 3 each', async () => {
    const resident = await insertResident(t.db, { categories: ['destitute'] });
    const day = countyDay(0);
    const order = {
      residentId: resident,
      services: ['health_check'],
      windowStart: at(countyDay(1), '09:00'),
      windowEnd: at(countyDay(1), '17:00'),
    };
    // the service catalogue is cached per process: the first order reads it
    await t.http().post('/api/v1/care-orders').set(auth(dispatcher)).send(order).expect(202);
    const warmDispatcher = () => t.http().get('/api/v1/care-orders?limit=1').set(auth(dispatcher)).expect(200);
    const created = await measure('careOrder', warmDispatcher, () =>
      t.http().post('/api/v1/care-orders').set(auth(dispatcher)).send(order),
    );
    expect(created.status).toBe(202);
    expect(measured.careOrder).toEqual({ hot: 2, other: 0 });
    // with an Idempotency-Key: its row goes in the transaction's first round trip, no look-up before it
    const keyed = await measure('careOrderWithKey', warmDispatcher, () =>
      t.http().post('/api/v1/care-orders').set(auth(dispatcher)).set('Idempotency-Key', 'rt-key-1').send(order),
    );
    expect(keyed.status).toBe(202);
    expect(measured.careOrderWithKey).toEqual({ hot: 2, other: 0 });
    // a replay costs the failed first round trip (the key's duplicate), its ROLLBACK and the key's read
    const replayed = await t
      .http()
      .post('/api/v1/care-orders')
      .set(auth(dispatcher))
      .set('Idempotency-Key', 'rt-key-1')
      .send(order)
      .expect(202);
    expect(replayed.body.id).toBe(keyed.body.id);
    const id = created.body.id as string;
    await assignInSql(t.db, id, caregiver, at(day, '10:00'), at(day, '10:30'));
    const warmCaregiver = () => t.http().get(`/api/v1/care-orders/${id}`).set(auth(caregiverToken)).expect(200);
    await t.http().post(`/api/v1/care-orders/${id}/accept`).set(auth(caregiverToken)).send({}).expect(200);

    const inn = await measure('checkIn', warmCaregiver, () =>
      t
        .http()
        .post(`/api/v1/care-orders/${id}/check-in`)
        .set(auth(caregiverToken))
        .set('Idempotency-Key', `in-${id}`)
        .send(SEAT),
    );
    expect(inn.status).toBe(200);
    expect(inn.body.status).toBe('in_progress');
    // the key's row is the transaction's first statement: no look-up before it
    expect(measured.checkIn).toEqual({ hot: 3, other: 0 });

    const out = await measure('checkOut', warmCaregiver, () =>
      t
        .http()
        .post(`/api/v1/care-orders/${id}/check-out`)
        .set(auth(caregiverToken))
        .send({ servicesDone: ['health_check'], vitals: { systolic: 130, diastolic: 80 } }),
    );
    expect(out.status).toBe(200);
    expect(out.body.status).toBe('completed');
    expect(out.body.visit.vitals).toEqual({ systolic: 130, diastolic: 80 });
    expect(measured.checkOut).toEqual({ hot: 3, other: 0 });
  });
});
