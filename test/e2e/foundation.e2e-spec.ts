import { auth, createTestApp, TestContext } from '@care/testing';
import { buildApp } from '../support/apps';

describe('foundation: health, auth, users, regions, docs', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp(buildApp, 'foundation');
  });
  afterAll(() => t.close());

  it('GET /health reports database and redis up', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
    expect(res.headers['x-request-id']).toBeDefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    await t.http().get('/api/v1/health').expect(200);
  });

  it('serves the OpenAPI document and Swagger UI without a token', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.paths['/api/v1/auth/login']).toBeDefined();
    await t.http().get('/docs').expect(200);
  });

  describe('login', () => {
    it('returns a token and the user', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'admin', password: 'admin-password-for-tests' })
        .expect(200);
      expect(res.body.accessToken).toEqual(expect.any(String));
      expect(res.body.user).toEqual({
        id: expect.any(String),
        username: 'admin',
        role: 'admin',
        facilityIds: [],
        caregiverId: null,
      });
    });
    it('401 on a wrong password or an unknown user, with the contract body', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'admin', password: 'nope-nope' })
        .expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
      await t.http().post('/api/v1/auth/login').send({ username: 'ghost', password: 'nope-nope' }).expect(401);
    });
    it('400 naming missing and unknown fields', async () => {
      const res = await t.http().post('/api/v1/auth/login').send({ username: 'admin', extra: 1 }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toMatch(/password/);
      expect(res.body.message).toMatch(/extra/);
    });
    it('400, not 500, for malformed JSON', async () => {
      const res = await t
        .http()
        .post('/api/v1/auth/login')
        .set('Content-Type', 'application/json')
        .send('{"username":')
        .expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('guards', () => {
    it('401 without a token or with a bad one', async () => {
      await t.http().get('/api/v1/regions').expect(401);
      await t.http().get('/api/v1/regions').set(auth('not-a-jwt')).expect(401);
    });
    it('403 for a role that may not act', async () => {
      const token = await t.userToken('dispatcher');
      const res = await t
        .http()
        .post('/api/v1/users')
        .set(auth(token))
        .send({ username: 'x1234', password: 'password-1', role: 'bureau' })
        .expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });

  describe('POST /users', () => {
    it('creates users; 409 USERNAME_TAKEN for a duplicate', async () => {
      const body = { username: 'bureau.clerk', password: 'password-123', role: 'bureau' };
      const res = await t.http().post('/api/v1/users').set(auth(t.adminToken)).send(body).expect(201);
      expect(res.body).toMatchObject({ username: 'bureau.clerk', role: 'bureau', facilityIds: [] });
      const dup = await t.http().post('/api/v1/users').set(auth(t.adminToken)).send(body).expect(409);
      expect(dup.body.code).toBe('USERNAME_TAKEN');
      const login = await t
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'bureau.clerk', password: 'password-123' })
        .expect(200);
      expect(login.body.user.role).toBe('bureau');
    });
    it('400 for a bad role, a short password, a manager without facilities, unknown facilities', async () => {
      const bad = await t
        .http()
        .post('/api/v1/users')
        .set(auth(t.adminToken))
        .send({ username: 'a', password: 'short', role: 'king' })
        .expect(400);
      expect(bad.body.message).toMatch(/username/);
      expect(bad.body.message).toMatch(/password/);
      expect(bad.body.message).toMatch(/role/);
      const noFacility = await t
        .http()
        .post('/api/v1/users')
        .set(auth(t.adminToken))
        .send({ username: 'mgr1', password: 'password-123', role: 'manager' })
        .expect(400);
      expect(noFacility.body.message).toMatch(/facilityIds/);
      const unknown = await t
        .http()
        .post('/api/v1/users')
        .set(auth(t.adminToken))
        .send({
          username: 'mgr2',
          password: 'password-123',
          role: 'manager',
          facilityIds: ['00000000-0000-4000-8000-000000000000'],
        })
        .expect(400);
      expect(unknown.body.message).toMatch(/unknown facility/);
    });
  });

  it('GET /regions lists the 28 townships, the seat urban and the rest rural', async () => {
    // a caregiver user must name a caregiver that exists (CAREGIVER_LOOKUP, provided by libs/care-orders)
    const sp = await t
      .http()
      .post('/api/v1/service-points')
      .set(auth(t.adminToken))
      .send({ name: '会师镇服务站', regionCode: '620422100', lat: 35.6929, lng: 105.0466 })
      .expect(201);
    const cg = await t
      .http()
      .post('/api/v1/caregivers')
      .set(auth(t.adminToken))
      .send({
        name: '护理员',
        phone: '13800000000',
        gender: 'female',
        servicePointId: sp.body.id,
        skills: [],
        shiftStart: '08:00',
        shiftEnd: '17:00',
        maxDailyVisits: 6,
      })
      .expect(201);
    const token = await t.userToken('caregiver', { caregiverId: cg.body.id });
    const res = await t.http().get('/api/v1/regions').set(auth(token)).expect(200);
    expect(res.body.total).toBe(28);
    const seat = res.body.items.find((r: { code: string }) => r.code === '620422100');
    expect(seat).toMatchObject({ name: '会师镇', kind: 'urban', parentCode: '620422' });
    expect(res.body.items.filter((r: { kind: string }) => r.kind === 'urban')).toHaveLength(1);
  });
});
