import { auth, createTestApp, TestContext } from '@care/testing';
import {
  API,
  OTHER_TOWNSHIP,
  TOWNSHIP,
  UNKNOWN_UUID,
  caregiverToken,
  createFacility,
  createResident,
  facilityBody,
  makeIdNumber,
} from './support/care-homes';
import { buildApp } from '../support/apps';

describe('facilities and residents', () => {
  let t: TestContext;
  let facilityA: string;
  let facilityB: string;
  let managerA: string;
  let managerB: string;
  let managerAB: string;
  let bureau: string;
  let dispatcher: string;
  let caregiver: string;

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'facres');
    facilityA = await createFacility(t, { name: '会师镇敬老院', type: 'nursing_home' });
    facilityB = await createFacility(t, {
      name: '郭城驿镇敬老院',
      type: 'nursing_home',
      regionCode: OTHER_TOWNSHIP,
      comprehensive: false,
    });
    managerA = await t.userToken('manager', { facilityIds: [facilityA] });
    managerB = await t.userToken('manager', { facilityIds: [facilityB] });
    managerAB = await t.userToken('manager', { facilityIds: [facilityA, facilityB] });
    bureau = await t.userToken('bureau');
    dispatcher = await t.userToken('dispatcher');
    caregiver = await caregiverToken(t);
  });
  afterAll(() => t.close());

  describe('POST /facilities', () => {
    it('creates a facility (admin, bureau) with the contract fields', async () => {
      const res = await t
        .http()
        .post(`${API}/facilities`)
        .set(auth(bureau))
        .send(facilityBody({ name: '区域养老服务中心', type: 'service_center' }))
        .expect(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        name: '区域养老服务中心',
        type: 'service_center',
        regionCode: TOWNSHIP,
        lat: 35.6929,
        lng: 105.0466,
        ownership: 'public',
        comprehensive: true,
      });
      expect(res.body.createdAt).toMatch(/\+08:00$/);
    });

    it('401 without or with a bad token; 403 for manager, dispatcher, caregiver', async () => {
      await t.http().post(`${API}/facilities`).send(facilityBody()).expect(401);
      await t.http().post(`${API}/facilities`).set(auth('nope')).send(facilityBody()).expect(401);
      for (const token of [managerA, dispatcher, caregiver]) {
        const res = await t.http().post(`${API}/facilities`).set(auth(token)).send(facilityBody()).expect(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
    });

    it('400 naming every bad field: enums, coordinates, types, unknown and missing fields', async () => {
      const res = await t
        .http()
        .post(`${API}/facilities`)
        .set(auth(t.adminToken))
        .send({
          name: '',
          type: 'hotel',
          regionCode: 'x',
          lat: 91,
          lng: -181,
          ownership: 'state',
          comprehensive: 'yes',
          extra: 1,
        })
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      for (const field of ['name', 'type', 'regionCode', 'lat', 'lng', 'ownership', 'comprehensive', 'extra']) {
        expect(res.body.message).toMatch(new RegExp(`${field}`));
      }
      const missing = await t.http().post(`${API}/facilities`).set(auth(t.adminToken)).send({}).expect(400);
      expect(missing.body.message).toMatch(/lat/);
      const stringy = await t
        .http()
        .post(`${API}/facilities`)
        .set(auth(t.adminToken))
        .send(facilityBody({ lat: '35.6' as unknown as number }))
        .expect(400);
      expect(stringy.body.message).toMatch(/lat/);
    });

    it('400 for a region that is not a known township', async () => {
      const res = await t
        .http()
        .post(`${API}/facilities`)
        .set(auth(t.adminToken))
        .send(facilityBody({ regionCode: '620422999' }))
        .expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(res.body.message).toMatch(/regionCode/);
      await t
        .http()
        .post(`${API}/facilities`)
        .set(auth(t.adminToken))
        .send(facilityBody({ regionCode: '620422' }))
        .expect(400);
    });

    it('400 for malformed JSON, not 500', async () => {
      await t
        .http()
        .post(`${API}/facilities`)
        .set(auth(t.adminToken))
        .set('Content-Type', 'application/json')
        .send('{"name":')
        .expect(400);
    });
  });

  describe('GET /facilities', () => {
    it('admin, bureau and dispatcher see all; filters by region and type', async () => {
      for (const token of [t.adminToken, bureau, dispatcher]) {
        const res = await t.http().get(`${API}/facilities`).set(auth(token)).expect(200);
        expect(res.body.items.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining([facilityA, facilityB]));
        expect(res.body.total).toBe(res.body.items.length);
      }
      const byRegion = await t
        .http()
        .get(`${API}/facilities`)
        .query({ regionCode: OTHER_TOWNSHIP })
        .set(auth(t.adminToken))
        .expect(200);
      expect(byRegion.body.items.map((f: { id: string }) => f.id)).toEqual([facilityB]);
      const byType = await t
        .http()
        .get(`${API}/facilities`)
        .query({ type: 'service_center' })
        .set(auth(t.adminToken))
        .expect(200);
      expect(byType.body.items.every((f: { type: string }) => f.type === 'service_center')).toBe(true);
      const paged = await t
        .http()
        .get(`${API}/facilities`)
        .query({ limit: 1, offset: 1 })
        .set(auth(t.adminToken))
        .expect(200);
      expect(paged.body.items).toHaveLength(1);
      expect(paged.body.total).toBeGreaterThanOrEqual(3);
    });

    it('a manager sees only its own facilities', async () => {
      const res = await t.http().get(`${API}/facilities`).set(auth(managerA)).expect(200);
      expect(res.body).toEqual({ items: [expect.objectContaining({ id: facilityA })], total: 1 });
    });

    it('403 for a caregiver, 400 for bad filters', async () => {
      await t.http().get(`${API}/facilities`).set(auth(caregiver)).expect(403);
      const bad = await t
        .http()
        .get(`${API}/facilities`)
        .query({ type: 'hotel', limit: 501, offset: -1, foo: 1 })
        .set(auth(t.adminToken))
        .expect(400);
      for (const field of ['type', 'limit', 'offset', 'foo']) expect(bad.body.message).toMatch(new RegExp(field));
    });
  });

  describe('GET /facilities/:id', () => {
    it('reads one; a manager gets 404 for another facility', async () => {
      const res = await t.http().get(`${API}/facilities/${facilityA}`).set(auth(managerA)).expect(200);
      expect(res.body).toMatchObject({ id: facilityA, name: '会师镇敬老院', type: 'nursing_home' });
      const hidden = await t.http().get(`${API}/facilities/${facilityB}`).set(auth(managerA)).expect(404);
      expect(hidden.body.code).toBe('NOT_FOUND');
      await t.http().get(`${API}/facilities/${facilityB}`).set(auth(dispatcher)).expect(200);
      await t.http().get(`${API}/facilities/${facilityB}`).set(auth(caregiver)).expect(403);
    });

    it('400 for a malformed id, 404 for an unknown one', async () => {
      const bad = await t.http().get(`${API}/facilities/not-a-uuid`).set(auth(t.adminToken)).expect(400);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/id/) });
      await t.http().get(`${API}/facilities/${UNKNOWN_UUID}`).set(auth(t.adminToken)).expect(404);
    });
  });

  describe('PATCH /facilities/:id', () => {
    it('admin and bureau change fields; a cleared address is null', async () => {
      const id = await createFacility(t, { name: '临时', type: 'community_station', comprehensive: false });
      const res = await t
        .http()
        .patch(`${API}/facilities/${id}`)
        .set(auth(bureau))
        .send({ name: '新名', comprehensive: true, address: null, regionCode: OTHER_TOWNSHIP })
        .expect(200);
      expect(res.body).toMatchObject({
        id,
        name: '新名',
        comprehensive: true,
        address: null,
        regionCode: OTHER_TOWNSHIP,
        type: 'community_station',
      });
      await t.http().patch(`${API}/facilities/${id}`).set(auth(t.adminToken)).send({ lat: 36 }).expect(200);
    });

    it('403 for a manager; 400 for null, wrong values, unknown fields or regions; 404 for an unknown id', async () => {
      await t.http().patch(`${API}/facilities/${facilityA}`).set(auth(managerA)).send({ name: 'x' }).expect(403);
      const res = await t
        .http()
        .patch(`${API}/facilities/${facilityA}`)
        .set(auth(t.adminToken))
        .send({ name: null, type: 'x', lat: 100, colour: 'red' })
        .expect(400);
      for (const field of ['name', 'type', 'lat', 'colour']) expect(res.body.message).toMatch(new RegExp(field));
      await t
        .http()
        .patch(`${API}/facilities/${facilityA}`)
        .set(auth(t.adminToken))
        .send({ regionCode: '620422998' })
        .expect(400);
      await t.http().patch(`${API}/facilities/${UNKNOWN_UUID}`).set(auth(t.adminToken)).send({ name: 'x' }).expect(404);
      await t.http().patch(`${API}/facilities/123`).set(auth(t.adminToken)).send({ name: 'x' }).expect(400);
    });
  });

  describe('POST /residents', () => {
    it('registers a resident: masked number, gender and birth date from the number, linked to the manager’s facility', async () => {
      const res = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(managerA))
        .send({
          name: '王秀英',
          idNumber: '620422193806150024',
          regionCode: TOWNSHIP,
          livingArrangement: 'institution',
          categories: ['destitute', 'disabled'],
          phone: '0943-3221234',
          lat: 35.7,
          lng: 105.1,
        })
        .expect(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        name: '王秀英',
        idNumberMasked: '620422***********4',
        gender: 'female',
        birthDate: '1938-06-15',
        regionCode: TOWNSHIP,
        livingArrangement: 'institution',
        categories: ['destitute', 'disabled'],
        lat: 35.7,
        lng: 105.1,
        phone: '0943-3221234',
      });
      expect(res.body.age).toBeGreaterThanOrEqual(87);
      expect(JSON.stringify(res.body)).not.toContain('620422193806150024');
      expect(res.body.idNumber).toBeUndefined();
      await t.http().get(`${API}/residents/${res.body.id}`).set(auth(managerA)).expect(200);
      await t.http().get(`${API}/residents/${res.body.id}`).set(auth(managerB)).expect(404);
    });

    it('409 RESIDENT_EXISTS for a number already registered, whatever its case', async () => {
      const first = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(t.adminToken))
        .send({
          name: '李',
          idNumber: '11010519491231002X',
          regionCode: TOWNSHIP,
          livingArrangement: 'home',
          categories: [],
        })
        .expect(201);
      expect(first.body).toMatchObject({
        idNumberMasked: '110105***********X',
        gender: 'female',
        birthDate: '1949-12-31',
      });
      const dup = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(dispatcher))
        .send({
          name: '李',
          idNumber: '11010519491231002x',
          regionCode: TOWNSHIP,
          livingArrangement: 'home',
          categories: [],
        })
        .expect(409);
      expect(dup.body.code).toBe('RESIDENT_EXISTS');
      expect(dup.body.message).not.toContain('11010519491231002');
    });

    it('accepts gender and birth date that agree; 400 when they disagree', async () => {
      const body = {
        name: '赵',
        idNumber: '620422194501010017',
        regionCode: TOWNSHIP,
        livingArrangement: 'home',
        categories: [],
      };
      const wrong = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(t.adminToken))
        .send({ ...body, gender: 'female', birthDate: '1945-01-02' })
        .expect(400);
      expect(wrong.body.message).toMatch(/gender/);
      expect(wrong.body.message).toMatch(/birthDate/);
      const ok = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(t.adminToken))
        .send({ ...body, gender: 'male', birthDate: '1945-01-01' })
        .expect(201);
      expect(ok.body).toMatchObject({ gender: 'male', birthDate: '1945-01-01' });
    });

    it('400 for a wrong check digit, an impossible or future birth date, a malformed number', async () => {
      const base = { name: '钱', regionCode: TOWNSHIP, livingArrangement: 'home', categories: [] };
      const check = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(t.adminToken))
        .send({ ...base, idNumber: '620422194501010018' })
        .expect(400);
      expect(check.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(/idNumber: check digit/),
      });
      expect(check.body.message).not.toContain('620422194501010018');
      const future = makeIdNumber('2099-01-01');
      const fut = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(t.adminToken))
        .send({ ...base, idNumber: future })
        .expect(400);
      expect(fut.body.message).toMatch(/idNumber: .*future/);
      const impossible = makeIdNumber('1945-02-30');
      await t
        .http()
        .post(`${API}/residents`)
        .set(auth(t.adminToken))
        .send({ ...base, idNumber: impossible })
        .expect(400);
      for (const bad of ['12345', '62042219450101001Y', 620422194501010017]) {
        const res = await t
          .http()
          .post(`${API}/residents`)
          .set(auth(t.adminToken))
          .send({ ...base, idNumber: bad })
          .expect(400);
        expect(res.body.message).toMatch(/idNumber/);
      }
    });

    it('400 naming every bad field: categories, living arrangement, region, coordinates, dates, unknown fields', async () => {
      const res = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(t.adminToken))
        .send({
          name: '',
          idNumber: makeIdNumber(),
          regionCode: 'abc',
          livingArrangement: 'hotel',
          categories: ['rich', 'rich'],
          lat: 100,
          lng: 'east',
          birthDate: '1945-13-01',
          gender: 'x',
          phone: 'call me',
          facilityId: 'nope',
          idNumberMasked: 'x',
        })
        .expect(400);
      for (const field of [
        'name',
        'regionCode',
        'livingArrangement',
        'categories',
        'lat',
        'lng',
        'birthDate',
        'gender',
        'phone',
        'facilityId',
        'idNumberMasked',
      ]) {
        expect(res.body.message).toMatch(new RegExp(field));
      }
      const region = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(t.adminToken))
        .send({
          name: '孙',
          idNumber: makeIdNumber(),
          regionCode: '620422999',
          livingArrangement: 'home',
          categories: [],
        })
        .expect(400);
      expect(region.body.message).toMatch(/regionCode/);
      const noCategories = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(t.adminToken))
        .send({ name: '孙', idNumber: makeIdNumber(), regionCode: TOWNSHIP, livingArrangement: 'home' })
        .expect(400);
      expect(noCategories.body.message).toMatch(/categories/);
    });

    it('a manager of several facilities names one; another facility is refused', async () => {
      const body = { name: '周', regionCode: TOWNSHIP, livingArrangement: 'institution', categories: [] };
      const ambiguous = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(managerAB))
        .send({ ...body, idNumber: makeIdNumber() })
        .expect(400);
      expect(ambiguous.body.message).toMatch(/facilityId/);
      const ok = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(managerAB))
        .send({ ...body, idNumber: makeIdNumber(), facilityId: facilityB })
        .expect(201);
      await t.http().get(`${API}/residents/${ok.body.id}`).set(auth(managerB)).expect(200);
      await t.http().get(`${API}/residents/${ok.body.id}`).set(auth(managerA)).expect(404);
      const foreign = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(managerA))
        .send({ ...body, idNumber: makeIdNumber(), facilityId: facilityB })
        .expect(400);
      expect(foreign.body.message).toMatch(/facilityId/);
      const unknown = await t
        .http()
        .post(`${API}/residents`)
        .set(auth(t.adminToken))
        .send({ ...body, idNumber: makeIdNumber(), facilityId: UNKNOWN_UUID })
        .expect(400);
      expect(unknown.body.message).toMatch(/facilityId/);
    });

    it('a dispatcher registers residents living at home only; a caregiver none', async () => {
      const body = { name: '吴', regionCode: TOWNSHIP, categories: ['living_alone'] };
      await t
        .http()
        .post(`${API}/residents`)
        .set(auth(dispatcher))
        .send({ ...body, idNumber: makeIdNumber(), livingArrangement: 'home' })
        .expect(201);
      await t
        .http()
        .post(`${API}/residents`)
        .set(auth(dispatcher))
        .send({ ...body, idNumber: makeIdNumber(), livingArrangement: 'institution' })
        .expect(403);
      await t
        .http()
        .post(`${API}/residents`)
        .set(auth(dispatcher))
        .send({ ...body, idNumber: makeIdNumber(), livingArrangement: 'home', facilityId: facilityA })
        .expect(400);
      await t
        .http()
        .post(`${API}/residents`)
        .set(auth(caregiver))
        .send({ ...body, idNumber: makeIdNumber(), livingArrangement: 'home' })
        .expect(403);
      await t
        .http()
        .post(`${API}/residents`)
        .send({ ...body, idNumber: makeIdNumber(), livingArrangement: 'home' })
        .expect(401);
    });

    it('stores the number only encrypted and hashed: no column holds it in clear', async () => {
      const { id, idNumber } = await createResident(t, { name: '郑' });
      const [row] = await t.db.query<Record<string, unknown>[]>('SELECT * FROM residents WHERE id = ?', [id]);
      for (const value of Object.values(row)) expect(String(value)).not.toContain(idNumber);
      expect(String(row.id_number_cipher)).toMatch(/^v1\./);
      expect(String(row.id_number_hash)).toMatch(/^[0-9a-f]{64}$/);
    });
  });

  describe('GET /residents', () => {
    let atA: string;
    let atHome: string;
    let atHomeNumber: string;
    beforeAll(async () => {
      atA = (
        await createResident(t, {
          name: '陈阿婆',
          livingArrangement: 'institution',
          facilityId: facilityA,
          categories: ['low_income'],
        })
      ).id;
      const home = await createResident(t, {
        name: '冯大爷',
        gender: 'male',
        livingArrangement: 'home',
        categories: ['economic_hardship', 'living_alone'],
        token: dispatcher,
      });
      atHome = home.id;
      atHomeNumber = home.idNumber;
    });

    it('admin and bureau see everyone; filters combine', async () => {
      const all = await t.http().get(`${API}/residents`).set(auth(bureau)).expect(200);
      expect(all.body.total).toBeGreaterThanOrEqual(2);
      const ids = all.body.items.map((r: { id: string }) => r.id);
      expect(ids).toEqual(expect.arrayContaining([atA, atHome]));
      const cat = await t
        .http()
        .get(`${API}/residents`)
        .query({ category: 'economic_hardship', livingArrangement: 'home', regionCode: TOWNSHIP })
        .set(auth(t.adminToken))
        .expect(200);
      expect(cat.body.items.map((r: { id: string }) => r.id)).toEqual([atHome]);
      for (const item of all.body.items) {
        expect(item.idNumberMasked).toMatch(/^\d{6}\*{11}[\dX]$/);
        expect(item.idNumber).toBeUndefined();
      }
    });

    it('pages carry the count of every match (scope and filters applied), a page past the end too', async () => {
      const all = await t.http().get(`${API}/residents`).query({ limit: 500 }).set(auth(t.adminToken)).expect(200);
      const n = all.body.total as number;
      expect(all.body.items).toHaveLength(n);
      const pages: string[] = [];
      for (let offset = 0; offset < n; offset += 1) {
        const page = await t.http().get(`${API}/residents`).query({ limit: 1, offset }).set(auth(t.adminToken));
        expect(page.body.total).toBe(n);
        pages.push(...page.body.items.map((r: { id: string }) => r.id));
      }
      expect(pages).toEqual(all.body.items.map((r: { id: string }) => r.id));
      const past = await t
        .http()
        .get(`${API}/residents`)
        .query({ offset: n + 5 })
        .set(auth(t.adminToken))
        .expect(200);
      expect(past.body).toEqual({ items: [], total: n });
      const home = await t.http().get(`${API}/residents`).query({ limit: 500 }).set(auth(dispatcher)).expect(200);
      const homeFirst = await t.http().get(`${API}/residents`).query({ limit: 1 }).set(auth(dispatcher)).expect(200);
      expect(homeFirst.body.total).toBe(home.body.items.length);
      const none = await t
        .http()
        .get(`${API}/residents`)
        .query({ q: '没有这个人' })
        .set(auth(t.adminToken))
        .expect(200);
      expect(none.body).toEqual({ items: [], total: 0 });
      const a = await t.http().get(`${API}/residents`).query({ offset: 50 }).set(auth(managerA)).expect(200);
      const aAll = await t.http().get(`${API}/residents`).query({ limit: 500 }).set(auth(managerA)).expect(200);
      expect(a.body.total).toBe(aAll.body.items.length);
    });

    it('q matches part of the name, or the exact ID number (any case) through its hash', async () => {
      const byName = await t.http().get(`${API}/residents`).query({ q: '冯大' }).set(auth(t.adminToken)).expect(200);
      expect(byName.body.items.map((r: { id: string }) => r.id)).toEqual([atHome]);
      const byNumber = await t
        .http()
        .get(`${API}/residents`)
        .query({ q: atHomeNumber.toLowerCase() })
        .set(auth(t.adminToken))
        .expect(200);
      expect(byNumber.body.items.map((r: { id: string }) => r.id)).toEqual([atHome]);
      const partialNumber = await t
        .http()
        .get(`${API}/residents`)
        .query({ q: atHomeNumber.slice(0, 10) })
        .set(auth(t.adminToken))
        .expect(200);
      expect(partialNumber.body.total).toBe(0);
      const wildcard = await t.http().get(`${API}/residents`).query({ q: '%' }).set(auth(t.adminToken)).expect(200);
      expect(wildcard.body.total).toBe(0);
    });

    it('a manager sees residents linked to its facilities only; a dispatcher those at home', async () => {
      const a = await t.http().get(`${API}/residents`).set(auth(managerA)).expect(200);
      const aIds = a.body.items.map((r: { id: string }) => r.id);
      expect(aIds).toContain(atA);
      expect(aIds).not.toContain(atHome);
      const b = await t.http().get(`${API}/residents`).set(auth(managerB)).expect(200);
      expect(b.body.items.map((r: { id: string }) => r.id)).not.toContain(atA);
      const d = await t.http().get(`${API}/residents`).set(auth(dispatcher)).expect(200);
      expect(d.body.items.every((r: { livingArrangement: string }) => r.livingArrangement === 'home')).toBe(true);
      expect(d.body.items.map((r: { id: string }) => r.id)).toContain(atHome);
      await t.http().get(`${API}/residents`).set(auth(caregiver)).expect(403);
      await t.http().get(`${API}/residents`).expect(401);
    });

    it('400 for bad filters', async () => {
      const res = await t
        .http()
        .get(`${API}/residents`)
        .query({ category: 'rich', livingArrangement: 'moon', limit: 0 })
        .set(auth(t.adminToken))
        .expect(400);
      for (const field of ['category', 'livingArrangement', 'limit'])
        expect(res.body.message).toMatch(new RegExp(field));
    });

    it('GET /residents/:id adds age and latestAssessment; scoped like the list', async () => {
      const res = await t.http().get(`${API}/residents/${atHome}`).set(auth(dispatcher)).expect(200);
      expect(res.body).toMatchObject({
        id: atHome,
        name: '冯大爷',
        gender: 'male',
        age: expect.any(Number),
        latestAssessment: null,
      });
      expect(res.body.categories).toEqual(['economic_hardship', 'living_alone']);
      await t.http().get(`${API}/residents/${atA}`).set(auth(dispatcher)).expect(404);
      await t.http().get(`${API}/residents/${atA}`).set(auth(managerB)).expect(404);
      await t.http().get(`${API}/residents/${atA}`).set(auth(caregiver)).expect(403);
      await t.http().get(`${API}/residents/${UNKNOWN_UUID}`).set(auth(t.adminToken)).expect(404);
      const bad = await t.http().get(`${API}/residents/abc`).set(auth(t.adminToken)).expect(400);
      expect(bad.body.message).toMatch(/id/);
    });
  });

  describe('PATCH /residents/:id', () => {
    it('changes contact details, categories and living arrangement', async () => {
      const { id } = await createResident(t, { name: '褚', facilityId: facilityA });
      const res = await t
        .http()
        .patch(`${API}/residents/${id}`)
        .set(auth(managerA))
        .send({
          phone: '13800000000',
          address: '会师镇东街2号',
          categories: ['empty_nest'],
          livingArrangement: 'institution',
          lat: null,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        id,
        phone: '13800000000',
        address: '会师镇东街2号',
        categories: ['empty_nest'],
        livingArrangement: 'institution',
        lat: null,
      });
      await t.http().patch(`${API}/residents/${id}`).set(auth(managerB)).send({ phone: '12345' }).expect(404);
      const bad = await t
        .http()
        .patch(`${API}/residents/${id}`)
        .set(auth(managerA))
        .send({ categories: null, livingArrangement: 'moon', idNumber: makeIdNumber() })
        .expect(400);
      for (const field of ['categories', 'livingArrangement', 'idNumber'])
        expect(bad.body.message).toMatch(new RegExp(field));
      await t.http().patch(`${API}/residents/${id}`).set(auth(caregiver)).send({ phone: '1234' }).expect(403);
    });
  });
});
