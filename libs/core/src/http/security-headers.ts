import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's security headers on every answer. The middleware is built once, here: @fastify/helmet builds it again for
 * every request (the CSP directives parsed each time, two hooks). Measured alone: 5.6 µs of CPU per answer built per
 * request, 1.9 µs built once — small against ~1 ms per api request, but for nothing, and one package fewer.
 */
export function securityHeaders(fastify: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const apply = helmet(options);
  fastify.addHook('onRequest', (request, reply, done) => {
    apply(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
  });
}
