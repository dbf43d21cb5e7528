import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { AUTH_USER_CACHE_MS } from '@care/auth';
import { ADMIN_PASSWORD, auth, createTestApp, type TestContext } from '@care/testing';
import { buildApp, createApiApp } from '@test/apps';

const API = '/api/v1';
const SEAT = { lat: 35.6929, lng: 105.0466 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The users endpoints and the token version, on two api instances over one database (as two api processes
 * behind a load balancer): a token ended on one answers 401 on the other within AUTH_USER_CACHE_MS.
 */
describe('users and token versions (e2e)', () => {
  let t: TestContext;
  let other: INestApplication;
  let otherHttp: () => TestAgent;
  let facilityA: string;
  let facilityB: string;
  let caregiverId: string;
  let seq = 0;

  const login = async (username: string, password: string, http = t.http) =>
    (await http().post(`${API}/auth/login`).send({ username, password }).expect(200)).body.accessToken as string;

  const createUser = async (role: string, extra: Record<string, unknown> = {}, by = t.adminToken) => {
    const username = `user${++seq}.${role}`;
    const res = await t
      .http()
      .post(`${API}/users`)
      .set(auth(by))
      .send({ username, password: 'first-password-1', role, ...extra })
      .expect(201);
    return { id: res.body.id as string, username, token: await login(username, 'first-password-1') };
  };

  const idOf = async (username: string): Promise<string> => {
    const res = await t
      .http()
      .get(`${API}/users?q=${encodeURIComponent(username)}`)
      .set(auth(t.adminToken))
      .expect(200);
    return res.body.items.find((u: { username: string }) => u.username === username).id as string;
  };

  /** Polls GET /auth/me with the token on an app until it answers 401; the milliseconds it took. */
  const msUntil401 = async (http: () => TestAgent, token: string, since: number): Promise<number> => {
    for (;;) {
      const res = await http().get(`${API}/auth/me`).set(auth(token));
      if (res.status === 401) return Date.now() - since;
      expect(res.status).toBe(200);
      if (Date.now() - since > AUTH_USER_CACHE_MS + 3000) throw new Error('the token still works');
      await sleep(200);
    }
  };

  /** The token works on both instances (so each has cached the user), then `change` ends it on the first. */
  const expectTokenEnds = async (token: string, change: () => Promise<unknown>) => {
    await t.http().get(`${API}/auth/me`).set(auth(token)).expect(200);
    await otherHttp().get(`${API}/auth/me`).set(auth(token)).expect(200);
    const since = Date.now();
    await change();
    // the instance that made the change forgets the user at once
    await t.http().get(`${API}/auth/me`).set(auth(token)).expect(401);
    // the other one within its cache's lifetime (plus the request's own time)
    expect(await msUntil401(otherHttp, token, since)).toBeLessThanOrEqual(AUTH_USER_CACHE_MS + 1000);
  };

  beforeAll(async () => {
    t = await createTestApp(buildApp, 'users');
    other = await createApiApp(t.config);
    await other.init();
    const server = other.getHttpServer();
    otherHttp = () => request(server);
    const facility = (name: string) =>
      t
        .http()
        .post(`${API}/facilities`)
        .set(auth(t.adminToken))
        .send({
          name,
          type: 'nursing_home',
          regionCode: '620422100',
          ...SEAT,
          ownership: 'public',
          comprehensive: false,
        })
        .expect(201)
        .then((r) => r.body.id as string);
    facilityA = await facility('会宁县敬老院');
    facilityB = await facility('河畔镇敬老院');
    const sp = await t
      .http()
      .post(`${API}/service-points`)
      .set(auth(t.adminToken))
      .send({ name: '会师镇服务站', regionCode: '620422100', ...SEAT })
      .expect(201);
    const caregiver = await t
      .http()
      .post(`${API}/caregivers`)
      .set(auth(t.adminToken))
      .send({
        name: '王秀英',
        phone: '13800000000',
        gender: 'female',
        servicePointId: sp.body.id,
        skills: ['housekeeping'],
        shiftStart: '08:00',
        shiftEnd: '17:00',
        maxDailyVisits: 6,
      })
      .expect(201);
    caregiverId = caregiver.body.id;
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  it('the OpenAPI document describes the users endpoints, with the extra fields', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.paths['/api/v1/users'].get).toBeDefined();
    expect(res.body.paths['/api/v1/users'].post).toBeDefined();
    expect(res.body.paths['/api/v1/users/{id}'].patch).toBeDefined();
    expect(res.body.paths['/api/v1/users/{id}/password'].post).toBeDefined();
    expect(res.body.paths['/api/v1/auth/password'].post).toBeDefined();
    expect(Object.keys(res.body.components.schemas.UserView.properties)).toEqual(
      expect.arrayContaining(['id', 'username', 'role', 'facilityIds', 'caregiverId', 'active', 'createdAt']),
    );
    expect(res.body.paths['/api/v1/auth/login'].post.responses['429']).toBeDefined();
  });

  describe('POST /users', () => {
    it('creates a user with the contract fields (and active, createdAt); 409 USERNAME_TAKEN', async () => {
      const body = { username: 'mgr.huishi', password: 'a-good-password', role: 'manager', facilityIds: [facilityA] };
      const res = await t.http().post(`${API}/users`).set(auth(t.adminToken)).send(body).expect(201);
      expect(res.body).toMatchObject({
        username: 'mgr.huishi',
        role: 'manager',
        facilityIds: [facilityA],
        caregiverId: null,
        active: true,
      });
      expect(res.body.createdAt).toMatch(/\+08:00$/);
      const dup = await t
        .http()
        .post(`${API}/users`)
        .set(auth(t.adminToken))
        .send({ ...body, username: 'MGR.huishi' })
        .expect(409);
      expect(dup.body.code).toBe('USERNAME_TAKEN');
    });

    it('refuses a password under 10 characters or equal to the username, naming the field', async () => {
      const short = await t
        .http()
        .post(`${API}/users`)
        .set(auth(t.adminToken))
        .send({ username: 'short.pw', password: '123456789', role: 'bureau' })
        .expect(400);
      expect(short.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(short.body.message).toMatch(/password/);
      const same = await t
        .http()
        .post(`${API}/users`)
        .set(auth(t.adminToken))
        .send({ username: 'dispatcher.one', password: 'Dispatcher.One', role: 'dispatcher' })
        .expect(400);
      expect(same.body.message).toMatch(/password: must not be the username/);
      await t
        .http()
        .post(`${API}/users`)
        .set(auth(t.adminToken))
        .send({ username: 'dispatcher.one', password: '1234567890', role: 'dispatcher' })
        .expect(201);
    });

    it('checks a caregiver user’s caregiverId and a manager’s facilities exist', async () => {
      const unknownCaregiver = await t
        .http()
        .post(`${API}/users`)
        .set(auth(t.adminToken))
        .send({
          username: 'cg.bad',
          password: 'a-good-password',
          role: 'caregiver',
          caregiverId: '00000000-0000-4000-8000-000000000000',
        })
        .expect(400);
      expect(unknownCaregiver.body.message).toMatch(/caregiverId: unknown caregiver/);
      const unknownFacility = await t
        .http()
        .post(`${API}/users`)
        .set(auth(t.adminToken))
        .send({
          username: 'mgr.bad',
          password: 'a-good-password',
          role: 'manager',
          facilityIds: ['00000000-0000-4000-8000-000000000000'],
        })
        .expect(400);
      expect(unknownFacility.body.message).toMatch(/facilityIds: unknown facility/);
      await t
        .http()
        .post(`${API}/users`)
        .set(auth(t.adminToken))
        .send({ username: 'cg.ok', password: 'a-good-password', role: 'caregiver', caregiverId })
        .expect(201);
    });

    it('creates the integration machine user, which may not use the routes of people', async () => {
      const res = await t
        .http()
        .post(`${API}/users`)
        .set(auth(t.adminToken))
        .send({ username: 'gateway.onekey', password: 'gateway-secret-123', role: 'integration' })
        .expect(201);
      expect(res.body).toMatchObject({ role: 'integration', facilityIds: [], caregiverId: null });
      const token = await login('gateway.onekey', 'gateway-secret-123');
      await t.http().get(`${API}/auth/me`).set(auth(token)).expect(403);
      await t.http().get(`${API}/users`).set(auth(token)).expect(403);
    });

    it('answers 403 to every role but admin', async () => {
      const bureau = await createUser('bureau');
      await t
        .http()
        .post(`${API}/users`)
        .set(auth(bureau.token))
        .send({ username: 'x.bureau', password: 'a-good-password', role: 'bureau' })
        .expect(403);
      await t.http().get(`${API}/users`).set(auth(bureau.token)).expect(403);
      await t.http().patch(`${API}/users/${bureau.id}`).set(auth(bureau.token)).send({ active: true }).expect(403);
      await t
        .http()
        .post(`${API}/users/${bureau.id}/password`)
        .set(auth(bureau.token))
        .send({ password: 'a-good-password' })
        .expect(403);
    });
  });

  describe('GET /users', () => {
    it('pages by username and filters by role, part of the username and active', async () => {
      const all = await t.http().get(`${API}/users?limit=500`).set(auth(t.adminToken)).expect(200);
      const names = all.body.items.map((u: { username: string }) => u.username);
      expect(all.body.total).toBe(names.length);
      expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(all.body.items.find((u: { username: string }) => u.username === 'admin')).toMatchObject({
        role: 'admin',
        active: true,
      });

      const page = await t.http().get(`${API}/users?limit=2&offset=1`).set(auth(t.adminToken)).expect(200);
      expect(page.body.total).toBe(all.body.total);
      expect(page.body.items.map((u: { username: string }) => u.username)).toEqual(names.slice(1, 3));

      const managers = await t.http().get(`${API}/users?role=manager`).set(auth(t.adminToken)).expect(200);
      expect(managers.body.items.length).toBeGreaterThan(0);
      expect(managers.body.items.every((u: { role: string }) => u.role === 'manager')).toBe(true);
      expect(managers.body.items.find((u: { username: string }) => u.username === 'mgr.huishi').facilityIds).toEqual([
        facilityA,
      ]);

      const q = await t.http().get(`${API}/users?q=HUISHI`).set(auth(t.adminToken)).expect(200);
      expect(q.body.items.map((u: { username: string }) => u.username)).toEqual(['mgr.huishi']);
      // LIKE's wildcards are plain characters in q
      expect((await t.http().get(`${API}/users?q=%25`).set(auth(t.adminToken)).expect(200)).body.total).toBe(0);
      expect((await t.http().get(`${API}/users?q=_`).set(auth(t.adminToken)).expect(200)).body.total).toBe(0);

      const inactive = await t.http().get(`${API}/users?active=false`).set(auth(t.adminToken)).expect(200);
      expect(inactive.body.items.every((u: { active: boolean }) => !u.active)).toBe(true);

      const bad = await t.http().get(`${API}/users?role=king&limit=9999`).set(auth(t.adminToken)).expect(400);
      expect(bad.body.message).toMatch(/role/);
      expect(bad.body.message).toMatch(/limit/);
    });
  });

  describe('PATCH /users/:id', () => {
    it('moves a manager to other facilities without ending its token; unknown facilities are a 400', async () => {
      const m = await createUser('manager', { facilityIds: [facilityA] });
      const res = await t
        .http()
        .patch(`${API}/users/${m.id}`)
        .set(auth(t.adminToken))
        .send({ facilityIds: [facilityB, facilityA] })
        .expect(200);
      expect(res.body.facilityIds).toEqual([facilityA, facilityB].sort());
      const me = await t.http().get(`${API}/auth/me`).set(auth(m.token)).expect(200);
      expect(me.body.facilityIds).toEqual([facilityA, facilityB].sort());
      const bad = await t
        .http()
        .patch(`${API}/users/${m.id}`)
        .set(auth(t.adminToken))
        .send({ facilityIds: ['00000000-0000-4000-8000-000000000000'] })
        .expect(400);
      expect(bad.body.message).toMatch(/facilityIds/);
      const none = await t
        .http()
        .patch(`${API}/users/${m.id}`)
        .set(auth(t.adminToken))
        .send({ facilityIds: [] })
        .expect(400);
      expect(none.body.message).toMatch(/a manager needs at least one facility/);
    });

    it('checks what a new role needs, and drops what the old one had', async () => {
      const m = await createUser('manager', { facilityIds: [facilityA] });
      const noCaregiver = await t
        .http()
        .patch(`${API}/users/${m.id}`)
        .set(auth(t.adminToken))
        .send({ role: 'caregiver' })
        .expect(400);
      expect(noCaregiver.body.message).toMatch(/caregiverId/);
      const unknown = await t
        .http()
        .patch(`${API}/users/${m.id}`)
        .set(auth(t.adminToken))
        .send({ role: 'caregiver', caregiverId: '00000000-0000-4000-8000-000000000000' })
        .expect(400);
      expect(unknown.body.message).toMatch(/unknown caregiver/);
      const res = await t
        .http()
        .patch(`${API}/users/${m.id}`)
        .set(auth(t.adminToken))
        .send({ role: 'caregiver', caregiverId })
        .expect(200);
      expect(res.body).toMatchObject({ role: 'caregiver', caregiverId, facilityIds: [] });
      const back = await t
        .http()
        .patch(`${API}/users/${m.id}`)
        .set(auth(t.adminToken))
        .send({ role: 'dispatcher' })
        .expect(200);
      expect(back.body).toMatchObject({ role: 'dispatcher', caregiverId: null, facilityIds: [] });
      const mixed = await t
        .http()
        .patch(`${API}/users/${m.id}`)
        .set(auth(t.adminToken))
        .send({ facilityIds: [facilityA] })
        .expect(400);
      expect(mixed.body.message).toMatch(/only managers/);
    });

    it('404 for an unknown user, 400 for a bad id or an unknown field', async () => {
      await t
        .http()
        .patch(`${API}/users/00000000-0000-4000-8000-000000000000`)
        .set(auth(t.adminToken))
        .send({ active: false })
        .expect(404);
      await t.http().patch(`${API}/users/nope`).set(auth(t.adminToken)).send({ active: false }).expect(400);
      const m = await createUser('bureau');
      const res = await t
        .http()
        .patch(`${API}/users/${m.id}`)
        .set(auth(t.adminToken))
        .send({ username: 'renamed', active: 'no' })
        .expect(400);
      expect(res.body.message).toMatch(/username/);
      expect(res.body.message).toMatch(/active/);
    });

    it('an admin cannot deactivate or demote itself', async () => {
      const adminId = await idOf('admin');
      const self = await t
        .http()
        .patch(`${API}/users/${adminId}`)
        .set(auth(t.adminToken))
        .send({ active: false })
        .expect(409);
      expect(self.body.code).toBe('CANNOT_DEACTIVATE_SELF');
      const demote = await t
        .http()
        .patch(`${API}/users/${adminId}`)
        .set(auth(t.adminToken))
        .send({ role: 'bureau' })
        .expect(409);
      expect(demote.body.code).toBe('CANNOT_CHANGE_OWN_ROLE');
    });
  });

  describe('token version: old tokens answer 401 within 5 s, on every api instance', () => {
    it('after an admin sets a new password (which follows the password rule)', async () => {
      const u = await createUser('dispatcher');
      const short = await t
        .http()
        .post(`${API}/users/${u.id}/password`)
        .set(auth(t.adminToken))
        .send({ password: 'short' })
        .expect(400);
      expect(short.body.message).toMatch(/password/);
      const same = await t
        .http()
        .post(`${API}/users/${u.id}/password`)
        .set(auth(t.adminToken))
        .send({ password: u.username })
        .expect(400);
      expect(same.body.message).toMatch(/username/);
      await t
        .http()
        .post(`${API}/users/00000000-0000-4000-8000-000000000000/password`)
        .set(auth(t.adminToken))
        .send({ password: 'a-good-password' })
        .expect(404);
      await expectTokenEnds(u.token, () =>
        t
          .http()
          .post(`${API}/users/${u.id}/password`)
          .set(auth(t.adminToken))
          .send({ password: 'second-password-2' })
          .expect(204),
      );
      await t.http().post(`${API}/auth/login`).send({ username: u.username, password: 'first-password-1' }).expect(401);
      await login(u.username, 'second-password-2');
    });

    it('after one’s own password change, which answers a fresh token', async () => {
      const u = await createUser('caregiver', { caregiverId });
      const wrong = await t
        .http()
        .post(`${API}/auth/password`)
        .set(auth(u.token))
        .send({ currentPassword: 'not-my-password', newPassword: 'second-password-2' })
        .expect(400);
      expect(wrong.body.code).toBe('WRONG_PASSWORD');
      const same = await t
        .http()
        .post(`${API}/auth/password`)
        .set(auth(u.token))
        .send({ currentPassword: 'first-password-1', newPassword: u.username.toUpperCase() })
        .expect(400);
      expect(same.body.message).toMatch(/newPassword: must not be the username/);
      const short = await t
        .http()
        .post(`${API}/auth/password`)
        .set(auth(u.token))
        .send({ currentPassword: 'first-password-1', newPassword: 'short' })
        .expect(400);
      expect(short.body.message).toMatch(/newPassword/);
      let fresh = '';
      await expectTokenEnds(u.token, async () => {
        const res = await t
          .http()
          .post(`${API}/auth/password`)
          .set(auth(u.token))
          .send({ currentPassword: 'first-password-1', newPassword: 'second-password-2' })
          .expect(200);
        fresh = res.body.accessToken;
      });
      await t.http().get(`${API}/auth/me`).set(auth(fresh)).expect(200);
      await otherHttp().get(`${API}/auth/me`).set(auth(fresh)).expect(200);
      await login(u.username, 'second-password-2', otherHttp);
      // not without a token
      await t
        .http()
        .post(`${API}/auth/password`)
        .send({ currentPassword: 'x', newPassword: 'second-password-2' })
        .expect(401);
    });

    it('after a deactivation; an inactive user cannot log in until reactivated', async () => {
      const u = await createUser('bureau');
      await expectTokenEnds(u.token, () =>
        t.http().patch(`${API}/users/${u.id}`).set(auth(t.adminToken)).send({ active: false }).expect(200),
      );
      await t.http().post(`${API}/auth/login`).send({ username: u.username, password: 'first-password-1' }).expect(401);
      const listed = await t.http().get(`${API}/users?active=false`).set(auth(t.adminToken)).expect(200);
      expect(listed.body.items.map((x: { id: string }) => x.id)).toContain(u.id);
      await t.http().patch(`${API}/users/${u.id}`).set(auth(t.adminToken)).send({ active: true }).expect(200);
      const fresh = await login(u.username, 'first-password-1');
      await t.http().get(`${API}/auth/me`).set(auth(fresh)).expect(200);
      // the token from before the deactivation stays dead
      await t.http().get(`${API}/auth/me`).set(auth(u.token)).expect(401);
    });

    it('after a role change', async () => {
      const u = await createUser('dispatcher');
      await expectTokenEnds(u.token, () =>
        t.http().patch(`${API}/users/${u.id}`).set(auth(t.adminToken)).send({ role: 'bureau' }).expect(200),
      );
      const fresh = await login(u.username, 'first-password-1');
      expect((await t.http().get(`${API}/auth/me`).set(auth(fresh)).expect(200)).body.role).toBe('bureau');
    });

    it('a fresh token works at once on an instance that still holds the old version, and ends the old token there', async () => {
      const u = await createUser('dispatcher');
      await t.http().get(`${API}/auth/me`).set(auth(u.token)).expect(200);
      await otherHttp().get(`${API}/auth/me`).set(auth(u.token)).expect(200); // cached on the other instance
      await t
        .http()
        .post(`${API}/users/${u.id}/password`)
        .set(auth(t.adminToken))
        .send({ password: 'second-password-2' })
        .expect(204);
      const fresh = await login(u.username, 'second-password-2');
      await otherHttp().get(`${API}/auth/me`).set(auth(fresh)).expect(200);
      await otherHttp().get(`${API}/auth/me`).set(auth(u.token)).expect(401);
    });

    it('a token whose version was altered is refused (the signature covers it)', async () => {
      const u = await createUser('dispatcher');
      const [, payload] = u.token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      expect(claims.ver).toBe(0);
      const forged = [
        u.token.split('.')[0],
        Buffer.from(JSON.stringify({ ...claims, ver: 1 })).toString('base64url'),
        u.token.split('.')[2],
      ].join('.');
      await t.http().get(`${API}/auth/me`).set(auth(forged)).expect(401);
    });
  });

  // last: it deactivates `admin`, whose token the harness holds
  describe('the last active admin', () => {
    it('stays, even when two admins deactivate each other at the same moment', async () => {
      const adminId = await idOf('admin');
      let x = await createUser('admin');
      await t.http().patch(`${API}/users/${adminId}`).set(auth(x.token)).send({ active: false }).expect(200);
      // The refusal under the lock (409) needs both requests authenticated before either commits; when the winner
      // commits first, the loser is refused as a token whose admin role was just taken away (401). Race again
      // until the lock has been the one to refuse, checking the invariant after every round.
      let refusedUnderLock = false;
      for (let round = 0; round < 10 && !refusedUnderLock; round++) {
        const y = await createUser('admin', {}, x.token);
        const [a, b] = await Promise.all([
          t.http().patch(`${API}/users/${y.id}`).set(auth(x.token)).send({ active: false }),
          otherHttp().patch(`${API}/users/${x.id}`).set(auth(y.token)).send({ role: 'bureau' }),
        ]);
        const [won, lost] = a.status === 200 ? [a, b] : [b, a];
        expect(won.status).toBe(200);
        expect([401, 409]).toContain(lost.status);
        if (lost.status === 409) expect(lost.body.code).toBe('LAST_ACTIVE_ADMIN');
        refusedUnderLock = lost.status === 409;
        const [{ n }] = await t.db.query(`SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND active = 1`);
        expect(Number(n)).toBe(1);
        x = a.status === 200 ? x : y;
      }
      expect(refusedUnderLock).toBe(true);
      const survivor = x;
      await t.http().patch(`${API}/users/${adminId}`).set(auth(survivor.token)).send({ active: true }).expect(200);
      await login('admin', ADMIN_PASSWORD);
    });
  });
});
