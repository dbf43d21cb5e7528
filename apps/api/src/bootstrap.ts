import { existsSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DestinationStream } from 'pino';
import { AuthService } from '@care/auth';
import {
  AppConfig,
  DomainExceptionFilter,
  PinoNestLogger,
  createRootLogger,
  createValidationPipe,
  logRequests,
  securityHeaders,
  requestIdOf,
} from '@care/core';
import { ApiModule } from './api.module';

export const API_PREFIX = 'api/v1';

/**
 * The routes served outside /api/v1 — the one list of them (health probes, and whatever an operator's tools
 * expect at a fixed path).
 */
export const OUTSIDE_API_PREFIX = ['health', 'metrics'];

/** Largest request body: a batch of care orders or a township's residents fits many times over. */
const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** Paths that belong to the server, never to the console's client-side routes. */
const SERVER_PATHS = /^\/(api|docs|health|admin)(\/|$|-)/;

/** Where the built web console lives: dist/console, whether we run from dist or from sources. */
function consoleDir(): string | undefined {
  return [join(__dirname, '..', '..', '..', 'console'), join(__dirname, '..', '..', '..', 'dist', 'console')].find(
    (dir) => existsSync(join(dir, 'index.html')),
  );
}

/** Whether the caller takes an HTML page (a browser navigating), as express's req.accepts('html') said. */
function acceptsHtml(accept: string | undefined): boolean {
  return !accept || /(^|,)\s*(text\/html|text\/\*|\*\/\*)\s*(;|,|$)/i.test(accept);
}

/** Builds the api application (shared by main.ts and the e2e harness), initialised and ready, without listening. */
export async function createApiApp(
  config: AppConfig,
  options: { logDestination?: DestinationStream } = {},
): Promise<INestApplication> {
  const rootLogger = createRootLogger(config.logLevel, 'api', options.logDestination);
  const adapter = new FastifyAdapter({
    // Fastify's own logger stays off: requests are logged by one onResponse hook (logRequests), errors by the filter
    logger: false,
    // the client address (login throttling, audit events) from X-Forwarded-For only when a local proxy sent it
    trustProxy: 'loopback',
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: requestIdOf,
    // GET /api/v1/health is the same check as GET /health
    rewriteUrl: (req: IncomingMessage) => (req.url === `/${API_PREFIX}/health` ? '/health' : (req.url ?? '/')),
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(rootLogger),
    bufferLogs: true,
    // Fastify's own JSON parser (no urlencoded forms; Nest's would read every body into a Buffer first)
    bodyParser: false,
  });
  // bufferLogs holds every Nest Logger line (the exception filter's included) until a flush: without it the
  // start-up lines would be written never, and every later line kept in memory forever
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();

  // the API speaks JSON only: any other body answers 415 (Fastify would otherwise hand text/plain to the handler)
  fastify.removeContentTypeParser('text/plain');
  logRequests(fastify, rootLogger);
  securityHeaders(fastify, {
    contentSecurityPolicy: {
      // the console and Swagger UI are same-origin; Swagger UI needs inline styles. No
      // upgrade-insecure-requests: a county office may reach the api over plain HTTP on its LAN, and the
      // upgrade would make the browser fetch the console's scripts over https and show a blank page.
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  // API answers carry personal data (residents, assessments, positions): no browser or proxy may keep them.
  // Every /api/v1 answer, reference data included: a rule per route would be one more thing to get wrong, and
  // reference data is small.
  fastify.addHook('onRequest', (request, reply, done) => {
    const url = request.url;
    if (url.startsWith(`/${API_PREFIX}/`) || url === '/health' || url.startsWith('/health?')) {
      reply.header('Cache-Control', 'no-store');
      reply.header('Pragma', 'no-cache');
    }
    done();
  });

  app.setGlobalPrefix(API_PREFIX, { exclude: OUTSIDE_API_PREFIX });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DomainExceptionFilter());

  // built on the first GET /docs or /docs-json, not at start: most api processes never serve it (measured: about
  // 1 MB of heap and 61 KB of JSON, so this is a small saving, not the main one)
  SwaggerModule.setup(
    'docs',
    app,
    () =>
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('County elderly-care system')
          .setDescription(
            'Care homes, beds and residents, ability assessment, doorstep care dispatch, coverage statistics.',
          )
          .setVersion('1')
          .addBearerAuth()
          .build(),
      ),
    { jsonDocumentUrl: 'docs-json' },
  );

  const dir = consoleDir();
  if (dir) {
    // wildcard off: one route per built file (listed at start), so every other path reaches the fallback below
    await app.register(fastifyStatic, { root: dir, wildcard: false, index: 'index.html', maxAge: '1h' });
    // single-page app: any other GET that is not a server path and takes HTML gets the console's index.html
    fastify.get('/*', (request: FastifyRequest, reply: FastifyReply) => {
      const path = request.url.split('?')[0];
      if (SERVER_PATHS.test(path) || !acceptsHtml(request.headers.accept)) return reply.callNotFound();
      return reply.sendFile('index.html', { maxAge: 0 });
    });
  }

  await app.get(AuthService).ensureAdmin(config.adminPassword);
  await app.init();
  // Fastify loads its plugins and freezes its routes at ready(); supertest and listen() need it done
  await fastify.ready();
  return app;
}
