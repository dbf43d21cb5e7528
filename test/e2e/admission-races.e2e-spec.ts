import type { Server } from 'node:http';
import { auth, createTestApp, TestContext } from '@care/testing';
import { API, createBeds, createFacility, createResident } from './support/care-homes';
import { buildApp } from '../support/apps';

/**
 * Admissions, transfers and discharges under concurrency, against real MariaDB: whatever the interleaving, a bed
 * never holds two active stays, a resident never has two, and bed statuses and the bed history agree with the stays.
 */
describe('admission races', () => {
  let t: TestContext;
  let facility: string;
  let manager: string;

  const admit = (body: Record<string, unknown>) =>
    t.http().post(`${API}/facilities/${facility}/admissions`).set(auth(manager)).send(body);
  const transfer = (stayId: string, bedId: string) =>
    t.http().post(`${API}/stays/${stayId}/transfer`).set(auth(manager)).send({ bedId });
  const discharge = (stayId: string, reason = 'other') =>
    t.http().post(`${API}/stays/${stayId}/discharge`).set(auth(manager)).send({ reason });
  // registered at the facility, so its manager reaches them by id (an elder registered elsewhere needs the full ID number)
  const residents = async (n: number) =>
    Promise.all(Array.from({ length: n }, () => createResident(t, { facilityId: facility }).then((r) => r.id)));
  const tally = (statuses: { status: number; body: { code?: string } }[]) => {
    const counts: Record<string, number> = {};
    for (const r of statuses) {
      const key = r.status < 300 ? String(r.status) : `${r.status} ${r.body.code}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };

  /** Every invariant the stays must keep, checked in SQL. */
  async function assertConsistent(): Promise<void> {
    const q = <T>(sql: string) => t.db.query<T[]>(sql);
    expect(
      await q(`SELECT bed_id, COUNT(*) AS n FROM stays WHERE status = 'active' GROUP BY bed_id HAVING n > 1`),
    ).toEqual([]);
    expect(
      await q(`SELECT resident_id, COUNT(*) AS n FROM stays WHERE status = 'active' GROUP BY resident_id HAVING n > 1`),
    ).toEqual([]);
    // a bed is occupied exactly when an active stay is on it
    expect(
      await q(`SELECT b.id, b.status FROM beds b LEFT JOIN stays s ON s.bed_id = b.id AND s.status = 'active'
               WHERE (b.status = 'occupied') <> (s.id IS NOT NULL)`),
    ).toEqual([]);
    // an active stay has exactly one open period, on its current bed; a discharged one none, ended at the discharge
    expect(
      await q(`SELECT s.id FROM stays s LEFT JOIN bed_occupancies o ON o.stay_id = s.id AND o.ended_at IS NULL
               WHERE s.status = 'active' GROUP BY s.id HAVING COUNT(o.id) <> 1 OR MAX(o.bed_id) <> MAX(s.bed_id)`),
    ).toEqual([]);
    expect(
      await q(
        `SELECT o.id FROM bed_occupancies o JOIN stays s ON s.id = o.stay_id WHERE s.status = 'discharged' AND o.ended_at IS NULL`,
      ),
    ).toEqual([]);
    // periods on one bed never overlap, nor periods of one resident
    for (const col of ['bed_id', 'resident_id']) {
      expect(
        await q(`SELECT a.id FROM bed_occupancies a JOIN bed_occupancies b ON a.${col} = b.${col} AND a.id < b.id
                 WHERE a.started_at < COALESCE(b.ended_at, '9999-12-31') AND b.started_at < COALESCE(a.ended_at, '9999-12-31')`),
      ).toEqual([]);
    }
  }

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'races');
    const server = t.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    facility = await createFacility(t, { name: '并发测试院', type: 'nursing_home' });
    manager = await t.userToken('manager', { facilityIds: [facility] });
  });
  afterAll(() => t.close());

  it('the database itself refuses a second active stay on a bed or of a resident (the last line behind the locks)', async () => {
    const [bed, other] = await createBeds(t, facility, 2, 'DB');
    const [r1, r2] = await residents(2);
    await admit({ residentId: r1, bedId: bed }).expect(201);
    const insert = (residentId: string, bedId: string) =>
      t.db.query(
        `INSERT INTO stays (id, resident_id, facility_id, bed_id, status, admitted_at) VALUES (UUID(), ?, ?, ?, 'active', NOW(3))`,
        [residentId, facility, bedId],
      );
    await expect(insert(r2, bed)).rejects.toThrow(/uq_stays_active_bed/);
    await expect(insert(r1, other)).rejects.toThrow(/uq_stays_active_resident/);
    // discharged stays do not count: their marker is NULL
    await t.db.query(
      `INSERT INTO stays (id, resident_id, facility_id, bed_id, status, admitted_at, discharged_at) VALUES (UUID(), ?, ?, ?, 'discharged', NOW(3), NOW(3))`,
      [r2, facility, bed],
    );
    await assertConsistent();
  });

  it('30 residents into one bed at once: exactly one 201, 29 × 409 BED_OCCUPIED', async () => {
    const [bed] = await createBeds(t, facility, 1, 'ONE');
    const ids = await residents(30);
    const results = await Promise.all(ids.map((residentId) => admit({ residentId, bedId: bed })));
    expect(tally(results)).toEqual({ '201': 1, '409 BED_OCCUPIED': 29 });
    await assertConsistent();
  });

  it('one resident into 10 beds at once: exactly one 201, 9 × 409 RESIDENT_ALREADY_ADMITTED', async () => {
    const beds = await createBeds(t, facility, 10, 'TEN');
    const [residentId] = await residents(1);
    const results = await Promise.all(beds.map((bedId) => admit({ residentId, bedId })));
    expect(tally(results)).toEqual({ '201': 1, '409 RESIDENT_ALREADY_ADMITTED': 9 });
    const [{ n }] = await t.db.query<{ n: number }[]>(
      `SELECT COUNT(*) AS n FROM beds WHERE room LIKE 'TEN%' AND status = 'occupied'`,
    );
    expect(Number(n)).toBe(1);
    await assertConsistent();
  });

  it('10 stays transferring into one vacant bed at once: exactly one 200, 9 × 409 BED_OCCUPIED', async () => {
    const beds = await createBeds(t, facility, 11, 'TR');
    const ids = await residents(10);
    const stays: string[] = [];
    for (let i = 0; i < 10; i++) stays.push((await admit({ residentId: ids[i], bedId: beds[i] }).expect(201)).body.id);
    const target = beds[10];
    const results = await Promise.all(stays.map((stayId) => transfer(stayId, target)));
    expect(tally(results)).toEqual({ '200': 1, '409 BED_OCCUPIED': 9 });
    await assertConsistent();
  });

  it('one stay: a discharge and transfers to two beds at once end consistently', async () => {
    for (let round = 0; round < 5; round++) {
      const beds = await createBeds(t, facility, 3, `DX${round}-`);
      const [residentId] = await residents(1);
      const stay = (await admit({ residentId, bedId: beds[0] }).expect(201)).body.id as string;
      const [d, a, b] = await Promise.all([discharge(stay), transfer(stay, beds[1]), transfer(stay, beds[2])]);
      expect(d.status).toBe(200); // a discharge follows the stay to whichever bed it moved to
      for (const r of [a, b]) {
        expect([200, 409]).toContain(r.status);
        if (r.status === 409) expect(r.body.code).toBe('INVALID_TRANSITION');
      }
      const [row] = await t.db.query<{ status: string }[]>('SELECT status FROM stays WHERE id = ?', [stay]);
      expect(row.status).toBe('discharged');
      const occupied = await t.db.query<unknown[]>(
        `SELECT id FROM beds WHERE id IN (?, ?, ?) AND status <> 'vacant'`,
        beds,
      );
      expect(occupied).toEqual([]);
    }
    await assertConsistent();
  });

  it('two stays swapping towards each other’s beds, and crossing transfers, never deadlock into a 500', async () => {
    const beds = await createBeds(t, facility, 4, 'SW');
    const ids = await residents(2);
    const s1 = (await admit({ residentId: ids[0], bedId: beds[0] }).expect(201)).body.id as string;
    const s2 = (await admit({ residentId: ids[1], bedId: beds[1] }).expect(201)).body.id as string;
    const results = await Promise.all([
      transfer(s1, beds[1]),
      transfer(s2, beds[0]),
      transfer(s1, beds[2]),
      transfer(s2, beds[3]),
      transfer(s1, beds[3]),
    ]);
    for (const r of results) expect([200, 409]).toContain(r.status);
    await assertConsistent();
  });

  it('a storm of admissions, transfers and discharges leaves every invariant intact', async () => {
    const beds = await createBeds(t, facility, 24, 'ST');
    const pool = await residents(40);
    const active = new Map<string, string>(); // stayId → resident
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
    for (let wave = 0; wave < 6; wave++) {
      const ops: Promise<{
        status: number;
        body: { id?: string; residentId?: string; code?: string; status?: string };
      }>[] = [];
      for (let i = 0; i < 24; i++) {
        const roll = Math.random();
        const stays = [...active.keys()];
        if (roll < 0.5 || stays.length === 0) ops.push(admit({ residentId: pick(pool), bedId: pick(beds) }));
        else if (roll < 0.8) ops.push(transfer(pick(stays), pick(beds)));
        else ops.push(discharge(pick(stays), pick(['other', 'returned_home', 'deceased', 'transferred_out'])));
      }
      const results = await Promise.all(ops);
      for (const r of results) {
        expect(r.status).toBeLessThan(500);
        expect([200, 201, 400, 409, 422]).toContain(r.status);
      }
      const rows = await t.db.query<{ id: string; resident_id: string }[]>(
        `SELECT id, resident_id FROM stays WHERE status = 'active' AND facility_id = ?`,
        [facility],
      );
      active.clear();
      for (const row of rows) active.set(row.id, row.resident_id);
      await assertConsistent();
    }
  });
});
