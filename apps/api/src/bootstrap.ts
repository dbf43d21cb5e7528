import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import helmet from 'helmet';
import type { DestinationStream } from 'pino';
import pinoHttp from 'pino-http';
import { AuthService } from '@care/auth';
import {
  AppConfig,
  DomainExceptionFilter,
  PinoNestLogger,
  createRootLogger,
  createValidationPipe,
} from '@care/core';
import { ApiModule } from './api.module';

export const API_PREFIX = 'api/v1';

/** Where the built web console lives: dist/console, whether we run from dist or from sources. */
function consoleDir(): string | undefined {
  return [join(__dirname, '..', '..', '..', 'console'), join(__dirname, '..', '..', '..', 'dist', 'console')].find(
    (dir) => existsSync(join(dir, 'index.html')),
  );
}

/** Builds the api application (shared by main.ts and the e2e harness) without listening. */
export async function createApiApp(
  config: AppConfig,
  options: { logDestination?: DestinationStream } = {},
): Promise<INestApplication> {
  const rootLogger = createRootLogger(config.logLevel, 'api', options.logDestination);
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    logger: new PinoNestLogger(rootLogger),
    bufferLogs: true,
  });
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(
    pinoHttp({
      logger: rootLogger,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // never log bodies: they may carry ID numbers and passwords
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          // a token in a query string (the queue board's ?token=) must not reach the log
          // nor a resident ID number (GET /residents?q=<number>, ?idNumber=): masked like everywhere else, 6 + 1 kept
          url: req.url
            .replace(/([?&](?:token|access_token)=)[^&]*/gi, '$1[redacted]')
            .replace(/(\d{6})\d{11}([\dXx])/g, '$1***********$2'),
        }),
        // status only: response headers carry cookies (the queue board's session token)
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/health' },
    }),
  );
  app.use(
    helmet({
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
    }),
  );
  // GET /api/v1/health is the same check as GET /health
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (req.url === `/${API_PREFIX}/health`) req.url = '/health';
    next();
  });

  app.setGlobalPrefix(API_PREFIX, { exclude: ['health'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DomainExceptionFilter());
  app.useBodyParser('json', { limit: '2mb' });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('County elderly-care system')
      .setDescription('Care homes, beds and residents, ability assessment, doorstep care dispatch, coverage statistics.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  const dir = consoleDir();
  if (dir) {
    app.use(express.static(dir, { index: 'index.html', maxAge: '1h' }));
    // single-page app: any other GET that is not an API path gets the console's index.html
    app.use((req: Request, res: Response, next: NextFunction) => {
      const apiPath = /^\/(api|docs|health|admin)(\/|$|-)/.test(req.path);
      if (req.method === 'GET' && !apiPath && req.accepts('html')) res.sendFile(join(dir, 'index.html'));
      else next();
    });
  }

  await app.get(AuthService).ensureAdmin(config.adminPassword);
  return app;
}
