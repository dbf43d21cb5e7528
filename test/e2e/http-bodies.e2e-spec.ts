import { createTestApp, TestContext } from '@care/testing';
import { buildApp } from '../support/apps';

/**
 * Request bodies Fastify refuses before any route runs: each answers with the contract's error body (statusCode,
 * code, message, requestId), its own status, and never echoes what was sent.
 */
describe('request bodies: malformed, empty, too large, not JSON', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp(buildApp, 'httpbodies');
  });
  afterAll(() => t.close());

  const login = '/api/v1/auth/login';

  it('400 VALIDATION_FAILED for malformed JSON, without quoting the body', async () => {
    const res = await t
      .http()
      .post(login)
      .set('Content-Type', 'application/json')
      .send('{"username":"secret-name-42",')
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'body: malformed JSON',
      requestId: expect.any(String),
    });
    expect(res.headers['x-request-id']).toBe(res.body.requestId);
    expect(res.text).not.toContain('secret-name-42');
  });

  it('400 for a prototype-poisoning body', async () => {
    const res = await t
      .http()
      .post(login)
      .set('Content-Type', 'application/json')
      .send('{"__proto__":{"admin":true}}')
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('400 for an empty body that says it is JSON', async () => {
    const res = await t.http().post(login).set('Content-Type', 'application/json').send('').expect(400);
    expect(res.body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^body: /),
    });
  });

  it('413 PAYLOAD_TOO_LARGE beyond 2 MB, and a body just under the limit still reaches validation', async () => {
    const big = JSON.stringify({ username: 'admin', password: 'x'.repeat(2 * 1024 * 1024) });
    const res = await t.http().post(login).set('Content-Type', 'application/json').send(big).expect(413);
    expect(res.body).toEqual({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'body: too large',
      requestId: expect.any(String),
    });
    const fits = JSON.stringify({ username: 'admin', password: 'x'.repeat(1024 * 1024), extra: 1 });
    const checked = await t.http().post(login).set('Content-Type', 'application/json').send(fits).expect(400);
    expect(checked.body.message).toMatch(/extra/);
  });

  it('415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await t.http().post(login).set('Content-Type', type).send('username=admin&password=x').expect(415);
      expect(res.body).toMatchObject({
        statusCode: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.stringMatching(/application\/json/),
      });
      // an answer Fastify makes before any route still carries the security headers and no-store
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('a POST without a body still reaches the route (validation names the fields)', async () => {
    const res = await t.http().post(login).expect(400);
    expect(res.body.message).toMatch(/username/);
    expect(res.body.message).toMatch(/password/);
  });

  it('answers API requests with no-store and the security headers, and unknown routes with the contract 404', async () => {
    const res = await t.http().get('/api/v1/no-such-route').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(res.headers['cross-origin-embedder-policy']).toBeUndefined();
    // and on an answer that reached a route, the same
    const health = await t.http().get('/health');
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(health.headers['content-security-policy']).toContain("script-src 'self'");
  });
});
