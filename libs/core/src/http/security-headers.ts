import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The headers helmet sets for these options, found once by letting it answer a stand-in response. With static
 * options (ours: no per-request CSP nonce) they are the same for every request, so there is nothing to recompute.
 */
export function helmetHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  let answered = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    answered = true;
    failure = error;
  });
  // a helmet that answered later, or failed, would be one that depends on the request: refuse to start with it
  if (!answered || failure) throw new Error(`helmet options must give static headers: ${String(failure ?? 'async')}`);
  return Object.freeze(headers);
}

/**
 * helmet's security headers on every answer, computed once at start. Running helmet per request set a dozen
 * headers one by one on the raw response (measured with `npm run bench admissions`: about 3 % of the api's
 * request-handling CPU); here they are one object handed to Fastify, which writes them with the rest.
 */
export function securityHeaders(fastify: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const headers = helmetHeaders(options);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
