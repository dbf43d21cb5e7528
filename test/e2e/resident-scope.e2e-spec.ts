import { itemsForTotal } from '@care/assessments';
import { idNumberCheckCharacter } from '@care/residents';
import { auth, createTestApp, type TestContext } from '@care/testing';
import {
  API,
  TOWNSHIP,
  caregiverToken,
  createBed,
  createFacility,
  createResident,
  makeIdNumber,
} from './support/care-homes';
import { buildApp } from '../support/apps';

const MASKED = /^\d{6}\*{11}[\dX]$/;

/**
 * Issue 10, "Scope": a manager reaches a resident beyond its facilities only with the full ID number, never by a bare
 * id; existence answers only to roles that may register; the bureau writes facilities and regions only; dispatchers
 * and the bureau see an assessment's outcome, not its scores. And the stored masked ID number in its new form.
 */
describe('resident scope, ID numbers and assessment detail', () => {
  let t: TestContext;
  let home: string; // the welfare institute's manager's own facility
  let other: string;
  let managerA: string;
  let managerB: string;
  let dispatcher: string;
  let bureau: string;
  let caregiver: string;

  const get = (path: string, token: string) => t.http().get(`${API}${path}`).set(auth(token));
  const post = (path: string, body: object, token: string) =>
    t.http().post(`${API}${path}`).set(auth(token)).send(body);

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'resident-scope');
    home = await createFacility(t, { name: '会宁县社会福利院' });
    other = await createFacility(t, { name: '会宁县敬老院', type: 'nursing_home' });
    managerA = await t.userToken('manager', { facilityIds: [home] });
    managerB = await t.userToken('manager', { facilityIds: [other] });
    dispatcher = await t.userToken('dispatcher');
    bureau = await t.userToken('bureau');
    caregiver = await caregiverToken(t);
  });
  afterAll(() => t.close());

  describe('a manager and an elder beyond its facilities', () => {
    it('a bare id reaches nothing: record, waitlist, admission and recommendations all 404, and nothing is linked', async () => {
      const elder = await createResident(t, { name: '居家老人', token: dispatcher });
      const bed = await createBed(t, home, { room: '201', label: '1', type: 'nursing' });
      await get(`/residents/${elder.id}`, managerA).expect(404);
      const w = await post(`/facilities/${home}/waitlist`, { residentId: elder.id }, managerA).expect(404);
      expect(w.body.code).toBe('NOT_FOUND');
      await post(`/facilities/${home}/admissions`, { residentId: elder.id, bedId: bed }, managerA).expect(404);
      await get(`/facilities/${home}/bed-recommendations?residentId=${elder.id}`, managerA).expect(404);
      // still out of scope afterwards (the 201 widened it)
      await get(`/residents/${elder.id}`, managerA).expect(404);
      await get(`/residents/${elder.id}/assessments`, managerA).expect(404);
      const [{ n }] = await t.db.query<{ n: number | string }[]>(
        'SELECT COUNT(*) AS n FROM resident_facility_links WHERE resident_id = ?',
        [elder.id],
      );
      expect(Number(n)).toBe(0);
      // the admin may still place by id
      await post(`/facilities/${home}/waitlist`, { residentId: elder.id }, t.adminToken).expect(201);
    });

    it('the desk look-up by the full number finds that one elder; waitlisting by the number brings it into scope', async () => {
      const elder = await createResident(t, {
        name: '王老汉',
        gender: 'male',
        birthDate: '1941-02-03',
        token: dispatcher,
      });
      const decoy = await createResident(t, {
        name: '王老汉',
        gender: 'male',
        birthDate: '1941-02-03',
        token: dispatcher,
      });
      const found = await get(`/residents?idNumber=${elder.idNumber}`, managerA).expect(200);
      expect(found.body).toMatchObject({
        total: 1,
        items: [{ id: elder.id, name: '王老汉', birthDate: '1941-02-03' }],
      });
      expect(found.body.items[0].idNumberMasked).toMatch(MASKED);
      expect(found.body.items[0].idNumberMasked).toBe(
        `${elder.idNumber.slice(0, 6)}***********${elder.idNumber.slice(17)}`,
      );
      expect(JSON.stringify(found.body)).not.toContain(elder.idNumber);
      // lower-case x and blanks as elsewhere; an unknown valid number: nothing; a wrong check digit or a part: 400
      const unknownBody = '62042219410203099';
      await get(`/residents?idNumber=${unknownBody}${idNumberCheckCharacter(unknownBody)}`, managerA)
        .expect(200)
        .expect((res) => expect(res.body).toEqual({ items: [], total: 0 }));
      const wrongCheck = elder.idNumber.slice(0, 17) + (elder.idNumber[17] === '0' ? '1' : '0');
      const bad = await get(`/residents?idNumber=${wrongCheck}`, managerA).expect(400);
      expect(bad.body.message).toContain('idNumber');
      expect(bad.body.message).not.toContain(wrongCheck);
      await get(`/residents?idNumber=${elder.idNumber.slice(0, 14)}`, managerA).expect(400);
      // the name search does not widen scope
      await get(`/residents?q=${encodeURIComponent('王老汉')}`, managerA)
        .expect(200)
        .expect((res) => expect(res.body.total).toBe(0));
      // the look-up alone does not give the id's record
      await get(`/residents/${elder.id}`, managerA).expect(404);

      const entry = await post(
        `/facilities/${home}/waitlist`,
        { idNumber: elder.idNumber.toLowerCase() },
        managerA,
      ).expect(201);
      expect(entry.body.residentId).toBe(elder.id);
      await get(`/residents/${elder.id}`, managerA).expect(200);
      await get(`/facilities/${home}/bed-recommendations?residentId=${elder.id}`, managerA).expect(200);
      // the other facility's manager still does not see it, nor the decoy with the same name and birth date
      await get(`/residents/${elder.id}`, managerB).expect(404);
      await get(`/residents/${decoy.id}`, managerA).expect(404);
    });

    it('admission by the full number: 201, the resident is then in scope; by id once in scope', async () => {
      const elder = await createResident(t, { name: '李奶奶', token: dispatcher });
      const bed = await createBed(t, home, { room: '202', label: '1', type: 'nursing' });
      const stay = await post(
        `/facilities/${home}/admissions`,
        { idNumber: elder.idNumber, bedId: bed },
        managerA,
      ).expect(201);
      expect(stay.body).toMatchObject({ residentId: elder.id, facilityId: home, status: 'active' });
      await get(`/residents/${elder.id}`, managerA).expect(200);
    });

    it("admission by id into another of the manager's facilities links the resident there too (the other's manager sees it)", async () => {
      // the visibility read finds the link to `home`; the admission into `other` must still add `other`'s
      const both = await t.userToken('manager', { facilityIds: [home, other] });
      const elder = await createResident(t, { name: '周奶奶', facilityId: home });
      await get(`/residents/${elder.id}`, managerB).expect(404);
      const bed = await createBed(t, other, { room: '303', label: '1', type: 'nursing' });
      await post(`/facilities/${other}/admissions`, { residentId: elder.id, bedId: bed }, both).expect(201);
      await get(`/residents/${elder.id}`, managerB).expect(200);
      // the link it had stays
      await get(`/residents/${elder.id}`, managerA).expect(200);
    });

    it('residentId and idNumber together, neither, or an unknown number', async () => {
      const elder = await createResident(t, { token: managerA, facilityId: home });
      const both = await post(
        `/facilities/${home}/waitlist`,
        { residentId: elder.id, idNumber: elder.idNumber },
        managerA,
      ).expect(400);
      expect(both.body.message).toContain('idNumber');
      const neither = await post(`/facilities/${home}/waitlist`, {}, managerA).expect(400);
      expect(neither.body.message).toContain('residentId');
      const unknownBody = '62042219300101055';
      await post(
        `/facilities/${home}/waitlist`,
        { idNumber: unknownBody + idNumberCheckCharacter(unknownBody) },
        managerA,
      ).expect(404);
      await post(`/facilities/${home}/waitlist`, { idNumber: '6204221930' }, managerA).expect(400);
      // a resident the manager registered is in scope by id
      await post(`/facilities/${home}/waitlist`, { residentId: elder.id }, managerA).expect(201);
    });

    it('a manager of another facility cannot use its own facility id to reach in: 404 for the facility', async () => {
      const elder = await createResident(t, { token: managerA, facilityId: home });
      await post(`/facilities/${other}/waitlist`, { residentId: elder.id }, managerA).expect(404);
      await post(`/facilities/${home}/waitlist`, { idNumber: elder.idNumber }, managerB).expect(404);
    });
  });

  describe('existence answers only to roles that may register', () => {
    it('409 RESIDENT_EXISTS to admin, manager, dispatcher; 403 to bureau and caregiver (as for a fresh number)', async () => {
      const idNumber = makeIdNumber('1944-04-04', 'female');
      const body = { name: '赵大娘', idNumber, regionCode: TOWNSHIP, livingArrangement: 'home', categories: [] };
      await post('/residents', body, dispatcher).expect(201);
      for (const token of [t.adminToken, managerA, dispatcher]) {
        const dup = await post('/residents', body, token).expect(409);
        expect(dup.body.code).toBe('RESIDENT_EXISTS');
        expect(JSON.stringify(dup.body)).not.toContain(idNumber);
      }
      const fresh = { ...body, idNumber: makeIdNumber('1944-04-04', 'female') };
      for (const token of [bureau, caregiver]) {
        expect((await post('/residents', body, token)).status).toBe(403);
        expect((await post('/residents', fresh, token)).status).toBe(403);
      }
    });
  });

  describe('the bureau writes facilities and regions only', () => {
    it('403 on residents, beds and snapshots; 201 on facilities', async () => {
      const elder = await createResident(t);
      const bed = await createBed(t, home, { room: '301', label: '1', type: 'ordinary' });
      await post(
        '/residents',
        { name: '甲', idNumber: makeIdNumber(), regionCode: TOWNSHIP, livingArrangement: 'home', categories: [] },
        bureau,
      ).expect(403);
      await t.http().patch(`${API}/residents/${elder.id}`).set(auth(bureau)).send({ name: '乙' }).expect(403);
      await post(`/facilities/${home}/beds`, { room: '302', label: '1', type: 'ordinary' }, bureau).expect(403);
      await post(
        `/facilities/${home}/beds/bulk`,
        { beds: [{ room: '303', label: '1', type: 'ordinary' }] },
        bureau,
      ).expect(403);
      await t.http().patch(`${API}/beds/${bed}`).set(auth(bureau)).send({ status: 'maintenance' }).expect(403);
      await post('/stats/coverage/snapshots', {}, bureau).expect(403);
      await post(
        '/facilities',
        {
          name: '新站',
          type: 'community_station',
          regionCode: TOWNSHIP,
          lat: 35.7,
          lng: 105.05,
          ownership: 'public',
          comprehensive: false,
        },
        bureau,
      ).expect(201);
      // reads stay open
      await get(`/residents/${elder.id}`, bureau).expect(200);
      await get(`/facilities/${home}/beds`, bureau).expect(200);
    });
  });

  describe('dispatchers and the bureau see an assessment’s outcome, not its scores', () => {
    it('GET /residents/:id, GET /residents/:id/assessments and GET /assessments/:id', async () => {
      const elder = await createResident(t, { token: dispatcher });
      const created = await post(
        `/residents/${elder.id}/assessments`,
        {
          assessedAt: '2026-06-01T09:00:00+08:00',
          assessors: ['评估员甲', '评估员乙'],
          reason: 'initial',
          items: itemsForTotal(55),
          conditions: {},
        },
        t.adminToken,
      ).expect(201);
      const id: string = created.body.id;
      const hidden = ['items', 'scores', 'conditions', 'total', 'preliminaryLevel', 'adjustmentReasons'];
      for (const token of [dispatcher, bureau]) {
        const detail = await get(`/residents/${elder.id}`, token).expect(200);
        expect(detail.body.latestAssessment).toMatchObject({
          id,
          level: 2,
          careGrade: expect.any(String),
          validity: expect.any(String),
          validUntil: expect.any(String),
        });
        for (const key of ['total', 'preliminaryLevel', 'items', 'scores', 'conditions'])
          expect(detail.body.latestAssessment).not.toHaveProperty(key);
        const list = await get(`/residents/${elder.id}/assessments`, token).expect(200);
        expect(list.body.items[0]).toMatchObject({ id, level: 2, residentId: elder.id });
        for (const key of hidden) expect(list.body.items[0]).not.toHaveProperty(key);
        const one = await get(`/assessments/${id}`, token).expect(200);
        for (const key of hidden) expect(one.body).not.toHaveProperty(key);
      }
      // the admin sees it all
      const full = await get(`/residents/${elder.id}/assessments`, t.adminToken).expect(200);
      expect(full.body.items[0]).toMatchObject({ total: 55, items: itemsForTotal(55), scores: expect.any(Object) });
      const latest = await get(`/residents/${elder.id}`, t.adminToken).expect(200);
      expect(latest.body.latestAssessment).toMatchObject({ total: 55 });
    });
  });

  describe('the stored masked ID number', () => {
    it('is in the new form for new residents, and the migration moves old rows to it (idempotent)', async () => {
      const elder = await createResident(t, { birthDate: '1938-06-15' });
      const [row] = await t.db.query<{ id_number_masked: string }[]>(
        'SELECT id_number_masked FROM residents WHERE id = ?',
        [elder.id],
      );
      expect(row.id_number_masked).toMatch(MASKED);
      expect(row.id_number_masked).toBe(`${elder.idNumber.slice(0, 6)}***********${elder.idNumber.slice(17)}`);

      // a row as the earlier code wrote it: first 6 and last 4
      const old = await createResident(t, { birthDate: '1939-07-16' });
      const oldForm = `${old.idNumber.slice(0, 6)}********${old.idNumber.slice(14)}`;
      await t.db.query('UPDATE residents SET id_number_masked = ? WHERE id = ?', [oldForm, old.id]);
      // the migration as the data source loads it (libs/residents/src/migrations), run twice
      const migration = t.db.migrations.find(
        (m) => (m.name ?? m.constructor.name) === 'MaskIdNumberFirst6Last11765100000000',
      );
      if (!migration) throw new Error('migration MaskIdNumberFirst6Last11765100000000 not loaded');
      const runner = t.db.createQueryRunner();
      try {
        await migration.up(runner);
        await migration.up(runner);
      } finally {
        await runner.release();
      }
      const rows = await t.db.query<{ id: string; id_number_masked: string }[]>(
        'SELECT id, id_number_masked FROM residents',
      );
      for (const r of rows) expect(r.id_number_masked).toMatch(MASKED);
      expect(rows.find((r) => r.id === old.id)?.id_number_masked).toBe(
        `${old.idNumber.slice(0, 6)}***********${old.idNumber.slice(17)}`,
      );
      expect(rows.find((r) => r.id === elder.id)?.id_number_masked).toBe(row.id_number_masked);
      // nothing in a clear column holds digits 15–17 any more
      const cleartext = await t.db.query<{ n: number | string }[]>(
        "SELECT COUNT(*) AS n FROM residents WHERE id_number_masked LIKE CONCAT('%', ?, '%')",
        [old.idNumber.slice(14, 17)],
      );
      expect(Number(cleartext[0].n)).toBe(0);
    });
  });
});
