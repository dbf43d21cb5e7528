import { itemsForTotal } from '@care/assessments';
import { OfferExpirySweep } from '@care/beds';
import { countyIso, DAY_MS } from '@care/core/time';
import { auth, createTestApp, type TestContext } from '@care/testing';
import { API, UNKNOWN_UUID, caregiverToken, createBed, createFacility, createResident } from './support/care-homes';
import { buildApp } from '../support/apps';

/**
 * The nursing-bed admission rule, the waitlist (priority tiers and order), offers of freed beds (reservations),
 * bed recommendations and the nursing-bed mismatch report.
 */
describe('waitlist, reservations, bed fit and the nursing-bed rule', () => {
  let t: TestContext;
  let bureau: string;
  let dispatcher: string;
  let caregiver: string;

  /** Totals in the middle of each level's band (GB/T 42195-2022). */
  const TOTAL_FOR_LEVEL = [90, 78, 55, 38, 15] as const;

  function isoDaysAgo(days: number): string {
    return countyIso(Date.now() - days * DAY_MS);
  }

  async function assess(residentId: string, level: 0 | 1 | 2 | 3 | 4, assessedAt = isoDaysAgo(1)): Promise<void> {
    const res = await t
      .http()
      .post(`${API}/residents/${residentId}/assessments`)
      .set(auth(t.adminToken))
      .send({
        assessedAt,
        assessors: ['评估员甲', '评估员乙'],
        reason: 'initial',
        items: itemsForTotal(TOTAL_FOR_LEVEL[level]),
        conditions: {},
      });
    if (res.status !== 201 || res.body.level !== level)
      throw new Error(`assessment: ${res.status} ${JSON.stringify(res.body)}`);
  }

  async function person(o: {
    level?: 0 | 1 | 2 | 3 | 4 | null;
    categories?: string[];
    birthDate?: string;
    gender?: 'male' | 'female';
    name?: string;
    facilityId?: string;
  }): Promise<string> {
    const { id, idNumber } = await createResident(t, {
      name: o.name ?? '老人',
      categories: o.categories ?? [],
      birthDate: o.birthDate ?? '1950-06-01',
      gender: o.gender ?? 'female',
      livingArrangement: 'home',
      facilityId: o.facilityId,
    });
    if (o.level !== undefined && o.level !== null) await assess(id, o.level);
    idNumbers.set(id, idNumber);
    return id;
  }
  /** The full ID number of a resident made by person(): how a manager names an elder beyond its facilities. */
  const idNumbers = new Map<string, string>();

  const admit = (facilityId: string, body: object, token = t.adminToken) =>
    t.http().post(`${API}/facilities/${facilityId}/admissions`).set(auth(token)).send(body);
  const waitlist = (facilityId: string, body: object, token = t.adminToken) =>
    t.http().post(`${API}/facilities/${facilityId}/waitlist`).set(auth(token)).send(body);
  const offer = (facilityId: string, body: object, token = t.adminToken) =>
    t.http().post(`${API}/facilities/${facilityId}/waitlist/offers`).set(auth(token)).send(body);
  const list = (facilityId: string, query = '', token = t.adminToken) =>
    t.http().get(`${API}/facilities/${facilityId}/waitlist${query}`).set(auth(token));

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'waitlist');
    bureau = await t.userToken('bureau');
    dispatcher = await t.userToken('dispatcher');
    caregiver = await caregiverToken(t);
  });
  afterAll(() => t.close());

  // ---------------------------------------------------------------------------------------------------------------
  describe('admission: a valid level 2 or worse needs a nursing-type bed unless overrideReason', () => {
    let fa: string;
    const beds: Record<string, string> = {};
    const people: Record<string, string> = {};

    beforeAll(async () => {
      fa = await createFacility(t, { name: '规则测试敬老院', type: 'nursing_home' });
      for (const [key, bed] of Object.entries({
        n1: { room: '101', label: '1', type: 'nursing' as const },
        n2: { room: '101', label: '2', type: 'nursing' as const },
        n3: { room: '101', label: '3', type: 'nursing' as const },
        o1: { room: '201', label: '1', type: 'ordinary' as const },
        o2: { room: '201', label: '2', type: 'ordinary' as const },
        o3: { room: '201', label: '3', type: 'ordinary' as const },
        o4: { room: '201', label: '4', type: 'ordinary' as const },
        o5: { room: '202', label: '1', type: 'ordinary' as const },
        o6: { room: '202', label: '2', type: 'ordinary' as const },
      })) {
        beds[key] = await createBed(t, fa, bed);
      }
      people.l3 = await person({ level: 3, name: '重度甲' });
      people.l2 = await person({ level: 2, name: '中度乙' });
      people.l1 = await person({ level: 1, name: '轻度丙' });
      people.l0 = await person({ level: 0, name: '完好丁' });
      people.none = await person({ name: '未评估戊' });
      people.expired = await person({ name: '过期己' });
      await assess(people.expired, 4, isoDaysAgo(400));
      people.legacy = await person({ name: '旧标准庚' });
      await t
        .http()
        .post(`${API}/residents/${people.legacy}/assessments/legacy`)
        .set(auth(t.adminToken))
        .send({ assessedAt: '2022-01-01', levelName: '重度失能' })
        .expect(201);
      people.mover = await person({ level: 4, name: '转床辛' });
    });

    it('422 NURSING_BED_REQUIRED for level 3 on an ordinary bed; the override reason admits and is kept on the stay', async () => {
      const refused = await admit(fa, { residentId: people.l3, bedId: beds.o1 }).expect(422);
      expect(refused.body).toMatchObject({ statusCode: 422, code: 'NURSING_BED_REQUIRED' });
      expect(refused.body.message).toMatch(/level 3/);
      const ok = await admit(fa, {
        residentId: people.l3,
        bedId: beds.o1,
        overrideReason: '家属要求与老伴同住普通间',
      }).expect(201);
      expect(ok.body.status).toBe('active');
      const stays = await t
        .http()
        .get(`${API}/facilities/${fa}/stays?status=active`)
        .set(auth(t.adminToken))
        .expect(200);
      expect(stays.body.items.find((s: { id: string }) => s.id === ok.body.id).overrideReason).toBe(
        '家属要求与老伴同住普通间',
      );
    });

    it('level 2 is the boundary; level 1 needs no nursing bed', async () => {
      expect((await admit(fa, { residentId: people.l2, bedId: beds.o2 }).expect(422)).body.code).toBe(
        'NURSING_BED_REQUIRED',
      );
      await admit(fa, { residentId: people.l1, bedId: beds.o2 }).expect(201);
      await admit(fa, { residentId: people.l2, bedId: beds.n1 }).expect(201);
    });

    it('only a valid assessment counts: none, expired or legacy results do not require a nursing bed', async () => {
      await admit(fa, { residentId: people.none, bedId: beds.o3 }).expect(201);
      await admit(fa, { residentId: people.expired, bedId: beds.o4 }).expect(201);
      await admit(fa, { residentId: people.legacy, bedId: beds.o5 }).expect(201);
    });

    it('level 0 may take a nursing bed (the mismatch report shows it)', async () => {
      await admit(fa, { residentId: people.l0, bedId: beds.n2 }).expect(201);
    });

    it('the same rule applies to transfers', async () => {
      const stay = await admit(fa, { residentId: people.mover, bedId: beds.n3 }).expect(201);
      const refused = await t
        .http()
        .post(`${API}/stays/${stay.body.id}/transfer`)
        .set(auth(t.adminToken))
        .send({ bedId: beds.o6 })
        .expect(422);
      expect(refused.body.code).toBe('NURSING_BED_REQUIRED');
      const moved = await t
        .http()
        .post(`${API}/stays/${stay.body.id}/transfer`)
        .set(auth(t.adminToken))
        .send({ bedId: beds.o6, overrideReason: '护理型床位维修期间临时安置' })
        .expect(200);
      expect(moved.body.overrideReason).toBe('护理型床位维修期间临时安置');
    });

    describe('GET /facilities/:id/nursing-bed-mismatches', () => {
      it('lists level ≥ 2 on ordinary beds (with the override), level ≤ 1 on nursing beds, and residents without a valid assessment', async () => {
        const res = await t
          .http()
          .get(`${API}/facilities/${fa}/nursing-bed-mismatches`)
          .set(auth(t.adminToken))
          .expect(200);
        expect(res.body.counts).toEqual({
          activeStays: 8,
          needsNursingBed: 2,
          needsNursingBedOverridden: 2,
          nursingBedNotNeeded: 1,
          noValidAssessment: 3,
        });
        expect(res.body.nursingBedFromLevel).toBe(2);
        const kinds = res.body.items.map((i: { kind: string; resident: { id: string } }) => [i.kind, i.resident.id]);
        expect(kinds).toEqual([
          ['needs_nursing_bed', people.l3],
          ['needs_nursing_bed', people.mover],
          ['no_valid_assessment', people.none],
          ['no_valid_assessment', people.expired],
          ['no_valid_assessment', people.legacy],
          ['nursing_bed_not_needed', people.l0],
        ]);
        expect(res.body.items[0]).toMatchObject({
          level: 3,
          levelName: '重度失能',
          overrideReason: '家属要求与老伴同住普通间',
          bed: { id: beds.o1, room: '201', label: '1', type: 'ordinary' },
          zh: expect.stringMatching(/普通床位/),
        });
        expect(res.body.items[0].resident.idNumberMasked).toMatch(/^\d{6}\*{11}[\dX]$/);
        expect(res.body.total).toBe(6);
      });

      it('filters by kind, pages, and is scoped', async () => {
        const only = await t
          .http()
          .get(`${API}/facilities/${fa}/nursing-bed-mismatches?kind=nursing_bed_not_needed`)
          .set(auth(bureau))
          .expect(200);
        expect(only.body.items.map((i: { resident: { id: string } }) => i.resident.id)).toEqual([people.l0]);
        const page = await t
          .http()
          .get(`${API}/facilities/${fa}/nursing-bed-mismatches?limit=2&offset=2`)
          .set(auth(t.adminToken))
          .expect(200);
        expect(page.body).toMatchObject({ total: 6 });
        expect(page.body.items).toHaveLength(2);
        const manager = await t.userToken('manager', { facilityIds: [fa] });
        await t.http().get(`${API}/facilities/${fa}/nursing-bed-mismatches`).set(auth(manager)).expect(200);
        const other = await t.userToken('manager', { facilityIds: [await createFacility(t, { name: '别的院' })] });
        await t.http().get(`${API}/facilities/${fa}/nursing-bed-mismatches`).set(auth(other)).expect(404);
        await t.http().get(`${API}/facilities/${fa}/nursing-bed-mismatches`).set(auth(dispatcher)).expect(403);
        await t.http().get(`${API}/facilities/${fa}/nursing-bed-mismatches`).set(auth(caregiver)).expect(403);
        await t.http().get(`${API}/facilities/${fa}/nursing-bed-mismatches`).expect(401);
        await t
          .http()
          .get(`${API}/facilities/${fa}/nursing-bed-mismatches?kind=odd`)
          .set(auth(t.adminToken))
          .expect(400);
        await t
          .http()
          .get(`${API}/facilities/${UNKNOWN_UUID}/nursing-bed-mismatches`)
          .set(auth(t.adminToken))
          .expect(404);
        await t.http().get(`${API}/facilities/nope/nursing-bed-mismatches`).set(auth(t.adminToken)).expect(400);
      });
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  describe('waitlist order, offers and reservations', () => {
    let fw: string;
    let managerW: string;
    let managerOther: string;
    const p: Record<string, string> = {};
    const beds: Record<string, string> = {};
    const entries: Record<string, string> = {};

    beforeAll(async () => {
      fw = await createFacility(t, { name: '轮候测试福利院' });
      managerW = await t.userToken('manager', { facilityIds: [fw] });
      managerOther = await t.userToken('manager', { facilityIds: [await createFacility(t, { name: '另一家院' })] });
      beds.ordinary = await createBed(t, fw, { room: '201', label: '1', type: 'ordinary' });
      beds.nursingWomen = await createBed(t, fw, { room: '101', label: '1', type: 'nursing', gender: 'female' });
      beds.ordinary2 = await createBed(t, fw, { room: '201', label: '2', type: 'ordinary' });
      beds.maintenance = await createBed(t, fw, { room: '202', label: '1', type: 'ordinary' });
      await t
        .http()
        .patch(`${API}/beds/${beds.maintenance}`)
        .set(auth(t.adminToken))
        .send({ status: 'maintenance' })
        .expect(200);
      beds.race = await createBed(t, fw, { room: '203', label: '1', type: 'ordinary' });

      // tier 1: destitute at level ≥ 2 — worse level first
      p.t1 = await person({
        name: '特困重度',
        categories: ['destitute'],
        level: 3,
        birthDate: '1950-06-01',
        gender: 'female',
      });
      p.t1b = await person({
        name: '特困中度',
        categories: ['destitute'],
        level: 2,
        birthDate: '1940-06-01',
        gender: 'male',
      });
      // tier 2
      p.t2 = await person({ name: '计生特殊', categories: ['family_planning_special'], birthDate: '1956-06-01' });
      // tier 3: worse level first, then older
      p.t3a = await person({
        name: '低保独居',
        categories: ['low_income', 'living_alone'],
        level: 0,
        birthDate: '1956-06-01',
      });
      p.t3b = await person({
        name: '经济困难轻度',
        categories: ['economic_hardship'],
        level: 1,
        birthDate: '1956-06-01',
      });
      p.t3c = await person({ name: '低保高龄', categories: ['low_income'], level: 1, birthDate: '1941-06-01' });
      // tier 4: level, then earlier application
      p.t4a = await person({ name: '一般完全失能', level: 4, birthDate: '1956-06-01' });
      p.t4b = await person({ name: '特困轻度', categories: ['destitute'], level: 1, birthDate: '1956-06-01' });
      p.t4c = await person({ name: '一般早申请', level: 0, birthDate: '1956-06-01' });
      p.t4d = await person({ name: '一般晚申请', level: 0, birthDate: '1956-06-01' });

      const applied: Record<string, string> = {
        t4d: '2026-02-01T09:00:00+08:00',
        t4c: '2026-01-01T09:00:00+08:00',
        t3a: '2025-12-01T09:00:00+08:00',
        t3b: '2025-06-01T09:00:00+08:00',
        t1b: '2026-03-01T09:00:00+08:00',
      };
      for (const key of ['t4d', 't4c', 't4b', 't4a', 't3a', 't3b', 't3c', 't2', 't1b', 't1']) {
        const res = await waitlist(
          fw,
          // the desk flow: residents registered elsewhere are named by their full ID number
          { idNumber: idNumbers.get(p[key]), ...(applied[key] ? { appliedAt: applied[key] } : {}) },
          managerW,
        ).expect(201);
        entries[key] = res.body.id;
      }
    });

    const order = async (query = ''): Promise<string[]> => {
      const res = await list(fw, query).expect(200);
      const byId = new Map(Object.entries(entries).map(([k, v]) => [v, k]));
      return res.body.items.map((e: { id: string }) => byId.get(e.id) ?? e.id);
    };

    it('lists the entries in the policy’s order with priority, position and reasons', async () => {
      expect(await order()).toEqual(['t1', 't1b', 't2', 't3c', 't3b', 't3a', 't4a', 't4b', 't4c', 't4d']);
      const res = await list(fw, '', bureau).expect(200);
      expect(res.body.total).toBe(10);
      const [first, , second, third] = res.body.items;
      expect(first).toMatchObject({
        residentId: p.t1,
        status: 'waiting',
        priority: 1,
        position: 1,
        level: 3,
        levelName: '重度失能',
        reasons: [{ code: 'DESTITUTE_NEEDS_CARE', zh: expect.stringContaining('特困') }],
        resident: {
          id: p.t1,
          age: 76,
          categories: ['destitute'],
          idNumberMasked: expect.stringMatching(/^\d{6}\*{11}[\dX]$/),
        },
        offer: null,
      });
      expect(first.priorityName.zh).toMatch(/第一优先/);
      expect(second).toMatchObject({
        priority: 2,
        level: null,
        reasons: [{ code: 'FAMILY_PLANNING_SPECIAL' }],
        hints: [{ code: 'NO_VALID_ASSESSMENT' }],
      });
      expect(third.reasons.map((r: { code: string }) => r.code)).toEqual(['LOW_INCOME', 'IMPAIRED', 'AGED_80_PLUS']);
      const t4b = res.body.items.find((e: { residentId: string }) => e.residentId === p.t4b);
      expect(t4b).toMatchObject({ priority: 4, reasons: [{ code: 'GENERAL' }] });
      expect(JSON.stringify(res.body)).not.toMatch(/idNumber"/);
    });

    it('paging keeps the order', async () => {
      const res = await list(fw, '?limit=3&offset=3').expect(200);
      expect(res.body.total).toBe(10);
      expect(res.body.items.map((e: { position: number }) => e.position)).toEqual([4, 5, 6]);
    });

    it('409 ALREADY_WAITLISTED, 404 unknown resident, 400 bad input', async () => {
      expect((await waitlist(fw, { residentId: p.t1 }).expect(409)).body.code).toBe('ALREADY_WAITLISTED');
      await waitlist(fw, { residentId: UNKNOWN_UUID }).expect(404);
      const bad = await waitlist(fw, { residentId: 'x', appliedAt: '2026-01-01', extra: 1 }).expect(400);
      for (const f of ['residentId', 'appliedAt', 'extra']) expect(bad.body.message).toContain(f);
      expect(
        (await waitlist(fw, { residentId: p.t1, appliedAt: '2999-01-01T00:00:00+08:00' }).expect(400)).body.message,
      ).toMatch(/future/);
      await waitlist(fw, {}).expect(400);
      await waitlist(fw, { residentId: p.t1, note: 'x'.repeat(501) }).expect(400);
      await t
        .http()
        .post(`${API}/facilities/not-a-uuid/waitlist`)
        .set(auth(t.adminToken))
        .send({ residentId: p.t1 })
        .expect(400);
      await waitlist(UNKNOWN_UUID, { residentId: p.t1 }).expect(404);
      await list(fw, '?status=maybe').expect(400);
      await list(fw, '?limit=0').expect(400);
    });

    it('roles: admin and the facility’s manager write; bureau reads; others refused', async () => {
      const someone = await person({ name: '角色测试' });
      await waitlist(fw, { residentId: someone }, bureau).expect(403);
      await waitlist(fw, { residentId: someone }, dispatcher).expect(403);
      await waitlist(fw, { residentId: someone }, caregiver).expect(403);
      await waitlist(fw, { residentId: someone }, managerOther).expect(404);
      await t.http().post(`${API}/facilities/${fw}/waitlist`).send({ residentId: someone }).expect(401);
      await list(fw, '', managerOther).expect(404);
      await list(fw, '', dispatcher).expect(403);
      await list(fw, '', caregiver).expect(403);
      await list(fw, '', managerW).expect(200);
      const one = await t.http().get(`${API}/facilities/${fw}/waitlist/${entries.t2}`).set(auth(managerW)).expect(200);
      expect(one.body).toMatchObject({ id: entries.t2, priority: 2, position: 3 });
      await t.http().get(`${API}/facilities/${fw}/waitlist/${entries.t2}`).set(auth(managerOther)).expect(404);
      await t.http().get(`${API}/facilities/${fw}/waitlist/${UNKNOWN_UUID}`).set(auth(managerW)).expect(404);
      await t.http().get(`${API}/facilities/${fw}/waitlist/nope`).set(auth(managerW)).expect(400);
    });

    it('a manager may waitlist a resident registered elsewhere by its full ID number (never by a bare id), and then sees it', async () => {
      const homeElder = await person({ name: '居家老人' });
      await t.http().get(`${API}/residents/${homeElder}`).set(auth(managerW)).expect(404);
      await waitlist(fw, { residentId: homeElder, note: '子女代为申请' }, managerW).expect(404);
      await t.http().get(`${API}/residents/${homeElder}`).set(auth(managerW)).expect(404);
      const res = await waitlist(fw, { idNumber: idNumbers.get(homeElder), note: '子女代为申请' }, managerW).expect(
        201,
      );
      expect(res.body).toMatchObject({ status: 'waiting', note: '子女代为申请', priority: 4 });
      await t.http().get(`${API}/residents/${homeElder}`).set(auth(managerW)).expect(200);
      const cancelled = await t
        .http()
        .post(`${API}/facilities/${fw}/waitlist/${res.body.id}/cancel`)
        .set(auth(managerW))
        .send({ reason: '家属撤回' })
        .expect(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        closeReason: 'cancelled',
        closeNote: '家属撤回',
        position: null,
      });
      await t
        .http()
        .post(`${API}/facilities/${fw}/waitlist/${res.body.id}/cancel`)
        .set(auth(managerW))
        .send({})
        .expect(409);
      const closed = await list(fw, '?status=cancelled').expect(200);
      expect(closed.body.items.map((e: { id: string }) => e.id)).toContain(res.body.id);
      // after cancelling, the resident may apply again
      await waitlist(fw, { residentId: homeElder }, managerW)
        .expect(201)
        .then((r) =>
          t
            .http()
            .post(`${API}/facilities/${fw}/waitlist/${r.body.id}/cancel`)
            .set(auth(managerW))
            .send({})
            .expect(200),
        );
      await t
        .http()
        .post(`${API}/facilities/${fw}/waitlist/${UNKNOWN_UUID}/cancel`)
        .set(auth(managerW))
        .send({})
        .expect(404);
      await t
        .http()
        .post(`${API}/facilities/${fw}/waitlist/${res.body.id}/cancel`)
        .set(auth(bureau))
        .send({})
        .expect(403);
      await t.http().get(`${API}/facilities/${fw}/waitlist/${res.body.id}`).set(auth(bureau)).expect(200);
    });

    it('offers a freed ordinary bed to the best-placed entry that fits, saying whom it passed over', async () => {
      const res = await offer(fw, { bedId: beds.ordinary }, managerW).expect(201);
      expect(res.body.entry).toMatchObject({ residentId: p.t2, status: 'offered', offer: { bedId: beds.ordinary } });
      expect(res.body.bed).toMatchObject({ id: beds.ordinary, status: 'reserved', reservedForResidentId: p.t2 });
      const hours = (Date.parse(res.body.bed.reservedUntil) - Date.now()) / 3600_000;
      expect(hours).toBeGreaterThan(47.9);
      expect(hours).toBeLessThanOrEqual(48);
      expect(
        res.body.skipped.map((s: { residentId: string; reasons: { code: string }[] }) => [
          s.residentId,
          s.reasons.map((r) => r.code),
        ]),
      ).toEqual([
        [p.t1, ['NURSING_BED_REQUIRED']],
        [p.t1b, ['NURSING_BED_REQUIRED']],
      ]);
      const reserved = await t
        .http()
        .get(`${API}/facilities/${fw}/beds?status=reserved`)
        .set(auth(managerW))
        .expect(200);
      expect(reserved.body.items.map((b: { id: string }) => b.id)).toEqual([beds.ordinary]);
    });

    it('admission from the reservation succeeds; everyone else gets 409 BED_OCCUPIED', async () => {
      expect((await admit(fw, { residentId: p.t3c, bedId: beds.ordinary }, managerW).expect(409)).body.code).toBe(
        'BED_OCCUPIED',
      );
      await admit(fw, { residentId: p.t2, bedId: beds.ordinary }, managerW).expect(201);
      const admitted = await list(fw, '?status=admitted').expect(200);
      expect(admitted.body.items).toEqual([
        expect.objectContaining({
          residentId: p.t2,
          status: 'admitted',
          closeReason: 'admitted',
          stayId: expect.any(String),
        }),
      ]);
      expect(await order()).toEqual(['t1', 't1b', 't3c', 't3b', 't3a', 't4a', 't4b', 't4c', 't4d']);
    });

    it('a gender-restricted nursing bed goes to the best-placed resident of that gender', async () => {
      const res = await offer(fw, { bedId: beds.nursingWomen }).expect(201);
      expect(res.body.entry.residentId).toBe(p.t1);
      expect(res.body.fitReasons.map((r: { code: string }) => r.code)).toEqual(['NURSING_BED_NEEDED', 'GENDER_MATCH']);
      const listed = (await list(fw).expect(200)).body.items[0];
      expect(listed).toMatchObject({
        residentId: p.t1,
        status: 'offered',
        position: 1,
        offer: { bedId: beds.nursingWomen },
      });
      expect(await order('?status=offered')).toEqual(['t1']);
    });

    it('refuses beds that are not free, and bad input', async () => {
      expect((await offer(fw, { bedId: beds.nursingWomen }).expect(409)).body.code).toBe('BED_OCCUPIED');
      expect((await offer(fw, { bedId: beds.ordinary }).expect(409)).body.code).toBe('BED_OCCUPIED');
      expect((await offer(fw, { bedId: beds.maintenance }).expect(409)).body.code).toBe('BED_UNAVAILABLE');
      await offer(fw, { bedId: UNKNOWN_UUID }).expect(404);
      const elsewhere = await createFacility(t, { name: '外院' });
      await offer(fw, { bedId: await createBed(t, elsewhere, { room: '1', label: '1', type: 'ordinary' }) }).expect(
        404,
      );
      const bad = await offer(fw, { bedId: 'x', hours: 0, more: true }).expect(400);
      for (const f of ['bedId', 'hours', 'more']) expect(bad.body.message).toContain(f);
      await offer(fw, { bedId: beds.ordinary2, hours: 721 }).expect(400);
      await offer(fw, { bedId: beds.ordinary2 }, bureau).expect(403);
      await offer(fw, { bedId: beds.ordinary2 }, managerOther).expect(404);
    });

    it('an expired reservation no longer holds the bed, and the entry waits again in its place', async () => {
      const res = await offer(fw, { bedId: beds.ordinary2, hours: 1 }).expect(201);
      expect(res.body.entry.residentId).toBe(p.t3c);
      await admit(fw, { residentId: p.t3b, bedId: beds.ordinary2 }).expect(409);
      await t.db.query('UPDATE beds SET reserved_until = ? WHERE id = ?', [
        new Date(Date.now() - 60_000),
        beds.ordinary2,
      ]);
      await t.db.query('UPDATE waitlist_entries SET offer_expires_at = ? WHERE id = ?', [
        new Date(Date.now() - 60_000),
        res.body.entry.id,
      ]);
      await admit(fw, { residentId: p.t3b, bedId: beds.ordinary2 }).expect(201);
      const after = await list(fw).expect(200);
      const t3c = after.body.items.find((e: { residentId: string }) => e.residentId === p.t3c);
      expect(t3c).toMatchObject({ status: 'waiting', offer: null, position: 3 });
      expect(after.body.items.find((e: { residentId: string }) => e.residentId === p.t3b)).toBeUndefined();
      expect((await list(fw, '?status=offered').expect(200)).body.items.map((e: { id: string }) => e.id)).not.toContain(
        res.body.entry.id,
      );
      // the GET computed it: the row is written by the sweep job (or the next offer), never by a read
      const [row] = (await t.db.query('SELECT status FROM waitlist_entries WHERE id = ?', [res.body.entry.id])) as {
        status: string;
      }[];
      expect(row.status).toBe('offered');
    });

    it('the background job releases expired offers without anyone reading the waitlist', async () => {
      const freed = await createBed(t, fw, { room: '901', label: '1', type: 'ordinary' });
      const res = await offer(fw, { bedId: freed, hours: 1 }).expect(201);
      const past = new Date(Date.now() - 60_000);
      await t.db.query('UPDATE beds SET reserved_until = ? WHERE id = ?', [past, freed]);
      await t.db.query('UPDATE waitlist_entries SET offer_expires_at = ? WHERE id = ?', [past, res.body.entry.id]);
      const released = await t.app.get(OfferExpirySweep).releaseExpiredOffersEverywhere();
      expect(released).toEqual({ facilities: 1, offers: 1 });
      const [bed] = (await t.db.query('SELECT status, reserved_for_resident_id FROM beds WHERE id = ?', [freed])) as {
        status: string;
        reserved_for_resident_id: string | null;
      }[];
      expect(bed).toEqual({ status: 'vacant', reserved_for_resident_id: null });
      const [entry] = (await t.db.query('SELECT status, offered_bed_id FROM waitlist_entries WHERE id = ?', [
        res.body.entry.id,
      ])) as {
        status: string;
        offered_bed_id: string | null;
      }[];
      expect(entry).toEqual({ status: 'waiting', offered_bed_id: null });
      expect(await t.app.get(OfferExpirySweep).releaseExpiredOffersEverywhere()).toEqual({ facilities: 0, offers: 0 });
    });

    it('cancelling an offered entry releases the bed', async () => {
      await t
        .http()
        .post(`${API}/facilities/${fw}/waitlist/${entries.t1}/cancel`)
        .set(auth(managerW))
        .send({ reason: '家属决定居家照护' })
        .expect(200);
      const bed = await t.http().get(`${API}/beds/${beds.nursingWomen}`).set(auth(managerW)).expect(200);
      expect(bed.body).toMatchObject({ status: 'vacant', reservedForResidentId: null, reservedUntil: null });
    });

    it('409 NO_FITTING_ENTRY when nobody waiting fits the bed', async () => {
      const fn = await createFacility(t, { name: '无匹配院' });
      const bed = await createBed(t, fn, { room: '1', label: '1', type: 'ordinary', gender: 'male' });
      expect((await offer(fn, { bedId: bed }).expect(409)).body.code).toBe('NO_FITTING_ENTRY');
      await waitlist(fn, { residentId: await person({ level: 3, gender: 'male' }) }).expect(201);
      await waitlist(fn, { residentId: await person({ level: 0, gender: 'female' }) }).expect(201);
      const res = await offer(fn, { bedId: bed }).expect(409);
      expect(res.body).toMatchObject({ code: 'NO_FITTING_ENTRY', message: expect.stringMatching(/None of the 2/) });
    });

    it('admission elsewhere closes the entry and releases a bed offered here', async () => {
      const res = await offer(fw, { bedId: beds.nursingWomen }).expect(201);
      const chosen = res.body.entry.residentId as string;
      expect(chosen).not.toBe(p.t1);
      const other = await createFacility(t, { name: '入住别院' });
      const otherBed = await createBed(t, other, { room: '1', label: '1', type: 'nursing' });
      await admit(other, { residentId: chosen, bedId: otherBed }).expect(201);
      const bed = await t.http().get(`${API}/beds/${beds.nursingWomen}`).set(auth(t.adminToken)).expect(200);
      expect(bed.body.status).toBe('vacant');
      const cancelled = await list(fw, '?status=cancelled').expect(200);
      expect(cancelled.body.items.find((e: { residentId: string }) => e.residentId === chosen)).toMatchObject({
        closeReason: 'admitted_elsewhere',
      });
      expect((await waitlist(fw, { residentId: chosen }).expect(409)).body.code).toBe('RESIDENT_ALREADY_ADMITTED');
    });

    it('under concurrency: one offer of a bed wins, and only the reserved resident is admitted', async () => {
      const offers = await Promise.all(Array.from({ length: 5 }, () => offer(fw, { bedId: beds.race })));
      const statuses = offers.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409]);
      expect(offers.filter((r) => r.status === 409).every((r) => r.body.code === 'BED_OCCUPIED')).toBe(true);
      const winner = offers.find((r) => r.status === 201)!.body.entry.residentId as string;
      const open = (await list(fw).expect(200)).body.items.map((e: { residentId: string }) => e.residentId) as string[];
      const contenders = [winner, ...open.filter((id) => id !== winner).slice(0, 4)];
      const admissions = await Promise.all(contenders.map((residentId) => admit(fw, { residentId, bedId: beds.race })));
      expect(admissions.map((r) => r.status)).toEqual([201, 409, 409, 409, 409].slice(0, contenders.length));
      const stays = await t.db.query<{ n: string }[]>(
        "SELECT COUNT(*) AS n FROM stays WHERE bed_id = ? AND status = 'active'",
        [beds.race],
      );
      expect(Number(stays[0].n)).toBe(1);
    });
  });

  // ---------------------------------------------------------------------------------------------------------------
  describe('GET /facilities/:id/bed-recommendations', () => {
    let fr: string;
    let managerR: string;
    const b: Record<string, string> = {};

    beforeAll(async () => {
      fr = await createFacility(t, { name: '推荐测试院' });
      managerR = await t.userToken('manager', { facilityIds: [fr] });
      b.n1 = await createBed(t, fr, { room: '101', label: '1', type: 'nursing' });
      b.n2f = await createBed(t, fr, { room: '101', label: '2', type: 'nursing', gender: 'female' });
      b.n3m = await createBed(t, fr, { room: '102', label: '1', type: 'nursing', gender: 'male' });
      b.o1 = await createBed(t, fr, { room: '201', label: '1', type: 'ordinary' });
      b.o2f = await createBed(t, fr, { room: '201', label: '2', type: 'ordinary', gender: 'female' });
      b.closed = await createBed(t, fr, { room: '301', label: '1', type: 'ordinary' });
      await t.http().patch(`${API}/beds/${b.closed}`).set(auth(t.adminToken)).send({ status: 'closed' }).expect(200);
      b.taken = await createBed(t, fr, { room: '302', label: '1', type: 'nursing' });
      await admit(fr, { residentId: await person({ level: 3 }), bedId: b.taken }).expect(201);
    });

    const recommend = (residentId: string, token = t.adminToken, facilityId = fr) =>
      t.http().get(`${API}/facilities/${facilityId}/bed-recommendations?residentId=${residentId}`).set(auth(token));
    const ids = (items: { id: string }[]) => items.map((i) => i.id);

    it('level ≥ 2: nursing beds only, own gender first, with reasons; the rest excluded with reasons', async () => {
      const woman = await person({ level: 3, gender: 'female', facilityId: fr });
      const res = await recommend(woman).expect(200);
      expect(res.body).toMatchObject({
        residentId: woman,
        level: 3,
        levelName: '重度失能',
        needsNursingBed: true,
        total: 2,
      });
      expect(ids(res.body.items)).toEqual([b.n2f, b.n1]);
      expect(res.body.items[0].reasons.map((r: { code: string }) => r.code)).toEqual([
        'NURSING_BED_NEEDED',
        'GENDER_MATCH',
      ]);
      expect(res.body.items[0]).toMatchObject({ room: '101', label: '2', type: 'nursing', status: 'vacant' });
      const excluded = Object.fromEntries(
        res.body.excluded.map((e: { id: string; reasons: { code: string }[] }) => [e.id, e.reasons.map((r) => r.code)]),
      );
      expect(excluded).toEqual({
        [b.n3m]: ['GENDER_MISMATCH'],
        [b.o1]: ['NURSING_BED_REQUIRED'],
        [b.o2f]: ['NURSING_BED_REQUIRED'],
      });
    });

    it('level ≤ 1: ordinary beds first, nursing beds kept for those who need them', async () => {
      const woman = await person({ level: 1, gender: 'female', facilityId: fr });
      const res = await recommend(woman, managerR).expect(200);
      expect(ids(res.body.items)).toEqual([b.o2f, b.o1, b.n2f, b.n1]);
      expect(res.body.needsNursingBed).toBe(false);
      expect(res.body.items[2].reasons.map((r: { code: string }) => r.code)).toContain('NURSING_BED_KEPT_FOR_NEED');
      const man = await person({ gender: 'male', facilityId: fr });
      const m = await recommend(man).expect(200);
      expect(ids(m.body.items)).toEqual([b.o1, b.n3m, b.n1]);
      expect(m.body.items[0].reasons.map((r: { code: string }) => r.code)).toContain('NO_VALID_ASSESSMENT');
      expect(m.body.level).toBeNull();
    });

    it('a bed reserved for the resident comes first; others do not see it', async () => {
      const waiting = await person({ level: 0, gender: 'female', facilityId: fr });
      await waitlist(fr, { residentId: waiting }).expect(201);
      const o = await offer(fr, { bedId: b.n1 }).expect(201);
      expect(o.body.entry.residentId).toBe(waiting);
      const mine = await recommend(waiting).expect(200);
      expect(mine.body.items[0]).toMatchObject({ id: b.n1, status: 'reserved' });
      expect(mine.body.items[0].reasons[0].code).toBe('RESERVED_FOR_RESIDENT');
      const someoneElse = await person({ level: 2, gender: 'female', facilityId: fr });
      expect(ids((await recommend(someoneElse).expect(200)).body.items)).toEqual([b.n2f]);
    });

    it('400, 404 and roles', async () => {
      const r = await person({ facilityId: fr });
      await t.http().get(`${API}/facilities/${fr}/bed-recommendations`).set(auth(t.adminToken)).expect(400);
      await t
        .http()
        .get(`${API}/facilities/${fr}/bed-recommendations?residentId=abc`)
        .set(auth(t.adminToken))
        .expect(400);
      await t
        .http()
        .get(`${API}/facilities/${fr}/bed-recommendations?residentId=${r}&x=1`)
        .set(auth(t.adminToken))
        .expect(400);
      await recommend(UNKNOWN_UUID).expect(404);
      await recommend(r, t.adminToken, UNKNOWN_UUID).expect(404);
      await recommend(r, bureau).expect(200);
      await recommend(r, dispatcher).expect(403);
      await recommend(r, caregiver).expect(403);
      const stranger = await person({});
      await recommend(stranger, managerR).expect(404);
      const otherManager = await t.userToken('manager', {
        facilityIds: [await createFacility(t, { name: '不相干院' })],
      });
      await recommend(r, otherManager).expect(404);
      await t.http().get(`${API}/facilities/${fr}/bed-recommendations?residentId=${r}`).expect(401);
    });
  });
});
