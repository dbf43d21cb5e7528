/**
 * The check-in paragraph of the contract, as the caregiver app's offline queue uses it: who acted (proxy), the
 * phone's time of an action sent later (recordedAt, clock), no position (no_location), and one Idempotency-Key per
 * action so a replayed action is done exactly once and never answers 409 for having been done already.
 */
import { auth, createTestApp, type TestContext } from '@care/testing';
import { SEAT, assignInSql, at, countyDay, createCaregiver, createServicePoint, insertResident } from './support';
import { buildApp } from '@test/apps';

const HOUR = 3600_000;
const sub = (token: string): string =>
  (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as { sub: string }).sub;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
// views give times to the second (toCountyIso)
const ms = (iso: string | null) => (iso === null ? null : Math.floor(Date.parse(iso) / 1000) * 1000);

describe('care orders: offline actions (proxy, recordedAt/clock, no_location, per-action idempotency)', () => {
  let t: TestContext;
  let dispatcher: string;
  let caregiver: string;
  let caregiverToken: string;
  let resident: string;
  const day = countyDay(0);

  /** An order for today assigned to the caregiver (in SQL, as the dispatcher would). */
  const assigned = async (): Promise<string> => {
    const res = await t
      .http()
      .post('/api/v1/care-orders')
      .set(auth(dispatcher))
      .send({
        residentId: resident,
        services: ['health_check'],
        windowStart: at(countyDay(1), '09:00'),
        windowEnd: at(countyDay(1), '17:00'),
      })
      .expect(202);
    const id = res.body.id as string;
    await assignInSql(t.db, id, caregiver, at(day, '10:00'), at(day, '10:30'));
    return id;
  };
  const post = (token: string, id: string, action: string, body: object = {}, key?: string) => {
    const req = t.http().post(`/api/v1/care-orders/${id}/${action}`).set(auth(token));
    if (key) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const visits = async (id: string): Promise<number> =>
    Number(
      ((await t.db.query('SELECT COUNT(*) AS n FROM care_visits WHERE order_id = ?', [id])) as { n: number }[])[0].n,
    );

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'offlineacts');
    dispatcher = await t.userToken('dispatcher');
    const sp = await createServicePoint(t);
    caregiver = await createCaregiver(t, sp, { name: '丙' });
    caregiverToken = await t.userToken('caregiver', { caregiverId: caregiver });
    resident = await insertResident(t.db, { categories: ['destitute'] });
  });
  afterAll(() => t.close());

  describe('proxy', () => {
    it('the assigned caregiver checks in and out: recorded with its own user, no proxy flag', async () => {
      const id = await assigned();
      await post(caregiverToken, id, 'accept').expect(200);
      const inn = await post(caregiverToken, id, 'check-in', SEAT).expect(200);
      expect(inn.body.flags).not.toContain('proxy');
      expect(inn.body.visit.checkedInBy).toBe(sub(caregiverToken));
      const out = await post(caregiverToken, id, 'check-out', { servicesDone: ['health_check'] }).expect(200);
      expect(out.body.flags).not.toContain('proxy');
      expect(out.body.visit.checkedOutBy).toBe(sub(caregiverToken));
    });

    it('a dispatcher (or admin) checking in and out for the caregiver: kept, recorded with its actor, flagged proxy', async () => {
      const id = await assigned();
      const accepted = await post(dispatcher, id, 'accept').expect(200);
      expect(accepted.body.acceptedBy).toBe(sub(dispatcher));
      const inn = await post(dispatcher, id, 'check-in', SEAT).expect(200);
      expect(inn.body.flags).toContain('proxy');
      expect(inn.body.visit.checkedInBy).toBe(sub(dispatcher));
      expect(inn.body.caregiverId).toBe(caregiver);
      const out = await post(t.adminToken, id, 'check-out', { servicesDone: ['health_check'] }).expect(200);
      expect(out.body.flags).toContain('proxy');
      expect(out.body.visit.checkedOutBy).toBe(sub(t.adminToken));
      const flagged = await t
        .http()
        .get('/api/v1/care-orders')
        .query({ flagged: 'true', caregiverId: caregiver })
        .set(auth(dispatcher))
        .expect(200);
      expect(flagged.body.items.map((o: { id: string }) => o.id)).toContain(id);
    });

    it('a proxy check-in stays flagged after the caregiver’s own check-out', async () => {
      const id = await assigned();
      await post(caregiverToken, id, 'accept').expect(200);
      await post(dispatcher, id, 'check-in', SEAT).expect(200);
      const out = await post(caregiverToken, id, 'check-out', { servicesDone: ['health_check'] }).expect(200);
      expect(out.body.flags).toContain('proxy');
    });
  });

  describe('no_location', () => {
    it('a check-in without a position stores no position and is flagged no_location', async () => {
      const id = await assigned();
      await post(caregiverToken, id, 'accept').expect(200);
      const inn = await post(caregiverToken, id, 'check-in', { recordedAt: ago(60_000) }).expect(200);
      expect(inn.body.flags).toContain('no_location');
      expect(inn.body.visit).toMatchObject({ checkInLat: null, checkInLng: null, checkInDistanceMeters: null });
    });
  });

  describe('recordedAt (the phone time of an action sent later)', () => {
    it('believable (2 hours old): the visit is dated by the phone, the server time kept beside it, no clock flag', async () => {
      const id = await assigned();
      const acceptAt = ago(3 * HOUR);
      const inAt = ago(2 * HOUR);
      const outAt = ago(90 * 60_000);
      const before = Date.now();
      const accepted = await post(caregiverToken, id, 'accept', { recordedAt: acceptAt }).expect(200);
      expect(ms(accepted.body.acceptedAt)).toBe(ms(acceptAt));
      expect(ms(accepted.body.acceptRecordedAt)).toBe(ms(acceptAt));
      const inn = await post(caregiverToken, id, 'check-in', { ...SEAT, recordedAt: inAt }).expect(200);
      const out = await post(caregiverToken, id, 'check-out', {
        servicesDone: ['health_check'],
        recordedAt: outAt,
      }).expect(200);
      expect(out.body.flags).not.toContain('clock');
      expect(ms(out.body.checkInAt)).toBe(ms(inAt));
      expect(ms(out.body.checkOutAt)).toBe(ms(outAt));
      expect(ms(out.body.completedAt)).toBe(ms(outAt));
      expect(ms(out.body.visit.checkInRecordedAt)).toBe(ms(inAt));
      expect(ms(out.body.visit.checkOutRecordedAt)).toBe(ms(outAt));
      expect(ms(inn.body.visit.checkInReceivedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(ms(out.body.visit.checkOutReceivedAt)).toBeGreaterThanOrEqual(before - 1000);
    });

    it('more than 24 hours old: kept, flagged clock, dated by the server, the phone time kept', async () => {
      const id = await assigned();
      await post(caregiverToken, id, 'accept').expect(200);
      const stale = ago(25 * HOUR);
      const before = Date.now();
      const inn = await post(caregiverToken, id, 'check-in', { ...SEAT, recordedAt: stale }).expect(200);
      expect(inn.body.flags).toContain('clock');
      expect(ms(inn.body.visit.checkInRecordedAt)).toBe(ms(stale));
      expect(ms(inn.body.checkInAt)).toBeGreaterThanOrEqual(before - 1000);
    });

    it('in the future: a few minutes of skew pass, an hour is flagged clock (at check-out too)', async () => {
      const id = await assigned();
      await post(caregiverToken, id, 'accept').expect(200);
      const inn = await post(caregiverToken, id, 'check-in', { ...SEAT, recordedAt: ago(-2 * 60_000) }).expect(200);
      expect(inn.body.flags).not.toContain('clock');
      const out = await post(caregiverToken, id, 'check-out', {
        servicesDone: ['health_check'],
        recordedAt: ago(-HOUR),
      }).expect(200);
      expect(out.body.flags).toContain('clock');
    });

    it('400 for a recordedAt that is not a date-time with an offset', async () => {
      const id = await assigned();
      const res = await post(caregiverToken, id, 'accept', { recordedAt: '2026-12-01 09:00' }).expect(400);
      expect(JSON.stringify(res.body.message)).toContain('recordedAt');
    });
  });

  describe('Idempotency-Key per action', () => {
    it('a replayed action gets the first answer, even after the order moved on; the visit is recorded once', async () => {
      const id = await assigned();
      const recordedAt = ago(30 * 60_000);
      const accept = await post(caregiverToken, id, 'accept', { recordedAt }, 'acc-1').expect(200);
      const inn = await post(caregiverToken, id, 'check-in', { ...SEAT, recordedAt }, 'in-1').expect(200);
      const out = await post(caregiverToken, id, 'check-out', { servicesDone: ['health_check'] }, 'out-1').expect(200);
      // the phone never saw the answers and sends the whole queue again
      const accept2 = await post(caregiverToken, id, 'accept', { recordedAt }, 'acc-1').expect(200);
      const inn2 = await post(caregiverToken, id, 'check-in', { ...SEAT, recordedAt }, 'in-1').expect(200);
      const out2 = await post(caregiverToken, id, 'check-out', { servicesDone: ['health_check'] }, 'out-1').expect(200);
      expect(accept2.body).toEqual(accept.body);
      expect(inn2.body).toEqual(inn.body);
      expect(out2.body).toEqual(out.body);
      expect(inn2.headers['idempotent-replayed']).toBe('true');
      expect(inn.headers['idempotent-replayed']).toBeUndefined();
      expect(await visits(id)).toBe(1);
      const order = await t.http().get(`/api/v1/care-orders/${id}`).set(auth(dispatcher)).expect(200);
      expect(order.body.status).toBe('completed');
      expect(order.body.version).toBe(out.body.version);
      // without a key, an action already done is still 409 INVALID_TRANSITION
      expect((await post(caregiverToken, id, 'check-in', SEAT).expect(409)).body.code).toBe('INVALID_TRANSITION');
    });

    it('the same key with another body, another order or another action → 409 IDEMPOTENCY_KEY_REUSED', async () => {
      const id = await assigned();
      const other = await assigned();
      await post(caregiverToken, id, 'accept', {}, 'acc-2').expect(200);
      expect((await post(caregiverToken, other, 'accept', {}, 'acc-2').expect(409)).body.code).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      expect((await post(caregiverToken, id, 'check-in', SEAT, 'acc-2').expect(409)).body.code).toBe(
        'IDEMPOTENCY_KEY_REUSED',
      );
      await post(caregiverToken, id, 'check-in', SEAT, 'in-2').expect(200);
      const moved = await post(caregiverToken, id, 'check-in', { lat: SEAT.lat + 0.01, lng: SEAT.lng }, 'in-2').expect(
        409,
      );
      expect(moved.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('a failed action stores nothing: its key may be used again once the action is possible', async () => {
      const id = await assigned();
      // check-in before accepting: 409 INVALID_TRANSITION, key not kept
      expect((await post(caregiverToken, id, 'check-in', SEAT, 'in-3').expect(409)).body.code).toBe(
        'INVALID_TRANSITION',
      );
      await post(caregiverToken, id, 'accept', {}, 'acc-3').expect(200);
      await post(caregiverToken, id, 'check-in', SEAT, 'in-3').expect(200);
    });

    it('8 concurrent check-ins with one key: one check-in, every answer the same', async () => {
      const id = await assigned();
      await post(caregiverToken, id, 'accept', {}, 'acc-4').expect(200);
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => post(caregiverToken, id, 'check-in', SEAT, 'in-4')),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(8).fill(200));
      for (const r of answers) expect(r.body).toEqual(answers[0].body);
      expect(await visits(id)).toBe(1);
      const order = await t.http().get(`/api/v1/care-orders/${id}`).set(auth(dispatcher)).expect(200);
      expect(order.body.status).toBe('in_progress');
      expect(order.body.version).toBe(answers[0].body.version);
    });

    it('a key belongs to its user: the dispatcher’s same key is its own', async () => {
      const id = await assigned();
      await post(caregiverToken, id, 'accept', {}, 'shared-key').expect(200);
      const other = await assigned();
      await post(dispatcher, other, 'accept', {}, 'shared-key').expect(200);
    });

    it('400 for a key that is not printable ASCII', async () => {
      const id = await assigned();
      await post(caregiverToken, id, 'accept', {}, 'x'.repeat(256)).expect(400);
    });
  });
});
