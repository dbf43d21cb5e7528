import { addMonthsCountyTime, countyIso, DAY_MS } from '@care/core/time';
import { auth, createTestApp, type TestContext } from '@care/testing';
import { ITEM_KEYS, itemsForTotal } from './rules';
import { buildApp } from '@test/apps';

/** A valid ID number (GB 11643-1999) for the county, born on `birth` (YYYYMMDD), sequence `seq` (odd male). */
function idNumber(birth: string, seq: number): string {
  const body = `620422${birth}${String(seq).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

/** A county-time ISO string `months` months (and `days` days) before now, to the minute. */
function ago(months: number, days = 0): string {
  const at = addMonthsCountyTime(new Date(), -months).getTime() - days * DAY_MS;
  return `${countyIso(at).slice(0, 17)}00+08:00`;
}

/** A caregiver user for a real caregiver (service point and caregiver made through the API). */
async function caregiverToken(t: TestContext): Promise<string> {
  const point = await t
    .http()
    .post('/api/v1/service-points')
    .set(auth(t.adminToken))
    .send({ name: '会师镇服务网点', regionCode: '620422100', lat: 35.69, lng: 105.05 });
  expect(point.status).toBe(201);
  const caregiver = await t
    .http()
    .post('/api/v1/caregivers')
    .set(auth(t.adminToken))
    .send({
      name: '护理员甲',
      phone: '13800000000',
      gender: 'female',
      servicePointId: point.body.id,
      skills: ['housekeeping'],
      shiftStart: '08:00',
      shiftEnd: '17:00',
      maxDailyVisits: 6,
    });
  expect(caregiver.status).toBe(201);
  return t.userToken('caregiver', { caregiverId: caregiver.body.id as string });
}

describe('assessments (GB/T 42195-2022)', () => {
  let t: TestContext;
  let seq = 1;
  let facilityA: string;
  let facilityB: string;
  let managerA: string;
  let managerB: string;
  let dispatcher: string;
  let bureau: string;
  let caregiver: string;

  const body = (over: Record<string, unknown> = {}) => ({
    assessedAt: ago(0, 1),
    assessors: ['王评估', '李评估'],
    reason: 'initial',
    items: itemsForTotal(90),
    conditions: { coma: false, dementia: false, mentalDisorder: false, riskEvents30d: { falls: 0 } },
    ...over,
  });

  async function facility(name: string): Promise<string> {
    const res = await t
      .http()
      .post('/api/v1/facilities')
      .set(auth(t.adminToken))
      .send({
        name,
        type: 'nursing_home',
        regionCode: '620422100',
        lat: 35.69,
        lng: 105.05,
        ownership: 'public',
        comprehensive: false,
      })
      .expect(201);
    return res.body.id as string;
  }

  async function resident(
    opts: { living?: 'home' | 'institution'; facilityId?: string; token?: string; birth?: string; name?: string } = {},
  ): Promise<string> {
    seq += 2;
    const res = await t
      .http()
      .post('/api/v1/residents')
      .set(auth(opts.token ?? t.adminToken))
      .send({
        name: opts.name ?? `老人${seq}`,
        idNumber: idNumber(opts.birth ?? '19450101', seq),
        regionCode: '620422100',
        livingArrangement: opts.living ?? 'institution',
        categories: [],
        ...(opts.facilityId ? { facilityId: opts.facilityId } : {}),
      });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'assessments');
    facilityA = await facility('甲敬老院');
    facilityB = await facility('乙敬老院');
    managerA = await t.userToken('manager', { facilityIds: [facilityA] });
    managerB = await t.userToken('manager', { facilityIds: [facilityB] });
    dispatcher = await t.userToken('dispatcher');
    bureau = await t.userToken('bureau');
    caregiver = await caregiverToken(t);
  });
  afterAll(() => t.close());

  describe('GET /assessments/items', () => {
    it('serves the catalogue to every role, 401 without a token', async () => {
      for (const token of [t.adminToken, bureau, managerA, dispatcher, caregiver]) {
        const res = await t.http().get('/api/v1/assessments/items').set(auth(token)).expect(200);
        expect(res.body.maxTotal).toBe(90);
        const items = res.body.dimensions.flatMap((d: { itemDefinitions: { key: string }[] }) => d.itemDefinitions);
        expect(items.map((i: { key: string }) => i.key)).toEqual([...ITEM_KEYS]);
      }
      const res = await t.http().get('/api/v1/assessments/items').set(auth(caregiver)).expect(200);
      const stairs = res.body.dimensions[1].itemDefinitions.find((i: { key: string }) => i.key === 'stairs');
      expect(stairs).toMatchObject({ zh: '上下楼梯', min: 0, max: 3 });
      expect(stairs.options).toHaveLength(4);
      await t.http().get('/api/v1/assessments/items').expect(401);
    });
  });

  describe('POST /residents/:id/assessments', () => {
    let rid: string;
    beforeAll(async () => {
      rid = await resident();
    });

    it('201 with scores, total, levels, levelName and validUntil = assessedAt + 12 months', async () => {
      const res = await t
        .http()
        .post(`/api/v1/residents/${rid}/assessments`)
        .set(auth(t.adminToken))
        .send(
          body({
            assessedAt: '2026-01-15T10:00:00+08:00',
            items: { ...itemsForTotal(90), eating: 2, stairs: 0, vision: 1 },
          }),
        )
        .expect(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        residentId: rid,
        standard: 'GB/T 42195-2022',
        scores: { selfCare: 30, mobility: 12, mentalState: 28, perceptionSocial: 14 },
        total: 84,
        preliminaryLevel: 1,
        level: 1,
        levelName: '轻度失能',
        levelNameFull: '能力轻度受损（轻度失能）',
        levelNameEn: 'mildly impaired',
        careGrade: 'half_care',
        assessedAt: '2026-01-15T10:00:00+08:00',
        validUntil: '2027-01-15T10:00:00+08:00',
        adjustmentReasons: [],
        assessors: ['王评估', '李评估'],
        reason: 'initial',
      });
    });

    it.each([
      [90, 0, '能力完好'],
      [89, 1, '轻度失能'],
      [66, 1, '轻度失能'],
      [65, 2, '中度失能'],
      [46, 2, '中度失能'],
      [45, 3, '重度失能'],
      [30, 3, '重度失能'],
      [29, 4, '完全失能'],
    ])('total %i → level %i (%s)', async (total, level, name) => {
      const res = await t
        .http()
        .post(`/api/v1/residents/${rid}/assessments`)
        .set(auth(t.adminToken))
        .send(body({ items: itemsForTotal(total) }))
        .expect(201);
      expect(res.body).toMatchObject({ total, preliminaryLevel: level, level, levelName: name });
    });

    it('applies the adjustment rules and keeps the reasons', async () => {
      const coma = await t
        .http()
        .post(`/api/v1/residents/${rid}/assessments`)
        .set(auth(t.adminToken))
        .send(body({ conditions: { coma: true } }))
        .expect(201);
      expect(coma.body).toMatchObject({ preliminaryLevel: 0, level: 4, careGrade: 'full_care' });
      expect(coma.body.adjustmentReasons.map((r: { code: string }) => r.code)).toEqual(['COMA']);

      const both = await t
        .http()
        .post(`/api/v1/residents/${rid}/assessments`)
        .set(auth(t.adminToken))
        .send(
          body({ items: itemsForTotal(70), conditions: { dementia: true, riskEvents30d: { falls: 1, choking: 1 } } }),
        )
        .expect(201);
      expect(both.body).toMatchObject({ preliminaryLevel: 1, level: 2 });
      expect(both.body.adjustmentReasons.map((r: { code: string }) => r.code)).toEqual([
        'DEMENTIA',
        'RISK_EVENTS_30D',
        'ONE_WORSE_NOT_CUMULATIVE',
      ]);
      expect(both.body.conditions).toEqual({
        coma: false,
        dementia: true,
        mentalDisorder: false,
        riskEvents30d: { falls: 1, wandering: 0, choking: 1, suicideOrSelfHarm: 0, other: 0 },
      });

      const capped = await t
        .http()
        .post(`/api/v1/residents/${rid}/assessments`)
        .set(auth(t.adminToken))
        .send(body({ items: itemsForTotal(10), conditions: { mentalDisorder: true } }))
        .expect(201);
      expect(capped.body).toMatchObject({ preliminaryLevel: 4, level: 4 });
      // conditions may be left out: nothing to adjust
      const { conditions: _c, ...noConditions } = body({ items: itemsForTotal(50) });
      const plain = await t
        .http()
        .post(`/api/v1/residents/${rid}/assessments`)
        .set(auth(t.adminToken))
        .send(noConditions)
        .expect(201);
      expect(plain.body).toMatchObject({ level: 2, adjustmentReasons: [] });
    });

    describe('400 naming what is wrong', () => {
      const post = (b: unknown) =>
        t
          .http()
          .post(`/api/v1/residents/${rid}/assessments`)
          .set(auth(t.adminToken))
          .send(b as object);

      it('a missing item', async () => {
        const items: Record<string, number> = { ...itemsForTotal(90) };
        delete items.memory;
        const res = await post(body({ items })).expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.message).toContain('memory');
        expect(res.body.message).toContain('记忆');
      });

      it('out-of-range scores, each named, with the non-integer and unknown ones', async () => {
        const res = await post(
          body({ items: { ...itemsForTotal(90), stairs: 4, aggression: 2, vision: 1.5, hearing: '2', tail: 1 } }),
        ).expect(400);
        for (const key of ['stairs', 'aggression', 'vision', 'hearing', 'tail'])
          expect(res.body.message).toContain(key);
        expect(res.body.message).toContain('0–3');
      });

      it('every item missing when items is not an object', async () => {
        expect((await post(body({ items: [1, 2] })).expect(400)).body.message).toMatch(/items/);
        expect((await post(body({ items: null })).expect(400)).body.message).toMatch(/items/);
        const { items: _i, ...noItems } = body();
        expect((await post(noItems).expect(400)).body.message).toMatch(/items/);
      });

      it('bad conditions', async () => {
        const res = await post(
          body({ conditions: { coma: 'yes', riskEvents30d: { falls: 4, burns: 1 }, smoker: true } }),
        ).expect(400);
        for (const key of ['coma', 'falls', 'burns', 'smoker']) expect(res.body.message).toContain(key);
        await post(body({ conditions: null })).expect(400);
        await post(body({ conditions: 'none' })).expect(400);
      });

      it('body fields: unknown, reason, assessedAt, assessors — all listed at once with the items', async () => {
        const res = await post({
          ...body({
            reason: 'whim',
            assessedAt: 'yesterday',
            assessors: 'one',
            items: { ...itemsForTotal(90), eating: 9 },
          }),
          extra: 1,
        }).expect(400);
        for (const key of ['extra', 'reason', 'assessedAt', 'assessors', 'eating'])
          expect(res.body.message).toContain(key);
      });

      it('one assessor, or the same one twice, when two must sign', async () => {
        expect((await post(body({ assessors: ['王评估'] })).expect(400)).body.message).toMatch(
          /assessors: 2 different assessors/,
        );
        expect((await post(body({ assessors: ['王评估', ' 王评估 '] })).expect(400)).body.message).toMatch(/assessors/);
        expect((await post(body({ assessors: ['王评估', '  '] })).expect(400)).body.message).toMatch(/assessors/);
      });

      it('an assessment time in the future or not a real date', async () => {
        expect((await post(body({ assessedAt: '2999-01-01T10:00:00+08:00' })).expect(400)).body.message).toMatch(
          /future/,
        );
        await post(body({ assessedAt: '2026-02-30T10:00:00+08:00' })).expect(400);
        await post(body({ assessedAt: '1990-01-01' })).expect(400);
      });

      it('a malformed resident id', async () => {
        const res = await t
          .http()
          .post('/api/v1/residents/not-a-uuid/assessments')
          .set(auth(t.adminToken))
          .send(body())
          .expect(400);
        expect(res.body.message).toMatch(/id/);
      });

      it('malformed JSON is a 400, not a 500', async () => {
        await t
          .http()
          .post(`/api/v1/residents/${rid}/assessments`)
          .set(auth(t.adminToken))
          .set('Content-Type', 'application/json')
          .send('{"items":')
          .expect(400);
      });
    });

    it('accepts a date without time as county midnight', async () => {
      const res = await t
        .http()
        .post(`/api/v1/residents/${rid}/assessments`)
        .set(auth(t.adminToken))
        .send(body({ assessedAt: '2025-12-31' }))
        .expect(201);
      expect(res.body).toMatchObject({
        assessedAt: '2025-12-31T00:00:00+08:00',
        validUntil: '2026-12-31T00:00:00+08:00',
      });
    });

    it('404 for an unknown resident', async () => {
      await t
        .http()
        .post('/api/v1/residents/00000000-0000-4000-8000-000000000999/assessments')
        .set(auth(t.adminToken))
        .send(body())
        .expect(404);
    });
  });

  describe('roles and scope', () => {
    let atA: string;
    let atHome: string;
    beforeAll(async () => {
      atA = await resident({ token: managerA, facilityId: facilityA });
      atHome = await resident({ living: 'home' });
    });

    it('a manager assesses residents of its facility; another facility answers 404', async () => {
      await t.http().post(`/api/v1/residents/${atA}/assessments`).set(auth(managerA)).send(body()).expect(201);
      await t.http().post(`/api/v1/residents/${atA}/assessments`).set(auth(managerB)).send(body()).expect(404);
      await t.http().get(`/api/v1/residents/${atA}/assessments`).set(auth(managerB)).expect(404);
      await t.http().post(`/api/v1/residents/${atHome}/assessments`).set(auth(managerA)).send(body()).expect(404);
    });

    it('a dispatcher assesses residents living at home only', async () => {
      await t.http().post(`/api/v1/residents/${atHome}/assessments`).set(auth(dispatcher)).send(body()).expect(201);
      await t.http().post(`/api/v1/residents/${atA}/assessments`).set(auth(dispatcher)).send(body()).expect(404);
    });

    it('bureau reads but may not record; caregivers neither; no token 401', async () => {
      await t.http().post(`/api/v1/residents/${atA}/assessments`).set(auth(bureau)).send(body()).expect(403);
      await t.http().get(`/api/v1/residents/${atA}/assessments`).set(auth(bureau)).expect(200);
      await t.http().post(`/api/v1/residents/${atA}/assessments`).set(auth(caregiver)).send(body()).expect(403);
      await t.http().get(`/api/v1/residents/${atA}/assessments`).set(auth(caregiver)).expect(403);
      await t.http().post(`/api/v1/residents/${atA}/assessments`).send(body()).expect(401);
      await t.http().get(`/api/v1/residents/${atA}/assessments`).expect(401);
    });
  });

  describe('GET /residents/:id/assessments, GET /assessments/:id, resident detail', () => {
    let rid: string;
    let ids: string[];
    beforeAll(async () => {
      rid = await resident();
      ids = [];
      for (const [at, total] of [
        ['2025-03-01T09:00:00+08:00', 80],
        ['2026-03-01T09:00:00+08:00', 40],
        ['2025-09-01T09:00:00+08:00', 60],
      ] as const) {
        const res = await t
          .http()
          .post(`/api/v1/residents/${rid}/assessments`)
          .set(auth(t.adminToken))
          .send(body({ assessedAt: at, items: itemsForTotal(total) }))
          .expect(201);
        ids.push(res.body.id);
      }
    });

    it('lists newest first with total and paging', async () => {
      const res = await t.http().get(`/api/v1/residents/${rid}/assessments`).set(auth(t.adminToken)).expect(200);
      expect(res.body.total).toBe(3);
      expect(res.body.items.map((a: { id: string }) => a.id)).toEqual([ids[1], ids[2], ids[0]]);
      const page = await t
        .http()
        .get(`/api/v1/residents/${rid}/assessments?limit=1&offset=1`)
        .set(auth(t.adminToken))
        .expect(200);
      expect(page.body).toMatchObject({ total: 3, items: [{ id: ids[2] }] });
      await t.http().get(`/api/v1/residents/${rid}/assessments?limit=0`).set(auth(t.adminToken)).expect(400);
      await t.http().get(`/api/v1/residents/${rid}/assessments?limit=501`).set(auth(t.adminToken)).expect(400);
      await t.http().get(`/api/v1/residents/${rid}/assessments?sort=x`).set(auth(t.adminToken)).expect(400);
    });

    it('GET /assessments/:id', async () => {
      const res = await t.http().get(`/api/v1/assessments/${ids[0]}`).set(auth(t.adminToken)).expect(200);
      expect(res.body).toMatchObject({ id: ids[0], total: 80, level: 1, items: itemsForTotal(80) });
      // the bureau sees the outcome only: level, grade, validity
      const outcome = await t.http().get(`/api/v1/assessments/${ids[0]}`).set(auth(bureau)).expect(200);
      expect(outcome.body).toMatchObject({
        id: ids[0],
        level: 1,
        careGrade: expect.any(String),
        validity: expect.any(String),
      });
      for (const hidden of ['items', 'scores', 'conditions', 'total', 'preliminaryLevel', 'adjustmentReasons']) {
        expect(outcome.body).not.toHaveProperty(hidden);
      }
      await t.http().get(`/api/v1/assessments/${ids[0]}`).set(auth(managerA)).expect(404);
      await t
        .http()
        .get('/api/v1/assessments/00000000-0000-4000-8000-000000000999')
        .set(auth(t.adminToken))
        .expect(404);
      await t.http().get('/api/v1/assessments/zzz').set(auth(t.adminToken)).expect(400);
    });

    it('GET /residents/:id carries the latest assessment with its care grade', async () => {
      const res = await t.http().get(`/api/v1/residents/${rid}`).set(auth(t.adminToken)).expect(200);
      expect(res.body.latestAssessment).toMatchObject({
        id: ids[1],
        level: 3,
        levelName: '重度失能',
        careGrade: 'full_care',
        careGradeName: '全护理',
        assessedAt: '2026-03-01T09:00:00+08:00',
        validUntil: '2027-03-01T09:00:00+08:00',
      });
      const none = await resident();
      expect(
        (await t.http().get(`/api/v1/residents/${none}`).set(auth(t.adminToken)).expect(200)).body.latestAssessment,
      ).toBeNull();
    });
  });

  describe('legacy MZ/T 039-2013 import', () => {
    let rid: string;
    beforeAll(async () => {
      rid = await resident({ name: '旧评估老人' });
    });

    it('maps by name, keeps no scores, is never valid and is flagged', async () => {
      const res = await t
        .http()
        .post(`/api/v1/residents/${rid}/assessments/legacy`)
        .set(auth(t.adminToken))
        .send({ assessedAt: '2021-06-01', levelName: '中度失能', legacyLevel: 2 })
        .expect(201);
      expect(res.body).toMatchObject({
        standard: 'MZ/T 039-2013',
        level: 2,
        legacyLevel: 2,
        legacyLevelName: '中度失能',
        scores: null,
        items: null,
        validUntil: null,
        validity: 'legacy',
        valid: false,
        needsReassessment: true,
      });
    });

    it('400 for an unknown name or a number that disagrees; 403 for bureau', async () => {
      const post = (b: object, token = t.adminToken) =>
        t.http().post(`/api/v1/residents/${rid}/assessments/legacy`).set(auth(token)).send(b);
      expect((await post({ assessedAt: '2021-06-01', levelName: '完全失能' }).expect(400)).body.message).toMatch(
        /levelName/,
      );
      await post({ assessedAt: '2021-06-01', levelName: '轻度失能', legacyLevel: 3 }).expect(400);
      await post({ assessedAt: '2021-06-01', levelName: '轻度失能', legacyLevel: 7 }).expect(400);
      await post({ assessedAt: '2021-06-01', levelName: '轻度失能', scores: 1 }).expect(400);
      await post({ assessedAt: '2021-06-01', levelName: '轻度失能' }, bureau).expect(403);
    });
  });

  describe('GET /assessments/due', () => {
    let expired: string;
    let dueSoon: string;
    let fresh: string;
    let never: string;
    let legacy: string;
    let managed: string;
    beforeAll(async () => {
      expired = await resident({ name: '过期老人' });
      dueSoon = await resident({ name: '将到期老人' });
      fresh = await resident({ name: '有效老人' });
      never = await resident({ name: '未评估老人' });
      legacy = await resident({ name: '旧标准老人' });
      managed = await resident({ token: managerB, facilityId: facilityB, name: '乙院到期老人' });
      const post = (id: string, at: string) =>
        t
          .http()
          .post(`/api/v1/residents/${id}/assessments`)
          .set(auth(t.adminToken))
          .send(body({ assessedAt: at }))
          .expect(201);
      await post(expired, ago(13));
      await post(dueSoon, ago(11, 20));
      await post(fresh, ago(2));
      await post(managed, ago(11, 25));
      // a newer assessment replaces an expired one
      await post(fresh, ago(14));
      await t
        .http()
        .post(`/api/v1/residents/${legacy}/assessments/legacy`)
        .set(auth(t.adminToken))
        .send({ assessedAt: '2020-01-01', levelName: '轻度失能' })
        .expect(201);
    });

    const statusOf = (items: { resident: { id: string }; status: string }[], id: string) =>
      items.find((i) => i.resident.id === id)?.status;

    it('lists expired, due within 30 days and legacy results, soonest expiry first', async () => {
      const res = await t.http().get('/api/v1/assessments/due?limit=500').set(auth(t.adminToken)).expect(200);
      const items = res.body.items;
      expect(statusOf(items, expired)).toBe('expired');
      expect(statusOf(items, dueSoon)).toBe('due');
      expect(statusOf(items, legacy)).toBe('legacy');
      expect(statusOf(items, fresh)).toBeUndefined();
      expect(statusOf(items, never)).toBeUndefined();
      const e = items.find((i: { resident: { id: string } }) => i.resident.id === expired);
      expect(e.daysLeft).toBeLessThan(0);
      expect(e.resident.idNumberMasked).toMatch(/^620422\*{11}[\dX]$/);
      expect(e.resident).not.toHaveProperty('idNumber');
      const order = items.map((i: { resident: { id: string } }) => i.resident.id);
      expect(order.indexOf(expired)).toBeLessThan(order.indexOf(dueSoon));
      expect(order.indexOf(dueSoon)).toBeLessThan(order.indexOf(legacy));
      expect(res.body.total).toBe(items.length);
    });

    it('filters by status, including residents never assessed', async () => {
      const none = await t
        .http()
        .get('/api/v1/assessments/due?status=none&limit=500')
        .set(auth(t.adminToken))
        .expect(200);
      expect(statusOf(none.body.items, never)).toBe('none');
      expect(
        none.body.items.every(
          (i: { status: string; latestAssessment: unknown }) => i.status === 'none' && i.latestAssessment === null,
        ),
      ).toBe(true);
      const exp = await t
        .http()
        .get('/api/v1/assessments/due?status=expired&limit=500')
        .set(auth(t.adminToken))
        .expect(200);
      expect(exp.body.items.every((i: { status: string }) => i.status === 'expired')).toBe(true);
      // a wider window catches the fresh assessment too
      const wide = await t
        .http()
        .get('/api/v1/assessments/due?status=due&withinDays=365&limit=500')
        .set(auth(t.adminToken))
        .expect(200);
      expect(statusOf(wide.body.items, fresh)).toBe('due');
    });

    it('is scoped: a manager sees its facility only, bureau all, caregiver 403', async () => {
      const b = await t.http().get('/api/v1/assessments/due').set(auth(managerB)).expect(200);
      expect(b.body.items.map((i: { resident: { id: string } }) => i.resident.id)).toEqual([managed]);
      const a = await t.http().get('/api/v1/assessments/due').set(auth(managerA)).expect(200);
      expect(statusOf(a.body.items, managed)).toBeUndefined();
      const all = await t.http().get('/api/v1/assessments/due?limit=500').set(auth(bureau)).expect(200);
      expect(statusOf(all.body.items, managed)).toBe('due');
      const disp = await t.http().get('/api/v1/assessments/due?limit=500').set(auth(dispatcher)).expect(200);
      expect(
        disp.body.items.every(
          (i: { resident: { livingArrangement: string } }) => i.resident.livingArrangement === 'home',
        ),
      ).toBe(true);
      await t.http().get('/api/v1/assessments/due').set(auth(caregiver)).expect(403);
      await t.http().get('/api/v1/assessments/due').expect(401);
    });

    it('400 for bad filters', async () => {
      for (const q of [
        'status=soon',
        'withinDays=0',
        'withinDays=abc',
        'regionCode=x',
        'livingArrangement=moon',
        'category=rich',
        'limit=-1',
        'foo=1',
      ]) {
        const res = await t.http().get(`/api/v1/assessments/due?${q}`).set(auth(t.adminToken));
        expect([q, res.status]).toEqual([q, 400]);
      }
    });
  });
});
