import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet, { type HelmetOptions } from 'helmet';
import { helmetHeaders } from './security-headers';

const CSP = { directives: { defaultSrc: ["'self'"], upgradeInsecureRequests: null } };
const OPTIONS: HelmetOptions = { contentSecurityPolicy: CSP, crossOriginEmbedderPolicy: false };

/** What helmet itself writes on a real response, for the same options. */
function headersHelmetWrites(options: HelmetOptions): Record<string, string> {
  const request = new IncomingMessage(new Socket());
  const response = new ServerResponse(request);
  response.setHeader('X-Powered-By', 'something');
  helmet(options)(request, response, () => undefined);
  return Object.fromEntries(Object.entries(response.getHeaders()).map(([name, value]) => [name, String(value)]));
}

describe('helmetHeaders', () => {
  it('are the headers helmet writes on a response, computed once', () => {
    const headers = helmetHeaders(OPTIONS);
    expect(headers).toEqual(headersHelmetWrites(OPTIONS));
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['cross-origin-embedder-policy']).toBeUndefined();
    expect(Object.isFrozen(headers)).toBe(true);
  });

  it('follow the options', () => {
    const deny = helmetHeaders({ contentSecurityPolicy: CSP, frameguard: { action: 'deny' } });
    expect(deny['x-frame-options']).toBe('DENY');
    expect(helmetHeaders({ contentSecurityPolicy: CSP, frameguard: false })['x-frame-options']).toBeUndefined();
  });
});
