import type { IncomingMessage } from 'node:http';
import { requestIdOf, requestLogLine } from './request-log';

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
