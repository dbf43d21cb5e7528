import { type DynamicModule, type INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type AppConfig, CoreModule, JobWorkerHost } from '@care/core';
import { DispatchModule, localDateOf } from '@care/dispatch';
import { idNumberCheckCharacter } from '@care/residents';
import { auth, createTestApp, type TestContext } from '@care/testing';
import { buildApp } from '../support/apps';

/**
 * The whole path through the api and the dispatcher: POST /care-orders → assigned by a dispatch worker (two of them
 * run) → the caregiver declines through the api → dispatched again to the other caregiver, never the decliner.
 */
@Module({})
class DispatchWorkerHost {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: DispatchWorkerHost, imports: [CoreModule.forRoot(config), DispatchModule] };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A valid resident ID number (GB 11643-1999) for a birth date and a sequence number. */
function idNumber(birth: string, seq: number): string {
  const first17 = `620422${birth}${String(seq).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

describe('dispatch through the api', () => {
  let ctx: TestContext;
  const workers: INestApplicationContext[] = [];

  beforeAll(async () => {
    ctx = await createTestApp(buildApp, 'dispatchhttp');
    for (let i = 0; i < 2; i++) {
      const w = await NestFactory.createApplicationContext(DispatchWorkerHost.forRoot(ctx.config), { logger: false });
      await w.get(JobWorkerHost).start(['dispatch'], { dispatch: 4 });
      workers.push(w);
    }
  });

  afterAll(async () => {
    for (const w of workers) await w.close();
    await ctx?.close();
  });

  it('assigns a posted order, and after a decline gives it to someone else', async () => {
    const admin = auth(ctx.adminToken);
    const seat = { lat: 35.6929, lng: 105.0466 };
    const sp = await ctx
      .http()
      .post('/api/v1/service-points')
      .set(admin)
      .send({ name: '会师镇服务站', regionCode: '620422100', ...seat })
      .expect(201);
    const caregiverIds: string[] = [];
    for (const name of ['王护理', '李护理']) {
      const res = await ctx
        .http()
        .post('/api/v1/caregivers')
        .set(admin)
        .send({
          name,
          phone: '13800000000',
          gender: 'female',
          servicePointId: sp.body.id,
          skills: ['housekeeping', 'health'],
          shiftStart: '08:00',
          shiftEnd: '18:00',
          maxDailyVisits: 6,
        })
        .expect(201);
      caregiverIds.push(res.body.id);
    }
    const resident = await ctx
      .http()
      .post('/api/v1/residents')
      .set(admin)
      .send({
        name: '张大爷',
        idNumber: idNumber('19450101', 1),
        regionCode: '620422100',
        livingArrangement: 'home',
        categories: ['destitute'],
        lat: seat.lat + 0.01,
        lng: seat.lng,
      })
      .expect(201);
    const date = localDateOf(Date.now() + 2 * 24 * 3600_000);
    const order = await ctx
      .http()
      .post('/api/v1/care-orders')
      .set(admin)
      .send({
        residentId: resident.body.id,
        services: ['health_check', 'safety_check'],
        windowStart: `${date}T09:00:00+08:00`,
        windowEnd: `${date}T12:00:00+08:00`,
      })
      .expect(202);
    const get = async () => (await ctx.http().get(`/api/v1/care-orders/${order.body.id}`).set(admin).expect(200)).body;
    const waitFor = async (ok: (o: Record<string, unknown>) => boolean) => {
      for (let i = 0; i < 300; i++) {
        const o = await get();
        if (ok(o)) return o;
        await sleep(100);
      }
      throw new Error(`order stuck: ${JSON.stringify(await get())}`);
    };

    const first = await waitFor((o) => o.status === 'assigned');
    expect(caregiverIds).toContain(first.caregiverId);
    // 1.11 km × 1.3 to an urban home: 4.34 → 5 min from the service point; shift 08:00, window 09:00 → 09:00
    expect(first.plannedStart).toBe(`${date}T09:00:00+08:00`);
    expect(first.plannedEnd).toBe(`${date}T09:30:00+08:00`);
    expect(first.travelMinutes).toBe(5);

    const caregiverToken = await ctx.userToken('caregiver', { caregiverId: first.caregiverId as string });
    await ctx
      .http()
      .post(`/api/v1/care-orders/${order.body.id}/decline`)
      .set(auth(caregiverToken))
      .send({ reason: '生病' })
      .expect(200);
    const second = await waitFor((o) => o.status === 'assigned' && o.caregiverId !== first.caregiverId);
    expect(caregiverIds).toContain(second.caregiverId);

    const otherToken = await ctx.userToken('caregiver', { caregiverId: second.caregiverId as string });
    await ctx
      .http()
      .post(`/api/v1/care-orders/${order.body.id}/decline`)
      .set(auth(otherToken))
      .send({ reason: '太远' })
      .expect(200);
    const last = await waitFor((o) => o.status === 'unassigned');
    expect(last.unassignedReason).toBe('NO_CAPACITY');
  });

  it('dispatches a bulk intake by its one job: every order decided, urgent ones first', async () => {
    const admin = auth(ctx.adminToken);
    // far from the first test's caregivers (outside their service circle): only the one below can serve these
    const seat = { lat: 36.2, lng: 104.6 };
    const sp = await ctx
      .http()
      .post('/api/v1/service-points')
      .set(admin)
      .send({ name: '北山服务站', regionCode: '620422101', ...seat })
      .expect(201);
    await ctx
      .http()
      .post('/api/v1/caregivers')
      .set(admin)
      .send({
        name: '赵护理',
        phone: '13800000001',
        gender: 'female',
        servicePointId: sp.body.id,
        skills: ['housekeeping', 'health'],
        shiftStart: '08:00',
        shiftEnd: '18:00',
        maxDailyVisits: 2,
      })
      .expect(201);
    const residentIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await ctx
        .http()
        .post('/api/v1/residents')
        .set(admin)
        .send({
          name: `批量${i}`,
          idNumber: idNumber('19440101', 10 + i),
          regionCode: '620422101',
          livingArrangement: 'home',
          categories: ['destitute'],
          lat: seat.lat + 0.005 * i,
          lng: seat.lng,
        })
        .expect(201);
      residentIds.push(r.body.id);
    }
    const date = localDateOf(Date.now() + 3 * 24 * 3600_000);
    const body = (residentId: string, priority: 'normal' | 'urgent') => ({
      residentId,
      services: ['health_check'],
      windowStart: `${date}T09:00:00+08:00`,
      windowEnd: `${date}T17:00:00+08:00`,
      priority,
    });
    // two slots (the caregiver's cap) for four orders: the two urgent ones, last in the batch, get them
    const res = await ctx
      .http()
      .post('/api/v1/care-orders/batch')
      .set(admin)
      .send({
        orders: [
          body(residentIds[0], 'normal'),
          body(residentIds[1], 'normal'),
          body(residentIds[2], 'urgent'),
          body(residentIds[3], 'urgent'),
        ],
      })
      .expect(202);
    const ids = res.body.ids as string[];
    const statuses = async () =>
      Promise.all(
        ids.map(
          async (id) =>
            (await ctx.http().get(`/api/v1/care-orders/${id}`).set(admin).expect(200)).body as Record<string, unknown>,
        ),
      );
    let orders = await statuses();
    for (let i = 0; i < 300 && orders.some((o) => o.status === 'pending'); i++) {
      await sleep(100);
      orders = await statuses();
    }
    expect(orders.map((o) => o.status)).toEqual(['unassigned', 'unassigned', 'assigned', 'assigned']);
  });
});
