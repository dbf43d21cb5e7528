import { JobQueue } from '@care/core';
import { dispatchJobId } from '@care/care-orders';
import { auth, createTestApp, type TestContext } from '@care/testing';
import { at, countOrders, countyDay, insertResident } from './support';
import { buildApp } from '@test/apps';

/** POST /care-orders/batch: validated as a whole, written at once, one dispatch job, idempotent. */
describe('care orders: bulk intake', () => {
  let t: TestContext;
  let dispatcher: string;
  let residents: string[];
  let institutional: string;
  const day = countyDay(2);
  const order = (residentId: string, extra: Record<string, unknown> = {}) => ({
    residentId,
    services: ['health_check', 'safety_check'],
    windowStart: at(day, '09:00'),
    windowEnd: at(day, '17:00'),
    ...extra,
  });
  const post = (body: unknown, key?: string) => {
    const req = t.http().post('/api/v1/care-orders/batch').set(auth(dispatcher));
    return (key ? req.set('Idempotency-Key', key) : req).send(body as object);
  };

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'coBatch');
    dispatcher = await t.userToken('dispatcher');
    residents = [];
    for (let i = 0; i < 5; i++) residents.push(await insertResident(t.db, { name: `老人${i}` }));
    institutional = await insertResident(t.db, { livingArrangement: 'institution' });
  });
  afterAll(async () => t?.close());

  it('creates every order in the order given, pending, with one DispatchBatch job', async () => {
    const before = await countOrders(t.db);
    const body = {
      orders: [
        order(residents[0]),
        order(residents[1], { priority: 'urgent', notes: '独居' }),
        order(residents[2], { services: ['home_cleaning'], durationMinutes: 45 }),
      ],
    };
    const res = await post(body).expect(202);
    expect(res.body.ids).toHaveLength(3);
    expect(await countOrders(t.db)).toBe(before + 3);
    for (const [i, id] of (res.body.ids as string[]).entries()) {
      const got = await t.http().get(`/api/v1/care-orders/${id}`).set(auth(dispatcher)).expect(200);
      expect(got.body).toMatchObject({
        residentId: body.orders[i].residentId,
        status: 'pending',
        services: body.orders[i].services,
      });
    }
    const rows: { id: string; duration_minutes: number; priority: string; region_code: string }[] = await t.db.query(
      `SELECT id, duration_minutes, priority, region_code FROM care_orders WHERE id IN (?, ?, ?)`,
      res.body.ids,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(res.body.ids[1])?.priority).toBe('urgent');
    expect(Number(byId.get(res.body.ids[2])?.duration_minutes)).toBe(45);
    expect(byId.get(res.body.ids[0])?.region_code).toBe('620422100');

    const items: { order_id: string; batch_id: string }[] = await t.db.query(
      'SELECT batch_id, order_id FROM care_order_batch_items WHERE order_id IN (?, ?, ?) ORDER BY position',
      res.body.ids,
    );
    expect(items.map((i) => i.order_id)).toEqual(res.body.ids);
    expect(new Set(items.map((i) => i.batch_id)).size).toBe(1);
    const queue = t.app.get(JobQueue).queue('dispatch');
    const job = await queue.getJob(`DispatchBatch-${items[0].batch_id}`);
    expect(job?.data).toEqual({ batchId: items[0].batch_id });
    // urgent when any of its orders is
    expect(job?.opts.priority).toBe(1);
    // no per-order job: the batch is dispatched by one job
    for (const id of res.body.ids as string[]) expect(await queue.getJob(dispatchJobId(id, 0))).toBeUndefined();
  });

  it('refuses a batch with bad orders, naming each by index, and creates nothing', async () => {
    const before = await countOrders(t.db);
    const res = await post({
      orders: [
        order(residents[0]),
        order(residents[1], { services: ['flying'] }),
        order(residents[2]),
        order(institutional),
        order('00000000-0000-4000-8000-000000000000'),
        order(residents[3], { windowEnd: at(day, '08:00') }),
      ],
    }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.message).toMatch(/orders\[1\]\.services: unknown service code\(s\) flying/);
    expect(res.body.message).toMatch(/orders\[3\]\.residentId: RESIDENT_NOT_AT_HOME/);
    expect(res.body.message).toMatch(/orders\[4\]\.residentId: unknown resident/);
    expect(res.body.message).toMatch(/orders\[5\]\.windowEnd/);
    expect(res.body.message).not.toMatch(/orders\[0\]|orders\[2\]/);
    expect(await countOrders(t.db)).toBe(before);
  });

  it('refuses DTO errors by index, an empty batch and more than 1,000 orders', async () => {
    const dto = await post({
      orders: [order(residents[0]), { ...order(residents[1]), residentId: 'x', extra: 1 }],
    }).expect(400);
    expect(dto.body.message).toMatch(/orders\.1\.residentId/);
    expect(dto.body.message).toMatch(/orders\.1\.extra: property extra should not exist/);
    await post({ orders: [] }).expect(400);
    const tooMany = await post({ orders: Array.from({ length: 1001 }, () => order(residents[0])) }).expect(400);
    expect(tooMany.body.message).toMatch(/orders: must contain no more than 1000 elements/);
  });

  it('takes 1,000 orders at once', async () => {
    const before = await countOrders(t.db);
    const res = await post({
      orders: Array.from({ length: 1000 }, (_, i) => order(residents[i % residents.length])),
    }).expect(202);
    expect(res.body.ids).toHaveLength(1000);
    expect(new Set(res.body.ids).size).toBe(1000);
    expect(await countOrders(t.db)).toBe(before + 1000);
  });

  it('is idempotent with an Idempotency-Key: same body → same ids, another body → 409', async () => {
    const body = { orders: [order(residents[4]), order(residents[3])] };
    const first = await post(body, 'batch-key-1').expect(202);
    const before = await countOrders(t.db);
    const again = await post(body, 'batch-key-1').expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.ids).toEqual(first.body.ids);
    expect(await countOrders(t.db)).toBe(before);
    const other = await post({ orders: [order(residents[4])] }, 'batch-key-1').expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // concurrent requests with one key: one batch
    const both = await Promise.all([post(body, 'batch-key-2'), post(body, 'batch-key-2')]);
    expect(both.map((r) => r.status)).toEqual([202, 202]);
    expect(both[0].body.ids).toEqual(both[1].body.ids);
    expect(await countOrders(t.db)).toBe(before + 2);
    // a single order's key is not a batch's
    await t
      .http()
      .post('/api/v1/care-orders')
      .set(auth(dispatcher))
      .set('Idempotency-Key', 'batch-key-1')
      .send(order(residents[4]))
      .expect(409);
  });
});
