import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { AuditRouteCheck, AuditWriter } from '@care/audit';
import { TransactionRunner, auditContext, type AuditScope } from '@care/core';
import { ADMIN_PASSWORD, auth, createTestApp, TestContext } from '@care/testing';
import { API, createBeds, createFacility, createResident } from './support/care-homes';
import { buildApp } from '../support/apps';

interface EventRow {
  id: string;
  action: string;
  outcome: string;
  actor_id: string | null;
  actor_username: string | null;
  role: string | null;
  entity: string | null;
  entity_ids: unknown;
  resident_ids: unknown;
  request_id: string | null;
  ip: string | null;
}

const ids = (value: unknown): string[] =>
  typeof value === 'string' ? (JSON.parse(value) as string[]) : (value as string[]);

describe('audit trail', () => {
  let t: TestContext;
  let facilityId: string;
  let beds: string[];
  let manager: string;
  let bureau: string;

  const eventsOf = (requestId: string) =>
    t.db.query<EventRow[]>('SELECT * FROM audit_events WHERE request_id = ? ORDER BY at, id', [requestId]);

  /** Read events are written in batches (~200 ms): wait for the one of this request. */
  async function readEventOf(requestId: string): Promise<EventRow> {
    for (let i = 0; i < 50; i++) {
      const [row] = await eventsOf(requestId);
      if (row) return row;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no read event for request ${requestId}`);
  }

  const scope = (over: Partial<AuditScope> = {}): AuditScope => ({
    action: 'tests.write',
    kind: 'write',
    actor: { id: null, username: null, role: null },
    ip: null,
    requestId: `test-${randomUUID()}`,
    entity: null,
    entityIds: [],
    residentIds: [],
    eventCommitted: false,
    ...over,
  });

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'audit');
    facilityId = await createFacility(t, { name: '会师镇敬老院', type: 'nursing_home' });
    beds = await createBeds(t, facilityId, 4);
    manager = await t.userToken('manager', { facilityIds: [facilityId] });
    bureau = await t.userToken('bureau');
  });
  afterAll(() => t.close());

  describe('writes', () => {
    it('an admission and its event commit together: action, actor, stay and resident ids, request id', async () => {
      const resident = await createResident(t, { facilityId });
      const res = await t
        .http()
        .post(`${API}/facilities/${facilityId}/admissions`)
        .set(auth(manager))
        .send({ residentId: resident.id, bedId: beds[0] })
        .expect(201);
      const requestId = res.headers['x-request-id'] as string;
      const events = await eventsOf(requestId);
      expect(events).toHaveLength(1);
      const [event] = events;
      expect(event).toMatchObject({
        action: 'stays.admit',
        outcome: 'ok',
        role: 'manager',
        entity: 'stay',
        request_id: requestId,
      });
      expect(event.actor_id).toEqual(expect.any(String));
      expect(event.actor_username).toMatch(/^manager/);
      expect(ids(event.entity_ids)).toContain(res.body.id);
      expect(ids(event.resident_ids)).toEqual([resident.id]);
      const children = await t.db.query<{ resident_id: string }[]>(
        'SELECT resident_id FROM audit_event_residents WHERE event_id = ?',
        [event.id],
      );
      expect(children.map((c) => c.resident_id)).toEqual([resident.id]);
    });

    it('a failed write leaves the data unchanged and one event with its error code', async () => {
      const resident = await createResident(t, { facilityId });
      await t
        .http()
        .post(`${API}/facilities/${facilityId}/admissions`)
        .set(auth(manager))
        .send({ residentId: resident.id, bedId: beds[1] })
        .expect(201);
      const res = await t
        .http()
        .post(`${API}/facilities/${facilityId}/admissions`)
        .set(auth(manager))
        .send({ residentId: resident.id, bedId: beds[2] })
        .expect(409);
      expect(res.body.code).toBe('RESIDENT_ALREADY_ADMITTED');
      const [stays] = await t.db.query<{ n: string }[]>('SELECT COUNT(*) AS n FROM stays WHERE resident_id = ?', [
        resident.id,
      ]);
      expect(Number(stays.n)).toBe(1);
      const [bed] = await t.db.query<{ status: string }[]>('SELECT status FROM beds WHERE id = ?', [beds[2]]);
      expect(bed.status).toBe('vacant');
      const events = await eventsOf(res.headers['x-request-id'] as string);
      expect(events.map((e) => [e.action, e.outcome])).toEqual([['stays.admit', 'RESIDENT_ALREADY_ADMITTED']]);
      expect(ids(events[0].resident_ids)).toEqual([resident.id]);
    });

    it('a write refused by validation leaves an event with VALIDATION_FAILED', async () => {
      const resident = await createResident(t);
      const res = await t
        .http()
        .patch(`${API}/residents/${resident.id}`)
        .set(auth(t.adminToken))
        .send({ shoeSize: 42 })
        .expect(400);
      const events = await eventsOf(res.headers['x-request-id'] as string);
      expect(events.map((e) => [e.action, e.outcome])).toEqual([['residents.update', 'VALIDATION_FAILED']]);
      expect(ids(events[0].entity_ids)).toEqual([resident.id]);
    });

    it('a write refused by the guard (no token 401, a role that may not 403) leaves an event with that outcome', async () => {
      const dispatcher = await t.userToken('dispatcher');
      const forbidden = await t.http().post(`${API}/facilities`).set(auth(dispatcher)).send({}).expect(403);
      const anonymous = await t.http().patch(`${API}/residents/${randomUUID()}`).send({}).expect(401);
      const wait = async (requestId: string) => {
        for (let i = 0; i < 30; i++) {
          const rows = await eventsOf(requestId);
          if (rows.length) return rows;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return [];
      };
      const [refused] = await wait(forbidden.headers['x-request-id'] as string);
      expect(refused).toMatchObject({ action: 'facilities.create', outcome: 'FORBIDDEN', role: 'dispatcher' });
      expect(refused.actor_username).toMatch(/^dispatcher/);
      const [unknown] = await wait(anonymous.headers['x-request-id'] as string);
      expect(unknown).toMatchObject({
        action: 'residents.update',
        outcome: 'UNAUTHORIZED',
        actor_id: null,
        role: null,
      });
      // a refused read is not a write: nothing
      const read = await t.http().get(`${API}/residents`).expect(401);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await eventsOf(read.headers['x-request-id'] as string)).toEqual([]);
    });

    it('a rolled-back transaction leaves no event, and an event that cannot be written takes its write with it', async () => {
      const tx = t.app.get(TransactionRunner);
      const marker = `audit-test-${randomUUID().slice(0, 8)}`;
      const rolledBack = scope();
      await expect(
        auditContext.run(rolledBack, () =>
          tx.run(async (em) => {
            await em.query(
              `INSERT INTO regions (code, name, name_en, kind, level, parent_code) VALUES (?, ?, ?, 'rural', 'village', NULL)`,
              [marker.slice(-12), marker, marker],
            );
            throw new Error('rolled back on purpose');
          }),
        ),
      ).rejects.toThrow('rolled back on purpose');
      expect(await eventsOf(rolledBack.requestId as string)).toEqual([]);
      expect(await t.db.query('SELECT code FROM regions WHERE name = ?', [marker])).toEqual([]);

      // the event is written inside the transaction: when it fails (an action name too long for its column),
      // the write it describes does not commit either
      const unwritable = scope({ action: `tests.${'x'.repeat(200)}` });
      await expect(
        auditContext.run(unwritable, () =>
          tx.run((em) =>
            em.query(
              `INSERT INTO regions (code, name, name_en, kind, level, parent_code) VALUES (?, ?, ?, 'rural', 'village', NULL)`,
              [marker.slice(-12), marker, marker],
            ),
          ),
        ),
      ).rejects.toThrow();
      expect(await t.db.query('SELECT code FROM regions WHERE name = ?', [marker])).toEqual([]);

      // and the same write with a good scope commits with its event
      const good = scope();
      await auditContext.run(good, () =>
        tx.run((em) =>
          em.query(
            `INSERT INTO regions (code, name, name_en, kind, level, parent_code) VALUES (?, ?, ?, 'rural', 'village', NULL)`,
            [marker.slice(-12), marker, marker],
          ),
        ),
      );
      expect(await t.db.query('SELECT code FROM regions WHERE name = ?', [marker])).toHaveLength(1);
      expect((await eventsOf(good.requestId as string)).map((e) => e.outcome)).toEqual(['ok']);
    });
  });

  describe('reads', () => {
    it("a read of a resident leaves a read event with that resident's id; a list read lists the residents returned", async () => {
      const resident = await createResident(t, { name: '读取测试' });
      const one = await t.http().get(`${API}/residents/${resident.id}`).set(auth(bureau)).expect(200);
      const event = await readEventOf(one.headers['x-request-id'] as string);
      expect(event).toMatchObject({ action: 'residents.get', outcome: 'ok', role: 'bureau' });
      expect(ids(event.resident_ids)).toEqual([resident.id]);

      const list = await t.http().get(`${API}/residents?limit=500`).set(auth(t.adminToken)).expect(200);
      const listed = await readEventOf(list.headers['x-request-id'] as string);
      expect(listed.action).toBe('residents.list');
      expect(ids(listed.resident_ids).sort()).toEqual((list.body.items as { id: string }[]).map((r) => r.id).sort());
    });

    it('reads of stays and assessments name their residents; a failed read leaves no read event', async () => {
      const resident = await createResident(t, { facilityId });
      const admitted = await t
        .http()
        .post(`${API}/facilities/${facilityId}/admissions`)
        .set(auth(manager))
        .send({ residentId: resident.id, bedId: beds[3] })
        .expect(201);
      const stay = await t
        .http()
        .get(`${API}/stays/${admitted.body.id as string}`)
        .set(auth(manager))
        .expect(200);
      expect(ids((await readEventOf(stay.headers['x-request-id'] as string)).resident_ids)).toEqual([resident.id]);
      const assessments = await t
        .http()
        .get(`${API}/residents/${resident.id}/assessments`)
        .set(auth(manager))
        .expect(200);
      expect(assessments.body.items).toEqual([]);
      expect(ids((await readEventOf(assessments.headers['x-request-id'] as string)).resident_ids)).toEqual([
        resident.id,
      ]);

      const missing = await t.http().get(`${API}/residents/${randomUUID()}`).set(auth(t.adminToken)).expect(404);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await eventsOf(missing.headers['x-request-id'] as string)).toEqual([]);
    });

    it('buffered read events are written when the app shuts down, not lost', async () => {
      const writer = new AuditWriter(t.db, { flushMs: 60_000 });
      const requestId = `test-${randomUUID()}`;
      const residentId = randomUUID();
      writer.enqueue({
        id: randomUUID(),
        at: new Date(),
        actorId: null,
        actorUsername: null,
        role: 'admin',
        action: 'tests.read',
        entity: null,
        entityIds: [],
        residentIds: [residentId],
        requestId,
        ip: null,
        outcome: 'ok',
      });
      expect(await eventsOf(requestId)).toEqual([]);
      await writer.onModuleDestroy();
      expect(await eventsOf(requestId)).toHaveLength(1);
    });
  });

  describe('GET /audit-events', () => {
    it("answers who saw or changed an elder's record, newest first, for admin and bureau only", async () => {
      const resident = await createResident(t, { facilityId });
      const read = await t.http().get(`${API}/residents/${resident.id}`).set(auth(manager)).expect(200);
      await readEventOf(read.headers['x-request-id'] as string);
      await t
        .http()
        .patch(`${API}/residents/${resident.id}`)
        .set(auth(t.adminToken))
        .send({ address: '会师镇南街2号' })
        .expect(200);

      const res = await t.http().get(`${API}/audit-events?residentId=${resident.id}`).set(auth(bureau)).expect(200);
      expect(res.body.total).toBe(3);
      expect(res.body.items.map((e: { action: string }) => e.action)).toEqual([
        'residents.update',
        'residents.get',
        'residents.create',
      ]);
      expect(res.body.items[0]).toMatchObject({
        actorUsername: 'admin',
        role: 'admin',
        outcome: 'ok',
        residentIds: [resident.id],
        entityIds: [resident.id],
        at: expect.stringMatching(/\+08:00$/),
        requestId: expect.any(String),
      });
      expect(res.body.items[1]).toMatchObject({ role: 'manager', actorUsername: expect.stringMatching(/^manager/) });

      const byAction = await t
        .http()
        .get(`${API}/audit-events?action=residents.update&residentId=${resident.id}`)
        .set(auth(t.adminToken))
        .expect(200);
      expect(byAction.body.total).toBe(1);
      const actorId = res.body.items[1].actorId as string;
      const byActor = await t
        .http()
        .get(`${API}/audit-events?actorId=${actorId}&action=residents.get`)
        .set(auth(t.adminToken))
        .expect(200);
      expect(byActor.body.items.every((e: { actorId: string }) => e.actorId === actorId)).toBe(true);
      const future = await t
        .http()
        .get(`${API}/audit-events?from=2099-01-01T00:00:00%2B08:00`)
        .set(auth(t.adminToken))
        .expect(200);
      expect(future.body).toEqual({ items: [], total: 0 });
      const paged = await t
        .http()
        .get(`${API}/audit-events?limit=1&offset=1&residentId=${resident.id}`)
        .set(auth(t.adminToken))
        .expect(200);
      expect(paged.body.items.map((e: { action: string }) => e.action)).toEqual(['residents.get']);

      await t.http().get(`${API}/audit-events`).set(auth(manager)).expect(403);
      const bad = await t
        .http()
        .get(`${API}/audit-events?from=yesterday&residentId=x'--`)
        .set(auth(t.adminToken))
        .expect(400);
      expect(bad.body.message).toMatch(/from/);
      expect(bad.body.message).toMatch(/residentId/);
    });

    it('nothing in the api can change or delete an event', async () => {
      const [event] = await t.db.query<{ id: string }[]>('SELECT id FROM audit_events LIMIT 1');
      for (const method of ['put', 'patch', 'delete'] as const) {
        await t.http()[method](`${API}/audit-events/${event.id}`).set(auth(t.adminToken)).send({}).expect(404);
        await t.http()[method](`${API}/audit-events`).set(auth(t.adminToken)).send({}).expect(404);
      }
      await t.http().post(`${API}/audit-events`).set(auth(t.adminToken)).send({}).expect(404);
      const routes = t.app
        .get(AuditRouteCheck)
        .routes()
        .filter((r) => r.path.startsWith('/audit-events'));
      expect(routes.map((r) => r.method)).toEqual([RequestMethod.GET]);
      expect(await t.db.query('SELECT id FROM audit_events WHERE id = ?', [event.id])).toHaveLength(1);
    });
  });

  describe('privacy and logins', () => {
    it('events hold ids, not names, ID numbers or phones', async () => {
      const name = '隐私测试老人';
      const phone = '13912345678';
      const resident = await createResident(t, { name });
      await t
        .http()
        .patch(`${API}/residents/${resident.id}`)
        .set(auth(t.adminToken))
        .send({ phone, address: '会师镇隐私路9号' })
        .expect(200);
      const read = await t
        .http()
        .get(`${API}/residents?q=${encodeURIComponent(name)}`)
        .set(auth(t.adminToken))
        .expect(200);
      expect(read.body.total).toBe(1);
      await readEventOf(read.headers['x-request-id'] as string);
      const rows = await t.db.query<EventRow[]>(
        'SELECT e.* FROM audit_events e JOIN audit_event_residents r ON r.event_id = e.id WHERE r.resident_id = ?',
        [resident.id],
      );
      expect(rows.length).toBeGreaterThanOrEqual(3);
      const all = JSON.stringify(await t.db.query('SELECT * FROM audit_events'));
      for (const secret of [name, phone, resident.idNumber, resident.idNumber.slice(6, 14), '隐私路'])
        expect(all).not.toContain(secret);
    });

    it('records logins: the account on success and failure, never a typed string that names no account', async () => {
      const ok = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ username: 'admin', password: ADMIN_PASSWORD })
        .expect(200);
      const [success] = await eventsOf(ok.headers['x-request-id'] as string);
      expect(success).toMatchObject({
        action: 'auth.login',
        outcome: 'ok',
        actor_username: 'admin',
        role: 'admin',
        actor_id: ok.body.user.id,
      });

      const wrong = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ username: 'admin', password: 'not-the-password' })
        .expect(401);
      const [failure] = await eventsOf(wrong.headers['x-request-id'] as string);
      expect(failure).toMatchObject({
        action: 'auth.login',
        outcome: 'UNAUTHORIZED',
        actor_username: 'admin',
        actor_id: ok.body.user.id,
      });

      const typedPassword = 'Secret-Pa55word-typed-as-username';
      const unknown = await t
        .http()
        .post(`${API}/auth/login`)
        .send({ username: typedPassword, password: 'x' })
        .expect(401);
      const [anonymous] = await eventsOf(unknown.headers['x-request-id'] as string);
      expect(anonymous).toMatchObject({
        action: 'auth.login',
        outcome: 'UNAUTHORIZED',
        actor_username: null,
        actor_id: null,
      });
      expect(JSON.stringify(await t.db.query('SELECT * FROM audit_events'))).not.toContain(typedPassword);
      expect(JSON.stringify(await t.db.query('SELECT * FROM audit_events'))).not.toContain(ADMIN_PASSWORD);
    });
  });
});
