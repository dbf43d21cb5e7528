import { auth, createTestApp, TestContext } from '@care/testing';
import { API, UNKNOWN_UUID, caregiverToken, createBed, createFacility, createResident } from './support/care-homes';
import { buildApp } from '../support/apps';

describe('beds, admissions and stays', () => {
  let t: TestContext;
  let facilityA: string;
  let facilityB: string;
  let managerA: string;
  let managerB: string;
  let bureau: string;
  let dispatcher: string;
  let caregiver: string;

  const bedStatus = async (id: string) =>
    (await t.db.query<{ status: string }[]>('SELECT status FROM beds WHERE id = ?', [id]))[0].status;
  const living = async (id: string) =>
    (
      await t.db.query<{ living_arrangement: string }[]>('SELECT living_arrangement FROM residents WHERE id = ?', [id])
    )[0].living_arrangement;
  /** Full ID numbers of the residents made here: how a manager names an elder registered elsewhere (the desk flow). */
  const idNumbers = new Map<string, string>();
  const newResident = async (o: Parameters<typeof createResident>[1] = {}) => {
    const r = await createResident(t, o);
    idNumbers.set(r.id, r.idNumber);
    return r;
  };
  /**
   * Admits as a manager by default. A manager reaches a resident registered elsewhere only by its full ID number, so
   * a resident made here is named by it unless `byId` (the admission rules, not scope, are what most tests check).
   */
  const admit = (facilityId: string, body: Record<string, unknown>, token = managerA, byId = false) => {
    const { residentId, ...rest } = body;
    const known = typeof residentId === 'string' ? idNumbers.get(residentId) : undefined;
    const send = known && !byId && token !== t.adminToken ? { idNumber: known, ...rest } : body;
    return t.http().post(`${API}/facilities/${facilityId}/admissions`).set(auth(token)).send(send);
  };

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'bedstays');
    facilityA = await createFacility(t, { name: '会师镇敬老院', type: 'nursing_home' });
    facilityB = await createFacility(t, { name: '郭城驿镇敬老院', type: 'nursing_home' });
    managerA = await t.userToken('manager', { facilityIds: [facilityA] });
    managerB = await t.userToken('manager', { facilityIds: [facilityB] });
    bureau = await t.userToken('bureau');
    dispatcher = await t.userToken('dispatcher');
    caregiver = await caregiverToken(t);
  });
  afterAll(() => t.close());

  describe('POST /facilities/:facilityId/beds', () => {
    it('creates a vacant bed (manager of the facility, admin; the bureau writes facilities and regions only)', async () => {
      const res = await t
        .http()
        .post(`${API}/facilities/${facilityA}/beds`)
        .set(auth(managerA))
        .send({ room: '101', label: '101-1', type: 'nursing', building: 'A', floor: 1, gender: 'female' })
        .expect(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        facilityId: facilityA,
        room: '101',
        label: '101-1',
        type: 'nursing',
        status: 'vacant',
        gender: 'female',
        building: 'A',
        floor: 1,
      });
      await t
        .http()
        .post(`${API}/facilities/${facilityA}/beds`)
        .set(auth(bureau))
        .send({ room: '101', label: '101-2', type: 'nursing' })
        .expect(403);
      await t
        .http()
        .post(`${API}/facilities/${facilityA}/beds`)
        .set(auth(t.adminToken))
        .send({ room: '101', label: '101-2', type: 'nursing' })
        .expect(201);
    });

    it('409 BED_LABEL_TAKEN for a duplicate room and label (also differing only in case)', async () => {
      const res = await t
        .http()
        .post(`${API}/facilities/${facilityA}/beds`)
        .set(auth(managerA))
        .send({ room: '101', label: '101-1', type: 'ordinary' })
        .expect(409);
      expect(res.body.code).toBe('BED_LABEL_TAKEN');
      await createBed(t, facilityA, { room: 'C1', label: 'a', type: 'ordinary' });
      const cased = await t
        .http()
        .post(`${API}/facilities/${facilityA}/beds`)
        .set(auth(managerA))
        .send({ room: 'c1', label: 'A', type: 'ordinary' })
        .expect(409);
      expect(cased.body.code).toBe('BED_LABEL_TAKEN');
      // the same label in another room, or in another facility, is fine
      await t
        .http()
        .post(`${API}/facilities/${facilityA}/beds`)
        .set(auth(managerA))
        .send({ room: '102', label: '101-1', type: 'ordinary' })
        .expect(201);
      await t
        .http()
        .post(`${API}/facilities/${facilityB}/beds`)
        .set(auth(managerB))
        .send({ room: '101', label: '101-1', type: 'ordinary' })
        .expect(201);
    });

    it('422 ROOM_FULL beyond 6 nursing-type or 4 ordinary beds in a room (JGJ 450)', async () => {
      for (let i = 1; i <= 6; i++) await createBed(t, facilityA, { room: 'N6', label: String(i), type: 'nursing' });
      const full = await t
        .http()
        .post(`${API}/facilities/${facilityA}/beds`)
        .set(auth(managerA))
        .send({ room: 'N6', label: '7', type: 'nursing' })
        .expect(422);
      expect(full.body.code).toBe('ROOM_FULL');
      for (let i = 1; i <= 4; i++) await createBed(t, facilityA, { room: 'O4', label: String(i), type: 'ordinary' });
      const ordinary = await t
        .http()
        .post(`${API}/facilities/${facilityA}/beds`)
        .set(auth(managerA))
        .send({ room: 'O4', label: '5', type: 'nursing' })
        .expect(422);
      expect(ordinary.body.code).toBe('ROOM_FULL');
    });

    it('401, 403 and 404 by role and facility; 400 for bad input', async () => {
      const bed = { room: '201', label: '1', type: 'nursing' };
      await t.http().post(`${API}/facilities/${facilityA}/beds`).send(bed).expect(401);
      await t.http().post(`${API}/facilities/${facilityA}/beds`).set(auth(dispatcher)).send(bed).expect(403);
      await t.http().post(`${API}/facilities/${facilityA}/beds`).set(auth(caregiver)).send(bed).expect(403);
      await t.http().post(`${API}/facilities/${facilityA}/beds`).set(auth(managerB)).send(bed).expect(404);
      await t.http().post(`${API}/facilities/${UNKNOWN_UUID}/beds`).set(auth(t.adminToken)).send(bed).expect(404);
      const badPath = await t.http().post(`${API}/facilities/xyz/beds`).set(auth(t.adminToken)).send(bed).expect(400);
      expect(badPath.body.message).toMatch(/facilityId/);
      const res = await t
        .http()
        .post(`${API}/facilities/${facilityA}/beds`)
        .set(auth(managerA))
        .send({ room: '', label: 5, type: 'luxury', gender: 'x', floor: 1.5, status: 'occupied' })
        .expect(400);
      for (const field of ['room', 'label', 'type', 'gender', 'floor', 'status'])
        expect(res.body.message).toMatch(new RegExp(field));
    });
  });

  describe('POST /facilities/:facilityId/beds/bulk', () => {
    it('creates all the beds → { created }', async () => {
      const beds = Array.from({ length: 12 }, (_, i) => ({
        room: `B${Math.floor(i / 6)}`,
        label: String(i % 6),
        type: 'nursing',
      }));
      const res = await t
        .http()
        .post(`${API}/facilities/${facilityB}/beds/bulk`)
        .set(auth(managerB))
        .send({ beds })
        .expect(201);
      expect(res.body).toEqual({ created: 12 });
    });

    it('is all or nothing: one taken label, a duplicate in the payload or a full room creates none', async () => {
      const count = async () =>
        Number(
          (await t.db.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM beds WHERE facility_id = ?', [facilityB]))[0].n,
        );
      const before = await count();
      const taken = await t
        .http()
        .post(`${API}/facilities/${facilityB}/beds/bulk`)
        .set(auth(managerB))
        .send({
          beds: [
            { room: 'X1', label: '1', type: 'ordinary' },
            { room: 'B0', label: '0', type: 'nursing' },
          ],
        })
        .expect(409);
      expect(taken.body.code).toBe('BED_LABEL_TAKEN');
      const dup = await t
        .http()
        .post(`${API}/facilities/${facilityB}/beds/bulk`)
        .set(auth(managerB))
        .send({
          beds: [
            { room: 'X2', label: '1', type: 'ordinary' },
            { room: 'X2', label: '1', type: 'ordinary' },
          ],
        })
        .expect(409);
      expect(dup.body.code).toBe('BED_LABEL_TAKEN');
      const full = await t
        .http()
        .post(`${API}/facilities/${facilityB}/beds/bulk`)
        .set(auth(managerB))
        .send({ beds: Array.from({ length: 5 }, (_, i) => ({ room: 'X3', label: String(i), type: 'ordinary' })) })
        .expect(422);
      expect(full.body.code).toBe('ROOM_FULL');
      expect(await count()).toBe(before);
    });

    it('400 naming the nested field; for an empty list; 404 for another facility', async () => {
      const res = await t
        .http()
        .post(`${API}/facilities/${facilityB}/beds/bulk`)
        .set(auth(managerB))
        .send({
          beds: [
            { room: 'Y', label: '1', type: 'nursing' },
            { room: 'Y', label: '2', type: 'sofa', extra: true },
          ],
        })
        .expect(400);
      expect(res.body.message).toMatch(/beds\.1\.type/);
      expect(res.body.message).toMatch(/beds\.1\.extra/);
      await t
        .http()
        .post(`${API}/facilities/${facilityB}/beds/bulk`)
        .set(auth(managerB))
        .send({ beds: [] })
        .expect(400);
      await t
        .http()
        .post(`${API}/facilities/${facilityB}/beds/bulk`)
        .set(auth(managerB))
        .send({ beds: 'many' })
        .expect(400);
      await t
        .http()
        .post(`${API}/facilities/${facilityB}/beds/bulk`)
        .set(auth(managerA))
        .send({ beds: [{ room: 'Z', label: '1', type: 'nursing' }] })
        .expect(404);
    });
  });

  describe('GET /facilities/:facilityId/beds and bed-summary', () => {
    let summaryFacility: string;
    beforeAll(async () => {
      summaryFacility = await createFacility(t, { name: '统计用', type: 'nursing_home' });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++)
        ids.push(await createBed(t, summaryFacility, { room: 'S1', label: String(i), type: 'nursing' }));
      for (let i = 0; i < 3; i++)
        ids.push(await createBed(t, summaryFacility, { room: 'S2', label: String(i), type: 'ordinary' }));
      await t.http().patch(`${API}/beds/${ids[4]}`).set(auth(t.adminToken)).send({ status: 'closed' }).expect(200);
      await t.http().patch(`${API}/beds/${ids[7]}`).set(auth(t.adminToken)).send({ status: 'maintenance' }).expect(200);
      const { id: residentId } = await newResident();
      await admit(summaryFacility, { residentId, bedId: ids[0] }, t.adminToken).expect(201);
    });

    it('lists beds with filters', async () => {
      const all = await t.http().get(`${API}/facilities/${summaryFacility}/beds`).set(auth(bureau)).expect(200);
      expect(all.body.total).toBe(8);
      const nursing = await t
        .http()
        .get(`${API}/facilities/${summaryFacility}/beds`)
        .query({ type: 'nursing', status: 'vacant' })
        .set(auth(t.adminToken))
        .expect(200);
      expect(nursing.body.total).toBe(3);
      expect(
        nursing.body.items.every(
          (b: { type: string; status: string }) => b.type === 'nursing' && b.status === 'vacant',
        ),
      ).toBe(true);
      const page = await t
        .http()
        .get(`${API}/facilities/${summaryFacility}/beds`)
        .query({ limit: 2 })
        .set(auth(t.adminToken))
        .expect(200);
      expect(page.body).toMatchObject({ total: 8, items: [expect.anything(), expect.anything()] });
      const bad = await t
        .http()
        .get(`${API}/facilities/${summaryFacility}/beds`)
        .query({ status: 'broken', type: 'sofa' })
        .set(auth(t.adminToken))
        .expect(400);
      expect(bad.body.message).toMatch(/status/);
      expect(bad.body.message).toMatch(/type/);
    });

    it('summarises beds in service exactly as the contract says', async () => {
      const res = await t.http().get(`${API}/facilities/${summaryFacility}/bed-summary`).set(auth(bureau)).expect(200);
      // 8 beds, 1 closed → 7 in service: 4 nursing + 3 ordinary; 1 occupied, 5 vacant, 1 maintenance
      expect(res.body).toMatchObject({
        total: 7,
        nursing: 4,
        ordinary: 3,
        occupied: 1,
        vacant: 5,
        nursingShare: 0.5714,
        utilization: 0.1429,
        nursingShareTarget: 0.55,
        meetsNursingShareTarget: true,
      });
    });

    it('is null-safe for a facility without beds', async () => {
      const empty = await createFacility(t, { name: '空', type: 'community_station' });
      const res = await t.http().get(`${API}/facilities/${empty}/bed-summary`).set(auth(t.adminToken)).expect(200);
      expect(res.body).toMatchObject({
        total: 0,
        nursing: 0,
        ordinary: 0,
        occupied: 0,
        vacant: 0,
        nursingShare: null,
        utilization: null,
        meetsNursingShareTarget: false,
      });
    });

    it('scopes by facility and role', async () => {
      await t.http().get(`${API}/facilities/${summaryFacility}/beds`).set(auth(managerA)).expect(404);
      await t.http().get(`${API}/facilities/${summaryFacility}/bed-summary`).set(auth(managerA)).expect(404);
      await t.http().get(`${API}/facilities/${summaryFacility}/beds`).set(auth(dispatcher)).expect(403);
      await t.http().get(`${API}/facilities/${summaryFacility}/bed-summary`).set(auth(caregiver)).expect(403);
      await t.http().get(`${API}/facilities/${summaryFacility}/beds`).expect(401);
      await t.http().get(`${API}/facilities/${UNKNOWN_UUID}/bed-summary`).set(auth(t.adminToken)).expect(404);
      await t.http().get(`${API}/facilities/nope/bed-summary`).set(auth(t.adminToken)).expect(400);
    });
  });

  describe('PATCH /beds/:id', () => {
    it('changes type and status among vacant, maintenance and closed', async () => {
      const id = await createBed(t, facilityA, { room: 'P1', label: '1', type: 'nursing' });
      const res = await t
        .http()
        .patch(`${API}/beds/${id}`)
        .set(auth(managerA))
        .send({ type: 'ordinary', status: 'maintenance' })
        .expect(200);
      expect(res.body).toMatchObject({ id, type: 'ordinary', status: 'maintenance' });
      await t.http().patch(`${API}/beds/${id}`).set(auth(managerA)).send({ status: 'closed' }).expect(200);
      await t.http().patch(`${API}/beds/${id}`).set(auth(managerA)).send({ status: 'vacant' }).expect(200);
      expect(await bedStatus(id)).toBe('vacant');
    });

    it('400 for occupied/reserved as a target, wrong enums, null, unknown fields, a bad id; 404 outside the facility', async () => {
      const id = await createBed(t, facilityA, { room: 'P2', label: '1', type: 'nursing' });
      for (const status of ['occupied', 'reserved', 'broken', null]) {
        const res = await t.http().patch(`${API}/beds/${id}`).set(auth(managerA)).send({ status }).expect(400);
        expect(res.body.message).toMatch(/status/);
      }
      const res = await t
        .http()
        .patch(`${API}/beds/${id}`)
        .set(auth(managerA))
        .send({ type: 'sofa', label: 'x' })
        .expect(400);
      expect(res.body.message).toMatch(/type/);
      expect(res.body.message).toMatch(/label/);
      await t.http().patch(`${API}/beds/not-a-uuid`).set(auth(managerA)).send({ status: 'closed' }).expect(400);
      await t.http().patch(`${API}/beds/${UNKNOWN_UUID}`).set(auth(managerA)).send({ status: 'closed' }).expect(404);
      await t.http().patch(`${API}/beds/${id}`).set(auth(managerB)).send({ status: 'closed' }).expect(404);
      await t.http().patch(`${API}/beds/${id}`).set(auth(dispatcher)).send({ status: 'closed' }).expect(403);
    });

    it('409 BED_OCCUPIED when the bed holds an active stay; its type may still change', async () => {
      const id = await createBed(t, facilityA, { room: 'P3', label: '1', type: 'nursing' });
      const { id: residentId } = await newResident();
      await admit(facilityA, { residentId, bedId: id }).expect(201);
      for (const status of ['vacant', 'maintenance', 'closed']) {
        const res = await t.http().patch(`${API}/beds/${id}`).set(auth(managerA)).send({ status }).expect(409);
        expect(res.body.code).toBe('BED_OCCUPIED');
      }
      await t.http().patch(`${API}/beds/${id}`).set(auth(managerA)).send({ type: 'ordinary' }).expect(200);
      expect(await bedStatus(id)).toBe('occupied');
    });

    it('a reserved bed: set vacant releases the reservation; out of service is refused until then', async () => {
      const id = await createBed(t, facilityA, { room: 'P4', label: '1', type: 'nursing' });
      const { id: residentId } = await newResident();
      await t.db.query(
        `UPDATE beds SET status = 'reserved', reserved_for_resident_id = ?, reserved_until = ? WHERE id = ?`,
        [residentId, new Date(Date.now() + 86400_000), id],
      );
      const refused = await t
        .http()
        .patch(`${API}/beds/${id}`)
        .set(auth(managerA))
        .send({ status: 'maintenance' })
        .expect(409);
      expect(refused.body.code).toBe('BED_OCCUPIED');
      const released = await t
        .http()
        .patch(`${API}/beds/${id}`)
        .set(auth(managerA))
        .send({ status: 'vacant' })
        .expect(200);
      expect(released.body).toMatchObject({ status: 'vacant', reservedForResidentId: null, reservedUntil: null });
    });

    it('422 ROOM_FULL when a closed bed would reopen into a full room or a type change overfills it', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++)
        ids.push(await createBed(t, facilityA, { room: 'P5', label: String(i), type: 'nursing' }));
      await t.http().patch(`${API}/beds/${ids[0]}`).set(auth(managerA)).send({ status: 'closed' }).expect(200);
      await createBed(t, facilityA, { room: 'P5', label: '9', type: 'ordinary' }); // 3 nursing + 1 ordinary in service
      const reopen = await t
        .http()
        .patch(`${API}/beds/${ids[0]}`)
        .set(auth(managerA))
        .send({ status: 'vacant' })
        .expect(422);
      expect(reopen.body.code).toBe('ROOM_FULL');
      const six: string[] = [];
      for (let i = 0; i < 5; i++)
        six.push(await createBed(t, facilityA, { room: 'P6', label: String(i), type: 'nursing' }));
      await t.http().patch(`${API}/beds/${six[0]}`).set(auth(managerA)).send({ type: 'ordinary' }).expect(422);
    });
  });

  describe('admissions', () => {
    let bed1: string;
    let bed2: string;
    let maleBed: string;
    beforeAll(async () => {
      bed1 = await createBed(t, facilityA, { room: '301', label: '1', type: 'nursing' });
      bed2 = await createBed(t, facilityA, { room: '301', label: '2', type: 'nursing' });
      maleBed = await createBed(t, facilityA, { room: '302', label: '1', type: 'nursing', gender: 'male' });
    });

    it('admits: 201 with the stay; the bed is occupied; the resident lives in the institution and is linked', async () => {
      const { id: residentId } = await newResident({ name: '蒋', livingArrangement: 'home' });
      await t.http().get(`${API}/residents/${residentId}`).set(auth(managerA)).expect(404);
      // by a bare id the manager does not reach the elder; by the full ID number (the desk) it does
      await admit(facilityA, { residentId, bedId: bed1 }, managerA, true).expect(404);
      const res = await admit(facilityA, { residentId, bedId: bed1 }).expect(201);
      expect(res.body).toMatchObject({
        id: expect.any(String),
        residentId,
        bedId: bed1,
        facilityId: facilityA,
        status: 'active',
        residentName: '蒋',
      });
      expect(res.body.admittedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
      expect(await bedStatus(bed1)).toBe('occupied');
      expect(await living(residentId)).toBe('institution');
      await t.http().get(`${API}/residents/${residentId}`).set(auth(managerA)).expect(200);
      const history = await t.db.query<{ bed_id: string; ended_at: Date | null }[]>(
        'SELECT bed_id, ended_at FROM bed_occupancies WHERE stay_id = ?',
        [res.body.id],
      );
      expect(history).toEqual([{ bed_id: bed1, ended_at: null }]);
      // while the stay is active, the resident's living arrangement stays 'institution'
      const patch = await t
        .http()
        .patch(`${API}/residents/${residentId}`)
        .set(auth(managerA))
        .send({ livingArrangement: 'home' })
        .expect(409);
      expect(patch.body.code).toBe('RESIDENT_ALREADY_ADMITTED');
    });

    it('404 names what is missing: the facility, or a bed not in it', async () => {
      const { id: residentId } = await newResident({ name: '缺', livingArrangement: 'home' });
      const noFacility = await admit(UNKNOWN_UUID, { residentId, bedId: bed1 }, t.adminToken).expect(404);
      expect(noFacility.body.message).toMatch(/^Facility /);
      const noBed = await admit(facilityA, { residentId, bedId: UNKNOWN_UUID }).expect(404);
      expect(noBed.body.message).toMatch(/^Bed /);
      const bedElsewhere = await admit(facilityB, { residentId, bedId: bed1 }, t.adminToken).expect(404);
      expect(bedElsewhere.body.message).toMatch(/^Bed /);
      expect(await living(residentId)).toBe('home');
    });

    it('409 BED_OCCUPIED for a bed with an active stay; 409 RESIDENT_ALREADY_ADMITTED for a resident in one', async () => {
      const { id: other } = await newResident();
      const occupied = await admit(facilityA, { residentId: other, bedId: bed1 }).expect(409);
      expect(occupied.body.code).toBe('BED_OCCUPIED');
      const [{ resident_id: inBed1 }] = await t.db.query<{ resident_id: string }[]>(
        `SELECT resident_id FROM stays WHERE bed_id = ? AND status = 'active'`,
        [bed1],
      );
      const again = await admit(facilityA, { residentId: inBed1, bedId: bed2 }).expect(409);
      expect(again.body.code).toBe('RESIDENT_ALREADY_ADMITTED');
      // in another facility too
      const bedB = await createBed(t, facilityB, { room: '9', label: '1', type: 'nursing' });
      const elsewhere = await admit(facilityB, { residentId: inBed1, bedId: bedB }, managerB).expect(409);
      expect(elsewhere.body.code).toBe('RESIDENT_ALREADY_ADMITTED');
    });

    it('409 BED_UNAVAILABLE for maintenance or closed beds', async () => {
      const id = await createBed(t, facilityA, { room: '303', label: '1', type: 'nursing' });
      const { id: residentId } = await newResident();
      for (const status of ['maintenance', 'closed']) {
        await t.http().patch(`${API}/beds/${id}`).set(auth(managerA)).send({ status }).expect(200);
        const res = await admit(facilityA, { residentId, bedId: id }).expect(409);
        expect(res.body.code).toBe('BED_UNAVAILABLE');
      }
    });

    it('a reserved bed takes only its resident (until the reservation expires)', async () => {
      const id = await createBed(t, facilityA, { room: '304', label: '1', type: 'nursing' });
      const { id: holder } = await newResident();
      const { id: other } = await newResident();
      await t.db.query(
        `UPDATE beds SET status = 'reserved', reserved_for_resident_id = ?, reserved_until = ? WHERE id = ?`,
        [holder, new Date(Date.now() + 3600_000), id],
      );
      const res = await admit(facilityA, { residentId: other, bedId: id }).expect(409);
      expect(res.body.code).toBe('BED_OCCUPIED');
      await admit(facilityA, { residentId: holder, bedId: id }).expect(201);
      const [bed] = await t.db.query<{ status: string; reserved_for_resident_id: string | null }[]>(
        'SELECT status, reserved_for_resident_id FROM beds WHERE id = ?',
        [id],
      );
      expect(bed).toEqual({ status: 'occupied', reserved_for_resident_id: null });
      const expired = await createBed(t, facilityA, { room: '304', label: '2', type: 'nursing' });
      await t.db.query(
        `UPDATE beds SET status = 'reserved', reserved_for_resident_id = ?, reserved_until = ? WHERE id = ?`,
        [holder, new Date(Date.now() - 3600_000), expired],
      );
      await admit(facilityA, { residentId: other, bedId: expired }).expect(201);
    });

    it('422 GENDER_MISMATCH for a bed of the other gender', async () => {
      const { id: woman } = await newResident({ gender: 'female' });
      const res = await admit(facilityA, { residentId: woman, bedId: maleBed }).expect(422);
      expect(res.body.code).toBe('GENDER_MISMATCH');
      const { id: man } = await newResident({ gender: 'male' });
      await admit(facilityA, { residentId: man, bedId: maleBed, overrideReason: '家属要求' }).expect(201);
    });

    it('404 for a bed of another facility, an unknown resident, or a manager outside the facility; 403 for other roles', async () => {
      const { id: residentId } = await newResident();
      const bedB = await createBed(t, facilityB, { room: '8', label: '1', type: 'nursing' });
      await admit(facilityA, { residentId, bedId: bedB }).expect(404);
      await admit(facilityA, { residentId: UNKNOWN_UUID, bedId: bed2 }).expect(404);
      await admit(facilityB, { residentId, bedId: bedB }, managerA).expect(404);
      await admit(UNKNOWN_UUID, { residentId, bedId: bed2 }, t.adminToken).expect(404);
      for (const token of [bureau, dispatcher, caregiver])
        await admit(facilityA, { residentId, bedId: bed2 }, token).expect(403);
      await t.http().post(`${API}/facilities/${facilityA}/admissions`).send({ residentId, bedId: bed2 }).expect(401);
    });

    it('400 for bad ids, malformed or future times, unknown fields; never a 500', async () => {
      const { id: residentId } = await newResident();
      const res = await admit(facilityA, {
        residentId: 'r1',
        bedId: 42,
        admittedAt: '2026-13-01',
        foo: 'bar',
        overrideReason: '',
      }).expect(400);
      for (const field of ['residentId', 'bedId', 'admittedAt', 'foo', 'overrideReason'])
        expect(res.body.message).toMatch(new RegExp(field));
      const local = await admit(facilityA, { residentId, bedId: bed2, admittedAt: '2026-01-01T09:00:00' }).expect(400);
      expect(local.body.message).toMatch(/admittedAt/);
      const future = await admit(facilityA, {
        residentId,
        bedId: bed2,
        admittedAt: '2099-01-01T09:00:00+08:00',
      }).expect(400);
      expect(future.body.message).toMatch(/admittedAt: must not be in the future/);
      await t
        .http()
        .post(`${API}/facilities/bad/admissions`)
        .set(auth(managerA))
        .send({ residentId, bedId: bed2 })
        .expect(400);
      await admit(facilityA, {}).expect(400);
    });
  });

  describe('transfers, discharges, stays and occupancy', () => {
    let from: string;
    let to: string;
    let stayId: string;
    let residentId: string;

    beforeAll(async () => {
      from = await createBed(t, facilityA, { room: '401', label: '1', type: 'nursing' });
      to = await createBed(t, facilityA, { room: '401', label: '2', type: 'nursing' });
      residentId = (await newResident({ name: '沈', livingArrangement: 'home' })).id;
      stayId = (
        await admit(facilityA, { residentId, bedId: from, admittedAt: '2026-01-05T10:00:00+08:00' }).expect(201)
      ).body.id;
    });

    it('transfers to another bed of the facility: 200; old bed vacant, new occupied, history kept', async () => {
      const res = await t
        .http()
        .post(`${API}/stays/${stayId}/transfer`)
        .set(auth(managerA))
        .send({ bedId: to })
        .expect(200);
      expect(res.body).toMatchObject({
        id: stayId,
        bedId: to,
        status: 'active',
        residentId,
        admittedAt: '2026-01-05T10:00:00+08:00',
      });
      expect(await bedStatus(from)).toBe('vacant');
      expect(await bedStatus(to)).toBe('occupied');
      const periods = await t.db.query<{ bed_id: string; ended_at: Date | null; end_reason: string | null }[]>(
        'SELECT bed_id, ended_at, end_reason FROM bed_occupancies WHERE stay_id = ? ORDER BY started_at',
        [stayId],
      );
      expect(periods.map((p) => [p.bed_id, p.ended_at === null, p.end_reason])).toEqual([
        [from, false, 'transfer'],
        [to, true, null],
      ]);
    });

    it('applies the admission rules to the new bed', async () => {
      const { id: other } = await newResident();
      const occupiedBed = await createBed(t, facilityA, { room: '402', label: '1', type: 'nursing' });
      await admit(facilityA, { residentId: other, bedId: occupiedBed }).expect(201);
      const occupied = await t
        .http()
        .post(`${API}/stays/${stayId}/transfer`)
        .set(auth(managerA))
        .send({ bedId: occupiedBed })
        .expect(409);
      expect(occupied.body.code).toBe('BED_OCCUPIED');
      const broken = await createBed(t, facilityA, { room: '402', label: '2', type: 'nursing' });
      await t.http().patch(`${API}/beds/${broken}`).set(auth(managerA)).send({ status: 'maintenance' }).expect(200);
      const unavailable = await t
        .http()
        .post(`${API}/stays/${stayId}/transfer`)
        .set(auth(managerA))
        .send({ bedId: broken })
        .expect(409);
      expect(unavailable.body.code).toBe('BED_UNAVAILABLE');
      const menOnly = await createBed(t, facilityA, { room: '403', label: '1', type: 'nursing', gender: 'male' });
      const gender = await t
        .http()
        .post(`${API}/stays/${stayId}/transfer`)
        .set(auth(managerA))
        .send({ bedId: menOnly })
        .expect(422);
      expect(gender.body.code).toBe('GENDER_MISMATCH');
      const same = await t
        .http()
        .post(`${API}/stays/${stayId}/transfer`)
        .set(auth(managerA))
        .send({ bedId: to })
        .expect(400);
      expect(same.body.message).toMatch(/bedId/);
      const bedB = await createBed(t, facilityB, { room: '7', label: '1', type: 'nursing' });
      await t.http().post(`${API}/stays/${stayId}/transfer`).set(auth(managerA)).send({ bedId: bedB }).expect(404);
      await t.http().post(`${API}/stays/${stayId}/transfer`).set(auth(t.adminToken)).send({ bedId: bedB }).expect(404);
      await t.http().post(`${API}/stays/${stayId}/transfer`).set(auth(managerB)).send({ bedId: from }).expect(404);
      await t.http().post(`${API}/stays/${stayId}/transfer`).set(auth(bureau)).send({ bedId: from }).expect(403);
      await t
        .http()
        .post(`${API}/stays/${stayId}/transfer`)
        .set(auth(managerA))
        .send({ bedId: 'x', extra: 1 })
        .expect(400);
      await t.http().post(`${API}/stays/nope/transfer`).set(auth(managerA)).send({ bedId: from }).expect(400);
      await t
        .http()
        .post(`${API}/stays/${UNKNOWN_UUID}/transfer`)
        .set(auth(managerA))
        .send({ bedId: from })
        .expect(404);
      expect(await bedStatus(to)).toBe('occupied');
    });

    it('lists stays by status; GET /stays/:id; scoped', async () => {
      const active = await t
        .http()
        .get(`${API}/facilities/${facilityA}/stays`)
        .query({ status: 'active' })
        .set(auth(managerA))
        .expect(200);
      expect(active.body.items.map((s: { id: string }) => s.id)).toContain(stayId);
      expect(active.body.items.every((s: { status: string }) => s.status === 'active')).toBe(true);
      expect(active.body.total).toBe(active.body.items.length);
      const one = active.body.items.find((s: { id: string }) => s.id === stayId);
      expect(one).toMatchObject({ residentName: '沈', bedId: to, room: '401', bedLabel: '2' });
      await t.http().get(`${API}/stays/${stayId}`).set(auth(bureau)).expect(200);
      await t.http().get(`${API}/stays/${stayId}`).set(auth(managerB)).expect(404);
      await t.http().get(`${API}/facilities/${facilityA}/stays`).set(auth(managerB)).expect(404);
      await t.http().get(`${API}/facilities/${facilityA}/stays`).set(auth(dispatcher)).expect(403);
      await t
        .http()
        .get(`${API}/facilities/${facilityA}/stays`)
        .query({ status: 'gone' })
        .set(auth(managerA))
        .expect(400);
    });

    it('discharges: 200; the bed becomes vacant; returned_home sends the resident home; twice is 409', async () => {
      const early = await t
        .http()
        .post(`${API}/stays/${stayId}/discharge`)
        .set(auth(managerA))
        .send({ reason: 'returned_home', dischargedAt: '2026-01-01T00:00:00+08:00' })
        .expect(400);
      expect(early.body.message).toMatch(/dischargedAt/);
      const future = await t
        .http()
        .post(`${API}/stays/${stayId}/discharge`)
        .set(auth(managerA))
        .send({ reason: 'returned_home', dischargedAt: '2099-01-01T00:00:00+08:00' })
        .expect(400);
      expect(future.body.message).toMatch(/dischargedAt/);
      const bad = await t
        .http()
        .post(`${API}/stays/${stayId}/discharge`)
        .set(auth(managerA))
        .send({ reason: 'bored', dischargedAt: 'tomorrow' })
        .expect(400);
      expect(bad.body.message).toMatch(/reason/);
      expect(bad.body.message).toMatch(/dischargedAt/);
      await t.http().post(`${API}/stays/${stayId}/discharge`).set(auth(managerB)).send({ reason: 'other' }).expect(404);
      await t
        .http()
        .post(`${API}/stays/${stayId}/discharge`)
        .set(auth(dispatcher))
        .send({ reason: 'other' })
        .expect(403);

      const res = await t
        .http()
        .post(`${API}/stays/${stayId}/discharge`)
        .set(auth(managerA))
        .send({ reason: 'returned_home' })
        .expect(200);
      expect(res.body).toMatchObject({ id: stayId, status: 'discharged', dischargeReason: 'returned_home', bedId: to });
      expect(res.body.dischargedAt).toMatch(/\+08:00$/);
      expect(await bedStatus(to)).toBe('vacant');
      expect(await living(residentId)).toBe('home');
      const twice = await t
        .http()
        .post(`${API}/stays/${stayId}/discharge`)
        .set(auth(managerA))
        .send({ reason: 'other' })
        .expect(409);
      expect(twice.body.code).toBe('INVALID_TRANSITION');
      const transfer = await t
        .http()
        .post(`${API}/stays/${stayId}/transfer`)
        .set(auth(managerA))
        .send({ bedId: from })
        .expect(409);
      expect(transfer.body.code).toBe('INVALID_TRANSITION');
      const discharged = await t
        .http()
        .get(`${API}/facilities/${facilityA}/stays`)
        .query({ status: 'discharged' })
        .set(auth(managerA))
        .expect(200);
      expect(discharged.body.items.map((s: { id: string }) => s.id)).toContain(stayId);
      // the resident can be admitted again, but not back-dated into its own past stay
      const overlap = await admit(facilityA, {
        residentId,
        bedId: from,
        admittedAt: '2026-01-06T10:00:00+08:00',
      }).expect(400);
      expect(overlap.body.message).toMatch(/admittedAt/);
      await admit(facilityA, { residentId, bedId: from }).expect(201);
    });

    it('GET occupancy recomputes a past day from the bed history', async () => {
      const bed = await createBed(t, facilityA, { room: '501', label: '1', type: 'nursing' });
      const { id: r } = await newResident();
      const stay = (
        await admit(facilityA, { residentId: r, bedId: bed, admittedAt: '2026-02-10T09:00:00+08:00' }).expect(201)
      ).body.id;
      await t
        .http()
        .post(`${API}/stays/${stay}/discharge`)
        .set(auth(managerA))
        .send({ reason: 'deceased', dischargedAt: '2026-02-20T09:00:00+08:00' })
        .expect(200);
      const during = await t
        .http()
        .get(`${API}/facilities/${facilityA}/occupancy`)
        .query({ date: '2026-02-15' })
        .set(auth(managerA))
        .expect(200);
      expect(during.body).toMatchObject({ facilityId: facilityA, date: '2026-02-15' });
      expect(during.body.items).toEqual(
        expect.arrayContaining([
          {
            stayId: stay,
            bedId: bed,
            residentId: r,
            startedAt: '2026-02-10T09:00:00+08:00',
            endedAt: '2026-02-20T09:00:00+08:00',
          },
        ]),
      );
      expect(during.body.occupiedBeds).toBeGreaterThanOrEqual(1);
      const after = await t
        .http()
        .get(`${API}/facilities/${facilityA}/occupancy`)
        .query({ date: '2026-02-21' })
        .set(auth(managerA))
        .expect(200);
      expect(after.body.items.map((i: { stayId: string }) => i.stayId)).not.toContain(stay);
      const before = await t
        .http()
        .get(`${API}/facilities/${facilityA}/occupancy`)
        .query({ date: '2026-02-09' })
        .set(auth(managerA))
        .expect(200);
      expect(before.body.items.map((i: { stayId: string }) => i.stayId)).not.toContain(stay);
      const today = await t.http().get(`${API}/facilities/${facilityA}/occupancy`).set(auth(bureau)).expect(200);
      const [{ n }] = await t.db.query<{ n: number }[]>(
        `SELECT COUNT(*) AS n FROM stays WHERE facility_id = ? AND status = 'active'`,
        [facilityA],
      );
      expect(today.body.residents).toBeGreaterThanOrEqual(Number(n));
      await t
        .http()
        .get(`${API}/facilities/${facilityA}/occupancy`)
        .query({ date: '2026-02-30' })
        .set(auth(managerA))
        .expect(400);
      await t
        .http()
        .get(`${API}/facilities/${facilityA}/occupancy`)
        .query({ date: '2099-01-01' })
        .set(auth(managerA))
        .expect(400);
      await t.http().get(`${API}/facilities/${facilityA}/occupancy`).set(auth(managerB)).expect(404);
    });
  });
});
