import type { INestApplicationContext } from '@nestjs/common';
import { CURRENT_MONTH, VisitPlansService, dispatchJobId, latestElderBirthDate } from '@care/care-orders';
import { countyMonth, JobQueue, scheduleIdOf } from '@care/core';
import { auth, createTestApp, type TestContext } from '@care/testing';
import { RURAL, URBAN, countOrders, insertResident } from './support';
import { buildApp, createDispatcher } from '@test/apps';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('visit plans', () => {
  let t: TestContext;
  let worker: INestApplicationContext;
  let dispatcher: string;
  const month = countyMonth(new Date(), 2);
  const eligible: Record<string, string> = {};

  /** POST /visit-plans/generate, then wait for the dispatcher's planning worker to finish the job. */
  async function generate(body: { month: string; regionCode?: string }): Promise<unknown> {
    const res = await t.http().post('/api/v1/visit-plans/generate').set(auth(dispatcher)).send(body).expect(202);
    expect(res.body.jobId).toEqual(expect.any(String));
    const queue = t.app.get(JobQueue).queue('planning');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const job = await queue.getJob(res.body.jobId);
      const state = await job?.getState();
      // the job read before getState may predate its completion: read it again for the return value
      if (state === 'completed') return (await queue.getJob(res.body.jobId))?.returnvalue;
      if (state === 'failed') throw new Error(`GenerateVisitPlans failed: ${job?.failedReason}`);
      await sleep(100);
    }
    throw new Error('GenerateVisitPlans did not finish');
  }

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'visitplans');
    worker = await createDispatcher(t.config, ['planning']);
    dispatcher = await t.userToken('dispatcher');
    eligible.urbanDestitute = await insertResident(t.db, {
      regionCode: URBAN,
      categories: ['destitute', 'living_alone'],
    });
    eligible.ruralHardship = await insertResident(t.db, {
      regionCode: RURAL,
      categories: ['economic_hardship'],
      lat: 35.9,
      lng: 105.1,
    });
    eligible.both = await insertResident(t.db, { regionCode: URBAN, categories: ['destitute', 'economic_hardship'] });
    // turns 60 on the last day of the month: an elder that month
    eligible.turning60 = await insertResident(t.db, {
      regionCode: URBAN,
      categories: ['destitute'],
      birthDate: latestElderBirthDate(month),
    });
    // not eligible
    await insertResident(t.db, { regionCode: URBAN, categories: ['destitute'], livingArrangement: 'institution' });
    await insertResident(t.db, { regionCode: URBAN, categories: ['low_income', 'living_alone'] });
    await insertResident(t.db, { regionCode: URBAN, categories: [] });
    const [y, m] = latestElderBirthDate(month).split('-');
    await insertResident(t.db, { regionCode: URBAN, categories: ['destitute'], birthDate: `${Number(y) + 1}-${m}-01` });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('the dispatcher registers its planning schedulers at start: visit plans, key prune, expired offers (upserts)', async () => {
    const queue = t.app.get(JobQueue).queue('planning');
    const schedulers = await queue.getJobSchedulers();
    const [prune, offers, plans] = ['PruneIdempotencyKeys', 'ReleaseExpiredOffers', 'GenerateVisitPlans'] as const;
    expect(schedulers.map((s) => s.key).sort()).toEqual(
      [scheduleIdOf(prune), scheduleIdOf(offers), scheduleIdOf(plans)].sort(),
    );
    expect(schedulers.find((s) => s.key === scheduleIdOf(plans))).toMatchObject({
      name: plans,
      pattern: t.config.visitPlans.cron,
      tz: 'Asia/Shanghai',
    });
    // the scheduled job carries the sentinel that the visit plans read as the month it runs in
    const template = await queue.getJobScheduler(scheduleIdOf(plans));
    expect(template?.template?.data).toEqual({ month: CURRENT_MONTH });
    expect(schedulers.find((s) => s.key === scheduleIdOf(prune))).toMatchObject({
      name: prune,
      pattern: '0 17 * * * *',
    });
    expect(schedulers.find((s) => s.key === scheduleIdOf(offers))).toMatchObject({ name: offers, every: 300_000 });
  });

  it('400 for a bad or past month and an unknown region; 403 for bureau and caregivers', async () => {
    const bad = await t
      .http()
      .post('/api/v1/visit-plans/generate')
      .set(auth(dispatcher))
      .send({ month: '2027-13', extra: 1 })
      .expect(400);
    expect(bad.body.message).toMatch(/month/);
    expect(bad.body.message).toMatch(/extra/);
    const past = await t
      .http()
      .post('/api/v1/visit-plans/generate')
      .set(auth(dispatcher))
      .send({ month: '2020-01' })
      .expect(400);
    expect(past.body.message).toMatch(/month: 2020-01 is over/);
    const region = await t
      .http()
      .post('/api/v1/visit-plans/generate')
      .set(auth(dispatcher))
      .send({ month, regionCode: '999' })
      .expect(400);
    expect(region.body.message).toMatch(/regionCode/);
    await t
      .http()
      .post('/api/v1/visit-plans/generate')
      .set(auth(await t.userToken('bureau')))
      .send({ month })
      .expect(403);
    await t.http().post('/api/v1/visit-plans/generate').send({ month }).expect(401);
  });

  it('a region only: three visits for each eligible elder there', async () => {
    const result = await generate({ month, regionCode: RURAL });
    expect(result).toMatchObject({ month, regionCode: RURAL, eligible: 1, created: 3, existing: 0 });
    expect(await countOrders(t.db, 'visit_plan_month = ?', [month])).toBe(3);
  });

  it('the whole county: three visits a month, one per third, 09:00–17:00, the checks plus one rotating service', async () => {
    const result = await generate({ month });
    expect(result).toMatchObject({ month, eligible: 4, created: 9, existing: 3, skipped: 0 });
    const res = await t
      .http()
      .get(`/api/v1/care-orders?visitPlanMonth=${month}&limit=500`)
      .set(auth(dispatcher))
      .expect(200);
    expect(res.body.total).toBe(12);
    const byResident = new Map<
      string,
      {
        windowStart: string;
        windowEnd: string;
        services: string[];
        visitSlot: number;
        status: string;
        source: string;
      }[]
    >();
    for (const o of res.body.items) byResident.set(o.residentId, [...(byResident.get(o.residentId) ?? []), o]);
    expect([...byResident.keys()].sort()).toEqual(Object.values(eligible).sort());
    const lastDay = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
    for (const orders of byResident.values()) {
      const sorted = [...orders].sort((a, b) => a.visitSlot - b.visitSlot);
      expect(sorted.map((o) => o.visitSlot)).toEqual([1, 2, 3]);
      expect(sorted.map((o) => [o.windowStart, o.windowEnd])).toEqual([
        [`${month}-01T09:00:00+08:00`, `${month}-10T17:00:00+08:00`],
        [`${month}-11T09:00:00+08:00`, `${month}-20T17:00:00+08:00`],
        [`${month}-21T09:00:00+08:00`, `${month}-${lastDay}T17:00:00+08:00`],
      ]);
      for (const o of sorted) {
        expect(o.services.slice(0, 2)).toEqual(['health_check', 'safety_check']);
        expect(o).toMatchObject({ status: 'pending', source: 'visit_plan' });
      }
      expect(sorted.map((o) => o.services[2]).sort()).toEqual(['home_cleaning', 'laundry', 'personal_hygiene']);
    }
    // every new order is on its way to dispatch: one DispatchBatch job per batch, holding the batch's orders
    const queue = t.app.get(JobQueue).queue('dispatch');
    const batches: { batch_id: string; order_id: string }[] = await t.db.query(
      `SELECT i.batch_id, i.order_id FROM care_order_batch_items i JOIN care_order_batches b ON b.id = i.batch_id
        WHERE b.source = 'visit_plan'`,
    );
    expect(batches.map((b) => b.order_id).sort()).toEqual(res.body.items.map((o: { id: string }) => o.id).sort());
    for (const batchId of new Set(batches.map((b) => b.batch_id))) {
      expect(await queue.getJob(`DispatchBatch-${batchId}`)).toBeDefined();
    }
    for (const o of res.body.items) expect(await queue.getJob(dispatchJobId(o.id, 0))).toBeUndefined();
  });

  it('run again, or twice at once: nothing new', async () => {
    const before = await countOrders(t.db);
    const again = await generate({ month });
    expect(again).toMatchObject({ created: 0, existing: 12 });
    const plans = t.app.get(VisitPlansService);
    const both = await Promise.all([plans.generate(month), plans.generate(month)]);
    expect(both.map((r) => r.created)).toEqual([0, 0]);
    expect(await countOrders(t.db)).toBe(before);
    const services: { n: string }[] = await t.db.query(
      'SELECT COUNT(*) AS n FROM care_order_services s JOIN care_orders o ON o.id = s.order_id WHERE o.visit_plan_month = ?',
      [month],
    );
    expect(Number(services[0].n)).toBe(36);
  });

  it('two first runs at once for a new month create each visit once', async () => {
    const next = countyMonth(new Date(), 3);
    const plans = t.app.get(VisitPlansService);
    const [a, b] = await Promise.all([plans.generate(next), plans.generate(next)]);
    expect(a.created + b.created).toBe(12);
    expect(await countOrders(t.db, 'visit_plan_month = ?', [next])).toBe(12);
  });
});
