import type { IncomingMessage } from 'node:http';
import Fastify from 'fastify';
import { createRootLogger } from '../logging/logger';
import { logRequests, requestIdOf, requestLogLine } from './request-log';

const withHeader = (value: string | string[] | undefined) =>
  ({ headers: { 'x-request-id': value } }) as unknown as IncomingMessage;

describe('requestIdOf', () => {
  it("keeps the caller's X-Request-Id when it is a plain token", () => {
    expect(requestIdOf(withHeader('abc-123.DEF_4'))).toBe('abc-123.DEF_4');
  });

  it('makes a fresh UUID otherwise (none, too long, odd characters, repeated header)', () => {
    for (const given of [undefined, 'x'.repeat(65), 'a b', '<script>', ['a', 'b']]) {
      expect(requestIdOf(withHeader(given))).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });
});

describe('requestLogLine', () => {
  it('says id, method, redacted URL, status and time; nothing else', () => {
    const line = requestLogLine(
      { id: 'r1', method: 'GET', url: '/api/v1/residents?q=%E5%BC%A0&idNumber=620422194501010017&limit=5' },
      200,
      12.345,
    );
    expect(line).toEqual({
      req: { id: 'r1', method: 'GET', url: '/api/v1/residents?q=[redacted]&idNumber=[redacted]&limit=5' },
      res: { statusCode: 200 },
      responseTime: 12.3,
    });
  });

  it('masks an ID number in the path and drops the queue board token', () => {
    const line = requestLogLine({ id: 'r2', method: 'GET', url: '/admin/queues?token=eyJhbGciOi.x.y' }, 303, 1);
    expect(line?.req.url).toBe('/admin/queues?token=[redacted]');
    const path = requestLogLine({ id: 'r3', method: 'GET', url: '/api/v1/residents/by-id/620422194501010017' }, 404, 1);
    expect(path?.req.url).not.toContain('620422194501010017');
  });

  it('leaves the health probe out', () => {
    expect(requestLogLine({ id: 'r4', method: 'GET', url: '/health' }, 200, 1)).toBeNull();
  });
});

describe('logRequests', () => {
  it('writes one line per answered request, through the root logger, error level for a 5xx', async () => {
    const written: Record<string, unknown>[] = [];
    const logger = createRootLogger('info', 'api', { write: (line: string) => void written.push(JSON.parse(line)) });
    const fastify = Fastify({ genReqId: requestIdOf });
    logRequests(fastify, logger);
    fastify.get('/api/v1/residents', async () => ({ ok: true }));
    fastify.get('/api/v1/broken', async (_request, reply) => reply.code(503).send({ down: true }));
    const ok = await fastify.inject({ url: '/api/v1/residents?idNumber=620422194501010017&limit=5' });
    await fastify.inject({ url: '/api/v1/broken', headers: { 'x-request-id': 'req-7' } });
    await fastify.close();

    expect(ok.headers['x-request-id']).toEqual(expect.any(String));
    expect(written).toEqual([
      expect.objectContaining({
        level: 30,
        name: 'api',
        msg: 'request completed',
        req: { id: ok.headers['x-request-id'], method: 'GET', url: '/api/v1/residents?idNumber=[redacted]&limit=5' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
      expect.objectContaining({ level: 50, msg: 'request errored', req: expect.objectContaining({ id: 'req-7' }) }),
    ]);
    expect(JSON.stringify(written)).not.toContain('620422194501010017');
  });

  it('writes nothing per request below info', async () => {
    const written: string[] = [];
    const fastify = Fastify();
    logRequests(fastify, createRootLogger('warn', 'api', { write: (line: string) => void written.push(line) }));
    fastify.get('/api/v1/x', async () => ({}));
    const res = await fastify.inject({ url: '/api/v1/x' });
    await fastify.close();
    expect(res.headers['x-request-id']).toBeDefined();
    expect(written).toEqual([]);
  });
});
